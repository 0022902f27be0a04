#include "changebatcher.h"

#include <QMetaObject>
#include <QObject>

namespace agentdesk {

ChangeBatcher::ChangeBatcher(QObject *context, std::function<void()> flush)
    : m_context(context)
    , m_flush(std::move(flush))
{ }

void ChangeBatcher::messageRecorded(const MessageRecord &message)
{
    m_tick.batch.messages.append(message);
    schedule();
}

void ChangeBatcher::threadCreated(const QString &threadId)
{
    m_tick.createdThreads.append(threadId);
    schedule();
}

void ChangeBatcher::threadUpdated(const QString &threadId)
{
    if (!m_tick.updatedThreads.contains(threadId))
        m_tick.updatedThreads.append(threadId);
    schedule();
}

void ChangeBatcher::agentChanged(const QString &agent)
{
    m_tick.changedAgents.insert(agent);
    schedule();
}

void ChangeBatcher::errorRaised(const ErrorEvent &error)
{
    m_tick.batch.errors.append(error);
    schedule();
}

void ChangeBatcher::usageMetered(const UsageEvent &event)
{
    m_tick.batch.usage.append(event);
    schedule();
}

void ChangeBatcher::budgetChanged(const BudgetEvent &event)
{
    m_tick.batch.budgets.append(event);
    schedule();
}

void ChangeBatcher::usageStateChanged()
{
    m_tick.batch.usageStateChanged = true;
    schedule();
}

void ChangeBatcher::schedule()
{
    if (m_scheduled)
        return;
    m_scheduled = true;
    QMetaObject::invokeMethod(
        m_context, [flush = m_flush] { flush(); }, Qt::QueuedConnection);
}

ChangeBatcher::Tick ChangeBatcher::take()
{
    m_scheduled = false;
    return std::exchange(m_tick, {});
}

void ChangeBatcher::queue(ChangeBatch batch)
{
    m_waiting.push_back(std::move(batch));
}

void ChangeBatcher::releaseCommitted(quint64 committed, const std::function<void(const ChangeBatch &)> &announce)
{
    while (!m_waiting.empty() && m_waiting.front().ticket <= committed) {
        const ChangeBatch batch = std::move(m_waiting.front());
        m_waiting.pop_front();
        announce(batch);
    }
}

} // namespace agentdesk
