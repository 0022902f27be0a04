#pragma once

#include "routetable.h"

// A small route table for the organism-free HTTP tests: items with paging, a detail route, a JSON
// POST, an open health route, a handler that throws, GET /api/v1/big (a 64 KiB body), and
// POST /api/v1/later, whose answer the test gives when it likes (pendingReplies()).
agentdesk::RouteTable testRoutes();
// How often the cacheable /api/v1/counter handler ran (it answers that number too).
int counterHandlerCalls();
// How often /api/v1/big ran.
int bigHandlerCalls();
inline constexpr int kBigBodyBytes = 64 * 1024;
// The replies of POST /api/v1/later requests not answered yet, oldest first.
QList<agentdesk::ApiReply> &pendingReplies();
