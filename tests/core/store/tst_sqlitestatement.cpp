// SqliteStatement on a real QSQLITE connection in a temporary directory: what each bind stores (and with
// which SQLite type), statement reuse through exec/step/reset, constraint violations as the history
// writer tells them apart, changes/lastInsertId, and error texts that name the operating system's reason.

#include "store/sqlitestatement.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <limits>

using namespace Qt::StringLiterals;
using namespace agentdesk;

class tst_SqliteStatement : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void noConnection();
    void prepareErrorNamesTheStatement();
    void bindsStoreTheirSqliteTypes();
    void textsOutliveTheirCaller();
    void execResetsForReuse();
    void stepAndResetReadRows();
    void constraintViolation();
    void changesAndLastInsertId();
    void errorTextNamesTheSystemReason();
    void errorTextWithoutConnection();

private:
    QString typeAndValue(qint64 id, const QString &column);

    QTemporaryDir m_dir;
    QSqlDatabase m_db;
    sqlite3 *m_handle = nullptr;
};

void tst_SqliteStatement::init()
{
    QVERIFY(m_dir.isValid());
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"statement"_s);
    m_db.setDatabaseName(m_dir.filePath(u"test.db"_s));
    QVERIFY(m_db.open());
    m_handle = sqliteHandle(m_db);
    QVERIFY(m_handle);
    QSqlQuery query(m_db);
    QVERIFY(query.exec(u"CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, d REAL, s TEXT, b BLOB, "
                       "u TEXT UNIQUE, n TEXT NOT NULL DEFAULT 'x')"_s));
}

void tst_SqliteStatement::cleanup()
{
    m_handle = nullptr;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(u"statement"_s);
    QFile::remove(m_dir.filePath(u"test.db"_s));
}

// "typeof(column)|column" for row `id`, read through Qt rather than through the class under test.
QString tst_SqliteStatement::typeAndValue(qint64 id, const QString &column)
{
    QSqlQuery query(m_db);
    if (!query.exec(u"SELECT typeof(%1), quote(%1) FROM t WHERE id = %2"_s.arg(column).arg(id)) || !query.next())
        return u"<no row>"_s;
    return query.value(0).toString() + u'|' + query.value(1).toString();
}

void tst_SqliteStatement::noConnection()
{
    QCOMPARE(sqliteHandle(QSqlDatabase()), nullptr);
    SqliteStatement statement;
    QString error;
    QVERIFY(!statement.prepare(nullptr, u"SELECT 1"_s, &error));
    QCOMPARE(error, u"no SQLite connection"_s);
}

void tst_SqliteStatement::prepareErrorNamesTheStatement()
{
    SqliteStatement statement;
    QString error;
    QVERIFY(!statement.prepare(m_handle, u"INSERT INTO missing VALUES (1)"_s, &error));
    QCOMPARE(error, u"cannot prepare \"INSERT INTO missing VALUES (1)\": no such table: missing (SQLite code 1)"_s);
}

void tst_SqliteStatement::bindsStoreTheirSqliteTypes()
{
    SqliteStatement insert;
    QString error;
    QVERIFY2(insert.prepare(m_handle, u"INSERT INTO t (id, i, d, s, b, u) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"_s, &error),
             qPrintable(error));

    insert.bind(1, 1);
    insert.bind(2, std::numeric_limits<qint64>::max());
    insert.bind(3, 2.5);
    insert.bind(4, u"grüße ✓"_s);
    insert.bindBlob(5, QByteArray("\x00\x01\xff", 3));
    insert.bindOptionalText(6, u"unique-1"_s);
    QVERIFY2(insert.exec(&error), qPrintable(error));
    QCOMPARE(typeAndValue(1, u"i"_s), u"integer|9223372036854775807"_s);
    QCOMPARE(typeAndValue(1, u"d"_s), u"real|2.5"_s);
    QCOMPARE(typeAndValue(1, u"s"_s), u"text|'grüße ✓'"_s);
    QCOMPARE(typeAndValue(1, u"b"_s), u"blob|X'0001FF'"_s);
    QCOMPARE(typeAndValue(1, u"u"_s), u"text|'unique-1'"_s);

    // A null QString is NOT NULL text: ''. bindUtf8 stores TEXT, not a BLOB. Empty optional text: NULL.
    insert.bind(1, 2);
    insert.bindNull(2);
    insert.bindNull(3);
    insert.bind(4, QString());
    insert.bindUtf8(5, QByteArray("caf\xc3\xa9"));
    insert.bindOptionalText(6, QString());
    QVERIFY2(insert.exec(&error), qPrintable(error));
    QCOMPARE(typeAndValue(2, u"i"_s), u"null|NULL"_s);
    QCOMPARE(typeAndValue(2, u"d"_s), u"null|NULL"_s);
    QCOMPARE(typeAndValue(2, u"s"_s), u"text|''"_s);
    QCOMPARE(typeAndValue(2, u"b"_s), u"text|'café'"_s);
    QCOMPARE(typeAndValue(2, u"u"_s), u"null|NULL"_s);

    // Empty (not null) byte arrays: '' and an empty blob, never NULL.
    insert.bind(1, 3);
    insert.bindUtf8(4, QByteArray(""));
    insert.bindBlob(5, QByteArray());
    insert.bindOptionalText(6, u""_s);
    QVERIFY2(insert.exec(&error), qPrintable(error));
    QCOMPARE(typeAndValue(3, u"s"_s), u"text|''"_s);
    QCOMPARE(typeAndValue(3, u"b"_s), u"blob|X''"_s);
    QCOMPARE(typeAndValue(3, u"u"_s), u"null|NULL"_s);
}

