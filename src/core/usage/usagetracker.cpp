#include "usagetracker.h"

namespace agentdesk {

void UsageTracker::add(UsageCounters &bucket, const UsageEvent &event)
{
    const qint64 tokens = event.promptTokens + event.completionTokens;
    bucket.promptTokens += event.promptTokens;
    bucket.completionTokens += event.completionTokens;
    bucket.cachedPromptTokens += event.cachedPromptTokens;
    bucket.cacheWriteTokens += event.cacheWriteTokens;
    bucket.reasoningTokens += event.reasoningTokens;
    bucket.totalTokens += tokens;
    bucket.requestCount += 1;
    switch (event.outcome) {
    case UsageOutcome::Ok:
        break;
    case UsageOutcome::Unusable:
        ++bucket.unusableRequests;
        break;
    case UsageOutcome::Error:
        ++bucket.errorRequests;
        break;
    case UsageOutcome::Aborted:
        ++bucket.abortedRequests;
        break;
    }
    bucket.totalLatencyMs += event.latencyMs;
    if (event.estimatedCost && *event.estimatedCost != 0.0)
        bucket.totalCost += *event.estimatedCost;
    if (!event.estimatedCost) {
        bucket.unpricedRequests += 1;
        bucket.unpricedTokens += tokens;
    }
    if (event.ttftMs) {
        bucket.ttftSumMs += *event.ttftMs;
        ++bucket.ttftCount;
    }
    if (event.tokensPerSecond) {
        bucket.tokensPerSecondSum += *event.tokensPerSecond;
        ++bucket.tokensPerSecondCount;
    }
}

UsageCounters &UsageTracker::agentBucket(const QString &agentId)
{
    auto it = m_agentIndex.constFind(agentId);
    if (it == m_agentIndex.cend()) {
        it = m_agentIndex.insert(agentId, m_agents.size());
        m_agents.append(UsageCounters{agentId});
    }
    return m_agents[*it];
}

UsageCounters &UsageTracker::modelBucket(const QString &model)
{
    auto it = m_modelIndex.constFind(model);
    if (it == m_modelIndex.cend()) {
        it = m_modelIndex.insert(model, m_models.size());
        m_models.append(UsageCounters{model});
    }
    return m_models[*it];
}

void UsageTracker::record(const UsageEvent &event)
{
    add(m_totals, event);
    if (!event.agentId.isEmpty())
        add(agentBucket(event.agentId), event);
    add(modelBucket(event.model), event);
}

void UsageTracker::reset()
{
    m_totals = {};
    m_agents.clear();
    m_models.clear();
    m_agentIndex.clear();
    m_modelIndex.clear();
}

namespace {

void addSums(UsageCounters &bucket, const UsageGroupSums &group)
{
    bucket.promptTokens += group.promptTokens;
    bucket.completionTokens += group.completionTokens;
    bucket.cachedPromptTokens += group.cachedPromptTokens;
    bucket.cacheWriteTokens += group.cacheWriteTokens;
    bucket.reasoningTokens += group.reasoningTokens;
    bucket.totalTokens += group.promptTokens + group.completionTokens;
    bucket.requestCount += group.requestCount;
    switch (group.outcome) {
    case UsageOutcome::Ok:
        break;
    case UsageOutcome::Unusable:
        bucket.unusableRequests += group.requestCount;
        break;
    case UsageOutcome::Error:
        bucket.errorRequests += group.requestCount;
        break;
    case UsageOutcome::Aborted:
        bucket.abortedRequests += group.requestCount;
        break;
    }
    bucket.totalLatencyMs += group.latencyMs;
    bucket.totalCost += group.cost;
    bucket.unpricedRequests += group.unpricedRequests;
    bucket.unpricedTokens += group.unpricedTokens;
    bucket.ttftSumMs += group.ttftSumMs;
    bucket.ttftCount += group.ttftCount;
    bucket.tokensPerSecondSum += group.tokensPerSecondSum;
    bucket.tokensPerSecondCount += group.tokensPerSecondCount;
}

} // namespace

void UsageTracker::restore(const QList<UsageGroupSums> &groups)
{
    reset();
    for (const UsageGroupSums &group : groups) { // in order of first appearance
        addSums(m_totals, group);
        if (!group.agentId.isEmpty())
            addSums(agentBucket(group.agentId), group);
        addSums(modelBucket(group.model), group);
    }
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
