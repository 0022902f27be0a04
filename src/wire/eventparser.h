#pragma once

#include "domain/records.h"

#include <QJsonObject>
#include <QList>

#include <optional>

namespace agentdesk::wire {

class PayloadLayout;

// Frames of the /ws control channel (spec §6.1, decision 6, and the budget events).
enum class WsEventType {
    Connected,
    Message,
    AgentState,
    ThreadCreated,
    ThreadUpdated,
    Error,        // the rich event: {"event":"error","threadId","agent","error","timestamp"}
    CommandError, // a reply to a command: {"event":"error","error":text}
    Reload,
    Budget,   // budget_warning, budget_exhausted, budget_raised
    LlmDelta, // agentdesk's llm_delta (streamed reply text), to clients that subscribed to it
    Pong,
    Subscribed,
    Injected,
    Organism, // agentdesk: the organism's status, saturation or history health moved
    Unknown,
};
WsEventType wsEventType(const QJsonObject &frame);

struct ConnectedSnapshot
{
    OrganismInfo organism;
    QList<AgentInfo> agents;
    QList<ThreadInfo> threads; // the most recently active, as many as the server sends
};
// nullopt when the organism or the agent list is missing.
std::optional<ConnectedSnapshot> parseConnectedEvent(const QJsonObject &frame);

std::optional<MessageRecord> parseMessageEvent(const QJsonObject &frame, const PayloadLayout *layout = nullptr);

struct AgentStateChange
{
    QString agent;
    AgentState state = AgentState::Idle;
    QString currentThread;
};
std::optional<AgentStateChange> parseAgentStateEvent(const QJsonObject &frame); // nullopt without "agent"

std::optional<ThreadInfo> parseThreadCreatedEvent(const QJsonObject &frame);
std::optional<OrganismInfo> parseOrganismEvent(const QJsonObject &frame);

struct ThreadStatusChange
{
    QString threadId;
    ThreadStatus status = ThreadStatus::Active;
    qint64 messageCount = 0;
};
std::optional<ThreadStatusChange> parseThreadUpdatedEvent(const QJsonObject &frame); // nullopt without "threadId"

// The rich error event, or a command error's text (its other fields empty).
ErrorEvent parseErrorEvent(const QJsonObject &frame);
ReloadResult parseReloadEvent(const QJsonObject &frame);

} // namespace agentdesk::wire
