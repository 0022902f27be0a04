#pragma once

#include <QDateTime>
#include <QMap>
#include <QMetaType>
#include <QString>

#include "domain/usage.h"

namespace agentdesk {

// Results of the usage-history reads (spec §5.23, §5.24, and the window's usage charts).

// Sums over a set of usage events. totalCost is the sum of the non-null costs, rounded to 4 places;
// the unpriced ones (null cost: no known price) are counted beside it, so "free" and "unknown" differ.
struct UsageAggregate
{
    qint64 totalTokens = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 requestCount = 0;
    double totalCost = 0;
    qint64 unpricedRequests = 0;
    qint64 unpricedTokens = 0;
};

// Whose usage a billing read sums: this organism's, or every organism's and instance's that shares
// the history (a PostgreSQL history; a SQLite history holds one organism).
enum class UsageScope { Organism, All };

struct BillingSummary
{
    UsageAggregate totals;
    QMap<QString, UsageAggregate> byModel; // keyed by model
    // UsageScope::All only: keyed by "organism/instance" (a SQLite history: the organism's name).
    QMap<QString, UsageAggregate> byOrganism;
    QMap<QString, UsageAggregate> byAgent; // keyed by agent id; events without an agent are left out
};

// One UTC day (SQLite DATE(timestamp)).
struct DailyUsage
{
    QString date; // YYYY-MM-DD
    qint64 totalTokens = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 requestCount = 0;
    double totalCost = 0; // rounded to 4 places; 0 when every cost of the day is null
    qint64 unpricedRequests = 0;
    qint64 unpricedTokens = 0;
};

enum class UsageBucketSize { Minute, Hour, Day };
enum class UsageGroupBy { Model, Agent };

// One time bucket of one group (a model, or an agent: "" for calls made without one).
struct UsageBucket
{
    QDateTime start; // UTC start of the bucket
    QString key;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedPromptTokens = 0;
    qint64 cacheWriteTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 totalTokens = 0;
    qint64 requestCount = 0;
    double totalCost = 0; // sum of the non-null costs, not rounded
    qint64 unpricedRequests = 0;
    qint64 unpricedTokens = 0;
};

// The usage events of one (agent, model, outcome) since a time, summed: what the gauge is rebuilt
// from at start-up. firstId orders the groups as the events first appeared.
struct UsageGroupSums
{
    QString agentId; // "" for events without an agent
    QString model;
    UsageOutcome outcome = UsageOutcome::Ok;
    qint64 firstId = 0;
    qint64 requestCount = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedPromptTokens = 0;
    qint64 cacheWriteTokens = 0;
    qint64 reasoningTokens = 0;
    double latencyMs = 0;
    double cost = 0; // the non-null, non-zero costs
    qint64 unpricedRequests = 0;
    qint64 unpricedTokens = 0;
    double ttftSumMs = 0;
    qint64 ttftCount = 0;
    double tokensPerSecondSum = 0;
    qint64 tokensPerSecondCount = 0;
};

} // namespace agentdesk

Q_DECLARE_METATYPE(agentdesk::BillingSummary)
Q_DECLARE_METATYPE(agentdesk::DailyUsage)
Q_DECLARE_METATYPE(agentdesk::UsageBucket)
