#pragma once

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

struct AgentCounterRecord
{
    QString name;
    qint64 messageCount = 0;
    QDateTime lastActivity;
};

// Everything handed to the writer since it last looked; written in one transaction.
struct HistoryBatch
{
    QList<MessageRecord> messages;
    QList<ThreadInfo> threads;
    QList<AgentCounterRecord> agents;
    QList<UsageEvent> usage;
    QList<QPair<QString, QString>> settings; // name → value, latest last
    QList<std::optional<LlmTranscript>> transcripts; // one per usage event: what its attempt sent and got
    // Messages (by seq) whose handling is over: handled, or dropped with their thread. Every stored
    // message is undelivered until it is listed here (see HistoryStore::appendMessages).
    QList<qint64> delivered;
    QList<HandlerRun> runs; // how handlers ran (the timeline), written with their deliveries
    QList<QPair<QString, ThreadOrigin>> origins; // thread id → where it was replayed or forked from
    bool retentionRequested = false;
    quint64 lastTicket = 0; // the highest ticket in the batch (0: none)

    qsizetype recordCount() const;
};

struct RetentionPolicy
{
    bool apply = false;
    qint64 maxMessages = 10000;
    int maxAgeDays = 0; // 0: no age limit
    QDateTime now;
};

// The writer thread's SQL side: its connection, prepared statements, and the counters it alone
// maintains (the store is opened by one process at a time, see HistoryStore::open()). The connection
// is a QSQLITE one (schema and settings go through Qt SQL); rows are written through SQLite's own
// statement API on that connection's handle, which is several times cheaper per row than QSqlQuery.
class HistorySqlWriter
{
public:
    explicit HistorySqlWriter(const QString &connectionName);
    ~HistorySqlWriter();
    HistorySqlWriter(const HistorySqlWriter &) = delete;
    HistorySqlWriter &operator=(const HistorySqlWriter &) = delete;

    bool open(const QString &path, HistoryDurability durability, QString *error);
    bool setDurability(HistoryDurability durability, QString *error);

    // Writes the batch and, if asked, applies retention, in one transaction. On false nothing was
    // written and *error says why (the caller retries). Records refused by a constraint (a duplicate
    // message id or seq) are skipped and described in *rejected; the rest is written.
    bool write(const HistoryBatch &batch, const RetentionPolicy &retention, QString *error, QStringList *rejected);

private:
    struct Counters
    {
        qint64 messages = 0;
        qint64 maxSeq = 0;
        qint64 nextCreatedSeq = 1;
    };
    struct Statements;

    QSqlDatabase database() const;
    bool prepareStatements(QString *error);
    bool loadCounters(QString *error);
    bool writeMessages(const QList<MessageRecord> &messages, const QList<qint64> &delivered, Counters *counters,
                       QStringList *rejected, QString *error);
    bool writeDelivered(const QList<qint64> &delivered, const QList<MessageRecord> &messages, QString *error);
    bool writeThreads(const QList<ThreadInfo> &threads, Counters *counters, QString *error);
    bool writeThread(const ThreadInfo &thread, Counters *counters, QString *error);
    bool writeAgents(const QList<AgentCounterRecord> &agents, QString *error);
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
    sqlite3 *m_handle = nullptr;
    std::unique_ptr<Statements> m_statements;
    Counters m_counters;
};

} // namespace agentdesk
