#include "localsession.h"

#include "sessionmailbox.h"
#include "sharedhistory.h"

#include "historyview.h"

#include <QCoreApplication>
#include <QPointer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// Bounded: the writer commits a few thousand records per transaction, so this is only reached when the
// disk stalls; the read then goes ahead with what is committed.
constexpr auto kStoreSyncWait = std::chrono::seconds(2);
constexpr auto kBackendReadInterval = std::chrono::seconds(1);

QString notConnectedText()
{
    return QCoreApplication::translate("agentdesk::LocalSession", "not connected to the organism");
}

struct Connected
{
    Session::Snapshot snapshot;
    QString configPath;
    const HistoryView *store = nullptr;
};

} // namespace

LocalSession::LocalSession(Organism *organism, QObject *parent)
    : Session(parent)
    , m_organism(organism)
{
    Q_ASSERT(organism);
    m_backendTimer.setInterval(kBackendReadInterval);
    connect(&m_backendTimer, &QTimer::timeout, this, &LocalSession::readLlmBackends);
    m_organismRefresh.setInterval(2000);
    connect(&m_organismRefresh, &QTimer::timeout, this, [this] {
        if (!m_mailbox || !isConnected())
            return;
        QMetaObject::invokeMethod(
            m_organism,
            [this, organism = m_organism, mailbox = m_mailbox, epoch = m_epoch] {
                mailbox->post([this, epoch, info = organism->info()] {
                    if (isCurrent(epoch))
                        postOrganism(info);
                });
            },
            Qt::QueuedConnection);
    });
}

LocalSession::~LocalSession()
{
    disconnectSignals();
}

QString LocalSession::endpoint() const
{
    return m_endpoint;
}

void LocalSession::open()
{
    if (state() != State::Disconnected)
        return;
    const quint64 epoch = ++m_epoch;
    m_mailbox = std::make_shared<SessionMailbox>(this);
    setState(State::Connecting);
    connectSignals(epoch);

    // The snapshot is taken on the engine after flushing what is pending there: every batch emitted
    // before it reaches this thread before it (and is dropped: still Connecting), everything later after.
    QMetaObject::invokeMethod(
        m_organism,
        [this, organism = m_organism, mailbox = m_mailbox, epoch] {
            organism->flushChanges();
            Connected connected;
            // The organism here does everything it is asked (ServerAbilities' defaults); its models'
            // providers come from the configuration.
            connected.snapshot = Snapshot{organism->info(),    organism->agents(),       organism->capabilities(),
                                          organism->usage(),   organism->budgets(),      ServerAbilities{},
                                          QList<UsageEvent>(), organism->scopeBudgets(), organism->llmBackends()};
            connected.snapshot.defaultThreadBudget = organism->config().maxTokensPerThread;
            connected.configPath = organism->config().filePath;
            connected.store = organism->history();
            mailbox->post([this, epoch, connected] {
                if (epoch != m_epoch)
                    return;
                m_store = connected.store;
                m_endpoint = connected.configPath.isEmpty() ? u"local: "_s + connected.snapshot.organism.name
                                                            : u"local: "_s + connected.configPath;
                connectWith(connected.snapshot);
                m_backendTimer.start();
                m_organismRefresh.start();
            });
        },
        Qt::QueuedConnection);
}

void LocalSession::close()
{
    if (state() == State::Disconnected)
        return;
    ++m_epoch;
    m_organismRefresh.stop();
    disconnectSignals();
    m_backendTimer.stop();
    m_backendsRead = false;
    setState(State::Disconnected);
}

void LocalSession::disconnectSignals()
{
    for (const QMetaObject::Connection &connection : std::as_const(m_connections))
        QObject::disconnect(connection);
    m_connections.clear();
    if (m_mailbox)
        m_mailbox->close();
    m_mailbox.reset();
    m_organismPosted = false;
}

