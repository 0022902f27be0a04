#pragma once

#include <QList>
#include <QString>

#include <array>
#include <cstdint>

namespace agentdesk {

// How one handler call ended, as the pump saw it.
enum class HandlerOutcome {
    Ok,        // the handler finished (its replies, if any, are routed)
    Error,     // the handler failed, or the message could not be handled (listener removed)
    Timeout,   // the pump gave up after the listener's timeout
    Held,      // the call could not run now (budget exhausted): the message waits at its thread's head
    Cancelled, // the thread was killed, or a reload replaced the listener, while the call ran
};
inline constexpr int kHandlerOutcomeCount = 5;

QString toString(HandlerOutcome outcome); // ok | error | timeout | held | cancelled

// Upper bounds, in seconds, of the handler duration buckets: from built-ins (tens of microseconds)
// through exec handlers (milliseconds) to LLM agents (seconds, minutes at worst).
inline constexpr std::array<double, 15> kHandlerDurationBounds{0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1,  0.5,
                                                               1.0,    2.5,    5.0,   10.0,  30.0, 60.0, 120.0};

// What one listener's handler calls came to since the organism was created: a count per outcome and
// a duration histogram of the calls that ran to an end (ok, error, timeout; held and cancelled calls
// say nothing about how long handling takes). Kept by the pump at the cost of a clock read and a few
// additions per call; the metrics endpoint reads it.
struct HandlerStats
{
    QString agent;
    std::array<qint64, kHandlerOutcomeCount> outcomes{};
    // Calls per bucket (not cumulative): durationBuckets[i] counts durations ≤ kHandlerDurationBounds[i]
    // and above the previous bound; the last entry counts the ones above every bound.
    std::array<qint64, kHandlerDurationBounds.size() + 1> durationBuckets{};
    double durationSumSeconds = 0;

    qint64 count(HandlerOutcome outcome) const { return outcomes[std::size_t(outcome)]; }
    qint64 timedCalls() const;
    void record(HandlerOutcome outcome, double seconds);
};

} // namespace agentdesk
