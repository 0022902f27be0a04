#pragma once

#include <prometheus/collectable.h>

#include <QPointer>

#include <vector>

namespace agentdesk {

class Organism;
struct AgentBacklog;
struct AgentInfo;
struct HandlerStats;
struct OrganismInfo;
struct Saturation;
struct ScopeBudget;
struct ThreadBudget;

namespace metrics {

// The organism's state as Prometheus reads it, taken from its snapshots at scrape time: status,
// queue and saturation, per-listener queues, states and handler figures (kept by the pump), refused
// injects, active threads, budgets. Nothing here runs on the organism's hot path.
class OrganismCollector : public prometheus::Collectable
{
public:
    explicit OrganismCollector(Organism *organism);

    std::vector<prometheus::MetricFamily> Collect() const override;

private:
    void collectOrganism(const OrganismInfo &info, std::vector<prometheus::MetricFamily> &out) const;
    void collectQueue(const Saturation &saturation, std::vector<prometheus::MetricFamily> &out) const;
    static void collectAgents(const QList<AgentInfo> &agents, const QList<AgentBacklog> &backlog,
                              std::vector<prometheus::MetricFamily> &out);
    static void collectHandlers(const QList<HandlerStats> &handlers, std::vector<prometheus::MetricFamily> &out);
    static void collectThreadBudgets(const QList<ThreadBudget> &budgets, std::vector<prometheus::MetricFamily> &out);
    static void collectScopeBudgets(const QList<ScopeBudget> &budgets, std::vector<prometheus::MetricFamily> &out);

    QPointer<Organism> m_organism;
};

} // namespace metrics
} // namespace agentdesk
