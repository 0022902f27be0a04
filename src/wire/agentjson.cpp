#include "agentjson.h"

#include "timestamps.h"

#include <QCborArray>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {
QCborValue optionalString(const QString &text)
{
    return text.isEmpty() ? QCborValue(nullptr) : QCborValue(text);
}
} // namespace

QCborMap agentInfoJson(const AgentInfo &agent)
{
    QCborMap json;
    json[u"name"_s] = agent.name;
    json[u"description"_s] = agent.description;
    json[u"isAgent"_s] = agent.isAgent;
    json[u"peers"_s] = QCborArray::fromStringList(agent.peers);
    json[u"payloadClass"_s] = agent.payloadClass;
    json[u"state"_s] = toString(agent.state);
    json[u"currentThread"_s] = optionalString(agent.currentThread);
    json[u"queueDepth"_s] = agent.queueDepth;
    json[u"lastActivity"_s] = timestampValue(agent.lastActivity);
    json[u"messageCount"_s] = agent.messageCount;
    json[u"inFlight"_s] = agent.inFlight;
    json[u"lastError"_s] = optionalString(agent.lastError);
    json[u"handler"_s] = optionalString(agent.handler);
    return json;
}

QCborMap agentListJson(const QList<AgentInfo> &agents)
{
    QCborArray list;
    for (const AgentInfo &agent : agents)
        list.append(agentInfoJson(agent));
    return QCborMap{{u"agents"_s, list}, {u"count"_s, agents.size()}};
}

QCborMap agentConfigJson(const AgentInfo &agent)
{
    QCborMap json;
    json[u"name"_s] = agent.name;
    json[u"description"_s] = agent.description;
    json[u"isAgent"_s] = agent.isAgent;
    json[u"peers"_s] = QCborArray::fromStringList(agent.peers);
    json[u"payloadClass"_s] = agent.payloadClass;
    return json;
}

QCborMap agentSchemaJson(const QString &xsd)
{
    return QCborMap{{u"schema"_s, xsd}, {u"contentType"_s, u"application/xml"_s}};
}

QCborMap agentCommandJson(const QString &name, AgentState state)
{
    QCborMap json;
    json[u"success"_s] = true;
    json[u"agent"_s] = name;
    json[u"state"_s] = toString(state);
    return json;
}

} // namespace agentdesk::wire
