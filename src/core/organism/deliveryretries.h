#pragma once

#include "config/organismconfig.h"

#include <QHash>

#include <chrono>
#include <optional>

namespace agentdesk {

// A listener's `retry:`: how many times each delivery (by the seq of its message) has failed so far,
// and when a failed one runs again — after a back-off doubling from `backoff`, at most five minutes
// (or `backoff` itself, when it is longer). Counts live in memory: after a restart a delivery's
// attempts begin anew.
class DeliveryRetries
{
public:
    struct Attempt
    {
        int failures = 0; // including the one that just happened
        double waitSeconds = 0;
        std::chrono::milliseconds wait() const { return std::chrono::milliseconds(qint64(waitSeconds * 1000)); }
    };

    // The failure of delivery `seq`: the next attempt, or nullopt when its attempts are used up (it is
    // forgotten then). Counts the failure only once the caller confirms (failed()).
    std::optional<Attempt> next(qint64 seq, const RetrySpec &retry);
    void failed(qint64 seq, const Attempt &attempt) { m_failures.insert(seq, attempt.failures); }
    void forget(qint64 seq) { m_failures.remove(seq); }
    bool isEmpty() const { return m_failures.isEmpty(); }

private:
    QHash<qint64, int> m_failures; // deliveries waiting for a retry → failures so far
};

} // namespace agentdesk
