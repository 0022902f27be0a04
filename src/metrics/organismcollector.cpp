#include "organismcollector.h"

#include "familybuilder.h"
#include "organism.h"

#include <QHash>

#include <array>

using namespace Qt::StringLiterals;
using prometheus::MetricType;

namespace agentdesk::metrics {

namespace {

QList<QString> organismStatuses()
{
    return {toString(OrganismStatus::Starting), toString(OrganismStatus::Running), toString(OrganismStatus::Stopping),
            toString(OrganismStatus::Stopped)};
}

QList<QString> agentStates()
{
    return {toString(AgentState::Idle), toString(AgentState::Processing), toString(AgentState::Waiting),
            toString(AgentState::Error), toString(AgentState::Paused)};
}

// The reasons of agentdesk_injects_refused_total, one per refusal at the door.
constexpr std::array kRefusalReasons{
    std::pair{InjectError::QueueFull, "queue_full"},
    std::pair{InjectError::InvalidPayload, "invalid_payload"},
    std::pair{InjectError::UnknownTarget, "unknown_target"},
    std::pair{InjectError::NotRunning, "not_running"},
    std::pair{InjectError::HistoryUnavailable, "history_unavailable"},
    std::pair{InjectError::UnknownMessage, "unknown_message"}, // a replay or fork of nothing
};

constexpr std::array kHandlerOutcomes{HandlerOutcome::Ok, HandlerOutcome::Error, HandlerOutcome::Timeout,
                                      HandlerOutcome::Held, HandlerOutcome::Cancelled};

} // namespace

OrganismCollector::OrganismCollector(Organism *organism)
    : m_organism(organism)
{ }

std::vector<prometheus::MetricFamily> OrganismCollector::Collect() const
{
    std::vector<prometheus::MetricFamily> out;
    if (!m_organism)
        return out;
    const OrganismInfo info = m_organism->info();
    collectOrganism(info, out);
    collectQueue(info.saturation, out);
    collectAgents(m_organism->agents(), info.saturation.backlog, out);
    collectHandlers(m_organism->handlerStats(), out);
    collectThreadBudgets(m_organism->budgets(), out);
    collectScopeBudgets(m_organism->scopeBudgets(), out);
    return out;
}

void OrganismCollector::collectOrganism(const OrganismInfo &info, std::vector<prometheus::MetricFamily> &out) const
{
    out.push_back(
        FamilyBuilder("agentdesk_organism_info", "The organism this process runs (always 1)", MetricType::Gauge)
            .add(1, {{"organism", info.name}})
            .take());
    out.push_back(
        FamilyBuilder("agentdesk_organism_status", "The organism's status: 1 for the current one", MetricType::Gauge)
            .addStateSet("status", organismStatuses(), toString(info.status))
            .take());
    out.push_back(
        FamilyBuilder("agentdesk_organism_uptime_seconds", "Seconds since the organism was created", MetricType::Gauge)
            .add(info.uptimeSeconds)
            .take());
    out.push_back(FamilyBuilder("agentdesk_history_healthy",
                                "1 while the history commits, 0 while it cannot (new injects are refused then)",
                                MetricType::Gauge)
                      .add(info.historyProblem.isEmpty() ? 1 : 0)
                      .take());
    out.push_back(FamilyBuilder("agentdesk_threads_active", "Threads with work queued or running", MetricType::Gauge)
                      .add(info.activeThreads)
                      .take());
    FamilyBuilder refused("agentdesk_injects_refused_total", "New injects refused at the door, by reason",
                          MetricType::Counter);
    for (const auto &[error, reason] : kRefusalReasons)
        refused.add(double(m_organism->injectsRefused(error)), {{"reason", QString::fromLatin1(reason)}});
    out.push_back(refused.take());
}

void OrganismCollector::collectQueue(const Saturation &saturation, std::vector<prometheus::MetricFamily> &out) const
{
    out.push_back(FamilyBuilder("agentdesk_queue_depth", "Messages waiting for a handler", MetricType::Gauge)
                      .add(saturation.queueDepth)
                      .take());
    out.push_back(
        FamilyBuilder("agentdesk_queue_limit", "max_queue_depth", MetricType::Gauge).add(saturation.queueLimit).take());
    out.push_back(FamilyBuilder("agentdesk_queue_admission_limit",
                                "New injects are admitted while the queue is below this (4/5 of max_queue_depth)",
                                MetricType::Gauge)
                      .add(saturation.admissionLimit)
                      .take());
    out.push_back(
        FamilyBuilder("agentdesk_saturated", "1 while a new inject would be refused for capacity", MetricType::Gauge)
            .add(saturation.saturated ? 1 : 0)
            .take());
}

void OrganismCollector::collectAgents(const QList<AgentInfo> &agents, const QList<AgentBacklog> &backlog,
                                      std::vector<prometheus::MetricFamily> &out)
{
    QHash<QString, double> rateLimitWait;
    for (const AgentBacklog &entry : backlog)
        rateLimitWait.insert(entry.agent, entry.rateLimitWaitSeconds);
    FamilyBuilder queued("agentdesk_agent_queue_depth", "Messages waiting for this listener", MetricType::Gauge);
    FamilyBuilder inFlight("agentdesk_agent_in_flight", "Handler calls of this listener running now",
                           MetricType::Gauge);
    FamilyBuilder state("agentdesk_agent_state", "The listener's state: 1 for the current one", MetricType::Gauge);
    FamilyBuilder sent("agentdesk_messages_sent_total", "Messages this listener sent (the API's message_count)",
                       MetricType::Counter);
    FamilyBuilder waiting("agentdesk_agent_rate_limit_wait_seconds",
                          "How long this LLM agent's oldest call has waited for a backend's rate limit",
                          MetricType::Gauge);
    const QList<QString> states = agentStates();
    for (const AgentInfo &agent : agents) {
        queued.add(agent.queueDepth, {{"agent", agent.name}});
        inFlight.add(agent.inFlight, {{"agent", agent.name}});
        state.addStateSet("state", states, toString(agent.state), {{"agent", agent.name}});
        sent.add(double(agent.messageCount), {{"agent", agent.name}});
        if (agent.isAgent)
            waiting.add(rateLimitWait.value(agent.name), {{"agent", agent.name}});
    }
    out.push_back(queued.take());
    out.push_back(inFlight.take());
    out.push_back(state.take());
    out.push_back(sent.take());
    out.push_back(waiting.take());
}

void OrganismCollector::collectHandlers(const QList<HandlerStats> &handlers, std::vector<prometheus::MetricFamily> &out)
{
    FamilyBuilder handled("agentdesk_messages_handled_total",
                          "Handler calls that ended, by listener and outcome (ok, error, timeout, held, cancelled)",
                          MetricType::Counter);
    FamilyBuilder duration("agentdesk_handler_duration_seconds",
                           "How long handler calls that ended ok, in error or timed out took", MetricType::Histogram);
    for (const HandlerStats &stats : handlers) {
        for (HandlerOutcome outcome : kHandlerOutcomes)
            handled.add(double(stats.count(outcome)), {{"agent", stats.agent}, {"outcome", toString(outcome)}});
        duration.addHistogram(kHandlerDurationBounds, stats.durationBuckets, stats.durationSumSeconds,
                              {{"agent", stats.agent}});
    }
    out.push_back(handled.take());
    out.push_back(duration.take());
}

void OrganismCollector::collectThreadBudgets(const QList<ThreadBudget> &budgets,
                                             std::vector<prometheus::MetricFamily> &out)
{
    // Thread budgets come and go with their threads: summed up here, never one series per thread.
    qsizetype exhausted = 0;
    for (const ThreadBudget &budget : budgets)
        exhausted += budget.isExhausted() ? 1 : 0;
    const double hottest = budgets.isEmpty() ? 0.0 : budgets.first().percentUsed() / 100.0;
    out.push_back(FamilyBuilder("agentdesk_thread_budgets",
                                "Threads with a token budget (active threads that called an LLM)", MetricType::Gauge)
                      .add(double(budgets.size()))
                      .take());
    out.push_back(FamilyBuilder("agentdesk_thread_budgets_exhausted",
                                "Threads whose token budget is used up (held until an operator raises it)",
                                MetricType::Gauge)
                      .add(double(exhausted))
                      .take());
    out.push_back(FamilyBuilder("agentdesk_thread_budget_max_used_ratio",
                                "The fullest thread budget: tokens used / max_tokens (0 without budgets)",
                                MetricType::Gauge)
                      .add(hottest)
                      .take());
}

void OrganismCollector::collectScopeBudgets(const QList<ScopeBudget> &budgets,
                                            std::vector<prometheus::MetricFamily> &out)
{
    // One series per agent budget and the organism's (`budgets:` in organism.yaml, bounded by the
    // configuration), in the budget's own unit: tokens, or US dollars for a cost budget.
    FamilyBuilder used("agentdesk_budget_used",
                       "Used of an agent's or the organism's budget in its current period, "
                       "in its unit (tokens or dollars)",
                       MetricType::Gauge);
    FamilyBuilder limit("agentdesk_budget_limit", "The limit of an agent's or the organism's budget, in its unit",
                        MetricType::Gauge);
    FamilyBuilder ratio("agentdesk_budget_used_ratio", "Used / limit of an agent's or the organism's budget",
                        MetricType::Gauge);
    FamilyBuilder held("agentdesk_budget_held_threads", "Threads held because this budget is exhausted",
                       MetricType::Gauge);
    for (const ScopeBudget &budget : budgets) {
        const QString unit = budget.isCost() ? u"dollars"_s : u"tokens"_s;
        used.add(budget.used(), {{"scope", budget.scope}, {"unit", unit}});
        limit.add(budget.limit(), {{"scope", budget.scope}, {"unit", unit}});
        ratio.add(budget.percentUsed() / 100.0, {{"scope", budget.scope}});
        held.add(double(budget.heldThreads), {{"scope", budget.scope}});
    }
    out.push_back(used.take());
    out.push_back(limit.take());
    out.push_back(ratio.take());
    out.push_back(held.take());
}

} // namespace agentdesk::metrics
