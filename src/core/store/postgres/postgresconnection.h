#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QSqlDatabase>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

struct pg_conn;
struct pg_result;

namespace agentdesk {

// One libpq connection (the writer's and the instance lock's; readers go through Qt's QPSQL driver).
// Written against libpq directly because the writer sends a batch as one pipeline of prepared
// statements (libpq's pipeline mode), which no Qt or C++ wrapper in Debian exposes.
class PostgresConnection
{
public:
    // A result, freed with the object.
    class Result
    {
    public:
        explicit Result(pg_result *result = nullptr);
        bool ok() const;      // a command or a query that succeeded
        bool aborted() const; // skipped in a pipeline after an earlier error
        QString error() const;
        QString sqlState() const; // the error's SQLSTATE code ("23505": a unique key already taken)
        int rows() const;
        qint64 affected() const; // rows inserted, updated or deleted
        QString text(int row, int column) const;
        qint64 integer(int row, int column) const;
        bool isNull(int row, int column) const;
        pg_result *get() const { return m_result.get(); }

    private:
        std::shared_ptr<pg_result> m_result;
    };

    // Parameters of a statement, in text format; a null QByteArray is SQL NULL.
    class Params
    {
    public:
        Params &add(const QString &value);
        Params &add(const QByteArray &utf8);
        Params &add(qint64 value);
        Params &add(double value);
        Params &addNullable(const QString &value); // "" is NULL
        Params &addNull();
        int size() const { return int(m_values.size()); }
        QList<const char *> pointers() const;

    private:
        QList<QByteArray> m_values;
    };

    PostgresConnection();
    ~PostgresConnection();
    PostgresConnection(const PostgresConnection &) = delete;
    PostgresConnection &operator=(const PostgresConnection &) = delete;

    // `url`: postgresql://user@host:port/database[?…]; the password from PGPASSWORD or ~/.pgpass.
    bool connect(const QString &url, const QString &applicationName, QString *error);
    bool isConnected() const;
    // Re-makes a connection that the server or the network dropped.
    bool reconnect(QString *error);
    void close();

    Result exec(const QString &sql) const;
    Result exec(const QString &sql, const Params &params) const;
    bool execOk(const QString &sql, QString *error) const;
    bool prepare(const char *name, const QString &sql, QString *error) const;
    // COPY … FROM STDIN with `rows` in COPY's text format (PostgresCopyRows); outside a pipeline.
    bool copyIn(const QString &statement, const QByteArray &rows, QString *error) const;

    // --- pipeline mode: send, sync, then read each statement's result in order ---
    bool enterPipeline(QString *error);
    bool exitPipeline();
    bool sendPrepared(const char *name, const Params &params);
    bool sendQuery(const QString &sql, const Params &params = {});
    bool sync();
    // The next statement's result in the pipeline (its trailing null consumed), or the sync's.
    Result nextResult();
    bool flush();

    QString lastError() const;
    pg_conn *handle() const { return m_connection; }

    // The URL without anything secret, for messages.
    static QString displayUrl(const QString &url);
    // Points a Qt QPSQL connection (the readers') at `url`: host, port, database, user and the URL's
    // parameters; no password (libpq takes it from PGPASSWORD or ~/.pgpass).
    static void configure(QSqlDatabase &db, const QString &url);

private:
    pg_conn *m_connection = nullptr;
    QString m_url;
    QString m_applicationName;
};

// A PostgreSQL array literal built element by element ({"a",NULL,"b"}; {1,2}), for one-statement
// upserts of many rows through unnest().
class PostgresArray
{
public:
    static QByteArray of(const QStringList &values)
    {
        PostgresArray array;
        for (const QString &value : values)
            array.addText(value);
        return array.text();
    }
    static QByteArray of(const QList<qint64> &values)
    {
        PostgresArray array;
        for (qint64 value : values)
            array.addInteger(value);
        return array.text();
    }

    void addText(const QString &value)
    {
        QByteArray element = value.toUtf8();
        element.replace('\\', "\\\\").replace('"', "\\\"");
        separate();
        m_text += '"' + element + '"';
    }
    void addNullableText(const QString &value)
    {
        if (value.isEmpty())
            addNull();
        else
            addText(value);
    }
    void addInteger(qint64 value)
    {
        separate();
        m_text += QByteArray::number(value);
    }
    void addTime(const QDateTime &time)
    {
        if (time.isValid())
            addInteger(time.toMSecsSinceEpoch());
        else
            addNull();
    }
    void addNull()
    {
        separate();
        m_text += "NULL";
    }
    bool isEmpty() const { return m_count == 0; }
    QByteArray text() const { return '{' + m_text + '}'; }

private:
    void separate()
    {
        if (m_count++ > 0)
            m_text += ',';
    }

    QByteArray m_text;
    qsizetype m_count = 0;
};

} // namespace agentdesk
