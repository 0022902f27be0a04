#include "postgresschema.h"

#include "postgresconnection.h"

namespace agentdesk {

using namespace Qt::StringLiterals;

namespace {

const char *const kRegistry = "CREATE SCHEMA IF NOT EXISTS agentdesk;"
                              "CREATE TABLE IF NOT EXISTS agentdesk.instances ("
                              " id SERIAL PRIMARY KEY, organism TEXT NOT NULL, instance TEXT NOT NULL,"
                              " schema_name TEXT GENERATED ALWAYS AS ('agentdesk_i' || id) STORED,"
                              " schema_version INTEGER NOT NULL DEFAULT 0, running BOOLEAN NOT NULL DEFAULT false,"
                              " host TEXT, pid INTEGER, started_at TIMESTAMPTZ, last_seen TIMESTAMPTZ,"
                              " UNIQUE (organism, instance))";

// The same tables, columns and indexes as the SQLite file's versions 1–4 (historyschema.cpp), in
// PostgreSQL's types. Times stay integers (ms since the epoch) and usage timestamps isoformat() text
// compared as text, as on SQLite, so that the readers' SQL is the same on both engines.
const char *const kVersion4 =
    "CREATE TABLE messages ("
    " seq BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE, thread_id TEXT NOT NULL,"
    " from_agent TEXT NOT NULL, to_agent TEXT NOT NULL, payload_type TEXT NOT NULL,"
    " payload_xml TEXT NOT NULL, payload_fields TEXT NOT NULL, ts BIGINT, depth INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX messages_thread ON messages(thread_id, seq);"
    "CREATE INDEX messages_from ON messages(from_agent);"
    "CREATE INDEX messages_to ON messages(to_agent, from_agent);"
    "CREATE INDEX messages_type ON messages(payload_type, seq);"
    "CREATE INDEX messages_ts ON messages(ts);"
    "CREATE TABLE threads ("
    " id TEXT PRIMARY KEY, status TEXT NOT NULL, participants TEXT NOT NULL DEFAULT '[]',"
    " message_count BIGINT NOT NULL DEFAULT 0, created_at BIGINT, last_activity BIGINT, error TEXT,"
    " created_seq BIGINT NOT NULL);"
    "CREATE INDEX threads_order ON threads((COALESCE(last_activity, created_at)) DESC, created_seq);"
    "CREATE INDEX threads_status ON threads(status);"
    "CREATE TABLE thread_participants (thread_id TEXT NOT NULL, agent TEXT NOT NULL, PRIMARY KEY(thread_id, agent));"
    "CREATE INDEX thread_participants_agent ON thread_participants(agent, thread_id);"
    "CREATE TABLE agents (name TEXT PRIMARY KEY, message_count BIGINT NOT NULL DEFAULT 0, last_activity BIGINT);"
    "CREATE TABLE usage_events ("
    " id BIGSERIAL PRIMARY KEY, timestamp TEXT NOT NULL, thread_id TEXT, agent_id TEXT,"
    " model TEXT, provider TEXT, prompt_tokens BIGINT, completion_tokens BIGINT, total_tokens BIGINT,"
    " latency_ms DOUBLE PRECISION, estimated_cost DOUBLE PRECISION, metadata TEXT, org_id TEXT, user_id TEXT,"
    " cached_prompt_tokens BIGINT DEFAULT 0, estimated_tokens INTEGER DEFAULT 0,"
    " outcome TEXT NOT NULL DEFAULT 'ok', cache_write_tokens BIGINT NOT NULL DEFAULT 0,"
    " reasoning_tokens BIGINT NOT NULL DEFAULT 0, ttft_ms DOUBLE PRECISION, tokens_per_second DOUBLE PRECISION);"
    "CREATE INDEX idx_usage_timestamp ON usage_events(timestamp);"
    "CREATE INDEX idx_usage_org_id ON usage_events(org_id);"
    "CREATE INDEX idx_usage_agent_id ON usage_events(agent_id);"
    "CREATE INDEX idx_usage_model ON usage_events(model);"
    "CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);"
    "INSERT INTO counters(name, value) VALUES ('messages', 0), ('max_seq', 0);"
    "CREATE TABLE undelivered (seq BIGINT PRIMARY KEY);"
    "CREATE TABLE handler_runs (seq BIGINT PRIMARY KEY, started BIGINT NOT NULL, ended BIGINT NOT NULL, error TEXT);"
    "CREATE TABLE thread_origins ("
    " thread_id TEXT PRIMARY KEY, kind TEXT NOT NULL, source_thread TEXT NOT NULL, source_message TEXT NOT NULL,"
    " first_seq BIGINT NOT NULL);"
    "CREATE TABLE llm_transcripts ("
    " id BIGINT PRIMARY KEY, thread_id TEXT NOT NULL, message_seq BIGINT NOT NULL, prompt BYTEA, response TEXT);"
    "CREATE INDEX llm_transcripts_thread ON llm_transcripts(thread_id, message_seq);"
    "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
    // SQLite's triggers: a message takes its handler run and transcripts with it, a thread its origin.
    "CREATE FUNCTION forget_message() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$"
    " BEGIN DELETE FROM handler_runs WHERE seq = OLD.seq;"
    " DELETE FROM llm_transcripts WHERE thread_id = OLD.thread_id AND message_seq = OLD.seq; RETURN OLD; END $$;"
    "CREATE TRIGGER messages_forget AFTER DELETE ON messages FOR EACH ROW EXECUTE FUNCTION forget_message();"
    "CREATE FUNCTION forget_thread() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$"
    " BEGIN DELETE FROM thread_origins WHERE thread_id = OLD.id; RETURN OLD; END $$;"
    "CREATE TRIGGER threads_forget AFTER DELETE ON threads FOR EACH ROW EXECUTE FUNCTION forget_thread();";

struct Migration
{
    int version;
    const char *statements;
};

// Later versions go here, each what turns the previous version into it (as in historyschema.cpp).
const Migration kMigrations[] = {
    {4, kVersion4},
};

} // namespace

bool PostgresSchema::registerInstance(PostgresConnection &connection, const QString &organism, const QString &instance,
                                      Instance *out, QString *error)
{
    // Two processes starting on a new database at once must not both create the registry.
    const QString registry = u"BEGIN; SELECT pg_advisory_xact_lock(%1, 0); %2; COMMIT"_s.arg(LockClass).arg(
        QLatin1StringView(kRegistry));
    if (!connection.execOk(registry, error)) {
        connection.execOk(u"ROLLBACK"_s, nullptr);
        *error = u"cannot create the registry of organisms (schema agentdesk): "_s + *error;
        return false;
    }
    PostgresConnection::Params names;
    names.add(organism).add(instance);
    const auto inserted = connection.exec(u"INSERT INTO agentdesk.instances(organism, instance) VALUES ($1, $2)"
                                          " ON CONFLICT (organism, instance) DO NOTHING"_s,
                                          names);
    if (!inserted.ok()) {
        *error = u"cannot register organism %1, instance %2: %3"_s.arg(organism, instance, inserted.error());
        return false;
    }
    const auto row = connection.exec(u"SELECT id, schema_name, running FROM agentdesk.instances"
                                     " WHERE organism = $1 AND instance = $2"_s,
                                     names);
    if (!row.ok() || row.rows() != 1) {
        *error = u"cannot read organism %1, instance %2 from the registry: %3"_s.arg(organism, instance, row.error());
        return false;
    }
    out->id = int(row.integer(0, 0));
    out->schema = row.text(0, 1);
    out->wasRunning = row.text(0, 2) == u"t"_s;
    return true;
}

bool PostgresSchema::prepare(PostgresConnection &connection, const Instance &instance, QString *error)
{
    PostgresConnection::Params id;
    id.add(qint64(instance.id));
    const auto version = connection.exec(u"SELECT schema_version FROM agentdesk.instances WHERE id = $1"_s, id);
    if (!version.ok() || version.rows() != 1) {
        *error = u"cannot read the schema version: "_s + version.error();
        return false;
    }
    const int found = int(version.integer(0, 0));
    if (found > Version) {
        *error =
            u"the history was written by a newer agentdesk (schema version %1, this one knows %2)"_s.arg(found).arg(
                Version);
        return false;
    }
    for (const Migration &migration : kMigrations) {
        if (migration.version <= found)
            continue;
        const QString step = u"BEGIN; CREATE SCHEMA IF NOT EXISTS %1; SET LOCAL search_path TO %1; %2;"
                             " UPDATE agentdesk.instances SET schema_version = %3 WHERE id = %4; COMMIT"_s
                                 .arg(instance.schema, QLatin1StringView(migration.statements))
                                 .arg(migration.version)
                                 .arg(instance.id);
        if (!connection.execOk(step, error)) {
            connection.execOk(u"ROLLBACK"_s, nullptr);
            *error = u"cannot bring the history to schema version %1: %2"_s.arg(migration.version).arg(*error);
            return false;
        }
    }
    return true;
}

} // namespace agentdesk
