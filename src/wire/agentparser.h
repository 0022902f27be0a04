#pragma once

#include "domain/records.h"

#include <QJsonObject>
#include <QList>

#include <optional>

namespace agentdesk::wire {

// AgentInfo (spec §3.2) with the agentdesk extensions inFlight and lastError when present. The wire
// has no payloadType, rootTag or handler: they stay empty (RemoteSession fills the first two from the
// capabilities). nullopt without a "name"; an unknown state reads as idle, as the original's state
// layer maps it.
std::optional<AgentInfo> parseAgentInfo(const QJsonObject &json);
// {"agents": [...], "count"}: nullopt when "agents" is not a list; entries without a name are skipped.
std::optional<QList<AgentInfo>> parseAgentList(const QJsonObject &json);

} // namespace agentdesk::wire
