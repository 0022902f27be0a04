#include "applogging.h"

namespace agentdesk {

Q_LOGGING_CATEGORY(lcApp, "agentdesk.app")

} // namespace agentdesk
