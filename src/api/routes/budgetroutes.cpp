#include "routes.h"

#include "budgetjson.h"
#include "organism.h"

#include <QCborArray>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

Route budgetRoute(HttpMethod method, const QString &path, const QString &operationId, const QString &summary)
{
    Route route = describedRoute(u"usage"_s, method, path, operationId, summary);
    route.extension = true;
    return route;
}

ApiResponse unknownScope(const QString &scope)
{
    return ApiResponse::detail(404, u"No budget for scope: %1"_s.arg(scope));
}

QCborMap type(const QString &name)
{
    return QCborMap{{u"type"_s, name}};
}

QCborMap nullable(const QString &name)
{
    return QCborMap{{u"type"_s, QCborArray{name, u"null"_s}}};
}

QCborMap object(std::initializer_list<std::pair<QString, QCborMap>> properties)
{
    QCborMap props;
    QCborArray required;
    for (const auto &[name, schema] : properties) {
        props[name] = schema;
        required.append(name);
    }
    return QCborMap{{u"type"_s, u"object"_s},
                    {u"properties"_s, props},
                    {u"required"_s, required},
                    {u"x-agentdesk-extension"_s, true}};
}

QCborMap enumOf(const QStringList &values)
{
    return QCborMap{{u"type"_s, u"string"_s}, {u"enum"_s, QCborArray::fromStringList(values)}};
}

} // namespace

// GET /usage/budgets[/{scope}] and PUT /usage/budgets/{scope}: the agent and organism budgets.
// Not cached: their reservations move with every call in flight.
void addScopeBudgetRoutes(RouteTable &table, Organism *organism)
{
    Route list = budgetRoute(HttpMethod::Get, u"/api/v1/usage/budgets"_s, u"listScopeBudgets"_s,
                             u"The agent and organism budgets (budgets: in organism.yaml), the organism's first"_s);
    list.responseSchema = u"ScopeBudgetList"_s;
    list.handler = [organism](const ApiRequest &) {
        return ApiResponse::json(wire::scopeBudgetListJson(organism->scopeBudgets()));
    };
    table.add(list);

    Route detail = budgetRoute(HttpMethod::Get, u"/api/v1/usage/budgets/{scope}"_s, u"getScopeBudget"_s,
                               u"One agent or organism budget: scope `organism` or `agent:NAME`"_s);
    detail.responseSchema = u"ScopeBudgetInfo"_s;
    detail.errorStatuses = {404};
    detail.handler = [organism](const ApiRequest &request) {
        const std::optional<ScopeBudget> budget = organism->scopeBudget(request.arg(0));
        return budget ? ApiResponse::json(wire::scopeBudgetJson(*budget)) : unknownScope(request.arg(0));
    };
    table.add(detail);

    Route set = budgetRoute(HttpMethod::Put, u"/api/v1/usage/budgets/{scope}"_s, u"setScopeBudget"_s,
                            u"Raise, lower, re-period or reset an agent or organism budget"_s);
    set.description = u"Body: `maxTokens` (or `max_tokens`, integer ≥ 1) or `maxCost` (or `max_cost`, USD > 0), "
                      u"optionally `period` (`day`, `month`, `total`) and `reset: true` (the usage counts again from "
                      u"now). A known agent without a budget gets one when a limit is given. Threads held on the "
                      u"budget go on when it has room; a `budget_raised` WebSocket event with its scope follows."_s;
    set.requestSchema = u"ScopeBudgetUpdate"_s;
    set.responseSchema = u"ScopeBudgetInfo"_s;
    set.errorStatuses = {401, 403, 404, 422};
    set.handler = [organism](const ApiRequest &request) {
        const wire::ScopeBudgetUpdateParse parse = wire::parseScopeBudgetUpdate(request.body);
        if (!parse.ok())
            return ApiResponse::validation(parse.errors);
        const Result<ScopeBudget> budget = organism->setScopeBudget(request.arg(0), parse.change);
        return budget ? ApiResponse::json(wire::scopeBudgetJson(*budget))
                      : ApiResponse::detail(404, budget.error().message);
    };
    table.add(set);
}

QCborMap scopeBudgetSchemas()
{
    QCborMap s;
    const QCborMap timestamp{{u"type"_s, QCborArray{u"string"_s, u"null"_s}}, {u"format"_s, u"date-time"_s}};
    s[u"ScopeBudgetInfo"_s] = object({{u"scope"_s, type(u"string"_s)},
                                      {u"agent"_s, nullable(u"string"_s)},
                                      {u"period"_s, enumOf({u"day"_s, u"month"_s, u"total"_s})},
                                      {u"unit"_s, enumOf({u"tokens"_s, u"cost"_s})},
                                      {u"maxTokens"_s, nullable(u"integer"_s)},
                                      {u"maxCost"_s, nullable(u"number"_s)},
                                      {u"usedTokens"_s, type(u"integer"_s)},
                                      {u"usedCost"_s, type(u"number"_s)},
                                      {u"remaining"_s, type(u"number"_s)},
                                      {u"percentUsed"_s, type(u"number"_s)},
                                      {u"isExhausted"_s, type(u"boolean"_s)},
                                      {u"reserved"_s, type(u"number"_s)},
                                      {u"heldThreads"_s, type(u"integer"_s)},
                                      {u"unpricedRequests"_s, type(u"integer"_s)},
                                      {u"periodStart"_s, timestamp},
                                      {u"periodEnd"_s, timestamp}});
    s[u"ScopeBudgetList"_s] = object(
        {{u"budgets"_s,
          QCborMap{{u"type"_s, u"array"_s},
                   {u"items"_s, QCborMap{{u"$ref"_s, u"#/components/schemas/ScopeBudgetInfo"_s}}}}},
         {u"count"_s, type(u"integer"_s)}});
    QCborMap update{{u"type"_s, u"object"_s},
                    {u"properties"_s,
                     QCborMap{{u"maxTokens"_s, QCborMap{{u"type"_s, u"integer"_s}, {u"minimum"_s, 1}}},
                              {u"maxCost"_s, QCborMap{{u"type"_s, u"number"_s}, {u"exclusiveMinimum"_s, 0}}},
                              {u"period"_s, enumOf({u"day"_s, u"month"_s, u"total"_s})},
                              {u"reset"_s, type(u"boolean"_s)}}},
                    {u"x-agentdesk-extension"_s, true}};
    s[u"ScopeBudgetUpdate"_s] = update;
    return s;
}

} // namespace agentdesk