void LocalSession::connectSignals(quint64 epoch)
{
    Organism *organism = m_organism;
    const std::shared_ptr<SessionMailbox> mailbox = m_mailbox;

    // Engine-side captures run in the emitting thread, right after the batch was queued to us (connection
    // order), so the snapshot they post arrives after the batch it belongs to.
    const auto captureOrganism = [this, organism, mailbox, epoch] {
        mailbox->post([this, epoch, info = organism->info()] {
            if (isCurrent(epoch))
                postOrganism(info);
        });
    };
    // The thread budgets and the agent and organism budgets move together (a call spends from all).
    const auto captureBudgets = [this, organism, mailbox, epoch] {
        mailbox->post([this, epoch, budgets = organism->budgets(), scopes = organism->scopeBudgets()] {
            if (!isCurrent(epoch))
                return;
            replaceBudgets(budgets);
            replaceScopeBudgets(scopes);
        });
    };

    m_connections << connect(
        organism, &Organism::messagesRecorded, this,
        [this, epoch](const QList<MessageRecord> &batch) {
            if (isCurrent(epoch))
                emit messagesRecorded(batch);
        },
        Qt::QueuedConnection);
    m_connections << connect(organism, &Organism::messagesRecorded, organism, captureOrganism, Qt::DirectConnection);

    m_connections << connect(
        organism, &Organism::agentsChanged, this,
        [this, epoch](const QList<AgentInfo> &changed) {
            if (isCurrent(epoch))
                applyAgentChanges(changed);
        },
        Qt::QueuedConnection);

    m_connections << connect(
        organism, &Organism::threadsCreated, this,
        [this, epoch](const QList<ThreadInfo> &created) {
            if (isCurrent(epoch))
                emit threadsCreated(created);
        },
        Qt::QueuedConnection);
    m_connections << connect(organism, &Organism::threadsCreated, organism, captureOrganism, Qt::DirectConnection);

    m_connections << connect(
        organism, &Organism::threadsUpdated, this,
        [this, epoch](const QList<ThreadInfo> &updated) {
            if (isCurrent(epoch))
                emit threadsUpdated(updated);
        },
        Qt::QueuedConnection);
    // A thread that ends loses its budget: the budget list changes without a budget event.
    m_connections << connect(organism, &Organism::threadsUpdated, organism, captureOrganism, Qt::DirectConnection);
    m_connections << connect(organism, &Organism::threadsUpdated, organism, captureBudgets, Qt::DirectConnection);

    m_connections << connect(
        organism, &Organism::errorsRaised, this,
        [this, epoch](const QList<ErrorEvent> &errors) {
            if (isCurrent(epoch))
                emit errorsRaised(errors);
        },
        Qt::QueuedConnection);

    m_connections << connect(
        organism, &Organism::usageRecorded, this,
        [this, epoch](const QList<UsageEvent> &events) {
            if (isCurrent(epoch))
                emit usageRecorded(events);
        },
        Qt::QueuedConnection);
    m_connections << connect(
        organism, &Organism::usageRecorded, organism,
        [this, organism, mailbox, epoch] {
            mailbox->post([this, epoch, usage = organism->usage()] {
                if (isCurrent(epoch))
                    replaceUsage(usage);
            });
        },
        Qt::DirectConnection);
    // Every metered call consumes a thread's budget: the budget list changes without a budget event.
    m_connections << connect(organism, &Organism::usageRecorded, organism, captureBudgets, Qt::DirectConnection);

    m_connections << connect(
        organism, &Organism::budgetEvents, this,
        [this, epoch](const QList<BudgetEvent> &events) {
            if (isCurrent(epoch))
                emit budgetEvents(events);
        },
        Qt::QueuedConnection);
    m_connections << connect(organism, &Organism::budgetEvents, organism, captureBudgets, Qt::DirectConnection);
    // A budget that begins or ends without an event, a reload that changes budgets:
    m_connections << connect(organism, &Organism::usageStateChanged, organism, captureBudgets, Qt::DirectConnection);

    m_connections << connect(
        organism, &Organism::llmPartials, this,
        [this, epoch](const QList<LlmPartialEvent> &events) {
            if (isCurrent(epoch))
                emit llmPartials(events);
        },
        Qt::QueuedConnection);

    m_connections << connect(organism, &Organism::statusChanged, organism, captureOrganism, Qt::DirectConnection);
    m_connections << connect(organism, &Organism::historyHealthChanged, organism, captureOrganism,
                             Qt::DirectConnection);
    // Starting rebuilds the usage counters from the history (and stopping may settle the last calls)
    // without a usage event: the window reads them again with the status.
    m_connections << connect(
        organism, &Organism::statusChanged, organism,
        [this, organism, mailbox, epoch] {
            mailbox->post([this, epoch, usage = organism->usage(), budgets = organism->budgets(),
                           scopes = organism->scopeBudgets()] {
                if (!isCurrent(epoch))
                    return;
                replaceUsage(usage);
                replaceBudgets(budgets);
                replaceScopeBudgets(scopes);
            });
        },
        Qt::DirectConnection);

    // A reload may add and remove listeners: the lists are replaced before `reloaded` is re-emitted.
    m_connections << connect(
        organism, &Organism::reloaded, organism,
        [this, organism, mailbox, epoch] {
            mailbox->post([this, epoch, agents = organism->agents(), capabilities = organism->capabilities()] {
                if (!isCurrent(epoch))
                    return;
                replaceAgents(agents);
                replaceCapabilities(capabilities);
            });
        },
        Qt::DirectConnection);
    m_connections << connect(
        organism, &Organism::reloaded, this,
        [this, epoch](const ReloadResult &result) {
            if (isCurrent(epoch))
                emit reloaded(result);
        },
        Qt::QueuedConnection);
}

