// Start and stop: what a start takes up again from the history, and how a stop drains, commits and
// answers what is still waiting.

#include "organism/organismprivate.h"

#include "store/historystore.h"
#include "store/resumeplan.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

void Organism::Private::restoreCounters()
{
    const qint64 lastSeq = store->maxSeq();
    totalMessages = lastSeq;
    pump->setNextSeq(lastSeq + 1);
    agents.restoreCounters(store->agentCounters());
}

// What the previous run (or this one, before a stop) left unfinished continues: its undelivered
// messages are queued again, in their original order, with their seq, id, sender and depth. A
// message that was being handled when the process ended is among them: its handler runs again.
void Organism::Private::resumeUnfinished()
{
    ResumePlan::Options options;
    options.listeners = agents.order();
    options.resume = config.resumeOnStart;
    // Running threads' rows are written lazily: after a crash the newest ones may exist only through
    // their messages.
    if (store->previousRunEndedUncleanly())
        options.rowlessAfterSeq = std::max<qint64>(0, store->maxSeq() - kUnsavedThreadWindow);
    const ResumePlan plan = ResumePlan::build(*store, options);

    for (const ResumePlan::Thread &resumed : plan.resume) {
        ThreadInfo *thread = threads.find(resumed.info.id);
        if (!thread)
            thread = threads.adopt(resumed.info);
        else if (thread->status != ThreadStatus::Active)
            setThreadStatus(*thread, ThreadStatus::Active, {});
        for (const MessageRecord &message : resumed.messages)
            pump->enqueue(message);
    }
    for (const ThreadInfo &failed : plan.failed) {
        ThreadInfo *thread = threads.find(failed.id);
        if (!thread) {
            ThreadInfo active = failed;
            active.status = ThreadStatus::Active;
            thread = threads.adopt(active);
        }
        raiseError(failed.id, {}, failed.error);
        setThreadStatus(*thread, ThreadStatus::Error, failed.error);
    }
    for (const ThreadInfo &finished : plan.completed) {
        if (!threads.find(finished.id))
            store->saveThread(finished);
    }
    if (!plan.dropped.isEmpty())
        store->markDelivered(plan.dropped);
    if (!plan.resume.isEmpty() || !plan.failed.isEmpty())
        qCInfo(lcOrganism).noquote() << "resumed" << plan.resume.size() << "unfinished thread(s);" << plan.failed.size()
                                     << "could not resume";
}

void Organism::Private::finishStop()
{
    if (status != OrganismStatus::Stopping || stopWaitsForCommit)
        return;
    drainTimer.stop();
    // What is still queued or running stays undelivered in the history: the next start resumes it.
    pump->cancelAll();
    for (auto &[name, listener] : listeners)
        listener->stop();
    threads.markAllDirty();
    flush();
    saveThreads();
    // The history commits what is pending, for at most kStopCommitWait: a failing disk does not hold
    // up the stop (what it did not commit was never acknowledged).
    stopWaitsForCommit = true;
    if (!store->isOpen() || store->health().failing || store->committedTicket() >= store->lastTicket()) {
        completeStop();
        return;
    }
    stopCommitTimer.start(kStopCommitWait);
}

void Organism::Private::completeStop()
{
    if (!stopWaitsForCommit)
        return;
    stopWaitsForCommit = false;
    stopCommitTimer.stop();
    releaseCommitted();
    flush();
    answerAcknowledgements();
    const QString problem = historyProblem();
    acknowledgements.refuseAll(
        injectRefused(InjectError::HistoryUnavailable,
                      u"not stored: the history did not commit this message before the organism stopped"_s
                          + (problem.isEmpty() ? QString() : u" ("_s + problem + u')')));
    // Unfinished threads live on in the history; a start takes them up again.
    for (const QString &id : threads.ids())
        ledger.endThread(id);
    threads.clear();
    uncommittedAgentMessages.clear();
    changes.usageStateChanged();
    status = OrganismStatus::Stopped;
    flush();
    emit q->statusChanged(status);
    emit q->stopped();
}

} // namespace agentdesk
