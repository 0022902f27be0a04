#include "guardedtcpserver.h"

#include "apiresponse.h"
#include "errorjson.h"
#include "jsonwriter.h"

#include <QTcpSocket>
#include <QTimer>

#include <chrono>

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

} // namespace

// Per-connection watchdog; a child of its socket, so it dies with it however the socket ends
// (QHttpServer disconnects every signal of a socket it upgrades, including destroyed()).
class GuardedConnection : public QObject
{
public:
    GuardedConnection(GuardedTcpServer *server, QTcpSocket *socket);
    ~GuardedConnection() override;

    QTcpSocket *socket() const { return m_socket; }
    // Two readyRead slots bracket QHttpServer's, which it connects inside addPendingConnection():
    // one before (inspect and maybe reject), one after (see what QHttpServer left unread).
    void watchBefore();
    void watchAfter();

private:
    void beforeServerReads();
    void afterServerRead();
    void onRequestTimeout();
    void reject(int status, const QString &detail);

    void touch() { m_lastActivityMs = nowMs(); }
    void onIdleTimer();

    QPointer<GuardedTcpServer> m_server;
    QTcpSocket *m_socket;
    HttpRequestFramer m_framer;
    // Re-arming a timer on every read and write costs more than the request: the timer fires at
    // most once per idle period and compares against the last activity instead.
    QTimer m_idle;
    qint64 m_lastActivityMs = 0;
    int m_idleTimeoutMs = 0;
    QTimer m_requestDeadline;
    qsizetype m_unreadByServer = 0; // bytes QHttpServer left in the buffer (pipelined requests)
};

GuardedConnection::GuardedConnection(GuardedTcpServer *server, QTcpSocket *socket)
    : QObject(socket)
    , m_server(server)
    , m_socket(socket)
    , m_framer(server->limits().request)
{
    m_idleTimeoutMs = server->limits().idleTimeoutMs;
    m_idle.setSingleShot(true);
    m_requestDeadline.setSingleShot(true);
    m_requestDeadline.setInterval(server->limits().requestTimeoutMs);
    connect(&m_idle, &QTimer::timeout, this, &GuardedConnection::onIdleTimer);
    connect(&m_requestDeadline, &QTimer::timeout, this, &GuardedConnection::onRequestTimeout);
    connect(m_socket, &QIODevice::bytesWritten, this, &GuardedConnection::touch);
}

void GuardedConnection::onIdleTimer()
{
    const qint64 idleFor = nowMs() - m_lastActivityMs;
    if (idleFor >= m_idleTimeoutMs)
        m_socket->disconnectFromHost();
    else
        m_idle.start(int(m_idleTimeoutMs - idleFor));
}

GuardedConnection::~GuardedConnection()
{
    if (m_server)
        m_server->forget(this);
}

void GuardedConnection::watchBefore()
{
    connect(m_socket, &QIODevice::readyRead, this, &GuardedConnection::beforeServerReads);
    touch();
    m_idle.start(m_idleTimeoutMs);
}

void GuardedConnection::watchAfter()
{
    connect(m_socket, &QIODevice::readyRead, this, &GuardedConnection::afterServerRead);
}

void GuardedConnection::beforeServerReads()
{
    touch();
    // The bytes QHttpServer has not read yet; the first m_unreadByServer of them were inspected
    // last time already.
    const QByteArray unread = m_socket->peek(m_socket->bytesAvailable());
    QByteArrayView fresh = QByteArrayView(unread).sliced(qMin(m_unreadByServer, unread.size()));
    while (!fresh.isEmpty()) {
        qsizetype consumed = 0;
        const auto event = m_framer.feed(fresh, &consumed);
        fresh = fresh.sliced(consumed);
        switch (event) {
        case HttpRequestFramer::Event::Rejected:
            reject(m_framer.rejection().status, m_framer.rejection().detail);
            return;
        case HttpRequestFramer::Event::Upgraded:
            // From here on the socket belongs to the WebSocket layer, which has its own timers.
            m_idle.stop();
            m_requestDeadline.stop();
            disconnect(m_socket, &QIODevice::bytesWritten, this, nullptr);
            return;
        case HttpRequestFramer::Event::HeadersComplete:
            // QHttpServer 6.4 never answers Expect: 100-continue; clients would stall ~1 s (§F.4).
            if (m_framer.expectsContinue())
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            break;
        case HttpRequestFramer::Event::RequestComplete:
            m_requestDeadline.stop();
            break;
        case HttpRequestFramer::Event::None:
            break;
        }
    }
    if (m_framer.inRequest() && !m_requestDeadline.isActive())
        m_requestDeadline.start();
}

void GuardedConnection::afterServerRead()
{
    // QHttpServer reads one request per readyRead and re-emits readyRead for pipelined leftovers.
    m_unreadByServer = m_socket->bytesAvailable();
    if (m_framer.closeRequested() && m_unreadByServer == 0 && !m_framer.inRequest())
        m_socket->disconnectFromHost(); // QHttpServer 6.4 ignores Connection: close (§F.4)
}

void GuardedConnection::onRequestTimeout()
{
    if (m_framer.inRequest())
        reject(408, u"Request Timeout"_s);
}

void GuardedConnection::reject(int status, const QString &detail)
{
    m_idle.stop();
    m_requestDeadline.stop();
    if (m_server)
        emit m_server->requestRejected(status, detail);
    GuardedTcpServer::rejectConnection(m_socket, status, detail);
}

GuardedTcpServer::GuardedTcpServer(const Limits &limits, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
{
}

GuardedTcpServer::~GuardedTcpServer()
{
    // Connections may outlive us briefly (QHttpServer deletes sockets later); stop them calling back.
    for (GuardedConnection *connection : std::as_const(m_connections))
        connection->disconnect(this);
}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    if (m_connections.size() >= m_limits.maxConnections) {
        emit requestRejected(503, u"Too many connections"_s);
        rejectConnection(socket, 503, u"Too many connections"_s);
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    // Responses are written whole; Nagle would only hold a response's last segment back until the
    // client's delayed ACK (40 ms on Linux) when it is queued in more than one piece.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    auto *connection = new GuardedConnection(this, socket);
    m_connections.append(connection);
    connection->watchBefore();
    addPendingConnection(socket);
    connection->watchAfter();
}

void GuardedTcpServer::forget(GuardedConnection *connection)
{
    m_connections.removeOne(connection);
}

QTcpSocket *GuardedTcpServer::findSocket(const QHostAddress &peerAddress, quint16 peerPort) const
{
    for (GuardedConnection *connection : m_connections) {
        QTcpSocket *socket = connection->socket();
        if (socket->peerPort() == peerPort && socket->peerAddress().isEqual(peerAddress))
            return socket;
    }
    return nullptr;
}

void GuardedTcpServer::rejectConnection(QTcpSocket *socket, int status, const QString &detail)
{
    // Nobody may parse what follows: QHttpServer would answer the rest of the stream.
    QObject::disconnect(socket, &QIODevice::readyRead, nullptr, nullptr);
    const QByteArray body = wire::writeJson(wire::detailJson(detail));
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    response += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (status == 503)
        response += "Retry-After: 1\r\n";
    response += "Connection: close\r\n\r\n" + body;
    socket->write(response);

    // Lingering close: keep reading (and dropping) what the client is still sending, and end our
    // side only after the response left, or the client's TCP stack would turn the unread upload
    // into a reset that destroys the response before it is read.
    QObject::connect(socket, &QIODevice::readyRead, socket, [socket] { socket->skip(socket->bytesAvailable()); });
    socket->skip(socket->bytesAvailable());
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
