#pragma once

#include "config/organismconfig.h"
#include "llm/llmclient.h"
#include "tokenbucket.h"

#include <QDateTime>
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
    // Content, tool calls, model, tokens, outcome, time to first token and tokens/s. Also when !ok:
    // the tokens of an unusable 2xx reply or a cut stream are billed, so they are reported too.
    LlmResult result;
};

// Where a backend stands right now (least-loaded routing, status displays, tests).
struct LlmBackendStatus
{
    QString name;
    QString provider;
    int active = 0; // attempts on the wire
    int queued = 0; // attempts waiting for a max_concurrent slot or for rate-limit tokens
    int maxConcurrent = 1;
    bool waitingForTokens = false; // the head of the queue is held back by rate_limit_tpm
};

// The last attempts' figures of one backend, for its state (GET /llm/backends): latency and time to
// first token percentiles over a window of recent attempts, and whether it is failing or rate-limited.
class BackendStats
{
public:
    static constexpr int kWindow = 200;

    void attemptEnded(const BackendReply &reply, double durationMs, const QDateTime &now);
    LlmBackendState::Health health(const QDateTime &now, double *waitSeconds) const;
    QString lastError() const { return m_lastError; }
    QDateTime failingSince() const { return m_failingSince; }
    qint64 calls() const { return m_calls; }
    std::optional<double> latencyPercentile(double p) const { return percentile(m_latencies, p); }
    std::optional<double> ttftPercentile(double p) const { return percentile(m_ttfts, p); }

private:
    static void push(std::deque<double> &window, double value);
    static std::optional<double> percentile(const std::deque<double> &window, double p);

    std::deque<double> m_latencies;
    std::deque<double> m_ttfts;
    QString m_lastError;
    QDateTime m_failingSince; // invalid: not failing
    QDateTime m_rateLimitedUntil;
    qint64 m_calls = 0;
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
    using PartialHandler = std::function<void(const QString &text)>; // a streamed reply's text so far

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
    quint64 send(const LlmRequest &request, ReplyHandler handler, PartialHandler partial = {});
    // Drops a queued attempt or aborts the one on the wire; its handler is never called.
    void abort(quint64 attemptId);
    // Whether the attempt's request has left the process (the provider may bill it).
    bool isOnTheWire(quint64 attemptId) const { return m_running.contains(attemptId); }

    // Streams when `stream` is set (and the wire format has a streaming mode).
    virtual bool streams() const { return false; }
    // Whether this backend sends tools natively (tool_mode native, or auto on a provider known to).
    bool takesTools() const;
    LlmBackendState state() const;

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
    // A streamed attempt's text so far.
    void progress(quint64 attemptId, const QString &text);
    // The provider's own tool calling: used when tool_mode is auto.
    virtual bool nativeToolsByDefault() const { return false; }
    virtual QString endpointText() const { return {}; }

private:
    struct Waiting
    {
        quint64 id = 0;
        LlmRequest request;
        qint64 tokens = 0;
        ReplyHandler handler;
        PartialHandler partial;
        qint64 queuedAtMs = 0;
    };
    struct Running
    {
        ReplyHandler handler;
        PartialHandler partial;
        QElapsedTimer clock;
        QString agent;
    };

    void admit();

    LlmBackendConfig m_config;
    TokenBucket m_bucket;
    QElapsedTimer m_clock;
    QTimer m_refillTimer;
    std::deque<Waiting> m_waiting;
    QHash<quint64, Running> m_running;
    BackendStats m_stats;
    quint64 m_nextId = 0;
};

} // namespace agentdesk
