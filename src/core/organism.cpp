#include "organism.h"

#include "branchplan.h"
#include "config/configloader.h"
#include "domain/ids.h"
#include "injectacknowledgements.h"
#include "listeners/agentlistener.h"
#include "listeners/builtinlistener.h"
#include "listeners/execlistener.h"
#include "llm/partialcoalescer.h"
#include "pump/admissioncontrol.h"
#include "pump/loadmeter.h"
#include "pump/messagepump.h"
#include "pump/messagerouter.h"
#include "schema/schemaregistry.h"
#include "store/historystore.h"
#include "store/resumeplan.h"
#include "usage/pricetable.h"
#include "usage/usageledger.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QPointer>
#include <QScopeGuard>
#include <QSet>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <map>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcOrganism, "agentdesk.organism")

namespace agentdesk {

namespace {

constexpr auto kCommitWait = std::chrono::seconds(10); // inject(): the most it blocks its caller
constexpr auto kStopCommitWait = std::chrono::seconds(5); // stop(): the most it waits for the history
constexpr int kThreadSaveIntervalMs = 5000;
// How far (in records) the history writer may fall behind before no new handler starts.
constexpr qsizetype kWriterBacklog = 10000;
// How far back from the newest message a restart after a crash looks for threads whose row was never
// written: more messages than the pump can accept in kThreadSaveIntervalMs.
constexpr qint64 kUnsavedThreadWindow = 1000000;

QString handlerText(const ListenerConfig &listener)
{
    switch (listener.handler.kind) {
    case HandlerSpec::Kind::Builtin:
        return u"builtin:"_s + listener.handler.builtin;
    case HandlerSpec::Kind::Exec:
        return u"exec: "_s + listener.handler.argv.join(u' ');
    case HandlerSpec::Kind::Agent:
        return u"agent"_s;
    }
    return {};
}

bool sameListener(const ListenerConfig &a, const ListenerConfig &b, const OrganismConfig &oldConfig,
                  const OrganismConfig &newConfig)
{
    const auto fieldsOf = [](const PayloadTypeSpec *spec) {
        QStringList out;
        if (spec) {
            for (const FieldSpec &f : spec->fields)
                out << f.name + u':' + f.type + (f.list ? u"[]"_s : QString()) + (f.optional ? u"?"_s : QString());
        }
        return out;
    };
    return a.description == b.description && a.payloadType == b.payloadType && a.agent == b.agent
           && a.peers == b.peers && a.broadcast == b.broadcast && a.prompt == b.prompt && a.model == b.model
           && a.maxTokens == b.maxTokens && a.temperature == b.temperature && a.toolMode == b.toolMode
           && a.maxToolRetries == b.maxToolRetries && a.requireReply == b.requireReply && a.timeoutSeconds == b.timeoutSeconds && a.options == b.options && a.handler.kind == b.handler.kind
           && a.handler.builtin == b.handler.builtin && a.handler.argv == b.handler.argv
           && a.handler.workingDirectory == b.handler.workingDirectory
           && fieldsOf(oldConfig.payloadType(a.payloadType)) == fieldsOf(newConfig.payloadType(b.payloadType));
}

// Everything of `llm:` that decides where calls go (prices are applied on their own).
bool sameLlmRouting(const LlmConfig &a, const LlmConfig &b)
{
    const auto sameBackend = [](const LlmBackendConfig &x, const LlmBackendConfig &y) {
        return x.name == y.name && x.provider == y.provider && x.apiKeyEnv == y.apiKeyEnv && x.baseUrl == y.baseUrl
               && x.models == y.models && x.priority == y.priority && x.rateLimitTpm == y.rateLimitTpm
               && x.maxConcurrent == y.maxConcurrent && x.timeoutSeconds == y.timeoutSeconds
               && x.idleTimeoutSeconds == y.idleTimeoutSeconds && x.stream == y.stream && x.toolMode == y.toolMode
               && x.scripted == y.scripted;
    };
    return a.strategy == b.strategy && a.retries == b.retries && a.retryBaseDelay == b.retryBaseDelay
           && a.retryMaxDelay == b.retryMaxDelay
           && std::equal(a.backends.cbegin(), a.backends.cend(), b.backends.cbegin(), b.backends.cend(), sameBackend);
}

// The end of a handler call: which message it handled, and how it ran (for the timeline).
struct Delivery
{
    qint64 handledSeq = 0;
    std::optional<HandlerRun> run;
};

Delivery delivery(const MessageRecord &handled, const CallTiming &timing, const QString &error = {})
{
    Delivery delivered;
    delivered.handledSeq = handled.seq;
    if (timing.started.isValid())
        delivered.run = HandlerRun{handled.seq, timing.started, timing.ended, error};
    return delivered;
}

} // namespace

class Organism::Private : public PumpObserver, public AgentServices, public UsageLedger::Host
{
public:
    explicit Private(Organism *q)
        : q(q)
        , ledger(this)
        , partials([q](const QList<LlmPartialEvent> &events) { emit q->llmPartials(events); })
    {
    }

    // --- PumpObserver ---------------------------------------------------------------------------
    void handlerFinished(const MessageRecord &handled, QList<OutgoingMessage> replies,
                         const CallTiming &timing) override;
    void handlerFailed(const MessageRecord &handled, const QString &error, const CallTiming &timing) override;
    void agentChanged(const QString &agent) override;
    void threadDrained(const QString &threadId) override;
    void threadHeld(const MessageRecord &message, const QString &reason) override;
    void pumpBlocked() override;

    // --- AgentServices --------------------------------------------------------------------------
    LlmClient *llmClient() const override { return llm; }
    QList<MessageRecord> threadHistory(const QString &threadId, int limit) const override;
    CallAdmission admitCall(const LlmRequest &request, qint64 optimisticPrompt, qint64 conservativePrompt,
                            qint64 maxCompletion) override
    {
        return ledger.admit(request.agentId, request.threadId, request, optimisticPrompt, conservativePrompt,
                            maxCompletion);
    }
    bool renewCall(quint64 reservation) override { return ledger.renew(reservation); }
    void releaseCall(quint64 reservation) override { ledger.release(reservation); }
    void whenBudgetHasRoom(std::function<void()> retry) override { ledger.whenRoom(std::move(retry)); }
    void recordUsage(const QString &agent, const QString &threadId, const LlmResult &attempt, quint64 reservation,
                     const LlmTranscript &transcript) override
    {
        ledger.record(agent, threadId, attempt, reservation, liveThread(threadId) != nullptr, transcript);
    }
    void publishPartial(const QString &agent, const QString &threadId, quint64 call, const LlmPartial &partial) override
    {
        partials.update(agent, threadId, call, partial);
    }
    void endPartial(quint64 call) override { partials.end(call); }
    // --- UsageLedger::Host -------------------------------------------------------------------------
    void usageMetered(const UsageEvent &event, const LlmTranscript &transcript) override;
    void threadThresholdCrossed(const QString &agent, const BudgetThreshold &threshold) override;
    void budgetChanged(const BudgetEvent &event) override;
    void releaseThread(const QString &threadId) override { pump->releaseThread(threadId); }
    void accountsChanged() override { markUsageStateChanged(); }
    void endThreadBudget(const QString &threadId);

