#include "organismprivate.h"

#include "organism/budgetwarnings.h"
#include "schema/schemaregistry.h"
#include "store/historystore.h"

#include <limits>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcOrganism, "agentdesk.organism")

namespace agentdesk {

Delivery Delivery::of(const MessageRecord &handled, const CallTiming &timing, const QString &error)
{
    Delivery delivered;
    delivered.handledSeq = handled.seq;
    if (timing.started.isValid())
        delivered.run = HandlerRun{handled.seq, timing.started, timing.ended, error};
    return delivered;
}

Organism::Private::Private(Organism *q)
    : q(q)
    , factory(environment())
    , changes(q, [this] { flush(); })
    , ledger(this)
    , partials([q](const QList<LlmPartialEvent> &events) { emit q->llmPartials(events); })
{ }

// ----------------------------------------------------------------------------------------------------
// Pump observer

// Bookkeeping for a message about to be recorded: its thread (created on its first message), the
// sender's counters, and the change batch.
void Organism::Private::noteAccepted(const MessageRecord &message, bool sent)
{
    lastAcceptedId = message.id;
    lastAcceptedSeq = message.seq;
    if (threads.noteMessage(message))
        changes.threadCreated(message.threadId);
    if (sent && agents.noteSent(message.from, message.timestamp))
        changes.agentChanged(message.from);
    changes.messageRecorded(message);
}

quint64 Organism::Private::admit(QList<MessageRecord> messages, const Delivery &delivered, qsizetype copies,
                                 bool countSenders)
{
    QList<qint64> handled;
    if (delivered.handledSeq > 0)
        handled.append(delivered.handledSeq);
    for (qsizetype i = 0; i < messages.size(); ++i) {
        pump->stamp(messages[i]);
        noteAccepted(messages.at(i), countSenders);
        if (i < copies)
            handled.append(messages.at(i).seq);
    }
    const quint64 ticket = store->appendMessages(
        messages, handled, delivered.run ? QList<HandlerRun>{*delivered.run} : QList<HandlerRun>{});
    // A thread completes, and its batch is announced, once this is committed: runs included, so that
    // a completed thread's timeline is whole.
    if (!messages.isEmpty() || delivered.run)
        lastMessageTicket = ticket;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        MessageRecord &message = messages[i];
        if (llmAgents.contains(message.to) || llmAgents.contains(message.from))
            uncommittedAgentMessages.emplace_back(ticket, message);
        if (i >= copies)
            pump->enqueue(std::move(message));
    }
    if (store->pendingRecords() >= kWriterBacklog)
        pump->holdDispatch(true); // the writer is behind: let it catch up (onCommitted releases)
    return ticket;
}

// No handler starts while the history cannot commit (what it did could not be recorded) or while the
// writer is kWriterBacklog records behind (memory stays bounded however slow the disk is). The engine
// thread never waits for the writer: calls in flight finish, new ones wait for the next commit.
void Organism::Private::updateDispatchHold()
{
    const bool hold = store->isOpen() && (store->health().failing || store->pendingRecords() >= kWriterBacklog);
    pump->holdDispatch(hold);
}

// A handler's replies and the end of its call are recorded in one transaction: after a crash either
// both are in the history, or neither (and the handler runs again at the next start).
void Organism::Private::handlerFinished(const MessageRecord &handled, QList<OutgoingMessage> replies,
                                        const CallTiming &timing)
{
    if (timing.started.isValid())
        load.handlerEnded(double(timing.started.msecsTo(timing.ended)));
    QList<MessageRecord> envelopes;
    for (const OutgoingMessage &reply : std::as_const(replies)) {
        RouteError error;
        if (!router.routeReply(handled, reply, &envelopes, &error)) {
            // A reply that cannot be delivered is the handler's failure too, worth another try — except
            // the loop guard's, which another try would only hit again.
            const bool loopGuard = handled.depth + 1 > router.maxDepth();
            if (loopGuard || !retryDelivery(handled, error.message))
                failThread(handled.threadId, handled.to, error.message, Delivery::of(handled, timing, error.message));
            return;
        }
    }
    if (!retries.isEmpty())
        retries.forget(handled.seq);
    // Never refused for capacity: this thread was admitted (see AdmissionControl).
    admit(std::move(envelopes), Delivery::of(handled, timing));
}

