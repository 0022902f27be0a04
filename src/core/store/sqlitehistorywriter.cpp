#include "sqlitehistorywriter.h"

#include "historycodec.h"
#include "sqlitestatement.h"

#include <QSet>
#include <QSqlError>

#include <sqlite3.h>

#include <algorithm>
#include <tuple>

namespace agentdesk {

using namespace Qt::StringLiterals;

namespace {

// The writer's page cache. SQLite's default (2 MiB) makes every insert into the random-order id index
// re-read pages from the OS once the history grows; 16 MiB halves the writer's CPU per message, and
// is part of the store's memory budget (≤ 64 MiB per 1,000,000 stored messages, bench_store).
constexpr int kWriterCacheKiB = 16 * 1024;

QString metadataText(const UsageEvent &event, const QString &own, const QString &key)
{
    return own.isEmpty() ? event.metadata.value(key).toString() : own;
}

} // namespace

struct SqliteHistoryWriter::Statements
{
    SqliteStatement insertMessage;
    SqliteStatement selectThread;
    SqliteStatement insertThread;
    SqliteStatement updateThread;
    SqliteStatement insertParticipant;
    SqliteStatement upsertAgent;
    SqliteStatement insertUsage;
    SqliteStatement upsertSetting;
    SqliteStatement setCounter;
    SqliteStatement deleteOldMessages;
    SqliteStatement deleteOldParticipants;
    SqliteStatement deleteOldThreads;
    SqliteStatement deleteOldestMessages;
    SqliteStatement insertUndelivered;
    SqliteStatement deleteUndelivered;
    SqliteStatement insertRun;
    SqliteStatement insertOrigin;
    SqliteStatement insertTranscript;
};

SqliteHistoryWriter::SqliteHistoryWriter(const QString &connectionName, const QString &path)
    : m_connectionName(connectionName)
    , m_path(path)
{ }

SqliteHistoryWriter::~SqliteHistoryWriter()
{
    m_statements.reset(); // finalized before Qt closes the handle
    if (QSqlDatabase::contains(m_connectionName)) {
        database().close();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

QSqlDatabase SqliteHistoryWriter::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

bool SqliteHistoryWriter::open(HistoryDurability durability, QString *error)
{
    const QString &path = m_path;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open()) {
            *error = u"cannot open %1: %2"_s.arg(path, db.lastError().text());
            return false;
        }
        if (!HistorySchema::prepare(db, durability, error))
            return false;
        m_handle = sqliteHandle(db);
    }
    if (!m_handle) {
        *error = u"the QSQLITE driver does not expose its SQLite handle"_s;
        return false;
    }
    const QByteArray cache = "PRAGMA cache_size=-" + QByteArray::number(kWriterCacheKiB);
    return exec(cache.constData(), error) && prepareStatements(error) && loadCounters(error);
}

bool SqliteHistoryWriter::prepareStatements(QString *error)
{
    m_statements = std::make_unique<Statements>();
    Statements &s = *m_statements;
    const std::pair<SqliteStatement *, QString> statements[] = {
        {&s.insertMessage,
         u"INSERT INTO messages(seq, id, thread_id, from_agent, to_agent, payload_type, payload_xml,"
         " payload_fields, ts, depth) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s},
        {&s.selectThread, u"SELECT participants FROM threads WHERE id = ?"_s},
        {&s.insertThread,
         u"INSERT INTO threads(id, status, participants, message_count, created_at, last_activity, error,"
         " created_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s},
        {&s.updateThread,
         u"UPDATE threads SET status = ?, participants = ?, message_count = ?,"
         " created_at = COALESCE(created_at, ?), last_activity = ?, error = ? WHERE id = ?"_s},
        {&s.insertParticipant, u"INSERT OR IGNORE INTO thread_participants(thread_id, agent) VALUES (?, ?)"_s},
        {&s.upsertAgent,
         u"INSERT INTO agents(name, message_count, last_activity) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE"
         " SET message_count = excluded.message_count, last_activity = excluded.last_activity"_s},
        {&s.insertUsage,
         u"INSERT INTO usage_events(timestamp, thread_id, agent_id, model, provider, prompt_tokens,"
         " completion_tokens, total_tokens, latency_ms, estimated_cost, metadata, org_id, user_id,"
         " cached_prompt_tokens, estimated_tokens, outcome, cache_write_tokens, reasoning_tokens, ttft_ms,"
         " tokens_per_second) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s},
        {&s.upsertSetting, u"INSERT OR REPLACE INTO settings(name, value) VALUES (?, ?)"_s},
        {&s.setCounter, u"INSERT OR REPLACE INTO counters(name, value) VALUES (?, ?)"_s},
        // Retention never takes a message that still has to be handled: its thread resumes at the next start.
        {&s.deleteOldMessages, u"DELETE FROM messages WHERE ts < ? AND seq NOT IN (SELECT seq FROM undelivered)"_s},
        {&s.deleteOldParticipants,
         u"DELETE FROM thread_participants WHERE thread_id IN (SELECT id FROM threads"
         " WHERE status <> 'active' AND COALESCE(last_activity, created_at) < ?)"_s},
        {&s.deleteOldThreads,
         u"DELETE FROM threads WHERE status <> 'active' AND COALESCE(last_activity, created_at) < ?"_s},
        {&s.deleteOldestMessages,
         u"DELETE FROM messages WHERE seq IN (SELECT seq FROM messages WHERE seq NOT IN"
         " (SELECT seq FROM undelivered) ORDER BY seq LIMIT ?)"_s},
        {&s.insertUndelivered, u"INSERT OR IGNORE INTO undelivered(seq) VALUES (?)"_s},
        {&s.deleteUndelivered, u"DELETE FROM undelivered WHERE seq = ?"_s},
        // A message handled again (resumed after a crash) keeps its latest run.
        {&s.insertRun, u"INSERT OR REPLACE INTO handler_runs(seq, started, ended, error) VALUES (?, ?, ?, ?)"_s},
        {&s.insertTranscript,
         u"INSERT INTO llm_transcripts(id, thread_id, message_seq, prompt, response) VALUES (?, ?, ?, ?, ?)"_s},
        {&s.insertOrigin,
         u"INSERT OR REPLACE INTO thread_origins(thread_id, kind, source_thread, source_message, first_seq)"
         " VALUES (?, ?, ?, ?, ?)"_s},
    };
    for (const auto &[statement, sql] : statements) {
        if (!statement->prepare(m_handle, sql, error))
            return false;
    }
    return true;
}

bool SqliteHistoryWriter::setDurability(HistoryDurability durability, QString *error)
{
    QSqlDatabase db = database();
    return HistorySchema::setDurability(db, durability, error);
}

bool SqliteHistoryWriter::loadCounters(QString *error)
{
    SqliteStatement select;
    if (!select.prepare(m_handle,
                        u"SELECT (SELECT value FROM counters WHERE name = 'messages'),"
                        " (SELECT value FROM counters WHERE name = 'max_seq'),"
                        " (SELECT COALESCE(MAX(created_seq), 0) + 1 FROM threads)"_s,
                        error)
        || !select.step(error)) {
        *error = u"cannot read the history counters: "_s + *error;
        return false;
    }
    m_counters.messages = select.columnInt64(0);
    m_counters.maxSeq = select.columnInt64(1);
    m_counters.nextCreatedSeq = select.columnInt64(2);
    select.reset();
    return true;
}

bool SqliteHistoryWriter::write(const HistoryBatch &batch, const RetentionPolicy &retention, QString *error,
                                QStringList *rejected)
{
    Counters counters = m_counters;
    QStringList refused;
    if (!exec("BEGIN IMMEDIATE", error))
        return false;
    const bool written = writeMessages(batch.messages, batch.delivered, &counters, &refused, error)
        && writeDelivered(batch.delivered, batch.messages, error)
        && writeThreads(batch.mergedThreads(), &counters, error) && writeAgents(batch.latestAgents(), error)
        && writeUsage(batch.usage, batch.transcripts, error) && writeSettings(batch.settings, error)
        && writeRuns(batch.runs, error) && writeOrigins(batch.origins, error)
        && applyRetention(retention, &counters, error) && storeCounters(counters, error);
    if (!written || !exec("COMMIT", error)) {
        exec("ROLLBACK", nullptr);
        return false;
    }
    m_counters = counters;
    *rejected = refused;
    return true;
}

bool SqliteHistoryWriter::writeMessages(const QList<MessageRecord> &messages, const QList<qint64> &delivered,
                                        Counters *counters, QStringList *rejected, QString *error)
{
    // A message handled within the batch that stores it is never undelivered on disk: most messages of
    // a busy organism cost no undelivered row at all.
    const QSet<qint64> handledAlready(delivered.cbegin(), delivered.cend());
    SqliteStatement &insert = m_statements->insertMessage;
    SqliteStatement &undelivered = m_statements->insertUndelivered;
    for (const MessageRecord &message : messages) {
        if (message.seq > 0)
            insert.bind(1, message.seq);
        else
            insert.bindNull(1);
        insert.bind(2, message.id);
        insert.bind(3, message.threadId);
        insert.bind(4, message.from);
        insert.bind(5, message.to);
        insert.bind(6, message.payloadType);
        insert.bindUtf8(7, message.xml);
        insert.bindUtf8(8, HistoryCodec::encodeMap(message.fields));
        if (message.timestamp.isValid())
            insert.bind(9, message.timestamp.toMSecsSinceEpoch());
        else
            insert.bindNull(9);
        insert.bind(10, message.depth);
        QString failure;
        if (!insert.exec(&failure)) {
            if (!insert.isConstraintViolation()) {
                *error = u"cannot store message %1: %2"_s.arg(message.id, failure);
                return false;
            }
            rejected->append(u"message %1 (seq %2) refused: %3"_s.arg(message.id).arg(message.seq).arg(failure));
            continue;
        }
        const qint64 seq = message.seq > 0 ? message.seq : insert.lastInsertId();
        counters->maxSeq = std::max(counters->maxSeq, seq);
        ++counters->messages;
        if (handledAlready.contains(seq))
            continue;
        undelivered.bind(1, seq);
        if (!undelivered.exec(&failure)) {
            *error = u"cannot store message %1: %2"_s.arg(message.id, failure);
            return false;
        }
    }
    return true;
}

bool SqliteHistoryWriter::writeDelivered(const QList<qint64> &delivered, const QList<MessageRecord> &messages,
                                         QString *error)
{
    if (delivered.isEmpty())
        return true;
    QSet<qint64> storedNow;
    for (const MessageRecord &message : messages)
        storedNow.insert(message.seq);
    SqliteStatement &remove = m_statements->deleteUndelivered;
    for (qint64 seq : delivered) {
        if (storedNow.contains(seq))
            continue; // never written as undelivered (writeMessages)
        remove.bind(1, seq);
        QString failure;
        if (!remove.exec(&failure)) {
            *error = u"cannot record the delivery of message %1: %2"_s.arg(seq).arg(failure);
            return false;
        }
    }
    return true;
}

bool SqliteHistoryWriter::writeThreads(const QList<ThreadInfo> &threads, Counters *counters, QString *error)
{
    for (const ThreadInfo &thread : threads) {
        if (!writeThread(thread, counters, error))
            return false;
    }
    return true;
}

bool SqliteHistoryWriter::writeThread(const ThreadInfo &thread, Counters *counters, QString *error)
{
    SqliteStatement &select = m_statements->selectThread;
    select.bind(1, thread.id);
    QString failure;
    const bool exists = select.step(&failure);
    const QStringList known = exists ? HistoryCodec::decodeList(select.columnText(0)) : QStringList();
    select.reset();
    if (!failure.isEmpty()) {
        *error = u"cannot read thread %1: %2"_s.arg(thread.id, failure);
        return false;
    }

    QStringList participants = known;
    QStringList added;
    for (const QString &participant : thread.participants) {
        if (!participants.contains(participant)) {
            participants.append(participant);
            added.append(participant);
        }
    }

    const auto bindTime = [](SqliteStatement &statement, int position, const QDateTime &time) {
        if (time.isValid())
            statement.bind(position, time.toMSecsSinceEpoch());
        else
            statement.bindNull(position);
    };
    SqliteStatement &upsert = exists ? m_statements->updateThread : m_statements->insertThread;
    if (exists) {
        upsert.bind(1, toString(thread.status));
        upsert.bindUtf8(2, HistoryCodec::encodeList(participants));
        upsert.bind(3, thread.messageCount);
        bindTime(upsert, 4, thread.createdAt);
        bindTime(upsert, 5, thread.lastActivity);
        upsert.bindOptionalText(6, thread.error);
        upsert.bind(7, thread.id);
    } else {
        upsert.bind(1, thread.id);
        upsert.bind(2, toString(thread.status));
        upsert.bindUtf8(3, HistoryCodec::encodeList(participants));
        upsert.bind(4, thread.messageCount);
        bindTime(upsert, 5, thread.createdAt);
        bindTime(upsert, 6, thread.lastActivity);
        upsert.bindOptionalText(7, thread.error);
        upsert.bind(8, counters->nextCreatedSeq++);
    }
    if (!upsert.exec(&failure)) {
        *error = u"cannot store thread %1: %2"_s.arg(thread.id, failure);
        return false;
    }

    SqliteStatement &insertParticipant = m_statements->insertParticipant;
    for (const QString &participant : std::as_const(added)) {
        insertParticipant.bind(1, thread.id);
        insertParticipant.bind(2, participant);
        if (!insertParticipant.exec(&failure)) {
            *error = u"cannot store a participant of thread %1: %2"_s.arg(thread.id, failure);
            return false;
        }
    }
    return true;
}

bool SqliteHistoryWriter::writeAgents(const QList<AgentCounterRecord> &latest, QString *error)
{
    SqliteStatement &upsert = m_statements->upsertAgent;
    for (const AgentCounterRecord &agent : latest) {
        upsert.bind(1, agent.name);
        upsert.bind(2, agent.messageCount);
        if (agent.lastActivity.isValid())
            upsert.bind(3, agent.lastActivity.toMSecsSinceEpoch());
        else
            upsert.bindNull(3);
        QString failure;
        if (!upsert.exec(&failure)) {
            *error = u"cannot store agent %1: %2"_s.arg(agent.name, failure);
            return false;
        }
    }
    return true;
}

bool SqliteHistoryWriter::writeUsage(const QList<UsageEvent> &events,
                                     const QList<std::optional<LlmTranscript>> &transcripts, QString *error)
{
    SqliteStatement &insert = m_statements->insertUsage;
    for (qsizetype i = 0; i < events.size(); ++i) {
        const UsageEvent &event = events.at(i);
        insert.bind(1, HistoryCodec::isoTimestamp(event.timestamp));
        insert.bind(2, event.threadId);
        insert.bindOptionalText(3, event.agentId);
        insert.bind(4, event.model);
        insert.bind(5, event.provider);
        insert.bind(6, event.promptTokens);
        insert.bind(7, event.completionTokens);
        insert.bind(8, event.totalTokens);
        insert.bind(9, event.latencyMs);
        if (event.estimatedCost)
            insert.bind(10, *event.estimatedCost);
        else
            insert.bindNull(10);
        insert.bindUtf8(11, HistoryCodec::encodeMap(event.metadata));
        insert.bindOptionalText(12, metadataText(event, event.orgId, u"org_id"_s));
        insert.bindOptionalText(13, metadataText(event, event.userId, u"user_id"_s));
        insert.bind(14, event.cachedPromptTokens);
        insert.bind(15, event.estimatedTokens ? 1 : 0);
        insert.bind(16, toString(event.outcome));
        insert.bind(17, event.cacheWriteTokens);
        insert.bind(18, event.reasoningTokens);
        if (event.ttftMs)
            insert.bind(19, *event.ttftMs);
        else
            insert.bindNull(19);
        if (event.tokensPerSecond)
            insert.bind(20, *event.tokensPerSecond);
        else
            insert.bindNull(20);
        QString failure;
        if (!insert.exec(&failure)) {
            *error = u"cannot store a usage event: "_s + failure;
            return false;
        }
        if (const std::optional<LlmTranscript> &transcript = transcripts.value(i);
            transcript && !writeTranscript(insert.lastInsertId(), event.threadId, *transcript, error))
            return false;
    }
    return true;
}

bool SqliteHistoryWriter::writeTranscript(qint64 usageId, const QString &threadId, const LlmTranscript &transcript,
                                          QString *error)
{
    SqliteStatement &insert = m_statements->insertTranscript;
    insert.bind(1, usageId);
    insert.bind(2, threadId);
    insert.bind(3, transcript.messageSeq);
    insert.bindBlob(4, HistoryCodec::encodePrompt(transcript.prompt));
    insert.bind(5, transcript.response);
    QString failure;
    if (insert.exec(&failure))
        return true;
    *error = u"cannot store what an LLM call was sent: "_s + failure;
    return false;
}

bool SqliteHistoryWriter::writeRuns(const QList<HandlerRun> &runs, QString *error)
{
    SqliteStatement &insert = m_statements->insertRun;
    for (const HandlerRun &run : runs) {
        insert.bind(1, run.seq);
        insert.bind(2, run.started.toMSecsSinceEpoch());
        insert.bind(3, run.ended.toMSecsSinceEpoch());
        insert.bindOptionalText(4, run.error);
        QString failure;
        if (!insert.exec(&failure)) {
            *error = u"cannot store how message %1 was handled: %2"_s.arg(run.seq).arg(failure);
            return false;
        }
    }
    return true;
}

bool SqliteHistoryWriter::writeOrigins(const QList<QPair<QString, ThreadOrigin>> &origins, QString *error)
{
    SqliteStatement &insert = m_statements->insertOrigin;
    for (const auto &[threadId, origin] : origins) {
        insert.bind(1, threadId);
        insert.bind(2, toString(origin.kind));
        insert.bind(3, origin.threadId);
        insert.bind(4, origin.messageId);
        insert.bind(5, origin.firstSeq);
        QString failure;
        if (!insert.exec(&failure)) {
            *error = u"cannot store where thread %1 came from: %2"_s.arg(threadId, failure);
            return false;
        }
    }
    return true;
}

bool SqliteHistoryWriter::writeSettings(const QList<QPair<QString, QString>> &settings, QString *error)
{
    SqliteStatement &upsert = m_statements->upsertSetting;
    for (const auto &[name, value] : settings) {
        upsert.bind(1, name);
        upsert.bind(2, value);
        QString failure;
        if (!upsert.exec(&failure)) {
            *error = u"cannot store the setting %1: "_s.arg(name) + failure;
            return false;
        }
    }
    return true;
}

bool SqliteHistoryWriter::applyRetention(const RetentionPolicy &retention, Counters *counters, QString *error)
{
    if (!retention.apply)
        return true;
    QString failure;
    if (retention.maxAgeDays > 0) {
        const qint64 cutoff = retention.now.addDays(-retention.maxAgeDays).toMSecsSinceEpoch();
        SqliteStatement &messages = m_statements->deleteOldMessages;
        messages.bind(1, cutoff);
        if (!messages.exec(&failure)) {
            *error = u"retention by age failed: "_s + failure;
            return false;
        }
        counters->messages -= messages.changes();
        for (SqliteStatement *statement : {&m_statements->deleteOldParticipants, &m_statements->deleteOldThreads}) {
            statement->bind(1, cutoff);
            if (!statement->exec(&failure)) {
                *error = u"retention by age failed: "_s + failure;
                return false;
            }
        }
    }
    const qint64 excess = counters->messages - retention.maxMessages;
    if (excess > 0) {
        SqliteStatement &oldest = m_statements->deleteOldestMessages;
        oldest.bind(1, excess);
        if (!oldest.exec(&failure)) {
            *error = u"retention by count failed: "_s + failure;
            return false;
        }
        counters->messages -= oldest.changes();
    }
    return true;
}

bool SqliteHistoryWriter::storeCounters(const Counters &counters, QString *error)
{
    SqliteStatement &set = m_statements->setCounter;
    const std::tuple<QString, qint64, qint64> values[] = {
        {u"messages"_s, m_counters.messages, counters.messages},
        {u"max_seq"_s, m_counters.maxSeq, counters.maxSeq},
    };
    for (const auto &[name, stored, current] : values) {
        if (stored == current)
            continue;
        set.bind(1, name);
        set.bind(2, current);
        QString failure;
        if (!set.exec(&failure)) {
            *error = u"cannot store the history counters: "_s + failure;
            return false;
        }
    }
    return true;
}

bool SqliteHistoryWriter::exec(const char *sql, QString *error)
{
    const int rc = sqlite3_exec(m_handle, sql, nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK)
        return true;
    if (error)
        *error = QString::fromLatin1(sql) + u": "_s + sqliteErrorText(m_handle, rc);
    return false;
}

} // namespace agentdesk
