#pragma once

#include "organism.h"

#include <chrono>

namespace agentdesk::test {

// Injects through the organism's acknowledged path (Organism::injectAcknowledged, as the API and the
// window do) and waits for the answers: for tests, tools and benchmarks that have nothing else to do
// meanwhile. On the organism's thread it runs that thread's event loop until every answer is in; from
// another thread it hands the requests to the organism's thread and waits there for them. Without an
// answer within `timeout` the unanswered ones are HistoryUnavailable: nothing was acknowledged.
// Results in request order.
QList<InjectResult> injectBatchAndWait(Organism &organism, const QList<InjectRequest> &requests,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(10));
InjectResult injectAndWait(Organism &organism, const InjectRequest &request,
                           std::chrono::milliseconds timeout = std::chrono::seconds(10));

// The ids of an accepted inject; empty for a refusal, which has none (for checks that run on every answer).
inline InjectedMessage idsOf(const InjectResult &result)
{
    return result.value_or(InjectedMessage{});
}

// Hands the requests to the organism without waiting for their answers (a load generator's inject).
void injectBatchNoWait(Organism &organism, const QList<InjectRequest> &requests);

} // namespace agentdesk::test
