#include "providerdirectory.h"

#include "session.h"

namespace agentdesk {

ProviderDirectory::ProviderDirectory(QObject *parent)
    : QObject(parent)
{ }

void ProviderDirectory::setSession(Session *session)
{
    disconnect(m_connection);
    disconnect(m_stateConnection);
    m_session = session;
    m_agents.clear();
    if (session) {
        m_connection = connect(session, &Session::usageRecorded, this, &ProviderDirectory::learn);
        // A server's latest calls say which of its models the offline demo serves before the next call.
        m_stateConnection = connect(session, &Session::stateChanged, this, [this](Session::State state) {
            if (state == Session::State::Connected && m_session)
                learn(m_session->recentUsage());
        });
        if (session->isConnected())
            learn(session->recentUsage());
    }
    emit changed();
}

void ProviderDirectory::setKnownModels(const QHash<QString, QString> &modelProviders)
{
    for (auto it = modelProviders.cbegin(); it != modelProviders.cend(); ++it)
        m_models.insert(it.key(), it.value());
    emit changed();
}

QString ProviderDirectory::providerOfModel(const QString &model) const
{
    return m_models.value(model);
}

QString ProviderDirectory::providerOfAgent(const QString &agent) const
{
    return m_agents.value(agent);
}

void ProviderDirectory::learn(const QList<UsageEvent> &events)
{
    bool learned = false;
    for (const UsageEvent &event : events) {
        if (event.provider.isEmpty())
            continue;
        if (m_models.value(event.model) != event.provider) {
            m_models.insert(event.model, event.provider);
            learned = true;
        }
        if (!event.agentId.isEmpty() && m_agents.value(event.agentId) != event.provider) {
            m_agents.insert(event.agentId, event.provider);
            learned = true;
        }
    }
    if (learned)
        emit changed();
}

} // namespace agentdesk
