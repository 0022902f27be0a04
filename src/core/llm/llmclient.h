#pragma once

#include "config/organismconfig.h"
#include "domain/llmactivity.h"
#include "domain/usage.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <functional>
#include <optional>

namespace agentdesk {

// The seam between the runtime and the LLM providers. Core defines it and the agent listeners use it;
// src/llm implements it (the router with its OpenAI-compatible, Anthropic, Ollama and demo backends), so
// the core never links the network.

// One peer offered to the model as a tool: its name, its description and the JSON Schema of its
// payload (generated from the payload type, like its XSD), as a JSON-shaped variant map.
struct LlmTool
{
    QString name;
    QString description;
    QVariantMap parameters;
};

// A tool call the model made. `arguments` is the JSON object it passed; when what it sent was not a
// JSON object, `argumentsError` says why and `argumentsText` keeps what it sent.
struct LlmToolCall
{
    QString id; // the provider's id (OpenAI call_…, Anthropic toolu_…); generated for Ollama
    QString name;
    QVariantMap arguments;
    QString argumentsText;
    QString argumentsError;
};

struct LlmMessage
{
    LlmMessage() = default;
    LlmMessage(QString role, QString content)
        : role(std::move(role))
        , content(std::move(content))
    { }

    QString role; // system | user | assistant | tool
    QString content;
    QList<LlmToolCall> toolCalls; // assistant: the calls it made in that turn
    QString toolCallId;           // tool: the call this message answers
    QString toolName;             // tool: the name of that call
    bool isError = false;         // tool: the call was refused (the content says why)
};

struct LlmRequest
{
    QString model;
    QList<LlmMessage> messages;
    double temperature = 0.7;
    std::optional<int> maxTokens;
    QList<LlmTool> tools; // non-empty: offered natively (the caller resolved the mode with toolModeFor)
    QString agentId;      // who asks: attribution and per-agent accounting
    QString threadId;     // which conversation: budgets
    QVariantMap metadata; // e.g. org_id, user_id
};

// What one attempt, or a whole call, produced. A call's result is its last attempt's; the attempts
// before it are reported one by one through LlmCallHandlers::attemptEnded, so that every response
// the provider may bill is metered exactly once.
struct LlmResult
{
    bool ok = false;
    UsageOutcome outcome = UsageOutcome::Ok; // when !ok: unusable, error or aborted
    QString error;                           // when !ok: what failed, with the last backend error; never contains a key
    QString content;                         // the reply text (what arrived, for a stream cut mid-way)
    QList<LlmToolCall> toolCalls;            // in the order the model made them
    QString model;                           // the model name the provider returned (falls back to the requested one)
    QString provider;                        // openai | xai | anthropic | ollama | openai-compatible | demo …
    QString backend;                         // the configured backend name that served the call
    qint64 promptTokens = 0;                 // every input token, cache reads and writes included
    qint64 completionTokens = 0;             // every output token, reasoning included
    qint64 cachedPromptTokens = 0;           // of promptTokens: read from the cache
    qint64 cacheWriteTokens = 0;             // of promptTokens: written to the cache
    qint64 reasoningTokens = 0;              // of completionTokens: hidden reasoning
    bool estimatedTokens = false;            // the provider reported no usage: counted from the text
    double latencyMs = 0;                    // from the call's start to this answer, retries and back-off included
    std::optional<double> ttftMs;            // streamed: from sending the request to the first token
    std::optional<double> tokensPerSecond;
    int attempts = 0;

    qint64 totalTokens() const { return promptTokens + completionTokens; }
    // Whether this answer is a usage event: a usable reply, any reply that carried tokens, or an
    // attempt aborted on the wire. An HTTP error without usage is not (providers do not bill those).
    bool isMetered() const { return ok || totalTokens() > 0 || outcome == UsageOutcome::Aborted; }
};

// Streamed text of a call as it arrives: everything received so far in the current attempt.
struct LlmPartial
{
    int attempt = 1;
    QString text;
};

class LlmClient : public QObject
{
    Q_OBJECT
public:
    using Completion = std::function<void(const LlmResult &result)>;

    // What a caller hears about one call. `done` exactly once unless the call is cancelled first;
    // `attemptEnded` for every attempt before the last that may be billed (retried unusable replies,
    // timeouts) and, from inside cancel(), for an attempt that was on the wire (outcome aborted);
    // `partial` while a streamed reply grows.
    struct Handlers
    {
        Completion done;
        std::function<void(const LlmResult &attempt)> attemptEnded;
        std::function<void(const LlmPartial &partial)> partial;
        // Asked before each retry: false ends the call with the last attempt's error (its budget has
        // no room for another attempt).
        std::function<bool()> mayRetry;
    };

    explicit LlmClient(QObject *parent = nullptr)
        : QObject(parent)
    { }
    ~LlmClient() override = default;

    // Starts the call and returns its id; `done` is called exactly once, later, on this object's thread
    // (never from inside complete()), unless the call is cancelled first.
    virtual quint64 complete(const LlmRequest &request, Completion done) = 0;
    // complete() with every report; a client that streams nothing and never retries needs only complete().
    virtual quint64 call(const LlmRequest &request, Handlers handlers);
    // Abandons the call: the network request is aborted and `done` is never called.
    virtual void cancel(quint64 callId) = 0;
    // Whether some backend serves this model (agents whose model nobody serves fail at load).
    virtual bool serves(const QString &model) const = 0;
    // Native only when every backend that serves `model` takes tools (a retry may go to any of them).
    virtual LlmToolMode toolModeFor(const QString &model, LlmToolMode preferred) const;
    virtual QList<LlmBackendState> backendStates() const { return {}; }
    // How long the oldest call of this agent (LlmRequest::agentId) now waiting for a backend's rate
    // limit (rate_limit_tpm) has waited, in seconds; 0 when none waits. Saturation reports show it.
    virtual double rateLimitWaitSeconds(const QString &agentId) const;

    // A reload with a changed `llm:` section, in two steps so that nothing changes unless everything
    // can: check() says whether `config` is usable (error: why not) and which of `models` it would
    // serve (the ones it would not go to `unserved`); reconfigure() then applies it. Calls already
    // running finish where they are; every later attempt follows the new configuration. By default a
    // client cannot be reconfigured, and check() says so.
    virtual bool check(const LlmConfig &config, const QStringList &models, QStringList *unserved, QString *error) const;
    virtual bool reconfigure(const LlmConfig &config, QString *error);
};

} // namespace agentdesk
