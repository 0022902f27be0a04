#pragma once

#include "domain/records.h"

#include <QHash>
#include <QSet>
#include <QStringList>

namespace agentdesk {

// What the pump says about an agent right now.
struct AgentLoad
{
    int queueDepth = 0;
    int inFlight = 0;
    bool paused = false;
    QString currentThread; // a thread it is handling, when inFlight > 0
};

// The organism's agents (every listener) in registration order: what the config says of each, its
// counters (messages sent, last activity, last error), and whether its last call failed. Its state is
// derived from these and the pump's load when asked (snapshot).
class AgentRoster
{
public:
    void add(const AgentInfo &info);     // a new listener, at the end of the order
    void replace(const AgentInfo &info); // a changed listener keeps its counters and place
    void remove(const QString &name);
    void clear();
    bool contains(const QString &name) const { return m_agents.contains(name); }
    const QStringList &order() const { return m_order; }

    // A message it sent (false: no such agent).
    bool noteSent(const QString &name, const QDateTime &at);
    void noteActivity(const QString &name, const QDateTime &at);
    void setLastError(const QString &name, const QString &error);
    void setFailing(const QString &name, bool failing); // its last call failed (state Error until it runs again)
    // name → (messages sent, last activity), as the history counted them
    void restoreCounters(const QHash<QString, QPair<qint64, QDateTime>> &counters);

    AgentInfo snapshot(const QString &name, const AgentLoad &load) const;

private:
    QStringList m_order;
    QHash<QString, AgentInfo> m_agents;
    QSet<QString> m_failing;
};

} // namespace agentdesk
