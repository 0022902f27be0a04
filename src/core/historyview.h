#pragma once

#include "domain/historyhealth.h"
#include "domain/historyinstance.h"
#include "domain/queries.h"
#include "domain/records.h"
#include "domain/usage.h"
#include "domain/usagequeries.h"

#include <chrono>

namespace agentdesk {

class HistoryStore;

// The organism's history as the outer layers read it (Organism::history()): message pages and usage
// reads on the caller's own thread (each reading thread has its own connection), seeing what is
// committed. Nothing here writes. The names are the store's.
class HistoryView
{
public:
    explicit HistoryView(const HistoryStore *store)
        : m_store(store)
    { }

    bool isOpen() const;
    HistoryHealth health() const;
    // Waits until what the organism handed over before this call is committed (at most `timeout`;
    // false then). A read-your-writes barrier for other threads: never call it on the organism's.
    bool sync(std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

    MessagePage messages(const MessageQuery &query) const;
    Page<UsageEvent> usageEvents(const UsageQuery &query) const; // newest first
    BillingSummary billing(const QString &startTime, const QString &endTime, const QString &orgId,
                           UsageScope scope = UsageScope::Organism) const;
    QList<DailyUsage> daily(const QString &startTime, const QString &endTime, const QString &orgId) const;
    QList<UsageBucket> usageTimeseries(UsageBucketSize bucket, UsageGroupBy groupBy, const QDateTime &since,
                                       const QDateTime &until, const UsageSeriesFilter &filter = {}) const;
    // The organisms and instances whose history the store's database holds, this one first.
    QList<HistoryInstance> instances() const;

private:
    const HistoryStore *m_store;
};

} // namespace agentdesk
