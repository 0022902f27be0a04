#pragma once

#include "config/organismconfig.h"

#include <QSqlDatabase>
#include <QString>

#include <span>

namespace agentdesk {

// The history database's schema (PRAGMA user_version) and connection settings.
class HistorySchema
{
public:
    // 1: messages, threads, agents, usage events, counters. 2: undelivered messages (resume on start).
    // 3: handler runs, thread origins and LLM transcripts (the timeline).
    // 4: usage events' outcome, cache writes, reasoning, time to first token, tokens/s; settings.
    static constexpr int Version = 4;

    // WAL journal, the durability's synchronous level, then creates the schema if the file is new and
    // upgrades a file of an older version. Refuses a file written by a newer schema version.
    static bool prepare(QSqlDatabase &db, HistoryDurability durability, QString *error);
    static bool setDurability(QSqlDatabase &db, HistoryDurability durability, QString *error);

private:
    static bool create(QSqlDatabase &db, QString *error);
    // Runs `statements` and sets user_version to `version`, in one transaction.
    static bool migrate(QSqlDatabase &db, int version, std::span<const char *const> statements, QString *error);
    static bool exec(QSqlDatabase &db, const QString &sql, QString *error);
};

} // namespace agentdesk
