#pragma once

#include "domain/usage.h"
#include "domain/usagecounters.h"
#include "domain/usagequeries.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace agentdesk {

// Aggregates metered LLM calls in memory. reset() zeroes the counters in place (decision 9): whoever
// records events keeps recording, the history keeps everything. At start-up the organism rebuilds the
// counters from the history's events since the last reset (restore()).
class UsageTracker
{
public:
    void record(const UsageEvent &event);
    void reset();
    // Replaces the counters with the history's sums (events since the last reset), in the order the
    // events first appeared.
    void restore(const QList<UsageGroupSums> &groups);
    // Adds one event's figures to a bucket (also used to sum the history).
    static void add(UsageCounters &bucket, const UsageEvent &event);

    UsageSnapshot snapshot() const;
    UsageCounters agent(const QString &agentId) const; // zeros (with the key) when unknown
    UsageCounters model(const QString &model) const;

private:
    UsageCounters &agentBucket(const QString &agentId);
    UsageCounters &modelBucket(const QString &model);

    UsageCounters m_totals;
    QList<UsageCounters> m_agents;
    QList<UsageCounters> m_models;
    QHash<QString, qsizetype> m_agentIndex;
    QHash<QString, qsizetype> m_modelIndex;
};

} // namespace agentdesk
