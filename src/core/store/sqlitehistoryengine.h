#pragma once

#include "historyengine.h"

#include <QDateTime>
#include <QString>

#include <memory>

QT_BEGIN_NAMESPACE
class QLockFile;
QT_END_NAMESPACE

namespace agentdesk {

// The history as one SQLite file, <directory>/history.sqlite (WAL journal), locked for one process by
// <directory>/history.lock.
class SqliteHistoryEngine final : public HistoryEngine
{
public:
    SqliteHistoryEngine(const QString &directory, const QString &organism);
    ~SqliteHistoryEngine() override;

    QString location() const override { return m_databasePath; }
    bool acquire(QString *error) override;
    void release() override;
    bool previousRunEndedUncleanly() const override { return m_previousRunEndedUncleanly; }
    std::unique_ptr<HistoryBatchWriter> createWriter(const QString &connectionName) const override;
    bool openReadConnection(const QString &connectionName, QString *error) const override;
    QString failureCause() const override;
    QList<HistoryInstance> instances(const QSqlDatabase &db) const override;

private:
    QString openProblem() const;

    QString m_directory;
    QString m_organism;
    QDateTime m_openedAt;
    QString m_databasePath;
    std::unique_ptr<QLockFile> m_lock;
    bool m_previousRunEndedUncleanly = false;
};

} // namespace agentdesk