    // --- building -------------------------------------------------------------------------------
    ListenerEnvironment environment() const;
    std::unique_ptr<Listener> createListener(const ListenerConfig &config, QString *error) const;
    AgentInfo staticInfo(const ListenerConfig &config) const;
    void watchListener(Listener *listener);
    void applyLimits();
    void applyRoutes();

    // --- admission and recording --------------------------------------------------------------------
    // Stamps `messages`, records them in the history (with `delivered`, the end of the call that sent
    // them, in the same transaction) and queues them. The first `copies` are a fork's history: recorded
    // as handled, never queued. An operator's replay or fork counts for no listener's sent messages
    // (!countSenders). Returns the history's ticket.
    quint64 admit(QList<MessageRecord> messages, const Delivery &delivered = {}, qsizetype copies = 0,
                  bool countSenders = true);
    void noteAccepted(const MessageRecord &message, bool sent = true);
    QList<AgentBacklog> backlog() const;
    QString historyProblem() const;
    void onCommitted();
    void releaseCommitted();
    void updateDispatchHold();

    // --- bookkeeping ----------------------------------------------------------------------------
    AgentInfo agentSnapshot(const QString &name) const;
    void markUsageStateChanged();
    bool checkLlmChange(const OrganismConfig &next, QString *error);
    ThreadInfo *adoptThread(const ThreadInfo &thread);
    ThreadInfo *liveThread(const QString &id);
    ThreadInfo *reopenThread(const QString &id);
    // Ends the thread in error and drops its work; `handledSeq`: the message whose handling failed.
    // The thread's work stays undelivered in the history: a retry (retryThread) runs it again.
    void failThread(const QString &threadId, const QString &agent, const QString &error, const Delivery &delivered = {});
    bool retryDelivery(const MessageRecord &handled, const QString &error);
    RetryResult requeueFailed(const QString &threadId, quint64 *ticket);
    void dropFailed(const QString &threadId); // a thread in error lets go of what failed
    void setThreadStatus(ThreadInfo &thread, ThreadStatus status, const QString &error);
    void raiseError(const QString &threadId, const QString &agent, const QString &error);
    void scheduleFlush();
    void persistPending();
    void persistFinished(const QList<ThreadInfo> &finished);
    void flush();
    void retireFinished(const QList<ThreadInfo> &updated);
    void finishStop();
    void completeStop();
    void restoreCounters();
    void resumeUnfinished();
    InjectResult enqueueInject(const InjectRequest &request, quint64 *ticket);
    InjectResult enqueueBranch(const BranchRequest &request, quint64 *ticket);
    // The steps every new thread passes (false: *result says why not).
    bool checkRunning(InjectResult *result) const;
    bool buildPayload(const QString &to, const QVariantMap &fields, const QByteArray &xml, Payload *payload,
                      InjectResult *result) const;
    bool passDoor(InjectResult *result);
    void answerAcknowledgements();
    void announceCommitted();

    Organism *q;
    OrganismConfig config;
    QString dataDirectory;
    std::unique_ptr<SchemaRegistry> schemas;
    std::unique_ptr<HistoryStore> store;
    std::unique_ptr<MessagePump> pump;
    MessageRouter router;
    QStringList order;
    std::map<QString, std::unique_ptr<Listener>> listeners;
    QHash<QString, AgentInfo> agents;
    QSet<QString> agentsInError;
    QHash<QString, ThreadInfo> threads; // active threads, plus finished ones not yet persisted
    int activeThreads = 0;              // of `threads`, kept by adoptThread() and setThreadStatus()
    QStringList modelsServedAfterReload; // during a reload that changes llm: what the new backends serve
    OrganismStatus status = OrganismStatus::Starting;
    QElapsedTimer uptime;
    qint64 totalMessages = 0;      // committed and announced (messagesRecorded)
    quint64 lastMessageTicket = 0; // of the latest messages handed to the history
    QString lastAcceptedId;
    qint64 lastAcceptedSeq = 0;
    qint64 lastAnnouncedSeq = 0;   // messagesRecorded() has been emitted up to this seq
    QTimer drainTimer;
    QTimer stopCommitTimer; // the end of a stop: how long the history may take to commit
    bool stopWaitsForCommit = false;
    QTimer threadSaveTimer;
    LlmClient *llm = nullptr;
    UsageLedger ledger;        // prices, the gauge, every budget and the admission of calls
    PartialCoalescer partials; // streamed replies, at most 10 events a second per call

    AdmissionControl admission;
    std::array<qint64, InjectResult::kErrorCount> refusedInjects{}; // by InjectResult::Error
    LoadMeter load;
    InjectAcknowledgements acknowledgements;
    // Finished threads stay in memory until their final row is committed, so a read never misses them.
    std::deque<std::pair<quint64, QString>> retiring;
    // Messages to or from an LLM agent that the history has not committed yet: an agent's prompt
    // (threadHistory) is the committed history plus these.
    std::deque<std::pair<quint64, MessageRecord>> uncommittedAgentMessages;
    QSet<QString> llmAgents;
    QHash<qint64, int> failedAttempts; // deliveries waiting for a retry (a listener's `retry:`) → failures so far

    // Threads whose work is done, completed once their messages are committed (ticket, id).
    std::deque<std::pair<quint64, QString>> completing;
    // Change batches waiting for the commit of the messages they carry, oldest first.
    struct Announcement
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
    std::deque<Announcement> announcements;

    // Changes waiting for the end of this event-loop tick.
    bool flushScheduled = false;
    QList<MessageRecord> pendingMessages;
    QStringList createdThreads;
    QStringList updatedThreads;
    QSet<QString> dirtyThreads;
    QSet<QString> dirtyAgents;
    QList<ErrorEvent> pendingErrors;
    QList<UsageEvent> pendingUsage;
    QList<BudgetEvent> pendingBudgetEvents;
    bool usageStateChanged = false; // see Organism::usageStateChanged()
};

// ----------------------------------------------------------------------------------------------------
// Pump observer

// Bookkeeping for a message about to be recorded: its thread (created on its first message), the
// sender's counters, and the change batch.
void Organism::Private::noteAccepted(const MessageRecord &message, bool sent)
{
    lastAcceptedId = message.id;
    lastAcceptedSeq = message.seq;
    ThreadInfo *thread = liveThread(message.threadId);
    if (!thread) {
        ThreadInfo created;
        created.id = message.threadId;
        created.createdAt = message.timestamp;
        thread = adoptThread(created);
        createdThreads.append(created.id);
    }
    if (!thread->participants.contains(message.from))
        thread->participants.append(message.from);
    if (!thread->participants.contains(message.to))
        thread->participants.append(message.to);
    ++thread->messageCount;
    thread->lastActivity = message.timestamp;
    dirtyThreads.insert(thread->id);

    auto sender = sent ? agents.find(message.from) : agents.end();
    if (sender != agents.end()) {
        ++sender->messageCount;
        sender->lastActivity = message.timestamp;
        dirtyAgents.insert(message.from);
    }
    pendingMessages.append(message);
    scheduleFlush();
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
    const quint64 ticket = store->appendMessages(messages, handled,
                                                 delivered.run ? QList<HandlerRun>{*delivered.run} : QList<HandlerRun>{});
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
                failThread(handled.threadId, handled.to, error.message, delivery(handled, timing, error.message));
            return;
        }
    }
    if (!failedAttempts.isEmpty())
        failedAttempts.remove(handled.seq);
    // Never refused for capacity: this thread was admitted (see AdmissionControl).
    admit(std::move(envelopes), delivery(handled, timing));
}

