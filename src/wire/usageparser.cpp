#include "usageparser.h"

#include "budgetjson.h"
#include "jsonparser.h"

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {

UsageCounters counters(const QJsonObject &json, const QString &keyName)
{
    UsageCounters counters;
    if (!keyName.isEmpty())
        counters.key = jsonText(json, keyName);
    counters.totalTokens = jsonInteger(json, u"totalTokens"_s);
    counters.promptTokens = jsonInteger(json, u"promptTokens"_s);
    counters.completionTokens = jsonInteger(json, u"completionTokens"_s);
    counters.cachedPromptTokens = jsonInteger(json, u"cachedPromptTokens"_s);
    counters.cacheWriteTokens = jsonInteger(json, u"cacheWriteTokens"_s);
    counters.reasoningTokens = jsonInteger(json, u"reasoningTokens"_s);
    counters.requestCount = jsonInteger(json, u"requestCount"_s);
    counters.unusableRequests = jsonInteger(json, u"unusableRequests"_s);
    counters.errorRequests = jsonInteger(json, u"errorRequests"_s);
    counters.abortedRequests = jsonInteger(json, u"abortedRequests"_s);
    counters.totalCost = jsonNumber(json, u"totalCost"_s);
    counters.unpricedRequests = jsonInteger(json, u"unpricedRequests"_s);
    counters.unpricedTokens = jsonInteger(json, u"unpricedTokens"_s);
    counters.totalLatencyMs = jsonNumber(json, u"avgLatencyMs"_s) * double(counters.requestCount);
    // Averages arrive as averages: one sample of that value gives the same average back.
    if (const std::optional<double> ttft = jsonOptionalNumber(json, u"avgTtftMs"_s)) {
        counters.ttftSumMs = *ttft;
        counters.ttftCount = 1;
    }
    if (const std::optional<double> rate = jsonOptionalNumber(json, u"avgTokensPerSecond"_s)) {
        counters.tokensPerSecondSum = *rate;
        counters.tokensPerSecondCount = 1;
    }
    return counters;
}

QList<UsageCounters> counterList(const QJsonArray &array, const QString &keyName)
{
    QList<UsageCounters> list;
    for (const QJsonValue &item : array) {
        if (item.isObject())
            list.append(counters(item.toObject(), keyName));
    }
    return list;
}

UsageAggregate billingGroup(const QJsonObject &json)
{
    UsageAggregate usage;
    usage.totalTokens = jsonInteger(json, u"total_tokens"_s);
    usage.promptTokens = jsonInteger(json, u"prompt_tokens"_s);
    usage.completionTokens = jsonInteger(json, u"completion_tokens"_s);
    usage.requestCount = jsonInteger(json, u"request_count"_s);
    usage.totalCost = jsonNumber(json, u"total_cost"_s);
    usage.unpricedRequests = jsonInteger(json, u"unpriced_requests"_s);
    usage.unpricedTokens = jsonInteger(json, u"unpriced_tokens"_s);
    return usage;
}

QMap<QString, UsageAggregate> billingGroups(const QJsonObject &json)
{
    QMap<QString, UsageAggregate> groups;
    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        if (it.value().isObject())
            groups.insert(it.key(), billingGroup(it.value().toObject()));
    }
    return groups;
}

} // namespace

std::optional<BillingSummary> parseBilling(const QJsonObject &json)
{
    if (!json.value(u"totalTokens"_s).isDouble())
        return std::nullopt;
    BillingSummary summary;
    summary.totals.totalTokens = jsonInteger(json, u"totalTokens"_s);
    summary.totals.promptTokens = jsonInteger(json, u"promptTokens"_s);
    summary.totals.completionTokens = jsonInteger(json, u"completionTokens"_s);
    summary.totals.requestCount = jsonInteger(json, u"requestCount"_s);
    summary.totals.totalCost = jsonNumber(json, u"totalCost"_s);
    summary.totals.unpricedRequests = jsonInteger(json, u"unpricedRequests"_s);
    summary.totals.unpricedTokens = jsonInteger(json, u"unpricedTokens"_s);
    summary.byModel = billingGroups(jsonObject(json, u"byModel"_s));
    summary.byAgent = billingGroups(jsonObject(json, u"byAgent"_s));
    summary.byOrganism = billingGroups(jsonObject(json, u"byOrganism"_s));
    return summary;
}

