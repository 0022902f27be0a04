#pragma once

#include "routetable.h"

#include <QByteArray>
#include <QCborMap>

#include <functional>

namespace agentdesk {

class Organism;

// One file per resource; each adds its routes (handler + OpenAPI description) to the table.
// A new resource is one new file here plus one line in ApiServer::buildRoutes().
void addHealthRoutes(RouteTable &table, Organism *organism);
void addOrganismRoutes(RouteTable &table, Organism *organism);
void addCapabilityRoutes(RouteTable &table, Organism *organism);
void addAgentRoutes(RouteTable &table, Organism *organism);
void addThreadRoutes(RouteTable &table, Organism *organism);
void addMessageRoutes(RouteTable &table, Organism *organism);
void addInjectRoutes(RouteTable &table, Organism *organism);
void addUsageRoutes(RouteTable &table, Organism *organism);
// GET /metrics: `scrape` answers each request with the exposition, now or later.
void addMetricsRoutes(RouteTable &table, std::function<void(ApiReply reply)> scrape);

// The OpenAPI component schemas of the usage shapes (UsageResponse, ThreadBudgetInfo, …, and the
// BudgetEvent WebSocket frame); ApiServer adds them to the document's components.
QCborMap usageSchemas();

// Shared query parameters (spec §5.8/§5.10: limit 50 in 1..100, offset 0 ≥ 0).
QueryParam limitParam();
QueryParam offsetParam();

} // namespace agentdesk
