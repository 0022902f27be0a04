#pragma once

#include "httpmetrics.h"
#include "metricsregistry.h"
#include "organismcollector.h"
#include "organismeventmetrics.h"

#include <QByteArray>
#include <QObject>

namespace agentdesk {

class Organism;

namespace metrics {

// Everything GET /metrics shows for one organism and the server in front of it: the organism's state
// read at scrape time, counters fed by its change signals, and the HTTP traffic the server reports.
// Lives on the organism's thread; scraping reads snapshots there and never blocks.
class OrganismMetrics : public QObject
{
    Q_OBJECT
public:
    explicit OrganismMetrics(Organism *organism, QObject *parent = nullptr);
    ~OrganismMetrics() override;

    HttpMetrics &http() { return m_http; }
    // The text exposition format (MetricsRegistry::kContentType).
    QByteArray exposition() const { return m_registry.exposition(); }
    std::vector<prometheus::MetricFamily> collect() const { return m_registry.collect(); }

private:
    MetricsRegistry m_registry;
    OrganismCollector m_collector;
    OrganismEventMetrics m_events;
    HttpMetrics m_http;
};

} // namespace metrics
} // namespace agentdesk
