#include "metricsregistry.h"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <iterator>
#include <sstream>

namespace agentdesk::metrics {

MetricsRegistry::MetricsRegistry()
    : m_registry(std::make_unique<prometheus::Registry>())
{
}

MetricsRegistry::~MetricsRegistry() = default;

void MetricsRegistry::declare(const std::string &name, const std::string &help, prometheus::MetricType type)
{
    prometheus::MetricFamily family;
    family.name = name;
    family.help = help;
    family.type = type;
    m_declared.push_back(std::move(family));
}

prometheus::Family<prometheus::Counter> &MetricsRegistry::counters(const std::string &name, const std::string &help)
{
    declare(name, help, prometheus::MetricType::Counter);
    return prometheus::BuildCounter().Name(name).Help(help).Register(*m_registry);
}

prometheus::Family<prometheus::Gauge> &MetricsRegistry::gauges(const std::string &name, const std::string &help)
{
    declare(name, help, prometheus::MetricType::Gauge);
    return prometheus::BuildGauge().Name(name).Help(help).Register(*m_registry);
}

prometheus::Family<prometheus::Histogram> &MetricsRegistry::histograms(const std::string &name,
                                                                      const std::string &help)
{
    declare(name, help, prometheus::MetricType::Histogram);
    return prometheus::BuildHistogram().Name(name).Help(help).Register(*m_registry);
}

void MetricsRegistry::addCollectable(const prometheus::Collectable *collectable)
{
    m_collectables.push_back(collectable);
}

std::vector<prometheus::MetricFamily> MetricsRegistry::collect() const
{
    std::vector<prometheus::MetricFamily> families = m_registry->Collect();
    for (const prometheus::MetricFamily &declared : m_declared) {
        const bool collected = std::any_of(families.cbegin(), families.cend(), [&](const prometheus::MetricFamily &family) {
            return family.name == declared.name;
        });
        if (!collected)
            families.push_back(declared);
    }
    for (const prometheus::Collectable *collectable : m_collectables) {
        std::vector<prometheus::MetricFamily> more = collectable->Collect();
        families.insert(families.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    }
    return families;
}

QByteArray MetricsRegistry::exposition() const
{
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, collect());
    return QByteArray::fromStdString(out.str());
}

} // namespace agentdesk::metrics
