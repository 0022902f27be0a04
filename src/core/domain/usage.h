#pragma once

#include <QDateTime>
#include <QString>
#include <QVariantMap>

#include <optional>

namespace agentdesk {

// One metered LLM call (spec §8.1). Stored in the usage_events table with the original's columns.
struct UsageEvent
{
    qint64 id = 0; // assigned by the store
    QDateTime timestamp;
    QString threadId;
    QString agentId; // empty = none
    QString model;
    QString provider;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedPromptTokens = 0;
    qint64 totalTokens = 0;
    double latencyMs = 0;
    std::optional<double> estimatedCost; // null when the model has no known price
    bool estimatedTokens = false;        // the provider reported no usage: counted from the text
    QVariantMap metadata;                // org_id, user_id, …
    QString orgId;
    QString userId;
};

} // namespace agentdesk

Q_DECLARE_METATYPE(agentdesk::UsageEvent)
