#pragma once

#include "../historybatchwriter.h"
#include "postgresconnection.h"
#include "postgresschema.h"

#include <QHash>
#include <QSet>
#include <QStringList>

#include <functional>
#include <optional>

namespace agentdesk {

// The PostgreSQL engine's writer: one libpq connection in the instance's schema. A batch's messages
// and handler runs go by COPY into temporary tables; everything else, and the statements that move
// those rows into the history, go as a pipeline of prepared statements (libpq pipeline mode): sent
// back to back, results read after a sync, so a batch of thousands of rows costs a few round trips.
// Inserts are plain; a batch that meets a taken key is written again with ON CONFLICT variants.
// Like the SQLite writer it keeps the message
// counters in memory (the instance is written by one process, see PostgresHistoryEngine), and it
// remembers the participants of the threads it writes, so a thread's upsert needs no read first.
class PostgresHistoryWriter final : public HistoryBatchWriter
{
public:
    PostgresHistoryWriter(const QString &url, const PostgresSchema::Instance &instance);

    bool open(HistoryDurability durability, QString *error) override;
    bool setDurability(HistoryDurability durability, QString *error) override;
    bool write(const HistoryBatch &batch, const RetentionPolicy &retention, QString *error,
               QStringList *rejected) override;

private:
    using Counters = HistoryCounters;
    using Check = std::function<void(const PostgresConnection::Result &)>;
    // Whether the batch may meet keys already taken (see write()).
    enum class Conflicts { NotExpected, Expected };

    bool attempt(const HistoryBatch &batch, const RetentionPolicy &retention, QString *error, QStringList *rejected);
    // The plain statement, or its variant that skips (or replaces) rows whose key is taken.
    const char *pick(const char *plain, const char *conflictTolerant) const
    {
        return m_conflicts == Conflicts::Expected ? conflictTolerant : plain;
    }

    bool connectAndPrepare(QString *error);
    bool prepareStatements(QString *error);
    bool loadCounters(QString *error);
    bool lookUpThreads(const QList<ThreadInfo> &threads, QString *error);

    // Pipeline: statements are sent and their results checked in order when the pipeline syncs (every
    // few hundred statements, so neither side's socket buffer fills up, and at the end of each step).
    bool send(const char *statement, const PostgresConnection::Params &params, Check check = {});
    bool sendSql(const QString &sql, const PostgresConnection::Params &params = {}, Check check = {});
    bool drain();

    // COPY into the session's incoming_* tables (before the pipeline; the transaction is open).
    bool copyMessages(const HistoryBatch &batch, Counters *counters, QHash<qint64, QString> *sentIds, QString *error);
    bool copyRuns(const QList<HandlerRun> &runs, QString *error);
    // `undelivered` receives the stored messages' seqs that the batch did not also handle.
    void sendMessages(const HistoryBatch &batch, const QHash<qint64, QString> &sentIds, Counters *counters,
                      QStringList *rejected, QList<qint64> *undelivered);
    void sendDelivered(const HistoryBatch &batch);
    // `changes`: what to do to m_participants once the batch is committed (nullopt: forget the thread).
    void sendThreads(const QList<ThreadInfo> &threads, Counters *counters,
                     QHash<QString, std::optional<QStringList>> *changes);
    void sendAgents(const QList<AgentCounterRecord> &agents);
    void sendUsage(const HistoryBatch &batch);
    void sendRunsOriginsSettings(const HistoryBatch &batch);
    void sendRetention(const RetentionPolicy &retention, Counters *counters);
    void sendCounters(const Counters &counters);

    QString m_url;
    PostgresSchema::Instance m_instance;
    HistoryDurability m_durability = HistoryDurability::Normal;
    PostgresConnection m_connection;
    QList<Check> m_inFlight;
    QString m_pipelineError;    // the first failure since the pipeline was entered
    QString m_pipelineSqlState; // and its SQLSTATE
    Conflicts m_conflicts = Conflicts::NotExpected;
    Counters m_counters;
    // Participants of the active threads this writer has written or read (first-seen order).
    QHash<QString, QStringList> m_participants;
};

} // namespace agentdesk
