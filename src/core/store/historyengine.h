#pragma once

#include "historybatchwriter.h"

#include "config/organismconfig.h"
#include "domain/historyinstance.h"

#include <QSqlDatabase>
#include <QString>

#include <memory>

namespace agentdesk {

// What differs between the places a history can live (a SQLite file, a PostgreSQL database): how it
// is claimed by one process, how the writer and the readers connect, and what explains a failed
// write. HistoryStore runs the same queue, tickets, retries and reads on top of either.
class HistoryEngine
{
public:
    virtual ~HistoryEngine() = default;

    // The engine that `config.backend` names. `directory`: the history directory (SQLite's file, and
    // the place for local state either way); `organism`: organism.name (PostgreSQL's rows are its).
    static std::unique_ptr<HistoryEngine> create(const QString &directory, const HistoryConfig &config,
                                                 const QString &organism);

    // Where the history is, for operators' messages (a path, or a URL without a password).
    virtual QString location() const = 0;
    // Makes the history this process's alone until release() (a lock file, an advisory lock), creating
    // what is needed. On false, *error says why, naming the holder when another process has it.
    virtual bool acquire(QString *error) = 0;
    virtual void release() = 0;
    // The process that used this history before did not release it (it crashed or was killed).
    virtual bool previousRunEndedUncleanly() const = 0;

    // The writer thread's connection; called on that thread.
    virtual std::unique_ptr<HistoryBatchWriter> createWriter(const QString &connectionName) const = 0;
    // Adds and opens the Qt SQL connection `connectionName` for reads on the calling thread.
    virtual bool openReadConnection(const QString &connectionName, QString *error) const = 0;
    // False when a read connection was lost (the server restarted): the store then opens a new one.
    virtual bool isReadConnectionAlive(const QSqlDatabase &) const { return true; }
    // The organisms and instances in the history (this one first), read on `db` (a read connection).
    virtual QList<HistoryInstance> instances(const QSqlDatabase &db) const = 0;
    // What the operating system or the server says behind a failed write (": No space left on
    // device (ENOSPC)"), or nothing. Called on the writer thread.
    virtual QString failureCause() const = 0;
};

} // namespace agentdesk
