#include "historywritelock.h"

#include "testhistory.h"

#include "store/postgres/postgresconnection.h"

#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>

namespace agentdesk::test {

using namespace Qt::StringLiterals;

namespace {
int g_serial = 0;
} // namespace

HistoryWriteLock::HistoryWriteLock(const QString &databasePath)
    : m_name(u"write-lock-%1"_s.arg(++g_serial))
{
    if (!historyOnPostgres()) {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        db.setDatabaseName(databasePath);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s); // the writer may be mid-transaction
        db.open();
        return;
    }
    // "postgresql://… (organism NAME, instance ID)": PostgresHistoryEngine::location().
    static const QRegularExpression owner(u"\\(organism (.*), instance ([^)]*)\\)$"_s);
    const QRegularExpressionMatch match = owner.match(databasePath);
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, m_name);
    PostgresConnection::configure(db, testHistoryUrl());
    db.open();
    QSqlQuery lookup(db);
    lookup.prepare(u"SELECT schema_name FROM agentdesk.instances WHERE organism = ? AND instance = ?"_s);
    lookup.addBindValue(match.captured(1));
    lookup.addBindValue(match.captured(2));
    if (lookup.exec() && lookup.next())
        m_schema = lookup.value(0).toString();
}

HistoryWriteLock::~HistoryWriteLock()
{
    QSqlDatabase::removeDatabase(m_name);
}

bool HistoryWriteLock::take() const
{
    if (!historyOnPostgres())
        return exec(u"BEGIN IMMEDIATE"_s);
    return !m_schema.isEmpty() && exec(u"BEGIN"_s)
        && exec(u"LOCK TABLE %1.messages, %1.threads, %1.usage_events IN EXCLUSIVE MODE"_s.arg(m_schema));
}

bool HistoryWriteLock::release() const
{
    return exec(u"ROLLBACK"_s);
}

bool HistoryWriteLock::exec(const QString &sql) const
{
    QSqlQuery query(QSqlDatabase::database(m_name));
    return query.exec(sql);
}

} // namespace agentdesk::test
