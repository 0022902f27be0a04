#pragma once

#include "threadrow.h"

#include <QList>
#include <QObject>
#include <QSet>

#include <functional>

namespace agentdesk {

class ThreadRows;

// Follow or hold, for the thread list (as the message log has it). Following, new threads go in at once
// and rows that became more recent move up. Held (setFollowing(false)) or frozen for a moment
// (setFrozen(true): the pointer is on the list, a click must hit the row it aims at), no row moves: new
// threads wait here (pendingCount()), cells still update in place, rows that stopped matching the filter
// stay until the hold ends, and so does a new order. When the hold ends, all of it happens at once.
class ThreadHold final : public QObject
{
    Q_OBJECT
public:
    // refresh: brings a waiting row up to date as it goes in (what moved on while it waited).
    using Refresh = std::function<void(ThreadRow &row)>;

    ThreadHold(ThreadRows &rows, Refresh refresh, QObject *parent = nullptr);

    bool isFollowing() const { return m_following; }
    void setFollowing(bool following);
    bool isFrozen() const { return m_frozen; }
    void setFrozen(bool frozen);
    bool isHolding() const { return !m_following || m_frozen; }

    // Threads that newly belong to the list: shown at once, or waiting while holding.
    void admit(const QList<ThreadRow> &rows);
    // The rows beyond the window's limit drop out, unless holding (nothing moves then).
    void trim();

    int pendingCount() const { return int(m_waiting.size()); }
    // The waiting rows, oldest first: updated in place as their threads move on.
    QList<ThreadRow> &waiting() { return m_waiting; }
    ThreadRow *findWaiting(const QString &threadId);
    void dropWaiting(const QString &threadId); // it no longer matches the filter

    // A shown row that stopped matching: removed when the hold ends (at once when not holding).
    void leave(const QString &threadId);
    bool isLeaving(const QString &threadId) const { return m_leaving.contains(threadId); }
    // Shown rows changed order: restored at once, or when the hold ends.
    void orderChanged();

    void clear(); // the list is loaded again: nothing waits

signals:
    void followingChanged(bool following);
    void pendingCountChanged(int count);

private:
    void wait(const QList<ThreadRow> &rows);
    void release();

    ThreadRows &m_rows;
    Refresh m_refresh;
    QList<ThreadRow> m_waiting; // admitted while holding, oldest first
    QSet<QString> m_leaving;
    bool m_orderStale = false;
    bool m_following = true;
    bool m_frozen = false;
};

} // namespace agentdesk
