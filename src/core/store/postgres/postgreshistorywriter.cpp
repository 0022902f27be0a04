#include "postgreshistorywriter.h"

#include "../historycodec.h"
#include "postgrescopyrows.h"

#include <libpq-fe.h>

#include <algorithm>

namespace agentdesk {

using namespace Qt::StringLiterals;
using Params = PostgresConnection::Params;
using PgResult = PostgresConnection::Result;

namespace {

// Statements between syncs: enough to keep the pipeline full, few enough that the results waiting to
// be read (tens of bytes each) never fill the socket buffers.
constexpr qsizetype kStatementsPerSync = 512;

const QString kUniqueViolation = QStringLiteral("23505");

QByteArray byteaLiteral(const QByteArray &bytes)
{
    return "\\x" + bytes.toHex();
}

void addTime(Params &params, const QDateTime &time)
{
    if (time.isValid())
        params.add(time.toMSecsSinceEpoch());
    else
        params.addNull();
}

QString metadataText(const UsageEvent &event, const QString &own, const QString &key)
{
    return own.isEmpty() ? event.metadata.value(key).toString() : own;
}

const std::pair<const char *, const char *> kStatements[] = {
    // Plain inserts first, and their "…_skipping_taken"/"…_replacing" variants when a batch meets a key
    // that is already taken (PostgresHistoryWriter::write): ON CONFLICT makes every row a speculative
    // insertion, which cost 40–70 % more per row than a plain insert (measured on this schema). The
    // batch's messages, copied into incoming_messages: RETURNING says which were stored.
    {"store_messages", "INSERT INTO messages SELECT * FROM incoming_messages RETURNING seq"},
    {"store_messages_skipping_taken",
     "INSERT INTO messages SELECT * FROM incoming_messages ON CONFLICT DO NOTHING RETURNING seq"},
    // Undelivered: what this batch stored and did not also handle (store_messages said which).
    {"store_undelivered", "INSERT INTO undelivered(seq) SELECT unnest($1::bigint[])"},
    {"store_undelivered_skipping_taken",
     "INSERT INTO undelivered(seq) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING"},
    {"delete_undelivered", "DELETE FROM undelivered WHERE seq = ANY($1::bigint[])"},
    // Every thread of the batch in one statement (its threads are distinct: HistoryBatch::mergedThreads):
    // new ones inserted with their creation order, known ones updated.
    {"upsert_threads",
     "INSERT INTO threads(id, status, participants, message_count, created_at, last_activity, error, created_seq)"
     " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[],"
     " $7::text[], $8::bigint[]) ON CONFLICT (id) DO UPDATE SET status = excluded.status,"
     " participants = excluded.participants, message_count = excluded.message_count,"
     " created_at = COALESCE(threads.created_at, excluded.created_at), last_activity = excluded.last_activity,"
     " error = excluded.error"},
    {"insert_participants",
     "INSERT INTO thread_participants(thread_id, agent) SELECT * FROM unnest($1::text[], $2::text[])"},
    {"insert_participants_skipping_taken",
     "INSERT INTO thread_participants(thread_id, agent) SELECT * FROM unnest($1::text[], $2::text[])"
     " ON CONFLICT DO NOTHING"},
    {"upsert_agent",
     "INSERT INTO agents(name, message_count, last_activity) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE"
     " SET message_count = excluded.message_count, last_activity = excluded.last_activity"},
    {"insert_usage",
     "INSERT INTO usage_events(timestamp, thread_id, agent_id, model, provider, prompt_tokens, completion_tokens,"
     " total_tokens, latency_ms, estimated_cost, metadata, org_id, user_id, cached_prompt_tokens, estimated_tokens,"
     " outcome, cache_write_tokens, reasoning_tokens, ttft_ms, tokens_per_second) VALUES ($1, $2, $3, $4, $5, $6,"
     " $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)"},
    // The usage event inserted just before, on this connection.
    {"insert_transcript",
     "INSERT INTO llm_transcripts(id, thread_id, message_seq, prompt, response)"
     " VALUES (currval(pg_get_serial_sequence('usage_events', 'id')), $1, $2, $3, $4)"},
    {"store_runs", "INSERT INTO handler_runs SELECT * FROM incoming_runs"},
    // A message handled again (resumed after a crash, a thread retried) keeps its latest run.
    {"store_runs_replacing",
     "INSERT INTO handler_runs SELECT * FROM incoming_runs ON CONFLICT (seq) DO UPDATE"
     " SET started = excluded.started, ended = excluded.ended, error = excluded.error"},
    {"upsert_origin",
     "INSERT INTO thread_origins(thread_id, kind, source_thread, source_message, first_seq)"
     " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (thread_id) DO UPDATE SET kind = excluded.kind,"
     " source_thread = excluded.source_thread, source_message = excluded.source_message,"
     " first_seq = excluded.first_seq"},
    {"upsert_setting",
     "INSERT INTO settings(name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value"},
    {"set_counter", "UPDATE counters SET value = $2 WHERE name = $1"},
    // Retention never takes a message that still has to be handled: its thread resumes at the next start.
    {"delete_old_messages", "DELETE FROM messages WHERE ts < $1 AND seq NOT IN (SELECT seq FROM undelivered)"},
    {"delete_old_participants",
     "DELETE FROM thread_participants WHERE thread_id IN (SELECT id FROM threads"
     " WHERE status <> 'active' AND COALESCE(last_activity, created_at) < $1)"},
    {"delete_old_threads", "DELETE FROM threads WHERE status <> 'active' AND COALESCE(last_activity, created_at) < $1"},
    {"delete_oldest_messages",
     "DELETE FROM messages WHERE seq IN (SELECT seq FROM messages WHERE seq NOT IN"
     " (SELECT seq FROM undelivered) ORDER BY seq LIMIT $1)"},
};

} // namespace

PostgresHistoryWriter::PostgresHistoryWriter(const QString &url, const PostgresSchema::Instance &instance)
    : m_url(url)
    , m_instance(instance)
{ }

bool PostgresHistoryWriter::open(HistoryDurability durability, QString *error)
{
    m_durability = durability;
    if (!m_connection.connect(m_url, u"agentdesk (history writer)"_s, error))
        return false;
    if (!PostgresSchema::prepare(m_connection, m_instance, error))
        return false;
    return connectAndPrepare(error) && loadCounters(error);
}

// The session of a (re)made connection: the instance's schema, the durability, the statements.
bool PostgresHistoryWriter::connectAndPrepare(QString *error)
{
    if (!m_connection.isConnected() && !m_connection.reconnect(error))
        return false;
    // Like SQLite's busy time-out: a transaction that waits 5 s for another session's lock fails, says
    // so, and is retried, rather than holding up every acknowledgement without a word.
    if (!m_connection.execOk(u"SET search_path TO "_s + m_instance.schema, error)
        || !m_connection.execOk(u"SET lock_timeout = '5s'"_s, error))
        return false;
    // Where COPY puts a batch's messages and runs on their way into the history; emptied at each commit.
    if (!m_connection.execOk(
            u"CREATE TEMP TABLE IF NOT EXISTS incoming_messages (LIKE messages) ON COMMIT DELETE ROWS;"
            " CREATE TEMP TABLE IF NOT EXISTS incoming_runs (LIKE handler_runs) ON COMMIT DELETE ROWS"_s,
            error))
        return false;
    return setDurability(m_durability, error) && prepareStatements(error);
}

bool PostgresHistoryWriter::prepareStatements(QString *error)
{
    for (const auto &[name, sql] : kStatements) {
        if (!m_connection.prepare(name, QString::fromLatin1(sql), error))
            return false;
    }
    return true;
}

bool PostgresHistoryWriter::setDurability(HistoryDurability durability, QString *error)
{
    m_durability = durability;
    // Both levels wait for the commit to be on the server's disk before a ticket is published (and so
    // before anything is acknowledged): `local` does not wait for standbys, `on` waits for those that
    // synchronous_standby_names lists as well.
    const QString level = durability == HistoryDurability::Full ? u"on"_s : u"local"_s;
    return m_connection.execOk(u"SET synchronous_commit TO "_s + level, error);
}

bool PostgresHistoryWriter::loadCounters(QString *error)
{
    const PgResult row = m_connection.exec(u"SELECT (SELECT value FROM counters WHERE name = 'messages'),"
                                           " (SELECT value FROM counters WHERE name = 'max_seq'),"
                                           " (SELECT COALESCE(MAX(created_seq), 0) + 1 FROM threads)"_s);
    if (!row.ok() || row.rows() != 1) {
        *error = u"cannot read the history counters: "_s + row.error();
        return false;
    }
    m_counters.messages = row.integer(0, 0);
    m_counters.maxSeq = row.integer(0, 1);
    m_counters.nextCreatedSeq = row.integer(0, 2);
    return true;
}

bool PostgresHistoryWriter::write(const HistoryBatch &batch, const RetentionPolicy &retention, QString *error,
                                  QStringList *rejected)
{
    // Keys are fresh in all but a few batches (a message stored twice, a message handled again after a
    // restart or a retry): plain inserts first, and only when one meets a taken key (the whole
    // transaction rolled back) the batch again with the statements that skip or replace it.
    m_conflicts = Conflicts::NotExpected;
    if (attempt(batch, retention, error, rejected))
        return true;
    if (m_pipelineSqlState != kUniqueViolation)
        return false;
    m_conflicts = Conflicts::Expected;
    return attempt(batch, retention, error, rejected);
}

bool PostgresHistoryWriter::attempt(const HistoryBatch &batch, const RetentionPolicy &retention, QString *error,
                                    QStringList *rejected)
{
    m_pipelineSqlState.clear();
    if (!m_connection.isConnected()) {
        // The server went away and came back (or not yet: then this fails and the writer retries).
        m_participants.clear();
        if (!connectAndPrepare(error) || !loadCounters(error))
            return false;
    }
    const QList<ThreadInfo> threads = batch.mergedThreads();
    if (!lookUpThreads(threads, error))
        return false;

    Counters counters = m_counters;
    // What the batch changes in m_participants, applied once it is committed (a copy of the whole
    // table per batch would cost more than the changes: a busy organism has thousands of running threads).
    QHash<QString, std::optional<QStringList>> participantChanges;
    QStringList refused;
    // The bulk of a batch — its messages and handler runs — goes by COPY into this session's temporary
    // tables (COPY cannot run in a pipeline; bench_postgresbatch measured it well ahead of a pipeline
    // of single-row inserts), and from there into the history with one statement each, in the pipeline
    // that carries the rest of the transaction.
    QHash<qint64, QString> sentIds;
    if (!m_connection.execOk(u"BEGIN"_s, error)
        || (!batch.messages.isEmpty() && !copyMessages(batch, &counters, &sentIds, error))
        || (!batch.runs.isEmpty() && !copyRuns(batch.runs, error))) {
        m_connection.execOk(u"ROLLBACK"_s, nullptr);
        if (!m_connection.isConnected())
            *error = u"the connection to the database was lost: "_s + *error;
        return false;
    }
    m_pipelineError.clear();
    m_pipelineSqlState.clear();
    if (!m_connection.enterPipeline(error)) {
        m_connection.execOk(u"ROLLBACK"_s, nullptr);
        return false;
    }
    QList<qint64> undelivered; // known once store_messages has answered
    if (!batch.messages.isEmpty())
        sendMessages(batch, sentIds, &counters, &refused, &undelivered);
    sendDelivered(batch);
    sendThreads(threads, &counters, &participantChanges);
    sendAgents(batch.latestAgents());
    sendUsage(batch);
    sendRunsOriginsSettings(batch);
    drain(); // which messages were stored is known now
    // Before retention, which never takes an undelivered message.
    if (!undelivered.isEmpty() && m_pipelineError.isEmpty()) {
        Params seqs;
        seqs.add(PostgresArray::of(undelivered));
        send(pick("store_undelivered", "store_undelivered_skipping_taken"), seqs);
    }
    if (retention.apply && m_pipelineError.isEmpty()) {
        sendRetention(retention, &counters);
        drain();
    }
    if (m_pipelineError.isEmpty()) {
        sendCounters(counters);
        sendSql(u"COMMIT"_s);
    } else {
        sendSql(u"ROLLBACK"_s);
    }
    const bool written = drain() && m_pipelineError.isEmpty();
    if (!m_connection.exitPipeline() && m_connection.isConnected())
        m_connection.close(); // out of step with the server: start afresh next time
    if (!written) {
        *error = m_pipelineError.isEmpty() ? m_connection.lastError() : m_pipelineError;
        if (!m_connection.isConnected())
            *error = u"the connection to the database was lost: "_s + *error;
        return false;
    }
    m_counters = counters;
    for (auto it = participantChanges.cbegin(); it != participantChanges.cend(); ++it) {
        if (it.value())
            m_participants.insert(it.key(), *it.value());
        else
            m_participants.remove(it.key());
    }
    *rejected = refused;
    return true;
}

bool PostgresHistoryWriter::lookUpThreads(const QList<ThreadInfo> &threads, QString *error)
{
    QStringList unknown;
    for (const ThreadInfo &thread : threads) {
        if (!m_participants.contains(thread.id))
            unknown.append(thread.id);
    }
    if (unknown.isEmpty())
        return true;
    Params ids;
    ids.add(PostgresArray::of(unknown));
    const PgResult rows = m_connection.exec(u"SELECT id, participants FROM threads WHERE id = ANY($1::text[])"_s, ids);
    if (!rows.ok()) {
        *error = u"cannot read threads: "_s + rows.error();
        if (!m_connection.isConnected())
            *error = u"the connection to the database was lost: "_s + *error;
        return false;
    }
    for (int row = 0; row < rows.rows(); ++row)
        m_participants.insert(rows.text(row, 0), HistoryCodec::decodeList(rows.text(row, 1)));
    return true;
}

bool PostgresHistoryWriter::send(const char *statement, const Params &params, Check check)
{
    if (!m_connection.sendPrepared(statement, params)) {
        if (m_pipelineError.isEmpty())
            m_pipelineError = m_connection.lastError();
        return false;
    }
    m_inFlight.append(std::move(check));
    return m_inFlight.size() < kStatementsPerSync || drain();
}

bool PostgresHistoryWriter::sendSql(const QString &sql, const Params &params, Check check)
{
    if (!m_connection.sendQuery(sql, params)) {
        if (m_pipelineError.isEmpty())
            m_pipelineError = m_connection.lastError();
        return false;
    }
    m_inFlight.append(std::move(check));
    return m_inFlight.size() < kStatementsPerSync || drain();
}

bool PostgresHistoryWriter::drain()
{
    const QList<Check> inFlight = std::exchange(m_inFlight, {});
    if (!m_connection.sync()) {
        if (m_pipelineError.isEmpty())
            m_pipelineError = m_connection.lastError();
        return false;
    }
    for (const Check &check : inFlight) {
        const PgResult result = m_connection.nextResult();
        if (result.ok()) {
            if (check)
                check(result);
        } else if (!result.aborted() && m_pipelineError.isEmpty()) {
            m_pipelineError = result.error();
            m_pipelineSqlState = result.sqlState();
        }
        if (!result.get())
            return false; // the connection is gone: nothing more will come
    }
    const PgResult synced = m_connection.nextResult(); // the sync's own result
    return synced.get() != nullptr;
}

bool PostgresHistoryWriter::copyMessages(const HistoryBatch &batch, Counters *counters, QHash<qint64, QString> *sentIds,
                                         QString *error)
{
    PostgresCopyRows rows;
    qint64 assigned = counters->maxSeq;
    for (const MessageRecord &message : batch.messages) {
        // A message without a seq takes the next free one, as SQLite's INTEGER PRIMARY KEY would.
        const qint64 seq = message.seq > 0 ? message.seq : std::max(assigned, counters->maxSeq) + 1;
        assigned = std::max(assigned, seq);
        sentIds->insert(seq, message.id);
        rows.add(seq).add(message.id).add(message.threadId).add(message.from).add(message.to).add(message.payloadType);
        rows.add(message.xml)
            .add(HistoryCodec::encodeMap(message.fields))
            .add(message.timestamp)
            .add(qint64(message.depth));
        rows.endRow();
    }
    return m_connection.copyIn(u"COPY incoming_messages FROM STDIN"_s, rows.data(), error);
}

bool PostgresHistoryWriter::copyRuns(const QList<HandlerRun> &runs, QString *error)
{
    // One row per message (its latest run): an upsert may not touch a row twice in one statement.
    QHash<qint64, qsizetype> latest;
    for (qsizetype i = 0; i < runs.size(); ++i)
        latest.insert(runs.at(i).seq, i);
    PostgresCopyRows rows;
    for (qsizetype i = 0; i < runs.size(); ++i) {
        const HandlerRun &run = runs.at(i);
        if (latest.value(run.seq) != i)
            continue;
        rows.add(run.seq).add(run.started).add(run.ended).addNullable(run.error);
        rows.endRow();
    }
    return m_connection.copyIn(u"COPY incoming_runs FROM STDIN"_s, rows.data(), error);
}

void PostgresHistoryWriter::sendMessages(const HistoryBatch &batch, const QHash<qint64, QString> &sentIds,
                                         Counters *counters, QStringList *rejected, QList<qint64> *undelivered)
{
    // A message handled within the batch that stores it is never undelivered on disk.
    const QSet<qint64> handled(batch.delivered.cbegin(), batch.delivered.cend());
    send(pick("store_messages", "store_messages_skipping_taken"), {},
         [counters, rejected, sentIds, handled, undelivered](const PgResult &result) {
             QSet<qint64> stored;
             for (int row = 0; row < result.rows(); ++row) {
                 const qint64 seq = result.integer(row, 0);
                 stored.insert(seq);
                 counters->maxSeq = std::max(counters->maxSeq, seq);
                 if (!handled.contains(seq))
                     undelivered->append(seq);
             }
             counters->messages += stored.size();
             for (auto it = sentIds.cbegin(); it != sentIds.cend(); ++it) {
                 if (!stored.contains(it.key()))
                     rejected->append(u"message %1 (seq %2) refused: its id or seq is already stored"_s.arg(it.value())
                                          .arg(it.key()));
             }
         });
}

void PostgresHistoryWriter::sendDelivered(const HistoryBatch &batch)
{
    QSet<qint64> storedNow;
    for (const MessageRecord &message : batch.messages)
        storedNow.insert(message.seq);
    QList<qint64> seqs;
    for (qint64 seq : batch.delivered) {
        if (!storedNow.contains(seq)) // never written as undelivered (sendMessages)
            seqs.append(seq);
    }
    if (seqs.isEmpty())
        return;
    Params params;
    params.add(PostgresArray::of(seqs));
    send("delete_undelivered", params);
}

void PostgresHistoryWriter::sendThreads(const QList<ThreadInfo> &threads, Counters *counters,
                                        QHash<QString, std::optional<QStringList>> *changes)
{
    if (threads.isEmpty())
        return;
    // Column arrays for one set-based upsert: a statement per thread cost the server more than the
    // messages themselves (bench_runtime --history postgresql, pg_stat_statements).
    PostgresArray ids, statuses, lists, counts, created, active, errors, order;
    PostgresArray participantThreads, participantAgents;
    for (const ThreadInfo &thread : threads) {
        // The batch's threads are distinct (mergedThreads): m_participants is as committed for each.
        const auto found = m_participants.constFind(thread.id);
        const bool exists = found != m_participants.cend();
        QStringList participants = exists ? *found : QStringList();
        for (const QString &participant : thread.participants) {
            if (!participants.contains(participant)) {
                participants.append(participant);
                participantThreads.addText(thread.id);
                participantAgents.addText(participant);
            }
        }
        ids.addText(thread.id);
        statuses.addText(toString(thread.status));
        lists.addText(QString::fromUtf8(HistoryCodec::encodeList(participants)));
        counts.addInteger(thread.messageCount);
        created.addTime(thread.createdAt);
        active.addTime(thread.lastActivity);
        errors.addNullableText(thread.error);
        order.addInteger(exists ? 0 : counters->nextCreatedSeq++); // a known thread keeps its own
        // Only running threads are saved again and again; an ended one is looked up if it ever is.
        if (thread.status == ThreadStatus::Active)
            changes->insert(thread.id, participants);
        else
            changes->insert(thread.id, std::nullopt);
    }
    Params params;
    for (const PostgresArray *column : {&ids, &statuses, &lists, &counts, &created, &active, &errors, &order})
        params.add(column->text());
    send("upsert_threads", params);
    if (!participantThreads.isEmpty()) {
        Params pairs;
        pairs.add(participantThreads.text()).add(participantAgents.text());
        send(pick("insert_participants", "insert_participants_skipping_taken"), pairs);
    }
}

void PostgresHistoryWriter::sendAgents(const QList<AgentCounterRecord> &agents)
{
    for (const AgentCounterRecord &agent : agents) {
        Params params;
        params.add(agent.name).add(agent.messageCount);
        addTime(params, agent.lastActivity);
        send("upsert_agent", params);
    }
}

void PostgresHistoryWriter::sendUsage(const HistoryBatch &batch)
{
    for (qsizetype i = 0; i < batch.usage.size(); ++i) {
        const UsageEvent &event = batch.usage.at(i);
        Params params;
        params.add(HistoryCodec::isoTimestamp(event.timestamp))
            .add(event.threadId)
            .addNullable(event.agentId)
            .add(event.model)
            .add(event.provider)
            .add(event.promptTokens)
            .add(event.completionTokens)
            .add(event.totalTokens)
            .add(event.latencyMs);
        if (event.estimatedCost)
            params.add(*event.estimatedCost);
        else
            params.addNull();
        params.add(HistoryCodec::encodeMap(event.metadata))
            .addNullable(metadataText(event, event.orgId, u"org_id"_s))
            .addNullable(metadataText(event, event.userId, u"user_id"_s))
            .add(event.cachedPromptTokens)
            .add(qint64(event.estimatedTokens ? 1 : 0))
            .add(toString(event.outcome))
            .add(event.cacheWriteTokens)
            .add(event.reasoningTokens);
        if (event.ttftMs)
            params.add(*event.ttftMs);
        else
            params.addNull();
        if (event.tokensPerSecond)
            params.add(*event.tokensPerSecond);
        else
            params.addNull();
        send("insert_usage", params);
        if (const std::optional<LlmTranscript> &transcript = batch.transcripts.value(i)) {
            Params text;
            text.add(event.threadId)
                .add(transcript->messageSeq)
                .add(byteaLiteral(HistoryCodec::encodePrompt(transcript->prompt)))
                .add(transcript->response);
            send("insert_transcript", text);
        }
    }
}

void PostgresHistoryWriter::sendRunsOriginsSettings(const HistoryBatch &batch)
{
    if (!batch.runs.isEmpty())
        send(pick("store_runs", "store_runs_replacing"), {}); // copied into incoming_runs
    for (const auto &[threadId, origin] : batch.origins) {
        Params params;
        params.add(threadId).add(toString(origin.kind)).add(origin.threadId).add(origin.messageId).add(origin.firstSeq);
        send("upsert_origin", params);
    }
    for (const auto &[name, value] : batch.settings) {
        Params params;
        params.add(name).add(value);
        send("upsert_setting", params);
    }
}

void PostgresHistoryWriter::sendRetention(const RetentionPolicy &retention, Counters *counters)
{
    if (retention.maxAgeDays > 0) {
        Params cutoff;
        cutoff.add(retention.now.addDays(-retention.maxAgeDays).toMSecsSinceEpoch());
        send("delete_old_messages", cutoff,
             [counters](const PgResult &result) { counters->messages -= result.affected(); });
        send("delete_old_participants", cutoff);
        send("delete_old_threads", cutoff);
        drain(); // the count after the age rule decides the count rule
    }
    const qint64 excess = counters->messages - retention.maxMessages;
    if (excess > 0 && m_pipelineError.isEmpty()) {
        Params limit;
        limit.add(excess);
        send("delete_oldest_messages", limit,
             [counters](const PgResult &result) { counters->messages -= result.affected(); });
    }
}

void PostgresHistoryWriter::sendCounters(const Counters &counters)
{
    const std::tuple<const char *, qint64, qint64> values[] = {
        {"messages", m_counters.messages, counters.messages},
        {"max_seq", m_counters.maxSeq, counters.maxSeq},
    };
    for (const auto &[name, stored, current] : values) {
        if (stored == current)
            continue;
        Params params;
        params.add(QString::fromLatin1(name)).add(current);
        send("set_counter", params);
    }
}

} // namespace agentdesk
