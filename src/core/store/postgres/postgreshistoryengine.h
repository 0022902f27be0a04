#pragma once

#include "../historyengine.h"
#include "postgresschema.h"

#include <QString>

#include <memory>

namespace agentdesk {

class PostgresConnection;

// The history in a PostgreSQL database that other organisms and instances may share (history.url):
// this organism.name + history.instance owns one schema of it (PostgresSchema), claimed for one
// process by an advisory lock held on a connection of its own for as long as the history is open.
class PostgresHistoryEngine final : public HistoryEngine
{
public:
    PostgresHistoryEngine(const QString &directory, const HistoryConfig &config, const QString &organism);
    ~PostgresHistoryEngine() override;

    QString location() const override;
    bool acquire(QString *error) override;
    void release() override;
    bool previousRunEndedUncleanly() const override { return m_instance.wasRunning; }
    std::unique_ptr<HistoryBatchWriter> createWriter(const QString &connectionName) const override;
    bool openReadConnection(const QString &connectionName, QString *error) const override;
    bool isReadConnectionAlive(const QSqlDatabase &db) const override;
    QString failureCause() const override;
    QList<HistoryInstance> instances(const QSqlDatabase &db) const override;

    QString instanceName() const { return m_instanceName; }

private:
    static bool holderHasGone(PostgresConnection &connection, int instanceId);
    static bool waitForLock(PostgresConnection &connection, int instanceId);
    QString holderOf(int instanceId) const;

    QString m_url;
    QString m_organism;
    QString m_instanceName;
    PostgresSchema::Instance m_instance;
    std::unique_ptr<PostgresConnection> m_lock;
};

} // namespace agentdesk
