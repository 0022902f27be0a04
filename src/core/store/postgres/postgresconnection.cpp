#include "postgresconnection.h"

#include <QUrl>
#include <QUrlQuery>

#include <libpq-fe.h>

namespace agentdesk {

using namespace Qt::StringLiterals;

PostgresConnection::Result::Result(pg_result *result)
    : m_result(result, [](pg_result *r) {
        if (r)
            PQclear(r);
    })
{ }

bool PostgresConnection::Result::ok() const
{
    if (!m_result)
        return false;
    const ExecStatusType status = PQresultStatus(m_result.get());
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_PIPELINE_SYNC;
}

bool PostgresConnection::Result::aborted() const
{
    return m_result && PQresultStatus(m_result.get()) == PGRES_PIPELINE_ABORTED;
}

QString PostgresConnection::Result::error() const
{
    if (!m_result)
        return u"no result (the connection was lost)"_s;
    return QString::fromUtf8(PQresultErrorMessage(m_result.get())).trimmed();
}

QString PostgresConnection::Result::sqlState() const
{
    const char *code = m_result ? PQresultErrorField(m_result.get(), PG_DIAG_SQLSTATE) : nullptr;
    return code ? QString::fromLatin1(code) : QString();
}

int PostgresConnection::Result::rows() const
{
    return m_result ? PQntuples(m_result.get()) : 0;
}

qint64 PostgresConnection::Result::affected() const
{
    return m_result ? QByteArray(PQcmdTuples(m_result.get())).toLongLong() : 0;
}

QString PostgresConnection::Result::text(int row, int column) const
{
    return QString::fromUtf8(PQgetvalue(m_result.get(), row, column), PQgetlength(m_result.get(), row, column));
}

qint64 PostgresConnection::Result::integer(int row, int column) const
{
    return QByteArray(PQgetvalue(m_result.get(), row, column)).toLongLong();
}

bool PostgresConnection::Result::isNull(int row, int column) const
{
    return PQgetisnull(m_result.get(), row, column) != 0;
}

PostgresConnection::Params &PostgresConnection::Params::add(const QString &value)
{
    QByteArray utf8 = value.toUtf8();
    if (utf8.isNull())
        utf8 = QByteArray(""); // an empty string, not NULL
    m_values.append(utf8);
    return *this;
}

PostgresConnection::Params &PostgresConnection::Params::add(const QByteArray &utf8)
{
    m_values.append(utf8.isNull() ? QByteArray("") : utf8);
    return *this;
}

PostgresConnection::Params &PostgresConnection::Params::add(qint64 value)
{
    m_values.append(QByteArray::number(value));
    return *this;
}

PostgresConnection::Params &PostgresConnection::Params::add(double value)
{
    m_values.append(QByteArray::number(value, 'g', 17));
    return *this;
}

PostgresConnection::Params &PostgresConnection::Params::addNullable(const QString &value)
{
    return value.isEmpty() ? addNull() : add(value);
}

PostgresConnection::Params &PostgresConnection::Params::addNull()
{
    m_values.append(QByteArray());
    return *this;
}

QList<const char *> PostgresConnection::Params::pointers() const
{
    QList<const char *> out;
    out.reserve(m_values.size());
    for (const QByteArray &value : m_values)
        out.append(value.isNull() ? nullptr : value.constData());
    return out;
}

PostgresConnection::PostgresConnection() = default;

PostgresConnection::~PostgresConnection()
{
    close();
}

bool PostgresConnection::connect(const QString &url, const QString &applicationName, QString *error)
{
    close();
    m_url = url;
    m_applicationName = applicationName;
    const QByteArray dbname = url.toUtf8();
    const QByteArray application = applicationName.toUtf8();
    // The URL first: expand_dbname turns it into its parameters, the later ones add to them.
    // Notices ("schema agentdesk already exists, skipping") would go to stderr: only warnings and up.
    const char *keywords[] = {"dbname", "application_name", "connect_timeout", "options", nullptr};
    const char *values[] = {dbname.constData(), application.constData(), "5", "-c client_min_messages=warning",
                            nullptr};
    m_connection = PQconnectdbParams(keywords, values, 1);
    if (m_connection && PQstatus(m_connection) == CONNECTION_OK)
        return true;
    *error = u"cannot connect to %1: %2"_s.arg(displayUrl(url), lastError());
    close();
    return false;
}

bool PostgresConnection::isConnected() const
{
    return m_connection && PQstatus(m_connection) == CONNECTION_OK;
}

bool PostgresConnection::reconnect(QString *error)
{
    return connect(m_url, m_applicationName, error);
}

void PostgresConnection::close()
{
    if (m_connection)
        PQfinish(m_connection);
    m_connection = nullptr;
}

PostgresConnection::Result PostgresConnection::exec(const QString &sql) const
{
    return Result(m_connection ? PQexec(m_connection, sql.toUtf8().constData()) : nullptr);
}

PostgresConnection::Result PostgresConnection::exec(const QString &sql, const Params &params) const
{
    if (!m_connection)
        return Result();
    const QList<const char *> values = params.pointers();
    return Result(PQexecParams(m_connection, sql.toUtf8().constData(), params.size(), nullptr, values.constData(),
                               nullptr, nullptr, 0));
}

bool PostgresConnection::execOk(const QString &sql, QString *error) const
{
    const Result result = exec(sql);
    if (result.ok())
        return true;
    if (error)
        *error = result.error();
    return false;
}

bool PostgresConnection::prepare(const char *name, const QString &sql, QString *error) const
{
    const Result result(PQprepare(m_connection, name, sql.toUtf8().constData(), 0, nullptr));
    if (result.ok())
        return true;
    *error = u"cannot prepare %1: %2"_s.arg(QString::fromLatin1(name), result.error());
    return false;
}

bool PostgresConnection::copyIn(const QString &statement, const QByteArray &rows, QString *error) const
{
    const Result started = exec(statement);
    if (PQresultStatus(started.get()) != PGRES_COPY_IN) {
        *error = started.error();
        return false;
    }
    if (PQputCopyData(m_connection, rows.constData(), int(rows.size())) != 1
        || PQputCopyEnd(m_connection, nullptr) != 1) {
        *error = lastError();
        return false;
    }
    const Result done(PQgetResult(m_connection));
    while (PGresult *extra = PQgetResult(m_connection))
        PQclear(extra);
    if (!done.ok()) {
        *error = done.error();
        return false;
    }
    return true;
}

bool PostgresConnection::enterPipeline(QString *error)
{
    if (PQenterPipelineMode(m_connection) == 1)
        return true;
    *error = u"cannot enter pipeline mode: "_s + lastError();
    return false;
}

bool PostgresConnection::exitPipeline()
{
    return PQexitPipelineMode(m_connection) == 1;
}

bool PostgresConnection::sendPrepared(const char *name, const Params &params)
{
    const QList<const char *> values = params.pointers();
    return PQsendQueryPrepared(m_connection, name, params.size(), values.constData(), nullptr, nullptr, 0) == 1;
}

bool PostgresConnection::sendQuery(const QString &sql, const Params &params)
{
    const QList<const char *> values = params.pointers();
    return PQsendQueryParams(m_connection, sql.toUtf8().constData(), params.size(), nullptr, values.constData(),
                             nullptr, nullptr, 0)
        == 1;
}

bool PostgresConnection::sync()
{
    return PQpipelineSync(m_connection) == 1;
}

bool PostgresConnection::flush()
{
    return PQflush(m_connection) == 0;
}

PostgresConnection::Result PostgresConnection::nextResult()
{
    Result result(PQgetResult(m_connection));
    // A statement's result is followed by a null that ends it; a sync's is not.
    if (result.get() && PQresultStatus(result.get()) != PGRES_PIPELINE_SYNC) {
        while (pg_result *extra = PQgetResult(m_connection))
            PQclear(extra);
    }
    return result;
}

QString PostgresConnection::lastError() const
{
    if (!m_connection)
        return u"out of memory"_s;
    return QString::fromUtf8(PQerrorMessage(m_connection)).trimmed();
}

void PostgresConnection::configure(QSqlDatabase &db, const QString &url)
{
    const QUrl parsed(url);
    db.setHostName(parsed.host());
    if (parsed.port() > 0)
        db.setPort(parsed.port());
    db.setDatabaseName(parsed.path().mid(1));
    db.setUserName(parsed.userName());
    QStringList options{u"application_name=agentdesk"_s, u"connect_timeout=5"_s};
    for (const auto &[key, value] : QUrlQuery(parsed).queryItems(QUrl::FullyDecoded))
        options.append(key + u'=' + value);
    db.setConnectOptions(options.join(u';'));
}

QString PostgresConnection::displayUrl(const QString &url)
{
    QUrl parsed(url);
    parsed.setPassword({});
    return parsed.toString(QUrl::RemovePassword);
}

} // namespace agentdesk
