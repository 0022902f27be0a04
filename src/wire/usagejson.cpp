#include "usagejson.h"

#include "budgetjson.h"
#include "csvwriter.h"
#include "injectjson.h"
#include "jsonparser.h"
#include "jsonwriter.h"
#include "messagejson.h"
#include "timestamps.h"

#include "store/historycodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {

constexpr int kCostPlaces = 4;    // read-outs of the tracker and the store (spec §8.2, §5.23)
constexpr int kPointPlaces = 6;   // per-call costs are rounded to 6 places (§8.3); sums keep that
constexpr int kPercentPlaces = 1; // percentUsed (§5.18)

QCborValue optionalText(const QString &text)
{
    return text.isEmpty() ? QCborValue(nullptr) : QCborValue(text);
}

double roundedCost(double cost)
{
    return HistoryCodec::roundTo(cost, kCostPlaces);
}

QCborValue optionalNumber(const std::optional<double> &value)
{
    return value ? QCborValue(*value) : QCborValue(nullptr);
}

// The five counters AgentUsageInfo and ModelUsageInfo share, after their id key.
void appendCounters(QCborMap &json, const UsageCounters &counters)
{
    json[u"totalTokens"_s] = counters.totalTokens;
    json[u"promptTokens"_s] = counters.promptTokens;
    json[u"completionTokens"_s] = counters.completionTokens;
    json[u"requestCount"_s] = counters.requestCount;
    json[u"totalCost"_s] = roundedCost(counters.totalCost);
}

// agentdesk's, after the original's keys: what is unpriced (so "free" and "unknown" differ), the
// bill's categories, the outcomes that were not ok, and the streaming figures.
void appendCounterExtensions(QCborMap &json, const UsageCounters &counters)
{
    json[u"unpricedRequests"_s] = counters.unpricedRequests;
    json[u"unpricedTokens"_s] = counters.unpricedTokens;
    json[u"cachedPromptTokens"_s] = counters.cachedPromptTokens;
    json[u"cacheWriteTokens"_s] = counters.cacheWriteTokens;
    json[u"reasoningTokens"_s] = counters.reasoningTokens;
    json[u"unusableRequests"_s] = counters.unusableRequests;
    json[u"errorRequests"_s] = counters.errorRequests;
    json[u"abortedRequests"_s] = counters.abortedRequests;
    json[u"avgTtftMs"_s] = optionalNumber(counters.avgTtftMs());
    json[u"avgTokensPerSecond"_s] = optionalNumber(counters.avgTokensPerSecond());
}

QCborMap totalsJson(const UsageCounters &totals)
{
    QCborMap json;
    appendCounters(json, totals);
    json[u"avgLatencyMs"_s] = totals.avgLatencyMs();
    appendCounterExtensions(json, totals);
    return json;
}

QCborMap billingGroupJson(const UsageAggregate &usage)
{
    QCborMap json;
    json[u"total_tokens"_s] = usage.totalTokens;
    json[u"prompt_tokens"_s] = usage.promptTokens;
    json[u"completion_tokens"_s] = usage.completionTokens;
    json[u"request_count"_s] = usage.requestCount;
    json[u"total_cost"_s] = usage.totalCost;
    json[u"unpriced_requests"_s] = usage.unpricedRequests;
    json[u"unpriced_tokens"_s] = usage.unpricedTokens;
    return json;
}

QCborMap billingGroupsJson(const QMap<QString, UsageAggregate> &groups)
{
    QCborMap json;
    for (auto it = groups.cbegin(); it != groups.cend(); ++it)
        json[it.key()] = billingGroupJson(it.value());
    return json;
}

QCborArray bodyLoc(const QString &field)
{
    return QCborArray{u"body"_s, field};
}

ValidationError intType(const QCborArray &loc, const QCborValue &input)
{
    return ValidationError{u"int_type"_s, loc, u"Input should be a valid integer"_s, input, {}};
}

ValidationError intFromFloat(const QCborArray &loc, const QCborValue &input)
{
    return ValidationError{
        u"int_from_float"_s, loc, u"Input should be a valid integer, got a number with a fractional part"_s, input, {}};
}