void Organism::Private::handlerFailed(const MessageRecord &handled, const QString &error, const CallTiming &timing)
{
    if (timing.started.isValid())
        load.handlerEnded(double(timing.started.msecsTo(timing.ended)));
    agents.setLastError(handled.to, error);
    changes.agentChanged(handled.to);
    if (retryDelivery(handled, error))
        return;
    agents.setFailing(handled.to, true);
    failThread(handled.threadId, handled.to, error, Delivery::of(handled, timing, error));
}

// A listener's `retry:`: the delivery runs again after a back-off instead of failing its thread. It
// stays undelivered in the history meanwhile, so a stop or a crash resumes it at the next start (its
// count of attempts then begins anew).
bool Organism::Private::retryDelivery(const MessageRecord &handled, const QString &error)
{
    const ListenerConfig *listener = config.listener(handled.to);
    if (!listener)
        return false;
    const std::optional<DeliveryRetries::Attempt> attempt = retries.next(handled.seq, listener->retry);
    if (!attempt)
        return false;
    if (!pump->retryLater(handled, attempt->wait())) {
        retries.forget(handled.seq);
        return false;
    }
    retries.failed(handled.seq, *attempt);
    raiseError(handled.threadId, handled.to,
               u"%1 (attempt %2 of %3 failed; trying again in %4 s)"_s.arg(error)
                   .arg(attempt->failures)
                   .arg(listener->retry.attempts)
                   .arg(QString::number(attempt->waitSeconds, 'g', 3)));
    return true;
}

void Organism::Private::agentChanged(const QString &agent)
{
    if (pump->inFlight(agent) > 0) {
        agents.setFailing(agent, false);
        agents.noteActivity(agent, QDateTime::currentDateTimeUtc());
    }
    changes.agentChanged(agent);
}

void Organism::Private::threadDrained(const QString &threadId)
{
    // Completed once its messages are committed: whoever sees `completed` can read all of them.
    ThreadInfo *thread = threads.find(threadId);
    if (thread && thread->status == ThreadStatus::Active) {
        threads.completeAfter(lastMessageTicket, threadId);
        releaseCommitted();
    }
    if (status == OrganismStatus::Stopping && pump->isIdle())
        QMetaObject::invokeMethod(
            q, [this] { finishStop(); }, Qt::QueuedConnection);
}

// A drain has nothing left to wait for when all that is left waits for a paused agent or a held thread.
void Organism::Private::pumpBlocked()
{
    if (status == OrganismStatus::Stopping)
        QMetaObject::invokeMethod(
            q, [this] { finishStop(); }, Qt::QueuedConnection);
}

void Organism::Private::threadHeld(const MessageRecord &message, const QString &reason)
{
    ledger.noteHeld(message.threadId, message.to, reason);
    qCInfo(lcOrganism).noquote() << "thread" << message.threadId << "held:" << reason;
}

// ----------------------------------------------------------------------------------------------------
// Agent services and the usage ledger

QList<MessageRecord> Organism::Private::threadHistory(const QString &threadId, int limit) const
{
    // The committed history, without waiting for the writer, plus what it has not committed yet.
    MessageQuery query;
    query.threadId = threadId;
    query.limit = limit;
    query.newestFirst = true;
    QList<MessageRecord> newest = store->messages(query).items;
    std::reverse(newest.begin(), newest.end());
    const qint64 lastStored = newest.isEmpty() ? 0 : newest.constLast().seq;
    for (const auto &[ticket, message] : uncommittedAgentMessages) {
        if (message.threadId == threadId && message.seq > lastStored)
            newest.append(message);
    }
    if (limit >= 0 && newest.size() > limit)
        newest.remove(0, newest.size() - limit);
    return newest;
}

AgentServices::CallAdmission Organism::Private::admitCall(const LlmRequest &request, qint64 optimisticPrompt,
                                                          qint64 conservativePrompt, qint64 maxCompletion)
{
    return ledger.admit(request.agentId, request.threadId, request, optimisticPrompt, conservativePrompt,
                        maxCompletion);
}

void Organism::Private::recordUsage(const QString &agent, const QString &threadId, const LlmResult &attempt,
                                    quint64 reservation, const LlmTranscript &transcript)
{
    ledger.record(agent, threadId, attempt, reservation, threads.find(threadId) != nullptr, transcript);
}

