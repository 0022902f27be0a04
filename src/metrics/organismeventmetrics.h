#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>

#include <QList>
#include <QObject>
#include <QPointer>

#include <array>

namespace agentdesk {

class Organism;
struct BudgetEvent;
struct ThreadInfo;
struct UsageEvent;

namespace metrics {

class MetricsRegistry;

// Counters fed by the organism's batched change signals (at most one batch per kind and event-loop
// pass): threads started and ended, budget events, and every metered LLM call — tokens by category,
// cost, calls by backend and outcome, call duration. They count from the moment this object exists and
// never go down (a usage reset in the window or the API leaves them alone).
class OrganismEventMetrics : public QObject
{
    Q_OBJECT
public:
    OrganismEventMetrics(Organism *organism, MetricsRegistry &registry, QObject *parent = nullptr);

    // One metered LLM call (also what the usageRecorded batches deliver).
    void recordUsage(const UsageEvent &event);

private:
    void onThreadsCreated(const QList<ThreadInfo> &created);
    void onThreadsUpdated(const QList<ThreadInfo> &updated);
    void onBudgetEvents(const QList<BudgetEvent> &events);
    void onUsage(const QList<UsageEvent> &events);

    prometheus::Counter &m_threadsStarted;
    std::array<prometheus::Counter *, 3> m_threadsEnded{}; // completed, error, killed
    prometheus::Family<prometheus::Counter> &m_budgetEvents;
    prometheus::Family<prometheus::Counter> &m_tokens;
    prometheus::Family<prometheus::Counter> &m_cost;
    prometheus::Family<prometheus::Counter> &m_unpriced;
    prometheus::Family<prometheus::Counter> &m_calls;
    prometheus::Family<prometheus::Histogram> &m_callDuration;
    prometheus::Family<prometheus::Histogram> &m_firstToken;
};

} // namespace metrics
} // namespace agentdesk