// organismChanged at most once per turn of this thread's event loop, with the latest snapshot.
void LocalSession::postOrganism(const OrganismInfo &info)
{
    m_pendingOrganism = info;
    if (m_organismPosted)
        return;
    m_organismPosted = true;
    QMetaObject::invokeMethod(
        this,
        [this, epoch = m_epoch] {
            m_organismPosted = false;
            if (isCurrent(epoch))
                replaceOrganism(m_pendingOrganism);
        },
        Qt::QueuedConnection);
}

template <typename Work, typename Callback>
void LocalSession::onEngine(QObject *context, Work work, Callback reply)
{
    const bool guarded = context != nullptr;
    QPointer<QObject> guard(context); // read on this thread only
    QMetaObject::invokeMethod(
        m_organism,
        [organism = m_organism, mailbox = m_mailbox, work = std::move(work), reply = std::move(reply), guarded, guard] {
            auto result = work(*organism);
            mailbox->post([result = std::move(result), reply, guarded, guard] {
                if (guarded && !guard)
                    return;
                reply(result);
            });
        },
        Qt::QueuedConnection);
}

template <typename Work>
void LocalSession::command(QObject *context, Done done, Work work)
{
    if (!ensureConnected(context, done, notConnectedText()))
        return;
    onEngine(context, std::move(work), std::move(done));
}

void LocalSession::readLlmBackends()
{
    if (!isConnected() || m_backendsRead)
        return; // one read at a time: a busy engine thread gets no pile of them
    m_backendsRead = true;
    onEngine(
        this, [](Organism &organism) { return organism.llmBackends(); },
        [this, epoch = m_epoch](const QList<LlmBackendState> &backends) {
            if (epoch != m_epoch)
                return;
            m_backendsRead = false;
            if (isConnected())
                replaceLlmBackends(backends);
        });
}

bool LocalSession::syncStore() const
{
    // A history that cannot commit is read as committed: the window never waits for a full disk.
    return m_store && !m_store->health().failing && m_store->sync(kStoreSyncWait);
}

// --- queries ------------------------------------------------------------------------------------------

void LocalSession::fetchThreads(const ThreadQuery &query, QObject *context, ThreadPageReply reply)
{
    if (!ensureConnected(context, reply, notConnectedText()))
        return;
    onEngine(
        context,
        [query](Organism &organism) {
            organism.flushChanges();
            return organism.threads(query);
        },
        reply);
}

void LocalSession::fetchThread(const QString &threadId, QObject *context, ThreadReply reply)
{
    if (!ensureConnected(context, reply, notConnectedText()))
        return;
    onEngine(
        context,
        [threadId](Organism &organism) {
            organism.flushChanges();
            return organism.thread(threadId);
        },
        [reply, threadId](const std::optional<ThreadInfo> &thread) {
            reply(orFailure(thread, u"Thread not found: "_s + threadId));
        });
}

