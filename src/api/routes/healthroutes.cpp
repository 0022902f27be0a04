#include "routes.h"

#include "organism.h"
#include "organismjson.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

Route describedRoute(const QString &tag, HttpMethod method, const QString &path, const QString &operationId,
                     const QString &summary)
{
    Route route;
    route.method = method;
    route.path = path;
    route.operationId = operationId;
    route.summary = summary;
    route.tag = tag;
    if (method != HttpMethod::Get) {
        route.access = Access::Write;
        route.errorStatuses = {401, 403};
    }
    return route;
}

QueryParam limitParam()
{
    return {u"limit"_s, QueryParam::Type::Integer, 1, 100, qint64(50), u"Page size"_s, false};
}

QueryParam offsetParam()
{
    return {u"offset"_s, QueryParam::Type::Integer, 0, {}, qint64(0), u"Items to skip"_s, false};
}

void addHealthRoutes(RouteTable &table, Organism *organism)
{
    Route route;
    route.path = u"/health"_s;
    route.access = Access::Open;
    route.operationId = u"health"_s;
    route.summary = u"Liveness check (never authenticated); extension `history`: ok, or degraded and why"_s;
    route.tag = u"health"_s;
    route.responseSchema = u"Health"_s;
    route.handler = [organism](const ApiRequest &) { return ApiResponse::json(wire::healthJson(organism->info())); };
    table.add(route);
}

} // namespace agentdesk
