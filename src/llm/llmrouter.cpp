#include "llmrouter.h"

#include "anthropicbackend.h"
#include "demobackend.h"
#include "ollamabackend.h"
#include "openaicompatiblebackend.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QSet>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

struct LlmRouter::Call
{
    LlmRequest request;
    Completion done;
    QList<LlmBackend *> candidates;
    QSet<LlmBackend *> tried; // since the last start-over
    int attempts = 0;
    QElapsedTimer clock;
    LlmBackend *backend = nullptr; // the latest attempt's
    quint64 attemptId = 0;         // non-zero while an attempt is queued or on the wire
    QString lastError;
    std::unique_ptr<QTimer> retryTimer;
};

namespace {

LlmBackend *createBackend(const LlmBackendConfig &config, const QString &key, QNetworkAccessManager *network,
                          QObject *parent)
{
    if (config.provider == u"demo")
        return new DemoBackend(config, parent);
    if (config.provider == u"anthropic")
        return new AnthropicBackend(config, key, network, parent);
    if (config.provider == u"ollama")
        return new OllamaBackend(config, key, network, parent);
    if (OpenAiCompatibleBackend::handlesProvider(config.provider))
        return new OpenAiCompatibleBackend(config, key, network, parent);
    return nullptr;
}

} // namespace

