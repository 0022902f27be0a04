#include "routes.h"

#include "jsonwriter.h"
#include "openapischemabuilder.h"
#include "organism.h"
#include "historyview.h"
#include "usagejson.h"

#include <QCborArray>

#include <chrono>
#include <initializer_list>
#include <utility>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

Route usageRoute(HttpMethod method, const QString &path, const QString &operationId, const QString &summary)
{
    return describedRoute(u"usage"_s, method, path, operationId, summary);
}

QueryParam textParam(const QString &name, const QString &description, bool extension = false)
{
    return {name, QueryParam::Type::String, {}, {}, {}, description, extension};
}

// The period filters of /usage/history, /billing and /daily (spec §5.22, snake_case names).
QList<QueryParam> periodParams()
{
    return {
        textParam(u"start_time"_s,
                  u"Events at or after this time (ISO-8601; compared with the stored isoformat() text)"_s),
        textParam(u"end_time"_s, u"Events at or before this time (ISO-8601)"_s),
        textParam(u"org_id"_s, u"Events of this organisation only"_s),
    };
}

const QStringList &outcomeNames()
{
    static const QStringList names{u"ok"_s, u"unusable"_s, u"error"_s, u"aborted"_s};
    return names;
}

QueryParam outcomeParam()
{
    return textParam(u"outcome"_s,
                     u"Events of this outcome only: ok, unusable (a 2xx reply that could not be used), error "
                     u"(an HTTP error or cut stream that carried tokens) or aborted (sent, never answered)"_s,
                     true);
}

QList<QueryParam> eventFilterParams()
{
    QList<QueryParam> params = periodParams();
    params.append(textParam(u"agent_id"_s, u"Events of this agent only"_s));
    params.append(textParam(u"model"_s, u"Events of this model only (the name the provider returned)"_s));
    params.append(outcomeParam());
    return params;
}

// The outcome filter: unset, or one of the four outcomes (422 literal_error otherwise).
std::optional<UsageOutcome> outcomeFilter(const ApiRequest &request)
{
    UsageOutcome outcome = UsageOutcome::Ok;
    if (!request.has(u"outcome"_s) || !parseUsageOutcome(request.text(u"outcome"_s), &outcome))
        return std::nullopt;
    return outcome;
}

UsageQuery eventQuery(const ApiRequest &request)
{
    UsageQuery query;
    query.startTime = wire::usageTimeFilter(request.text(u"start_time"_s));
    query.endTime = wire::usageTimeFilter(request.text(u"end_time"_s));
    query.orgId = request.text(u"org_id"_s);
    query.agentId = request.text(u"agent_id"_s);
    query.model = request.text(u"model"_s);
    query.outcome = outcomeFilter(request);
    return query;
}

// The usage history as committed (a read never waits for the writer on the engine thread; an event
// is committed within a transaction of being metered); null when there is none.
const HistoryView *usageStore(Organism *organism)
{
    const HistoryView *store = organism->history();
    if (!store || !store->isOpen())
        return nullptr;
    return store;
}

ApiResponse storeUnavailable()
{
    return ApiResponse::detail(500, u"Usage history is not available"_s);
}

// A query value restricted to a few names: 422 literal_error, as pydantic reports a Literal.
std::optional<wire::ValidationError> checkChoice(const ApiRequest &request, const QString &name,
                                                 const QStringList &allowed)
{
    const QString value = request.text(name);
    if (allowed.contains(value))
        return std::nullopt;
    return wire::ValidationError::literalError(QCborArray{u"query"_s, name}, value, allowed);
}

std::optional<wire::ValidationError> checkOutcome(const ApiRequest &request)
{
    if (!request.has(u"outcome"_s))
        return std::nullopt;
    return checkChoice(request, u"outcome"_s, outcomeNames());
}

