#pragma once

#include "config/organismconfig.h"

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

struct LlmMessage
{
    QString role; // system | user | assistant
    QString content;
};

struct LlmRequest
{
    QString model;
    QList<LlmMessage> messages;
    double temperature = 0.7;
    std::optional<int> maxTokens;
    QString agentId;  // who asks: attribution and per-agent accounting
    QString threadId; // which conversation: budgets
    QVariantMap metadata; // e.g. org_id, user_id
};

struct LlmResult
{
    bool ok = false;
    QString error;       // when !ok: what failed, with the last backend error; never contains a key
    QString content;     // the reply text
    QString model;       // the model name the provider returned (falls back to the requested one)
    QString provider;    // openai | xai | anthropic | ollama | openai-compatible | demo …
    QString backend;     // the configured backend name that served the call
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedPromptTokens = 0;
    bool estimatedTokens = false; // the provider reported no usage: counted from the text
    double latencyMs = 0;         // from the first attempt to success, retries and back-off included
    int attempts = 0;
};

class LlmClient : public QObject
{
    Q_OBJECT
public:
    using Completion = std::function<void(const LlmResult &result)>;

    explicit LlmClient(QObject *parent = nullptr)
        : QObject(parent)
    {
    }
    ~LlmClient() override = default;

    // Starts the call and returns its id; `done` is called exactly once, later, on this object's thread
    // (never from inside complete()), unless the call is cancelled first.
    virtual quint64 complete(const LlmRequest &request, Completion done) = 0;
    // Abandons the call: the network request is aborted and `done` is never called.
    virtual void cancel(quint64 callId) = 0;
    // Whether some backend serves this model (agents whose model nobody serves fail at load).
    virtual bool serves(const QString &model) const = 0;
    // How long the oldest call of this agent (LlmRequest::agentId) now waiting for a backend's rate
    // limit (rate_limit_tpm) has waited, in seconds; 0 when none waits. Saturation reports show it.
    virtual double rateLimitWaitSeconds(const QString &agentId) const;

    // A reload with a changed `llm:` section, in two steps so that nothing changes unless everything
    // can: check() says whether `config` is usable (error: why not) and which of `models` it would
    // serve (the ones it would not go to `unserved`); reconfigure() then applies it. Calls already
    // running finish where they are; every later attempt follows the new configuration. By default a
    // client cannot be reconfigured, and check() says so.
    virtual bool check(const LlmConfig &config, const QStringList &models, QStringList *unserved,
                       QString *error) const;
    virtual bool reconfigure(const LlmConfig &config, QString *error);
};

} // namespace agentdesk
