#include "sqlitehistoryengine.h"

#include "filesystemprobe.h"
#include "historyreader.h"
#include "sqlitehistorywriter.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLockFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>

namespace agentdesk {

using namespace Qt::StringLiterals;

SqliteHistoryEngine::SqliteHistoryEngine(const QString &directory, const QString &organism)
    : m_directory(QDir(directory).absolutePath())
    , m_organism(organism)
    , m_databasePath(QDir(directory).absoluteFilePath(u"history.sqlite"_s))
{ }

SqliteHistoryEngine::~SqliteHistoryEngine() = default;

bool SqliteHistoryEngine::acquire(QString *error)
{
    if (!QSqlDatabase::isDriverAvailable(u"QSQLITE"_s)) {
        *error = u"the Qt SQLite driver (QSQLITE) is not installed"_s;
        return false;
    }
    const QDir dir(m_directory);
    if (!dir.mkpath(u"."_s)) {
        *error = u"cannot create the history directory "_s + m_directory + openProblem();
        return false;
    }

    // Counters and tickets live in the writer's memory: a second process writing the same file would
    // corrupt them, so the directory is locked (a lock left by a dead process is taken over).
    const QString lockPath = dir.absoluteFilePath(u"history.lock"_s);
    // A clean close removes the lock file: finding one that can be taken over means the last process died.
    const bool leftoverLock = QFileInfo::exists(lockPath);
    auto lock = std::make_unique<QLockFile>(lockPath);
    lock->setStaleLockTime(0);
    if (!lock->tryLock()) {
        qint64 pid = 0;
        QString host;
        QString application;
        // Only a holder that is alive explains the failure; a dead one's lock could not be taken over
        // for another reason (a full disk, permissions), which is what the operator needs to read.
        const bool held = lock->error() == QLockFile::LockFailedError && lock->getLockInfo(&pid, &host, &application)
            && (host != QSysInfo::machineHostName() || FileSystemProbe::processAlive(pid));
        if (held)
            *error = u"the history in %1 is in use by %2 (process %3 on %4)"_s.arg(m_directory, application)
                         .arg(pid)
                         .arg(host);
        else
            *error = u"cannot lock the history in "_s + m_directory + openProblem();
        return false;
    }
    m_previousRunEndedUncleanly = leftoverLock;
    m_lock = std::move(lock);
    m_openedAt = QDateTime::currentDateTimeUtc();
    return true;
}

void SqliteHistoryEngine::release()
{
    m_lock.reset();
}

std::unique_ptr<HistoryBatchWriter> SqliteHistoryEngine::createWriter(const QString &connectionName) const
{
    return std::make_unique<SqliteHistoryWriter>(connectionName, m_databasePath);
}

bool SqliteHistoryEngine::openReadConnection(const QString &connectionName, QString *error) const
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connectionName);
    db.setDatabaseName(m_databasePath);
    db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    if (!db.open()) {
        *error = db.lastError().text();
        return false;
    }
    QSqlQuery readOnly(db);
    if (!readOnly.exec(u"PRAGMA query_only=1"_s)) {
        *error = readOnly.lastError().text();
        return false;
    }
    return HistoryReader::registerFunctions(db, error);
}

QString SqliteHistoryEngine::failureCause() const
{
    // SQLite says "disk is full" or "disk I/O error"; the file system says which: ENOSPC, EIO, EROFS.
    const QString problem = FileSystemProbe::writeProblem(m_directory);
    return problem.isEmpty() ? QString() : u"the file system says: "_s + problem;
}

QList<HistoryInstance> SqliteHistoryEngine::instances(const QSqlDatabase &) const
{
    HistoryInstance self;
    self.organism = m_organism;
    self.host = QSysInfo::machineHostName();
    self.pid = QCoreApplication::applicationPid();
    self.running = true;
    self.startedAt = m_openedAt;
    self.lastSeen = QDateTime::currentDateTimeUtc();
    self.isThisProcess = true;
    return {self};
}

// ": No space left on device (ENOSPC)" when the directory cannot take a write, else nothing: the
// cause behind a failure to create, lock or open the history.
QString SqliteHistoryEngine::openProblem() const
{
    QString existing = m_directory;
    while (!QFileInfo(existing).isDir() && existing != QDir::rootPath())
        existing = QFileInfo(existing).absolutePath();
    const QString problem = FileSystemProbe::writeProblem(existing);
    return problem.isEmpty() ? QString() : u": "_s + problem;
}

} // namespace agentdesk
