#pragma once

#include <prometheus/registry.h>

#include <QByteArray>

#include <memory>
#include <vector>

namespace agentdesk::metrics {

// The metrics of one process as Prometheus reads them: prometheus-cpp's registry for the counters and
// histograms that events feed, plus collectors that read their values at scrape time, all rendered by
// its text serializer (exposition format 0.0.4).
class MetricsRegistry
{
public:
    static constexpr const char *kContentType = "text/plain; version=0.0.4; charset=utf-8";

    MetricsRegistry();
    ~MetricsRegistry();
    MetricsRegistry(const MetricsRegistry &) = delete;
    MetricsRegistry &operator=(const MetricsRegistry &) = delete;

    prometheus::Registry &registry() { return *m_registry; }
    // `collectable` is read at every scrape and must outlive this registry's use.
    void addCollectable(const prometheus::Collectable *collectable);

    std::vector<prometheus::MetricFamily> collect() const;
    QByteArray exposition() const;

private:
    std::unique_ptr<prometheus::Registry> m_registry;
    std::vector<const prometheus::Collectable *> m_collectables;
};

} // namespace agentdesk::metrics
