// New work at the organism's door: injects, replays and forks, and the retry of a thread in error.
// Each passes the same checks (running, a payload the target accepts, a history that commits, room in
// the queue) before anything is recorded.

#include "organism/organismprivate.h"

#include "branchplan.h"
#include "domain/ids.h"
#include "store/historystore.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// A retry passes an inject's door, and is refused there for the same reasons.
RetryError retryError(InjectError door)
{
    switch (door) {
    case InjectError::QueueFull:
        return RetryError::QueueFull;
    case InjectError::HistoryUnavailable:
        return RetryError::HistoryUnavailable;
    case InjectError::NotRunning:
    case InjectError::UnknownTarget:
    case InjectError::InvalidPayload:
    case InjectError::UnknownMessage:
        break;
    }
    return RetryError::NotRunning;
}

} // namespace

Result<void, InjectFailure> Organism::Private::checkRunning() const
{
    if (status == OrganismStatus::Running)
        return {};
    return injectRefused(InjectError::NotRunning, u"the organism is %1, not running"_s.arg(toString(status)));
}

Result<Payload, InjectFailure> Organism::Private::buildPayload(const QString &to, const QVariantMap &fields,
                                                               const QByteArray &xml) const
{
    if (!router.entry(to))
        return injectRefused(InjectError::UnknownTarget, u"Unknown target agent: %1"_s.arg(to));
    RouteError routeError;
    Payload given;
    given.xml = xml;
    if (xml.isEmpty())
        given.fields = fields;
    Payload payload;
    if (router.buildForTarget(to, given, &payload, &routeError))
        return payload;
    return tl::unexpected(InjectFailure{InjectError::InvalidPayload, routeError.message, routeError.fieldPath, 0});
}

// Refused at the door, at once: nothing that cannot be committed is taken in, nor more than the queue
// has room for (see AdmissionControl).
Result<void, InjectFailure> Organism::Private::passDoor()
{
    if (const QString problem = historyProblem(); !problem.isEmpty())
        return injectRefused(InjectError::HistoryUnavailable, u"the history cannot store new messages: "_s + problem);
    if (admission.admits(pump->totalQueued()))
        return {};
    const AdmissionControl::Refusal refusal = admission.refuse(pump->totalQueued(), backlog(), pump->handledCount());
    return injectRefused(InjectError::QueueFull, refusal.cause, refusal.retryAfterSeconds);
}

// Validates a new inject and, once admitted, records and queues it; *ticket is what its
// acknowledgement waits for (its message and its thread's row).
InjectResult Organism::Private::enqueueInject(const InjectRequest &request, quint64 *ticket)
{
    if (auto running = checkRunning(); !running)
        return tl::unexpected(running.error());
    const Result<Payload, InjectFailure> payload = buildPayload(request.to, request.fields, request.xml);
    if (!payload)
        return tl::unexpected(payload.error());
    if (auto door = passDoor(); !door)
        return tl::unexpected(door.error());

    const QString threadId = request.threadId.isEmpty() ? newTimeOrderedId() : request.threadId;
    if (!request.threadId.isEmpty())
        reopenThread(threadId);
    MessageRecord message;
    message.threadId = threadId;
    message.from = request.from;
    message.to = request.to;
    message.payloadType = payload->type;
    message.fields = payload->fields;
    message.xml = payload->xml;
    admit({message});
    // The thread's row goes with the message: once acknowledged, both are readable.
    if (ThreadInfo *thread = threads.find(threadId)) {
        threads.markSaved(threadId);
        *ticket = store->saveThread(*thread);
    }
    return InjectedMessage{threadId, lastAcceptedId};
}

// A replay or a fork is new work like an inject (the same checks, the same door), in a new thread. A
// fork's copies keep their senders, payloads, depths and times, with new ids and seqs; they are
// recorded as handled in the same transaction as the forked message, so a restart resumes that
// message alone.
InjectResult Organism::Private::enqueueBranch(const BranchRequest &request, quint64 *ticket)
{
    if (auto running = checkRunning(); !running)
        return tl::unexpected(running.error());
    const Result<BranchPlan, InjectFailure> plan = BranchPlan::make(*store, request);
    if (!plan)
        return tl::unexpected(plan.error());
    const Result<Payload, InjectFailure> payload = buildPayload(plan->to, plan->fields, plan->xml);
    if (!payload)
        return tl::unexpected(payload.error());
    if (auto door = passDoor(); !door)
        return tl::unexpected(door.error());

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
    message.payloadType = payload->type;
    message.fields = payload->fields;
    message.xml = payload->xml;
    message.depth = request.kind == ThreadOriginKind::Fork ? plan->source.depth : 0;
    records.append(message);
    admit(records, {}, plan->copies.size(), false);
    ThreadInfo *thread = threads.find(threadId);
    if (!thread) // admit() always creates it; nothing to wait for otherwise
        return InjectedMessage{threadId, lastAcceptedId};
    thread->createdAt = QDateTime::currentDateTimeUtc(); // not the time of the first copy
    threads.markSaved(threadId);
    store->saveThread(*thread);
    *ticket = store->saveThreadOrigin(threadId, {request.kind, request.threadId, request.messageId, lastAcceptedSeq});
    return InjectedMessage{threadId, lastAcceptedId};
}

// The door of a retry is the door of an inject: running, a history that commits, room in the queue.
// Then the thread's undelivered messages — the failed delivery, and what its failure cut short — are
// queued again, in their order, and the thread is active.
RetryResult Organism::Private::requeueFailed(const QString &threadId, quint64 *ticket)
{
    ThreadInfo *thread = threads.find(threadId);
    std::optional<ThreadInfo> stored = thread ? std::nullopt : store->thread(threadId);
    if (!thread && !stored)
        return retryRefused(RetryError::UnknownThread, u"Thread not found: %1"_s.arg(threadId));
    const ThreadStatus current = thread ? thread->status : stored->status;
    if (current != ThreadStatus::Error)
        return retryRefused(
            RetryError::NotInError,
            u"thread %1 is %2: only a thread in error can be retried"_s.arg(threadId, toString(current)));
    if (auto door = checkRunning().and_then([this] { return passDoor(); }); !door)
        return retryRefused(retryError(door.error().kind), door.error().message, door.error().retryAfterSeconds);
    const QList<MessageRecord> failed = store->undeliveredMessages(threadId);
    if (failed.isEmpty())
        return retryRefused(RetryError::NothingLeft,
                            u"thread %1 has no failed delivery left to run again"_s.arg(threadId));
    for (const MessageRecord &message : failed) {
        if (!router.entry(message.to))
            return retryRefused(RetryError::ListenerGone,
                                u"listener %1 no longer exists: add it back to the configuration (and reload), or "
                                "kill the thread"_s.arg(message.to));
    }
    if (!thread)
        thread = threads.adopt(*stored);
    setThreadStatus(*thread, ThreadStatus::Active, {});
    for (const MessageRecord &message : failed)
        pump->enqueue(message);
    threads.markSaved(threadId);
    *ticket = store->saveThread(*thread);
    qCInfo(lcOrganism).noquote() << "thread" << threadId << "retried:" << failed.size() << "delivery(ies) queued again";
    return RetriedThread{threadId, int(failed.size())};
}

} // namespace agentdesk
