#pragma once

#include "domain/records.h"

#include <QJsonObject>

#include <optional>

namespace agentdesk::wire {

// ThreadInfo (spec §3.3); nullopt without an "id". An unknown status reads as active.
std::optional<ThreadInfo> parseThreadInfo(const QJsonObject &json);
// ThreadListResponse (§3.7); nullopt when "threads" is not a list. total defaults to the page size.
std::optional<ThreadPage> parseThreadPage(const QJsonObject &json);

} // namespace agentdesk::wire
