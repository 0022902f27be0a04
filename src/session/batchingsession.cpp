#include "batchingsession.h"

namespace agentdesk {

BatchingSession::BatchingSession(Session *inner, std::chrono::milliseconds interval, QObject *parent)
    : Session(parent)
    , m_inner(inner)
    , m_interval(interval)
{
    Q_ASSERT(inner);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &BatchingSession::flush);
    m_sinceDelivery.start();

    connect(inner, &Session::stateChanged, this, &BatchingSession::onState);
    connect(inner, &Session::threadsCreated, this, [this](const QList<ThreadInfo> &b) { hold(m_created, b); });
    connect(inner, &Session::messagesRecorded, this, [this](const QList<MessageRecord> &b) { hold(m_messages, b); });
    connect(inner, &Session::threadsUpdated, this, [this](const QList<ThreadInfo> &b) { hold(m_updated, b); });
    connect(inner, &Session::agentsChanged, this, [this](const QList<AgentInfo> &b) { hold(m_agents, b); });
    connect(inner, &Session::errorsRaised, this, [this](const QList<ErrorEvent> &b) { hold(m_errors, b); });
    connect(inner, &Session::usageRecorded, this, [this](const QList<UsageEvent> &b) { hold(m_usageEvents, b); });
    connect(inner, &Session::budgetEvents, this, [this](const QList<BudgetEvent> &b) { hold(m_budgetEvents, b); });
    connect(inner, &Session::llmPartials, this, [this](const QList<LlmPartialEvent> &b) { hold(m_partials, b); });
    connect(inner, &Session::organismChanged, this, [this] {
        m_organismChanged = true;
        schedule();
    });
    connect(inner, &Session::usageChanged, this, [this] {
        m_usageChanged = true;
        schedule();
    });
    // The thread budgets and the agent and organism budgets move together (a call spends from all).
    for (auto changed : {&Session::budgetsChanged, &Session::scopeBudgetsChanged}) {
        connect(inner, changed, this, [this] {
            m_budgetsChanged = true;
            schedule();
        });
    }
    // Read every second or two: nothing to merge.
    connect(inner, &Session::llmBackendsChanged, this, [this] {
        if (isConnected())
            replaceLlmBackends(m_inner->llmBackends());
    });
    // Rare and structural: what is held goes first, then the change, at once.
    connect(inner, &Session::agentsReset, this, [this] {
        flush();
        if (isConnected())
            replaceAgents(m_inner->agents());
    });
    connect(inner, &Session::capabilitiesChanged, this, [this] {
        flush();
        if (isConnected())
            replaceCapabilities(m_inner->capabilities());
    });
    connect(inner, &Session::reloaded, this, [this](const ReloadResult &result) {
        flush();
        emit reloaded(result);
    });
    connect(inner, &Session::updateModeChanged, this, [this](UpdateMode mode) {
        flush();
        setUpdateMode(mode);
    });
    connect(inner, &Session::resynchronized, this, [this] {
        flush();
        if (isConnected())
            emit resynchronized();
    });
    if (inner->isConnected())
        adoptSnapshot();
    else
        setState(inner->state(), inner->errorText());
}

BatchingSession::~BatchingSession() = default;

QString BatchingSession::endpoint() const
{
    return m_inner ? m_inner->endpoint() : QString();
}

void BatchingSession::open()
{
    if (m_inner)
        m_inner->open();
}

void BatchingSession::close()
{
    if (m_inner)
        m_inner->close();
}

template <typename T>
void BatchingSession::hold(QList<T> &pending, const QList<T> &batch)
{
    if (!isConnected())
        return; // nothing before the snapshot counts; the inner session drops those too
    pending.append(batch);
    schedule();
}

void BatchingSession::schedule()
{
    if (m_timer.isActive() || m_delivering)
        return;
    const qint64 wait = m_interval.count() - m_sinceDelivery.elapsed();
    m_timer.start(int(std::max<qint64>(0, wait)));
}

void BatchingSession::onState(Session::State state)
{
    if (state == State::Connected) {
        adoptSnapshot();
        return;
    }
    flush();
    setState(state, m_inner->errorText());
}

void BatchingSession::adoptSnapshot()
{
    m_timer.stop();
    m_created.clear();
    m_messages.clear();
    m_updated.clear();
    m_agents.clear();
    m_errors.clear();
    m_usageEvents.clear();
    m_budgetEvents.clear();
    m_partials.clear();
    m_organismChanged = m_usageChanged = m_budgetsChanged = false;
    setUpdateMode(m_inner->updateMode());
    connectWith(Snapshot{m_inner->organism(), m_inner->agents(), m_inner->capabilities(), m_inner->usage(),
                         m_inner->budgets(), m_inner->abilities(), m_inner->recentUsage(), m_inner->scopeBudgets(),
                         m_inner->llmBackends(), m_inner->defaultThreadBudget()});
}

