#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace agentdesk {

// Follows the HTTP/1.1 request stream of one connection (HttpConnection feeds it what it reads) and
// captures what the server needs of each request's head, enforcing the limits on the way, before
// anything is buffered: request-line syntax (400/505), URI, header block and header count (414/431),
// declared body size (413, answered as soon as the headers arrive), chunked bodies (411). It tells
// the connection when to answer `Expect: 100-continue`, when the client asked for the connection to
// close, and when the stream stops being HTTP (WebSocket upgrade). The body's bytes are the ones fed
// while bodyRemaining() > 0; the framer only counts them.
class HttpRequestFramer
{
public:
    struct Limits
    {
        qint64 maxBodyBytes = 1 << 20;
        qint64 maxHeaderBytes = 32 * 1024; // request line + headers
        qint64 maxRequestLineBytes = 8 * 1024;
        int maxHeaderCount = 100;
    };

    // What a request's head said: the request line and the headers the API looks at. A header that
    // was not sent is null; one sent empty is empty.
    struct RequestHead
    {
        QByteArray method;
        QByteArray target; // as sent: not decoded, not normalised
        QByteArray host;
        QByteArray origin;
        QByteArray authorization;
        QByteArray contentType;
        QByteArray secFetchSite;
        QByteArray accessControlRequestMethod;
        bool http10 = false;
        // Origin, Authorization, Content-Type or Sec-Fetch-Site sent twice: ambiguous, so refused.
        bool repeatedHeader = false;
        qint64 contentLength = -1;
    };

    struct Rejection
    {
        int status = 0; // 0 = none
        QString detail;
    };

    enum class Event {
        None,
        HeadersComplete, // a request's header block ended (check expectsContinue())
        RequestComplete, // a whole request (with its body) has passed
        Upgraded,        // headers asked for a WebSocket upgrade: the rest of the stream is not HTTP
        Rejected,        // see rejection()
    };

    explicit HttpRequestFramer(const Limits &limits);

    // Consumes the next bytes of the stream. Stops at the first event and reports how many bytes it
    // consumed, so the caller can react (e.g. send 100 Continue) and then feed the rest.
    Event feed(QByteArrayView bytes, qsizetype *consumed);

    const Rejection &rejection() const { return m_rejection; }
    // The head of the request being read, or of the last complete one.
    const RequestHead &head() const { return m_head; }
    bool inRequest() const { return m_state != State::RequestLine || !m_line.isEmpty(); }
    bool expectsContinue() const { return m_expectContinue; }
    bool closeRequested() const { return m_closeRequested; }
    bool upgraded() const { return m_state == State::Passthrough; }
    qint64 contentLength() const { return m_contentLength; }
    // Body bytes still to come for the current request (0 outside a body).
    qint64 bodyRemaining() const { return m_state == State::Body ? m_bodyRemaining : 0; }
    // Blank lines skipped before the current request's first byte (tolerated between requests).
    qint64 bytesBeforeRequest() const { return m_skippedBeforeRequest; }
    int completedRequests() const { return m_completed; }

private:
    enum class State { RequestLine, Headers, Body, Passthrough, Failed };

    Event reject(int status, const QString &detail);
    Event onRequestLine(QByteArrayView line);
    Event onHeaderLine(QByteArrayView line);
    Event onHeadersEnd();
    void startRequest();
    void keepHeader(QByteArray *field, QByteArrayView value);

    Limits m_limits;
    State m_state = State::RequestLine;
    QByteArray m_line;
    qint64 m_headerBytes = 0;
    int m_headerCount = 0;
    RequestHead m_head;
    qint64 m_contentLength = -1;
    qint64 m_bodyRemaining = 0;
    bool m_http10 = false;
    bool m_keepAlive = false;
    bool m_connectionClose = false;
    bool m_connectionUpgrade = false;
    bool m_upgradeWebSocket = false;
    bool m_chunked = false;
    bool m_expectContinue = false;
    bool m_unsupportedExpect = false;
    bool m_closeRequested = false;
    int m_hostCount = 0;
    int m_completed = 0;
    qint64 m_skippedBeforeRequest = 0;
    Rejection m_rejection;
};

} // namespace agentdesk
