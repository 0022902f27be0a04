#include "llmbackend.h"

#include <algorithm>

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

quint64 LlmBackend::send(const LlmRequest &request, ReplyHandler handler)
{
    const quint64 id = ++m_nextId;
    m_waiting.push_back(Waiting{id, request, admissionEstimate(request), std::move(handler), m_clock.elapsed()});
    admit();
    return id;
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
    const ReplyHandler handler = m_running.take(attemptId);
    if (!handler)
        return;
    admit();
    handler(reply);
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
        m_running.insert(next.id, std::move(next.handler));
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
