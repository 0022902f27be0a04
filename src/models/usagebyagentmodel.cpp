#include "usagebyagentmodel.h"

namespace agentdesk {

UsageByAgentModel::UsageByAgentModel(Session *session, QObject *parent)
    : UsageCountersModel(
        session, [](const UsageSnapshot &usage) { return usage.byAgent; }, tr("Agent"), parent)
{ }

} // namespace agentdesk
