#include "historyview.h"

#include "store/historystore.h"

namespace agentdesk {

bool HistoryView::isOpen() const
{
    return m_store->isOpen();
}
HistoryHealth HistoryView::health() const
{
    return m_store->health();
}
bool HistoryView::sync(std::chrono::milliseconds timeout) const
{
    return m_store->sync(timeout);
}
MessagePage HistoryView::messages(const MessageQuery &query) const
{
    return m_store->messages(query);
}
Page<UsageEvent> HistoryView::usageEvents(const UsageQuery &query) const
{
    return m_store->usageEvents(query);
}

BillingSummary HistoryView::billing(const QString &startTime, const QString &endTime, const QString &orgId,
                                    UsageScope scope) const
{
    return m_store->billing(startTime, endTime, orgId, scope);
}

QList<DailyUsage> HistoryView::daily(const QString &startTime, const QString &endTime, const QString &orgId) const
{
    return m_store->daily(startTime, endTime, orgId);
}

QList<UsageBucket> HistoryView::usageTimeseries(UsageBucketSize bucket, UsageGroupBy groupBy, const QDateTime &since,
                                                const QDateTime &until, const UsageSeriesFilter &filter) const
{
    return m_store->usageTimeseries(bucket, groupBy, since, until, filter);
}

QList<HistoryInstance> HistoryView::instances() const
{
    return m_store->instances();
}

} // namespace agentdesk
