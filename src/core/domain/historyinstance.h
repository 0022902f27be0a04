#pragma once

#include <QDateTime>
#include <QString>

namespace agentdesk {

// An organism (and instance of it) whose history is in the store: on PostgreSQL every one that
// shares the database, on SQLite the one organism of the file.
struct HistoryInstance
{
    QString organism; // organism.name
    QString instance; // history.instance ("" for a SQLite history)
    QString host;     // where the process that last opened it ran
    qint64 pid = 0;
    bool running = false; // a process holds it now (or died holding it)
    QDateTime startedAt;
    QDateTime lastSeen;
    bool isThisProcess = false; // the instance this store writes
};

} // namespace agentdesk
