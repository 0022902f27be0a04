#include "storelogging.h"

namespace agentdesk {

Q_LOGGING_CATEGORY(lcStore, "agentdesk.store")

} // namespace agentdesk
