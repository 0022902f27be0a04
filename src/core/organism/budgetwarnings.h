#pragma once

#include "config/organismconfig.h"
#include "domain/records.h"
#include "usage/budgetregistry.h"

#include <optional>

namespace agentdesk {

class SchemaRegistry;

// The original's R2 router: a thread budget's threshold crossing becomes a BudgetWarning message from
// `system.budget` to the agent, in its thread. The payload type exists in every organism.
class BudgetWarnings
{
public:
    static constexpr auto kSender = "system.budget";

    // `payloads` with the BudgetWarning type added (unless the config declares it itself).
    static QList<PayloadTypeSpec> withSystemTypes(QList<PayloadTypeSpec> payloads);
    // The message for a crossing (no id, seq or time yet); nullopt with *error when the payload cannot
    // be built from the registry's BudgetWarning type.
    static std::optional<MessageRecord> message(const SchemaRegistry &schemas, const QString &agent,
                                                const BudgetThreshold &threshold, QString *error);
};

} // namespace agentdesk
