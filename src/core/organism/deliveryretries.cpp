#include "deliveryretries.h"

#include <algorithm>
#include <cmath>

namespace agentdesk {

std::optional<DeliveryRetries::Attempt> DeliveryRetries::next(qint64 seq, const RetrySpec &retry)
{
    if (retry.attempts <= 1)
        return std::nullopt;
    const int failures = m_failures.value(seq) + 1;
    if (failures >= retry.attempts) {
        m_failures.remove(seq);
        return std::nullopt;
    }
    const double ceiling = std::max(retry.backoffSeconds, 300.0);
    return Attempt{failures, std::min(retry.backoffSeconds * std::pow(2.0, failures - 1), ceiling)};
}

} // namespace agentdesk
