#pragma once

#include "config/organismconfig.h"
#include "llm/llmclient.h"
#include "tokenbucket.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLoggingCategory>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <optional>

namespace agentdesk {

Q_DECLARE_LOGGING_CATEGORY(lcLlm)

// What one attempt on one backend produced. The router decides from it whether to try again.
struct BackendReply
{
    bool ok = false;
    QString error;      // when !ok: "HTTP 429: <provider message>", "timed out after 30 s" … never a key
    int httpStatus = 0; // 0 = no HTTP answer (refused, reset, timed out, demo)
    bool retryable = false;
    std::optional<double> retryAfterSeconds; // the server's Retry-After on a 429/503
    // When ok: content, model, tokens and estimatedTokens; the router fills in the rest.
    LlmResult result;
};

// Where a backend stands right now (least-loaded routing, status displays, tests).
struct LlmBackendStatus
{
    QString name;
    QString provider;
    int active = 0;         // attempts on the wire
    int queued = 0;         // attempts waiting for a max_concurrent slot or for rate-limit tokens
    int maxConcurrent = 1;
    bool waitingForTokens = false; // the head of the queue is held back by rate_limit_tpm
};

// One configured entry of llm.backends. The base class owns what every backend shares: which models
// it serves, `max_concurrent` (attempts beyond it wait in a FIFO queue), `rate_limit_tpm` (a token
// bucket charged with each request's estimated size before it starts). Subclasses only speak their
// wire format: start(id, request) and later finish(id, reply), or stop(id) when aborted.
class LlmBackend : public QObject
{
    Q_OBJECT
public:
    using ReplyHandler = std::function<void(const BackendReply &reply)>;

    explicit LlmBackend(const LlmBackendConfig &config, QObject *parent = nullptr);
    ~LlmBackend() override;

    const QString &name() const { return m_config.name; }
    const QString &provider() const { return m_config.provider; }
    int priority() const { return m_config.priority; }
    const LlmBackendConfig &config() const { return m_config; }

    // Listed models exactly when `models` is given, else the provider's naming convention.
    bool serves(const QString &model) const;
    // Why this backend cannot be used ("" when it can), e.g. a missing base_url or API key.
    virtual QString problem() const;

    // Queues one attempt; `handler` runs later (never inside send()) unless abort() comes first.
    quint64 send(const LlmRequest &request, ReplyHandler handler);
    // Drops a queued attempt or aborts the one on the wire; its handler is never called.
    void abort(quint64 attemptId);

    int active() const { return int(m_running.size()); }
    int queued() const { return int(m_waiting.size()); }
    // (active + queued) / max_concurrent: what least-loaded routing compares.
    double load() const;
    LlmBackendStatus status() const;
    // How long this agent's oldest attempt has waited while the queue is held back by rate_limit_tpm
    // (its head cannot start for lack of tokens); 0 otherwise.
    qint64 rateLimitWaitMs(const QString &agentId) const;

    // Spec §8.1: max(100, ⌊characters / 4⌋), what the rate limiter charges before a call.
    static qint64 admissionEstimate(const LlmRequest &request);
    // ⌈characters / 4⌉: the token count reported when a provider gives no usage.
    static qint64 estimateTokens(qsizetype characters);
    static qint64 promptCharacters(const LlmRequest &request);

protected:
    virtual bool servesByConvention(const QString &model) const = 0;
    virtual void start(quint64 attemptId, const LlmRequest &request) = 0;
    virtual void stop(quint64 attemptId) = 0;
    // Delivers the outcome of a started attempt; must not be called from inside start().
    void finish(quint64 attemptId, const BackendReply &reply);

private:
    struct Waiting
    {
        quint64 id = 0;
        LlmRequest request;
        qint64 tokens = 0;
        ReplyHandler handler;
        qint64 queuedAtMs = 0;
    };

    void admit();

    LlmBackendConfig m_config;
    TokenBucket m_bucket;
    QElapsedTimer m_clock;
    QTimer m_refillTimer;
    std::deque<Waiting> m_waiting;
    QHash<quint64, ReplyHandler> m_running;
    quint64 m_nextId = 0;
};

} // namespace agentdesk
