#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <functional>

namespace agentdesk {

// The ordering contract of Session over a WebSocket: a query's or command's answer is held back until
// a {"cmd":"ping"} sent after the answer arrived has been answered, so every event the answer reflects
// has been emitted before it. (The original answers ping with an "Unknown command" error, which orders
// just as well.) The same ping every 60 s keeps the connection inside the server's idle limit. Without
// an open channel, or once the server left a ping unanswered for too long, answers go out at once.
class RemotePingFence final : public QObject
{
    Q_OBJECT
public:
    // The context of a query or command, watched from the call on (a raw pointer could dangle by the
    // time the answer arrives). Unguarded (nullptr) contexts never go.
    struct Context
    {
        bool guarded = false;
        QPointer<QObject> object;
        bool isGone() const { return guarded && !object; }
    };
    static Context contextOf(QObject *object) { return {object != nullptr, object}; }

    // Where pings go: `isOpen` while a live WebSocket exists, `send` writes one text frame to it.
    struct Channel
    {
        std::function<bool()> isOpen;
        std::function<void(const QString &text)> send;
    };
    // Runs `call` later on the session's thread unless `context` is gone by then (Session::deliver).
    using Deliver = std::function<void(QObject *context, std::function<void()> call)>;

    static constexpr int kKeepAliveMs = 60000; // the server closes a WebSocket silent for 300 s (spec §6.1)
    static constexpr int kPatienceMs = 5000;   // an answer held for a ping goes out anyway after this long

    RemotePingFence(Channel channel, Deliver deliver, QObject *parent = nullptr, int patienceMs = kPatienceMs);

    // A new connection: nothing held, every ping answered, fencing on; keep-alive pings when `keepAlive`.
    void restart(bool keepAlive);
    // No more keep-alive pings (the channel went or is going).
    void stopKeepAlive();
    // close(): answers held are dropped.
    void clear();

    // Delivers `call` once every event before now has been emitted (see above).
    void deliverAfterPing(const Context &context, std::function<void()> call);
    // Delivers `call` without waiting (answers whose order does not matter, refusals).
    void deliverNow(const Context &context, std::function<void()> call);
    // The server answered a ping (a pong, or the original's "Unknown command: ping").
    void onPong();
    // Every answer held goes out now (the connection went: they are as good as they were).
    void releaseAll();

signals:
    // Events that arrived before a ping's answer must be emitted before the answers it releases.
    void flushDue();

private:
    struct Fence
    {
        quint64 ping = 0; // released once this many pings have been answered
        Context context;
        std::function<void()> call;
    };

    void sendPing();
    void release(quint64 answered);
    void onPatienceLost();

    Channel m_channel;
    Deliver m_deliver;
    int m_patienceMs;
    QTimer m_keepAliveTimer;
    QTimer m_patienceTimer;
    QList<Fence> m_fences;
    quint64 m_pingsSent = 0;
    quint64 m_pingsAnswered = 0;
    bool m_pingQueued = false;
    bool m_fencing = true; // off once the server left a ping unanswered
};

} // namespace agentdesk
