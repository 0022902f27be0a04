#include "postgreshistoryengine.h"

#include "postgresconnection.h"
#include "postgreshistorywriter.h"
#include "../filesystemprobe.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>

#include <libpq-fe.h>

namespace agentdesk {

using namespace Qt::StringLiterals;

PostgresHistoryEngine::PostgresHistoryEngine(const QString &, const HistoryConfig &config, const QString &organism)
    : m_url(config.url)
    , m_organism(organism)
    , m_instanceName(config.instance.isEmpty() ? QSysInfo::machineHostName() : config.instance)
{ }

PostgresHistoryEngine::~PostgresHistoryEngine()
{
    release();
}

QString PostgresHistoryEngine::location() const
{
    return u"%1 (organism %2, instance %3)"_s.arg(PostgresConnection::displayUrl(m_url), m_organism, m_instanceName);
}

bool PostgresHistoryEngine::acquire(QString *error)
{
    if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s)) {
        *error = u"the Qt PostgreSQL driver (QPSQL) is not installed; install the Debian package libqt6sql6-psql"_s;
        return false;
    }
    auto lock = std::make_unique<PostgresConnection>();
    if (!lock->connect(m_url, u"agentdesk (lock)"_s, error))
        return false;
    PostgresSchema::Instance instance;
    if (!PostgresSchema::registerInstance(*lock, m_organism, m_instanceName, &instance, error))
        return false;
    PostgresConnection::Params id;
    id.add(qint64(PostgresSchema::LockClass)).add(qint64(instance.id));
    const auto locked = lock->exec(u"SELECT pg_try_advisory_lock($1::int, $2::int)"_s, id);
    if (!locked.ok()) {
        *error = u"cannot lock organism %1, instance %2: %3"_s.arg(m_organism, m_instanceName, locked.error());
        return false;
    }
    if (locked.text(0, 0) != u"t"_s && !(holderHasGone(*lock, instance.id) && waitForLock(*lock, instance.id))) {
        *error = u"the history of organism %1, instance %2 in %3 is in use by %4; give this process another "
                 "history.instance"_s.arg(m_organism, m_instanceName, PostgresConnection::displayUrl(m_url),
                                          holderOf(instance.id));
        return false;
    }
    PostgresConnection::Params running;
    running.add(qint64(instance.id)).add(QSysInfo::machineHostName()).add(qint64(QCoreApplication::applicationPid()));
    const auto claimed = lock->exec(u"UPDATE agentdesk.instances SET running = true, host = $2, pid = $3,"
                                    " started_at = now(), last_seen = now() WHERE id = $1"_s,
                                    running);
    if (!claimed.ok()) {
        *error = u"cannot claim organism %1, instance %2: %3"_s.arg(m_organism, m_instanceName, claimed.error());
        return false;
    }
    m_instance = instance;
    m_lock = std::move(lock);
    return true;
}

// The holder said it stopped (running is false), or it ran on this machine and its process is gone: its
// session is ending, and the server frees the lock when the session's backend notices — a moment after
// a close or a crash, so a restart right away (systemd's, after a crash) would be refused.
bool PostgresHistoryEngine::holderHasGone(PostgresConnection &connection, int instanceId)
{
    PostgresConnection::Params id;
    id.add(qint64(instanceId));
    const auto row = connection.exec(u"SELECT running, pid, host FROM agentdesk.instances WHERE id = $1"_s, id);
    if (!row.ok() || row.rows() != 1)
        return false;
    if (row.text(0, 0) != u"t"_s)
        return true;
    const qint64 pid = row.text(0, 1).toLongLong();
    return row.text(0, 2) == QSysInfo::machineHostName() && !FileSystemProbe::processAlive(pid);
}

// Waits a bounded time for a lock whose holder has gone; a live holder is refused at once instead.
bool PostgresHistoryEngine::waitForLock(PostgresConnection &connection, int instanceId)
{
    if (!connection.exec(u"SET lock_timeout = '10s'"_s).ok())
        return false;
    PostgresConnection::Params id;
    id.add(qint64(PostgresSchema::LockClass)).add(qint64(instanceId));
    const bool locked = connection.exec(u"SELECT pg_advisory_lock($1::int, $2::int)"_s, id).ok();
    connection.exec(u"RESET lock_timeout"_s);
    return locked;
}

