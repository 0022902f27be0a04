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
        organism.usage = it.value();
        billing.organisms.append(organism);
    }
    return billing;
}

} // namespace agentdesk
