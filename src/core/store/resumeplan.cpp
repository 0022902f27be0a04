#include "resumeplan.h"

#include "historystore.h"

#include <QHash>
#include <QSet>

namespace agentdesk {

using namespace Qt::StringLiterals;

namespace {

ThreadInfo rebuiltFrom(const QList<MessageRecord> &messages)
{
    ThreadInfo thread;
    thread.id = messages.constFirst().threadId;
    thread.createdAt = messages.constFirst().timestamp;
    thread.lastActivity = messages.constLast().timestamp;
    for (const MessageRecord &message : messages) {
        for (const QString &agent : {message.from, message.to}) {
            if (!thread.participants.contains(agent))
                thread.participants.append(agent);
        }
    }
    thread.messageCount = messages.size();
    return thread;
}

} // namespace

ResumePlan ResumePlan::build(const HistoryStore &store, const Options &options)
{
    ResumePlan plan;
    QStringList order; // threads by their oldest undelivered message
    QHash<QString, QList<MessageRecord>> pending;
    for (const MessageRecord &message : store.undeliveredMessages()) {
        auto it = pending.find(message.threadId);
        if (it == pending.end()) {
            order.append(message.threadId);
            it = pending.insert(message.threadId, {});
        }
        it->append(message);
    }
    QHash<QString, ThreadInfo> rowless;
    if (options.rowlessAfterSeq >= 0) {
        for (const ThreadInfo &thread : store.threadsWithoutRow(options.rowlessAfterSeq))
            rowless.insert(thread.id, thread);
    }

    for (const QString &id : std::as_const(order)) {
        const QList<MessageRecord> &messages = pending[id];
        ThreadInfo info = store.thread(id).value_or(rowless.value(id, rebuiltFrom(messages)));
        QList<qint64> seqs;
        for (const MessageRecord &message : messages)
            seqs.append(message.seq);
        // A killed thread's leftovers go with it. A thread in error keeps its failed deliveries (and
        // the work its failure cut short) until an operator retries or kills it.
        if (info.status == ThreadStatus::Killed) {
            plan.dropped += seqs;
            continue;
        }
        if (info.status == ThreadStatus::Error)
            continue;
        QString gone;
        for (const MessageRecord &message : messages) {
            if (!options.listeners.contains(message.to)) {
                gone = message.to;
                break;
            }
        }
        if (!options.resume || !gone.isEmpty()) {
            info.status = ThreadStatus::Error;
            info.error = !options.resume
                ? u"interrupted: agentdesk stopped before this thread completed (resume_on_start is false)"_s
                : u"listener %1 no longer exists: the configuration changed before this thread "
                  "completed"_s.arg(gone);
            plan.failed.append(info); // its messages stay, for a retry once the listener is back
            continue;
        }
        info.status = ThreadStatus::Active;
        info.error.clear();
        plan.resume.append(Thread{info, messages});
    }

    // Threads stored as active with nothing undelivered had finished; only their last row was missing.
    QList<ThreadInfo> active = store.threadsWithStatus(ThreadStatus::Active);
    active += rowless.values();
    for (ThreadInfo thread : std::as_const(active)) {
        if (pending.contains(thread.id))
            continue;
        thread.status = ThreadStatus::Completed;
        plan.completed.append(thread);
    }
    return plan;
}

} // namespace agentdesk
