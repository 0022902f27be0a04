#pragma once

#include "session.h"

#include "openapiparser.h"

namespace agentdesk {

// What one AgentServer offers beyond the first version of the original: its /openapi.json (which
// endpoints and query parameters exist, and whether it is agentdesk) and the optional endpoints that
// answered while connecting. The Session's abilities follow from it.
struct RemoteServerFeatures
{
    wire::ApiDescription api;
    bool usage = false;         // GET /usage (S3)
    bool threadBudgets = false; // GET /usage/threads (S3)
    bool scopeBudgets = false;  // GET /usage/budgets (agentdesk's agent and organism budgets)
    bool backends = false;      // GET /llm/backends (agentdesk)
    bool usageHistory = false;  // GET /usage/history (S4)

    ServerAbilities abilities() const;
};

} // namespace agentdesk
