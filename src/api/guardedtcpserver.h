#pragma once

#include "httprequestframer.h"

#include <QHostAddress>
#include <QList>
#include <QPointer>
#include <QTcpServer>

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

    explicit GuardedTcpServer(const Limits &limits, QObject *parent = nullptr);
    ~GuardedTcpServer() override;

    const Limits &limits() const { return m_limits; }
    int connectionCount() const { return int(m_connections.size()); }
    // The raw socket of a live connection (used to see WebSocket traffic after the upgrade,
    // including control frames that QWebSocket does not report).
    QTcpSocket *findSocket(const QHostAddress &peerAddress, quint16 peerPort) const;

    // Writes a complete error response and closes the connection gracefully; QHttpServer no longer
    // reads from it.
    static void rejectConnection(QTcpSocket *socket, int status, const QString &detail);

signals:
    void requestRejected(int status, const QString &detail);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    friend class GuardedConnection;
    void forget(GuardedConnection *connection);

    Limits m_limits;
    QList<GuardedConnection *> m_connections;
};

} // namespace agentdesk