// The maxTokens value: a JSON integer (or a float with no fraction, as pydantic accepts) in range.
std::optional<ValidationError> readMaxTokens(const QJsonValue &value, const QCborArray &loc, qint64 *maxTokens)
{
    const QCborValue input = QCborValue::fromJsonValue(value);
    if (!value.isDouble())
        return intType(loc, input);
    qint64 number = 0;
    if (input.isInteger()) {
        number = input.toInteger();
    } else {
        const double real = value.toDouble();
        if (std::isfinite(real) && real != std::trunc(real))
            return intFromFloat(loc, input);
        if (!std::isfinite(real) || std::fabs(real) > double(kMaxBudgetTokens))
            return real < 0 ? ValidationError::greaterThanEqual(loc, input, 1)
                            : ValidationError::lessThanEqual(loc, input, kMaxBudgetTokens);
        number = qint64(real);
    }
    if (number < 1)
        return ValidationError::greaterThanEqual(loc, input, 1);
    if (number > kMaxBudgetTokens)
        return ValidationError::lessThanEqual(loc, input, kMaxBudgetTokens);
    *maxTokens = number;
    return std::nullopt;
}

// A value of an export record as its CSV cell: numbers as JSON writes them, null empty, objects as JSON.
QString csvCell(const QCborValue &value)
{
    if (value.isNull() || value.isUndefined())
        return {};
    if (value.isString())
        return value.toString();
    if (value.isInteger())
        return QString::number(value.toInteger());
    if (value.isDouble())
        return QString::fromLatin1(formatFloat(value.toDouble()));
    if (value.isBool())
        return value.toBool() ? u"true"_s : u"false"_s;
    return QString::fromUtf8(writeJson(value));
}

// agentdesk's columns of a usage event, after the original's.
void appendEventExtensions(QCborMap &json, const UsageEvent &event)
{
    json[u"outcome"_s] = toString(event.outcome);
    json[u"cachedPromptTokens"_s] = event.cachedPromptTokens;
    json[u"cacheWriteTokens"_s] = event.cacheWriteTokens;
    json[u"reasoningTokens"_s] = event.reasoningTokens;
    json[u"estimatedTokens"_s] = event.estimatedTokens;
    json[u"ttftMs"_s] = optionalNumber(event.ttftMs);
    json[u"tokensPerSecond"_s] = optionalNumber(event.tokensPerSecond);
}

} // namespace

// --- the original's shapes ---------------------------------------------------------------------------

QCborMap usageResponseJson(const UsageSnapshot &usage, qint64 activeThreads)
{
    QCborArray agents;
    for (const UsageCounters &agent : usage.byAgent)
        agents.append(agentUsageJson(agent.key, agent));
    QCborArray models;
    for (const UsageCounters &model : usage.byModel)
        models.append(modelUsageJson(model.key, model));
    QCborMap overview;
    overview[u"totals"_s] = totalsJson(usage.totals);
    overview[u"byAgent"_s] = agents;
    overview[u"byModel"_s] = models;
    overview[u"activeThreads"_s] = activeThreads;
    return QCborMap{{u"usage"_s, overview}};
}

QCborMap agentUsageJson(const QString &agentId, const UsageCounters &counters)
{
    QCborMap json;
    json[u"agentId"_s] = agentId;
    appendCounters(json, counters);
    appendCounterExtensions(json, counters);
    return json;
}

QCborMap modelUsageJson(const QString &model, const UsageCounters &counters)
{
    QCborMap json;
    json[u"model"_s] = model;
    appendCounters(json, counters);
    appendCounterExtensions(json, counters);
    return json;
}

QCborMap usageResetJson()
{
    return QCborMap{{u"success"_s, true}, {u"message"_s, u"Usage tracking reset"_s}};
}

QCborMap threadBudgetJson(const ThreadBudget &budget)
{
    QCborMap json;
    json[u"threadId"_s] = budget.threadId;
    json[u"maxTokens"_s] = budget.maxTokens;
    json[u"promptTokens"_s] = budget.promptTokens;
    json[u"completionTokens"_s] = budget.completionTokens;
    json[u"totalTokens"_s] = budget.totalTokens();
    json[u"remaining"_s] = budget.remaining();
    json[u"percentUsed"_s] = HistoryCodec::roundTo(budget.percentUsed(), kPercentPlaces);
    json[u"isExhausted"_s] = budget.isExhausted(); // spent, or held: the next call does not fit
    return json;
}

