#include "metricsregistry.h"

#include <prometheus/text_serializer.h>

#include <iterator>
#include <sstream>

namespace agentdesk::metrics {

MetricsRegistry::MetricsRegistry()
    : m_registry(std::make_unique<prometheus::Registry>())
{
}

MetricsRegistry::~MetricsRegistry() = default;

void MetricsRegistry::addCollectable(const prometheus::Collectable *collectable)
{
    m_collectables.push_back(collectable);
}

std::vector<prometheus::MetricFamily> MetricsRegistry::collect() const
{
    std::vector<prometheus::MetricFamily> families = m_registry->Collect();
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
