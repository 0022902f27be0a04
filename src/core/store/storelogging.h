#pragma once

#include <QLoggingCategory>

namespace agentdesk {

// The history store's log (agentdesk.store): opening, migrations, commit failures, retention.
Q_DECLARE_LOGGING_CATEGORY(lcStore)

} // namespace agentdesk
