#include "guilogging.h"

namespace agentdesk {

Q_LOGGING_CATEGORY(lcGui, "agentdesk.gui")

} // namespace agentdesk
