#pragma once

#include <QtGlobal>

namespace agentdesk {

// A backend's `rate_limit_tpm`: a bucket of `tokensPerMinute` tokens that refills continuously.
// Time is passed in (milliseconds on any monotonic clock) so the arithmetic can be tested without
// waiting. A call larger than the whole bucket runs once the bucket is full and leaves it in debt,
// so an oversized prompt is slowed down but never starved.
class TokenBucket
{
public:
    explicit TokenBucket(qint64 tokensPerMinute, qint64 nowMs = 0); // ≤ 0: unlimited

    // 0 when `tokens` can be taken now, else how long until they can.
    qint64 msUntilAvailable(qint64 tokens, qint64 nowMs);
    void take(qint64 tokens, qint64 nowMs);
    double level(qint64 nowMs);
    double levelAt(qint64 nowMs) const; // level() without advancing the bucket
    bool unlimited() const { return m_perMs <= 0; }

private:
    void refill(qint64 nowMs);

    double m_capacity = 0;
    double m_level = 0;
    double m_perMs = 0;
    qint64 m_lastMs = 0;
};

} // namespace agentdesk
