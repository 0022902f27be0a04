#include "budgetwarnings.h"

#include "listeners/agentlistener.h"
#include "schema/schemaregistry.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk {

QList<PayloadTypeSpec> BudgetWarnings::withSystemTypes(QList<PayloadTypeSpec> payloads)
{
    for (const PayloadTypeSpec &type : std::as_const(payloads)) {
        if (type.name == AgentListener::kBudgetWarningType)
            return payloads;
    }
    PayloadTypeSpec warning;
    warning.name = AgentListener::kBudgetWarningType;
    const auto field = [&warning](const char *name, const char *type) {
        warning.fields.append(FieldSpec{QString::fromLatin1(name), QString::fromLatin1(type), false, false, 0});
    };
    field("percent_used", "decimal");
    field("tokens_used", "integer");
    field("tokens_remaining", "integer");
    field("max_tokens", "integer");
    field("severity", "string");
    field("message", "string");
    payloads.append(warning);
    return payloads;
}

std::optional<MessageRecord> BudgetWarnings::message(const SchemaRegistry &schemas, const QString &agent,
                                                     const BudgetThreshold &threshold, QString *error)
{
    const ThreadBudget &budget = threshold.budget;
    QVariantMap fields;
    fields.insert(u"percent_used"_s, std::round(budget.percentUsed() * 10) / 10);
    fields.insert(u"tokens_used"_s, budget.totalTokens());
    fields.insert(u"tokens_remaining"_s, budget.remaining());
    fields.insert(u"max_tokens"_s, budget.maxTokens);
    fields.insert(u"severity"_s, threshold.severity);
    fields.insert(u"message"_s, threshold.message());
    Payload payload;
    SchemaError schemaError;
    if (!schemas.buildPayload(AgentListener::kBudgetWarningType, fields, &payload, &schemaError)) {
        *error = schemaError.message;
        return std::nullopt;
    }
    MessageRecord warning;
    warning.threadId = budget.threadId;
    warning.from = QString::fromLatin1(kSender);
    warning.to = agent.isEmpty() ? u"system"_s : agent;
    warning.payloadType = payload.type;
    warning.fields = payload.fields;
    warning.xml = payload.xml;
    return warning;
}

} // namespace agentdesk
