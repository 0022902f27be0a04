#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace agentdesk {

// A streamed LLM reply growing: the text that arrived since the previous event of the same call.
// `offset` is where `delta` starts in the attempt's text (0 starts it again, e.g. after a retry);
// `done` ends the call's stream (the reply is then recorded, or the call failed).
struct LlmPartialEvent
{
    QString agent;
    QString threadId;
    quint64 call = 0; // the handler call (unique while the organism runs)
    int attempt = 1;
    qint64 offset = 0;
    QString delta;
    bool done = false;
    QDateTime timestamp;
};

// Where an LLM backend stands right now: GET /api/v1/llm/backends, and the window's view of the backends
// (Session::llmBackends(), read locally from the router or from that endpoint when attached). Why an
// LLM agent's queue grows is here: its backend is rate-limited (for how long), failing (since when,
// the last error) or waiting for its token bucket.
struct LlmBackendState
{
    enum class Health { Ok, RateLimited, Failing };
    QString name;
    QString provider;
    QStringList models; // the configured models; empty: served by the provider's naming convention
    QString endpoint;   // the URL it posts to ("" for demo)
    bool streaming = false;
    bool nativeTools = false; // tools sent natively (what tool_mode auto resolves to for this backend); else XML text
    Health health = Health::Ok;
    double rateLimitedForSeconds = 0; // RateLimited: how long until the provider lets calls through
    QString lastError;                // Failing: the latest error
    QDateTime failingSince;           // Failing: the first failure of the current run of failures
    qint64 rateLimitTpm = 0;          // 0 = unlimited
    qint64 tokensLeft = 0;            // in the rate-limit bucket now
    int active = 0;                   // attempts on the wire
    int queued = 0;                   // attempts waiting for a max_concurrent slot or for the bucket
    int maxConcurrent = 0;
    bool waitingForTokens = false; // the queue waits for the rate-limit bucket
    QStringList agents;            // the agents with attempts on the wire or queued here, by name
    qint64 calls = 0;              // attempts finished since start
    std::optional<double> latencyP50Ms;
    std::optional<double> latencyP95Ms;
    std::optional<double> ttftP50Ms;
    std::optional<double> ttftP95Ms;

    bool operator==(const LlmBackendState &other) const = default;
    // Whether calls wait here for a reason of the backend's own: rate-limited, failing, its token
    // bucket, or every slot busy with more queued (the window says which, with the figures).
    bool holdsCalls() const
    {
        return health != Health::Ok || waitingForTokens || (queued > 0 && active >= maxConcurrent);
    }
};
QString toString(LlmBackendState::Health health); // ok | rate-limited | failing
bool parseBackendHealth(const QString &text, LlmBackendState::Health *health);

} // namespace agentdesk

Q_DECLARE_METATYPE(agentdesk::LlmPartialEvent)
Q_DECLARE_METATYPE(agentdesk::LlmBackendState)