// The gauge and budget reads change only with a usage event (usageRecorded), a budget event
// (budgetEvents) or a budget that begins or ends, or a reset (usageStateChanged); ApiServer forgets
// the cache on each, so dashboards polling the gauge cost a lookup.
void addGaugeRoutes(RouteTable &table, Organism *organism)
{
    Route usage = usageRoute(HttpMethod::Get, u"/api/v1/usage"_s, u"getUsage"_s,
                             u"The gas gauge: totals, per agent and per model since the last reset"_s);
    usage.description = u"`totalCost` is rounded to 4 places, `avgLatencyMs` is not. `byAgent` and `byModel` are "
                        u"in order of first appearance. `activeThreads` counts the threads that hold a budget."_s;
    usage.responseSchema = u"UsageResponse"_s;
    usage.cacheable = true;
    usage.handler = [organism](const ApiRequest &) {
        return ApiResponse::json(wire::usageResponseJson(organism->usage(), organism->budgets().size()));
    };
    table.add(usage);

    Route agent = usageRoute(HttpMethod::Get, u"/api/v1/usage/agents/{agent_id}"_s, u"getAgentUsage"_s,
                             u"One agent's usage (zeros when it made no call)"_s);
    agent.responseSchema = u"AgentUsageInfo"_s;
    agent.cacheable = true;
    agent.handler = [organism](const ApiRequest &request) {
        return ApiResponse::json(wire::agentUsageJson(request.arg(0), organism->agentUsage(request.arg(0))));
    };
    table.add(agent);

    Route model = usageRoute(HttpMethod::Get, u"/api/v1/usage/models/{model}"_s, u"getModelUsage"_s,
                             u"One model's usage, by the name the provider returned (zeros when unknown)"_s);
    model.responseSchema = u"ModelUsageInfo"_s;
    model.cacheable = true;
    model.handler = [organism](const ApiRequest &request) {
        return ApiResponse::json(wire::modelUsageJson(request.arg(0), organism->modelUsage(request.arg(0))));
    };
    table.add(model);

    Route reset = usageRoute(HttpMethod::Post, u"/api/v1/usage/reset"_s, u"resetUsage"_s,
                             u"Zero the usage counters (budgets and the history are kept)"_s);
    reset.responseSchema = u"UsageResetResult"_s;
    reset.handler = [organism](const ApiRequest &) {
        organism->resetUsage();
        return ApiResponse::json(wire::usageResetJson());
    };
    table.add(reset);
}

void addBudgetRoutes(RouteTable &table, Organism *organism)
{
    Route list = usageRoute(HttpMethod::Get, u"/api/v1/usage/threads"_s, u"listThreadBudgets"_s,
                            u"Every thread budget, hottest first"_s);
    list.responseSchema = u"ThreadBudgetList"_s;
    list.cacheable = true;
    list.handler = [organism](const ApiRequest &) {
        return ApiResponse::json(wire::threadBudgetListJson(organism->budgets(), organism->defaultMaxTokens()));
    };
    table.add(list);

    Route detail = usageRoute(HttpMethod::Get, u"/api/v1/usage/threads/{thread_id}"_s, u"getThreadBudget"_s,
                              u"One thread's budget"_s);
    detail.responseSchema = u"ThreadBudgetInfo"_s;
    detail.errorStatuses = {404};
    detail.cacheable = true;
    detail.handler = [organism](const ApiRequest &request) {
        const std::optional<ThreadBudget> budget = organism->budget(request.arg(0));
        if (!budget)
            return ApiResponse::detail(404, u"No budget found for thread: %1"_s.arg(request.arg(0)));
        return ApiResponse::json(wire::threadBudgetJson(*budget));
    };
    table.add(detail);

    Route raise = usageRoute(HttpMethod::Put, u"/api/v1/usage/threads/{thread_id}"_s, u"setThreadBudget"_s,
                             u"Set a thread's budget; a thread held at exhaustion goes on"_s);
    raise.description = u"Body `{\"maxTokens\": N}` (or `max_tokens`), an integer from 1 to 2^53. Creates the "
                        u"budget of a known thread that has none. When the new maximum is above what the thread "
                        u"used, work held at exhaustion is released; a `budget_raised` WebSocket event follows."_s;
    raise.requestSchema = u"ThreadBudgetUpdate"_s;
    raise.responseSchema = u"ThreadBudgetInfo"_s;
    raise.errorStatuses = {401, 403, 404, 422};
    raise.extension = true;
    raise.handler = [organism](const ApiRequest &request) {
        const wire::BudgetUpdateParse parse = wire::parseBudgetUpdate(request.body);
        if (!parse.ok())
            return ApiResponse::validation(parse.errors);
        const std::optional<ThreadBudget> budget = organism->setThreadBudget(request.arg(0), parse.maxTokens);
        if (!budget)
            return ApiResponse::detail(404, u"Thread not found: %1"_s.arg(request.arg(0)));
        return ApiResponse::json(wire::threadBudgetJson(*budget));
    };
    table.add(raise);
}

