#pragma once

#include <QSqlDatabase>
#include <QString>

namespace agentdesk {

// How hard a commit is pushed to the disk.
//  Normal: WAL with synchronous=NORMAL. A committed transaction survives a crash of the process;
//          a power loss or kernel crash may lose the last few commits (never corrupts the file).
//  Full:   synchronous=FULL. Every commit is fsynced before it is reported; survives power loss,
//          at the cost of one fsync per transaction.
enum class HistoryDurability { Normal, Full };

// The history database's schema (PRAGMA user_version) and connection settings.
class HistorySchema
{
public:
    static constexpr int Version = 2;

    // WAL journal, the durability's synchronous level, then creates the schema if the file is new and
    // upgrades a file of an older version. Refuses a file written by a newer schema version.
    static bool prepare(QSqlDatabase &db, HistoryDurability durability, QString *error);
    static bool setDurability(QSqlDatabase &db, HistoryDurability durability, QString *error);

private:
    static bool create(QSqlDatabase &db, QString *error); // version 1
    static bool migrate(QSqlDatabase &db, int from, QString *error);
    static bool exec(QSqlDatabase &db, const QString &sql, QString *error);
};

} // namespace agentdesk
