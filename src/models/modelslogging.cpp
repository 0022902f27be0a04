#include "modelslogging.h"

namespace agentdesk {

Q_LOGGING_CATEGORY(lcModels, "agentdesk.models")

} // namespace agentdesk
