#include "admissioncontrol.h"

#include <algorithm>
#include <cmath>

namespace agentdesk {

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxRetryAfterSeconds = 60;
constexpr qint64 kRateSampleMs = 1000;

} // namespace

void AdmissionControl::setQueueLimit(int maxQueueDepth)
{
    m_queueLimit = std::max(1, maxQueueDepth);
    m_admissionLimit = std::max(1, m_queueLimit - m_queueLimit / 5);
}

AdmissionControl::Refusal AdmissionControl::refuse(int queueDepth, const QList<AgentBacklog> &backlog, quint64 handled)
{
    ++m_refused;
    return Refusal{cause(queueDepth, backlog), retryAfterSeconds(queueDepth, handled)};
}

Saturation AdmissionControl::saturation(int queueDepth, QList<AgentBacklog> backlog) const
{
    std::stable_sort(backlog.begin(), backlog.end(),
                     [](const AgentBacklog &a, const AgentBacklog &b) { return a.queued > b.queued; });
    Saturation saturation;
    saturation.queueDepth = queueDepth;
    saturation.queueLimit = m_queueLimit;
    saturation.admissionLimit = m_admissionLimit;
    saturation.injectsRefused = m_refused;
    saturation.saturated = !admits(queueDepth);
    if (saturation.saturated)
        saturation.cause = cause(queueDepth, backlog);
    saturation.backlog = std::move(backlog);
    return saturation;
}

QString AdmissionControl::cause(int queueDepth, const QList<AgentBacklog> &backlog) const
{
    QString text = u"the organism is saturated: %1 messages are waiting for a handler (new injects are admitted "
                   "below %2, max_queue_depth is %3)"_s.arg(queueDepth)
                       .arg(m_admissionLimit)
                       .arg(m_queueLimit);
    const auto bottleneck = std::max_element(
        backlog.cbegin(), backlog.cend(),
        [](const AgentBacklog &a, const AgentBacklog &b) { return a.queued < b.queued; });
    if (bottleneck == backlog.cend() || bottleneck->queued == 0)
        return text;
    text += u"; the bottleneck is %1 (%2 waiting, %3 running"_s.arg(bottleneck->agent)
                .arg(bottleneck->queued)
                .arg(bottleneck->inFlight);
    if (bottleneck->rateLimitWaitSeconds > 0)
        text += u"; its LLM calls wait %1 s for a backend's rate limit"_s.arg(bottleneck->rateLimitWaitSeconds, 0, 'f',
                                                                              1);
    return text + u')';
}

int AdmissionControl::retryAfterSeconds(int queueDepth, quint64 handled)
{
    if (!m_rateClock.isValid()) {
        m_rateClock.start();
        m_rateHandled = handled;
    } else if (const qint64 elapsed = m_rateClock.elapsed(); elapsed >= kRateSampleMs) {
        m_handledPerSecond = double(handled - m_rateHandled) * 1000.0 / double(elapsed);
        m_rateClock.restart();
        m_rateHandled = handled;
    }
    const double excess = double(queueDepth - m_admissionLimit + 1);
    if (m_handledPerSecond <= 0)
        return 1;
    return std::clamp(int(std::ceil(excess / m_handledPerSecond)), 1, kMaxRetryAfterSeconds);
}

} // namespace agentdesk