LlmRouter::LlmRouter(const LlmConfig &config, QObject *parent)
    : LlmClient(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_retry(config)
    , m_strategy(parseStrategy(config.strategy))
{
    createBackends(config);
}

LlmRouter::~LlmRouter()
{
    const auto calls = std::move(m_calls);
    for (const auto &[id, call] : calls) {
        if (call->attemptId != 0)
            call->backend->abort(call->attemptId);
    }
    // Backends first: they abort their replies, which the network manager would otherwise delete.
    qDeleteAll(m_backends);
    delete m_network;
}

LlmRouter::Strategy LlmRouter::parseStrategy(const QString &name)
{
    const QString normalized = name.trimmed().toLower().replace(u'_', u'-');
    if (normalized == u"round-robin")
        return Strategy::RoundRobin;
    if (normalized == u"least-loaded")
        return Strategy::LeastLoaded;
    return Strategy::Failover;
}

void LlmRouter::createBackends(const LlmConfig &config)
{
    for (const LlmBackendConfig &backendConfig : config.backends) {
        const QString label = u"llm backend \"%1\" (provider %2)"_s.arg(backendConfig.name, backendConfig.provider);
        // The only place a key is read; it lives on in the backend and nowhere else.
        const QString key =
            backendConfig.apiKeyEnv.isEmpty() ? QString() : qEnvironmentVariable(qPrintable(backendConfig.apiKeyEnv));
        LlmBackend *backend = createBackend(backendConfig, key.trimmed(), m_network, this);
        if (!backend) {
            m_problems.append(label + u": unknown provider"_s);
            continue;
        }
        if (const QString problem = backend->problem(); !problem.isEmpty()) {
            m_problems.append(label + u": "_s + problem);
            delete backend;
            continue;
        }
        m_backends.append(backend);
    }
    std::stable_sort(m_backends.begin(), m_backends.end(),
                     [](const LlmBackend *a, const LlmBackend *b) { return a->priority() < b->priority(); });
}

bool LlmRouter::serves(const QString &model) const
{
    return std::any_of(m_backends.cbegin(), m_backends.cend(),
                       [&model](const LlmBackend *backend) { return backend->serves(model); });
}

QList<LlmBackend *> LlmRouter::candidatesFor(const QString &model) const
{
    QList<LlmBackend *> candidates;
    for (LlmBackend *backend : m_backends) {
        if (backend->serves(model))
            candidates.append(backend);
    }
    return candidates;
}

QList<LlmBackendStatus> LlmRouter::backendStatus() const
{
    QList<LlmBackendStatus> statuses;
    for (const LlmBackend *backend : m_backends)
        statuses.append(backend->status());
    return statuses;
}

quint64 LlmRouter::complete(const LlmRequest &request, Completion done)
{
    const quint64 id = ++m_nextCallId;
    auto call = std::make_unique<Call>();
    call->request = request;
    call->done = std::move(done);
    call->candidates = candidatesFor(request.model);
    call->clock.start();
    call->retryTimer = std::make_unique<QTimer>();
    call->retryTimer->setSingleShot(true);
    connect(call->retryTimer.get(), &QTimer::timeout, this, [this, id] { attempt(id); });
    const bool routable = !call->candidates.isEmpty();
    m_calls.emplace(id, std::move(call));

    if (routable) {
        attempt(id);
    } else {
        // Reported on the next turn of the event loop: callers may rely on done never running inside complete().
        QMetaObject::invokeMethod(
            this, [this, id, model = request.model] { fail(id, u"No backend available for model '%1'"_s.arg(model)); },
            Qt::QueuedConnection);
    }
    return id;
}

void LlmRouter::cancel(quint64 callId)
{
    const auto it = m_calls.find(callId);
    if (it == m_calls.end())
        return;
    const std::unique_ptr<Call> call = std::move(it->second);
    m_calls.erase(it);
    if (call->attemptId != 0)
        call->backend->abort(call->attemptId);
}

LlmBackend *LlmRouter::pick(Call &call)
{
    // Every strategy prefers backends this call has not tried yet; once all failed, it starts over.
    QList<LlmBackend *> pool;
    for (LlmBackend *backend : std::as_const(call.candidates)) {
        if (!call.tried.contains(backend))
            pool.append(backend);
    }
    if (pool.isEmpty()) {
        call.tried.clear();
        pool = call.candidates;
    }
    switch (m_strategy) {
    case Strategy::RoundRobin:
        return pool.at(qsizetype(m_roundRobin[call.request.model]++ % quint64(pool.size())));
    case Strategy::LeastLoaded:
        return *std::min_element(pool.cbegin(), pool.cend(), [](const LlmBackend *a, const LlmBackend *b) {
            return a->load() < b->load();
        });
    case Strategy::Failover:
        break;
    }
    return pool.first();
}

void LlmRouter::attempt(quint64 callId)
{
    const auto it = m_calls.find(callId);
    if (it == m_calls.end())
        return;
    Call &call = *it->second;
    LlmBackend *backend = pick(call);
    call.tried.insert(backend);
    call.backend = backend;
    ++call.attempts;
    call.attemptId = backend->send(call.request, [this, callId](const BackendReply &reply) { onReply(callId, reply); });
}

void LlmRouter::onReply(quint64 callId, const BackendReply &reply)
{
    const auto it = m_calls.find(callId);
    if (it == m_calls.end())
        return;
    Call &call = *it->second;
    call.attemptId = 0;
    if (reply.ok) {
        deliver(callId, reply.result);
        return;
    }
    call.lastError = call.backend->name() + u": "_s + reply.error;
    if (!reply.retryable || call.attempts >= m_retry.maxAttempts()) {
        qCWarning(lcLlm).noquote() << "model" << call.request.model << "attempt" << call.attempts
                                   << "failed, giving up:" << call.lastError;
        fail(callId, u"All backends failed for %1: %2"_s.arg(call.request.model, call.lastError));
        return;
    }
    retryLater(call, reply);
}

void LlmRouter::retryLater(Call &call, const BackendReply &reply)
{
    const double seconds =
        m_retry.delaySeconds(call.attempts - 1, reply.retryAfterSeconds, QRandomGenerator::global()->generateDouble());
    qCInfo(lcLlm).noquote() << "model" << call.request.model << "attempt" << call.attempts
                            << "failed:" << call.lastError << "- retrying in" << seconds << "s";
    call.retryTimer->start(int(std::min(seconds * 1000.0, double(INT_MAX))));
}

void LlmRouter::fail(quint64 callId, const QString &error)
{
    LlmResult result;
    result.error = error;
    deliver(callId, result);
}

void LlmRouter::deliver(quint64 callId, LlmResult result)
{
    const auto it = m_calls.find(callId);
    if (it == m_calls.end())
        return;
    const std::unique_ptr<Call> call = std::move(it->second);
    m_calls.erase(it);

    result.ok = result.error.isEmpty();
    if (result.model.isEmpty())
        result.model = call->request.model;
    if (call->backend) {
        result.backend = call->backend->name();
        result.provider = call->backend->provider();
    }
    result.attempts = call->attempts;
    result.latencyMs = double(call->clock.nsecsElapsed()) / 1e6;
    if (call->done)
        call->done(result);
}

} // namespace agentdesk