QString PostgresHistoryEngine::holderOf(int instanceId) const
{
    PostgresConnection lookup;
    QString ignored;
    if (!lookup.connect(m_url, u"agentdesk"_s, &ignored))
        return u"another process"_s;
    PostgresConnection::Params id;
    id.add(qint64(instanceId));
    const auto row = lookup.exec(u"SELECT pid, host FROM agentdesk.instances WHERE id = $1"_s, id);
    if (!row.ok() || row.rows() != 1 || row.isNull(0, 0))
        return u"another process"_s;
    return u"process %1 on %2"_s.arg(row.text(0, 0), row.text(0, 1));
}

void PostgresHistoryEngine::release()
{
    if (!m_lock)
        return;
    if (m_lock->isConnected()) {
        PostgresConnection::Params id;
        id.add(qint64(m_instance.id));
        m_lock->exec(u"UPDATE agentdesk.instances SET running = false, last_seen = now() WHERE id = $1"_s, id);
    }
    m_lock.reset(); // ending the session releases the advisory lock
}

std::unique_ptr<HistoryBatchWriter> PostgresHistoryEngine::createWriter(const QString &) const
{
    return std::make_unique<PostgresHistoryWriter>(m_url, m_instance);
}

bool PostgresHistoryEngine::openReadConnection(const QString &connectionName, QString *error) const
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connectionName);
    PostgresConnection::configure(db, m_url);
    if (!db.open()) {
        *error = db.lastError().text();
        return false;
    }
    // A page and its total come from one snapshot (ReadSnapshot); reads never write; the readers'
    // values travel as literals in which only a quote is escaped (ReadQuery), which is all it takes
    // when strings conform to the standard (a server configured otherwise is overruled here).
    QSqlQuery session(db);
    if (!session.exec(u"SET search_path TO "_s + m_instance.schema)
        || !session.exec(u"SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"_s)
        || !session.exec(u"SET standard_conforming_strings = on"_s)) {
        *error = session.lastError().text();
        return false;
    }
    return true;
}

bool PostgresHistoryEngine::isReadConnectionAlive(const QSqlDatabase &db) const
{
    // QPSQL keeps a dropped connection "open"; libpq knows it is gone once a statement failed on it.
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    auto *connection = handle.isValid() ? *static_cast<PGconn *const *>(handle.constData()) : nullptr;
    return connection && PQstatus(connection) == CONNECTION_OK;
}

QList<HistoryInstance> PostgresHistoryEngine::instances(const QSqlDatabase &db) const
{
    QList<HistoryInstance> out;
    QSqlQuery select(db);
    select.setForwardOnly(true);
    // Running: a process holds the instance's advisory lock now (the registry's flag stays set when a
    // process dies; that is how the next one knows the run ended uncleanly).
    if (!select.exec(u"SELECT i.id, i.organism, i.instance, i.host, i.pid, EXISTS (SELECT 1 FROM pg_locks l"
                     " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %1::oid AND l.objid = i.id::oid"
                     " AND l.objsubid = 2), i.started_at, i.last_seen FROM agentdesk.instances i"
                     " WHERE i.schema_version > 0 ORDER BY i.id"_s.arg(PostgresSchema::LockClass)))
        return out;
    while (select.next()) {
        HistoryInstance instance;
        instance.organism = select.value(1).toString();
        instance.instance = select.value(2).toString();
        instance.host = select.value(3).toString();
        instance.pid = select.value(4).toLongLong();
        instance.running = select.value(5).toBool();
        instance.startedAt = select.value(6).toDateTime().toUTC();
        instance.lastSeen = select.value(7).toDateTime().toUTC();
        instance.isThisProcess = select.value(0).toInt() == m_instance.id;
        if (instance.isThisProcess)
            out.prepend(instance);
        else
            out.append(instance);
    }
    return out;
}

QString PostgresHistoryEngine::failureCause() const
{
    const QByteArray url = m_url.toUtf8();
    const char *keywords[] = {"dbname", "connect_timeout", nullptr};
    const char *values[] = {url.constData(), "3", nullptr};
    switch (PQpingParams(keywords, values, 1)) {
    case PQPING_OK:
        return {};
    case PQPING_REJECT:
        return u"the database server refuses connections (starting up, shutting down or in recovery)"_s;
    case PQPING_NO_RESPONSE:
        return u"the database server does not answer at "_s + PostgresConnection::displayUrl(m_url);
    case PQPING_NO_ATTEMPT:
        break;
    }
    return u"the history URL cannot be used: "_s + PostgresConnection::displayUrl(m_url);
}

} // namespace agentdesk
