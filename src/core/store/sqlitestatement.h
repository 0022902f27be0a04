#pragma once

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>

struct sqlite3;
struct sqlite3_stmt;

namespace agentdesk {

// The sqlite3 handle behind a QSQLITE connection (nullptr for another driver or a closed connection).
sqlite3 *sqliteHandle(const QSqlDatabase &db);
// SQLite's message for the latest failure on `db` (or for `rc` without one), with the operating
// system's reason when a system call failed: "disk I/O error (SQLite code 778; No space left on device
// (ENOSPC))".
QString sqliteErrorText(sqlite3 *db, int rc);

// A prepared statement on the raw SQLite handle of a QSQLITE connection. The history writer uses it
// for its hot inserts: binding through QSqlQuery costs several microseconds per row, more than SQLite
// needs to insert the row. Positions are 1-based, as in SQLite.
class SqliteStatement
{
public:
    SqliteStatement() = default;
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    bool prepare(sqlite3 *db, const QString &sql, QString *error);

    void bind(int position, qint64 value);
    void bind(int position, int value) { bind(position, qint64(value)); }
    void bind(int position, double value);
    void bind(int position, const QString &text);        // NOT NULL text: a null QString binds ''
    void bindUtf8(int position, const QByteArray &text); // as TEXT, not BLOB
    void bindBlob(int position, const QByteArray &bytes);
    void bindNull(int position);
    void bindOptionalText(int position, const QString &text); // NULL when empty

    // Runs a statement that returns no rows, then resets it for the next use. On failure *error
    // and errorCode() (the extended result code) say why.
    bool exec(QString *error);
    // For queries: step() is true while there is a row; call reset() when done.
    bool step(QString *error);
    void reset();
    QString columnText(int column) const; // 0-based, as in SQLite
    qint64 columnInt64(int column) const;

    int errorCode() const { return m_errorCode; }
    bool isConstraintViolation() const;
    qint64 changes() const; // rows changed by the latest exec()
    qint64 lastInsertId() const;

private:
    QString errorText(int rc) const;

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    // Bound texts stay alive here until rebound, so SQLite can use them without copying.
    QList<QByteArray> m_texts;
    int m_errorCode = 0;
};

} // namespace agentdesk
