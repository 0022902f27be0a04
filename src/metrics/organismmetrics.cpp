#include "organismmetrics.h"

namespace agentdesk::metrics {

OrganismMetrics::OrganismMetrics(Organism *organism, QObject *parent)
    : QObject(parent)
    , m_collector(organism)
    , m_events(organism, m_registry)
    , m_http(m_registry)
{
    m_registry.addCollectable(&m_collector);
    m_renderer.setMaxThreadCount(1);
    m_renderer.setExpiryTimeout(60000);
}

void OrganismMetrics::renderExposition(std::function<void(const QByteArray &text)> done)
{
    m_renderer.start([this, families = m_registry.collect(), sizeHint = m_lastSize, done = std::move(done)] {
        QByteArray text = MetricsRegistry::serialize(families, sizeHint);
        // Queued to this object: dropped with it if it is destroyed meanwhile (the pool waits for this
        // task first, so `this` is still valid here).
        QMetaObject::invokeMethod(
            this,
            [this, text = std::move(text), done] {
                m_lastSize = text.size();
                done(text);
            },
            Qt::QueuedConnection);
    });
}

OrganismMetrics::~OrganismMetrics() = default;

} // namespace agentdesk::metrics
