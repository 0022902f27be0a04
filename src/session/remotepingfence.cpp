#include "remotepingfence.h"

#include <QLoggingCategory>

#include <limits>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcRemote)

namespace agentdesk {

namespace {
const QString kPingCommand = uR"({"cmd":"ping"})"_s;
}

RemotePingFence::RemotePingFence(Channel channel, Deliver deliver, QObject *parent, int patienceMs)
    : QObject(parent)
    , m_channel(std::move(channel))
    , m_deliver(std::move(deliver))
    , m_patienceMs(patienceMs)
{
    m_keepAliveTimer.setInterval(kKeepAliveMs);
    connect(&m_keepAliveTimer, &QTimer::timeout, this, &RemotePingFence::sendPing);
    m_patienceTimer.setSingleShot(true);
    connect(&m_patienceTimer, &QTimer::timeout, this, &RemotePingFence::onPatienceLost);
}

void RemotePingFence::restart(bool keepAlive)
{
    m_fences.clear();
    m_pingsSent = m_pingsAnswered = 0;
    m_fencing = true;
    if (keepAlive)
        m_keepAliveTimer.start();
}

void RemotePingFence::stopKeepAlive()
{
    m_keepAliveTimer.stop();
}

void RemotePingFence::clear()
{
    m_keepAliveTimer.stop();
    m_patienceTimer.stop();
    m_fences.clear();
}

void RemotePingFence::deliverAfterPing(const Context &context, std::function<void()> call)
{
    if (context.isGone())
        return;
    if (!m_channel.isOpen() || !m_fencing) {
        m_deliver(context.object.data(), std::move(call));
        return;
    }
    m_fences.append(Fence{m_pingsSent + 1, context, std::move(call)});
    if (!m_pingQueued) {
        // One ping for every answer that arrives in this event-loop turn.
        m_pingQueued = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_pingQueued = false;
                if (!m_fences.isEmpty() && m_fences.last().ping > m_pingsSent)
                    sendPing();
            },
            Qt::QueuedConnection);
    }
    if (!m_patienceTimer.isActive())
        m_patienceTimer.start(m_patienceMs);
}

void RemotePingFence::deliverNow(const Context &context, std::function<void()> call)
{
    if (!context.isGone())
        m_deliver(context.object.data(), std::move(call));
}

void RemotePingFence::sendPing()
{
    if (!m_channel.isOpen())
        return;
    m_channel.send(kPingCommand);
    ++m_pingsSent;
}

void RemotePingFence::onPong()
{
    if (m_pingsAnswered < m_pingsSent)
        ++m_pingsAnswered;
    emit flushDue();
    release(m_pingsAnswered);
}

void RemotePingFence::releaseAll()
{
    release(std::numeric_limits<quint64>::max());
}

void RemotePingFence::release(quint64 answered)
{
    while (!m_fences.isEmpty() && m_fences.first().ping <= answered) {
        Fence fence = m_fences.takeFirst();
        if (!fence.context.isGone())
            m_deliver(fence.context.object.data(), std::move(fence.call));
    }
    if (m_fences.isEmpty())
        m_patienceTimer.stop();
    else
        m_patienceTimer.start(m_patienceMs);
}

void RemotePingFence::onPatienceLost()
{
    // A server that does not answer pings at all would delay every answer: stop waiting for them.
    qCWarning(lcRemote) << "the server did not answer a ping in time; answers are no longer held for pings";
    m_fencing = false;
    emit flushDue();
    releaseAll();
}

} // namespace agentdesk
