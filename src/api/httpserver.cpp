#include "httpserver.h"

#include "apiresponse.h"
#include "errorjson.h"
#include "jsonwriter.h"

#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <chrono>
#include <utility>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

constexpr int kLingerMs = 2000;

qint64 nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// Deadlines are checked a few times per shortest deadline, at most once a second.
int sweepInterval(const HttpServer::Limits &limits)
{
    const int shortest = std::min(
        {limits.idleTimeoutMs, limits.headerTimeoutMs, limits.requestTimeoutMs, limits.sendTimeoutMs});
    return std::clamp(shortest / 4, 10, 1000);
}

// Who gives up a slot first: a connection already closing, then the one idle longest, then the one
// stuck longest in a request (a slow or stalled client). Connections working on an answer keep theirs.
int evictionRank(HttpConnection::Phase phase)
{
    switch (phase) {
    case HttpConnection::Phase::Closing:
        return 0;
    case HttpConnection::Phase::Idle:
        return 1;
    case HttpConnection::Phase::InRequest:
        return 2;
    case HttpConnection::Phase::Busy:
        return -1;
    }
    return -1;
}

} // namespace

HttpServer::HttpServer(const Limits &limits, RequestHandler handler, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
    , m_handler(std::move(handler))
    , m_webSockets(new QWebSocketServer(u"agentdesk"_s, QWebSocketServer::NonSecureMode, this))
{
    connect(m_webSockets, &QWebSocketServer::newConnection, this, &HttpServer::takeWebSockets);
    // A burst of connections queues in the kernel instead of being dropped and retried a second later;
    // admission then makes room for each (the kernel caps this at net.core.somaxconn).
    setListenBacklogSize(1024);
    m_sweep.setInterval(sweepInterval(limits));
    connect(&m_sweep, &QTimer::timeout, this, &HttpServer::sweep);
    m_sweep.start();
}

HttpServer::~HttpServer()
{
    // Connections die with their sockets (our children) after this body; they find us gone by then.
    m_connections.clear();
}

QHostAddress HttpServer::clientOf(const QHostAddress &peer)
{
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : peer;
}

void HttpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    const QHostAddress client = clientOf(socket->peerAddress());
    QString refusal;
    if (!makeRoom(client, &refusal)) {
        emit requestRejected(503, refusal);
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        stopReading(socket);
        socket->write(rejectionResponse(503, refusal));
        lingerAndClose(socket);
        return;
    }
    // Responses are written whole; Nagle would only hold a response's last segment back until the
    // client's delayed ACK (40 ms on Linux) when it is queued in more than one piece.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_connections.append(new HttpConnection(this, socket, client));
    ++m_perClient[client];
}

bool HttpServer::makeRoom(const QHostAddress &client, QString *refusal)
{
    if (m_perClient.value(client) >= m_limits.maxConnectionsPerClient) {
        HttpConnection *candidate = evictionCandidate(&client);
        if (!candidate) {
            *refusal =
                u"Too many connections from %1 (%2)"_s.arg(client.toString()).arg(m_limits.maxConnectionsPerClient);
            return false;
        }
        ++m_evicted;
        forget(candidate);
        candidate->evict();
    }
    if (m_connections.size() >= m_limits.maxConnections) {
        HttpConnection *candidate = evictionCandidate(nullptr);
        if (!candidate) {
            *refusal = u"Too many connections"_s;
            return false;
        }
        ++m_evicted;
        forget(candidate);
        candidate->evict();
    }
    return true;
}

HttpConnection *HttpServer::evictionCandidate(const QHostAddress *client) const
{
    HttpConnection *best = nullptr;
    int bestRank = 0;
    qint64 bestSince = 0;
    for (HttpConnection *connection : m_connections) {
        if (client && connection->client() != *client)
            continue;
        const int rank = evictionRank(connection->phase());
        if (rank < 0)
            continue;
        const qint64 since = connection->phaseSince();
        if (!best || rank < bestRank || (rank == bestRank && since < bestSince)) {
            best = connection;
            bestRank = rank;
            bestSince = since;
        }
    }
    return best;
}

void HttpServer::forget(HttpConnection *connection)
{
    if (!m_connections.removeOne(connection))
        return;
    const auto count = m_perClient.find(connection->client());
    if (count != m_perClient.end() && --*count <= 0)
        m_perClient.erase(count);
}

int HttpServer::pausedConnectionCount() const
{
    return int(std::count_if(m_connections.cbegin(), m_connections.cend(),
                             [](const HttpConnection *connection) { return connection->readingPaused(); }));
}

void HttpServer::sweep()
{
    const qint64 now = nowMs();
    const QList<HttpConnection *> connections = m_connections; // a deadline may close one at once
    for (HttpConnection *connection : connections) {
        if (m_connections.contains(connection))
            connection->checkDeadlines(now);
    }
}

void HttpServer::closeAll()
{
    close();
    const QList<HttpConnection *> connections = m_connections; // closing may forget some at once
    for (HttpConnection *connection : connections)
        connection->closeWhenAnswered();
}

void HttpServer::handOver(HttpConnection *connection)
{
    QTcpSocket *socket = connection->socket();
    // QWebSocket reads frames whole: the socket must be able to buffer one of the largest allowed.
    socket->setReadBufferSize(0);
    m_handedOver.removeAll(nullptr);
    m_handedOver.append(socket);
    m_webSockets->handleConnection(socket);
}

void HttpServer::takeWebSockets()
{
    while (QWebSocket *socket = m_webSockets->nextPendingConnection()) {
        socket->setParent(this); // until a receiver of webSocketConnected() takes it
        QTcpSocket *raw = nullptr;
        for (const QPointer<QTcpSocket> &candidate : std::as_const(m_handedOver)) {
            if (candidate && candidate->peerPort() == socket->peerPort()
                && candidate->peerAddress().isEqual(socket->peerAddress())) {
                raw = candidate;
                break;
            }
        }
        m_handedOver.removeAll(raw);
        emit webSocketConnected(socket, raw);
    }
}

QByteArray HttpServer::rejectionResponse(int status, const QString &detail)
{
    const QByteArray body = wire::writeJson(wire::detailJson(detail));
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    response += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (status == 503)
        response += "Retry-After: 1\r\n";
    response += "Connection: close\r\n\r\n" + body;
    return response;
}

void HttpServer::stopReading(QTcpSocket *socket)
{
    QObject::disconnect(socket, &QIODevice::readyRead, nullptr, nullptr);
    socket->setReadBufferSize(0);
    QObject::connect(socket, &QIODevice::readyRead, socket, [socket] { socket->skip(socket->bytesAvailable()); });
    socket->skip(socket->bytesAvailable());
}

void HttpServer::lingerAndClose(QTcpSocket *socket)
{
    // Lingering close: end our side only after the response left, or the client's TCP stack would turn
    // an unread upload into a reset that destroys the response before it is read.
    const auto halfClose = [socket] {
        if (socket->bytesToWrite() > 0)
            return;
#ifdef Q_OS_UNIX
        ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
#else
        socket->disconnectFromHost();
#endif
    };
    QObject::connect(socket, &QIODevice::bytesWritten, socket, halfClose);
    QTimer::singleShot(0, socket, halfClose);
    QTimer::singleShot(kLingerMs, socket, [socket] { socket->abort(); });
}

} // namespace agentdesk
