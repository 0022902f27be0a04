#include "loadmeter.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <memory>

namespace agentdesk {

namespace {
constexpr double kSmallestMs = 0.001; // the lower edge of bucket 0
constexpr double kBucketRatio = 1.15;
} // namespace

LoadMeter::LoadMeter(Clock clock)
    : m_clock(std::move(clock))
{
    if (!m_clock) {
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        m_clock = [timer] { return timer->elapsed(); };
    }
    m_startSecond = m_clock() / 1000;
}

LoadMeter::Second &LoadMeter::current()
{
    const qint64 second = m_clock() / 1000;
    Second &slot = m_seconds[std::size_t(second % kSeconds)];
    if (slot.second != second)
        slot = Second{second, 0, 0, 0, {}};
    return slot;
}

int LoadMeter::bucketOf(double durationMs)
{
    if (!(durationMs > kSmallestMs))
        return 0;
    const int bucket = int(std::log(durationMs / kSmallestMs) / std::log(kBucketRatio));
    return std::clamp(bucket, 0, kBuckets - 1);
}

double LoadMeter::valueOf(int bucket)
{
    // The geometric middle of the bucket.
    return kSmallestMs * std::pow(kBucketRatio, bucket + 0.5);
}

void LoadMeter::messagesRecorded(qint64 count)
{
    current().messages += count;
}

void LoadMeter::handlerEnded(double durationMs)
{
    Second &slot = current();
    ++slot.handled;
    ++slot.durations[std::size_t(bucketOf(durationMs))];
}

void LoadMeter::threadFailed()
{
    ++current().threadErrors;
}

LoadMeter::Figures LoadMeter::figures() const
{
    const qint64 now = m_clock() / 1000;
    Figures figures;
    qint64 recentMessages = 0;
    std::array<qint64, kBuckets> durations{};
    for (const Second &slot : m_seconds) {
        const qint64 age = now - slot.second;
        if (slot.second < 0 || age < 0 || age >= kSeconds)
            continue;
        if (age < kRateSeconds)
            recentMessages += slot.messages;
        figures.handledLastMinute += slot.handled;
        figures.threadErrorsLastMinute += slot.threadErrors;
        for (int i = 0; i < kBuckets; ++i)
            durations[std::size_t(i)] += slot.durations[std::size_t(i)];
    }
    // The current second counts as a whole one: a rate over [now - 9 s, now] would undercount it.
    const qint64 span = std::clamp<qint64>(now - m_startSecond + 1, 1, kRateSeconds);
    figures.messagesPerSecond = double(recentMessages) / double(span);
    if (figures.handledLastMinute == 0)
        return figures;
    const auto percentile = [&](double fraction) {
        const qint64 rank = std::max<qint64>(1, qint64(std::ceil(fraction * double(figures.handledLastMinute))));
        qint64 seen = 0;
        for (int i = 0; i < kBuckets; ++i) {
            seen += durations[std::size_t(i)];
            if (seen >= rank)
                return valueOf(i);
        }
        return valueOf(kBuckets - 1);
    };
    figures.handlerP50Ms = percentile(0.50);
    figures.handlerP95Ms = percentile(0.95);
    return figures;
}

} // namespace agentdesk
