// New work at the organism's door: injects, replays and forks, and the retry of a thread in error.
// Each passes the same checks (running, a payload the target accepts, a history that commits, room in
// the queue) before anything is recorded.

#include "organism/organismprivate.h"

#include "branchplan.h"
#include "domain/ids.h"
#include "store/historystore.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

bool Organism::Private::checkRunning(InjectResult *result) const
{
    if (status == OrganismStatus::Running)
        return true;
    result->error = InjectResult::Error::NotRunning;
    result->message = u"the organism is %1, not running"_s.arg(toString(status));
    return false;
}

bool Organism::Private::buildPayload(const QString &to, const QVariantMap &fields, const QByteArray &xml,
                                     Payload *payload, InjectResult *result) const
{
    if (!router.entry(to)) {
        result->error = InjectResult::Error::UnknownTarget;
        result->message = u"Unknown target agent: %1"_s.arg(to);
        return false;
    }
    RouteError routeError;
    Payload given;
    given.xml = xml;
    if (xml.isEmpty())
        given.fields = fields;
    if (router.buildForTarget(to, given, payload, &routeError))
        return true;
    result->error = InjectResult::Error::InvalidPayload;
    result->message = routeError.message;
    result->fieldPath = routeError.fieldPath;
    return false;
}

// Refused at the door, at once: nothing that cannot be committed is taken in, nor more than the queue
// has room for (see AdmissionControl).
bool Organism::Private::passDoor(InjectResult *result)
{
    if (const QString problem = historyProblem(); !problem.isEmpty()) {
        result->error = InjectResult::Error::HistoryUnavailable;
        result->message = u"the history cannot store new messages: "_s + problem;
        return false;
    }
    if (admission.admits(pump->totalQueued()))
        return true;
    const AdmissionControl::Refusal refusal = admission.refuse(pump->totalQueued(), backlog(), pump->handledCount());
    result->error = InjectResult::Error::QueueFull;
    result->message = refusal.cause;
    result->retryAfterSeconds = refusal.retryAfterSeconds;
    return false;
}

// Validates a new inject and, once admitted, records and queues it; *ticket is what its
// acknowledgement waits for (its message and its thread's row).
InjectResult Organism::Private::enqueueInject(const InjectRequest &request, quint64 *ticket)
{
    InjectResult result;
    Payload payload;
    if (!checkRunning(&result) || !buildPayload(request.to, request.fields, request.xml, &payload, &result)
        || !passDoor(&result))
        return result;

    const QString threadId = request.threadId.isEmpty() ? newTimeOrderedId() : request.threadId;
    if (!request.threadId.isEmpty())
        reopenThread(threadId);
    MessageRecord message;
    message.threadId = threadId;
    message.from = request.from;
    message.to = request.to;
    message.payloadType = payload.type;
    message.fields = payload.fields;
    message.xml = payload.xml;
    admit({message});
    // The thread's row goes with the message: once acknowledged, both are readable.
    if (ThreadInfo *thread = threads.find(threadId)) {
        threads.markSaved(threadId);
        *ticket = store->saveThread(*thread);
    }
    result.threadId = threadId;
    result.messageId = lastAcceptedId;
    return result;
}

