#include "routes.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

void addMetricsRoutes(RouteTable &table, std::function<void(ApiReply reply)> scrape)
{
    Route route;
    route.path = u"/metrics"_s;
    route.access = Access::Read;
    route.operationId = u"metrics"_s;
    route.summary = u"Prometheus metrics of the organism and this server"_s;
    route.description =
        u"The Prometheus text exposition format (version 0.0.4): messages handled by agent and outcome, handler "
        u"durations, queue depth and limits, refused injects, threads, LLM tokens by agent, model and category, cost "
        u"in dollars, calls by backend and outcome, budgets, HTTP requests by route template and status, WebSocket "
        u"clients. Names and labels are listed in docs/api.md. Read fresh at every scrape (never cached)."_s;
    route.tag = u"metrics"_s;
    route.responseContentType = QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8");
    route.extension = true;
    route.deferredHandler = [scrape = std::move(scrape)](const ApiRequest &, ApiReply reply) {
        scrape(std::move(reply));
    };
    table.add(route);
}

} // namespace agentdesk