void addHistoryRoutes(RouteTable &table, Organism *organism)
{
    Route history = usageRoute(HttpMethod::Get, u"/api/v1/usage/history"_s, u"getUsageHistory"_s,
                               u"Metered LLM calls, newest first"_s);
    history.description = u"`total` counts every event that matches all the filters, before paging."_s;
    history.query = eventFilterParams();
    history.query.append({u"limit"_s, QueryParam::Type::Integer, 1, 1000, qint64(100), u"Page size"_s, false});
    history.query.append(offsetParam());
    history.responseSchema = u"UsageHistory"_s;
    history.errorStatuses = {422, 500};
    history.cacheable = true;
    history.handler = [organism](const ApiRequest &request) {
        if (auto error = checkOutcome(request))
            return ApiResponse::validation({*error});
        const HistoryView *store = usageStore(organism);
        if (!store)
            return storeUnavailable();
        UsageQuery query = eventQuery(request);
        query.limit = int(request.integer(u"limit"_s));
        query.offset = request.integer(u"offset"_s);
        Page<UsageEvent> page = store->usageEvents(query);
        page.offset = query.offset;
        page.limit = query.limit;
        return ApiResponse::json(wire::usageHistoryJson(page));
    };
    table.add(history);

    // Not cacheable: without end_time the period ends now.
    Route billing = usageRoute(HttpMethod::Get, u"/api/v1/usage/billing"_s, u"getUsageBilling"_s,
                               u"Totals over a period, by model and by agent"_s);
    billing.description = u"The inner objects of `byModel` and `byAgent` use snake_case keys, as in the original. "
                          u"`scope=all` (an agentdesk extension) sums every organism and instance that shares the "
                          u"history (a PostgreSQL history; a SQLite one holds this organism only) and adds "
                          u"`byOrganism`, keyed by `organism/instance`: the team's invoice."_s;
    billing.query = periodParams();
    billing.query.append(textParam(u"scope"_s,
                                   u"organism (the default): this organism's usage; all: every organism and instance "
                                   u"in the shared history, with byOrganism"_s,
                                   true));
    billing.responseSchema = u"BillingSummary"_s;
    billing.errorStatuses = {422, 500};
    billing.handler = [organism](const ApiRequest &request) {
        const HistoryView *store = usageStore(organism);
        if (!store)
            return storeUnavailable();
        if (request.has(u"scope"_s)) {
            if (auto invalid = checkChoice(request, u"scope"_s, {u"organism"_s, u"all"_s}))
                return ApiResponse::validation({*invalid});
        }
        const UsageScope scope = request.text(u"scope"_s) == u"all"_s ? UsageScope::All : UsageScope::Organism;
        const QString start = request.text(u"start_time"_s);
        const QString end = request.has(u"end_time"_s) ? request.text(u"end_time"_s) : wire::usageTimeNow();
        const std::optional<QString> org = request.has(u"org_id"_s) ? std::optional<QString>(request.text(u"org_id"_s))
                                                                    : std::nullopt;
        const BillingSummary summary = store->billing(wire::usageTimeFilter(start), wire::usageTimeFilter(end),
                                                      org.value_or(QString()), scope);
        return ApiResponse::json(wire::billingJson(summary, org, start, end, scope));
    };
    table.add(billing);

    Route daily = usageRoute(HttpMethod::Get, u"/api/v1/usage/daily"_s, u"getUsageDaily"_s,
                             u"Usage per UTC day, oldest first"_s);
    daily.query = periodParams();
    daily.responseSchema = u"DailyUsage"_s;
    daily.errorStatuses = {500};
    daily.cacheable = true;
    daily.handler = [organism](const ApiRequest &request) {
        const HistoryView *store = usageStore(organism);
        if (!store)
            return storeUnavailable();
        const UsageQuery query = eventQuery(request);
        return ApiResponse::json(wire::dailyUsageJson(store->daily(query.startTime, query.endTime, query.orgId)));
    };
    table.add(daily);
}

