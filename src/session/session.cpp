#include "session.h"

#include <QMetaObject>
#include <QPointer>

#include <mutex>

namespace agentdesk {

void registerSessionMetaTypes()
{
    static std::once_flag once;
    std::call_once(once, [] {
        qRegisterMetaType<MessageRecord>();
        qRegisterMetaType<QList<MessageRecord>>();
        qRegisterMetaType<AgentInfo>();
        qRegisterMetaType<QList<AgentInfo>>();
        qRegisterMetaType<ThreadInfo>();
        qRegisterMetaType<QList<ThreadInfo>>();
        qRegisterMetaType<ErrorEvent>();
        qRegisterMetaType<QList<ErrorEvent>>();
        qRegisterMetaType<UsageEvent>();
        qRegisterMetaType<QList<UsageEvent>>();
        qRegisterMetaType<BudgetEvent>();
        qRegisterMetaType<QList<BudgetEvent>>();
        qRegisterMetaType<OrganismInfo>();
        qRegisterMetaType<OrganismStatus>();
        qRegisterMetaType<ReloadResult>();
        qRegisterMetaType<Capability>();
        qRegisterMetaType<QList<Capability>>();
        qRegisterMetaType<UsageSnapshot>();
        qRegisterMetaType<ThreadBudget>();
        qRegisterMetaType<QList<ThreadBudget>>();
        qRegisterMetaType<UsageBucket>();
        qRegisterMetaType<QList<UsageBucket>>();
        qRegisterMetaType<ScopeBudget>();
        qRegisterMetaType<QList<ScopeBudget>>();
        qRegisterMetaType<LlmBackendState>();
        qRegisterMetaType<QList<LlmBackendState>>();
        qRegisterMetaType<LlmPartialEvent>();
        qRegisterMetaType<QList<LlmPartialEvent>>();
        qRegisterMetaType<Session::State>();
        qRegisterMetaType<UpdateMode>();
        qRegisterMetaType<ThreadTrace>();
    });
}

Session::Session(QObject *parent)
    : QObject(parent)
{
    registerSessionMetaTypes();
}

Session::~Session() = default;

OrganismInfo Session::organism() const
{
    OrganismInfo info = m_organism;
    // The uptime moves with the clock; a report is not repeated for that alone.
    if (m_state == State::Connected && info.status != OrganismStatus::Stopped && m_organismAge.isValid())
        info.uptimeSeconds += double(m_organismAge.elapsed()) / 1000.0;
    return info;
}

std::optional<AgentInfo> Session::agent(const QString &name) const
{
    const auto row = m_agentRows.constFind(name);
    if (row == m_agentRows.cend())
        return std::nullopt;
    return m_agents.at(*row);
}

std::optional<ThreadBudget> Session::budget(const QString &threadId) const
{
    for (const ThreadBudget &budget : m_budgets) {
        if (budget.threadId == threadId)
            return budget;
    }
    return std::nullopt;
}

std::optional<ScopeBudget> Session::scopeBudget(const QString &scope) const
{
    for (const ScopeBudget &budget : m_scopeBudgets) {
        if (budget.scope == scope)
            return budget;
    }
    return std::nullopt;
}

void Session::setState(State state, const QString &errorText)
{
    m_errorText = errorText;
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void Session::connectWith(const Snapshot &snapshot)
{
    m_organism = snapshot.organism;
    m_organismAge.start();
    m_abilities = snapshot.abilities;
    m_recentUsage = snapshot.recentUsage;
    m_agents = snapshot.agents;
    m_agentRows.clear();
    for (qsizetype row = 0; row < m_agents.size(); ++row)
        m_agentRows.insert(m_agents.at(row).name, row);
    m_capabilities = snapshot.capabilities;
    m_usage = snapshot.usage;
    m_budgets = snapshot.budgets;
    m_defaultThreadBudget = snapshot.defaultThreadBudget;
    m_scopeBudgets = snapshot.scopeBudgets;
    m_llmBackends = snapshot.llmBackends;
    setState(State::Connected);
    // Listeners that only watch one snapshot hear about it too; the models reload on stateChanged.
    emit organismChanged(m_organism);
    emit agentsReset();
    emit capabilitiesChanged();
    emit usageChanged();
    emit budgetsChanged();
    emit scopeBudgetsChanged();
    emit llmBackendsChanged();
}

void Session::replaceOrganism(const OrganismInfo &info)
{
    m_organism = info;
    m_organismAge.start();
    emit organismChanged(m_organism);
}

void Session::applyAgentChanges(const QList<AgentInfo> &changed)
{
    for (const AgentInfo &agent : changed) {
        const auto row = m_agentRows.constFind(agent.name);
        if (row != m_agentRows.cend()) {
            m_agents[*row] = agent;
        } else {
            m_agentRows.insert(agent.name, m_agents.size());
            m_agents.append(agent);
        }
    }
    emit agentsChanged(changed);
}

void Session::replaceAgents(const QList<AgentInfo> &agents)
{
    m_agents = agents;
    m_agentRows.clear();
    for (qsizetype row = 0; row < m_agents.size(); ++row)
        m_agentRows.insert(m_agents.at(row).name, row);
    emit agentsReset();
}

void Session::replaceCapabilities(const QList<Capability> &capabilities)
{
    m_capabilities = capabilities;
    emit capabilitiesChanged();
}

void Session::replaceUsage(const UsageSnapshot &usage)
{
    m_usage = usage;
    emit usageChanged();
}

void Session::replaceBudgets(const QList<ThreadBudget> &budgets)
{
    m_budgets = budgets;
    emit budgetsChanged();
}

void Session::replaceScopeBudgets(const QList<ScopeBudget> &budgets)
{
    m_scopeBudgets = budgets;
    emit scopeBudgetsChanged();
}

void Session::replaceLlmBackends(const QList<LlmBackendState> &backends)
{
    if (backends == m_llmBackends)
        return;
    m_llmBackends = backends;
    emit llmBackendsChanged();
}

void Session::setUpdateMode(UpdateMode mode)
{
    if (m_updateMode == mode)
        return;
    m_updateMode = mode;
    emit updateModeChanged(mode);
}

void Session::deliver(QObject *context, std::function<void()> call)
{
    const bool guarded = context != nullptr;
    QPointer<QObject> guard(context);
    QMetaObject::invokeMethod(
        this,
        [guarded, guard, call = std::move(call)] {
            if (guarded && !guard)
                return;
            if (call)
                call();
        },
        Qt::QueuedConnection);
}

void Session::refuse(const InjectReply &reply, const QString &why)
{
    reply(injectRefused(InjectError::NotRunning, why));
}

void Session::refuse(const ReloadReply &reply, const QString &why)
{
    reply(tl::unexpected(ReloadFailure{why, {}}));
}

} // namespace agentdesk
