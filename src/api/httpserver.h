#pragma once

#include "httpconnection.h"
#include "httprequestframer.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QTcpServer>
#include <QTimer>

#include <functional>

class QWebSocket;
class QWebSocketServer;

namespace agentdesk {

// The API's HTTP/1.1 server: accepts connections, shares the slots fairly between clients, runs each
// connection's requests through its HttpConnection into the request handler, and hands WebSocket
// handshakes to a QWebSocketServer. QHttpServer 6.4 has no limits and reads whatever arrives
// (style-anchors §F.4); owning the reading is what lets a connection stop reading while its client
// does not collect its answers.
//
// Admission: at most `maxConnections` connections, at most `maxConnectionsPerClient` per client
// address. A new connection that finds either full takes the slot of a connection that is not
// working for anyone — one lingering after its last answer, else the one idle longest, else the one
// stuck longest in the middle of a request — and is refused with 503 only when every slot is busy
// answering. Deadlines are checked by one sweep timer instead of timers per connection.
class HttpServer : public QTcpServer
{
    Q_OBJECT
public:
    struct Limits
    {
        HttpRequestFramer::Limits request;
        int maxConnections = 256;
        int maxConnectionsPerClient = 64;
        int idleTimeoutMs = 60000;          // a kept-alive connection between requests
        int headerTimeoutMs = 10000;        // a request's head from its first byte; a new connection's first byte
        int requestTimeoutMs = 30000;       // a whole request, first byte to last
        int sendTimeoutMs = 60000;          // output waiting while the client reads none of it: abort()
        qint64 maxUnwrittenBytes = 1 << 20; // stop reading a connection's requests above this
        int maxOwedAnswers = 64;            // … or while this many deferred answers are owed
    };

    using RequestHandler = std::function<void(HttpConnection *connection, const HttpRequest &request)>;

    HttpServer(const Limits &limits, RequestHandler handler, QObject *parent = nullptr);
    ~HttpServer() override;

    // Stops listening and ends every HTTP connection: idle ones now, one that is owed a deferred
    // answer right after it is written. Upgraded (WebSocket) connections are their owner's to close.
    void closeAll();

    const Limits &limits() const { return m_limits; }
    int connectionCount() const { return int(m_connections.size()); }
    int connectionCount(const QHostAddress &client) const { return m_perClient.value(client); }
    int pausedConnectionCount() const;
    quint64 evictedCount() const { return m_evicted; }

    // The address a connection from `peer` counts under (IPv4-mapped IPv6 addresses unmapped).
    static QHostAddress clientOf(const QHostAddress &peer);
    // A complete FastAPI-shaped error response.
    static QByteArray rejectionResponse(int status, const QString &detail);
    // From now on everything the client sends is read and dropped.
    static void stopReading(QTcpSocket *socket);
    // Ends our side once the socket's output is written; aborts if the client has not closed 2 s later.
    static void lingerAndClose(QTcpSocket *socket);

signals:
    // A request refused by the limits (status and detail as sent).
    void requestRejected(int status, const QString &detail);
    // A WebSocket handshake completed; the receiver takes ownership of `socket`. `rawSocket` is the
    // TCP socket under it, for traffic QWebSocket does not report (pings).
    void webSocketConnected(QWebSocket *socket, QTcpSocket *rawSocket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    friend class HttpConnection;
    void handle(HttpConnection *connection, const HttpRequest &request) { m_handler(connection, request); }
    void forget(HttpConnection *connection);
    void handOver(HttpConnection *connection);
    void takeWebSockets();
    // Frees a slot for a new connection from `client`; false if every candidate is busy.
    bool makeRoom(const QHostAddress &client, QString *refusal);
    HttpConnection *evictionCandidate(const QHostAddress *client) const;
    void sweep();

    Limits m_limits;
    RequestHandler m_handler;
    QList<HttpConnection *> m_connections;
    QHash<QHostAddress, int> m_perClient;
    QWebSocketServer *m_webSockets;
    QList<QPointer<QTcpSocket>> m_handedOver; // upgraded sockets whose handshake is under way
    QTimer m_sweep;
    quint64 m_evicted = 0;
};

} // namespace agentdesk
