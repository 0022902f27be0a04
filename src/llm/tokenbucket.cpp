#include "tokenbucket.h"

#include <algorithm>
#include <cmath>

namespace agentdesk {

TokenBucket::TokenBucket(qint64 tokensPerMinute, qint64 nowMs)
    : m_capacity(double(std::max<qint64>(tokensPerMinute, 0)))
    , m_level(m_capacity)
    , m_perMs(m_capacity / 60000.0)
    , m_lastMs(nowMs)
{ }

void TokenBucket::refill(qint64 nowMs)
{
    if (nowMs > m_lastMs) {
        m_level = std::min(m_capacity, m_level + double(nowMs - m_lastMs) * m_perMs);
        m_lastMs = nowMs;
    }
}

qint64 TokenBucket::msUntilAvailable(qint64 tokens, qint64 nowMs)
{
    if (unlimited())
        return 0;
    refill(nowMs);
    const double needed = std::min(double(tokens), m_capacity);
    if (m_level >= needed)
        return 0;
    return std::max<qint64>(1, qint64(std::ceil((needed - m_level) / m_perMs)));
}

void TokenBucket::take(qint64 tokens, qint64 nowMs)
{
    if (unlimited())
        return;
    refill(nowMs);
    m_level -= double(tokens);
}

double TokenBucket::levelAt(qint64 nowMs) const
{
    return nowMs > m_lastMs ? std::min(m_capacity, m_level + double(nowMs - m_lastMs) * m_perMs) : m_level;
}

double TokenBucket::level(qint64 nowMs)
{
    refill(nowMs);
    return m_level;
}

} // namespace agentdesk
