#include "historylog.h"

namespace agentdesk {

Q_LOGGING_CATEGORY(lcHistory, "agentdesk.store")

} // namespace agentdesk
