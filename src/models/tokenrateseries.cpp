#include "tokenrateseries.h"

#include "session.h"

#include <algorithm>

namespace agentdesk {

namespace {

constexpr int kTickMs = 5000;

qint64 secondsOf(UsageBucketSize size)
{
    switch (size) {
    case UsageBucketSize::Minute:
        return 60;
    case UsageBucketSize::Hour:
        return 3600;
    case UsageBucketSize::Day:
        break;
    }
    return 86400;
}

// Minutes up to two hours, hours up to three days (a week of hours is 168 bars), days beyond.
UsageBucketSize sizeFor(qint64 spanSeconds)
{
    if (spanSeconds <= 2 * 3600)
        return UsageBucketSize::Minute;
    if (spanSeconds <= 7 * 86400)
        return UsageBucketSize::Hour;
    return UsageBucketSize::Day;
}

} // namespace

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
    setRange(UsageRange::last(UsageRange::Preset::LastHour));
}

void TokenRateSeries::setFilter(const UsageSeriesFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    reload();
}

void TokenRateSeries::setRange(const UsageRange &range)
{
    m_range = range;
    switch (range.preset) {
    case UsageRange::Preset::Last15Minutes:
        m_size = UsageBucketSize::Minute;
        m_count = 15;
        break;
    case UsageRange::Preset::LastHour:
        m_size = UsageBucketSize::Minute;
        m_count = 60;
        break;
    case UsageRange::Preset::Last24Hours:
        m_size = UsageBucketSize::Hour;
        m_count = 24;
        break;
    case UsageRange::Preset::Last7Days:
        m_size = UsageBucketSize::Hour;
        m_count = 7 * 24;
        break;
    case UsageRange::Preset::Custom:
        if (!m_range.to.isValid() || !m_range.from.isValid() || m_range.to < m_range.from)
            m_range.to = m_range.from.isValid() ? m_range.from : m_clock();
        if (!m_range.from.isValid())
            m_range.from = m_range.to.addSecs(-3600);
        m_size = sizeFor(m_range.from.secsTo(m_range.to));
        break;
    }
    reload();
}

void TokenRateSeries::setClock(Clock clock)
{
    m_clock = std::move(clock);
    reload();
}

qint64 TokenRateSeries::bucketSeconds() const
{
    return secondsOf(m_size);
}

qint64 TokenRateSeries::lastBucket() const
{
    return bucketOf(m_range.follows() ? m_clock() : m_range.to);
}

qint64 TokenRateSeries::firstBucket() const
{
    return m_range.follows() ? lastBucket() - m_count + 1 : bucketOf(m_range.from);
}

int TokenRateSeries::bucketCount() const
{
    return int(lastBucket() - firstBucket() + 1);
}

QDateTime TokenRateSeries::bucketStart(qint64 bucket) const
{
    return QDateTime::fromSecsSinceEpoch(bucket * bucketSeconds(), Qt::UTC);
}

QDateTime TokenRateSeries::windowStart() const
{
    return bucketStart(firstBucket());
}

QDateTime TokenRateSeries::windowEnd() const
{
    return bucketStart(lastBucket());
}

QList<TokenRatePoint> TokenRateSeries::points() const
{
    QList<TokenRatePoint> out;
    const qint64 last = lastBucket();
    for (auto it = m_buckets.lower_bound(firstBucket()); it != m_buckets.end() && it->first <= last; ++it) {
        for (const QString &model : m_models) {
            const qint64 tokens = it->second.value(model);
            if (tokens > 0)
                out.append(TokenRatePoint{bucketStart(it->first), model, tokens});
        }
    }
    return out;
}

QStringList TokenRateSeries::models() const
{
    return m_models;
}

QList<qint64> TokenRateSeries::tokensPerBucket(const QString &model) const
{
    QList<qint64> out;
    const qint64 first = firstBucket();
    const qint64 last = lastBucket();
    out.reserve(last - first + 1);
    for (qint64 bucket = first; bucket <= last; ++bucket) {
        const auto it = m_buckets.find(bucket);
        out.append(it == m_buckets.end() ? 0 : it->second.value(model));
    }
    return out;
}

