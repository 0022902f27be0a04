#pragma once

#include "domain/timestamps.h"

#include <QCborValue>

namespace agentdesk::wire {

// The domain's formatting and parsing, under the wire's name for them.
using agentdesk::formatTimestamp;
using agentdesk::parseTimestamp;

// A timestamp as the API writes it (TimestampForm::Api); an invalid QDateTime is JSON null.
QCborValue timestampValue(const QDateTime &time);

} // namespace agentdesk::wire
