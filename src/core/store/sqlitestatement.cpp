#include "sqlitestatement.h"

#include "filesystemprobe.h"

#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

namespace agentdesk {

using namespace Qt::StringLiterals;

sqlite3 *sqliteHandle(const QSqlDatabase &db)
{
    if (!db.isOpen() || !db.driver())
        return nullptr;
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_statement);
}

bool SqliteStatement::prepare(sqlite3 *db, const QString &sql, QString *error)
{
    sqlite3_finalize(m_statement);
    m_statement = nullptr;
    m_db = db;
    if (!db) {
        *error = u"no SQLite connection"_s;
        return false;
    }
    const QByteArray utf8 = sql.toUtf8();
    const int rc = sqlite3_prepare_v3(db, utf8.constData(), int(utf8.size()), SQLITE_PREPARE_PERSISTENT, &m_statement,
                                      nullptr);
    if (rc != SQLITE_OK) {
        *error = u"cannot prepare \"%1\": %2"_s.arg(sql, errorText(rc));
        return false;
    }
    m_texts.fill(QByteArray(), sqlite3_bind_parameter_count(m_statement) + 1);
    return true;
}

void SqliteStatement::bind(int position, qint64 value)
{
    sqlite3_bind_int64(m_statement, position, value);
}

void SqliteStatement::bind(int position, double value)
{
    sqlite3_bind_double(m_statement, position, value);
}

void SqliteStatement::bind(int position, const QString &text)
{
    bindUtf8(position, text.toUtf8());
}

void SqliteStatement::bindUtf8(int position, const QByteArray &text)
{
    QByteArray &kept = m_texts[position];
    kept = text;
    // A non-null pointer even for an empty text: a null one would bind NULL.
    sqlite3_bind_text(m_statement, position, kept.isNull() ? "" : kept.constData(), int(kept.size()), SQLITE_STATIC);
}

void SqliteStatement::bindBlob(int position, const QByteArray &bytes)
{
    QByteArray &kept = m_texts[position];
    kept = bytes;
    sqlite3_bind_blob(m_statement, position, kept.isNull() ? "" : kept.constData(), int(kept.size()), SQLITE_STATIC);
}

void SqliteStatement::bindNull(int position)
{
    sqlite3_bind_null(m_statement, position);
    m_texts[position] = QByteArray();
}

void SqliteStatement::bindOptionalText(int position, const QString &text)
{
    if (text.isEmpty())
        bindNull(position);
    else
        bind(position, text);
}

bool SqliteStatement::exec(QString *error)
{
    const int rc = sqlite3_step(m_statement);
    const bool done = rc == SQLITE_DONE || rc == SQLITE_ROW;
    m_errorCode = done ? SQLITE_OK : sqlite3_extended_errcode(m_db);
    if (!done)
        *error = errorText(rc);
    sqlite3_reset(m_statement);
    return done;
}

bool SqliteStatement::step(QString *error)
{
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE) {
        m_errorCode = sqlite3_extended_errcode(m_db);
        *error = errorText(rc);
    }
    return false;
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_statement);
}

QString SqliteStatement::columnText(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column));
    return QString::fromUtf8(text, sqlite3_column_bytes(m_statement, column));
}

qint64 SqliteStatement::columnInt64(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

bool SqliteStatement::isConstraintViolation() const
{
    return (m_errorCode & 0xff) == SQLITE_CONSTRAINT;
}

qint64 SqliteStatement::changes() const
{
    return sqlite3_changes64(m_db);
}

qint64 SqliteStatement::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

QString SqliteStatement::errorText(int rc) const
{
    return sqliteErrorText(m_db, rc);
}

QString sqliteErrorText(sqlite3 *db, int rc)
{
    const char *message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    const int code = db ? sqlite3_extended_errcode(db) : rc;
    QString text = QString::fromUtf8(message) + u" (SQLite code %1"_s.arg(code);
    // A failed system call carries the operating system's reason: "No space left on device (ENOSPC)".
    // SQLite records that number only for IOERR and CANTOPEN; after any other failure (FULL, READONLY,
    // PERM) it still holds an earlier call's, which would name the wrong cause. The history engine
    // asks the file system itself for those (SqliteHistoryEngine::failureCause).
    const int primary = code & 0xff;
    const bool systemFailure = primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN;
    const QString cause = db && systemFailure ? FileSystemProbe::errorText(sqlite3_system_errno(db)) : QString();
    if (!cause.isEmpty())
        text += u"; "_s + cause;
    return text + u')';
}

} // namespace agentdesk