void tst_SqliteStatement::textsOutliveTheirCaller()
{
    // The statement keeps bound texts alive (SQLite reads them at exec, not at bind).
    SqliteStatement insert;
    QString error;
    QVERIFY(insert.prepare(m_handle, u"INSERT INTO t (id, s, b) VALUES (?1, ?2, ?3)"_s, &error));
    insert.bind(1, 1);
    {
        QString text = u"temporary "_s.repeated(100);
        insert.bind(2, text);
        QByteArray bytes(1000, 'z');
        insert.bindBlob(3, bytes);
        text.fill(u'#');
        bytes.fill('#');
    }
    QVERIFY2(insert.exec(&error), qPrintable(error));
    QSqlQuery query(m_db);
    QVERIFY(query.exec(u"SELECT s, b FROM t WHERE id = 1"_s) && query.next());
    QCOMPARE(query.value(0).toString(), u"temporary "_s.repeated(100));
    QCOMPARE(query.value(1).toByteArray(), QByteArray(1000, 'z'));
}

void tst_SqliteStatement::execResetsForReuse()
{
    SqliteStatement insert;
    QString error;
    QVERIFY(insert.prepare(m_handle, u"INSERT INTO t (id, s) VALUES (?1, ?2)"_s, &error));
    for (int i = 1; i <= 100; ++i) {
        insert.bind(1, i);
        insert.bind(2, u"row %1"_s.arg(i));
        QVERIFY2(insert.exec(&error), qPrintable(error));
        QCOMPARE(insert.errorCode(), SQLITE_OK);
    }
    QSqlQuery query(m_db);
    QVERIFY(query.exec(u"SELECT count(*), max(s) FROM t"_s) && query.next());
    QCOMPARE(query.value(0).toInt(), 100);
    QCOMPARE(query.value(1).toString(), u"row 99"_s);
}

void tst_SqliteStatement::stepAndResetReadRows()
{
    QSqlQuery fill(m_db);
    QVERIFY(fill.exec(u"INSERT INTO t (id, i, s) VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, 'ü')"_s));
    SqliteStatement select;
    QString error;
    QVERIFY(select.prepare(m_handle, u"SELECT i, s FROM t WHERE id >= ?1 ORDER BY id"_s, &error));
    for (int round = 0; round < 2; ++round) {
        select.bind(1, 2);
        QStringList rows;
        while (select.step(&error))
            rows.append(u"%1:%2"_s.arg(select.columnInt64(0)).arg(select.columnText(1)));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(rows, (QStringList{u"20:b"_s, u"30:ü"_s}));
        select.reset();
    }
    // reset() mid-way starts over.
    select.bind(1, 1);
    QVERIFY(select.step(&error));
    QCOMPARE(select.columnInt64(0), 10);
    select.reset();
    QVERIFY(select.step(&error));
    QCOMPARE(select.columnInt64(0), 10);
    select.reset();
}

void tst_SqliteStatement::constraintViolation()
{
    SqliteStatement insert;
    QString error;
    QVERIFY(insert.prepare(m_handle, u"INSERT INTO t (id, u) VALUES (?1, ?2)"_s, &error));
    insert.bind(1, 1);
    insert.bind(2, u"same"_s);
    QVERIFY(insert.exec(&error));
    QVERIFY(!insert.isConstraintViolation());

    insert.bind(1, 2);
    QVERIFY(!insert.exec(&error)); // u = 'same' is still bound
    QVERIFY(insert.isConstraintViolation());
    QCOMPARE(insert.errorCode(), SQLITE_CONSTRAINT_UNIQUE);
    QCOMPARE(error, u"UNIQUE constraint failed: t.u (SQLite code 2067)"_s);

    insert.bind(1, 1); // a taken primary key now, with a fresh unique value
    insert.bind(2, u"fresh"_s);
    error.clear();
    QVERIFY(!insert.exec(&error));
    QCOMPARE(insert.errorCode(), SQLITE_CONSTRAINT_PRIMARYKEY);
    QVERIFY(insert.isConstraintViolation());

    // A failure that is not a constraint: not reported as one. And a later success clears the code.
    SqliteStatement notNull;
    QVERIFY(notNull.prepare(m_handle, u"INSERT INTO t (id, n) VALUES (?1, ?2)"_s, &error));
    notNull.bind(1, 3);
    notNull.bindNull(2);
    QVERIFY(!notNull.exec(&error));
    QCOMPARE(notNull.errorCode(), SQLITE_CONSTRAINT_NOTNULL);
    insert.bind(1, 4);
    insert.bind(2, u"other"_s);
    QVERIFY2(insert.exec(&error), qPrintable(error));
    QCOMPARE(insert.errorCode(), SQLITE_OK);
    QVERIFY(!insert.isConstraintViolation());

    SqliteStatement mismatch;
    QVERIFY(mismatch.prepare(m_handle, u"INSERT INTO t (id) VALUES ('not a rowid')"_s, &error));
    QVERIFY(!mismatch.exec(&error));
    QCOMPARE(mismatch.errorCode(), SQLITE_MISMATCH);
    QVERIFY(!mismatch.isConstraintViolation());
}

