#include "threadliveupdates.h"

#include "threadhold.h"
#include "threadloader.h"
#include "threadrows.h"

#include "session.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

constexpr qsizetype kMaxCandidates = 5000;

bool containsThread(const QList<ThreadRow> &rows, const QString &threadId)
{
    return std::any_of(rows.cbegin(), rows.cend(),
                       [&threadId](const ThreadRow &row) { return row.info.id == threadId; });
}

} // namespace

ThreadLiveUpdates::ThreadLiveUpdates(Session *session, ThreadRows &rows, ThreadHold &hold, ThreadLoader &loader,
                                     QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_rows(rows)
    , m_hold(hold)
    , m_loader(loader)
{ }

ThreadRow &ThreadLiveUpdates::Touched::edit(ThreadRows &store, int row)
{
    if (!rows.contains(row)) {
        rows.append(row);
        before.append(store.at(row));
    }
    return store.edit(row);
}

ThreadRow ThreadLiveUpdates::newRow(const ThreadInfo &info, ThreadRow::Merge merge) const
{
    return ThreadRow::from(info, merge, m_session->budget(info.id));
}

void ThreadLiveUpdates::clear()
{
    m_candidates.clear();
    m_unknown.clear();
    m_resolving.clear();
}

void ThreadLiveUpdates::onCreated(const QList<ThreadInfo> &created)
{
    if (m_loader.isLoading())
        return;
    const ThreadFilter &filter = m_loader.filter();
    QList<ThreadRow> fresh;
    for (const ThreadInfo &info : created) {
        if (m_rows.contains(info.id) || m_candidates.contains(info.id) || m_hold.findWaiting(info.id)
            || containsThread(fresh, info.id))
            continue;
        ThreadRow row = newRow(info, ThreadRow::Merge::Created);
        if (!filter.agent.isEmpty()) {
            // It takes part once its messages say so.
            if (m_candidates.size() >= kMaxCandidates)
                m_candidates.clear();
            m_candidates.insert(info.id, row);
            continue;
        }
        if (filter.matches(row.info))
            fresh.append(row);
    }
    if (fresh.isEmpty())
        return;
    m_loader.setTotal(m_loader.total() + fresh.size());
    m_hold.admit(fresh);
    m_hold.trim();
}

void ThreadLiveUpdates::onMessages(const QList<MessageRecord> &batch)
{
    if (m_loader.isLoading())
        return;
    Touched touched;
    QList<ThreadRow> promoted;
    QHash<QString, qsizetype> waitingAt;
    QList<ThreadRow> &waiting = m_hold.waiting();
    for (qsizetype i = 0; i < waiting.size(); ++i)
        waitingAt.insert(waiting.at(i).info.id, i);
    for (const MessageRecord &message : batch) {
        if (const int row = m_rows.rowOf(message.threadId); row >= 0) {
            touched.edit(m_rows, row).apply(message);
            continue;
        }
        if (const auto at = waitingAt.constFind(message.threadId); at != waitingAt.cend()) {
            waiting[*at].apply(message);
            continue;
        }
        if (auto candidate = m_candidates.find(message.threadId); candidate != m_candidates.end()) {
            candidate->apply(message);
            if (m_loader.filter().matches(candidate->info)) {
                promoted.append(*candidate);
                m_candidates.erase(candidate);
            }
            continue;
        }
        if (containsThread(promoted, message.threadId))
            continue; // counted from the candidate's messages already
        if (!m_resolving.contains(message.threadId) && !m_hold.isLeaving(message.threadId))
            m_unknown.insert(message.threadId);
    }
    emit rowsChanged(touched.before, touched.rows);
    if (!promoted.isEmpty()) {
        m_loader.setTotal(m_loader.total() + promoted.size());
        m_hold.admit(promoted);
    }
    if (!touched.rows.isEmpty() || !m_hold.isHolding())
        m_hold.orderChanged();
    m_hold.trim();
    // A thread created in this tick is announced just before its messages, so by the time this turn of
    // the event loop ends, only threads outside the window are still unknown.
    queueResolve();
}

void ThreadLiveUpdates::onUpdated(const QList<ThreadInfo> &updated)
{
    if (m_loader.isLoading())
        return;
    const ThreadFilter &filter = m_loader.filter();
    Touched touched;
    QList<QString> leavers;
    qint64 total = m_loader.total();
    for (const ThreadInfo &info : updated) {
        if (const int row = m_rows.rowOf(info.id); row >= 0) {
            const bool matched = filter.matches(m_rows.at(row).info);
            ThreadRow &edited = touched.edit(m_rows, row);
            edited.merge(info, ThreadRow::Merge::Update);
            if (matched && !filter.matches(edited.info) && !leavers.contains(info.id)) {
                leavers.append(info.id);
                --total;
            }
            continue;
        }
        if (ThreadRow *waiting = m_hold.findWaiting(info.id)) {
            waiting->merge(info, ThreadRow::Merge::Update);
            if (!filter.matches(waiting->info)) {
                --total;
                m_hold.dropWaiting(info.id);
            }
            continue;
        }
        if (auto candidate = m_candidates.find(info.id); candidate != m_candidates.end()) {
            candidate->merge(info, ThreadRow::Merge::Update);
            continue;
        }
        if (m_hold.isLeaving(info.id))
            continue;
        // Outside the window. Threads only ever leave `active`: with a status filter that tells whether
        // this one just arrived in the filter or just left it.
        if (filter.status) {
            if (info.status == *filter.status)
                ++total;
            else if (*filter.status == ThreadStatus::Active)
                --total;
            if (!filter.agent.isEmpty())
                m_loader.scheduleRecount(); // whether it took part is not known here
        }
        if (!m_resolving.contains(info.id))
            m_unknown.insert(info.id);
    }
    emit rowsChanged(touched.before, touched.rows);
    m_loader.setTotal(total);
    for (const QString &id : std::as_const(leavers))
        m_hold.leave(id);
    if (!touched.rows.isEmpty() || !m_hold.isHolding())
        m_hold.orderChanged();
    queueResolve();
}

void ThreadLiveUpdates::queueResolve()
{
    if (!m_unknown.isEmpty() && !m_resolveQueued) {
        m_resolveQueued = true;
        QMetaObject::invokeMethod(this, &ThreadLiveUpdates::resolveUnknown, Qt::QueuedConnection);
    }
}

void ThreadLiveUpdates::resolveUnknown()
{
    m_resolveQueued = false;
    const QSet<QString> unknown = std::exchange(m_unknown, {});
    for (const QString &id : unknown) {
        if (m_rows.contains(id) || m_resolving.contains(id))
            continue;
        m_resolving.insert(id);
        m_session->fetchThread(id, this,
                               [this, id, generation = m_loader.generation()](const Result<ThreadInfo> &thread) {
                                   if (generation != m_loader.generation())
                                       return;
                                   m_resolving.remove(id);
                                   if (!thread || m_rows.contains(id) || !m_loader.filter().matches(*thread))
                                       return;
                                   if (m_hold.findWaiting(id))
                                       return;
                                   if (!m_loader.filter().agent.isEmpty())
                                       m_loader.scheduleRecount(); // it may have just joined the agent's threads
                                   m_hold.admit({newRow(*thread, ThreadRow::Merge::Replace)});
                                   m_hold.trim();
                               });
    }
}

void ThreadLiveUpdates::onBudgetEvents(const QList<BudgetEvent> &events)
{
    if (m_loader.isLoading())
        return;
    Touched touched;
    for (const BudgetEvent &event : events) {
        const int row = m_rows.rowOf(event.threadId);
        if (row < 0 || event.scope != u"thread"_s) // an agent's or the organism's budget: not the thread's
            continue;
        touched.edit(m_rows, row).spent.takeBudget(event.budget);
    }
    emit rowsChanged(touched.before, touched.rows);
}

// A finished thread's budget disappears from the list; its row keeps what it spent.
void ThreadLiveUpdates::onBudgets()
{
    if (m_loader.isLoading())
        return;
    Touched touched;
    for (const ThreadBudget &budget : m_session->budgets()) {
        const int row = m_rows.rowOf(budget.threadId);
        if (row < 0 || touched.rows.contains(row))
            continue;
        touched.edit(m_rows, row).spent.takeBudget(budget);
    }
    emit rowsChanged(touched.before, touched.rows);
}

// Every metered call of a thread, also the last one before it ended, whose budget snapshot may never
// be delivered: the window batches snapshots, and an ended thread's budget leaves the list.
void ThreadLiveUpdates::onUsage(const QList<UsageEvent> &events)
{
    if (m_loader.isLoading()) {
        m_loader.keepUsage(events);
        return;
    }
    Touched touched;
    QHash<QString, qint64> waitingTokens;
    for (const UsageEvent &event : events) {
        const qint64 tokens = ThreadSpending::tokensOf(event);
        if (tokens == 0 || event.threadId.isEmpty())
            continue;
        if (const int row = m_rows.rowOf(event.threadId); row >= 0)
            touched.edit(m_rows, row).spent.addUsage(tokens);
        else if (auto candidate = m_candidates.find(event.threadId); candidate != m_candidates.end())
            candidate->spent.addUsage(tokens);
        else
            waitingTokens[event.threadId] += tokens;
    }
    if (!waitingTokens.isEmpty()) {
        for (ThreadRow &waiting : m_hold.waiting())
            waiting.spent.addUsage(waitingTokens.value(waiting.info.id));
    }
    emit rowsChanged(touched.before, touched.rows);
}

} // namespace agentdesk
