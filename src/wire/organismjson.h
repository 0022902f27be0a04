#pragma once

#include "domain/records.h"

#include <QCborMap>
#include <QStringList>

namespace agentdesk {
struct OrganismConfig;
}

namespace agentdesk::wire {

// OrganismInfo (spec §3.1).
QCborMap organismInfoJson(const OrganismInfo &info);
// GET /health (§1.4) — snake_case uptime_seconds, as the original writes it.
QCborMap healthJson(const OrganismInfo &info);
// GET /organism/config (§5.2): exactly six snake_case keys, a whitelist (nothing secret leaks).
QCborMap organismConfigJson(const OrganismConfig &config, const QStringList &listenerNames);
// POST /organism/reload success body (§5.15).
QCborMap reloadResultJson(const ReloadResult &result);
// POST /organism/stop body (§5.16).
QCborMap stopJson();

} // namespace agentdesk::wire
