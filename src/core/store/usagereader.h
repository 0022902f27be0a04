#pragma once

#include "domain/usagequeries.h"

#include "domain/queries.h"
#include "domain/records.h"
#include "domain/trace.h"
#include "domain/usage.h"

#include <QList>
#include <QPair>
#include <QSqlDatabase>

QT_BEGIN_NAMESPACE
QT_END_NAMESPACE

namespace agentdesk {

class SqlFilter;

// Usage-history reads (spec §5.22–5.24) on one (the calling thread's) read connection. Time bounds
// are compared as text against the stored isoformat() timestamps, as the original does.
class UsageReader
{
public:
    explicit UsageReader(const QSqlDatabase &db);

    Page<UsageEvent> events(const UsageQuery &query) const;
    // The LLM attempts made for a thread's messages from `fromSeq` on that kept their transcript, in the
    // order they were made: (the handled message's seq, the attempt).
    QList<QPair<qint64, LlmExchange>> exchanges(const QString &threadId, qint64 fromSeq) const;
    // UsageScope::All on PostgreSQL: every organism and instance in the database, with byOrganism.
    BillingSummary billing(const QString &startTime, const QString &endTime, const QString &orgId,
                           UsageScope scope = UsageScope::Organism) const;
    QList<DailyUsage> daily(const QString &startTime, const QString &endTime, const QString &orgId) const;
    QList<UsageBucket> timeseries(UsageBucketSize bucket, UsageGroupBy groupBy, const QDateTime &since,
                                  const QDateTime &until, const UsageSeriesFilter &filter) const;
    // Events after `after` (invalid: all), summed per (agent, model, outcome), in order of appearance.
    QList<UsageGroupSums> groupSums(const QDateTime &after) const;
    QString setting(const QString &name) const;
    // Every event after `after` (invalid: all) of `agent` ("" : every agent), summed; cost unrounded.
    UsageAggregate sums(const QDateTime &after, const QString &agent) const;

private:
    QList<QPair<QString, UsageAggregate>> aggregate(const QString &groupColumn, const SqlFilter &filter,
                                                    const QString &source = QStringLiteral("usage_events")) const;
    // Every instance's usage_events with an `organism` column ("organism/instance"), for PostgreSQL.
    QString allInstancesSource() const;

    QSqlDatabase m_db;
};

} // namespace agentdesk
