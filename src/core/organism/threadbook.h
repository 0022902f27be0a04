#pragma once

#include "domain/records.h"

#include <QHash>
#include <QSet>
#include <QStringList>

#include <deque>
#include <functional>
#include <utility>

namespace agentdesk {

// The threads the organism holds in memory: every active one, and a finished one until its final row
// is committed (so a read never misses it). Counts each thread's messages and participants, knows
// which rows have changed since they were last written, and which threads wait for a commit to
// complete or to leave memory. The history itself is the caller's: rows go out through `save`.
class ThreadBook
{
public:
    using Save = std::function<void(const ThreadInfo &)>;
    using HasWork = std::function<bool(const QString &threadId)>;

    // Takes a thread into memory (new, or back from the history).
    ThreadInfo *adopt(const ThreadInfo &thread);
    ThreadInfo *find(const QString &id);
    const ThreadInfo *find(const QString &id) const;
    QStringList ids() const { return m_threads.keys(); }
    int activeCount() const { return m_active; }

    // A message recorded in its thread (created here on its first message: true then).
    bool noteMessage(const MessageRecord &message);
    void setStatus(ThreadInfo &thread, ThreadStatus status, const QString &error);

    // Rows to write: a thread's row is written when it starts and when its status changes; in between,
    // periodically (the caller's timer), before a listing and at shutdown.
    void markSaved(const QString &id) { m_dirty.remove(id); } // the caller wrote it
    void markAllDirty();
    void saveDirty(const Save &save);
    // Writes the rows of these finished threads now; true while other rows wait for the periodic save.
    bool saveFinished(const QList<ThreadInfo> &finished, const Save &save);

    // A thread whose work is done completes once `ticket` (its last messages) is committed.
    void completeAfter(quint64 ticket, const QString &id) { m_completing.emplace_back(ticket, id); }
    // Finished threads leave memory once `ticket` (their final row) is committed.
    void retireAfter(quint64 ticket, const QList<ThreadInfo> &finished);
    // Lets finished threads whose final row is committed go, and returns the threads that complete
    // now (still active, no work left), in the order they drained.
    QStringList releaseCommitted(quint64 committed, const HasWork &hasWork);

    void clear();

private:
    QHash<QString, ThreadInfo> m_threads;
    int m_active = 0; // of m_threads
    QSet<QString> m_dirty;
    std::deque<std::pair<quint64, QString>> m_retiring;
    std::deque<std::pair<quint64, QString>> m_completing;
};

} // namespace agentdesk
