#pragma once

#include "domain/records.h"

#include <QJsonObject>
#include <QList>

#include <optional>

namespace agentdesk::wire {

// CapabilityInfo or CapabilityDetail (spec §3.5); nullopt without a "name". The wire has no
// payloadType: it is the root element of exampleXml, else the last part of the dotted payloadClass.
std::optional<Capability> parseCapability(const QJsonObject &json);
// {"capabilities": [...], "count"}: nullopt when "capabilities" is not a list.
std::optional<QList<Capability>> parseCapabilityList(const QJsonObject &json);

} // namespace agentdesk::wire
