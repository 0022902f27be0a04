#pragma once

#include "threadrow.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

namespace agentdesk {

class Session;
class ThreadHold;
class ThreadLoader;
class ThreadRows;
struct BudgetEvent;
struct UsageEvent;

// The session's live batches applied to the thread list: new threads admitted (one insert per batch),
// messages counted, snapshots merged, budgets and usage taken, threads that left the filter out, the
// filtered total kept honest. Threads it hears of that are not in the window are looked up once the turn
// of the event loop ends; with an agent filter, a new thread waits as a candidate until its messages show
// whether the agent takes part. Ignored while the first page is on its way (it already reflects them).
class ThreadLiveUpdates final : public QObject
{
    Q_OBJECT
public:
    ThreadLiveUpdates(Session *session, ThreadRows &rows, ThreadHold &hold, ThreadLoader &loader,
                      QObject *parent = nullptr);

    void onCreated(const QList<ThreadInfo> &created);
    void onMessages(const QList<MessageRecord> &batch);
    void onUpdated(const QList<ThreadInfo> &updated);
    void onBudgetEvents(const QList<BudgetEvent> &events);
    void onBudgets();
    void onUsage(const QList<UsageEvent> &events);

    void clear(); // the list is loaded again: forgets candidates and look-ups

signals:
    // Rows changed in place: before[i] is what rows[i] was (the model tells views which cells changed).
    void rowsChanged(const QList<ThreadRow> &before, const QList<int> &rows);

private:
    // Rows changed in one batch, each noted once with what it was before.
    struct Touched
    {
        QList<ThreadRow> before;
        QList<int> rows;
        ThreadRow &edit(ThreadRows &store, int row);
    };
    ThreadRow newRow(const ThreadInfo &info, ThreadRow::Merge merge) const;
    void queueResolve();
    void resolveUnknown();

    Session *m_session;
    ThreadRows &m_rows;
    ThreadHold &m_hold;
    ThreadLoader &m_loader;
    QHash<QString, ThreadRow> m_candidates; // new threads that may match the agent filter once their messages come
    QSet<QString> m_unknown;                // got messages or updates, not in the window: looked up once this turn ends
    QSet<QString> m_resolving;              // looked up, answer pending
    bool m_resolveQueued = false;
};

} // namespace agentdesk
