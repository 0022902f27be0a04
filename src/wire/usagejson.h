#pragma once

#include "errorjson.h"

#include "domain/records.h"
#include "domain/usage.h"
#include "domain/inject.h"
#include "domain/usagequeries.h"
#include "domain/budgets.h"
#include "domain/usagecounters.h"

#include <QByteArray>
#include <QCborArray>
#include <QCborMap>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace agentdesk::wire {

// --- the original's shapes (spec §3.6, §5.17–§5.24) -----------------------------------------------

// UsageResponse: {"usage": {"totals", "byAgent", "byModel", "activeThreads"}}. Costs rounded to 4
// places as Python's round(); avgLatencyMs unrounded; agents and models in first-appearance order.
QCborMap usageResponseJson(const UsageSnapshot &usage, qint64 activeThreads);
// AgentUsageInfo / ModelUsageInfo; the id echoes what was asked for (zeros when unknown).
QCborMap agentUsageJson(const QString &agentId, const UsageCounters &counters);
QCborMap modelUsageJson(const QString &model, const UsageCounters &counters);
// POST /usage/reset: {"success": true, "message": "Usage tracking reset"}.
QCborMap usageResetJson();

// ThreadBudgetInfo; percentUsed rounded to 1 place.
QCborMap threadBudgetJson(const ThreadBudget &budget);
// ThreadBudgetListResponse: threads (in the given order: hottest first), count, defaultMaxTokens.
QCborMap threadBudgetListJson(const QList<ThreadBudget> &budgets, qint64 defaultMaxTokens);

// UsageEventInfo: timestamp as the stored isoformat() text, estimatedCost null when unknown.
QCborMap usageEventJson(const UsageEvent &event);
// UsageHistoryResponse: events, count, total, offset, limit.
QCborMap usageHistoryJson(const Page<UsageEvent> &page);
// BillingSummaryResponse; its byModel/byAgent inner maps are snake_case, as the original writes them.
// orgId null when no filter was given. UsageScope::All adds byOrganism (keyed organism/instance).
QCborMap billingJson(const BillingSummary &summary, const std::optional<QString> &orgId, const QString &startTime,
                     const QString &endTime, UsageScope scope = UsageScope::Organism);
// DailyUsageResponse: days (date, totalTokens, requestCount, totalCost), count.
QCborMap dailyUsageJson(const QList<DailyUsage> &days);

// A start_time/end_time filter as the store compares it: text against the stored isoformat() text.
// A timestamp in another form (Z, another offset, no offset, a bare date) is rewritten in the stored
// form so the comparison is chronological; text already in the stored UTC form, or text that is no
// timestamp at all, is compared as given (as the original does).
QString usageTimeFilter(const QString &given);
// The current time as the original writes it (isoformat(), +00:00): billing's default endTime.
QString usageTimeNow();

// --- agentdesk extensions -------------------------------------------------------------------------

// PUT /usage/threads/{id} body: {"maxTokens": N} or {"max_tokens": N}, an integer in 1..kMaxBudgetTokens
// (JSON numbers keep integers exact up to 2^53). Errors as pydantic reports them, loc ["body", <key>].
inline constexpr qint64 kMaxBudgetTokens = qint64(1) << 53;
struct BudgetUpdateParse
{
    qint64 maxTokens = 0;
    QList<ValidationError> errors;
    bool ok() const { return errors.isEmpty(); }
};
BudgetUpdateParse parseBudgetUpdate(const QByteArray &body);

// Timeseries query values: minute|hour|day and model|agent.
const QStringList &usageBucketNames();
const QStringList &usageGroupByNames();
std::optional<UsageBucketSize> parseUsageBucket(const QString &name);
std::optional<UsageGroupBy> parseUsageGroupBy(const QString &name);
QString usageBucketName(UsageBucketSize bucket);
QString usageGroupByName(UsageGroupBy groupBy);
// {"bucket", "groupBy", "since", "until", "points": [{"start", "key", "promptTokens",
// "completionTokens", "cachedPromptTokens", "totalTokens", "requestCount", "totalCost"}]}.
QCborMap usageTimeseriesJson(UsageBucketSize bucket, UsageGroupBy groupBy, const QDateTime &since,
                             const QDateTime &until, const QList<UsageBucket> &points);

// GET /usage/export: every column of a usage event, the same keys in JSON and as the CSV header.
const QStringList &usageExportColumns();
QCborMap usageExportRecordJson(const UsageEvent &event);
QCborArray usageExportJson(const QList<UsageEvent> &events);
// RFC 4180: a header row, CRLF line ends, fields with a comma, quote or line break quoted
// (quotes doubled); UTF-8; values are written as they are (nothing prefixed).
QByteArray usageExportCsv(const QList<UsageEvent> &events);

// WebSocket /ws: budget_warning (kinds warning, critical, final — with `severity`),
// budget_exhausted and budget_raised (severity null).
QString budgetEventName(const BudgetEvent &event);
// {"event", "threadId", "agent", "severity", "percentUsed", "tokensUsed", "tokensRemaining",
// "maxTokens", "message", "timestamp"}.
QCborMap budgetEventJson(const BudgetEvent &event);

} // namespace agentdesk::wire
