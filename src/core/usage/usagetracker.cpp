#include "usagetracker.h"

namespace agentdesk {

void UsageTracker::add(UsageCounters &bucket, const UsageEvent &event)
{
    bucket.promptTokens += event.promptTokens;
    bucket.completionTokens += event.completionTokens;
    bucket.cachedPromptTokens += event.cachedPromptTokens;
    bucket.totalTokens += event.promptTokens + event.completionTokens;
    bucket.requestCount += 1;
    bucket.totalLatencyMs += event.latencyMs;
    if (event.estimatedCost && *event.estimatedCost != 0.0)
        bucket.totalCost += *event.estimatedCost;
    if (!event.estimatedCost)
        bucket.unpricedRequests += 1;
}

void UsageTracker::record(const UsageEvent &event)
{
    add(m_totals, event);
    if (!event.agentId.isEmpty()) {
        auto it = m_agentIndex.constFind(event.agentId);
        if (it == m_agentIndex.cend()) {
            it = m_agentIndex.insert(event.agentId, m_agents.size());
            m_agents.append(UsageCounters{event.agentId});
        }
        add(m_agents[*it], event);
    }
    auto it = m_modelIndex.constFind(event.model);
    if (it == m_modelIndex.cend()) {
        it = m_modelIndex.insert(event.model, m_models.size());
        m_models.append(UsageCounters{event.model});
    }
    add(m_models[*it], event);
}

void UsageTracker::reset()
{
    m_totals = {};
    m_agents.clear();
    m_models.clear();
    m_agentIndex.clear();
    m_modelIndex.clear();
}

UsageSnapshot UsageTracker::snapshot() const
{
    return UsageSnapshot{m_totals, m_agents, m_models};
}

UsageCounters UsageTracker::agent(const QString &agentId) const
{
    const auto it = m_agentIndex.constFind(agentId);
    return it == m_agentIndex.cend() ? UsageCounters{agentId} : m_agents[*it];
}

UsageCounters UsageTracker::model(const QString &model) const
{
    const auto it = m_modelIndex.constFind(model);
    return it == m_modelIndex.cend() ? UsageCounters{model} : m_models[*it];
}

} // namespace agentdesk
