#include "sessionalerts.h"

#include "alertcenter.h"
#include "threadlabels.h"

namespace agentdesk {

SessionAlerts::SessionAlerts(QObject *parent)
    : QObject(parent)
{ }

void SessionAlerts::watch(Session *session)
{
    if (!session || m_centers.contains(session))
        return;
    ThreadLabels::forSession(session);
    auto *center = new AlertCenter(this);
    center->setSession(session);
    connect(center, &AlertCenter::alertRaised, this,
            [this, session](const Alert &alert) { emit alertRaised(session, alert); });
    m_centers.insert(session, center);
}

void SessionAlerts::forget(const Session *session)
{
    delete m_centers.take(session);
}

AlertCenter *SessionAlerts::centerOf(const Session *session) const
{
    return m_centers.value(session);
}

} // namespace agentdesk
