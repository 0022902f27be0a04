#include "agentroster.h"

namespace agentdesk {

void AgentRoster::add(const AgentInfo &info)
{
    if (!m_agents.contains(info.name))
        m_order.append(info.name);
    m_agents.insert(info.name, info);
}

void AgentRoster::replace(const AgentInfo &info)
{
    AgentInfo next = info;
    const AgentInfo current = m_agents.value(info.name);
    next.messageCount = current.messageCount;
    next.lastActivity = current.lastActivity;
    add(next);
}

void AgentRoster::remove(const QString &name)
{
    m_agents.remove(name);
    m_failing.remove(name);
    m_order.removeAll(name);
}

void AgentRoster::clear()
{
    m_order.clear();
    m_agents.clear();
    m_failing.clear();
}

bool AgentRoster::noteSent(const QString &name, const QDateTime &at)
{
    auto agent = m_agents.find(name);
    if (agent == m_agents.end())
        return false;
    ++agent->messageCount;
    agent->lastActivity = at;
    return true;
}

void AgentRoster::noteActivity(const QString &name, const QDateTime &at)
{
    auto agent = m_agents.find(name);
    if (agent != m_agents.end())
        agent->lastActivity = at;
}

void AgentRoster::setLastError(const QString &name, const QString &error)
{
    auto agent = m_agents.find(name);
    if (agent != m_agents.end())
        agent->lastError = error;
}

void AgentRoster::setFailing(const QString &name, bool failing)
{
    if (failing)
        m_failing.insert(name);
    else
        m_failing.remove(name);
}

void AgentRoster::restoreCounters(const QHash<QString, QPair<qint64, QDateTime>> &counters)
{
    for (auto it = m_agents.begin(); it != m_agents.end(); ++it) {
        const auto counter = counters.constFind(it.key());
        if (counter != counters.cend()) {
            it->messageCount = counter->first;
            it->lastActivity = counter->second;
        }
    }
}

AgentInfo AgentRoster::snapshot(const QString &name, const AgentLoad &load) const
{
    AgentInfo info = m_agents.value(name);
    info.queueDepth = load.queueDepth;
    info.inFlight = load.inFlight;
    info.currentThread.clear();
    if (load.paused) {
        info.state = AgentState::Paused;
    } else if (info.inFlight > 0) {
        info.state = AgentState::Processing;
        info.currentThread = load.currentThread;
    } else if (m_failing.contains(name)) {
        info.state = AgentState::Error;
    } else if (info.queueDepth > 0) {
        info.state = AgentState::Waiting; // work queued, held back by a limit, a pause or a held thread
    } else {
        info.state = AgentState::Idle;
    }
    return info;
}

} // namespace agentdesk