qint64 TokenRateSeries::peakTokensPerBucket() const
{
    qint64 peak = 0;
    const qint64 last = lastBucket();
    for (auto it = m_buckets.lower_bound(firstBucket()); it != m_buckets.end() && it->first <= last; ++it) {
        for (const qint64 tokens : it->second)
            peak = std::max(peak, tokens);
    }
    return peak;
}

qint64 TokenRateSeries::totalTokens() const
{
    qint64 sum = 0;
    for (const TokenRatePoint &point : points())
        sum += point.tokens;
    return sum;
}

qint64 TokenRateSeries::requestCount() const
{
    qint64 sum = 0;
    for (auto it = m_calls.lower_bound(firstBucket()); it != m_calls.end() && it->first <= lastBucket(); ++it)
        sum += it->second.count;
    return sum;
}

double TokenRateSeries::totalCost() const
{
    double sum = 0;
    for (auto it = m_calls.lower_bound(firstBucket()); it != m_calls.end() && it->first <= lastBucket(); ++it)
        sum += it->second.cost;
    return sum;
}

qint64 TokenRateSeries::unpricedRequests() const
{
    qint64 sum = 0;
    for (auto it = m_calls.lower_bound(firstBucket()); it != m_calls.end() && it->first <= lastBucket(); ++it)
        sum += it->second.unpriced;
    return sum;
}

void TokenRateSeries::reload()
{
    const quint64 generation = ++m_generation;
    m_buckets.clear();
    m_calls.clear();
    m_models.clear();
    m_early.clear();
    if (!m_session->isConnected()) {
        m_loading = false;
        emit changed();
        return;
    }
    m_loading = true;
    m_cut = m_clock();
    const QDateTime until = m_range.follows() ? m_cut : std::min(m_cut, m_range.to);
    m_session->fetchUsageBuckets(m_size, UsageGroupBy::Model, windowStart(), until, m_filter, this,
                                 [this, generation](const Result<QList<UsageBucket>> &buckets) {
                                     if (generation != m_generation)
                                         return;
                                     m_loading = false;
                                     m_unavailable = failureText(buckets);
                                     if (buckets.has_value()) {
                                         for (const UsageBucket &bucket : *buckets) {
                                             Calls &calls = m_calls[bucketOf(bucket.start)];
                                             calls.count += bucket.requestCount;
                                             calls.cost += bucket.totalCost;
                                             if (bucket.totalTokens <= 0)
                                                 continue;
                                             m_buckets[bucketOf(bucket.start)][bucket.key] += bucket.totalTokens;
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
    if (event.timestamp <= m_cut || !m_filter.matches(event))
        return false; // in the seed already, or filtered out
    const qint64 bucket = bucketOf(event.timestamp);
    if (bucket < firstBucket() || bucket > lastBucket())
        return false;
    Calls &calls = m_calls[bucket];
    ++calls.count;
    if (event.estimatedCost)
        calls.cost += *event.estimatedCost;
    else
        ++calls.unpriced;
    if (event.totalTokens > 0) {
        m_buckets[bucket][event.model] += event.totalTokens;
        if (!m_models.contains(event.model))
            m_models.append(event.model);
    }
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
    if (m_loading || !m_range.follows() || firstBucket() == m_prunedAt)
        return;
    prune();
    emit changed();
}

void TokenRateSeries::prune()
{
    const qint64 first = firstBucket();
    m_prunedAt = first;
    m_buckets.erase(m_buckets.begin(), m_buckets.lower_bound(first));
    m_calls.erase(m_calls.begin(), m_calls.lower_bound(first));
    m_models.removeIf([this](const QString &model) {
        return std::none_of(m_buckets.cbegin(), m_buckets.cend(),
                            [&model](const auto &bucket) { return bucket.second.value(model) > 0; });
    });
}

} // namespace agentdesk
