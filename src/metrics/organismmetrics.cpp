#include "organismmetrics.h"

namespace agentdesk::metrics {

OrganismMetrics::OrganismMetrics(Organism *organism, QObject *parent)
    : QObject(parent)
    , m_collector(organism)
    , m_events(organism, m_registry)
    , m_http(m_registry)
{
    m_registry.addCollectable(&m_collector);
}

OrganismMetrics::~OrganismMetrics() = default;

} // namespace agentdesk::metrics
