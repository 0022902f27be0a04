#pragma once

#include <QLoggingCategory>

namespace agentdesk {

// The window's log (agentdesk.gui): what a page could not show or load and the user was not told in a dialog.
Q_DECLARE_LOGGING_CATEGORY(lcGui)

} // namespace agentdesk
