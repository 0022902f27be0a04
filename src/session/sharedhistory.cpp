#include "sharedhistory.h"

namespace agentdesk {

HistoryBilling historyBillingOf(const BillingSummary &summary, const QDateTime &readAt)
{
    HistoryBilling billing;
    billing.readAt = readAt;
    for (auto it = summary.byOrganism.cbegin(); it != summary.byOrganism.cend(); ++it) {
        // Instance names have no '/' (history.instance: letters, digits, '.', '_', '-'); organism names may.
        const qsizetype slash = it.key().lastIndexOf(u'/');
        OrganismBilling organism;
        organism.organism = slash < 0 ? it.key() : it.key().left(slash);
        organism.instance = slash < 0 ? QString() : it.key().mid(slash + 1);
        const UsageAggregate &usage = it.value();
        organism.totalTokens = usage.totalTokens;
        organism.promptTokens = usage.promptTokens;
        organism.completionTokens = usage.completionTokens;
        organism.requestCount = usage.requestCount;
        organism.totalCost = usage.totalCost;
        organism.unpricedRequests = usage.unpricedRequests;
        organism.unpricedTokens = usage.unpricedTokens;
        billing.organisms.append(organism);
    }
    return billing;
}

} // namespace agentdesk