void Organism::Private::usageMetered(const UsageEvent &event, const LlmTranscript &transcript)
{
    store->appendUsage(event, transcript);
    changes.usageMetered(event);
}

void Organism::Private::threadThresholdCrossed(const QString &agent, const BudgetThreshold &threshold)
{
    QString error;
    if (std::optional<MessageRecord> warning = BudgetWarnings::message(*schemas, agent, threshold, &error)) {
        if (router.entry(warning->to))
            admit({*warning});
    } else {
        qCWarning(lcOrganism).noquote() << "cannot build a BudgetWarning:" << error;
    }
    const ThreadBudget &budget = threshold.budget;
    budgetChanged(BudgetEvent{budget.threadId, agent, threshold.kind, budget, threshold.message(),
                              QDateTime::currentDateTimeUtc()});
}

void Organism::Private::endThreadBudget(const QString &threadId)
{
    ledger.endThread(threadId);
    pump->releaseThread(threadId);
}

// ----------------------------------------------------------------------------------------------------
// Threads

// A message for a thread that has finished continues that conversation: the thread is active again.
// A thread in error moves on without what failed (a retry would have run it again).
ThreadInfo *Organism::Private::reopenThread(const QString &id)
{
    ThreadInfo *thread = threads.find(id);
    if (!thread) {
        // Not in memory: finished, and its final row committed (finished threads stay until then).
        std::optional<ThreadInfo> stored = store->thread(id);
        if (!stored)
            return nullptr;
        thread = threads.adopt(*stored);
    }
    if (thread->status == ThreadStatus::Active)
        return thread;
    if (thread->status == ThreadStatus::Error)
        dropFailed(id);
    setThreadStatus(*thread, ThreadStatus::Active, {});
    return thread;
}

void Organism::Private::dropFailed(const QString &threadId)
{
    QList<qint64> seqs;
    for (const MessageRecord &message : store->undeliveredMessages(threadId))
        seqs.append(message.seq);
    if (!seqs.isEmpty())
        store->markDelivered(seqs);
}

void Organism::Private::setThreadStatus(ThreadInfo &thread, ThreadStatus newStatus, const QString &error)
{
    if (newStatus != ThreadStatus::Active)
        endThreadBudget(thread.id);
    threads.setStatus(thread, newStatus, error);
    changes.threadUpdated(thread.id);
}

void Organism::Private::failThread(const QString &threadId, const QString &agent, const QString &error,
                                   const Delivery &delivered)
{
    raiseError(threadId, agent, error);
    if (ThreadInfo *thread = threads.find(threadId)) {
        if (thread->status == ThreadStatus::Active) {
            setThreadStatus(*thread, ThreadStatus::Error, error);
            load.threadFailed();
        }
    }
    // What failed and what the failure cut short stay undelivered: not resumed at a start (the thread
    // is in error) but kept for a retry, or dropped by a kill. How the failed call ran is recorded.
    const QList<qint64> stopped = pump->cancelThread(threadId);
    if (!retries.isEmpty()) {
        for (qint64 seq : stopped)
            retries.forget(seq);
        retries.forget(delivered.handledSeq);
    }
    if (delivered.run)
        store->markDelivered({}, {*delivered.run});
}

void Organism::Private::raiseError(const QString &threadId, const QString &agent, const QString &error)
{
    if (threadId.isEmpty())
        qCWarning(lcOrganism).noquote() << "agent" << agent + u':' << error;
    else
        qCWarning(lcOrganism).noquote() << "thread" << threadId << "agent" << agent + u':' << error;
    changes.errorRaised(ErrorEvent{threadId, agent, error, QDateTime::currentDateTimeUtc()});
}

// A thread's row is written when it starts (with its first message, see enqueueInject) and when its
// status changes (flush); in between, the rows of running threads are written every
// kThreadSaveIntervalMs, before a listing and at shutdown — their counts, not one row write per
// message. A listing overlays the live rows anyway (Organism::threads()).
ThreadBook::Save Organism::Private::saveThreadRow() const
{
    return [store = store.get()](const ThreadInfo &thread) { store->saveThread(thread); };
}

