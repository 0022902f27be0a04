#include "sqlitewritelock.h"

#include <QSqlDatabase>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {
int g_serial = 0;
} // namespace

SqliteWriteLock::SqliteWriteLock(const QString &databasePath)
    : m_name(u"write-lock-%1"_s.arg(++g_serial))
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
    db.setDatabaseName(databasePath);
    db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s); // the writer may be mid-transaction
    db.open();
}

SqliteWriteLock::~SqliteWriteLock()
{
    QSqlDatabase::removeDatabase(m_name);
}

bool SqliteWriteLock::take() const
{
    return exec(u"BEGIN IMMEDIATE"_s);
}

bool SqliteWriteLock::release() const
{
    return exec(u"ROLLBACK"_s);
}

bool SqliteWriteLock::exec(const QString &sql) const
{
    QSqlQuery query(QSqlDatabase::database(m_name));
    return query.exec(sql);
}
