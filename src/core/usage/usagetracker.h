#pragma once

#include "domain/usage.h"
#include "domain/usagequeries.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace agentdesk {

// Counters of one bucket: everything, one agent or one model (spec §8.2).
struct UsageCounters
{
    QString key; // agent id or model name; empty for the totals
    qint64 totalTokens = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedPromptTokens = 0; // of promptTokens: read from the provider's cache
    qint64 requestCount = 0;       // usage events: attempts that may be billed, whatever their outcome
    double totalCost = 0;      // unrounded sum of the known costs
    double totalLatencyMs = 0;
    qint64 unpricedRequests = 0; // events whose model has no price: the cost is a lower bound then
    qint64 unpricedTokens = 0;   // their tokens
    qint64 cacheWriteTokens = 0; // of promptTokens: written to the cache
    qint64 reasoningTokens = 0;  // of completionTokens
    qint64 unusableRequests = 0;
    qint64 errorRequests = 0;
    qint64 abortedRequests = 0;
    double ttftSumMs = 0;        // over the events that measured a time to first token
    qint64 ttftCount = 0;
    double tokensPerSecondSum = 0;
    qint64 tokensPerSecondCount = 0;
    double avgLatencyMs() const { return requestCount ? totalLatencyMs / double(requestCount) : 0.0; }
    std::optional<double> avgTtftMs() const
    {
        return ttftCount ? std::optional<double>(ttftSumMs / double(ttftCount)) : std::nullopt;
    }
    std::optional<double> avgTokensPerSecond() const
    {
        return tokensPerSecondCount ? std::optional<double>(tokensPerSecondSum / double(tokensPerSecondCount))
                                    : std::nullopt;
    }
};

struct UsageSnapshot
{
    UsageCounters totals;
    QList<UsageCounters> byAgent; // in order of first appearance
    QList<UsageCounters> byModel; // in order of first appearance
};

// Aggregates metered LLM calls in memory. reset() zeroes the counters in place (decision 9): whoever
// records events keeps recording, the history keeps everything. At start-up the organism rebuilds the
// counters from the history's events since the last reset (restore()).
class UsageTracker
{
public:
    void record(const UsageEvent &event);
    void reset();
    // Replaces the counters with the history's sums (events since the last reset), in the order the
    // events first appeared.
    void restore(const QList<UsageGroupSums> &groups);
    // Adds one event's figures to a bucket (also used to sum the history).
    static void add(UsageCounters &bucket, const UsageEvent &event);

    UsageSnapshot snapshot() const;
    UsageCounters agent(const QString &agentId) const; // zeros (with the key) when unknown
    UsageCounters model(const QString &model) const;

private:
    UsageCounters &agentBucket(const QString &agentId);
    UsageCounters &modelBucket(const QString &model);

    UsageCounters m_totals;
    QList<UsageCounters> m_agents;
    QList<UsageCounters> m_models;
    QHash<QString, qsizetype> m_agentIndex;
    QHash<QString, qsizetype> m_modelIndex;
};

} // namespace agentdesk
