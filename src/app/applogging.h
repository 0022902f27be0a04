#pragma once

#include <QLoggingCategory>

namespace agentdesk {

// The program's own log (agentdesk.app): what the composition root says while it starts and stops.
Q_DECLARE_LOGGING_CATEGORY(lcApp)

} // namespace agentdesk
