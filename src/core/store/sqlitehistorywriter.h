#pragma once

#include "historybatchwriter.h"
#include "historyschema.h"

#include "domain/records.h"
#include "domain/trace.h"
#include "domain/usage.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

struct sqlite3;

namespace agentdesk {

// The SQLite engine's writer: its connection, prepared statements, and the counters it alone
// maintains (the file is opened by one process at a time, see SqliteHistoryEngine). The connection
// is a QSQLITE one (schema and settings go through Qt SQL); rows are written through SQLite's own
// statement API on that connection's handle, which is several times cheaper per row than QSqlQuery.
class SqliteHistoryWriter final : public HistoryBatchWriter
{
public:
    SqliteHistoryWriter(const QString &connectionName, const QString &path);
    ~SqliteHistoryWriter() override;
    SqliteHistoryWriter(const SqliteHistoryWriter &) = delete;
    SqliteHistoryWriter &operator=(const SqliteHistoryWriter &) = delete;

    bool open(HistoryDurability durability, QString *error) override;
    bool setDurability(HistoryDurability durability, QString *error) override;
    bool write(const HistoryBatch &batch, const RetentionPolicy &retention, QString *error,
               QStringList *rejected) override;

private:
    using Counters = HistoryCounters;
    struct Statements;

    QSqlDatabase database() const;
    bool prepareStatements(QString *error);
    bool loadCounters(QString *error);
    bool writeMessages(const QList<MessageRecord> &messages, const QList<qint64> &delivered, Counters *counters,
                       QStringList *rejected, QString *error);
    bool writeDelivered(const QList<qint64> &delivered, const QList<MessageRecord> &messages, QString *error);
    bool writeThreads(const QList<ThreadInfo> &merged, Counters *counters, QString *error);
    bool writeThread(const ThreadInfo &thread, Counters *counters, QString *error);
    bool writeAgents(const QList<AgentCounterRecord> &latest, QString *error);
    bool writeUsage(const QList<UsageEvent> &events, const QList<std::optional<LlmTranscript>> &transcripts,
                    QString *error);
    bool writeTranscript(qint64 usageId, const QString &threadId, const LlmTranscript &transcript, QString *error);
    bool writeRuns(const QList<HandlerRun> &runs, QString *error);
    bool writeOrigins(const QList<QPair<QString, ThreadOrigin>> &origins, QString *error);
    bool writeSettings(const QList<QPair<QString, QString>> &settings, QString *error);
    bool applyRetention(const RetentionPolicy &retention, Counters *counters, QString *error);
    bool storeCounters(const Counters &counters, QString *error);
    bool exec(const char *sql, QString *error);

    QString m_connectionName;
    QString m_path;
    sqlite3 *m_handle = nullptr;
    std::unique_ptr<Statements> m_statements;
    Counters m_counters;
};

} // namespace agentdesk
