#include "httpconnection.h"

#include "httpserver.h"

#include <QTcpSocket>

#include <chrono>
#include <utility>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// What one read takes from the socket: a request head usually fits, a body comes in pieces of this.
constexpr qint64 kReadChunk = 16 * 1024;

qint64 nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace

HttpConnection::HttpConnection(HttpServer *server, QTcpSocket *socket, const QHostAddress &client)
    : QObject(socket)
    , m_server(server)
    , m_socket(socket)
    , m_peerAddress(socket->peerAddress())
    , m_client(client)
    , m_framer(server->limits().request)
{
    m_lastActivity = m_lastWriteProgress = nowMs();
    // Qt buffers at most this much of what the client sent; the kernel holds the rest and the client's
    // sends block. It must hold a whole request head (kept unread until it is known not to be a
    // WebSocket handshake) plus the read that completes it.
    m_socket->setReadBufferSize(qMax<qint64>(64 * 1024, server->limits().request.maxHeaderBytes + 2 * kReadChunk));
    connect(m_socket, &QIODevice::readyRead, this, &HttpConnection::process);
    connect(m_socket, &QIODevice::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QAbstractSocket::disconnected, this, &HttpConnection::onDisconnected);
}

HttpConnection::~HttpConnection()
{
    if (m_server && !m_forgotten)
        m_server->forget(this);
}

// ------------------------------------------------------------------------------------------ reading

bool HttpConnection::canRead() const
{
    return m_server && !m_closing && !m_closeAfterAnswers && !m_handlingUpgrade && !m_paused;
}

void HttpConnection::process()
{
    m_processScheduled = false;
    while (canRead()) {
        const bool progressed = m_framer.bodyRemaining() > 0 ? readBody() : readHead();
        if (!progressed)
            break;
    }
}

bool HttpConnection::readHead()
{
    // The head is read inside a transaction: until it is known not to be a WebSocket handshake its
    // bytes must stay in the socket for QWebSocketServer; anything read past the head goes back too.
    if (!m_socket->isTransactionStarted()) {
        m_socket->startTransaction();
        m_headBytesRead = 0;
    }
    const QByteArray chunk = m_socket->read(kReadChunk);
    if (chunk.isEmpty())
        return false; // the transaction stays open: the head is not complete yet
    m_lastActivity = nowMs();
    QByteArrayView rest(chunk);
    while (!rest.isEmpty()) {
        qsizetype consumed = 0;
        const HttpRequestFramer::Event event = m_framer.feed(rest, &consumed);
        m_headBytesRead += consumed;
        rest = rest.sliced(consumed);
        if (m_requestStartedAt == 0 && m_framer.inRequest())
            m_requestStartedAt = m_lastActivity;
        switch (event) {
        case HttpRequestFramer::Event::None:
            break;
        case HttpRequestFramer::Event::Rejected:
            m_socket->commitTransaction();
            reject(m_framer.rejection().status, m_framer.rejection().detail);
            return false;
        case HttpRequestFramer::Event::Upgraded:
            m_socket->rollbackTransaction();
            m_socket->skip(m_framer.bytesBeforeRequest());
            dispatch(true);
            return false;
        case HttpRequestFramer::Event::HeadersComplete:
        case HttpRequestFramer::Event::RequestComplete:
            m_socket->rollbackTransaction();
            m_socket->skip(m_headBytesRead);
            if (event == HttpRequestFramer::Event::RequestComplete) {
                dispatch(false);
            } else if (m_framer.expectsContinue()) {
                writeInOrder("HTTP/1.1 100 Continue\r\n\r\n");
            }
            return true;
        }
    }
    return true;
}

