#pragma once

#include <QtGlobal>

#include <array>
#include <functional>
#include <optional>

namespace agentdesk {

// What the organism got through recently, for the saturation figures: messages per second over the
// last 10 s, and over the last minute the handler calls that ended (with their duration's 50th and
// 95th percentiles) and the threads that ended in error.
//
// Constant memory and cost whatever the rate: one slot per second for the last minute, each with a
// histogram of durations in buckets 15 % apart (a percentile is off by at most half a bucket, ~7 %).
class LoadMeter
{
public:
    using Clock = std::function<qint64()>; // milliseconds, monotonic

    struct Figures
    {
        double messagesPerSecond = 0;
        qint64 handledLastMinute = 0;
        qint64 threadErrorsLastMinute = 0;
        std::optional<double> handlerP50Ms; // none without a call in the last minute
        std::optional<double> handlerP95Ms;
    };

    explicit LoadMeter(Clock clock = {});

    void messagesRecorded(qint64 count);
    void handlerEnded(double durationMs);
    void threadFailed();
    Figures figures() const;

    static constexpr int kSeconds = 60;
    static constexpr int kRateSeconds = 10;
    static constexpr int kBuckets = 160;

private:
    struct Second
    {
        qint64 second = -1;
        qint64 messages = 0;
        qint64 handled = 0;
        qint64 threadErrors = 0;
        std::array<quint32, kBuckets> durations{};
    };

    Second &current();
    static int bucketOf(double durationMs);
    static double valueOf(int bucket);

    Clock m_clock;
    qint64 m_startSecond = 0;
    std::array<Second, kSeconds> m_seconds;
};

} // namespace agentdesk
