#include "llmbackend.h"

#include <algorithm>
#include <cmath>
#include <vector>

using namespace Qt::StringLiterals;

namespace agentdesk {

Q_LOGGING_CATEGORY(lcLlm, "agentdesk.llm")

LlmBackend::LlmBackend(const LlmBackendConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_bucket(config.rateLimitTpm)
    , m_refillTimer(this) // a child, so it follows the backend to the router's thread
{
    m_config.maxConcurrent = std::max(1, m_config.maxConcurrent);
    m_clock.start();
    m_refillTimer.setSingleShot(true);
    connect(&m_refillTimer, &QTimer::timeout, this, &LlmBackend::admit);
}

LlmBackend::~LlmBackend() = default;

bool LlmBackend::serves(const QString &model) const
{
    if (!m_config.models.isEmpty())
        return m_config.models.contains(model);
    return servesByConvention(model);
}

QString LlmBackend::problem() const
{
    return {};
}

quint64 LlmBackend::send(const LlmRequest &request, ReplyHandler handler, PartialHandler partial)
{
    const quint64 id = ++m_nextId;
    m_waiting.push_back(
        Waiting{id, request, admissionEstimate(request), std::move(handler), std::move(partial), m_clock.elapsed()});
    admit();
    return id;
}

bool LlmBackend::takesTools() const
{
    switch (m_config.toolMode) {
    case LlmToolMode::Native:
        return true;
    case LlmToolMode::Xml:
        return false;
    case LlmToolMode::Auto:
        break;
    }
    return nativeToolsByDefault();
}

void LlmBackend::abort(quint64 attemptId)
{
    const auto waiting = std::find_if(m_waiting.begin(), m_waiting.end(),
                                      [attemptId](const Waiting &w) { return w.id == attemptId; });
    if (waiting != m_waiting.end()) {
        m_waiting.erase(waiting);
        admit();
        return;
    }
    if (m_running.remove(attemptId)) {
        stop(attemptId);
        admit();
    }
}

void LlmBackend::finish(quint64 attemptId, const BackendReply &reply)
{
    const auto it = m_running.find(attemptId);
    if (it == m_running.end())
        return;
    const ReplyHandler handler = std::move(it->handler);
    m_stats.attemptEnded(reply, double(it->clock.nsecsElapsed()) / 1e6, QDateTime::currentDateTimeUtc());
    m_running.erase(it);
    admit();
    handler(reply);
}

void LlmBackend::progress(quint64 attemptId, const QString &text)
{
    const auto it = m_running.constFind(attemptId);
    if (it != m_running.cend() && it->partial)
        it->partial(text);
}

void LlmBackend::admit()
{
    // Strict FIFO: a small call never overtakes a large one waiting for tokens, so none starves.
    while (!m_waiting.empty() && m_running.size() < m_config.maxConcurrent) {
        const qint64 wait = m_bucket.msUntilAvailable(m_waiting.front().tokens, m_clock.elapsed());
        if (wait > 0) {
            if (!m_refillTimer.isActive() || m_refillTimer.remainingTime() > wait)
                m_refillTimer.start(int(std::min<qint64>(wait, 60000)));
            return;
        }
        Waiting next = std::move(m_waiting.front());
        m_waiting.pop_front();
        m_bucket.take(next.tokens, m_clock.elapsed());
        Running running{std::move(next.handler), std::move(next.partial), {}, next.request.agentId};
        running.clock.start();
        m_running.insert(next.id, std::move(running));
        start(next.id, next.request);
    }
}

double LlmBackend::load() const
{
    return double(m_running.size() + m_waiting.size()) / double(m_config.maxConcurrent);
}

LlmBackendStatus LlmBackend::status() const
{
    LlmBackendStatus status;
    status.name = m_config.name;
    status.provider = m_config.provider;
    status.active = active();
    status.queued = queued();
    status.maxConcurrent = m_config.maxConcurrent;
    status.waitingForTokens = !m_waiting.empty() && m_running.size() < m_config.maxConcurrent;
    return status;
}

qint64 LlmBackend::rateLimitWaitMs(const QString &agentId) const
{
    // With a free slot, whatever still waits waits for tokens (admit() starts all it can).
    if (m_waiting.empty() || m_running.size() >= m_config.maxConcurrent)
        return 0;
    const qint64 now = m_clock.elapsed();
    for (const Waiting &waiting : m_waiting) { // oldest first
        if (waiting.request.agentId == agentId)
            return now - waiting.queuedAtMs;
    }
    return 0;
}

LlmBackendState LlmBackend::state() const
{
    LlmBackendState state;
    state.name = m_config.name;
    state.provider = m_config.provider;
    state.models = m_config.models;
    state.endpoint = endpointText();
    state.streaming = streams();
    state.nativeTools = takesTools();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    state.health = m_stats.health(now, &state.rateLimitedForSeconds);
    if (state.health == LlmBackendState::Health::Failing) {
        state.lastError = m_stats.lastError();
        state.failingSince = m_stats.failingSince();
    }
    state.rateLimitTpm = m_bucket.unlimited() ? 0 : m_config.rateLimitTpm;
    state.tokensLeft = m_bucket.unlimited() ? 0 : qint64(std::floor(m_bucket.levelAt(m_clock.elapsed())));
    state.active = active();
    state.queued = queued();
    state.maxConcurrent = m_config.maxConcurrent;
    state.waitingForTokens = status().waitingForTokens;
    for (const Running &running : m_running)
        state.agents.append(running.agent);
    for (const Waiting &waiting : m_waiting)
        state.agents.append(waiting.request.agentId);
    state.agents.removeAll(QString());
    state.agents.sort();
    state.agents.removeDuplicates();
    state.calls = m_stats.calls();
    state.latencyP50Ms = m_stats.latencyPercentile(0.50);
    state.latencyP95Ms = m_stats.latencyPercentile(0.95);
    state.ttftP50Ms = m_stats.ttftPercentile(0.50);
    state.ttftP95Ms = m_stats.ttftPercentile(0.95);
    return state;
}

// --- BackendStats ---------------------------------------------------------------------------------

void BackendStats::push(std::deque<double> &window, double value)
{
    window.push_back(value);
    if (window.size() > size_t(kWindow))
        window.pop_front();
}

std::optional<double> BackendStats::percentile(const std::deque<double> &window, double p)
{
    if (window.empty())
        return std::nullopt;
    std::vector<double> sorted(window.cbegin(), window.cend());
    std::sort(sorted.begin(), sorted.end());
    // Nearest rank: the smallest value with at least p of the samples at or below it.
    const size_t rank = size_t(std::ceil(p * double(sorted.size())));
    return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

void BackendStats::attemptEnded(const BackendReply &reply, double durationMs, const QDateTime &now)
{
    ++m_calls;
    if (reply.ok) {
        push(m_latencies, durationMs);
        if (reply.result.ttftMs)
            push(m_ttfts, *reply.result.ttftMs);
        m_failingSince = {};
        m_lastError.clear();
        return;
    }
    if (reply.httpStatus == 429) {
        // Rate-limited is not failing: the provider says when to come back (a minute when it does not).
        m_rateLimitedUntil = now.addMSecs(qint64(reply.retryAfterSeconds.value_or(60.0) * 1000));
        return;
    }
    m_lastError = reply.error;
    if (!m_failingSince.isValid())
        m_failingSince = now;
}

LlmBackendState::Health BackendStats::health(const QDateTime &now, double *waitSeconds) const
{
    *waitSeconds = 0;
    if (m_rateLimitedUntil.isValid() && m_rateLimitedUntil > now) {
        *waitSeconds = double(now.msecsTo(m_rateLimitedUntil)) / 1000.0;
        return LlmBackendState::Health::RateLimited;
    }
    return m_failingSince.isValid() ? LlmBackendState::Health::Failing : LlmBackendState::Health::Ok;
}

qint64 LlmBackend::promptCharacters(const LlmRequest &request)
{
    qint64 characters = 0;
    for (const LlmMessage &message : request.messages)
        characters += message.content.size();
    return characters;
}

qint64 LlmBackend::admissionEstimate(const LlmRequest &request)
{
    return std::max<qint64>(100, promptCharacters(request) / 4);
}

qint64 LlmBackend::estimateTokens(qsizetype characters)
{
    return (qint64(characters) + 3) / 4;
}

} // namespace agentdesk
