#include "agentparser.h"

#include "jsonparser.h"

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

std::optional<AgentInfo> parseAgentInfo(const QJsonObject &json)
{
    if (!json.value(u"name"_s).isString())
        return std::nullopt;
    AgentInfo agent;
    agent.name = jsonText(json, u"name"_s);
    agent.description = jsonText(json, u"description"_s);
    agent.isAgent = jsonBool(json, u"isAgent"_s);
    agent.peers = jsonStringList(json, u"peers"_s);
    agent.payloadClass = jsonText(json, u"payloadClass"_s);
    if (!parseAgentState(jsonText(json, u"state"_s), &agent.state))
        agent.state = AgentState::Idle;
    agent.currentThread = jsonText(json, u"currentThread"_s);
    agent.queueDepth = int(jsonInteger(json, u"queueDepth"_s));
    agent.inFlight = int(jsonInteger(json, u"inFlight"_s));
    agent.lastActivity = jsonTimestamp(json, u"lastActivity"_s);
    agent.messageCount = jsonInteger(json, u"messageCount"_s);
    agent.lastError = jsonText(json, u"lastError"_s);
    agent.handler = jsonText(json, u"handler"_s);
    return agent;
}

std::optional<QList<AgentInfo>> parseAgentList(const QJsonObject &json)
{
    if (!json.value(u"agents"_s).isArray())
        return std::nullopt;
    QList<AgentInfo> agents;
    for (const QJsonValue &item : json.value(u"agents"_s).toArray()) {
        if (auto agent = parseAgentInfo(item.toObject()))
            agents.append(*agent);
    }
    return agents;
}

} // namespace agentdesk::wire
