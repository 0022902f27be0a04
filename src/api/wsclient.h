#pragma once

#include "wsfilter.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QWebSocketProtocol>

#include <deque>

class QTcpSocket;
class QWebSocket;

namespace agentdesk {

// One WebSocket subscriber: its filter, an idle timer reset by anything the client sends (control
// frames included, seen on the raw socket), and a bounded send queue. A client that stops reading
// is closed with 1008 once its queue is full, so it never holds memory or the event loop hostage.
class WsClient : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Control, Messages }; // /ws, /ws/messages

    struct Limits
    {
        qint64 maxQueuedBytes = 8 << 20;
        int maxQueuedFrames = 20000;
        int idleTimeoutMs = 300000;
        qint64 maxIncomingMessageBytes = 1 << 20;
        int closeGraceMs = 5000; // how long a closing client may take to answer our close frame
    };

    WsClient(QWebSocket *socket, QTcpSocket *rawSocket, Kind kind, const Limits &limits, QObject *parent = nullptr);
    ~WsClient() override;

    Kind kind() const { return m_kind; }
    QHostAddress peerAddress() const { return m_peerAddress; }
    // Who the connection counts under for the per-client limit (PeerOwner::key).
    QString owner() const { return m_owner; }
    void setOwner(const QString &key) { m_owner = key; }
    bool isOpen() const { return !m_closing; }
    WsFilter &filter() { return m_filter; }
    const WsFilter &filter() const { return m_filter; }
    qint64 framesSent() const { return m_framesSent; }
    int queuedFrames() const { return int(m_pendingEnds.size()); }

    // A complete unmasked text frame (header + UTF-8 payload), built once per event and written as
    // is to every subscriber: neither serialisation nor framing is repeated per client.
    static QByteArray textFrame(const QByteArray &utf8);

    // Queues a frame made by textFrame(). False if the client is closing, or its queue overflowed
    // (it is then being closed with 1008).
    bool send(const QByteArray &frame);
    bool sendText(const QString &text) { return send(textFrame(text.toUtf8())); }
    void closeWith(QWebSocketProtocol::CloseCode code, const QString &reason);

signals:
    void textReceived(agentdesk::WsClient *client, const QString &text);
    void finished(agentdesk::WsClient *client);

private:
    void touch();
    void onBytesWritten(qint64 bytes);

    QWebSocket *m_socket;
    QPointer<QTcpSocket> m_raw;
    Kind m_kind;
    Limits m_limits;
    QHostAddress m_peerAddress;
    QString m_owner;
    WsFilter m_filter;
    QTimer m_idle;
    bool m_closing = false;
    bool m_finished = false;
    qint64 m_framesSent = 0;
    qint64 m_queuedTotal = 0;         // bytes handed to the socket, frame headers estimated
    qint64 m_writtenTotal = 0;        // bytes the socket reports written
    std::deque<qint64> m_pendingEnds; // cumulative end offset of each frame not yet written
};

} // namespace agentdesk
