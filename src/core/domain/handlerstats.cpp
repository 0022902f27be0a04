#include "handlerstats.h"

#include <algorithm>
#include <numeric>

using namespace Qt::StringLiterals;

namespace agentdesk {

QString toString(HandlerOutcome outcome)
{
    switch (outcome) {
    case HandlerOutcome::Ok:
        return u"ok"_s;
    case HandlerOutcome::Error:
        return u"error"_s;
    case HandlerOutcome::Timeout:
        return u"timeout"_s;
    case HandlerOutcome::Held:
        return u"held"_s;
    case HandlerOutcome::Cancelled:
        return u"cancelled"_s;
    }
    return {};
}

qint64 HandlerStats::timedCalls() const
{
    return std::accumulate(durationBuckets.cbegin(), durationBuckets.cend(), qint64(0));
}

void HandlerStats::record(HandlerOutcome outcome, double seconds)
{
    ++outcomes[std::size_t(outcome)];
    if (outcome == HandlerOutcome::Held || outcome == HandlerOutcome::Cancelled)
        return;
    const auto bound = std::lower_bound(kHandlerDurationBounds.cbegin(), kHandlerDurationBounds.cend(), seconds);
    ++durationBuckets[std::size_t(bound - kHandlerDurationBounds.cbegin())];
    durationSumSeconds += seconds;
}

} // namespace agentdesk