std::optional<UsageSnapshot> parseUsageSnapshot(const QJsonObject &json)
{
    const QJsonObject overview = json.value(u"usage"_s).isObject() ? jsonObject(json, u"usage"_s) : json;
    if (!overview.value(u"totals"_s).isObject())
        return std::nullopt;
    UsageSnapshot usage;
    usage.totals = counters(jsonObject(overview, u"totals"_s), {});
    usage.byAgent = counterList(jsonArray(overview, u"byAgent"_s), u"agentId"_s);
    usage.byModel = counterList(jsonArray(overview, u"byModel"_s), u"model"_s);
    return usage;
}

std::optional<ThreadBudget> parseThreadBudget(const QJsonObject &json)
{
    if (!json.value(u"threadId"_s).isString())
        return std::nullopt;
    ThreadBudget budget;
    budget.threadId = jsonText(json, u"threadId"_s);
    budget.maxTokens = jsonInteger(json, u"maxTokens"_s);
    budget.promptTokens = jsonInteger(json, u"promptTokens"_s);
    budget.completionTokens = jsonInteger(json, u"completionTokens"_s);
    if (!json.contains(u"promptTokens"_s) && !json.contains(u"completionTokens"_s))
        budget.promptTokens = jsonInteger(json, u"totalTokens"_s);
    budget.requestCount = jsonInteger(json, u"requestCount"_s);
    // Held before the budget is spent: the wire does not carry the held call's estimate, only that it
    // does not fit in what is left, which is what isExhausted() needs.
    if (json.value(u"isExhausted"_s).toBool() && budget.totalTokens() < budget.maxTokens)
        budget.heldCallTokens = budget.remaining() + 1;
    return budget;
}

std::optional<ThreadBudgetList> parseThreadBudgetList(const QJsonObject &json)
{
    if (!json.value(u"threads"_s).isArray())
        return std::nullopt;
    ThreadBudgetList list;
    for (const QJsonValue &item : json.value(u"threads"_s).toArray()) {
        if (auto budget = parseThreadBudget(item.toObject()))
            list.budgets.append(*budget);
    }
    list.defaultMaxTokens = jsonInteger(json, u"defaultMaxTokens"_s);
    return list;
}

std::optional<UsageEvent> parseUsageEvent(const QJsonObject &json)
{
    if (!json.value(u"model"_s).isString())
        return std::nullopt;
    UsageEvent event;
    event.id = jsonInteger(json, u"id"_s);
    event.timestamp = jsonTimestamp(json, u"timestamp"_s);
    event.threadId = jsonText(json, u"threadId"_s);
    event.agentId = jsonText(json, u"agentId"_s);
    event.model = jsonText(json, u"model"_s);
    event.provider = jsonText(json, u"provider"_s);
    event.promptTokens = jsonInteger(json, u"promptTokens"_s);
    event.completionTokens = jsonInteger(json, u"completionTokens"_s);
    event.cachedPromptTokens = jsonInteger(json, u"cachedPromptTokens"_s);
    event.cacheWriteTokens = jsonInteger(json, u"cacheWriteTokens"_s);
    event.reasoningTokens = jsonInteger(json, u"reasoningTokens"_s);
    parseUsageOutcome(jsonText(json, u"outcome"_s), &event.outcome);
    event.ttftMs = jsonOptionalNumber(json, u"ttftMs"_s);
    event.tokensPerSecond = jsonOptionalNumber(json, u"tokensPerSecond"_s);
    event.totalTokens = jsonInteger(json, u"totalTokens"_s, event.promptTokens + event.completionTokens);
    event.latencyMs = jsonNumber(json, u"latencyMs"_s);
    event.estimatedCost = jsonOptionalNumber(json, u"estimatedCost"_s);
    event.estimatedTokens = jsonBool(json, u"estimatedTokens"_s);
    event.metadata = jsonFields(jsonObject(json, u"metadata"_s));
    event.orgId = jsonText(json, u"orgId"_s);
    if (event.orgId.isEmpty())
        event.orgId = event.metadata.value(u"org_id"_s).toString();
    event.userId = jsonText(json, u"userId"_s);
    if (event.userId.isEmpty())
        event.userId = event.metadata.value(u"user_id"_s).toString();
    return event;
}

