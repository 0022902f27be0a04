#pragma once

#include "domain/trace.h"

#include <QCborMap>
#include <QJsonObject>

#include <optional>

namespace agentdesk::wire {

// GET /api/v1/threads/{id}/timeline (extension):
// {"thread": ThreadInfo, "origin": null | {"kind": "replay"|"fork", "threadId", "messageId",
//  "firstSlotIndex"}, "total", "hops": [{"message": MessageInfo, "copied",
//  "run": null | {"startedAt", "endedAt" (null while running), "queueWaitMs", "handlerMs" (null while
//  running), "error"}, "llm": [{"usage": UsageEventInfo, "prompt": [{"role", "content"}], "response"}]}]},
// hops oldest first.
QCborMap threadTraceJson(const ThreadTrace &trace);

class PayloadLayout;

// The inverse, for RemoteSession; nullopt without a "thread" or "hops". Messages as parseMessageInfo
// reads them (the XML rebuilt from the fields, ordered by `layout`).
std::optional<ThreadTrace> parseThreadTrace(const QJsonObject &json, const PayloadLayout *layout = nullptr);

} // namespace agentdesk::wire
