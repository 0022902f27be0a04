#include "usagebymodelmodel.h"

namespace agentdesk {

UsageByModelModel::UsageByModelModel(Session *session, QObject *parent)
    : UsageCountersModel(
        session, [](const UsageSnapshot &usage) { return usage.byModel; }, tr("Model"), parent)
{ }

} // namespace agentdesk
