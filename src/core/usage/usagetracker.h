#pragma once

#include "domain/usage.h"

#include <QHash>
#include <QList>
#include <QString>

namespace agentdesk {

// Counters of one bucket: everything, one agent or one model (spec §8.2).
struct UsageCounters
{
    QString key; // agent id or model name; empty for the totals
    qint64 totalTokens = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedPromptTokens = 0;
    qint64 requestCount = 0;
    double totalCost = 0;      // unrounded sum of the known costs
    double totalLatencyMs = 0;
    qint64 unpricedRequests = 0; // calls whose model has no price: the cost is a lower bound then
    double avgLatencyMs() const { return requestCount ? totalLatencyMs / double(requestCount) : 0.0; }
};

struct UsageSnapshot
{
    UsageCounters totals;
    QList<UsageCounters> byAgent; // in order of first appearance
    QList<UsageCounters> byModel; // in order of first appearance
};

// Aggregates metered LLM calls in memory. reset() zeroes the counters in place (decision 9): whoever
// records events keeps recording, the history keeps everything.
class UsageTracker
{
public:
    void record(const UsageEvent &event);
    void reset();

    UsageSnapshot snapshot() const;
    UsageCounters agent(const QString &agentId) const; // zeros (with the key) when unknown
    UsageCounters model(const QString &model) const;

private:
    static void add(UsageCounters &bucket, const UsageEvent &event);

    UsageCounters m_totals;
    QList<UsageCounters> m_agents;
    QList<UsageCounters> m_models;
    QHash<QString, qsizetype> m_agentIndex;
    QHash<QString, qsizetype> m_modelIndex;
};

} // namespace agentdesk
