#pragma once

#include "domain/records.h"

#include <QCborMap>

namespace agentdesk::wire {

// ThreadInfo (spec §3.3).
QCborMap threadInfoJson(const ThreadInfo &thread);
// ThreadListResponse (§3.7): threads, count (page size), total, offset, limit.
QCborMap threadPageJson(const ThreadPage &page);
// POST /threads/{id}/kill: {"success": true, "threadId": id}.
QCborMap threadKilledJson(const QString &threadId);
// POST /threads/{id}/retry (extension): {"success": true, "threadId": id, "status": "active", "deliveries": n}.
QCborMap threadRetriedJson(const QString &threadId, int deliveries);

} // namespace agentdesk::wire
