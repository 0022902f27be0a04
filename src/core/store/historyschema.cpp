#include "historyschema.h"

#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace agentdesk {

using namespace Qt::StringLiterals;

namespace {

// usage_events keeps the original's columns and index names (spec §5.22) so its tooling can read the
// table; cached_prompt_tokens and estimated_tokens are agentdesk's, appended at the end.
const char *const kSchema[] = {
    "CREATE TABLE IF NOT EXISTS messages ("
    " seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, thread_id TEXT NOT NULL,"
    " from_agent TEXT NOT NULL, to_agent TEXT NOT NULL, payload_type TEXT NOT NULL,"
    " payload_xml TEXT NOT NULL, payload_fields TEXT NOT NULL, ts INTEGER, depth INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX IF NOT EXISTS messages_thread ON messages(thread_id)",
    "CREATE INDEX IF NOT EXISTS messages_from ON messages(from_agent)",
    // (to_agent, from_agent) makes both halves of the agent filter's count covering index scans.
    "CREATE INDEX IF NOT EXISTS messages_to ON messages(to_agent, from_agent)",
    "CREATE INDEX IF NOT EXISTS messages_type ON messages(payload_type)",
    "CREATE INDEX IF NOT EXISTS messages_ts ON messages(ts)",

    "CREATE TABLE IF NOT EXISTS threads ("
    " id TEXT PRIMARY KEY, status TEXT NOT NULL, participants TEXT NOT NULL DEFAULT '[]',"
    " message_count INTEGER NOT NULL DEFAULT 0, created_at INTEGER, last_activity INTEGER, error TEXT,"
    " created_seq INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS threads_order ON threads(COALESCE(last_activity, created_at) DESC, created_seq)",
    "CREATE INDEX IF NOT EXISTS threads_status ON threads(status)",
    "CREATE TABLE IF NOT EXISTS thread_participants ("
    " thread_id TEXT NOT NULL, agent TEXT NOT NULL, PRIMARY KEY(thread_id, agent)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS thread_participants_agent ON thread_participants(agent, thread_id)",

    "CREATE TABLE IF NOT EXISTS agents ("
    " name TEXT PRIMARY KEY, message_count INTEGER NOT NULL DEFAULT 0, last_activity INTEGER)",

    "CREATE TABLE IF NOT EXISTS usage_events ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp TEXT NOT NULL, thread_id TEXT, agent_id TEXT,"
    " model TEXT, provider TEXT, prompt_tokens INTEGER, completion_tokens INTEGER, total_tokens INTEGER,"
    " latency_ms REAL, estimated_cost REAL, metadata TEXT, org_id TEXT, user_id TEXT,"
    " cached_prompt_tokens INTEGER DEFAULT 0, estimated_tokens INTEGER DEFAULT 0)",
    "CREATE INDEX IF NOT EXISTS idx_usage_timestamp ON usage_events(timestamp)",
    "CREATE INDEX IF NOT EXISTS idx_usage_org_id ON usage_events(org_id)",
    "CREATE INDEX IF NOT EXISTS idx_usage_agent_id ON usage_events(agent_id)",
    "CREATE INDEX IF NOT EXISTS idx_usage_model ON usage_events(model)",

    // Exact counts kept by the writer in the same transactions, so that the unfiltered message total
    // is O(1) and the sequence never restarts, even after retention emptied the table.
    "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
    "INSERT OR IGNORE INTO counters(name, value) VALUES ('messages', 0), ('max_seq', 0)",
};

// Each later version, in order: what turns the previous version into this one. A schema change is a new
// entry here (the CREATE statements above stay as version 1 was), so a file of any earlier version is
// brought up to date step by step, each step in its own transaction.
struct Migration
{
    int version;
    std::span<const char *const> statements;
};

// 2: which messages have not been handled yet, so that a restart resumes their threads. A file written
// by version 1 knows nothing of that: its unfinished threads are reported as interrupted, as version 1
// itself did at its next start.
const char *const kVersion2[] = {
    "CREATE TABLE IF NOT EXISTS undelivered (seq INTEGER PRIMARY KEY)",
    "UPDATE threads SET status = 'error', error = 'interrupted: agentdesk stopped before this thread completed'"
    " WHERE status = 'active'",
};

// 3: how each message's handler ran and where a replayed or forked thread came from (a thread's
// timeline). Both follow retention: a run goes with its message, an origin with its thread.
const char *const kVersion3[] = {
    "CREATE TABLE IF NOT EXISTS handler_runs ("
    " seq INTEGER PRIMARY KEY, started INTEGER NOT NULL, ended INTEGER NOT NULL, error TEXT)",
    "CREATE TABLE IF NOT EXISTS thread_origins ("
    " thread_id TEXT PRIMARY KEY, kind TEXT NOT NULL, source_thread TEXT NOT NULL, source_message TEXT NOT NULL,"
    " first_seq INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TRIGGER IF NOT EXISTS messages_forget_runs AFTER DELETE ON messages"
    " BEGIN DELETE FROM handler_runs WHERE seq = old.seq; END",
    "CREATE TRIGGER IF NOT EXISTS threads_forget_origin AFTER DELETE ON threads"
    " BEGIN DELETE FROM thread_origins WHERE thread_id = old.id; END",
    // What each metered LLM attempt was sent and answered (id = its usage event's). The text goes with
    // the message it was made for; the usage event stays (usage history is kept whole).
    "CREATE TABLE IF NOT EXISTS llm_transcripts ("
    " id INTEGER PRIMARY KEY, thread_id TEXT NOT NULL, message_seq INTEGER NOT NULL, prompt BLOB, response TEXT)",
    "CREATE INDEX IF NOT EXISTS llm_transcripts_thread ON llm_transcripts(thread_id, message_seq)",
    "CREATE TRIGGER IF NOT EXISTS messages_forget_transcripts AFTER DELETE ON messages"
    " BEGIN DELETE FROM llm_transcripts WHERE thread_id = old.thread_id AND message_seq = old.seq; END",
};

// 4: every billed attempt is metered with its outcome and the bill's categories (issue 11);
// `settings` keeps small durable values such as the time of the last usage reset and of each agent
// or organism budget's reset.
const char *const kVersion4[] = {
    "ALTER TABLE usage_events ADD COLUMN outcome TEXT NOT NULL DEFAULT 'ok'",
    "ALTER TABLE usage_events ADD COLUMN cache_write_tokens INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE usage_events ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE usage_events ADD COLUMN ttft_ms REAL",
    "ALTER TABLE usage_events ADD COLUMN tokens_per_second REAL",
    "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
};

const Migration kMigrations[] = {
    {2, kVersion2},
    {3, kVersion3},
    {4, kVersion4},
};

} // namespace

