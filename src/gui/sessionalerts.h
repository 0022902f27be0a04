#pragma once

#include <QHash>
#include <QObject>

namespace agentdesk {

class AlertCenter;
class Session;
struct Alert;

// Every open organism's alerts, whichever one the pages show: an AlertCenter per session, its threads'
// labels learnt from the start so that an alert names a thread as the pages do.
class SessionAlerts final : public QObject
{
    Q_OBJECT
public:
    explicit SessionAlerts(QObject *parent = nullptr);

    void watch(Session *session); // no-op when already watched
    void forget(const Session *session);
    AlertCenter *centerOf(const Session *session) const; // nullptr when not watched

signals:
    void alertRaised(const agentdesk::Session *session, const agentdesk::Alert &alert);

private:
    QHash<const Session *, AlertCenter *> m_centers;
};

} // namespace agentdesk
