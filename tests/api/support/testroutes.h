#pragma once

#include "routetable.h"

// A small route table for the organism-free HTTP tests: items with paging, a detail route, a JSON
// POST, an open health route and a handler that throws.
agentdesk::RouteTable testRoutes();
// How often the cacheable /api/v1/counter handler ran (it answers that number too).
int counterHandlerCalls();
