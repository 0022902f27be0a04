#pragma once

#include "domain/usage.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace agentdesk {

class Session;

// Which provider served a model or an agent's calls, learned from the usage events as they are recorded
// (and seeded by the application from the configuration), so the usage figures can say "demo" for the
// offline demo provider instead of showing a price it does not have.
class ProviderDirectory final : public QObject
{
    Q_OBJECT
public:
    explicit ProviderDirectory(QObject *parent = nullptr);

    void setSession(Session *session);
    void setKnownModels(const QHash<QString, QString> &modelProviders); // model → provider, from the config

    QString providerOfModel(const QString &model) const; // empty when unknown
    QString providerOfAgent(const QString &agent) const; // the provider of its latest call
    bool isDemoModel(const QString &model) const { return providerOfModel(model) == u"demo"; }
    bool isDemoAgent(const QString &agent) const { return providerOfAgent(agent) == u"demo"; }

signals:
    void changed();

private:
    void learn(const QList<UsageEvent> &events);

    QPointer<Session> m_session;
    QMetaObject::Connection m_connection;
    QMetaObject::Connection m_stateConnection;
    QHash<QString, QString> m_models;
    QHash<QString, QString> m_agents;
};

} // namespace agentdesk