void Organism::Private::handlerFailed(const MessageRecord &handled, const QString &error, const CallTiming &timing)
{
    if (timing.started.isValid())
        load.handlerEnded(double(timing.started.msecsTo(timing.ended)));
    auto agent = agents.find(handled.to);
    if (agent != agents.end())
        agent->lastError = error;
    dirtyAgents.insert(handled.to);
    if (retryDelivery(handled, error))
        return;
    agentsInError.insert(handled.to);
    failThread(handled.threadId, handled.to, error, delivery(handled, timing, error));
}

// A listener's `retry:`: the delivery runs again after a back-off instead of failing its thread. It
// stays undelivered in the history meanwhile, so a stop or a crash resumes it at the next start (its
// count of attempts then begins anew).
bool Organism::Private::retryDelivery(const MessageRecord &handled, const QString &error)
{
    const ListenerConfig *listener = config.listener(handled.to);
    if (!listener || listener->retry.attempts <= 1)
        return false;
    const int failures = failedAttempts.value(handled.seq) + 1;
    if (failures >= listener->retry.attempts) {
        failedAttempts.remove(handled.seq);
        return false;
    }
    // Doubling from `backoff`, at most five minutes (or `backoff` itself, when it is longer).
    const double ceiling = std::max(listener->retry.backoffSeconds, 300.0);
    const double wait = std::min(listener->retry.backoffSeconds * std::pow(2.0, failures - 1), ceiling);
    if (!pump->retryLater(handled, std::chrono::milliseconds(qint64(wait * 1000)))) {
        failedAttempts.remove(handled.seq);
        return false;
    }
    failedAttempts.insert(handled.seq, failures);
    raiseError(handled.threadId, handled.to,
               u"%1 (attempt %2 of %3 failed; trying again in %4 s)"_s.arg(error).arg(failures).arg(listener->retry.attempts)
                   .arg(QString::number(wait, 'g', 3)));
    return true;
}

void Organism::Private::agentChanged(const QString &agent)
{
    if (pump->inFlight(agent) > 0) {
        agentsInError.remove(agent);
        auto it = agents.find(agent);
        if (it != agents.end())
            it->lastActivity = QDateTime::currentDateTimeUtc();
    }
    dirtyAgents.insert(agent);
    scheduleFlush();
}

void Organism::Private::threadDrained(const QString &threadId)
{
    // Completed once its messages are committed: whoever sees `completed` can read all of them.
    ThreadInfo *thread = liveThread(threadId);
    if (thread && thread->status == ThreadStatus::Active) {
        completing.emplace_back(lastMessageTicket, threadId);
        releaseCommitted();
    }
    if (status == OrganismStatus::Stopping && pump->isIdle())
        QMetaObject::invokeMethod(q, [this] { finishStop(); }, Qt::QueuedConnection);
}

// A drain has nothing left to wait for when all that is left waits for a paused agent or a held thread.
void Organism::Private::pumpBlocked()
{
    if (status == OrganismStatus::Stopping)
        QMetaObject::invokeMethod(q, [this] { finishStop(); }, Qt::QueuedConnection);
}

void Organism::Private::threadHeld(const MessageRecord &message, const QString &reason)
{
    ledger.noteHeld(message.threadId, message.to, reason);
    qCInfo(lcOrganism).noquote() << "thread" << message.threadId << "held:" << reason;
}

// ----------------------------------------------------------------------------------------------------
// Agent services

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
    modelsServedAfterReload = models;
    return true;
}

void Organism::Private::markUsageStateChanged()
{
    usageStateChanged = true;
    scheduleFlush();
}

void Organism::Private::usageMetered(const UsageEvent &event, const LlmTranscript &transcript)
{
    store->appendUsage(event, transcript);
    pendingUsage.append(event);
    scheduleFlush();
}

// The original's R2 router: each threshold becomes a BudgetWarning message to the agent, in its thread.
void Organism::Private::threadThresholdCrossed(const QString &agent, const BudgetThreshold &threshold)
{
    const ThreadBudget &budget = threshold.budget;
    QVariantMap fields;
    fields.insert(u"percent_used"_s, std::round(budget.percentUsed() * 10) / 10);
    fields.insert(u"tokens_used"_s, budget.totalTokens());
    fields.insert(u"tokens_remaining"_s, budget.remaining());
    fields.insert(u"max_tokens"_s, budget.maxTokens);
    fields.insert(u"severity"_s, threshold.severity);
    fields.insert(u"message"_s, threshold.message());
    Payload payload;
    SchemaError error;
    if (schemas->buildPayload(AgentListener::kBudgetWarningType, fields, &payload, &error)) {
        MessageRecord warning;
        warning.threadId = budget.threadId;
        warning.from = u"system.budget"_s;
        warning.to = agent.isEmpty() ? u"system"_s : agent;
        warning.payloadType = payload.type;
        warning.fields = payload.fields;
        warning.xml = payload.xml;
        if (router.entry(warning.to))
            admit({warning});
    } else {
        qCWarning(lcOrganism).noquote() << "cannot build a BudgetWarning:" << error.message;
    }
    budgetChanged(BudgetEvent{budget.threadId, agent, threshold.severity, budget, threshold.message(),
                              QDateTime::currentDateTimeUtc()});
}

void Organism::Private::budgetChanged(const BudgetEvent &event)
{
    pendingBudgetEvents.append(event);
    scheduleFlush();
}

void Organism::Private::endThreadBudget(const QString &threadId)
{
    ledger.endThread(threadId);
    pump->releaseThread(threadId);
}

// ----------------------------------------------------------------------------------------------------
// Bookkeeping

// Takes a thread into memory (new, or back from the history). Only finished threads leave it again.
ThreadInfo *Organism::Private::adoptThread(const ThreadInfo &thread)
{
    activeThreads += thread.status == ThreadStatus::Active;
    return &threads.insert(thread.id, thread).value();
}

ThreadInfo *Organism::Private::liveThread(const QString &id)
{
    auto it = threads.find(id);
    return it == threads.end() ? nullptr : &it.value();
}

