#pragma once

#include "httprequestframer.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QPointer>
#include <QTcpServer>

#include <functional>

class QTcpSocket;

namespace agentdesk {

class GuardedConnection;

// The QTcpServer handed to QHttpServer::bind(). QHttpServer 6.4 has no limits of any kind
// (style-anchors §F.4), so every connection is watched here before QHttpServer sees a byte:
// a connection cap (503), an idle timeout, a whole-request deadline (408), and the framer's checks
// (400, 411, 413, 414, 417, 431, 505). Rejections are answered with a FastAPI-shaped JSON body and
// a lingering close, so the client reads the status instead of a reset.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    struct Limits
    {
        HttpRequestFramer::Limits request;
        int maxConnections = 256;
        int idleTimeoutMs = 60000;    // no byte in either direction
        int requestTimeoutMs = 30000; // first byte of a request to its last
    };

    // The complete response for a request, from a cache of responses already given, or empty when
    // the request needs QHttpServer and the route table (see setCachedResponder()).
    using CachedResponder = std::function<QByteArray(const HttpRequestFramer::RequestHead &)>;

    explicit GuardedTcpServer(const Limits &limits, QObject *parent = nullptr);
    ~GuardedTcpServer() override;

    // A bodiless request that arrives alone on an idle keep-alive connection is first offered to
    // `responder`; when it answers, the guard writes the bytes and QHttpServer never sees the request.
    // QHttpServer 6.4 spends more on parsing a request and trying every route rule than a cached list
    // page costs to send, so the hot read paths skip it (the full path stays the only one that decides:
    // the responder only repeats answers it gave).
    void setCachedResponder(CachedResponder responder) { m_cachedResponder = std::move(responder); }
    // Responses leave a connection in the order of its requests, also when one is produced later than
    // the requests behind it were read (a deferred route): write() queues behind a reserved place,
    // reserveAnswer() takes a place, fulfil() fills it and lets what waited behind it go. While a
    // place is open the connection is not closed for Connection: close and the cached responder
    // stays quiet. A socket that is gone makes these no-ops.
    void write(QTcpSocket *socket, const QByteArray &response);
    quint64 reserveAnswer(QTcpSocket *socket);
    void fulfil(QTcpSocket *socket, quint64 reservation, const QByteArray &response);

    // Stops listening and ends every HTTP connection: idle ones now, one that is owed a deferred
    // answer right after it is written. Upgraded (WebSocket) connections are their owner's to close.
    void closeAll();

    // How many requests the cached responder answered (for tests and diagnostics).
    quint64 cachedAnswerCount() const { return m_cachedAnswers; }

    const Limits &limits() const { return m_limits; }
    int connectionCount() const { return int(m_connections.size()); }
    // The raw socket of a live connection (used to see WebSocket traffic after the upgrade,
    // including control frames that QWebSocket does not report).
    QTcpSocket *findSocket(const QHostAddress &peerAddress, quint16 peerPort) const;

    // Writes a complete error response and closes the connection gracefully; QHttpServer no longer
    // reads from it.
    static void rejectConnection(QTcpSocket *socket, int status, const QString &detail);
    // The parts of rejectConnection(), for a rejection that must wait behind an answer still owed.
    static QByteArray rejectionResponse(int status, const QString &detail);
    static void stopReading(QTcpSocket *socket);
    static void lingerAndClose(QTcpSocket *socket);

signals:
    void requestRejected(int status, const QString &detail);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    friend class GuardedConnection;
    void forget(GuardedConnection *connection);

    Limits m_limits;
    CachedResponder m_cachedResponder;
    quint64 m_cachedAnswers = 0;
    QList<GuardedConnection *> m_connections;
    QHash<QTcpSocket *, GuardedConnection *> m_bySocket;
};

} // namespace agentdesk
