#pragma once

#include <QLoggingCategory>

namespace agentdesk {

// The wire format's log (agentdesk.wire): what a peer sent that is tolerated but not understood (new event types, states).
Q_DECLARE_LOGGING_CATEGORY(lcWire)

} // namespace agentdesk
