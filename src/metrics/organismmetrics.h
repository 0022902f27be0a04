#pragma once

#include "httpmetrics.h"
#include "metricsregistry.h"
#include "organismcollector.h"
#include "organismeventmetrics.h"

#include <QByteArray>
#include <QObject>
#include <QThreadPool>

#include <functional>

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
    // The text exposition format (MetricsRegistry::kContentType), written on this thread.
    QByteArray exposition() const { return m_registry.exposition(); }
    std::vector<prometheus::MetricFamily> collect() const { return m_registry.collect(); }
    // The same, written by a worker: the figures are collected here and now (one consistent snapshot,
    // a fraction of a millisecond at 100 agents), the text — most of a scrape — elsewhere, so a scrape
    // holds the organism's thread up for the collection only. `done` runs later on this object's
    // thread, unless this object is gone by then.
    void renderExposition(std::function<void(const QByteArray &text)> done);

private:
    MetricsRegistry m_registry;
    OrganismCollector m_collector;
    OrganismEventMetrics m_events;
    HttpMetrics m_http;
    qsizetype m_lastSize = 0; // of the last exposition: the next one's buffer
    // Last, so that it is destroyed first: its destructor waits for a rendering still under way.
    QThreadPool m_renderer;
};

} // namespace metrics
} // namespace agentdesk