void addTimeseriesRoute(RouteTable &table, Organism *organism)
{
    Route series = usageRoute(HttpMethod::Get, u"/api/v1/usage/timeseries"_s, u"getUsageTimeseries"_s,
                              u"Usage per time bucket and per model or agent, oldest bucket first"_s);
    series.description = u"Points are grouped by `key` (the model, or the agent: \"\" for calls without one). "
                         u"`since`/`until` bound the events, inclusive."_s;
    series.query = {
        {u"bucket"_s, QueryParam::Type::String, {}, {}, u"hour"_s, u"minute, hour or day"_s, true},
        {u"groupBy"_s, QueryParam::Type::String, {}, {}, u"model"_s, u"model or agent"_s, true},
        {u"since"_s,
         QueryParam::Type::Timestamp,
         {},
         {},
         {},
         u"Events at or after this time (any ISO-8601 form)"_s,
         true},
        {u"until"_s,
         QueryParam::Type::Timestamp,
         {},
         {},
         {},
         u"Events at or before this time (any ISO-8601 form)"_s,
         true},
        textParam(u"agent"_s, u"Events of this agent only"_s, true),
        textParam(u"model"_s, u"Events of this model only (the name the provider returned)"_s, true),
        outcomeParam(),
    };
    series.responseSchema = u"UsageTimeseries"_s;
    series.errorStatuses = {422, 500};
    series.cacheable = true;
    series.extension = true;
    series.handler = [organism](const ApiRequest &request) {
        QList<wire::ValidationError> errors;
        if (auto error = checkChoice(request, u"bucket"_s, wire::usageBucketNames()))
            errors.append(*error);
        if (auto error = checkChoice(request, u"groupBy"_s, wire::usageGroupByNames()))
            errors.append(*error);
        if (auto error = checkOutcome(request))
            errors.append(*error);
        if (!errors.isEmpty())
            return ApiResponse::validation(errors);
        const HistoryView *store = usageStore(organism);
        if (!store)
            return storeUnavailable();
        const UsageBucketSize bucket = *wire::parseUsageBucket(request.text(u"bucket"_s));
        const UsageGroupBy groupBy = *wire::parseUsageGroupBy(request.text(u"groupBy"_s));
        const QDateTime since = request.has(u"since"_s) ? request.time(u"since"_s) : QDateTime();
        const QDateTime until = request.has(u"until"_s) ? request.time(u"until"_s) : QDateTime();
        const UsageSeriesFilter filter{request.text(u"agent"_s), request.text(u"model"_s), outcomeFilter(request)};
        const QList<UsageBucket> points = store->usageTimeseries(bucket, groupBy, since, until, filter);
        return ApiResponse::json(wire::usageTimeseriesJson(bucket, groupBy, since, until, points));
    };
    table.add(series);
}

void addExportRoute(RouteTable &table, Organism *organism)
{
    Route exporter = usageRoute(HttpMethod::Get, u"/api/v1/usage/export"_s, u"exportUsage"_s,
                                u"Every metered call matching the filters, as a CSV or JSON download"_s);
    exporter.description = u"All columns of each event (UsageExportRecord), newest first, no paging. `format=csv` "
                           u"(default): a header row and RFC 4180 quoting, `text/csv; charset=utf-8`; `format=json`: "
                           u"a JSON array of UsageExportRecord. Both come as an attachment (Content-Disposition)."_s;
    exporter.query = {{u"format"_s, QueryParam::Type::String, {}, {}, u"csv"_s, u"csv or json"_s, true}};
    exporter.query.append(eventFilterParams());
    exporter.responseContentType = "text/csv";
    exporter.errorStatuses = {422, 500};
    exporter.extension = true;
    exporter.handler = [organism](const ApiRequest &request) {
        if (auto error = checkChoice(request, u"format"_s, {u"csv"_s, u"json"_s}))
            return ApiResponse::validation({*error});
        if (auto error = checkOutcome(request))
            return ApiResponse::validation({*error});
        const HistoryView *store = usageStore(organism);
        if (!store)
            return storeUnavailable();
        UsageQuery query = eventQuery(request);
        query.limit = -1;
        const QList<UsageEvent> events = store->usageEvents(query).items;
        if (request.text(u"format"_s) == u"json") {
            return ApiResponse::text(wire::writeJson(wire::usageExportJson(events)), "application/json")
                .withHeader("Content-Disposition", "attachment; filename=\"usage-events.json\"");
        }
        return ApiResponse::text(wire::usageExportCsv(events), "text/csv; charset=utf-8")
            .withHeader("Content-Disposition", "attachment; filename=\"usage-events.csv\"");
    };
    table.add(exporter);
}

