#pragma once

#include "usagecountersmodel.h"

namespace agentdesk {

// Usage per model, in order of first appearance (the model name the provider returned).
class UsageByModelModel final : public UsageCountersModel
{
    Q_OBJECT
public:
    explicit UsageByModelModel(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(UsageByModelModel)
};

} // namespace agentdesk
