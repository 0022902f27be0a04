#include "guardedtcpserver.h"

#include "apiresponse.h"
#include "errorjson.h"
#include "jsonwriter.h"

#include <QTcpSocket>
#include <QTimer>

#include <chrono>
#include <deque>
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

} // namespace

// Per-connection watchdog; a child of its socket, so it dies with it however the socket ends
// (QHttpServer disconnects every signal of a socket it upgrades, including destroyed()).
class GuardedConnection : public QObject
{
public:
    GuardedConnection(GuardedTcpServer *server, QTcpSocket *socket);
    ~GuardedConnection() override;

    QTcpSocket *socket() const { return m_socket; }
    void writeInOrder(const QByteArray &response);
    quint64 reserveAnswer();
    void fulfil(quint64 reservation, const QByteArray &response);
    void closeWhenAnswered();
    // Two readyRead slots bracket QHttpServer's, which it connects inside addPendingConnection():
    // one before (inspect and maybe reject), one after (see what QHttpServer left unread).
    void watchBefore();
    void watchAfter();

private:
    void beforeServerReads();
    bool answerFromCache(qsizetype requestBytes);
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

    // Answers waiting for an earlier, reserved one (see GuardedTcpServer::reserveAnswer()).
    struct Answer
    {
        quint64 reservation = 0; // 0: ready to go
        QByteArray bytes;
    };
    void sendReadyAnswers();
    std::deque<Answer> m_answers;
    quint64 m_nextReservation = 1;
    bool m_closeWhenAnswered = false;
    bool m_rejected = false; // a rejection waits in m_answers: linger and close once it is written
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
    // The cache may answer only a request that is all these bytes: QHttpServer holds no part of one
    // (serverIdle) and no other request came before it in this read (pipelined ones go the full way,
    // which answers them in order).
    const bool serverIdle = m_unreadByServer == 0 && !m_framer.inRequest();
    int completedHere = 0;
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
            if (serverIdle && ++completedHere == 1 && fresh.isEmpty() && answerFromCache(unread.size()))
                return;
            break;
        case HttpRequestFramer::Event::None:
            break;
        }
    }
    if (m_framer.inRequest() && !m_requestDeadline.isActive())
        m_requestDeadline.start();
}

void GuardedConnection::writeInOrder(const QByteArray &response)
{
    if (m_answers.empty())
        m_socket->write(response);
    else
        m_answers.push_back({0, response});
}

quint64 GuardedConnection::reserveAnswer()
{
    const quint64 reservation = m_nextReservation++;
    m_answers.push_back({reservation, {}});
    return reservation;
}

void GuardedConnection::fulfil(quint64 reservation, const QByteArray &response)
{
    for (Answer &answer : m_answers) {
        if (answer.reservation == reservation) {
            answer = {0, response};
            break;
        }
    }
    sendReadyAnswers();
}

void GuardedConnection::sendReadyAnswers()
{
    while (!m_answers.empty() && m_answers.front().reservation == 0) {
        m_socket->write(m_answers.front().bytes);
        m_answers.pop_front();
    }
    if (!m_answers.empty())
        return;
    if (std::exchange(m_rejected, false))
        GuardedTcpServer::lingerAndClose(m_socket);
    else if (std::exchange(m_closeWhenAnswered, false))
        m_socket->disconnectFromHost();
}

void GuardedConnection::closeWhenAnswered()
{
    if (m_framer.upgraded())
        return;
    m_closeWhenAnswered = true;
    sendReadyAnswers();
}

bool GuardedConnection::answerFromCache(qsizetype requestBytes)
{
    const HttpRequestFramer::RequestHead &head = m_framer.head();
    if (!m_server || !m_server->m_cachedResponder || head.http10 || head.contentLength > 0
        || m_framer.closeRequested() || !m_answers.empty())
        return false;
    const QByteArray response = m_server->m_cachedResponder(head);
    if (response.isEmpty())
        return false;
    // Consume the request so QHttpServer's readyRead slot, which runs next, finds nothing to parse.
    // It may have left an empty read transaction open (it starts one on every readyRead): commit it,
    // or the skipped bytes would stay buffered.
    m_socket->skip(requestBytes);
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    m_socket->write(response);
    ++m_server->m_cachedAnswers;
    return true;
}

void GuardedConnection::afterServerRead()
{
    // QHttpServer reads one request per readyRead and re-emits readyRead for pipelined leftovers.
    m_unreadByServer = m_socket->bytesAvailable();
    if (m_framer.closeRequested() && m_unreadByServer == 0 && !m_framer.inRequest()) {
        // QHttpServer 6.4 ignores Connection: close (§F.4); a deferred answer still owed goes first.
        if (m_answers.empty())
            m_socket->disconnectFromHost();
        else
            m_closeWhenAnswered = true;
    }
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
    if (m_answers.empty())
        return GuardedTcpServer::rejectConnection(m_socket, status, detail);
    // An earlier request is still owed its answer: the rejection goes out after it, then the close.
    GuardedTcpServer::stopReading(m_socket);
    m_answers.push_back({0, GuardedTcpServer::rejectionResponse(status, detail)});
    m_rejected = true;
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
    m_bySocket.insert(socket, connection);
    connection->watchBefore();
    addPendingConnection(socket);
    connection->watchAfter();
}

void GuardedTcpServer::forget(GuardedConnection *connection)
{
    m_connections.removeOne(connection);
    m_bySocket.remove(connection->socket());
}

void GuardedTcpServer::closeAll()
{
    close();
    const QList<GuardedConnection *> connections = m_connections; // closing may forget some at once
    for (GuardedConnection *connection : connections)
        connection->closeWhenAnswered();
}

void GuardedTcpServer::write(QTcpSocket *socket, const QByteArray &response)
{
    if (GuardedConnection *connection = m_bySocket.value(socket))
        connection->writeInOrder(response);
    else if (socket)
        socket->write(response);
}

quint64 GuardedTcpServer::reserveAnswer(QTcpSocket *socket)
{
    GuardedConnection *connection = m_bySocket.value(socket);
    return connection ? connection->reserveAnswer() : 0;
}

void GuardedTcpServer::fulfil(QTcpSocket *socket, quint64 reservation, const QByteArray &response)
{
    if (GuardedConnection *connection = m_bySocket.value(socket))
        connection->fulfil(reservation, response);
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
    stopReading(socket);
    socket->write(rejectionResponse(status, detail));
    lingerAndClose(socket);
}

QByteArray GuardedTcpServer::rejectionResponse(int status, const QString &detail)
{
    const QByteArray body = wire::writeJson(wire::detailJson(detail));
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    response += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (status == 503)
        response += "Retry-After: 1\r\n";
    response += "Connection: close\r\n\r\n" + body;
    return response;
}

void GuardedTcpServer::stopReading(QTcpSocket *socket)
{
    // Nobody may parse what follows: QHttpServer would answer the rest of the stream. What the client
    // still sends is read and dropped (see lingerAndClose()).
    QObject::disconnect(socket, &QIODevice::readyRead, nullptr, nullptr);
    QObject::connect(socket, &QIODevice::readyRead, socket, [socket] { socket->skip(socket->bytesAvailable()); });
    socket->skip(socket->bytesAvailable());
}

void GuardedTcpServer::lingerAndClose(QTcpSocket *socket)
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