AgentLoad Organism::Private::agentLoad(const QString &name) const
{
    AgentLoad now{pump->queueDepth(name), pump->inFlight(name), pump->isPaused(name), {}};
    if (now.inFlight > 0)
        now.currentThread = pump->currentThread(name);
    return now;
}

QList<AgentBacklog> Organism::Private::backlog() const
{
    QList<AgentBacklog> out;
    for (const QString &name : agents.order()) {
        AgentBacklog agent{name, pump->queueDepth(name), pump->inFlight(name), 0};
        if (llm && llmAgents.contains(name))
            agent.rateLimitWaitSeconds = llm->rateLimitWaitSeconds(name);
        if (agent.queued > 0 || agent.inFlight > 0)
            out.append(agent);
    }
    return out;
}

QString Organism::Private::historyProblem() const
{
    if (!store || !store->isOpen())
        return u"the history is not open"_s;
    const HistoryHealth health = store->health();
    return health.failing ? health.reason : QString();
}

// ----------------------------------------------------------------------------------------------------
// Change batches and commits

void Organism::Private::flush()
{
    ChangeBatcher::Tick tick = changes.take();
    ChangeBatch batch = std::move(tick.batch);
    for (const QString &id : std::as_const(tick.createdThreads)) {
        if (const ThreadInfo *thread = threads.find(id))
            batch.created.append(*thread);
    }
    for (const QString &id : std::as_const(tick.updatedThreads)) {
        if (const ThreadInfo *thread = threads.find(id))
            batch.updated.append(*thread);
    }
    if (threads.saveFinished(batch.updated, saveThreadRow()) && !threadSaveTimer.isActive())
        threadSaveTimer.start();
    // Finished threads live on in the history only: memory holds what is still running, and what has
    // finished until its final row is committed (releaseCommitted() lets it go).
    threads.retireAfter(store->lastTicket(), batch.updated);
    releaseCommitted();
    for (const QString &name : std::as_const(tick.changedAgents)) {
        if (!agents.contains(name))
            continue;
        const AgentInfo info = agentSnapshot(name);
        store->saveAgent(name, info.messageCount, info.lastActivity);
        batch.agents.append(info);
    }
    batch.ticket = lastMessageTicket;
    changes.queue(std::move(batch));
    announceCommitted();
    // Its commit may have been notified before this batch was queued: that notification could not
    // answer the batch's injects, and the store posts one at a time, so another may be long in coming.
    answerAcknowledgements();
}

// Change batches go out once the messages they carry are committed: a client that reads after an
// event finds what it announced (reads answer from the history).
void Organism::Private::announceCommitted()
{
    const quint64 committed = store->isOpen() ? store->committedTicket() : std::numeric_limits<quint64>::max();
    changes.releaseCommitted(committed, [this](const ChangeBatch &batch) { announce(batch); });
}

void Organism::Private::announce(const ChangeBatch &batch)
{
    if (!batch.messages.isEmpty())
        lastAnnouncedSeq = std::max(lastAnnouncedSeq, batch.messages.constLast().seq);
    totalMessages += batch.messages.size(); // what a reader can find, as the totals of the reads say
    load.messagesRecorded(batch.messages.size());
    if (!batch.created.isEmpty())
        emit q->threadsCreated(batch.created);
    if (!batch.messages.isEmpty())
        emit q->messagesRecorded(batch.messages);
    if (!batch.agents.isEmpty())
        emit q->agentsChanged(batch.agents);
    if (!batch.updated.isEmpty())
        emit q->threadsUpdated(batch.updated);
    if (!batch.errors.isEmpty())
        emit q->errorsRaised(batch.errors);
    if (!batch.usage.isEmpty())
        emit q->usageRecorded(batch.usage);
    if (!batch.budgets.isEmpty())
        emit q->budgetEvents(batch.budgets);
    if (batch.usageStateChanged)
        emit q->usageStateChanged();
}

// Everything that waited for the history's commit: acknowledgements, the end of a stop, and what
// releaseCommitted() lets go.
void Organism::Private::onCommitted()
{
    releaseCommitted();
    announceCommitted();
    answerAcknowledgements();
    if (stopWaitsForCommit && store->committedTicket() >= store->lastTicket())
        completeStop();
}

