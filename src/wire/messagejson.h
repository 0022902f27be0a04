#pragma once

#include "domain/records.h"

#include <QCborMap>
#include <QVariantMap>

namespace agentdesk::wire {

// MessageInfo (spec §3.4). `payload` is the record's field tree with its declared snake_case keys.
QCborMap messageInfoJson(const MessageRecord &message);
// MessageListResponse (§3.7): messages, count, total, offset, limit.
QCborMap messagePageJson(const MessagePage &page);
// A payload field tree as JSON (strings, integers, floats, booleans, nested objects and lists).
QCborMap payloadJson(const QVariantMap &fields);

} // namespace agentdesk::wire