QCborMap threadBudgetListJson(const QList<ThreadBudget> &budgets, qint64 defaultMaxTokens)
{
    QCborArray threads;
    for (const ThreadBudget &budget : budgets)
        threads.append(threadBudgetJson(budget));
    QCborMap json;
    json[u"threads"_s] = threads;
    json[u"count"_s] = budgets.size();
    json[u"defaultMaxTokens"_s] = defaultMaxTokens;
    return json;
}

QCborMap usageEventJson(const UsageEvent &event)
{
    QCborMap json;
    json[u"id"_s] = event.id;
    json[u"timestamp"_s] = formatTimestamp(event.timestamp, TimestampForm::PythonIsoformat);
    json[u"threadId"_s] = event.threadId;
    json[u"agentId"_s] = optionalText(event.agentId);
    json[u"model"_s] = event.model;
    json[u"provider"_s] = event.provider;
    json[u"promptTokens"_s] = event.promptTokens;
    json[u"completionTokens"_s] = event.completionTokens;
    json[u"totalTokens"_s] = event.totalTokens;
    json[u"latencyMs"_s] = event.latencyMs;
    json[u"estimatedCost"_s] = event.estimatedCost ? QCborValue(*event.estimatedCost) : QCborValue(nullptr);
    json[u"metadata"_s] = payloadJson(event.metadata);
    appendEventExtensions(json, event);
    return json;
}

QCborMap usageHistoryJson(const Page<UsageEvent> &page)
{
    QCborArray events;
    for (const UsageEvent &event : page.items)
        events.append(usageEventJson(event));
    QCborMap json;
    json[u"events"_s] = events;
    json[u"count"_s] = page.items.size();
    json[u"total"_s] = page.total;
    json[u"offset"_s] = page.offset;
    json[u"limit"_s] = page.limit;
    return json;
}

QCborMap billingJson(const BillingSummary &summary, const std::optional<QString> &orgId, const QString &startTime,
                     const QString &endTime, UsageScope scope)
{
    QCborMap json;
    json[u"orgId"_s] = orgId ? QCborValue(*orgId) : QCborValue(nullptr);
    json[u"startTime"_s] = startTime;
    json[u"endTime"_s] = endTime;
    json[u"totalTokens"_s] = summary.totals.totalTokens;
    json[u"promptTokens"_s] = summary.totals.promptTokens;
    json[u"completionTokens"_s] = summary.totals.completionTokens;
    json[u"requestCount"_s] = summary.totals.requestCount;
    json[u"totalCost"_s] = summary.totals.totalCost;
    json[u"unpricedRequests"_s] = summary.totals.unpricedRequests;
    json[u"unpricedTokens"_s] = summary.totals.unpricedTokens;
    json[u"byModel"_s] = billingGroupsJson(summary.byModel);
    json[u"byAgent"_s] = billingGroupsJson(summary.byAgent);
    if (scope == UsageScope::All)
        json[u"byOrganism"_s] = billingGroupsJson(summary.byOrganism);
    return json;
}

QCborMap dailyUsageJson(const QList<DailyUsage> &days)
{
    QCborArray list;
    for (const DailyUsage &day : days) {
        QCborMap point;
        point[u"date"_s] = day.date;
        point[u"totalTokens"_s] = day.totalTokens;
        point[u"requestCount"_s] = day.requestCount;
        point[u"totalCost"_s] = day.totalCost;
        point[u"unpricedRequests"_s] = day.unpricedRequests;
        point[u"unpricedTokens"_s] = day.unpricedTokens;
        list.append(point);
    }
    return QCborMap{{u"days"_s, list}, {u"count"_s, days.size()}};
}