void LocalSession::fetchMessages(const MessageQuery &query, QObject *context, MessagePageReply reply)
{
    readStore(context, std::move(reply), [query](const HistoryView &history) { return history.messages(query); });
}

void LocalSession::fetchConversation(const QString &threadId, int limit, QObject *context, MessagePageReply reply)
{
    MessageQuery query;
    query.threadId = threadId;
    query.limit = limit;
    query.newestFirst = true; // the newest `limit`, then turned around
    readStore(context, std::move(reply), [query](const HistoryView &history) {
        MessagePage page = history.messages(query);
        std::reverse(page.items.begin(), page.items.end());
        return page;
    });
}

void LocalSession::fetchTimeline(const QString &threadId, int limit, QObject *context, TraceReply reply)
{
    if (!ensureConnected(context, reply, notConnectedText()))
        return;
    // On the engine: the runs in flight and the live thread are the pump's and the organism's.
    onEngine(
        context,
        [threadId, limit](Organism &organism) {
            organism.flushChanges();
            return organism.trace(threadId, limit);
        },
        [reply, threadId](const std::optional<ThreadTrace> &trace) {
            reply(orFailure(trace, u"Thread not found: "_s + threadId));
        });
}

void LocalSession::fetchUsageBuckets(UsageBucketSize size, UsageGroupBy groupBy, const QDateTime &since,
                                     const QDateTime &until, const UsageSeriesFilter &filter, QObject *context,
                                     UsageBucketsReply reply)
{
    readStore(context, std::move(reply), [size, groupBy, since, until, filter](const HistoryView &history) {
        return history.usageTimeseries(size, groupBy, since, until, filter);
    });
}

void LocalSession::fetchHistoryInstances(QObject *context, HistoryInstancesReply reply)
{
    readStore(context, std::move(reply), [](const HistoryView &history) { return history.instances(); });
}

void LocalSession::fetchHistoryBilling(QObject *context, HistoryBillingReply reply)
{
    readStore(context, std::move(reply), [](const HistoryView &history) {
        const QDateTime readAt = QDateTime::currentDateTimeUtc();
        return historyBillingOf(history.billing({}, {}, {}, UsageScope::All), readAt);
    });
}

// A read of the history on this thread, later, once what is queued is committed; refused at once while
// not connected, and answered "not connected" when the connection ended meanwhile.
template <typename Callback, typename Read>
void LocalSession::readStore(QObject *context, Callback reply, Read read)
{
    if (!ensureConnected(context, reply, notConnectedText()))
        return;
    deliver(context, [this, reply, read, epoch = m_epoch] {
        if (!isCurrent(epoch))
            return reply(fail(notConnectedText()));
        syncStore();
        reply(read(*m_store));
    });
}

// --- commands -----------------------------------------------------------------------------------------

void LocalSession::inject(const InjectRequest &request, QObject *context, InjectReply reply)
{
    if (!ensureConnected(context, reply, notConnectedText()))
        return;
    acknowledged<InjectResult>(context, std::move(reply), [request](Organism &organism, InjectReply done) {
        organism.injectAcknowledged(request, &organism, std::move(done));
    });
}

void LocalSession::branch(const BranchRequest &request, QObject *context, InjectReply reply)
{
    if (!ensureConnected(context, reply, notConnectedText()))
        return;
    acknowledged<InjectResult>(context, std::move(reply), [request](Organism &organism, InjectReply done) {
        organism.branchAcknowledged(request, &organism, std::move(done));
    });
}

template <typename Answer>
void LocalSession::acknowledged(QObject *context, std::function<void(const Answer &)> reply,
                                std::function<void(Organism &, std::function<void(const Answer &)>)> work)
{
    const bool guarded = context != nullptr;
    QPointer<QObject> guard(context); // read on this thread only
    QMetaObject::invokeMethod(
        m_organism,
        [organism = m_organism, mailbox = m_mailbox, work = std::move(work), reply = std::move(reply), guarded, guard] {
            work(*organism, [mailbox, reply, guarded, guard](const Answer &result) {
                mailbox->post([result, reply, guarded, guard] {
                    if (guarded && !guard)
                        return;
                    reply(result);
                });
            });
        },
        Qt::QueuedConnection);
}