// --- OpenAPI component schemas of the usage shapes ------------------------------------------------

using namespace openapi;

// An object schema agentdesk adds to the original's API (marked x-agentdesk-extension as a whole).
QCborMap extensionObject(std::initializer_list<Property> properties)
{
    QCborMap schema = object(properties);
    schema[u"x-agentdesk-extension"_s] = true;
    return schema;
}

Property counter(const QString &name)
{
    return {name, integer()};
}
Property cost()
{
    return {u"totalCost"_s, described(number(), u"USD, rounded to 4 places"_s)};
}

// Adds agentdesk's properties (required, as every key is always written) to an object schema.
QCborMap extended(QCborMap schema, const QList<Property> &extra)
{
    QCborMap props = schema.value(u"properties"_s).toMap();
    QCborArray required = schema.value(u"required"_s).toArray();
    for (const auto &[name, property] : extra) {
        QCborMap marked = property;
        marked[u"x-agentdesk-extension"_s] = true;
        props[name] = marked;
        required.append(name);
    }
    schema[u"properties"_s] = props;
    schema[u"required"_s] = required;
    return schema;
}

QList<Property> unpriced(const QString &requests = u"unpricedRequests"_s, const QString &tokens = u"unpricedTokens"_s)
{
    return {{requests, described(integer(), u"Events whose model has no known price: the cost leaves them out"_s)},
            {tokens, described(integer(), u"The tokens of those events"_s)}};
}

// The gauge's additions to every counter set (totals, per agent, per model).
QList<Property> gaugeExtensions()
{
    QList<Property> extra = unpriced();
    extra += {
        {u"cachedPromptTokens"_s, described(integer(), u"Of promptTokens: read from the provider's cache"_s)},
        {u"cacheWriteTokens"_s, described(integer(), u"Of promptTokens: written to the cache (cache_write price)"_s)},
        {u"reasoningTokens"_s, described(integer(), u"Of completionTokens: the model's reasoning"_s)},
        {u"unusableRequests"_s, integer()},
        {u"errorRequests"_s, integer()},
        {u"abortedRequests"_s, integer()},
        {u"avgTtftMs"_s, described(nullable(number()), u"Average time to first token of streamed calls"_s)},
        {u"avgTokensPerSecond"_s, nullable(number())}};
    return extra;
}

QList<Property> eventExtensions()
{
    return {{u"outcome"_s, enumOf({u"ok"_s, u"unusable"_s, u"error"_s, u"aborted"_s})},
            {u"cachedPromptTokens"_s, integer()},
            {u"cacheWriteTokens"_s, integer()},
            {u"reasoningTokens"_s, integer()},
            {u"estimatedTokens"_s, described(boolean(), u"counted from the text"_s)},
            {u"ttftMs"_s, described(nullable(number()), u"Time to first token (streamed calls)"_s)},
            {u"tokensPerSecond"_s, nullable(number())}};
}

} // namespace

void addUsageRoutes(RouteTable &table, Organism *organism)
{
    addGaugeRoutes(table, organism);
    addBudgetRoutes(table, organism);
    addHistoryRoutes(table, organism);
    addTimeseriesRoute(table, organism);
    addExportRoute(table, organism);
    addScopeBudgetRoutes(table, organism);
}