void BatchingSession::flush()
{
    m_timer.stop();
    if (m_delivering || !m_inner)
        return;
    m_delivering = true;
    m_sinceDelivery.restart();
    // Taken out first: a model that reacts by asking something may make the inner session deliver more.
    const QList<ThreadInfo> created = std::exchange(m_created, {});
    const QList<MessageRecord> messages = std::exchange(m_messages, {});
    const QList<ThreadInfo> updated = std::exchange(m_updated, {});
    const QList<AgentInfo> agents = std::exchange(m_agents, {});
    const QList<ErrorEvent> errors = std::exchange(m_errors, {});
    const QList<UsageEvent> usageEvents = std::exchange(m_usageEvents, {});
    const QList<BudgetEvent> budgets = std::exchange(m_budgetEvents, {});
    const QList<LlmPartialEvent> partials = std::exchange(m_partials, {});
    const bool organismChanged = std::exchange(m_organismChanged, false);
    const bool usageChanged = std::exchange(m_usageChanged, false);
    const bool budgetsChanged = std::exchange(m_budgetsChanged, false);
    if (isConnected()) {
        if (!created.isEmpty())
            emit threadsCreated(created);
        if (!messages.isEmpty())
            emit messagesRecorded(messages);
        if (!partials.isEmpty()) // after the messages: a reply's payloads, then the end of its live text
            emit llmPartials(partials);
        if (!updated.isEmpty())
            emit threadsUpdated(updated);
        if (!agents.isEmpty())
            applyAgentChanges(agents);
        if (!errors.isEmpty())
            emit errorsRaised(errors);
        if (!usageEvents.isEmpty())
            emit usageRecorded(usageEvents);
        if (usageChanged)
            replaceUsage(m_inner->usage());
        if (!budgets.isEmpty())
            emit budgetEvents(budgets);
        if (budgetsChanged) {
            replaceBudgets(m_inner->budgets());
            replaceScopeBudgets(m_inner->scopeBudgets());
        }
        if (organismChanged)
            replaceOrganism(m_inner->organism());
    }
    m_delivering = false;
    if (!m_created.isEmpty() || !m_messages.isEmpty() || !m_updated.isEmpty() || !m_agents.isEmpty()
        || !m_errors.isEmpty() || !m_usageEvents.isEmpty() || !m_budgetEvents.isEmpty() || !m_partials.isEmpty()
        || m_organismChanged || m_usageChanged || m_budgetsChanged)
        schedule();
}

template <typename Callback>
Callback BatchingSession::flushingFirst(Callback reply)
{
    QPointer<BatchingSession> self(this);
    return [self, reply](const auto &...arguments) {
        if (self)
            self->flush();
        reply(arguments...);
    };
}

// --- forwarded queries and commands ------------------------------------------------------------------

void BatchingSession::fetchThreads(const ThreadQuery &query, QObject *context, ThreadPageReply reply)
{
    m_inner->fetchThreads(query, context, flushingFirst(std::move(reply)));
}

void BatchingSession::fetchThread(const QString &threadId, QObject *context, ThreadReply reply)
{
    m_inner->fetchThread(threadId, context, flushingFirst(std::move(reply)));
}

void BatchingSession::fetchMessages(const MessageQuery &query, QObject *context, MessagePageReply reply)
{
    m_inner->fetchMessages(query, context, flushingFirst(std::move(reply)));
}

void BatchingSession::fetchConversation(const QString &threadId, int limit, QObject *context, MessagePageReply reply)
{
    m_inner->fetchConversation(threadId, limit, context, flushingFirst(std::move(reply)));
}

void BatchingSession::fetchTimeline(const QString &threadId, int limit, QObject *context, TraceReply reply)
{
    m_inner->fetchTimeline(threadId, limit, context, flushingFirst(std::move(reply)));
}

void BatchingSession::fetchUsageBuckets(UsageBucketSize size, UsageGroupBy groupBy, const QDateTime &since,
                                        const QDateTime &until, const UsageSeriesFilter &filter, QObject *context,
                                        UsageBucketsReply reply)
{
    m_inner->fetchUsageBuckets(size, groupBy, since, until, filter, context, flushingFirst(std::move(reply)));
}

void BatchingSession::fetchHistoryInstances(QObject *context, HistoryInstancesReply reply)
{
    m_inner->fetchHistoryInstances(context, flushingFirst(std::move(reply)));
}

void BatchingSession::fetchHistoryBilling(QObject *context, HistoryBillingReply reply)
{
    m_inner->fetchHistoryBilling(context, flushingFirst(std::move(reply)));
}

void BatchingSession::inject(const InjectRequest &request, QObject *context, InjectReply reply)
{
    m_inner->inject(request, context, flushingFirst(std::move(reply)));
}

void BatchingSession::branch(const BranchRequest &request, QObject *context, InjectReply reply)
{
    m_inner->branch(request, context, flushingFirst(std::move(reply)));
}

void BatchingSession::pauseAgent(const QString &name, QObject *context, Done done)
{
    m_inner->pauseAgent(name, context, flushingFirst(std::move(done)));
}

void BatchingSession::resumeAgent(const QString &name, QObject *context, Done done)
{
    m_inner->resumeAgent(name, context, flushingFirst(std::move(done)));
}

void BatchingSession::killThread(const QString &threadId, QObject *context, Done done)
{
    m_inner->killThread(threadId, context, flushingFirst(std::move(done)));
}

void BatchingSession::retryThread(const QString &threadId, QObject *context, Done done)
{
    m_inner->retryThread(threadId, context, flushingFirst(std::move(done)));
}

void BatchingSession::setThreadBudget(const QString &threadId, qint64 maxTokens, QObject *context, Done done)
{
    m_inner->setThreadBudget(threadId, maxTokens, context, flushingFirst(std::move(done)));
}

void BatchingSession::setScopeBudget(const QString &scope, const ScopeBudgetChange &change, QObject *context, Done done)
{
    m_inner->setScopeBudget(scope, change, context, flushingFirst(std::move(done)));
}

void BatchingSession::reloadConfig(QObject *context, ReloadReply reply)
{
    m_inner->reloadConfig(context, flushingFirst(std::move(reply)));
}

void BatchingSession::stopOrganism(QObject *context, Done done)
{
    m_inner->stopOrganism(context, flushingFirst(std::move(done)));
}

void BatchingSession::resetUsage(QObject *context, Done done)
{
    m_inner->resetUsage(context, flushingFirst(std::move(done)));
}

} // namespace agentdesk
