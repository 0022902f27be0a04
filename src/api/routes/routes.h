#pragma once

#include "domain/inject.h"
#include "routetable.h"

#include <QByteArray>
#include <QCborMap>
#include <QJsonObject>

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
void addUsageRoutes(RouteTable &table, Organism *organism); // with the scope budgets' (budgetroutes.cpp)
void addScopeBudgetRoutes(RouteTable &table, Organism *organism);
void addLlmRoutes(RouteTable &table, Organism *organism);
// GET /metrics: `scrape` answers each request with the exposition, now or later.
void addMetricsRoutes(RouteTable &table, std::function<void(ApiReply reply)> scrape);

// The OpenAPI component schemas of the usage shapes (UsageResponse, ThreadBudgetInfo, …, and the
// BudgetEvent WebSocket frame); ApiServer adds them to the document's components.
QCborMap usageSchemas(); // the scope budgets' included
QCborMap scopeBudgetSchemas();
// LlmBackendInfo and LlmBackendList (GET /api/v1/llm/backends).
QCborMap llmSchemas();

// The answer to an inject, a replay or a fork: {"threadId","messageId"}, or the status and detail of
// its refusal (400 unknown target, 404 unknown thread or message, 422 naming the field of `payload`,
// 409 not running, 503 saturated with Retry-After, 507 the history cannot commit).
ApiResponse injectResultResponse(const InjectResult &result, const QJsonObject &payload);

// A documented route of `tag`. Every method but GET changes something, so it needs the API key (and
// may answer 401 or 403 besides its own errors).
Route describedRoute(const QString &tag, HttpMethod method, const QString &path, const QString &operationId,
                     const QString &summary);

// Shared query parameters (spec §5.8/§5.10: limit 50 in 1..100, offset 0 ≥ 0).
QueryParam limitParam();
QueryParam offsetParam();

} // namespace agentdesk
