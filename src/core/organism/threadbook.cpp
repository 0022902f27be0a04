#include "threadbook.h"

namespace agentdesk {

ThreadInfo *ThreadBook::adopt(const ThreadInfo &thread)
{
    m_active += thread.status == ThreadStatus::Active;
    return &m_threads.insert(thread.id, thread).value();
}

ThreadInfo *ThreadBook::find(const QString &id)
{
    auto it = m_threads.find(id);
    return it == m_threads.end() ? nullptr : &it.value();
}

const ThreadInfo *ThreadBook::find(const QString &id) const
{
    auto it = m_threads.constFind(id);
    return it == m_threads.cend() ? nullptr : &it.value();
}

bool ThreadBook::noteMessage(const MessageRecord &message)
{
    ThreadInfo *thread = find(message.threadId);
    const bool created = !thread;
    if (created) {
        ThreadInfo fresh;
        fresh.id = message.threadId;
        fresh.createdAt = message.timestamp;
        thread = adopt(fresh);
    }
    if (!thread->participants.contains(message.from))
        thread->participants.append(message.from);
    if (!thread->participants.contains(message.to))
        thread->participants.append(message.to);
    ++thread->messageCount;
    thread->lastActivity = message.timestamp;
    m_dirty.insert(thread->id);
    return created;
}

void ThreadBook::setStatus(ThreadInfo &thread, ThreadStatus status, const QString &error)
{
    m_active += (status == ThreadStatus::Active) - (thread.status == ThreadStatus::Active);
    thread.status = status;
    thread.error = error;
    thread.lastActivity = QDateTime::currentDateTimeUtc();
    m_dirty.insert(thread.id);
}

void ThreadBook::markAllDirty()
{
    for (auto it = m_threads.cbegin(); it != m_threads.cend(); ++it)
        m_dirty.insert(it.key());
}

void ThreadBook::saveDirty(const Save &save)
{
    for (const QString &id : std::as_const(m_dirty)) {
        if (const ThreadInfo *thread = find(id))
            save(*thread);
    }
    m_dirty.clear();
}

bool ThreadBook::saveFinished(const QList<ThreadInfo> &finished, const Save &save)
{
    for (const ThreadInfo &thread : finished) {
        if (m_dirty.remove(thread.id))
            save(thread);
    }
    return !m_dirty.isEmpty();
}

void ThreadBook::retireAfter(quint64 ticket, const QList<ThreadInfo> &finished)
{
    for (const ThreadInfo &thread : finished) {
        if (thread.status != ThreadStatus::Active)
            m_retiring.emplace_back(ticket, thread.id);
    }
}

QStringList ThreadBook::releaseCommitted(quint64 committed, const HasWork &hasWork)
{
    while (!m_retiring.empty() && m_retiring.front().first <= committed) {
        auto it = m_threads.find(m_retiring.front().second);
        m_retiring.pop_front();
        if (it != m_threads.end() && it->status != ThreadStatus::Active && !hasWork(it->id))
            m_threads.erase(it);
    }
    QStringList completed;
    while (!m_completing.empty() && m_completing.front().first <= committed) {
        const QString id = m_completing.front().second;
        m_completing.pop_front();
        const ThreadInfo *thread = find(id);
        if (thread && thread->status == ThreadStatus::Active && !hasWork(id) && !completed.contains(id))
            completed.append(id);
    }
    return completed;
}

void ThreadBook::clear()
{
    m_threads.clear();
    m_active = 0;
    m_retiring.clear();
    m_completing.clear();
}

} // namespace agentdesk
