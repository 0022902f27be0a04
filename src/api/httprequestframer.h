#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace agentdesk {

// Follows the HTTP/1.1 request stream of one connection byte by byte, ahead of QHttpServer, so the
// limits QHttpServer 6.4 lacks can be enforced before it buffers anything (style-anchors §F.4):
// request-line syntax (400/505 instead of a silent close), URI, header block and header count
// (414/431), declared body size (413, answered as soon as the headers arrive), chunked bodies
// (411), and it tells the guard when to answer `Expect: 100-continue`, when the client asked for
// the connection to close, and when the stream stops being HTTP (WebSocket upgrade).
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

    // What a request's head said, for the guard's answer from the response cache (see GuardedTcpServer).
    struct RequestHead
    {
        QByteArray method;
        QByteArray target; // as sent: not decoded, not normalised
        QByteArray host;
        QByteArray origin;
        QByteArray authorization;
        bool http10 = false;
        bool repeatedHeader = false; // Origin or Authorization sent twice: only the full path decides
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
    int completedRequests() const { return m_completed; }

private:
    enum class State { RequestLine, Headers, Body, Passthrough, Failed };

    Event reject(int status, const QString &detail);
    Event onRequestLine(QByteArrayView line);
    Event onHeaderLine(QByteArrayView line);
    Event onHeadersEnd();
    void startRequest();

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
    Rejection m_rejection;
};

} // namespace agentdesk