void LocalSession::pauseAgent(const QString &name, QObject *context, Done done)
{
    command(context, done, [name](Organism &organism) {
        return organism.pauseAgent(name) ? Result<>() : fail(u"Agent not found: "_s + name);
    });
}

void LocalSession::resumeAgent(const QString &name, QObject *context, Done done)
{
    command(context, done, [name](Organism &organism) {
        return organism.resumeAgent(name) ? Result<>() : fail(u"Agent not found: "_s + name);
    });
}

void LocalSession::killThread(const QString &threadId, QObject *context, Done done)
{
    command(context, done, [threadId](Organism &organism) {
        return organism.killThread(threadId) ? Result<>() : fail(u"Thread not found: "_s + threadId);
    });
}

void LocalSession::retryThread(const QString &threadId, QObject *context, Done done)
{
    if (!ensureConnected(context, done, notConnectedText()))
        return;
    // Answered once committed, like an inject, without blocking the engine thread meanwhile.
    acknowledged<RetryResult>(
        context, [done](const RetryResult &result) { done(result ? Result<>() : fail(failureText(result))); },
        [threadId](Organism &organism, std::function<void(const RetryResult &)> answer) {
            organism.retryThreadAcknowledged(threadId, &organism, std::move(answer));
        });
}

void LocalSession::setThreadBudget(const QString &threadId, qint64 maxTokens, QObject *context, Done done)
{
    if (!ensureConnected(context, done, notConnectedText()))
        return;
    if (maxTokens < 1) {
        deliver(context, [done] { done(fail(u"maxTokens must be at least 1"_s)); });
        return;
    }
    onEngine(
        context,
        [threadId, maxTokens](Organism &organism) {
            return organism.setThreadBudget(threadId, maxTokens) ? Result<>()
                                                                 : fail(u"Thread not found: "_s + threadId);
        },
        done);
}

void LocalSession::setScopeBudget(const QString &scope, const ScopeBudgetChange &change, QObject *context, Done done)
{
    if (!ensureConnected(context, done, notConnectedText()))
        return;
    // The changed list travels back with the answer: the window shows the new limit when it hears "done".
    struct Outcome
    {
        Result<> result;
        QList<ScopeBudget> budgets;
    };
    const bool guarded = context != nullptr;
    QPointer<QObject> guard(context);
    onEngine(
        nullptr,
        [scope, change](Organism &organism) {
            const Result<ScopeBudget> set = organism.setScopeBudget(scope, change);
            return Outcome{set ? Result<>() : fail(set.error().message), organism.scopeBudgets()};
        },
        [this, done, guarded, guard, epoch = m_epoch](const Outcome &outcome) {
            if (isCurrent(epoch))
                replaceScopeBudgets(outcome.budgets);
            if (!guarded || guard)
                done(outcome.result);
        });
}

void LocalSession::reloadConfig(QObject *context, ReloadReply reply)
{
    if (!ensureConnected(context, reply, notConnectedText()))
        return;
    onEngine(
        context, [](Organism &organism) { return organism.reload(); }, reply);
}

void LocalSession::stopOrganism(QObject *context, Done done)
{
    command(context, done, [](Organism &organism) {
        organism.stop();
        return Result<>();
    });
}

void LocalSession::resetUsage(QObject *context, Done done)
{
    if (!ensureConnected(context, done, notConnectedText()))
        return;
    // The organism announces no signal for a reset: the zeroed snapshot travels back with the reply.
    // The cache is updated even when the context has gone; only the reply depends on it.
    const bool guarded = context != nullptr;
    QPointer<QObject> guard(context);
    onEngine(
        nullptr,
        [](Organism &organism) {
            organism.resetUsage();
            return organism.usage();
        },
        [this, done, guarded, guard, epoch = m_epoch](const UsageSnapshot &usage) {
            if (isCurrent(epoch))
                replaceUsage(usage);
            if (!guarded || guard)
                done({});
        });
}

} // namespace agentdesk