std::optional<Page<UsageEvent>> parseUsageHistory(const QJsonObject &json)
{
    if (!json.value(u"events"_s).isArray())
        return std::nullopt;
    Page<UsageEvent> page;
    for (const QJsonValue &item : json.value(u"events"_s).toArray()) {
        if (auto event = parseUsageEvent(item.toObject()))
            page.items.append(*event);
    }
    page.total = jsonInteger(json, u"total"_s, page.items.size());
    page.offset = jsonInteger(json, u"offset"_s);
    page.limit = jsonInteger(json, u"limit"_s, page.items.size());
    return page;
}

std::optional<QList<UsageBucket>> parseUsageTimeseries(const QJsonObject &json)
{
    if (!json.value(u"points"_s).isArray())
        return std::nullopt;
    QList<UsageBucket> buckets;
    for (const QJsonValue &item : json.value(u"points"_s).toArray()) {
        const QJsonObject point = item.toObject();
        UsageBucket bucket;
        bucket.start = jsonTimestamp(point, u"start"_s);
        if (!bucket.start.isValid())
            continue;
        bucket.key = jsonText(point, u"key"_s);
        bucket.promptTokens = jsonInteger(point, u"promptTokens"_s);
        bucket.completionTokens = jsonInteger(point, u"completionTokens"_s);
        bucket.cachedPromptTokens = jsonInteger(point, u"cachedPromptTokens"_s);
        bucket.cacheWriteTokens = jsonInteger(point, u"cacheWriteTokens"_s);
        bucket.reasoningTokens = jsonInteger(point, u"reasoningTokens"_s);
        bucket.totalTokens = jsonInteger(point, u"totalTokens"_s);
        bucket.requestCount = jsonInteger(point, u"requestCount"_s);
        bucket.totalCost = jsonNumber(point, u"totalCost"_s);
        bucket.unpricedRequests = jsonInteger(point, u"unpricedRequests"_s);
        bucket.unpricedTokens = jsonInteger(point, u"unpricedTokens"_s);
        buckets.append(bucket);
    }
    return buckets;
}

std::optional<BudgetEvent> parseBudgetEvent(const QJsonObject &json)
{
    const QString name = jsonText(json, u"event"_s);
    if (!name.startsWith(u"budget_"_s) || (!json.value(u"threadId"_s).isString() && !json.value(u"scope"_s).isString()))
        return std::nullopt;
    BudgetEvent event;
    event.threadId = jsonText(json, u"threadId"_s);
    event.agent = jsonText(json, u"agent"_s);
    // A kind this client does not know (or none) reads as a warning.
    if (!parseBudgetEventKind(name == u"budget_warning" ? jsonText(json, u"severity"_s) : name.mid(7), &event.kind))
        event.kind = BudgetEventKind::Warning;
    event.budget.threadId = event.threadId;
    event.budget.maxTokens = jsonInteger(json, u"maxTokens"_s);
    event.budget.promptTokens = jsonInteger(json, u"tokensUsed"_s);
    event.message = jsonText(json, u"message"_s);
    event.timestamp = jsonTimestamp(json, u"timestamp"_s);
    readBudgetScope(json, &event);
    return event;
}

} // namespace agentdesk::wire
