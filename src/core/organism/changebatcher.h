#pragma once

#include "domain/records.h"
#include "domain/usage.h"
#include "domain/budgets.h"

#include <QList>
#include <QSet>
#include <QStringList>

#include <deque>
#include <functional>

class QObject;

namespace agentdesk {

// One tick's changes, announced together once the history has committed `ticket` (the messages
// they carry): whoever reads after an event finds what it announced.
struct ChangeBatch
{
    quint64 ticket = 0;
    QList<ThreadInfo> created;
    QList<MessageRecord> messages;
    QList<AgentInfo> agents;
    QList<ThreadInfo> updated;
    QList<ErrorEvent> errors;
    QList<UsageEvent> usage;
    QList<BudgetEvent> budgets;
    bool usageStateChanged = false;
};

// Collects the changes of one event-loop tick (at most one flush per tick, however many changes) and
// holds the batches they become until the history has committed what each carries, then hands them
// out oldest first. Threads and agents are collected by id: their state at the flush is what goes out.
class ChangeBatcher
{
public:
    // `flush` runs once on the next pass of `context`'s event loop after the first change of a tick.
    ChangeBatcher(QObject *context, std::function<void()> flush);

    void messageRecorded(const MessageRecord &message);
    void threadCreated(const QString &threadId);
    void threadUpdated(const QString &threadId);
    void agentChanged(const QString &agent); // counted, or its state changed
    void errorRaised(const ErrorEvent &error);
    void usageMetered(const UsageEvent &event);
    void budgetChanged(const BudgetEvent &event);
    void usageStateChanged();

    // Asks for a flush without a change (e.g. to persist and announce what the agents did).
    void schedule();
    bool isScheduled() const { return m_scheduled; }

    // What the tick collected: the batch (without its ticket, threads and agents) and the ids to fill
    // them in from. Clears the tick: the next change schedules a new flush.
    struct Tick
    {
        ChangeBatch batch;
        QStringList createdThreads;
        QStringList updatedThreads;
        QSet<QString> changedAgents;
    };
    Tick take();

    void queue(ChangeBatch batch);
    // Hands out, oldest first, every queued batch whose ticket is committed.
    void releaseCommitted(quint64 committed, const std::function<void(const ChangeBatch &)> &announce);

private:
    QObject *m_context;
    std::function<void()> m_flush;
    bool m_scheduled = false;
    Tick m_tick;
    std::deque<ChangeBatch> m_waiting;
};

} // namespace agentdesk
