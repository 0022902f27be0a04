#include "loadseries.h"

#include "session.h"

#include <algorithm>

namespace agentdesk {

namespace {
constexpr qint64 kMinSampleMs = 250; // bursts of organismChanged make one sample, not dozens
}

LoadSeries::LoadSeries(Session *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    connect(session, &Session::organismChanged, this, &LoadSeries::onOrganism);
    connect(session, &Session::stateChanged, this, [this] {
        m_samples.clear();
        m_lastTotal = -1;
        onOrganism();
    });
}

void LoadSeries::setWindowSeconds(int seconds)
{
    m_windowSeconds = std::max(10, seconds);
}

void LoadSeries::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

std::optional<LoadSeries::Sample> LoadSeries::latest() const
{
    if (m_samples.isEmpty())
        return std::nullopt;
    return m_samples.constLast();
}

int LoadSeries::peakQueueDepth() const
{
    int peak = 0;
    for (const Sample &sample : m_samples)
        peak = std::max({peak, sample.queueDepth});
    return peak;
}

double LoadSeries::peakMessagesPerSecond() const
{
    double peak = 0;
    for (const Sample &sample : m_samples)
        peak = std::max(peak, sample.messagesPerSecond);
    return peak;
}

void LoadSeries::onOrganism()
{
    if (!m_session->isConnected())
        return;
    const QDateTime now = m_clock();
    const OrganismInfo info = m_session->organism();
    Sample sample;
    sample.time = now;
    sample.queueDepth = info.saturation.queueDepth;
    sample.queueLimit = info.saturation.queueLimit;
    sample.injectsRefused = info.saturation.injectsRefused;
    if (m_session->abilities().reportsLoad) {
        sample.messagesPerSecond = info.saturation.messagesPerSecond;
    } else if (m_lastTotal >= 0 && m_lastTotalAt.msecsTo(now) > 0) {
        sample.messagesPerSecond = double(std::max<qint64>(0, info.totalMessages - m_lastTotal)) * 1000.0
            / double(m_lastTotalAt.msecsTo(now));
    }
    if (!m_samples.isEmpty() && m_samples.constLast().time.msecsTo(now) < kMinSampleMs) {
        // Within the same instant: the newer figures replace the older (the rate base stays).
        sample.messagesPerSecond = m_session->abilities().reportsLoad ? sample.messagesPerSecond
                                                                      : m_samples.constLast().messagesPerSecond;
        m_samples.last() = sample;
    } else {
        m_samples.append(sample);
        m_lastTotal = info.totalMessages;
        m_lastTotalAt = now;
    }
    const QDateTime first = now.addSecs(-m_windowSeconds);
    m_samples.removeIf([&first](const Sample &s) { return s.time < first; });
    emit changed();
}

} // namespace agentdesk
