#include "familybuilder.h"

#include <limits>

namespace agentdesk::metrics {

FamilyBuilder::FamilyBuilder(std::string name, std::string help, prometheus::MetricType type)
{
    m_family.name = std::move(name);
    m_family.help = std::move(help);
    m_family.type = type;
}

prometheus::ClientMetric &FamilyBuilder::sample(std::initializer_list<Label> labels)
{
    prometheus::ClientMetric &metric = m_family.metric.emplace_back();
    metric.label.reserve(labels.size());
    for (const auto &[name, value] : labels)
        metric.label.push_back({name, value.toStdString()});
    return metric;
}

FamilyBuilder &FamilyBuilder::add(double value, std::initializer_list<Label> labels)
{
    prometheus::ClientMetric &metric = sample(labels);
    switch (m_family.type) {
    case prometheus::MetricType::Counter:
        metric.counter.value = value;
        break;
    case prometheus::MetricType::Gauge:
        metric.gauge.value = value;
        break;
    default:
        metric.untyped.value = value;
        break;
    }
    return *this;
}

FamilyBuilder &FamilyBuilder::addHistogram(std::span<const double> bounds, std::span<const qint64> counts, double sum,
                                           std::initializer_list<Label> labels)
{
    prometheus::ClientMetric &metric = sample(labels);
    std::uint64_t cumulative = 0;
    metric.histogram.bucket.reserve(bounds.size() + 1);
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        cumulative += std::uint64_t(counts[i]);
        metric.histogram.bucket.push_back({cumulative, bounds[i]});
    }
    cumulative += std::uint64_t(counts[bounds.size()]);
    metric.histogram.bucket.push_back({cumulative, std::numeric_limits<double>::infinity()});
    metric.histogram.sample_count = cumulative;
    metric.histogram.sample_sum = sum;
    return *this;
}

FamilyBuilder &FamilyBuilder::addStateSet(const std::string &stateLabel, std::span<const QString> states,
                                          const QString &current, std::initializer_list<Label> labels)
{
    for (const QString &state : states) {
        prometheus::ClientMetric &metric = sample(labels);
        metric.label.push_back({stateLabel, state.toStdString()});
        metric.gauge.value = state == current ? 1 : 0;
    }
    return *this;
}

} // namespace agentdesk::metrics