bool HttpConnection::readBody()
{
    // Never past the body's end: what follows is the next request's head.
    const QByteArray chunk = m_socket->read(qMin(m_framer.bodyRemaining(), kReadChunk));
    if (chunk.isEmpty())
        return false;
    m_lastActivity = nowMs();
    qsizetype consumed = 0;
    const HttpRequestFramer::Event event = m_framer.feed(chunk, &consumed);
    m_body.append(chunk);
    if (event == HttpRequestFramer::Event::RequestComplete)
        dispatch(false);
    return true;
}

void HttpConnection::dispatch(bool upgrade)
{
    HttpRequest request;
    request.head = m_framer.head();
    request.body = std::exchange(m_body, {});
    request.upgrade = upgrade;
    request.closeRequested = m_framer.closeRequested();
    m_requestStartedAt = 0;
    ++m_completedRequests;
    if (upgrade)
        m_handlingUpgrade = true;
    else if (request.closeRequested)
        m_closeAfterAnswers = true; // what follows is not read; close once the answers are out
    m_server->handle(this, request);
    if (m_closing)
        return;
    const HttpServer::Limits &limits = m_server->limits();
    m_paused = backlog() > limits.maxUnwrittenBytes || m_owed >= limits.maxOwedAnswers;
}

qint64 HttpConnection::backlog() const
{
    return m_socket->bytesToWrite() + m_queuedBytes;
}

void HttpConnection::scheduleProcess()
{
    // Not from inside a deferred reply: the next request must not run in the middle of another's answer.
    if (std::exchange(m_processScheduled, true))
        return;
    QMetaObject::invokeMethod(this, &HttpConnection::process, Qt::QueuedConnection);
}

void HttpConnection::onBytesWritten()
{
    m_lastWriteProgress = m_lastActivity = nowMs();
    if (!m_paused || !m_server)
        return;
    const HttpServer::Limits &limits = m_server->limits();
    m_paused = backlog() > limits.maxUnwrittenBytes || m_owed >= limits.maxOwedAnswers;
    if (!m_paused)
        process();
}

// ------------------------------------------------------------------------------------------ answers

void HttpConnection::writeInOrder(const QByteArray &response)
{
    if (!m_answers.empty()) {
        m_answers.push_back({0, response});
        m_queuedBytes += response.size();
        return;
    }
    if (m_socket->bytesToWrite() == 0)
        m_lastWriteProgress = nowMs(); // the send timeout counts from the first byte waiting
    m_socket->write(response);
}

void HttpConnection::respond(const QByteArray &response)
{
    if (m_closing)
        return;
    writeInOrder(response);
    if (m_answers.empty())
        afterAnswersWritten();
}

void HttpConnection::respondAndClose(const QByteArray &response)
{
    m_closeAfterAnswers = true;
    respond(response);
}

quint64 HttpConnection::reserveAnswer()
{
    if (m_closing)
        return 0;
    const quint64 reservation = m_nextReservation++;
    m_answers.push_back({reservation, {}});
    ++m_owed;
    return reservation;
}

void HttpConnection::fulfil(quint64 reservation, const QByteArray &response)
{
    if (m_closing || reservation == 0)
        return;
    for (Answer &answer : m_answers) {
        if (answer.reservation == reservation) {
            answer = {0, response};
            m_queuedBytes += response.size();
            --m_owed;
            break;
        }
    }
    sendReadyAnswers();
    if (m_paused && m_server && !m_closing) {
        const HttpServer::Limits &limits = m_server->limits();
        m_paused = backlog() > limits.maxUnwrittenBytes || m_owed >= limits.maxOwedAnswers;
        if (!m_paused)
            scheduleProcess();
    }
}

void HttpConnection::sendReadyAnswers()
{
    while (!m_answers.empty() && m_answers.front().reservation == 0) {
        const QByteArray bytes = std::move(m_answers.front().bytes);
        m_answers.pop_front();
        m_queuedBytes -= bytes.size();
        if (m_socket->bytesToWrite() == 0)
            m_lastWriteProgress = nowMs();
        m_socket->write(bytes);
    }
    if (m_answers.empty())
        afterAnswersWritten();
}

