#pragma once

#include <QDateTime>
#include <QString>
#include <QVariantMap>

#include <optional>

namespace agentdesk {

// How the provider's answer to one attempt ended (one usage event per attempt that may be billed):
//  Ok       a usable reply;
//  Unusable a 2xx reply that could not be used (no content, malformed, refused) — billed all the same;
//  Error    an HTTP error or a stream cut mid-way that still reported (or produced) tokens;
//  Aborted  the request was on the wire and no answer arrived (kill, timeout): zero tokens recorded,
//           though the provider may still bill what it generated.
enum class UsageOutcome { Ok, Unusable, Error, Aborted };

QString toString(UsageOutcome outcome);
bool parseUsageOutcome(const QString &text, UsageOutcome *outcome);

// One metered LLM attempt (spec §8.1). Stored in the usage_events table with the original's columns
// first; the rest are agentdesk's.
struct UsageEvent
{
    qint64 id = 0; // assigned by the store
    QDateTime timestamp;
    QString threadId;
    QString agentId; // empty = none
    QString model;
    QString provider;
    qint64 promptTokens = 0;       // every input token: cache reads and cache writes included
    qint64 completionTokens = 0;   // every output token: reasoning included
    qint64 cachedPromptTokens = 0; // of promptTokens: read from the provider's cache
    qint64 cacheWriteTokens = 0;   // of promptTokens: written to the cache (Anthropic cache_creation_input_tokens)
    qint64 reasoningTokens = 0;    // of completionTokens: the model's hidden reasoning
    qint64 totalTokens = 0;
    double latencyMs = 0;
    std::optional<double> ttftMs;          // time to first token (streamed calls)
    std::optional<double> tokensPerSecond; // completion tokens per second of generation
    UsageOutcome outcome = UsageOutcome::Ok;
    std::optional<double> estimatedCost; // null when the model has no known price
    bool estimatedTokens = false;        // the provider reported no usage: counted from the text
    QVariantMap metadata;                // org_id, user_id, backend, …
    QString orgId;
    QString userId;
};

} // namespace agentdesk

Q_DECLARE_METATYPE(agentdesk::UsageEvent)
