#pragma once

#include "domain/llmactivity.h"
#include "llm/llmclient.h"

#include <QCborMap>
#include <QJsonObject>
#include <QList>

#include <optional>

namespace agentdesk::wire {

// agentdesk extensions about the LLM calls themselves.

// WebSocket llm_delta (sent only to clients that subscribed to it by name):
// {"event":"llm_delta","threadId","agent","callId","attempt","offset","delta","done","timestamp"}.
QCborMap llmDeltaEventJson(const LlmPartialEvent &event);
std::optional<LlmPartialEvent> parseLlmDeltaEvent(const QJsonObject &json); // nullopt: not llm_delta

// GET /api/v1/llm/backends: {"backends": [LlmBackendInfo], "count"}. A backend's state is "ok",
// "rate-limited" (waitSeconds says for how long) or "failing" (lastError, failingSince).
QCborMap llmBackendJson(const LlmBackendState &backend);
QCborMap llmBackendsJson(const QList<LlmBackendState> &backends);
std::optional<QList<LlmBackendState>> parseLlmBackends(const QJsonObject &json); // nullopt: no list

} // namespace agentdesk::wire