QCborMap usageSchemas()
{
    QCborMap s;
    s[u"UsageTotals"_s] = extended(object({counter(u"totalTokens"_s),
                                           counter(u"promptTokens"_s),
                                           counter(u"completionTokens"_s),
                                           counter(u"requestCount"_s),
                                           cost(),
                                           {u"avgLatencyMs"_s, number()}}),
                                   gaugeExtensions());
    s[u"AgentUsageInfo"_s] = extended(object({{u"agentId"_s, str()},
                                              counter(u"totalTokens"_s),
                                              counter(u"promptTokens"_s),
                                              counter(u"completionTokens"_s),
                                              counter(u"requestCount"_s),
                                              cost()}),
                                      gaugeExtensions());
    s[u"ModelUsageInfo"_s] = extended(object({{u"model"_s, str()},
                                              counter(u"totalTokens"_s),
                                              counter(u"promptTokens"_s),
                                              counter(u"completionTokens"_s),
                                              counter(u"requestCount"_s),
                                              cost()}),
                                      gaugeExtensions());
    s[u"UsageOverview"_s] = object({{u"totals"_s, ref(u"UsageTotals"_s)},
                                    {u"byAgent"_s, arrayOf(ref(u"AgentUsageInfo"_s))},
                                    {u"byModel"_s, arrayOf(ref(u"ModelUsageInfo"_s))},
                                    {u"activeThreads"_s, described(integer(), u"Threads holding a budget"_s)}});
    s[u"UsageResponse"_s] = object({{u"usage"_s, ref(u"UsageOverview"_s)}});
    s[u"UsageResetResult"_s] = object({{u"success"_s, boolean()}, {u"message"_s, str()}});

    s[u"ThreadBudgetInfo"_s] = object({{u"threadId"_s, str()},
                                       counter(u"maxTokens"_s),
                                       counter(u"promptTokens"_s),
                                       counter(u"completionTokens"_s),
                                       counter(u"totalTokens"_s),
                                       counter(u"remaining"_s),
                                       {u"percentUsed"_s, described(number(), u"Rounded to 1 place"_s)},
                                       {u"isExhausted"_s, boolean()}});
    s[u"ThreadBudgetList"_s] = object(
        {{u"threads"_s, arrayOf(ref(u"ThreadBudgetInfo"_s))}, counter(u"count"_s), counter(u"defaultMaxTokens"_s)});
    QCborMap update = extensionObject({{u"maxTokens"_s,
                                        QCborMap{{u"type"_s, u"integer"_s},
                                                 {u"minimum"_s, 1},
                                                 {u"maximum"_s, wire::kMaxBudgetTokens},
                                                 {u"description"_s, u"Also accepted as max_tokens"_s}}}});
    s[u"ThreadBudgetUpdate"_s] = update;

    s[u"UsageEventInfo"_s] = object(
        {{u"id"_s, integer()},
         {u"timestamp"_s, described(str(), u"As stored: isoformat() with +00:00"_s)},
         {u"threadId"_s, str()},
         {u"agentId"_s, nullable(str())},
         {u"model"_s, str()},
         {u"provider"_s, str()},
         counter(u"promptTokens"_s),
         counter(u"completionTokens"_s),
         counter(u"totalTokens"_s),
         {u"latencyMs"_s, number()},
         {u"estimatedCost"_s, described(nullable(number()), u"USD; null: no known price"_s)},
         {u"metadata"_s, type(u"object"_s)}});
    s[u"UsageEventInfo"_s] = extended(s.value(u"UsageEventInfo"_s).toMap(), eventExtensions());
    s[u"UsageHistory"_s] = object({{u"events"_s, arrayOf(ref(u"UsageEventInfo"_s))},
                                   counter(u"count"_s),
                                   counter(u"total"_s),
                                   counter(u"offset"_s),
                                   counter(u"limit"_s)});
    s[u"BillingGroup"_s] = extended(object({counter(u"total_tokens"_s),
                                            counter(u"prompt_tokens"_s),
                                            counter(u"completion_tokens"_s),
                                            counter(u"request_count"_s),
                                            {u"total_cost"_s, number()}}),
                                    unpriced(u"unpriced_requests"_s, u"unpriced_tokens"_s));
    s[u"BillingSummary"_s] = object({{u"orgId"_s, nullable(str())},
                                     {u"startTime"_s, str()},
                                     {u"endTime"_s, str()},
                                     counter(u"totalTokens"_s),
                                     counter(u"promptTokens"_s),
                                     counter(u"completionTokens"_s),
                                     counter(u"requestCount"_s),
                                     cost(),
                                     {u"byModel"_s, mapOf(ref(u"BillingGroup"_s))},
                                     {u"byAgent"_s, mapOf(ref(u"BillingGroup"_s))}});
    s[u"BillingSummary"_s] = extended(s.value(u"BillingSummary"_s).toMap(), unpriced());
    {
        // scope=all only: not required.
        QCborMap summary = s.value(u"BillingSummary"_s).toMap();
        QCborMap props = summary.value(u"properties"_s).toMap();
        props[u"byOrganism"_s] = described(mapOf(ref(u"BillingGroup"_s)),
                                           u"scope=all only: keyed by organism/instance (agentdesk extension)"_s);
        summary[u"properties"_s] = props;
        s[u"BillingSummary"_s] = summary;
    }
    s[u"DailyUsagePoint"_s] = extended(object({{u"date"_s, described(str(), u"YYYY-MM-DD (UTC)"_s)},
                                               counter(u"totalTokens"_s),
                                               counter(u"requestCount"_s),
                                               cost()}),
                                       unpriced());
    s[u"DailyUsage"_s] = object({{u"days"_s, arrayOf(ref(u"DailyUsagePoint"_s))}, counter(u"count"_s)});

    const QCborMap timestamp{{u"type"_s, u"string"_s}, {u"format"_s, u"date-time"_s}};
    s[u"UsageTimeseriesPoint"_s] = extensionObject(
        {{u"start"_s, timestamp},
         {u"key"_s, str()},
         counter(u"promptTokens"_s),
         counter(u"completionTokens"_s),
         counter(u"cachedPromptTokens"_s),
         counter(u"cacheWriteTokens"_s),
         counter(u"reasoningTokens"_s),
         counter(u"totalTokens"_s),
         counter(u"requestCount"_s),
         {u"totalCost"_s, described(number(), u"USD, rounded to 6 places"_s)},
         counter(u"unpricedRequests"_s),
         counter(u"unpricedTokens"_s)});
    s[u"UsageTimeseries"_s] = extensionObject({{u"bucket"_s, enumOf(wire::usageBucketNames())},
                                               {u"groupBy"_s, enumOf(wire::usageGroupByNames())},
                                               {u"since"_s, nullable(timestamp)},
                                               {u"until"_s, nullable(timestamp)},
                                               {u"points"_s, arrayOf(ref(u"UsageTimeseriesPoint"_s))}});
    s[u"UsageExportRecord"_s] = extensionObject(
        {{u"id"_s, integer()},
         {u"timestamp"_s, str()},
         {u"threadId"_s, str()},
         {u"agentId"_s, nullable(str())},
         {u"model"_s, str()},
         {u"provider"_s, str()},
         {u"outcome"_s, enumOf({u"ok"_s, u"unusable"_s, u"error"_s, u"aborted"_s})},
         counter(u"promptTokens"_s),
         counter(u"completionTokens"_s),
         counter(u"cachedPromptTokens"_s),
         counter(u"cacheWriteTokens"_s),
         counter(u"reasoningTokens"_s),
         counter(u"totalTokens"_s),
         {u"estimatedTokens"_s, described(boolean(), u"counted from the text"_s)},
         {u"estimatedCost"_s, nullable(number())},
         {u"latencyMs"_s, number()},
         {u"ttftMs"_s, nullable(number())},
         {u"tokensPerSecond"_s, nullable(number())},
         {u"orgId"_s, nullable(str())},
         {u"userId"_s, nullable(str())},
         {u"metadata"_s, type(u"object"_s)}});
    s[u"BudgetEvent"_s] = extensionObject(
        {{u"event"_s, enumOf({u"budget_warning"_s, u"budget_exhausted"_s, u"budget_raised"_s})},
         {u"threadId"_s, described(nullable(str()), u"null for an agent or organism budget's raise"_s)},
         {u"agent"_s, nullable(str())},
         {u"severity"_s, enumOf({u"warning"_s, u"critical"_s, u"final"_s}, true)},
         {u"percentUsed"_s, number()},
         counter(u"tokensUsed"_s),
         {u"tokensRemaining"_s, described(nullable(integer()), u"null for a cost budget"_s)},
         {u"maxTokens"_s, described(nullable(integer()), u"null for a cost budget"_s)},
         {u"message"_s, str()},
         {u"timestamp"_s, timestamp}});
    s[u"BudgetEvent"_s] = extended(s.value(u"BudgetEvent"_s).toMap(),
                                   {{u"scope"_s, described(str(), u"thread, agent:NAME or organism"_s)},
                                    {u"period"_s, nullable(str())},
                                    {u"maxCost"_s, nullable(number())},
                                    {u"costUsed"_s, nullable(number())}});
    const QCborMap scopes = scopeBudgetSchemas();
    for (auto it = scopes.cbegin(); it != scopes.cend(); ++it)
        s[it.key()] = it.value();
    return s;
}

} // namespace agentdesk
