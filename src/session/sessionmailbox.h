#pragma once

#include <QMutex>
#include <QObject>

#include <functional>

namespace agentdesk {

// Hands work from the engine thread to a receiver living on another thread, safely even while the
// receiver is being destroyed: post() and close() serialise on one mutex, and Qt discards events
// already queued for a receiver when it is destroyed. Shared (std::shared_ptr) by the receiver and
// every engine-side lambda, so it outlives both.
class SessionMailbox
{
public:
    explicit SessionMailbox(QObject *receiver);
    Q_DISABLE_COPY_MOVE(SessionMailbox)

    // Any thread: queues `call` to run on the receiver's thread, or drops it once closed.
    void post(std::function<void()> call);
    // The receiver's thread: nothing posted after this runs.
    void close();
    bool isOpen() const;

private:
    mutable QMutex m_mutex;
    QObject *m_receiver;
};

} // namespace agentdesk
