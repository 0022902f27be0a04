#pragma once

#include "domain/records.h"

#include <QByteArray>
#include <QCborMap>
#include <QList>

namespace agentdesk::wire {

// WebSocket frames of /ws (spec §6.1) and their agentdesk completions (decision 6, §11 #6).
QCborMap connectedEvent(const OrganismInfo &info, const QList<AgentInfo> &agents, const QList<ThreadInfo> &threads);
// {"event":"message","message":<messageJson>} built around an already serialised MessageInfo,
// so a message pushed to both endpoints is serialised once.
QByteArray messageEventFrame(const QByteArray &messageJson);
QCborMap agentStateEvent(const AgentInfo &agent);
QCborMap threadCreatedEvent(const ThreadInfo &thread);
QCborMap threadUpdatedEvent(const ThreadInfo &thread);
// The rich error event: {"event":"error","threadId","agent","error","timestamp"}.
QCborMap errorEvent(const ErrorEvent &error);
QCborMap reloadEvent(const ReloadResult &result);
// Extension: the organism's status (running, stopping, stopped) or its history's health changed.
QCborMap organismEvent(const OrganismInfo &info);

// Replies to commands.
QCborMap commandErrorEvent(const QString &text);                           // {"event":"error","error":text}
QCborMap subscribedEvent(const QString &key, const QCborValue &filters);   // key: "filters" (/ws) or "filter"
QCborMap injectedEvent(const QString &threadId, const QString &messageId); // snake_case keys
QCborMap pongEvent();

} // namespace agentdesk::wire
