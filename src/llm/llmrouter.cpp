#include "llmrouter.h"

#include "anthropicbackend.h"
#include "demobackend.h"
#include "scriptedbackend.h"
#include "ollamabackend.h"
#include "openaicompatiblebackend.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace agentdesk {

struct LlmRouter::Call
{
    LlmRequest request;
    Handlers handlers;
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
    if (config.provider == u"scripted")
        return new ScriptedBackend(config, parent);
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
    m_backends = createBackends(config, this, &m_problems);
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
    qDeleteAll(m_retired);
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

QList<LlmBackend *> LlmRouter::createBackends(const LlmConfig &config, QObject *parent, QStringList *problems) const
{
    QList<LlmBackend *> backends;
    for (const LlmBackendConfig &backendConfig : config.backends) {
        const QString label = u"llm backend \"%1\" (provider %2)"_s.arg(backendConfig.name, backendConfig.provider);
        // The only place a key is read; it lives on in the backend and nowhere else.
        const QString key = backendConfig.apiKeyEnv.isEmpty()
            ? QString()
            : qEnvironmentVariable(qPrintable(backendConfig.apiKeyEnv));
        LlmBackend *backend = createBackend(backendConfig, key.trimmed(), m_network, parent);
        if (!backend) {
            problems->append(label + u": unknown provider"_s);
            continue;
        }
        if (const QString problem = backend->problem(); !problem.isEmpty()) {
            problems->append(label + u": "_s + problem);
            delete backend;
            continue;
        }
        backends.append(backend);
    }
    std::stable_sort(backends.begin(), backends.end(),
                     [](const LlmBackend *a, const LlmBackend *b) { return a->priority() < b->priority(); });
    return backends;
}

bool LlmRouter::check(const LlmConfig &config, const QStringList &models, QStringList *unserved, QString *error) const
{
    QStringList problems;
    const QList<LlmBackend *> candidates = createBackends(config, nullptr, &problems);
    for (const QString &model : models) {
        const bool served = std::any_of(candidates.cbegin(), candidates.cend(),
                                        [&model](const LlmBackend *backend) { return backend->serves(model); });
        if (!served && unserved)
            unserved->append(model);
    }
    qDeleteAll(candidates);
    if (!problems.isEmpty()) {
        *error = u"LLM backends cannot be used: "_s + problems.join(u"; "_s);
        return false;
    }
    return true;
}

bool LlmRouter::reconfigure(const LlmConfig &config, QString *error)
{
    QStringList problems;
    const QList<LlmBackend *> next = createBackends(config, this, &problems);
    if (!problems.isEmpty()) {
        qDeleteAll(next);
        *error = u"LLM backends cannot be used: "_s + problems.join(u"; "_s);
        return false;
    }
    m_retired += std::exchange(m_backends, next);
    m_problems.clear();
    m_retry = RetryPolicy(config);
    m_strategy = parseStrategy(config.strategy);
    m_roundRobin.clear();
    for (const auto &[id, call] : m_calls) {
        call->candidates = candidatesFor(call->request.model);
        call->tried.clear();
    }
    retireUnused();
    return true;
}

// Deletes the replaced backends no call refers to any more (its attempt there finished or it moved on).
void LlmRouter::retireUnused()
{
    for (auto it = m_retired.begin(); it != m_retired.end();) {
        LlmBackend *backend = *it;
        const bool referred = std::any_of(m_calls.cbegin(), m_calls.cend(),
                                          [backend](const auto &entry) { return entry.second->backend == backend; });
        if (referred) {
            ++it;
            continue;
        }
        it = m_retired.erase(it);
        backend->deleteLater(); // it may be inside its own reply handler right now
    }
}

double LlmRouter::rateLimitWaitSeconds(const QString &agentId) const
{
    qint64 longest = 0;
    for (const LlmBackend *backend : m_backends)
        longest = std::max(longest, backend->rateLimitWaitMs(agentId));
    return double(longest) / 1000.0;
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

LlmToolMode LlmRouter::toolModeFor(const QString &model, LlmToolMode preferred) const
{
    if (preferred == LlmToolMode::Xml)
        return LlmToolMode::Xml;
    const QList<LlmBackend *> candidates = candidatesFor(model);
    if (candidates.isEmpty())
        return LlmToolMode::Xml;
    // A retry may go to any candidate: native only when each of them sends tools. An agent's explicit
    // `native` overrides a backend's auto, never a backend's `xml`.
    for (const LlmBackend *backend : candidates) {
        const LlmToolMode own = backend->config().toolMode;
        if (own == LlmToolMode::Xml
            || (own == LlmToolMode::Auto && preferred == LlmToolMode::Auto && !backend->takesTools()))
            return LlmToolMode::Xml;
        if (backend->provider() == u"demo")
            return LlmToolMode::Xml;
    }
    return LlmToolMode::Native;
}

QList<LlmBackendState> LlmRouter::backendStates() const
{
    QList<LlmBackendState> states;
    for (const LlmBackend *backend : m_backends)
        states.append(backend->state());
    return states;
}

quint64 LlmRouter::complete(const LlmRequest &request, Completion done)
{
    Handlers handlers;
    handlers.done = std::move(done);
    return call(request, std::move(handlers));
}

quint64 LlmRouter::call(const LlmRequest &request, Handlers handlers)
{
    const quint64 id = ++m_nextCallId;
    auto call = std::make_unique<Call>();
    call->request = request;
    call->handlers = std::move(handlers);
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
    if (call->attemptId != 0) {
        // The request is with the provider, which may bill what it generates: report it as aborted.
        if (call->backend->isOnTheWire(call->attemptId) && call->handlers.attemptEnded) {
            LlmResult aborted;
            aborted.outcome = UsageOutcome::Aborted;
            aborted.error = u"cancelled while the request was with %1"_s.arg(call->backend->name());
            describe(*call, &aborted);
            call->handlers.attemptEnded(aborted);
        }
        call->backend->abort(call->attemptId);
    }
    if (!m_retired.isEmpty())
        retireUnused();
}

// The attempt's who and when: backend, provider, model (the requested one unless the provider said),
// attempt count and the call's latency so far.
void LlmRouter::describe(const Call &call, LlmResult *result) const
{
    if (result->model.isEmpty())
        result->model = call.request.model;
    if (call.backend) {
        result->backend = call.backend->name();
        result->provider = call.backend->provider();
    }
    result->attempts = call.attempts;
    result->latencyMs = double(call.clock.nsecsElapsed()) / 1e6;
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
        return *std::min_element(pool.cbegin(), pool.cend(),
                                 [](const LlmBackend *a, const LlmBackend *b) { return a->load() < b->load(); });
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
    if (call.candidates.isEmpty()) { // a reload took away every backend of this model
        fail(callId, u"No backend available for model '%1'"_s.arg(call.request.model));
        return;
    }
    LlmBackend *backend = pick(call);
    call.tried.insert(backend);
    call.backend = backend;
    if (!m_retired.isEmpty())
        retireUnused(); // this call may have been the last to refer to a replaced backend
    ++call.attempts;
    LlmBackend::PartialHandler partial;
    if (call.handlers.partial) {
        partial = [this, callId, attempt = call.attempts](const QString &text) {
            const auto found = m_calls.find(callId);
            if (found != m_calls.end() && found->second->handlers.partial)
                found->second->handlers.partial(LlmPartial{attempt, text});
        };
    }
    call.attemptId = backend->send(
        call.request, [this, callId](const BackendReply &reply) { onReply(callId, reply); }, std::move(partial));
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
    LlmResult attempt = reply.result; // what the provider billed for it, and how it ended
    attempt.ok = false;
    if (!reply.retryable || call.attempts >= m_retry.maxAttempts()) {
        qCWarning(lcLlm).noquote() << "model" << call.request.model << "attempt" << call.attempts
                                   << "failed, giving up:" << call.lastError;
        attempt.error = u"All backends failed for %1: %2"_s.arg(call.request.model, call.lastError);
        deliver(callId, attempt);
        return;
    }
    if (call.handlers.attemptEnded) {
        attempt.error = call.lastError;
        describe(call, &attempt);
        call.handlers.attemptEnded(attempt);
    }
    if (call.handlers.mayRetry && !call.handlers.mayRetry()) {
        LlmResult stopped; // already reported above: carries no usage of its own
        stopped.outcome = UsageOutcome::Error;
        stopped.error = u"%1 (no budget left for a retry)"_s.arg(call.lastError);
        deliver(callId, stopped);
        return;
    }
    retryLater(call, reply);
}

void LlmRouter::retryLater(Call &call, const BackendReply &reply)
{
    const double seconds = m_retry.delaySeconds(call.attempts - 1, reply.retryAfterSeconds,
                                                QRandomGenerator::global()->generateDouble());
    qCInfo(lcLlm).noquote() << "model" << call.request.model << "attempt" << call.attempts
                            << "failed:" << call.lastError << "- retrying in" << seconds << "s";
    call.retryTimer->start(int(std::min(seconds * 1000.0, double(INT_MAX))));
}

void LlmRouter::fail(quint64 callId, const QString &error)
{
    LlmResult result;
    result.error = error;
    result.outcome = UsageOutcome::Error;
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
    describe(*call, &result);
    if (!m_retired.isEmpty())
        retireUnused();
    if (call->handlers.done)
        call->handlers.done(result);
}

} // namespace agentdesk