void tst_SqliteStatement::changesAndLastInsertId()
{
    SqliteStatement insert;
    QString error;
    QVERIFY(insert.prepare(m_handle, u"INSERT INTO t (i) VALUES (?1)"_s, &error));
    for (int i = 0; i < 3; ++i) {
        insert.bind(1, i);
        QVERIFY(insert.exec(&error));
        QCOMPARE(insert.changes(), 1);
        QCOMPARE(insert.lastInsertId(), i + 1);
    }
    SqliteStatement update;
    QVERIFY(update.prepare(m_handle, u"UPDATE t SET s = 'x' WHERE i >= ?1"_s, &error));
    update.bind(1, 1);
    QVERIFY(update.exec(&error));
    QCOMPARE(update.changes(), 2);
    update.bind(1, 100);
    QVERIFY(update.exec(&error));
    QCOMPARE(update.changes(), 0);
}

void tst_SqliteStatement::errorTextNamesTheSystemReason()
{
    // The file cannot be opened: SQLite's CANTOPEN, and the reason from the operating system.
    SqliteStatement attach;
    QString error;
    const QString missing = m_dir.filePath(u"no-such-directory/other.db"_s);
    QVERIFY(attach.prepare(m_handle, u"ATTACH DATABASE ?1 AS other"_s, &error));
    attach.bind(1, missing);
    QVERIFY(!attach.exec(&error));
    QCOMPARE(attach.errorCode() & 0xff, SQLITE_CANTOPEN);
    QVERIFY2(error.startsWith(u"unable to open database: "_s + missing + u" (SQLite code 14; "_s)
                 || error.startsWith(u"unable to open database file (SQLite code 14; "_s),
             qPrintable(error));
    QVERIFY2(error.endsWith(u"No such file or directory (ENOENT))"_s), qPrintable(error));

    // A later failure without a system reason does not borrow that stale one: the file is full at its
    // page limit (SQLite's FULL), and no system call failed.
    QSqlQuery limit(m_db);
    QVERIFY(limit.exec(u"PRAGMA max_page_count = 1"_s)); // raised to the pages the file already has
    SqliteStatement big;
    QVERIFY(big.prepare(m_handle, u"INSERT INTO t (b) VALUES (?1)"_s, &error));
    big.bindBlob(1, QByteArray(256 * 1024, 'x'));
    QVERIFY(!big.exec(&error));
    QCOMPARE(big.errorCode() & 0xff, SQLITE_FULL);
    QCOMPARE(error, u"database or disk is full (SQLite code 13)"_s);

    // A read-only database: SQLite's READONLY, without an operating-system reason it does not have.
    QSqlDatabase readOnly = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"readonly"_s);
    readOnly.setDatabaseName(m_dir.filePath(u"test.db"_s));
    readOnly.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
    QVERIFY(readOnly.open());
    {
        SqliteStatement insert;
        QVERIFY(insert.prepare(sqliteHandle(readOnly), u"INSERT INTO t (i) VALUES (1)"_s, &error));
        QVERIFY(!insert.exec(&error));
        QCOMPARE(insert.errorCode() & 0xff, SQLITE_READONLY);
        QCOMPARE(error, u"attempt to write a readonly database (SQLite code 8)"_s);
    }
    readOnly.close();
    readOnly = QSqlDatabase();
    QSqlDatabase::removeDatabase(u"readonly"_s);
}

void tst_SqliteStatement::errorTextWithoutConnection()
{
    QCOMPARE(sqliteErrorText(nullptr, SQLITE_FULL), u"database or disk is full (SQLite code 13)"_s);
    QCOMPARE(sqliteErrorText(nullptr, SQLITE_CONSTRAINT_UNIQUE), u"constraint failed (SQLite code 2067)"_s);
}

QTEST_GUILESS_MAIN(tst_SqliteStatement)
#include "tst_sqlitestatement.moc"