void HttpConnection::afterAnswersWritten()
{
    if (m_closing)
        return;
    if (m_upgradeAccepted) {
        // Our part ends here: the handshake bytes are still unread in the socket.
        m_closing = true;
        m_forgotten = true;
        m_socket->disconnect(this);
        if (m_server) {
            m_server->forget(this);
            m_server->handOver(this);
        }
        deleteLater();
        return;
    }
    if (m_closeAfterAnswers)
        startClosing();
}

void HttpConnection::acceptUpgrade()
{
    m_upgradeAccepted = true;
    if (m_answers.empty())
        afterAnswersWritten();
}

// ------------------------------------------------------------------------------------------ closing

void HttpConnection::reject(int status, const QString &detail)
{
    if (m_server)
        emit m_server->requestRejected(status, detail);
    m_requestStartedAt = 0;
    // An earlier request may still be owed its answer: the rejection goes out after it, then the close.
    respondAndClose(HttpServer::rejectionResponse(status, detail));
}

void HttpConnection::startClosing()
{
    if (std::exchange(m_closing, true))
        return;
    HttpServer::stopReading(m_socket);
    HttpServer::lingerAndClose(m_socket);
}

void HttpConnection::closeWhenAnswered()
{
    if (m_closing)
        return;
    m_upgradeAccepted = false; // the server is going away: a handshake still waiting is not handed over
    m_closeAfterAnswers = true;
    if (m_answers.empty())
        startClosing();
}

void HttpConnection::evict()
{
    if (phase() == Phase::Idle && !m_closing)
        m_socket->disconnectFromHost(); // nothing read, nothing owed: a plain close
    else
        m_socket->abort();
}

void HttpConnection::onDisconnected()
{
    m_closing = true;
    if (m_server && !std::exchange(m_forgotten, true))
        m_server->forget(this);
    m_socket->deleteLater(); // and this connection with it
}

// ------------------------------------------------------------------------------------------ deadlines

HttpConnection::Phase HttpConnection::phase() const
{
    if (m_closing)
        return Phase::Closing;
    if (!m_answers.empty() || m_handlingUpgrade || m_socket->bytesToWrite() > 0)
        return Phase::Busy;
    if (m_requestStartedAt != 0)
        return Phase::InRequest;
    return Phase::Idle;
}

qint64 HttpConnection::phaseSince() const
{
    switch (phase()) {
    case Phase::Closing:
        return 0;
    case Phase::InRequest:
        return m_requestStartedAt;
    case Phase::Idle:
        return m_lastActivity;
    case Phase::Busy:
        return m_lastWriteProgress;
    }
    return 0;
}

void HttpConnection::checkDeadlines(qint64 now)
{
    if (m_closing || !m_server)
        return;
    const HttpServer::Limits &limits = m_server->limits();
    if (m_socket->bytesToWrite() > 0) {
        // The client reads nothing of what we wrote: like nginx's send_timeout, without waiting on it.
        if (now - m_lastWriteProgress >= limits.sendTimeoutMs)
            m_socket->abort();
        return;
    }
    if (!m_answers.empty() || m_handlingUpgrade)
        return; // owed answers: the handler answers them
    if (m_requestStartedAt != 0) {
        const qint64 age = now - m_requestStartedAt;
        const bool inHead = m_framer.bodyRemaining() == 0;
        if ((inHead && age >= limits.headerTimeoutMs) || age >= limits.requestTimeoutMs)
            reject(408, u"Request Timeout"_s);
        return;
    }
    // A new connection gets the short head deadline for its first request; a kept-alive one the idle one.
    const qint64 allowed = m_completedRequests == 0 ? qMin(limits.headerTimeoutMs, limits.idleTimeoutMs)
                                                    : limits.idleTimeoutMs;
    if (now - m_lastActivity >= allowed)
        startClosing();
}

} // namespace agentdesk
