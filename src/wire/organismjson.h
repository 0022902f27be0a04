#pragma once

#include "domain/historyinstance.h"
#include "domain/records.h"

#include <QCborMap>
#include <QStringList>

namespace agentdesk {
struct OrganismConfig;
}

namespace agentdesk::wire {

// OrganismInfo (spec §3.1), with agentdesk's extensions `saturation` and `history`.
QCborMap organismInfoJson(const OrganismInfo &info);
// GET /api/v1/history/organisms (agentdesk extension): {organisms: [{organism, instance, host, pid,
// running, self, startedAt, lastSeen}], count}.
QCborMap historyOrganismsJson(const QList<HistoryInstance> &instances);
// The `saturation` extension: queue depth and limits, injects refused, per-agent backlog.
QCborMap saturationJson(const Saturation &saturation);
// The `history` extension: "ok" or "degraded: <reason>".
QString historyText(const OrganismInfo &info);
// GET /health (§1.4) — snake_case uptime_seconds, as the original writes it; extension `history`.
QCborMap healthJson(const OrganismInfo &info);
// GET /organism/config (§5.2): exactly six snake_case keys, a whitelist (nothing secret leaks).
QCborMap organismConfigJson(const OrganismConfig &config, const QStringList &listenerNames);
// POST /organism/reload success body (§5.15).
QCborMap reloadResultJson(const ReloadResult &result);
// POST /organism/stop body (§5.16).
QCborMap stopJson();
// POST /organism/start body (extension): {"success": true, "status": "running"}.
QCborMap startJson(OrganismStatus status);

} // namespace agentdesk::wire
