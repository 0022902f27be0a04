#pragma once

#include "domain/historyinstance.h"
#include "domain/records.h"

#include <QJsonObject>

#include <optional>

namespace agentdesk::wire {

// GET /health: {"status": "healthy", "organism", "uptime_seconds"} (snake_case, spec §1.4).
struct HealthInfo
{
    QString status;
    QString organism;
    double uptimeSeconds = 0;
};
std::optional<HealthInfo> parseHealth(const QJsonObject &json); // nullopt without a "status" text

// OrganismInfo (spec §3.1); nullopt without a "name". An unknown status reads as running.
std::optional<OrganismInfo> parseOrganismInfo(const QJsonObject &json);
// starting | running | stopping | stopped
std::optional<OrganismStatus> parseOrganismStatus(const QString &text);

// GET /api/v1/history/organisms (agentdesk): {organisms: [...], count}; `self` is isThisProcess.
// nullopt when "organisms" is not a list.
std::optional<QList<HistoryInstance>> parseHistoryOrganisms(const QJsonObject &json);

// POST /organism/reload (§5.15), also the S1 stub {"success": false, "error": "…"}.
ReloadResult parseReloadResult(const QJsonObject &json);

} // namespace agentdesk::wire
