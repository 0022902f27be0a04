#pragma once

#include "usagecountersmodel.h"

namespace agentdesk {

// Usage per agent, in order of first appearance (calls made without an agent are left out).
class UsageByAgentModel final : public UsageCountersModel
{
    Q_OBJECT
public:
    explicit UsageByAgentModel(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(UsageByAgentModel)
};

} // namespace agentdesk