QString usageTimeFilter(const QString &given)
{
    // Already the stored form (microseconds kept): compare it as it is.
    static const QRegularExpression stored(uR"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$)"_s);
    if (given.isEmpty() || stored.match(given).hasMatch())
        return given;
    const std::optional<QDateTime> time = parseTimestamp(given);
    return time ? formatTimestamp(*time, TimestampForm::PythonIsoformat) : given;
}

QString usageTimeNow()
{
    return formatTimestamp(QDateTime::currentDateTimeUtc(), TimestampForm::PythonIsoformat);
}

// --- extensions ----------------------------------------------------------------------------------------

BudgetUpdateParse parseBudgetUpdate(const QByteArray &body)
{
    BudgetUpdateParse parse;
    if (body.trimmed().isEmpty()) {
        parse.errors.append(ValidationError::missing(QCborArray{u"body"_s}, QCborValue(nullptr)));
        return parse;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        if (const auto scalar = parseJsonScalar(body))
            parse.errors.append(ValidationError::modelAttributesType(QCborValue::fromJsonValue(*scalar)));
        else
            parse.errors.append(jsonDecodeError(body));
        return parse;
    }
    if (!document.isObject()) {
        parse.errors.append(ValidationError::modelAttributesType(QCborValue::fromJsonValue(document.array())));
        return parse;
    }
    const QJsonObject object = document.object();
    // The alias wins when both spellings are present, as with pydantic's populate_by_name.
    const QString key = object.contains(u"max_tokens"_s) && !object.contains(u"maxTokens"_s) ? u"max_tokens"_s
                                                                                             : u"maxTokens"_s;
    if (!object.contains(key)) {
        parse.errors.append(ValidationError::missing(bodyLoc(key), QCborValue::fromJsonValue(object)));
        return parse;
    }
    if (auto invalid = readMaxTokens(object.value(key), bodyLoc(key), &parse.maxTokens))
        parse.errors.append(*invalid);
    return parse;
}

const QStringList &usageBucketNames()
{
    static const QStringList names{u"minute"_s, u"hour"_s, u"day"_s};
    return names;
}

const QStringList &usageGroupByNames()
{
    static const QStringList names{u"model"_s, u"agent"_s};
    return names;
}

std::optional<UsageBucketSize> parseUsageBucket(const QString &name)
{
    if (name == u"minute")
        return UsageBucketSize::Minute;
    if (name == u"hour")
        return UsageBucketSize::Hour;
    if (name == u"day")
        return UsageBucketSize::Day;
    return std::nullopt;
}

std::optional<UsageGroupBy> parseUsageGroupBy(const QString &name)
{
    if (name == u"model")
        return UsageGroupBy::Model;
    if (name == u"agent")
        return UsageGroupBy::Agent;
    return std::nullopt;
}

QString usageBucketName(UsageBucketSize bucket)
{
    switch (bucket) {
    case UsageBucketSize::Minute:
        return u"minute"_s;
    case UsageBucketSize::Hour:
        return u"hour"_s;
    case UsageBucketSize::Day:
        return u"day"_s;
    }
    return {};
}

QString usageGroupByName(UsageGroupBy groupBy)
{
    return groupBy == UsageGroupBy::Model ? u"model"_s : u"agent"_s;
}

QCborMap usageTimeseriesJson(UsageBucketSize bucket, UsageGroupBy groupBy, const QDateTime &since,
                             const QDateTime &until, const QList<UsageBucket> &points)
{
    QCborArray list;
    for (const UsageBucket &point : points) {
        QCborMap json;
        json[u"start"_s] = timestampValue(point.start);
        json[u"key"_s] = point.key;
        json[u"promptTokens"_s] = point.promptTokens;
        json[u"completionTokens"_s] = point.completionTokens;
        json[u"cachedPromptTokens"_s] = point.cachedPromptTokens;
        json[u"cacheWriteTokens"_s] = point.cacheWriteTokens;
        json[u"reasoningTokens"_s] = point.reasoningTokens;
        json[u"totalTokens"_s] = point.totalTokens;
        json[u"requestCount"_s] = point.requestCount;
        json[u"totalCost"_s] = HistoryCodec::roundTo(point.totalCost, kPointPlaces);
        json[u"unpricedRequests"_s] = point.unpricedRequests;
        json[u"unpricedTokens"_s] = point.unpricedTokens;
        list.append(json);
    }
    QCborMap json;
    json[u"bucket"_s] = usageBucketName(bucket);
    json[u"groupBy"_s] = usageGroupByName(groupBy);
    json[u"since"_s] = timestampValue(since);
    json[u"until"_s] = timestampValue(until);
    json[u"points"_s] = list;
    return json;
}

