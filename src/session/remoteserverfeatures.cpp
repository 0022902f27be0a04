#include "remoteserverfeatures.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

ServerAbilities RemoteServerFeatures::abilities() const
{
    ServerAbilities abilities;
    // Only agentdesk does what the original pretends (spec §11): pause, kill and stop change labels there.
    abilities.pauseHoldsWork = api.agentdesk;
    abilities.killCancelsWork = api.agentdesk;
    abilities.stopStopsWork = api.agentdesk;
    abilities.setsBudgets = api.has(u"PUT"_s, u"/api/v1/usage/threads/{thread_id}"_s);
    abilities.tracksUsage = usage;
    abilities.bucketsUsage = api.has(u"GET"_s, u"/api/v1/usage/timeseries"_s);
    // Usage over time is built from the history where there is no /usage/timeseries: the original's
    // history filters by agent and model, but its calls have no outcome.
    abilities.filtersUsageOutcome = abilities.bucketsUsage;
    abilities.scopeBudgets = scopeBudgets && api.has(u"PUT"_s, u"/api/v1/usage/budgets/{scope}"_s);
    abilities.reportsBackends = backends;
    abilities.tracesThreads = api.has(u"GET"_s, u"/api/v1/threads/{thread_id}/timeline"_s);
    abilities.branchesThreads = api.has(u"POST"_s, u"/api/v1/threads/{thread_id}/fork"_s);
    abilities.reportsLoad = api.agentdesk;
    abilities.retriesThreads = api.has(u"POST"_s, u"/api/v1/threads/{thread_id}/retry"_s);
    abilities.sharesHistory = api.has(u"GET"_s, u"/api/v1/history/organisms"_s)
        && api.acceptsQuery(u"GET"_s, u"/api/v1/usage/billing"_s, u"scope"_s);
    return abilities;
}

} // namespace agentdesk
