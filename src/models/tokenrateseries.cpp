#include "tokenrateseries.h"

#include "session.h"

#include <algorithm>

namespace agentdesk {

namespace {
constexpr int kTickMs = 5000;
}

TokenRateSeries::TokenRateSeries(Session *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    connect(session, &Session::stateChanged, this, [this](Session::State state) {
        if (state == Session::State::Connected)
            reload();
    });
    connect(session, &Session::usageRecorded, this, &TokenRateSeries::onUsage);
    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, &TokenRateSeries::advance);
    m_tick.start();
    if (session->isConnected())
        reload();
}

void TokenRateSeries::setWindowMinutes(int minutes)
{
    m_minutes = std::max(1, minutes);
    reload();
}

void TokenRateSeries::setClock(Clock clock)
{
    m_clock = std::move(clock);
    reload();
}

qint64 TokenRateSeries::currentMinute() const
{
    return minuteOf(m_clock());
}

qint64 TokenRateSeries::firstMinute() const
{
    return currentMinute() - m_minutes + 1;
}

QDateTime TokenRateSeries::windowStart() const
{
    return QDateTime::fromMSecsSinceEpoch(firstMinute() * 60000, Qt::UTC);
}

QDateTime TokenRateSeries::windowEnd() const
{
    return QDateTime::fromMSecsSinceEpoch(currentMinute() * 60000, Qt::UTC);
}

QList<TokenRatePoint> TokenRateSeries::points() const
{
    QList<TokenRatePoint> out;
    const qint64 first = firstMinute();
    for (auto it = m_buckets.lower_bound(first); it != m_buckets.end(); ++it) {
        const QDateTime start = QDateTime::fromMSecsSinceEpoch(it->first * 60000, Qt::UTC);
        for (const QString &model : m_models) {
            const qint64 tokens = it->second.value(model);
            if (tokens > 0)
                out.append(TokenRatePoint{start, model, tokens});
        }
    }
    return out;
}

QStringList TokenRateSeries::models() const
{
    return m_models;
}

QList<qint64> TokenRateSeries::tokensPerMinute(const QString &model) const
{
    QList<qint64> out;
    out.reserve(m_minutes);
    const qint64 first = firstMinute();
    for (qint64 minute = first; minute < first + m_minutes; ++minute) {
        const auto it = m_buckets.find(minute);
        out.append(it == m_buckets.end() ? 0 : it->second.value(model));
    }
    return out;
}

qint64 TokenRateSeries::peakTokensPerMinute() const
{
    qint64 peak = 0;
    for (auto it = m_buckets.lower_bound(firstMinute()); it != m_buckets.end(); ++it) {
        for (const qint64 tokens : it->second)
            peak = std::max(peak, tokens);
    }
    return peak;
}

void TokenRateSeries::reload()
{
    const quint64 generation = ++m_generation;
    m_buckets.clear();
    m_models.clear();
    m_early.clear();
    if (!m_session->isConnected()) {
        m_loading = false;
        emit changed();
        return;
    }
    m_loading = true;
    m_cut = m_clock();
    m_session->fetchUsageBuckets(
        UsageBucketSize::Minute, UsageGroupBy::Model, windowStart(), m_cut, this,
        [this, generation](const QList<UsageBucket> &buckets, const QString &error) {
            if (generation != m_generation)
                return;
            m_loading = false;
            m_unavailable = error;
            if (error.isEmpty()) {
                for (const UsageBucket &bucket : buckets) {
                    if (bucket.totalTokens <= 0)
                        continue;
                    m_buckets[minuteOf(bucket.start)][bucket.key] += bucket.totalTokens;
                    if (!m_models.contains(bucket.key))
                        m_models.append(bucket.key);
                }
            }
            const QList<UsageEvent> early = std::exchange(m_early, {});
            for (const UsageEvent &event : early)
                add(event);
            prune();
            emit changed();
        });
}

bool TokenRateSeries::add(const UsageEvent &event)
{
    if (event.timestamp <= m_cut || event.totalTokens <= 0)
        return false; // in the seed already, or nothing to draw
    const qint64 minute = minuteOf(event.timestamp);
    if (minute < firstMinute())
        return false;
    m_buckets[minute][event.model] += event.totalTokens;
    if (!m_models.contains(event.model))
        m_models.append(event.model);
    return true;
}

void TokenRateSeries::onUsage(const QList<UsageEvent> &events)
{
    if (m_loading) {
        m_early.append(events);
        return;
    }
    bool added = false;
    for (const UsageEvent &event : events)
        added = add(event) || added;
    if (added)
        emit changed();
}

void TokenRateSeries::advance()
{
    if (m_loading || firstMinute() == m_prunedAt)
        return;
    prune();
    emit changed();
}

void TokenRateSeries::prune()
{
    const qint64 first = firstMinute();
    m_prunedAt = first;
    m_buckets.erase(m_buckets.begin(), m_buckets.lower_bound(first));
    m_models.removeIf([this](const QString &model) {
        return std::none_of(m_buckets.cbegin(), m_buckets.cend(),
                            [&model](const auto &bucket) { return bucket.second.value(model) > 0; });
    });
}

} // namespace agentdesk