// A replay or a fork is new work like an inject (the same checks, the same door), in a new thread. A
// fork's copies keep their senders, payloads, depths and times, with new ids and seqs; they are
// recorded as handled in the same transaction as the forked message, so a restart resumes that
// message alone.
InjectResult Organism::Private::enqueueBranch(const BranchRequest &request, quint64 *ticket)
{
    InjectResult result;
    if (!checkRunning(&result))
        return result;
    std::optional<BranchPlan> plan = BranchPlan::make(*store, request, &result);
    Payload payload;
    if (!plan || !buildPayload(plan->to, plan->fields, plan->xml, &payload, &result) || !passDoor(&result))
        return result;

    const QString threadId = newTimeOrderedId();
    QList<MessageRecord> records;
    records.reserve(plan->copies.size() + 1);
    for (MessageRecord copy : std::as_const(plan->copies)) {
        copy.threadId = threadId;
        copy.id.clear();
        records.append(std::move(copy));
    }
    MessageRecord message;
    message.threadId = threadId;
    message.from = plan->from;
    message.to = plan->to;
    message.payloadType = payload.type;
    message.fields = payload.fields;
    message.xml = payload.xml;
    message.depth = request.kind == ThreadOriginKind::Fork ? plan->source.depth : 0;
    records.append(message);
    admit(records, {}, plan->copies.size(), false);
    ThreadInfo *thread = threads.find(threadId);
    if (!thread)
        return result;
    thread->createdAt = QDateTime::currentDateTimeUtc(); // not the time of the first copy
    threads.markSaved(threadId);
    store->saveThread(*thread);
    *ticket = store->saveThreadOrigin(threadId, {request.kind, request.threadId, request.messageId, lastAcceptedSeq});
    result.threadId = threadId;
    result.messageId = lastAcceptedId;
    return result;
}

// The door of a retry is the door of an inject: running, a history that commits, room in the queue.
// Then the thread's undelivered messages — the failed delivery, and what its failure cut short — are
// queued again, in their order, and the thread is active.
RetryResult Organism::Private::requeueFailed(const QString &threadId, quint64 *ticket)
{
    RetryResult result;
    result.threadId = threadId;
    ThreadInfo *thread = threads.find(threadId);
    std::optional<ThreadInfo> stored = thread ? std::nullopt : store->thread(threadId);
    if (!thread && !stored) {
        result.error = RetryResult::Error::UnknownThread;
        result.message = u"Thread not found: %1"_s.arg(threadId);
        return result;
    }
    const ThreadStatus current = thread ? thread->status : stored->status;
    if (current != ThreadStatus::Error) {
        result.error = RetryResult::Error::NotInError;
        result.message = u"thread %1 is %2: only a thread in error can be retried"_s.arg(threadId, toString(current));
        return result;
    }
    if (status != OrganismStatus::Running) {
        result.error = RetryResult::Error::NotRunning;
        result.message = u"the organism is %1, not running"_s.arg(toString(status));
        return result;
    }
    if (const QString problem = historyProblem(); !problem.isEmpty()) {
        result.error = RetryResult::Error::HistoryUnavailable;
        result.message = u"the history cannot store new messages: "_s + problem;
        return result;
    }
    if (!admission.admits(pump->totalQueued())) {
        const AdmissionControl::Refusal refusal = admission.refuse(pump->totalQueued(), backlog(), pump->handledCount());
        result.error = RetryResult::Error::QueueFull;
        result.message = refusal.cause;
        result.retryAfterSeconds = refusal.retryAfterSeconds;
        return result;
    }
    const QList<MessageRecord> failed = store->undeliveredMessages(threadId);
    if (failed.isEmpty()) {
        result.error = RetryResult::Error::NothingLeft;
        result.message = u"thread %1 has no failed delivery left to run again"_s.arg(threadId);
        return result;
    }
    for (const MessageRecord &message : failed) {
        if (!router.entry(message.to)) {
            result.error = RetryResult::Error::ListenerGone;
            result.message = u"listener %1 no longer exists: add it back to the configuration (and reload), or kill "
                             "the thread"_s.arg(message.to);
            return result;
        }
    }
    if (!thread)
        thread = threads.adopt(*stored);
    setThreadStatus(*thread, ThreadStatus::Active, {});
    for (const MessageRecord &message : failed)
        pump->enqueue(message);
    threads.markSaved(threadId);
    *ticket = store->saveThread(*thread);
    result.deliveries = int(failed.size());
    qCInfo(lcOrganism).noquote() << "thread" << threadId << "retried:" << failed.size() << "delivery(ies) queued again";
    return result;
}

} // namespace agentdesk
