#include "threadhold.h"

#include "threadrows.h"

#include <algorithm>

namespace agentdesk {

ThreadHold::ThreadHold(ThreadRows &rows, Refresh refresh, QObject *parent)
    : QObject(parent)
    , m_rows(rows)
    , m_refresh(std::move(refresh))
{ }

void ThreadHold::setFollowing(bool following)
{
    if (following == m_following)
        return;
    m_following = following;
    emit followingChanged(following);
    if (!isHolding())
        release();
}

void ThreadHold::setFrozen(bool frozen)
{
    if (frozen == m_frozen)
        return;
    m_frozen = frozen;
    if (!isHolding())
        release();
}

void ThreadHold::admit(const QList<ThreadRow> &rows)
{
    if (isHolding())
        wait(rows);
    else
        m_rows.insert(rows);
}

void ThreadHold::trim()
{
    if (!isHolding())
        m_rows.trim();
}

ThreadRow *ThreadHold::findWaiting(const QString &threadId)
{
    const auto found = std::find_if(m_waiting.begin(), m_waiting.end(),
                                    [&threadId](const ThreadRow &row) { return row.info.id == threadId; });
    return found == m_waiting.end() ? nullptr : &*found;
}

void ThreadHold::dropWaiting(const QString &threadId)
{
    if (m_waiting.removeIf([&threadId](const ThreadRow &row) { return row.info.id == threadId; }) > 0)
        emit pendingCountChanged(pendingCount());
}

void ThreadHold::leave(const QString &threadId)
{
    if (isHolding())
        m_leaving.insert(threadId);
    else
        m_rows.removeAt(m_rows.rowOf(threadId));
}

void ThreadHold::orderChanged()
{
    if (isHolding())
        m_orderStale = true;
    else
        m_rows.restoreOrder();
}

void ThreadHold::clear()
{
    const bool hadWaiting = !m_waiting.isEmpty();
    m_waiting.clear();
    m_leaving.clear();
    m_orderStale = false;
    if (hadWaiting)
        emit pendingCountChanged(0);
}

// Waiting threads keep their order of arrival; beyond the window's limit only the newest are kept (the
// others are in the store, a fetchMore away, and still counted).
void ThreadHold::wait(const QList<ThreadRow> &rows)
{
    m_waiting.append(rows);
    if (m_waiting.size() > m_rows.limit()) {
        m_waiting.remove(0, m_waiting.size() - m_rows.limit());
        m_rows.setHasMore(true);
    }
    emit pendingCountChanged(pendingCount());
}

void ThreadHold::release()
{
    for (const QString &id : std::exchange(m_leaving, {}))
        m_rows.removeAt(m_rows.rowOf(id));
    QList<ThreadRow> waiting = std::exchange(m_waiting, {});
    if (!waiting.isEmpty()) {
        for (ThreadRow &row : waiting)
            m_refresh(row);
        m_rows.insert(waiting);
        emit pendingCountChanged(0);
    }
    if (std::exchange(m_orderStale, false))
        m_rows.restoreOrder();
    m_rows.trim();
}

} // namespace agentdesk
