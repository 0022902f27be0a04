#pragma once

#include "domain/records.h"

#include <QCborMap>
#include <QList>

namespace agentdesk::wire {

// AgentInfo (spec §3.2), plus the agentdesk extensions inFlight and lastError (optional fields,
// decision 11).
QCborMap agentInfoJson(const AgentInfo &agent);
// {"agents": [...], "count": n}
QCborMap agentListJson(const QList<AgentInfo> &agents);
// GET /agents/{name}/config (§5.6): the five keys the original hand-builds.
QCborMap agentConfigJson(const AgentInfo &agent);
// GET /agents/{name}/schema: {"schema": <XSD text>, "contentType": "application/xml"}.
QCborMap agentSchemaJson(const QString &xsd);
// POST /agents/{name}/pause|resume: {"success": true, "agent": name, "state": state}.
QCborMap agentCommandJson(const QString &name, AgentState state);

} // namespace agentdesk::wire