// Dispatching goes on if the writer caught up; finished threads whose final row is committed leave
// memory; committed agent messages leave the prompt tail; drained threads complete.
void Organism::Private::releaseCommitted()
{
    const quint64 committed = store->isOpen() ? store->committedTicket() : std::numeric_limits<quint64>::max();
    updateDispatchHold();
    const QStringList completed = threads.releaseCommitted(committed,
                                                           [this](const QString &id) { return pump->hasWork(id); });
    while (!uncommittedAgentMessages.empty() && uncommittedAgentMessages.front().first <= committed)
        uncommittedAgentMessages.pop_front();
    for (const QString &id : completed) {
        if (ThreadInfo *thread = threads.find(id))
            setThreadStatus(*thread, ThreadStatus::Completed, {});
    }
}

void Organism::Private::answerAcknowledgements()
{
    const quint64 committed = store->isOpen() ? store->committedTicket() : 0;
    // The recorded messages go out first: a WebSocket client sees `message` before `injected`.
    acknowledgements.answerCommitted(committed, lastAnnouncedSeq);
}

// ----------------------------------------------------------------------------------------------------
// Building

ListenerEnvironment Organism::Private::environment()
{
    ListenerEnvironment env;
    env.schemas = [this] { return schemas.get(); };
    env.payloadTypeOf = [this](const QString &name) {
        const RouteEntry *entry = router.entry(name);
        return entry ? entry->payloadType : QString();
    };
    env.descriptionOf = [this](const QString &name) {
        const ListenerConfig *listener = config.listener(name);
        return listener ? listener->description : QString();
    };
    env.agentServices = this;
    return env;
}

// A listener-level failure (an exec child died, or wrote garbage) belongs to no thread: the operator
// sees it as an error event for the agent; the calls it broke fail their threads on their own. What a
// handler logs is logged once, by its listener (agentdesk.exec).
void Organism::Private::watchListener(Listener *listener)
{
    const QString name = listener->name();
    QObject::connect(listener, &Listener::faulted, q, [this, name](const QString &error) {
        agents.setLastError(name, error);
        changes.agentChanged(name);
        // The listener logged it already; record the event without a second log line.
        changes.errorRaised(ErrorEvent{{}, name, error, QDateTime::currentDateTimeUtc()});
    });
}

void Organism::Private::applyLimits()
{
    PumpLimits limits;
    limits.scheduling = config.scheduling;
    limits.maxConcurrentHandlers = config.maxConcurrentHandlers;
    limits.maxConcurrentPerAgent = config.maxConcurrentPerAgent;
    limits.maxConcurrentPipelines = config.maxConcurrentPipelines;
    pump->setLimits(limits);
    admission.setQueueLimit(config.maxQueueDepth);
    router.setMaxDepth(config.maxMessageDepth);
}

void Organism::Private::applyRoutes()
{
    llmAgents.clear();
    for (const ListenerConfig &listener : std::as_const(config.listeners)) {
        if (listener.handler.kind == HandlerSpec::Kind::Agent)
            llmAgents.insert(listener.name);
    }
    QList<RouteEntry> entries;
    for (const ListenerConfig &listener : std::as_const(config.listeners))
        entries.append(
            RouteEntry{listener.name, listener.payloadType, listener.agent, listener.broadcast, listener.peers});
    router.setSchemas(schemas.get());
    router.setEntries(entries);
}

// A changed `llm:` is checked before a reload applies anything: its backends usable, every agent's
// model served.
bool Organism::Private::checkLlmChange(const OrganismConfig &next, QString *error)
{
    QStringList models;
    for (const ListenerConfig &listener : next.listeners) {
        if (listener.agent && !listener.model.isEmpty() && !models.contains(listener.model))
            models.append(listener.model);
    }
    QStringList unserved;
    if (!llm->check(next.llm, models, &unserved, error))
        return false;
    for (const ListenerConfig &listener : next.listeners) {
        if (listener.agent && unserved.contains(listener.model)) {
            *error = u"%1:%2: listeners.%3: no LLM backend serves model '%4' (configure one under llm.backends)"_s
                         .arg(next.filePath)
                         .arg(listener.line)
                         .arg(listener.name, listener.model);
            return false;
        }
    }
    factory.setModelsAboutToBeServed(models);
    return true;
}

} // namespace agentdesk
