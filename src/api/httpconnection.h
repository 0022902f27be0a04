#pragma once

#include "httprequestframer.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <deque>

class QTcpSocket;

namespace agentdesk {

class HttpServer;

// One request as the connection hands it to the server's request handler.
struct HttpRequest
{
    HttpRequestFramer::RequestHead head;
    QByteArray body;
    bool closeRequested = false; // Connection: close, or HTTP/1.0 without keep-alive
    bool upgrade = false;        // a WebSocket handshake: answer with refuse…() or acceptUpgrade()
};

// One HTTP/1.1 client connection: reads and frames its requests one at a time, hands each to the
// server's handler, and writes the answers in request order, also when one is produced later
// (reserveAnswer()/fulfil()). It stops reading while too much output waits for the client, or too
// many answers are owed; it closes after `Connection: close`, after a rejection (lingering, so the
// client reads the status), and when the server's sweep finds a deadline passed. A WebSocket
// handshake is left unread in the socket and the socket handed to the server's QWebSocketServer.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    HttpConnection(HttpServer *server, QTcpSocket *socket, const QHostAddress &client);
    ~HttpConnection() override;

    // --- for the request handler: every request gets exactly one answer, in order
    void respond(const QByteArray &response);
    // Takes the current request's place in the answer order; fulfil() fills it later (or never, if
    // the connection is gone by then: both are no-ops on a closed connection).
    quint64 reserveAnswer();
    void fulfil(quint64 reservation, const QByteArray &response);
    // Answers, then closes (lingering); nothing after the current request is read.
    void respondAndClose(const QByteArray &response);
    // The WebSocket handshake just passed to the handler goes to the WebSocket server, once every
    // answer owed before it has been written.
    void acceptUpgrade();

    QHostAddress peerAddress() const { return m_peerAddress; }
    // The client as the server counts it (the peer address, IPv4-mapped addresses unmapped).
    const QHostAddress &client() const { return m_client; }
    QTcpSocket *socket() const { return m_socket; }

    // --- for the server
    enum class Phase {
        Idle,      // between requests (or none yet), nothing owed, nothing unwritten
        InRequest, // part of a request has arrived
        Busy,      // answers owed or output unwritten
        Closing,   // lingering after its last answer
    };
    Phase phase() const;
    // Since when the connection is in its phase (ms on the server's clock), for eviction order.
    qint64 phaseSince() const;
    bool readingPaused() const { return m_paused; }
    // Applies the deadlines of Limits; called by the server's sweep.
    void checkDeadlines(qint64 nowMs);
    // Closes to make room for another client: abort() unless it is idle (then a plain close).
    void evict();
    // Closes now if nothing is owed, else right after the last answer owed is written.
    void closeWhenAnswered();

private:
    void process();
    bool canRead() const;
    bool readHead();
    bool readBody();
    void dispatch(bool upgrade);
    void reject(int status, const QString &detail);
    void writeInOrder(const QByteArray &response);
    void sendReadyAnswers();
    void afterAnswersWritten();
    void scheduleProcess();
    void startClosing();
    void onBytesWritten();
    void onDisconnected();
    qint64 backlog() const;

    QPointer<HttpServer> m_server;
    QTcpSocket *m_socket;
    QHostAddress m_peerAddress;
    QHostAddress m_client;
    HttpRequestFramer m_framer;
    QByteArray m_body;          // of the request being read
    qint64 m_headBytesRead = 0; // read inside the open read transaction (the current head)

    // Answers waiting for an earlier, reserved one.
    struct Answer
    {
        quint64 reservation = 0; // 0: ready to go
        QByteArray bytes;
    };
    std::deque<Answer> m_answers;
    qint64 m_queuedBytes = 0; // ready answers waiting in m_answers
    int m_owed = 0;           // reservations not yet fulfilled
    quint64 m_nextReservation = 1;

    // Clock (ms) of the last thing that happened, per kind; see checkDeadlines().
    qint64 m_lastActivity = 0;
    qint64 m_requestStartedAt = 0; // 0: not in a request
    qint64 m_lastWriteProgress = 0;
    int m_completedRequests = 0;

    bool m_paused = false; // stopped reading: too much output or too many answers owed
    bool m_processScheduled = false;
    bool m_closeAfterAnswers = false;
    bool m_upgradeAccepted = false;
    bool m_handlingUpgrade = false; // the handshake is with the handler or waits for earlier answers
    bool m_closing = false;         // lingering or closed: read nothing more, answer nothing more
    bool m_forgotten = false;
};

} // namespace agentdesk
