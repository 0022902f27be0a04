#include "eventparser.h"

#include "agentparser.h"
#include "jsonparser.h"
#include "messageparser.h"
#include "organismparser.h"
#include "threadparser.h"
#include "wirelogging.h"

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

WsEventType wsEventType(const QJsonObject &frame)
{
    const QString name = jsonText(frame, u"event"_s);
    if (name == u"message")
        return WsEventType::Message;
    if (name == u"agent_state")
        return WsEventType::AgentState;
    if (name == u"thread_created")
        return WsEventType::ThreadCreated;
    if (name == u"thread_updated")
        return WsEventType::ThreadUpdated;
    if (name == u"error") {
        // Command errors carry only the text; the rich event always has these keys (null or not).
        const bool rich = frame.contains(u"timestamp"_s) || frame.contains(u"threadId"_s) || frame.contains(u"agent"_s);
        return rich ? WsEventType::Error : WsEventType::CommandError;
    }
    if (name == u"connected")
        return WsEventType::Connected;
    if (name == u"reload")
        return WsEventType::Reload;
    if (name.startsWith(u"budget_"_s))
        return WsEventType::Budget;
    if (name == u"pong")
        return WsEventType::Pong;
    if (name == u"llm_delta")
        return WsEventType::LlmDelta;
    if (name == u"subscribed")
        return WsEventType::Subscribed;
    if (name == u"injected")
        return WsEventType::Injected;
    if (name == u"organism")
        return WsEventType::Organism;
    // A newer server's event: the client goes on without it.
    qCDebug(lcWire) << "WebSocket event not understood, ignored:" << name;
    return WsEventType::Unknown;
}

std::optional<ConnectedSnapshot> parseConnectedEvent(const QJsonObject &frame)
{
    const std::optional<OrganismInfo> organism = parseOrganismInfo(jsonObject(frame, u"organism"_s));
    const std::optional<QList<AgentInfo>> agents = parseAgentList(frame);
    if (!organism || !agents)
        return std::nullopt;
    ConnectedSnapshot snapshot;
    snapshot.organism = *organism;
    snapshot.agents = *agents;
    for (const QJsonValue &item : jsonArray(frame, u"threads"_s)) {
        if (auto thread = parseThreadInfo(item.toObject()))
            snapshot.threads.append(*thread);
    }
    return snapshot;
}

std::optional<MessageRecord> parseMessageEvent(const QJsonObject &frame, const PayloadLayout *layout)
{
    return parseMessageInfo(jsonObject(frame, u"message"_s), layout);
}

std::optional<AgentStateChange> parseAgentStateEvent(const QJsonObject &frame)
{
    if (!frame.value(u"agent"_s).isString())
        return std::nullopt;
    AgentStateChange change;
    change.agent = jsonText(frame, u"agent"_s);
    if (!parseAgentState(jsonText(frame, u"state"_s), &change.state))
        change.state = AgentState::Idle;
    change.currentThread = jsonText(frame, u"currentThread"_s);
    return change;
}

std::optional<ThreadInfo> parseThreadCreatedEvent(const QJsonObject &frame)
{
    return parseThreadInfo(jsonObject(frame, u"thread"_s));
}

std::optional<OrganismInfo> parseOrganismEvent(const QJsonObject &frame)
{
    return parseOrganismInfo(jsonObject(frame, u"organism"_s));
}

std::optional<ThreadStatusChange> parseThreadUpdatedEvent(const QJsonObject &frame)
{
    const QString id = jsonText(frame, u"threadId"_s).isEmpty() ? jsonText(frame, u"thread_id"_s)
                                                                : jsonText(frame, u"threadId"_s);
    if (id.isEmpty())
        return std::nullopt;
    ThreadStatusChange change;
    change.threadId = id;
    if (!parseThreadStatus(jsonText(frame, u"status"_s), &change.status))
        change.status = ThreadStatus::Completed;
    change.messageCount = jsonInteger(frame, u"messageCount"_s);
    return change;
}

ErrorEvent parseErrorEvent(const QJsonObject &frame)
{
    ErrorEvent error;
    error.threadId = jsonText(frame, u"threadId"_s);
    error.agent = jsonText(frame, u"agent"_s);
    error.error = jsonText(frame, u"error"_s);
    error.timestamp = jsonTimestamp(frame, u"timestamp"_s);
    return error;
}

ReloadResult parseReloadEvent(const QJsonObject &frame)
{
    return parseReloadResult(frame);
}

} // namespace agentdesk::wire
