#pragma once

#include <QLoggingCategory>

namespace agentdesk {

// The item models' log (agentdesk.models): reads from the session that failed, so a model that stays empty says why.
Q_DECLARE_LOGGING_CATEGORY(lcModels)

} // namespace agentdesk
