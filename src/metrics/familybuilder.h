#pragma once

#include <prometheus/metric_family.h>

#include <QString>

#include <initializer_list>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace agentdesk::metrics {

using Label = std::pair<std::string, QString>;

// Builds one metric family sample by sample, for values read at scrape time (snapshots of the
// organism) rather than kept in prometheus-cpp's own counters.
class FamilyBuilder
{
public:
    FamilyBuilder(std::string name, std::string help, prometheus::MetricType type);

    FamilyBuilder &add(double value, std::initializer_list<Label> labels = {});
    // A histogram from non-cumulative bucket counts: counts[i] for values ≤ bounds[i] (and above the
    // previous bound), the last entry for the values above every bound.
    FamilyBuilder &addHistogram(std::span<const double> bounds, std::span<const qint64> counts, double sum,
                                std::initializer_list<Label> labels = {});
    // A state set: one sample per state, 1 for `current` and 0 for the others.
    FamilyBuilder &addStateSet(const std::string &stateLabel, std::span<const QString> states, const QString &current,
                               std::initializer_list<Label> labels = {});

    prometheus::MetricFamily take() { return std::move(m_family); }

private:
    prometheus::ClientMetric &sample(std::initializer_list<Label> labels);

    prometheus::MetricFamily m_family;
};

} // namespace agentdesk::metrics
