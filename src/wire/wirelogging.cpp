#include "wirelogging.h"

namespace agentdesk {

Q_LOGGING_CATEGORY(lcWire, "agentdesk.wire")

} // namespace agentdesk
