#pragma once

#include <QByteArray>
#include <QDateTime>

#include <optional>

namespace agentdesk {

struct LlmConfig;

// When the router tries again and how long it waits first (spec §8.6): `retries` extra attempts,
// exponential back-off with ±25 % jitter, and the server's own Retry-After when it sends one.
class RetryPolicy
{
public:
    RetryPolicy() = default;
    explicit RetryPolicy(const LlmConfig &config);

    int maxAttempts() const { return m_retries + 1; }
    double baseDelay() const { return m_baseDelay; }
    double maxDelay() const { return m_maxDelay; }

    // 0 = no HTTP answer at all (refused, reset, timed out): worth another try. Client errors other
    // than 408 (timeout), 409 (conflict) and 429 (rate limit) would fail the same way again.
    static bool isRetryableStatus(int httpStatus);
    // Only these statuses carry a Retry-After the router honours.
    static bool honoursRetryAfter(int httpStatus) { return httpStatus == 429 || httpStatus == 503; }
    // Retry-After as delta-seconds or as an HTTP date; nullopt when absent or unreadable.
    static std::optional<double> parseRetryAfter(const QByteArray &value, const QDateTime &now);

    // Seconds to wait before retry number `retryIndex` (0 = the first retry). `jitter` in [0, 1)
    // spreads the back-off over ±25 %; a server-given Retry-After replaces it, capped at the maximum.
    double delaySeconds(int retryIndex, std::optional<double> retryAfter, double jitter) const;

private:
    int m_retries = 3;
    double m_baseDelay = 1.0;
    double m_maxDelay = 60.0;
};

} // namespace agentdesk
