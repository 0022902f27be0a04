#pragma once

#include "domain/records.h"

#include <QCborMap>
#include <QList>

namespace agentdesk::wire {

// CapabilityInfo and CapabilityDetail (spec §3.5). schemaXsd and exampleXml are null when empty.
QCborMap capabilityInfoJson(const Capability &capability);
QCborMap capabilityDetailJson(const Capability &capability);
// {"capabilities": [...], "count": n} — the caller passes them sorted by name.
QCborMap capabilityListJson(const QList<Capability> &capabilities);

} // namespace agentdesk::wire
