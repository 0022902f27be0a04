#include "eventjson.h"

#include "agentjson.h"
#include "organismjson.h"
#include "threadjson.h"
#include "timestamps.h"

#include <QCborArray>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {
QCborValue optionalText(const QString &text)
{
    return text.isEmpty() ? QCborValue(nullptr) : QCborValue(text);
}
} // namespace

QCborMap connectedEvent(const OrganismInfo &info, const QList<AgentInfo> &agents, const QList<ThreadInfo> &threads)
{
    QCborArray agentList;
    for (const AgentInfo &agent : agents)
        agentList.append(agentInfoJson(agent));
    QCborArray threadList;
    for (const ThreadInfo &thread : threads)
        threadList.append(threadInfoJson(thread));
    QCborMap json;
    json[u"event"_s] = u"connected"_s;
    json[u"organism"_s] = organismInfoJson(info);
    json[u"agents"_s] = agentList;
    json[u"threads"_s] = threadList;
    return json;
}

QByteArray messageEventFrame(const QByteArray &messageJson)
{
    static const QByteArray head = QByteArrayLiteral(R"({"event":"message","message":)");
    QByteArray frame;
    frame.reserve(head.size() + messageJson.size() + 1);
    frame.append(head).append(messageJson).append('}');
    return frame;
}

QCborMap agentStateEvent(const AgentInfo &agent)
{
    QCborMap json;
    json[u"event"_s] = u"agent_state"_s;
    json[u"agent"_s] = agent.name;
    json[u"state"_s] = toString(agent.state);
    json[u"currentThread"_s] = optionalText(agent.currentThread);
    return json;
}

QCborMap threadCreatedEvent(const ThreadInfo &thread)
{
    return QCborMap{{u"event"_s, u"thread_created"_s}, {u"thread"_s, threadInfoJson(thread)}};
}

QCborMap threadUpdatedEvent(const ThreadInfo &thread)
{
    QCborMap json;
    json[u"event"_s] = u"thread_updated"_s;
    json[u"threadId"_s] = thread.id;
    json[u"status"_s] = toString(thread.status);
    json[u"messageCount"_s] = thread.messageCount;
    return json;
}

QCborMap errorEvent(const ErrorEvent &error)
{
    QCborMap json;
    json[u"event"_s] = u"error"_s;
    json[u"threadId"_s] = optionalText(error.threadId);
    json[u"agent"_s] = optionalText(error.agent);
    json[u"error"_s] = error.error;
    json[u"timestamp"_s] = timestampValue(error.timestamp);
    return json;
}

QCborMap reloadEvent(const ReloadResult &result)
{
    QCborMap json;
    json[u"event"_s] = u"reload"_s;
    const ConfigChanges changes = result.value_or(ConfigChanges{});
    json[u"success"_s] = result.has_value();
    json[u"added"_s] = QCborArray::fromStringList(changes.added);
    json[u"removed"_s] = QCborArray::fromStringList(changes.removed);
    json[u"updated"_s] = QCborArray::fromStringList(changes.updated);
    json[u"warnings"_s] = QCborArray::fromStringList(warningsOf(result));
    return json;
}

QCborMap organismEvent(const OrganismInfo &info)
{
    QCborMap json;
    json[u"event"_s] = u"organism"_s;
    json[u"organism"_s] = organismInfoJson(info);
    return json;
}

QCborMap commandErrorEvent(const QString &text)
{
    return QCborMap{{u"event"_s, u"error"_s}, {u"error"_s, text}};
}

QCborMap subscribedEvent(const QString &key, const QCborValue &filters)
{
    return QCborMap{{u"event"_s, u"subscribed"_s}, {key, filters}};
}

QCborMap injectedEvent(const QString &threadId, const QString &messageId)
{
    QCborMap json;
    json[u"event"_s] = u"injected"_s;
    json[u"thread_id"_s] = threadId;
    json[u"message_id"_s] = messageId;
    return json;
}

QCborMap pongEvent()
{
    return QCborMap{{u"event"_s, u"pong"_s}};
}

} // namespace agentdesk::wire
