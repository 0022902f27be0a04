#pragma once

#include <QLoggingCategory>

namespace agentdesk {

Q_DECLARE_LOGGING_CATEGORY(lcHistory)

} // namespace agentdesk