const QStringList &usageExportColumns()
{
    static const QStringList columns{
        u"id"_s,
        u"timestamp"_s,
        u"threadId"_s,
        u"agentId"_s,
        u"model"_s,
        u"provider"_s,
        u"outcome"_s,
        u"promptTokens"_s,
        u"completionTokens"_s,
        u"cachedPromptTokens"_s,
        u"cacheWriteTokens"_s,
        u"reasoningTokens"_s,
        u"totalTokens"_s,
        u"estimatedTokens"_s,
        u"estimatedCost"_s,
        u"latencyMs"_s,
        u"ttftMs"_s,
        u"tokensPerSecond"_s,
        u"orgId"_s,
        u"userId"_s,
        u"metadata"_s,
    };
    return columns;
}

QCborMap usageExportRecordJson(const UsageEvent &event)
{
    // The history's record with the columns it leaves out, in the export's column order.
    QCborMap record = usageEventJson(event);
    record[u"orgId"_s] = optionalText(event.orgId);
    record[u"userId"_s] = optionalText(event.userId);
    QCborMap json;
    for (const QString &column : usageExportColumns())
        json[column] = record.value(column);
    return json;
}

QCborArray usageExportJson(const QList<UsageEvent> &events)
{
    QCborArray list;
    for (const UsageEvent &event : events)
        list.append(usageExportRecordJson(event));
    return list;
}

QByteArray usageExportCsv(const QList<UsageEvent> &events)
{
    const QStringList &columns = usageExportColumns();
    CsvWriter csv;
    csv.addRow(columns);
    QStringList cells;
    for (const UsageEvent &event : events) {
        const QCborMap record = usageExportRecordJson(event);
        cells.clear();
        for (const QString &column : columns)
            cells << csvCell(record.value(column));
        csv.addRow(cells);
    }
    return csv.data();
}

QString budgetEventName(const BudgetEvent &event)
{
    if (isThreshold(event.kind))
        return u"budget_warning"_s;
    return u"budget_"_s + toString(event.kind);
}

QCborMap budgetEventJson(const BudgetEvent &event)
{
    const QString name = budgetEventName(event);
    QCborMap json;
    json[u"event"_s] = name;
    json[u"threadId"_s] = optionalText(event.threadId);
    json[u"agent"_s] = optionalText(event.agent);
    json[u"severity"_s] = isThreshold(event.kind) ? QCborValue(toString(event.kind)) : QCborValue(nullptr);
    if (const std::optional<ScopeBudget> &scope = event.scopeBudget) {
        // An agent's or the organism's budget: its figures in tokens, and in USD for a cost budget.
        json[u"percentUsed"_s] = HistoryCodec::roundTo(scope->percentUsed(), kPercentPlaces);
        json[u"tokensUsed"_s] = scope->usedTokens;
        json[u"tokensRemaining"_s] = scope->maxTokens
            ? QCborValue(std::max<qint64>(0, *scope->maxTokens - scope->usedTokens))
            : QCborValue(nullptr);
        json[u"maxTokens"_s] = scope->maxTokens ? QCborValue(*scope->maxTokens) : QCborValue(nullptr);
    } else {
        json[u"percentUsed"_s] = HistoryCodec::roundTo(event.budget.percentUsed(), kPercentPlaces);
        json[u"tokensUsed"_s] = event.budget.totalTokens();
        json[u"tokensRemaining"_s] = event.budget.remaining();
        json[u"maxTokens"_s] = event.budget.maxTokens;
    }
    json[u"message"_s] = event.message;
    json[u"timestamp"_s] = timestampValue(event.timestamp);
    appendBudgetScope(json, event);
    return json;
}

} // namespace agentdesk::wire
