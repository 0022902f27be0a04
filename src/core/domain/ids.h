#pragma once

#include <QString>

namespace agentdesk {

// A new UUID for a message or a thread: version 7 (RFC 9562), time-ordered. Ids made one after the other
// sort one after the other, so the history's id indexes grow at their end instead of at random places —
// the difference between a cached append and a page read per insert at tens of thousands of messages
// per second. Still a standard UUID for every client.
QString newTimeOrderedId();

} // namespace agentdesk
