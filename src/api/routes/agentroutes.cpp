#include "routes.h"

#include "agentjson.h"
#include "organism.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

ApiResponse agentNotFound(const QString &name)
{
    return ApiResponse::detail(404, u"Agent not found: %1"_s.arg(name));
}

Route agentRoute(HttpMethod method, const QString &path, const QString &operationId, const QString &summary)
{
    Route route = describedRoute(u"agents"_s, method, path, operationId, summary);
    route.errorStatuses.append(404); // an unknown agent
    return route;
}

} // namespace

void addAgentRoutes(RouteTable &table, Organism *organism)
{
    Route list = agentRoute(HttpMethod::Get, u"/api/v1/agents"_s, u"listAgents"_s,
                            u"Every listener in registration order"_s);
    list.errorStatuses.clear();
    list.responseSchema = u"AgentList"_s;
    list.cacheable = true;
    list.handler = [organism](const ApiRequest &) {
        return ApiResponse::json(wire::agentListJson(organism->agents()));
    };
    table.add(list);

    Route detail = agentRoute(HttpMethod::Get, u"/api/v1/agents/{name}"_s, u"getAgent"_s, u"One listener"_s);
    detail.responseSchema = u"AgentInfo"_s;
    detail.cacheable = true;
    detail.handler = [organism](const ApiRequest &request) {
        const auto agent = organism->agent(request.arg(0));
        return agent ? ApiResponse::json(wire::agentInfoJson(*agent)) : agentNotFound(request.arg(0));
    };
    table.add(detail);

    Route config = agentRoute(HttpMethod::Get, u"/api/v1/agents/{name}/config"_s, u"getAgentConfig"_s,
                              u"A listener's declared configuration"_s);
    config.responseSchema = u"AgentConfig"_s;
    config.cacheable = true;
    config.handler = [organism](const ApiRequest &request) {
        const auto agent = organism->agent(request.arg(0));
        return agent ? ApiResponse::json(wire::agentConfigJson(*agent)) : agentNotFound(request.arg(0));
    };
    table.add(config);

    Route schema = agentRoute(HttpMethod::Get, u"/api/v1/agents/{name}/schema"_s, u"getAgentSchema"_s,
                              u"The XSD of the payload a listener accepts"_s);
    schema.responseSchema = u"AgentSchema"_s;
    schema.cacheable = true;
    schema.handler = [organism](const ApiRequest &request) {
        const auto capability = organism->capability(request.arg(0));
        if (!capability || capability->schemaXsd.isEmpty())
            return ApiResponse::detail(404, u"Schema not found for agent: %1"_s.arg(request.arg(0)));
        return ApiResponse::json(wire::agentSchemaJson(capability->schemaXsd));
    };
    table.add(schema);

    Route pause = agentRoute(HttpMethod::Post, u"/api/v1/agents/{name}/pause"_s, u"pauseAgent"_s,
                             u"Hold the agent's queue until resume"_s);
    pause.responseSchema = u"AgentCommandResult"_s;
    pause.handler = [organism](const ApiRequest &request) {
        if (!organism->pauseAgent(request.arg(0)))
            return agentNotFound(request.arg(0));
        return ApiResponse::json(wire::agentCommandJson(request.arg(0), AgentState::Paused));
    };
    table.add(pause);

    Route resume = agentRoute(HttpMethod::Post, u"/api/v1/agents/{name}/resume"_s, u"resumeAgent"_s,
                              u"Release a paused agent's queue"_s);
    resume.responseSchema = u"AgentCommandResult"_s;
    resume.handler = [organism](const ApiRequest &request) {
        if (!organism->resumeAgent(request.arg(0)))
            return agentNotFound(request.arg(0));
        return ApiResponse::json(wire::agentCommandJson(request.arg(0), AgentState::Idle));
    };
    table.add(resume);
}

} // namespace agentdesk
