#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <QByteArray>

#include <memory>
#include <string>
#include <vector>

namespace agentdesk::metrics {

// The metrics of one process as Prometheus reads them: prometheus-cpp's registry for the counters and
// histograms that events feed, plus collectors that read their values at scrape time, all rendered by
// its text serializer (exposition format 0.0.4). Every family declared here is announced (HELP and
// TYPE) from the first scrape on, also before its first series, so that a dashboard or an alert can
// tell "nothing yet" from "not exported" (prometheus-cpp's registry leaves an empty family out).
class MetricsRegistry
{
public:
    static constexpr const char *kContentType = "text/plain; version=0.0.4; charset=utf-8";

    MetricsRegistry();
    ~MetricsRegistry();
    MetricsRegistry(const MetricsRegistry &) = delete;
    MetricsRegistry &operator=(const MetricsRegistry &) = delete;

    prometheus::Family<prometheus::Counter> &counters(const std::string &name, const std::string &help);
    prometheus::Family<prometheus::Gauge> &gauges(const std::string &name, const std::string &help);
    prometheus::Family<prometheus::Histogram> &histograms(const std::string &name, const std::string &help);
    // `collectable` is read at every scrape and must outlive this registry's use.
    void addCollectable(const prometheus::Collectable *collectable);

    std::vector<prometheus::MetricFamily> collect() const;
    QByteArray exposition() const { return serialize(collect()); }
    // The text of `families`; safe on any thread (it touches nothing of the registry). `sizeHint`: the
    // expected size (the last exposition's), so the buffer is allocated once.
    static QByteArray serialize(const std::vector<prometheus::MetricFamily> &families, qsizetype sizeHint = 0);

private:
    void declare(const std::string &name, const std::string &help, prometheus::MetricType type);

    std::unique_ptr<prometheus::Registry> m_registry;
    std::vector<prometheus::MetricFamily> m_declared; // without samples
    std::vector<const prometheus::Collectable *> m_collectables;
};

} // namespace agentdesk::metrics
