#pragma once

#include "domain/records.h"
#include "domain/usage.h"
#include "domain/inject.h"
#include "domain/usagequeries.h"
#include "domain/budgets.h"
#include "domain/usagecounters.h"

#include <QJsonObject>
#include <QList>

#include <optional>

namespace agentdesk::wire {

// UsageResponse {"usage": UsageOverview} or the bare overview (spec §3.6, §5.17). Costs arrive
// rounded to 4 places; the totals' latency sum is avgLatencyMs × requestCount; cachedPromptTokens
// and unpricedRequests are read where a server sends them. nullopt without "totals".
std::optional<UsageSnapshot> parseUsageSnapshot(const QJsonObject &json);

// ThreadBudgetInfo (§3.6); nullopt without a "threadId". requestCount is 0 unless sent.
std::optional<ThreadBudget> parseThreadBudget(const QJsonObject &json);
struct ThreadBudgetList
{
    QList<ThreadBudget> budgets; // as sent: hottest first
    qint64 defaultMaxTokens = 0;
};
// ThreadBudgetListResponse: nullopt when "threads" is not a list.
std::optional<ThreadBudgetList> parseThreadBudgetList(const QJsonObject &json);

// UsageEventInfo (S4, §3.6) plus the export's extra columns when present; orgId and userId fall
// back to the metadata's org_id and user_id. nullopt without a "model".
std::optional<UsageEvent> parseUsageEvent(const QJsonObject &json);
// UsageHistoryResponse (§5.22): nullopt when "events" is not a list.
std::optional<Page<UsageEvent>> parseUsageHistory(const QJsonObject &json);

// agentdesk's GET /usage/timeseries: {"bucket", "groupBy", "since", "until", "points": [...]}.
// nullopt when "points" is not a list.
std::optional<QList<UsageBucket>> parseUsageTimeseries(const QJsonObject &json);

// BillingSummaryResponse (§5.23; byModel, byAgent and agentdesk's byOrganism keyed "organism/instance",
// their inner maps snake_case). nullopt without a "totalTokens".
std::optional<BillingSummary> parseBilling(const QJsonObject &json);

// WebSocket budget_warning (severity warning | critical | final), budget_exhausted, budget_raised:
// {"event", "threadId", "agent", "severity", "percentUsed", "tokensUsed", "tokensRemaining",
// "maxTokens", "message", "timestamp"}. The frame has no prompt/completion split: the budget carries
// every used token as prompt tokens (totalTokens(), remaining() and percentUsed() are right).
// nullopt when the event is not a budget event or has no "threadId".
std::optional<BudgetEvent> parseBudgetEvent(const QJsonObject &json);

} // namespace agentdesk::wire
