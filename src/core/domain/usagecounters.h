#pragma once

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
    double totalCost = 0;          // unrounded sum of the known costs
    double totalLatencyMs = 0;
    qint64 unpricedRequests = 0; // events whose model has no price: the cost is a lower bound then
    qint64 unpricedTokens = 0;   // their tokens
    qint64 cacheWriteTokens = 0; // of promptTokens: written to the cache
    qint64 reasoningTokens = 0;  // of completionTokens
    qint64 unusableRequests = 0;
    qint64 errorRequests = 0;
    qint64 abortedRequests = 0;
    double ttftSumMs = 0; // over the events that measured a time to first token
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

} // namespace agentdesk
