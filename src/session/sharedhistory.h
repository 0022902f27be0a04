#pragma once

#include "domain/historybilling.h"
#include "domain/usagequeries.h"

namespace agentdesk {

// A billing read of every organism in a history (UsageScope::All: byOrganism keyed "organism/instance",
// a SQLite history's by its organism's name alone) as the session hands it to the window.
HistoryBilling historyBillingOf(const BillingSummary &summary, const QDateTime &readAt);

} // namespace agentdesk