// A message for a thread that has finished continues that conversation: the thread is active again.
// A thread in error moves on without what failed (a retry would have run it again).
ThreadInfo *Organism::Private::reopenThread(const QString &id)
{
    ThreadInfo *thread = liveThread(id);
    if (!thread) {
        // Not in memory: finished, and its final row committed (finished threads stay until then).
        std::optional<ThreadInfo> stored = store->thread(id);
        if (!stored)
            return nullptr;
        thread = adoptThread(*stored);
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

// The door of a retry is the door of an inject: running, a history that commits, room in the queue.
// Then the thread's undelivered messages — the failed delivery, and what its failure cut short — are
// queued again, in their order, and the thread is active.
RetryResult Organism::Private::requeueFailed(const QString &threadId, quint64 *ticket)
{
    RetryResult result;
    result.threadId = threadId;
    ThreadInfo *thread = liveThread(threadId);
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
        thread = adoptThread(*stored);
    setThreadStatus(*thread, ThreadStatus::Active, {});
    for (const MessageRecord &message : failed)
        pump->enqueue(message);
    dirtyThreads.remove(threadId);
    *ticket = store->saveThread(*thread);
    result.deliveries = int(failed.size());
    qCInfo(lcOrganism).noquote() << "thread" << threadId << "retried:" << failed.size() << "delivery(ies) queued again";
    return result;
}

void Organism::Private::setThreadStatus(ThreadInfo &thread, ThreadStatus newStatus, const QString &error)
{
    if (newStatus != ThreadStatus::Active)
        endThreadBudget(thread.id);
    activeThreads += (newStatus == ThreadStatus::Active) - (thread.status == ThreadStatus::Active);
    thread.status = newStatus;
    thread.error = error;
    thread.lastActivity = QDateTime::currentDateTimeUtc();
    dirtyThreads.insert(thread.id);
    if (!updatedThreads.contains(thread.id))
        updatedThreads.append(thread.id);
    scheduleFlush();
}

void Organism::Private::failThread(const QString &threadId, const QString &agent, const QString &error,
                                   const Delivery &delivered)
{
    raiseError(threadId, agent, error);
    if (ThreadInfo *thread = liveThread(threadId)) {
        if (thread->status == ThreadStatus::Active) {
            setThreadStatus(*thread, ThreadStatus::Error, error);
            load.threadFailed();
        }
    }
    // What failed and what the failure cut short stay undelivered: not resumed at a start (the thread
    // is in error) but kept for a retry, or dropped by a kill. How the failed call ran is recorded.
    const QList<qint64> stopped = pump->cancelThread(threadId);
    if (!failedAttempts.isEmpty()) {
        for (qint64 seq : stopped)
            failedAttempts.remove(seq);
        failedAttempts.remove(delivered.handledSeq);
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
    pendingErrors.append(ErrorEvent{threadId, agent, error, QDateTime::currentDateTimeUtc()});
    scheduleFlush();
}

AgentInfo Organism::Private::agentSnapshot(const QString &name) const
{
    AgentInfo info = agents.value(name);
    info.queueDepth = pump->queueDepth(name);
    info.inFlight = pump->inFlight(name);
    info.currentThread.clear();
    if (pump->isPaused(name)) {
        info.state = AgentState::Paused;
    } else if (info.inFlight > 0) {
        info.state = AgentState::Processing;
        info.currentThread = pump->currentThread(name);
    } else if (agentsInError.contains(name)) {
        info.state = AgentState::Error;
    } else if (info.queueDepth > 0) {
        info.state = AgentState::Waiting; // work queued, held back by a limit, a pause or a held thread
    } else {
        info.state = AgentState::Idle;
    }
    return info;
}

void Organism::Private::scheduleFlush()
{
    if (flushScheduled)
        return;
    flushScheduled = true;
    QMetaObject::invokeMethod(q, [this] { flush(); }, Qt::QueuedConnection);
}

// Writes every changed thread to the history. A thread's row is written when it starts (with its first
// message, see enqueueInject) and when its status changes (flush); in between, the rows of running
// threads are written every kThreadSaveIntervalMs, before a listing and at shutdown — their counts,
// not one row write per message. A listing overlays the live rows anyway (threads()).
void Organism::Private::persistPending()
{
    for (const QString &id : std::as_const(dirtyThreads)) {
        auto it = threads.find(id);
        if (it == threads.end())
            continue;
        store->saveThread(*it);
    }
    dirtyThreads.clear();
}

void Organism::Private::persistFinished(const QList<ThreadInfo> &finished)
{
    for (const ThreadInfo &thread : finished) {
        if (dirtyThreads.remove(thread.id))
            store->saveThread(thread);
    }
    if (!dirtyThreads.isEmpty() && !threadSaveTimer.isActive())
        threadSaveTimer.start();
}

void Organism::Private::flush()
{
    flushScheduled = false;
    QList<ThreadInfo> created;
    for (const QString &id : std::as_const(createdThreads)) {
        if (const ThreadInfo *thread = liveThread(id))
            created.append(*thread);
    }
    QList<ThreadInfo> updated;
    for (const QString &id : std::as_const(updatedThreads)) {
        if (const ThreadInfo *thread = liveThread(id))
            updated.append(*thread);
    }
    createdThreads.clear();
    updatedThreads.clear();
    persistFinished(updated);
    retireFinished(updated);
    QList<AgentInfo> changedAgents;
    for (const QString &name : std::as_const(dirtyAgents)) {
        if (!agents.contains(name))
            continue;
        const AgentInfo info = agentSnapshot(name);
        store->saveAgent(name, info.messageCount, info.lastActivity);
        changedAgents.append(info);
    }
    dirtyAgents.clear();
    Announcement next;
    next.ticket = lastMessageTicket;
    next.created = std::move(created);
    next.messages = std::exchange(pendingMessages, {});
    next.agents = std::move(changedAgents);
    next.updated = std::move(updated);
    next.errors = std::exchange(pendingErrors, {});
    next.usage = std::exchange(pendingUsage, {});
    next.budgets = std::exchange(pendingBudgetEvents, {});
    next.usageStateChanged = std::exchange(usageStateChanged, false);
    announcements.push_back(std::move(next));
    announceCommitted();
}

// Change batches go out once the messages they carry are committed: a client that reads after an
// event finds what it announced (reads answer from the history).
void Organism::Private::announceCommitted()
{
    const quint64 committed = store->isOpen() ? store->committedTicket() : std::numeric_limits<quint64>::max();
    while (!announcements.empty() && announcements.front().ticket <= committed) {
        const Announcement batch = std::move(announcements.front());
        announcements.pop_front();
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
}

// Finished threads live on in the history only: memory holds what is still running, and what has
// finished until its final row is committed (onCommitted() lets it go).
void Organism::Private::retireFinished(const QList<ThreadInfo> &updated)
{
    const quint64 ticket = store->lastTicket();
    for (const ThreadInfo &thread : updated) {
        if (thread.status != ThreadStatus::Active)
            retiring.emplace_back(ticket, thread.id);
    }
    releaseCommitted();
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
// memory; committed agent messages leave the prompt tail.
void Organism::Private::releaseCommitted()
{
    const quint64 committed = store->isOpen() ? store->committedTicket() : std::numeric_limits<quint64>::max();
    updateDispatchHold();
    while (!retiring.empty() && retiring.front().first <= committed) {
        auto it = threads.find(retiring.front().second);
        retiring.pop_front();
        if (it != threads.end() && it->status != ThreadStatus::Active && !pump->hasWork(it->id))
            threads.erase(it);
    }
    while (!uncommittedAgentMessages.empty() && uncommittedAgentMessages.front().first <= committed)
        uncommittedAgentMessages.pop_front();
    while (!completing.empty() && completing.front().first <= committed) {
        const QString threadId = completing.front().second;
        completing.pop_front();
        ThreadInfo *thread = liveThread(threadId);
        if (thread && thread->status == ThreadStatus::Active && !pump->hasWork(threadId))
            setThreadStatus(*thread, ThreadStatus::Completed, {});
    }
}

void Organism::Private::answerAcknowledgements()
{
    const quint64 committed = store->isOpen() ? store->committedTicket() : 0;
    // The recorded messages go out first: a WebSocket client sees `message` before `injected`.
    acknowledgements.answerCommitted(committed, lastAnnouncedSeq);
}

QList<AgentBacklog> Organism::Private::backlog() const
{
    QList<AgentBacklog> out;
    for (const QString &name : order) {
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
// Building

ListenerEnvironment Organism::Private::environment() const
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
    env.agentServices = const_cast<Private *>(this);
    env.configDirectory = config.filePath.isEmpty() ? QDir::currentPath() : QFileInfo(config.filePath).absolutePath();
    return env;
}

std::unique_ptr<Listener> Organism::Private::createListener(const ListenerConfig &listener, QString *error) const
{
    switch (listener.handler.kind) {
    case HandlerSpec::Kind::Builtin:
        return BuiltinListener::create(listener, environment(), error);
    case HandlerSpec::Kind::Exec:
        return std::make_unique<ExecListener>(listener, environment());
    case HandlerSpec::Kind::Agent:
        if (listener.model.isEmpty()) {
            *error = u"an LLM agent needs `model:` (the model to ask the router for)"_s;
            return nullptr;
        }
        if (!llm || !(llm->serves(listener.model) || modelsServedAfterReload.contains(listener.model))) {
            *error = u"no LLM backend serves model '%1' (configure one under llm.backends)"_s.arg(listener.model);
            return nullptr;
        }
        return std::make_unique<AgentListener>(listener, environment());
    }
    return nullptr;
}

// A listener-level failure (an exec child died, or wrote garbage) belongs to no thread: the operator
// sees it as an error event for the agent; the calls it broke fail their threads on their own. What a
// handler logs is logged once, by its listener (agentdesk.exec).
void Organism::Private::watchListener(Listener *listener)
{
    const QString name = listener->name();
    QObject::connect(listener, &Listener::faulted, q, [this, name](const QString &error) {
        auto agent = agents.find(name);
        if (agent != agents.end())
            agent->lastError = error;
        dirtyAgents.insert(name);
        // The listener logged it already; record the event without a second log line.
        pendingErrors.append(ErrorEvent{{}, name, error, QDateTime::currentDateTimeUtc()});
        scheduleFlush();
    });
}

AgentInfo Organism::Private::staticInfo(const ListenerConfig &listener) const
{
    AgentInfo info;
    info.name = listener.name;
    info.description = listener.description;
    info.isAgent = listener.agent;
    info.peers = listener.peers;
    info.payloadClass = listener.payloadClass;
    info.payloadType = listener.payloadType;
    info.rootTag = SchemaRegistry::rootTag(listener.name, listener.payloadType);
    info.handler = handlerText(listener);
    return info;
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
        entries.append(RouteEntry{listener.name, listener.payloadType, listener.agent, listener.broadcast, listener.peers});
    router.setSchemas(schemas.get());
    router.setEntries(entries);
}

void Organism::Private::restoreCounters()
{
    const qint64 lastSeq = store->maxSeq();
    totalMessages = lastSeq;
    pump->setNextSeq(lastSeq + 1);
    const auto counters = store->agentCounters();
    for (auto it = agents.begin(); it != agents.end(); ++it) {
        const auto counter = counters.constFind(it.key());
        if (counter != counters.cend()) {
            it->messageCount = counter->first;
            it->lastActivity = counter->second;
        }
    }
}

// What the previous run (or this one, before a stop) left unfinished continues: its undelivered
// messages are queued again, in their original order, with their seq, id, sender and depth. A
// message that was being handled when the process ended is among them: its handler runs again.
void Organism::Private::resumeUnfinished()
{
    ResumePlan::Options options;
    options.listeners = order;
    options.resume = config.resumeOnStart;
    // Running threads' rows are written lazily: after a crash the newest ones may exist only through
    // their messages.
    if (store->previousRunEndedUncleanly())
        options.rowlessAfterSeq = std::max<qint64>(0, store->maxSeq() - kUnsavedThreadWindow);
    const ResumePlan plan = ResumePlan::build(*store, options);

    for (const ResumePlan::Thread &resumed : plan.resume) {
        ThreadInfo *thread = liveThread(resumed.info.id);
        if (!thread)
            thread = adoptThread(resumed.info);
        else if (thread->status != ThreadStatus::Active)
            setThreadStatus(*thread, ThreadStatus::Active, {});
        for (const MessageRecord &message : resumed.messages)
            pump->enqueue(message);
    }
    for (const ThreadInfo &failed : plan.failed) {
        ThreadInfo *thread = liveThread(failed.id);
        if (!thread) {
            ThreadInfo active = failed;
            active.status = ThreadStatus::Active;
            thread = adoptThread(active);
        }
        raiseError(failed.id, {}, failed.error);
        setThreadStatus(*thread, ThreadStatus::Error, failed.error);
    }
    for (const ThreadInfo &finished : plan.completed) {
        if (!liveThread(finished.id))
            store->saveThread(finished);
    }
    if (!plan.dropped.isEmpty())
        store->markDelivered(plan.dropped);
    if (!plan.resume.isEmpty() || !plan.failed.isEmpty())
        qCInfo(lcOrganism).noquote() << "resumed" << plan.resume.size() << "unfinished thread(s);"
                                     << plan.failed.size() << "could not resume";
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
    for (auto it = threads.cbegin(); it != threads.cend(); ++it)
        dirtyThreads.insert(it.key());
    flush();
    persistPending();
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
    InjectResult refusal;
    refusal.error = InjectResult::Error::HistoryUnavailable;
    const QString problem = historyProblem();
    refusal.message = u"not stored: the history did not commit this message before the organism stopped"_s
                      + (problem.isEmpty() ? QString() : u" ("_s + problem + u')');
    acknowledgements.refuseAll(refusal);
    // Unfinished threads live on in the history; a start takes them up again.
    for (auto it = threads.cbegin(); it != threads.cend(); ++it)
        ledger.endThread(it.key());
    threads.clear();
    retiring.clear();
    completing.clear();
    uncommittedAgentMessages.clear();
    activeThreads = 0;
    markUsageStateChanged();
    status = OrganismStatus::Stopped;
    flush();
    emit q->statusChanged(status);
    emit q->stopped();
}

// ----------------------------------------------------------------------------------------------------
// Organism

Organism::Organism(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
    d->uptime.start();
    d->threadSaveTimer.setSingleShot(true);
    d->threadSaveTimer.setInterval(kThreadSaveIntervalMs);
    connect(&d->threadSaveTimer, &QTimer::timeout, this, [this] { d->persistPending(); });
    d->drainTimer.setSingleShot(true);
    connect(&d->drainTimer, &QTimer::timeout, this, [this] { d->finishStop(); });
    d->stopCommitTimer.setSingleShot(true);
    connect(&d->stopCommitTimer, &QTimer::timeout, this, [this] { d->completeStop(); });
}

Organism::~Organism()
{
    // Their callers may be half gone too: a destructor is no place to call back into them.
    d->acknowledgements.clear();
    if (d->pump)
        d->pump->cancelAll();
    for (auto &[name, listener] : d->listeners)
        listener->stop();
    d->listeners.clear();
    if (d->store) {
        d->persistPending();
        d->store->close();
    }
}

namespace {
// Budget warnings travel as messages, so their payload type exists in every organism.
QList<PayloadTypeSpec> withSystemTypes(QList<PayloadTypeSpec> payloads)
{
    for (const PayloadTypeSpec &type : std::as_const(payloads)) {
        if (type.name == AgentListener::kBudgetWarningType)
            return payloads;
    }
    PayloadTypeSpec warning;
    warning.name = AgentListener::kBudgetWarningType;
    const auto field = [&warning](const char *name, const char *type) {
        warning.fields.append(FieldSpec{QString::fromLatin1(name), QString::fromLatin1(type), false, false, 0});
    };
    field("percent_used", "decimal");
    field("tokens_used", "integer");
    field("tokens_remaining", "integer");
    field("max_tokens", "integer");
    field("severity", "string");
    field("message", "string");
    payloads.append(warning);
    return payloads;
}
} // namespace

void Organism::setLlmClient(LlmClient *client)
{
    d->llm = client;
}

bool Organism::load(const OrganismConfig &config, const QString &dataDirectory, QString *error)
{
    auto schemas = SchemaRegistry::build(withSystemTypes(config.payloads), error);
    if (!schemas)
        return false;
    auto store = std::make_unique<HistoryStore>();
    // No back-pressure from the store: the organism bounds what it hands over itself (a handler runs
    // only on a committed message, new injects pass the admission), and the engine thread never waits.
    store->setMaxPending(0);
    store->setOrganismName(config.name);
    if (!store->open(dataDirectory, config.history, error))
        return false;

    d->config = config;
    d->dataDirectory = dataDirectory;
    d->ledger.configure(config);
    d->schemas = std::move(schemas);
    d->store = std::move(store);
    connect(d->store.get(), &HistoryStore::committed, this, [this] {
        d->onCommitted();
        emit historyCommitted();
    });
    connect(d->store.get(), &HistoryStore::healthChanged, this, [this] {
        const QString problem = d->historyProblem();
        if (problem.isEmpty())
            qCInfo(lcOrganism).noquote() << "the history commits again";
        else
            qCWarning(lcOrganism).noquote() << "the history cannot commit; new injects are refused:" << problem;
        d->updateDispatchHold();
        // Nothing more can be committed: a drain has nothing left to wait for.
        if (!problem.isEmpty() && d->status == OrganismStatus::Stopping)
            d->finishStop();
        emit historyHealthChanged();
    });
    d->pump = std::make_unique<MessagePump>(d.get());
    d->applyLimits();
    d->applyRoutes();

    for (const ListenerConfig &listener : std::as_const(config.listeners)) {
        QString listenerError;
        std::unique_ptr<Listener> created = d->createListener(listener, &listenerError);
        if (!created) {
            *error = u"%1:%2: listeners.%3: %4"_s.arg(config.filePath).arg(listener.line).arg(listener.name, listenerError);
            d->listeners.clear();
            d->pump.reset();
            d->store.reset();
            return false;
        }
        d->watchListener(created.get());
        d->pump->addListener(created.get());
        d->order.append(listener.name);
        d->agents.insert(listener.name, d->staticInfo(listener));
        d->listeners.emplace(listener.name, std::move(created));
    }
    d->restoreCounters();
    d->ledger.restore(d->store.get());
    return true;
}

bool Organism::start(QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (d->status == OrganismStatus::Running || d->status == OrganismStatus::Stopping) {
        *error = u"the organism is %1"_s.arg(toString(d->status));
        return false;
    }
    if (!d->store) {
        *error = u"the organism is not loaded"_s;
        return false;
    }
    // Resuming next to a batch the disk has not taken yet could run a handler twice: wait for the disk.
    if (const QString problem = d->historyProblem(); !problem.isEmpty()) {
        *error = u"the history cannot commit: "_s + problem;
        return false;
    }
    for (auto &[name, listener] : d->listeners)
        listener->start();
    d->status = OrganismStatus::Running;
    d->resumeUnfinished();
    d->scheduleFlush();
    emit statusChanged(d->status);
    return true;
}

void Organism::stop(std::chrono::milliseconds drain)
{
    if (d->status != OrganismStatus::Running && d->status != OrganismStatus::Starting)
        return;
    d->status = OrganismStatus::Stopping;
    emit statusChanged(d->status);
    if (!d->pump || d->pump->isIdle() || d->pump->isBlocked() || d->store->health().failing) {
        QMetaObject::invokeMethod(this, [this] { d->finishStop(); }, Qt::QueuedConnection);
        return;
    }
    d->drainTimer.start(drain);
}

const OrganismConfig &Organism::config() const { return d->config; }
OrganismStatus Organism::status() const { return d->status; }
QStringList Organism::listenerNames() const { return d->order; }
const SchemaRegistry *Organism::schemas() const { return d->schemas.get(); }
HistoryStore *Organism::store() const { return d->store.get(); }

OrganismInfo Organism::info() const
{
    OrganismInfo info;
    info.name = d->config.name;
    info.status = d->status;
    info.uptimeSeconds = double(d->uptime.nsecsElapsed()) / 1e9;
    info.agentCount = int(d->order.size());
    info.activeThreads = d->activeThreads;
    info.totalMessages = d->totalMessages;
    info.identityConfigured = !d->config.identity.isEmpty() && QFileInfo::exists(d->config.identity);
    if (d->pump)
        info.saturation = d->admission.saturation(d->pump->totalQueued(), d->backlog());
    const LoadMeter::Figures load = d->load.figures();
    info.saturation.messagesPerSecond = load.messagesPerSecond;
    info.saturation.handledLastMinute = load.handledLastMinute;
    info.saturation.threadErrorsLastMinute = load.threadErrorsLastMinute;
    info.saturation.handlerP50Ms = load.handlerP50Ms;
    info.saturation.handlerP95Ms = load.handlerP95Ms;
    info.historyProblem = d->historyProblem();
    return info;
}

QList<AgentInfo> Organism::agents() const
{
    QList<AgentInfo> out;
    out.reserve(d->order.size());
    for (const QString &name : std::as_const(d->order))
        out.append(d->agentSnapshot(name));
    return out;
}

std::optional<AgentInfo> Organism::agent(const QString &name) const
{
    if (!d->agents.contains(name))
        return std::nullopt;
    return d->agentSnapshot(name);
}

QList<Capability> Organism::capabilities() const
{
    QStringList names = d->order;
    std::sort(names.begin(), names.end()); // code-point order, as the original's Python sort
    QList<Capability> out;
    for (const QString &name : std::as_const(names)) {
        if (auto capability = this->capability(name))
            out.append(*capability);
    }
    return out;
}

std::optional<Capability> Organism::capability(const QString &name) const
{
    const ListenerConfig *listener = d->config.listener(name);
    if (!listener)
        return std::nullopt;
    Capability capability;
    capability.name = listener->name;
    capability.description = listener->description;
    capability.isAgent = listener->agent;
    capability.peers = listener->peers;
    capability.rootTag = SchemaRegistry::rootTag(listener->name, listener->payloadType);
    capability.payloadClass = listener->payloadClass;
    capability.payloadType = listener->payloadType;
    capability.schemaXsd = d->schemas->xsd(listener->payloadType);
    capability.exampleXml = d->schemas->exampleXml(listener->payloadType);
    return capability;
}

// Reads answer from what the history has committed, without waiting for the writer. An acknowledged
// inject is committed with its thread's row; a finished thread stays in memory until its final row is
// committed; and the rows in a page are brought up to date from memory: what a client was told is there.
ThreadPage Organism::threads(const ThreadQuery &query) const
{
    d->persistPending();
    ThreadPage page = d->store->threads(query);
    for (ThreadInfo &thread : page.items) {
        if (const ThreadInfo *live = d->liveThread(thread.id))
            thread = *live;
    }
    return page;
}

std::optional<ThreadInfo> Organism::thread(const QString &id) const
{
    if (const ThreadInfo *live = d->liveThread(id))
        return *live;
    return d->store->thread(id);
}

MessagePage Organism::messages(const MessageQuery &query) const
{
    return d->store->messages(query);
}

std::optional<ThreadTrace> Organism::trace(const QString &threadId, int limit) const
{
    std::optional<ThreadTrace> trace = d->store->trace(threadId, limit);
    if (!trace)
        return trace;
    if (const ThreadInfo *live = d->liveThread(threadId))
        trace->thread = *live;
    // Calls in flight have no run in the history yet.
    const QHash<qint64, QDateTime> running = d->pump->runningSince(threadId);
    for (TraceHop &hop : trace->hops) {
        if (!hop.run && running.contains(hop.message.seq))
            hop.run = HandlerRun{hop.message.seq, running.value(hop.message.seq), {}, {}};
    }
    return trace;
}

InjectResult Organism::inject(const InjectRequest &request)
{
    return injectBatch({request}).first();
}

QList<InjectResult> Organism::injectBatch(const QList<InjectRequest> &requests)
{
    QList<InjectResult> results;
    results.reserve(requests.size());
    quint64 lastTicket = 0;
    for (const InjectRequest &request : requests) {
        quint64 ticket = 0;
        results.append(d->enqueueInject(request, &ticket));
        ++d->refusedInjects[std::size_t(results.last().error)];
        lastTicket = std::max(lastTicket, ticket);
    }
    // Acknowledge only what is committed: a crash after this point loses nothing the caller was told.
    if (lastTicket == 0 || d->store->waitForCommit(lastTicket, kCommitWait))
        return results;
    InjectResult refusal;
    refusal.error = InjectResult::Error::HistoryUnavailable;
    const QString problem = d->historyProblem();
    refusal.message = u"not acknowledged: the history did not commit the message within %1 s"_s.arg(kCommitWait.count())
                      + (problem.isEmpty() ? QString() : u" ("_s + problem + u')');
    for (InjectResult &result : results) {
        if (result.ok())
            result = refusal;
    }
    return results;
}

void Organism::injectAcknowledged(const InjectRequest &request, QObject *context,
                                  std::function<void(const InjectResult &)> done)
{
    quint64 ticket = 0;
    InjectResult result = d->enqueueInject(request, &ticket);
    if (!result.ok()) {
        ++d->refusedInjects[std::size_t(result.error)];
        done(result);
        return;
    }
    // Answered from the event loop once committed (HistoryStore::committed), never from in here.
    d->acknowledgements.add(ticket, d->lastAcceptedSeq, context, std::move(done), std::move(result));
}

void Organism::branchAcknowledged(const BranchRequest &request, QObject *context,
                                  std::function<void(const InjectResult &)> done)
{
    quint64 ticket = 0;
    InjectResult result = d->enqueueBranch(request, &ticket);
    if (!result.ok()) {
        done(result);
        return;
    }
    d->acknowledgements.add(ticket, d->lastAcceptedSeq, context, std::move(done), std::move(result));
}

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
    if (ThreadInfo *thread = liveThread(threadId)) {
        dirtyThreads.remove(threadId);
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
    ThreadInfo *thread = liveThread(threadId);
    if (!thread)
        return result;
    thread->createdAt = QDateTime::currentDateTimeUtc(); // not the time of the first copy
    dirtyThreads.remove(threadId);
    store->saveThread(*thread);
    *ticket = store->saveThreadOrigin(threadId, {request.kind, request.threadId, request.messageId, lastAcceptedSeq});
    result.threadId = threadId;
    result.messageId = lastAcceptedId;
    return result;
}

bool Organism::pauseAgent(const QString &name)
{
    if (!d->agents.contains(name))
        return false;
    d->pump->pause(name);
    return true;
}

bool Organism::resumeAgent(const QString &name)
{
    if (!d->agents.contains(name))
        return false;
    d->agentsInError.remove(name);
    d->pump->resume(name);
    return true;
}

bool Organism::killThread(const QString &id)
{
    ThreadInfo *thread = d->liveThread(id);
    if (!thread) {
        std::optional<ThreadInfo> stored = d->store->thread(id);
        if (!stored)
            return false;
        thread = d->adoptThread(*stored);
    }
    const QList<qint64> dropped = d->pump->cancelThread(id);
    if (!dropped.isEmpty())
        d->store->markDelivered(dropped); // a killed thread is not resumed
    if (thread->status == ThreadStatus::Error)
        d->dropFailed(id); // nor retried
    d->setThreadStatus(*thread, ThreadStatus::Killed, {});
    return true;
}

void Organism::retryThreadAcknowledged(const QString &id, QObject *context,
                                       std::function<void(const RetryResult &)> done)
{
    quint64 ticket = 0;
    const RetryResult result = d->requeueFailed(id, &ticket);
    if (!result.ok()) {
        done(result);
        return;
    }
    // Answered once the thread's row, active again, is committed: acknowledged means on disk.
    d->acknowledgements.add(ticket, 0, context,
                            [done = std::move(done), result](const InjectResult &committed) {
                                if (committed.ok()) {
                                    done(result);
                                    return;
                                }
                                RetryResult refused;
                                refused.error = RetryResult::Error::HistoryUnavailable;
                                refused.message = committed.message;
                                refused.threadId = result.threadId;
                                done(refused);
                            },
                            InjectResult{});
}

ReloadResult Organism::reload()
{
    ReloadResult result;
    if (d->config.filePath.isEmpty()) {
        result.error = u"No config path available for reload"_s;
        return result;
    }
    const ConfigLoadResult loaded = ConfigLoader::loadFile(d->config.filePath);
    // Warnings are reported whether or not the reload goes ahead: a misspelt key is never silent.
    for (const ConfigWarning &warning : loaded.warnings) {
        result.warnings.append(warning.toString());
        qCWarning(lcOrganism).noquote() << "reload: warning:" << warning.toString();
    }
    if (!loaded.ok()) {
        QStringList errors;
        for (const ConfigError &error : loaded.errors)
            errors << error.toString();
        result.error = errors.join(u"; ");
        return result;
    }
    OrganismConfig next = *loaded.config;
    auto nextSchemas = SchemaRegistry::build(withSystemTypes(next.payloads), &result.error);
    if (!nextSchemas)
        return result;

    // A changed llm section is checked first (usable backends, every agent's model served); it is applied
    // with the rest, once nothing can fail any more.
    const bool llmChanged = d->llm && !sameLlmRouting(d->config.llm, next.llm);
    if (llmChanged && !d->checkLlmChange(next, &result.error))
        return result;
    const QScopeGuard forgetServed([this] { d->modelsServedAfterReload.clear(); });

    // Build every new or changed listener before touching the running organism, so a failure leaves it as it was.
    std::map<QString, std::unique_ptr<Listener>> built;
    for (const ListenerConfig &listener : std::as_const(next.listeners)) {
        const ListenerConfig *current = d->config.listener(listener.name);
        if (current && sameListener(*current, listener, d->config, next))
            continue;
        QString error;
        std::unique_ptr<Listener> created = d->createListener(listener, &error);
        if (!created) {
            result.error = u"%1:%2: listeners.%3: %4"_s.arg(next.filePath).arg(listener.line).arg(listener.name, error);
            return result;
        }
        (current ? result.updated : result.added).append(listener.name);
        d->watchListener(created.get());
        built.emplace(listener.name, std::move(created));
    }
    for (const QString &name : std::as_const(d->order)) {
        if (!next.listener(name))
            result.removed.append(name);
    }

    if (llmChanged && !d->llm->reconfigure(next.llm, &result.error))
        return result;
    for (const QString &name : std::as_const(result.removed)) {
        d->pump->removeListener(name);
        d->listeners.at(name)->stop();
        d->listeners.erase(name);
        d->agents.remove(name);
        d->agentsInError.remove(name);
        d->order.removeAll(name);
    }
    d->config = next;
    d->schemas = std::move(nextSchemas);
    d->ledger.configure(next, d->store.get());
    d->applyLimits();
    d->applyRoutes();
    for (auto &[name, listener] : built) {
        const bool existing = d->listeners.count(name) > 0;
        if (existing)
            d->listeners.at(name)->stop();
        AgentInfo info = d->staticInfo(*d->config.listener(name));
        if (existing) {
            info.messageCount = d->agents.value(name).messageCount;
            info.lastActivity = d->agents.value(name).lastActivity;
        } else {
            d->order.append(name);
        }
        d->agents.insert(name, info);
        if (existing)
            d->pump->replaceListener(listener.get());
        else
            d->pump->addListener(listener.get());
        if (d->status == OrganismStatus::Running)
            listener->start();
        d->listeners[name] = std::move(listener);
        d->dirtyAgents.insert(name);
    }
    result.success = true;
    d->scheduleFlush();
    emit reloaded(result);
    return result;
}

UsageSnapshot Organism::usage() const { return d->ledger.tracker().snapshot(); }
UsageCounters Organism::agentUsage(const QString &agentId) const { return d->ledger.tracker().agent(agentId); }
UsageCounters Organism::modelUsage(const QString &model) const { return d->ledger.tracker().model(model); }
void Organism::resetUsage() { d->ledger.resetGauge(d->store.get()); }
const PriceTable &Organism::prices() const { return d->ledger.prices(); }
QList<LlmBackendState> Organism::llmBackends() const { return d->llm ? d->llm->backendStates() : QList<LlmBackendState>(); }
QList<ThreadBudget> Organism::budgets() const { return d->ledger.threadBudgets().budgets(); }
std::optional<ThreadBudget> Organism::budget(const QString &threadId) const
{
    return d->ledger.threadBudgets().budget(threadId);
}
QList<HandlerStats> Organism::handlerStats() const
{
    return d->pump ? d->pump->handlerStats() : QList<HandlerStats>();
}

qint64 Organism::injectsRefused(InjectResult::Error reason) const
{
    return reason == InjectResult::Error::None ? 0 : d->refusedInjects[std::size_t(reason)];
}
qint64 Organism::defaultMaxTokens() const { return d->ledger.threadBudgets().defaultMaxTokens(); }

std::optional<ThreadBudget> Organism::setThreadBudget(const QString &threadId, qint64 maxTokens)
{
    if (!d->ledger.threadBudgets().contains(threadId) && !thread(threadId))
        return std::nullopt;
    return d->ledger.setThreadBudget(threadId, maxTokens);
}

QList<ScopeBudget> Organism::scopeBudgets() const { return d->ledger.scopeBudgets().budgets(); }
std::optional<ScopeBudget> Organism::scopeBudget(const QString &scope) const
{
    return d->ledger.scopeBudgets().budget(scope);
}

std::optional<ScopeBudget> Organism::setScopeBudget(const QString &scope, const ScopeBudgets::Change &change,
                                                    QString *error)
{
    const bool organismScope = scope == QLatin1StringView(ScopeBudgets::kOrganismScope);
    const bool agentScope = scope.startsWith(u"agent:"_s) && d->agents.contains(scope.mid(6));
    if (!organismScope && !agentScope) {
        *error = u"Unknown budget scope: %1 (use organism or agent:<name>)"_s.arg(scope);
        return std::nullopt;
    }
    const std::optional<ScopeBudget> budget = d->ledger.setScopeBudget(scope, change, d->store.get());
    if (!budget)
        *error = u"No budget for %1 yet: give maxTokens or maxCost"_s.arg(scope);
    return budget;
}

void Organism::flushChanges()
{
    if (d->flushScheduled)
        d->flush();
    d->announceCommitted();
}

} // namespace agentdesk