bool HistorySchema::prepare(QSqlDatabase &db, HistoryDurability durability, QString *error)
{
    QSqlQuery journal(db);
    if (!journal.exec(u"PRAGMA journal_mode=WAL"_s) || !journal.next()) {
        *error = u"cannot enable the WAL journal: "_s + journal.lastError().text();
        return false;
    }
    if (journal.value(0).toString().compare(u"wal"_s, Qt::CaseInsensitive) != 0) {
        *error = u"the file system does not support the WAL journal (got %1)"_s.arg(journal.value(0).toString());
        return false;
    }
    journal.finish();
    if (!setDurability(db, durability, error))
        return false;

    QSqlQuery version(db);
    if (!version.exec(u"PRAGMA user_version"_s) || !version.next()) {
        *error = u"cannot read the schema version: "_s + version.lastError().text();
        return false;
    }
    const int found = version.value(0).toInt();
    version.finish();
    if (found > Version) {
        *error =
            u"the history was written by a newer agentdesk (schema version %1, this one knows %2)"_s.arg(found).arg(
                Version);
        return false;
    }
    if (found == 0 && !create(db, error))
        return false;
    for (const Migration &migration : kMigrations) {
        if (migration.version > std::max(found, 1) && !migrate(db, migration.version, migration.statements, error))
            return false;
    }
    return true;
}

bool HistorySchema::setDurability(QSqlDatabase &db, HistoryDurability durability, QString *error)
{
    const QString level = durability == HistoryDurability::Full ? u"FULL"_s : u"NORMAL"_s;
    return exec(db, u"PRAGMA synchronous="_s + level, error);
}

bool HistorySchema::create(QSqlDatabase &db, QString *error)
{
    return migrate(db, 1, kSchema, error);
}

bool HistorySchema::migrate(QSqlDatabase &db, int version, std::span<const char *const> statements, QString *error)
{
    if (!exec(db, u"BEGIN IMMEDIATE"_s, error))
        return false;
    for (const char *statement : statements) {
        if (!exec(db, QString::fromLatin1(statement), error)) {
            exec(db, u"ROLLBACK"_s, nullptr);
            *error = u"cannot bring the history to schema version %1: %2"_s.arg(version).arg(*error);
            return false;
        }
    }
    if (!exec(db, u"PRAGMA user_version=%1"_s.arg(version), error) || !exec(db, u"COMMIT"_s, error)) {
        exec(db, u"ROLLBACK"_s, nullptr);
        return false;
    }
    return true;
}

bool HistorySchema::exec(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery query(db);
    if (query.exec(sql))
        return true;
    if (error)
        *error = sql.left(60) + u": "_s + query.lastError().text();
    return false;
}

} // namespace agentdesk
