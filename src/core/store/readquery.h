#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

namespace agentdesk {

// One statement of the history's readers, read forward once, in a single round trip on either engine.
//
// SQLite: a prepared statement with bound values (compiling one costs microseconds in-process).
// PostgreSQL: Qt's QPSQL driver prepares every statement on the server, executes it and deallocates
// it again — three round trips per statement, which made a page of messages eight times slower than
// on SQLite (bench_store). There the values go into the statement's text as quoted literals, untyped
// so that the server resolves each by its context exactly as it resolves QPSQL's text parameters,
// and the statement runs as one simple query. The read connection insists on standard-conforming
// strings (PostgresHistoryEngine), under which doubling a quote is the whole of a literal's escaping.
class ReadQuery
{
public:
    explicit ReadQuery(const QSqlDatabase &db);

    void prepare(const QString &sql);
    void addBindValue(const QVariant &value);
    // The values of a trailing "LIMIT ? OFFSET ?": a negative limit reads every row, a negative offset none.
    void bindPage(qint64 limit, qint64 offset);
    bool exec(); // a failure is logged with the statement
    bool next() { return m_query.next(); }
    QVariant value(int column) const { return m_query.value(column); }

    // The statement with its values as literals: what runs on PostgreSQL.
    static QString withLiterals(const QString &sql, const QVariantList &values);

private:
    QSqlQuery m_query;
    bool m_literal = false;
    QString m_sql;
    QVariantList m_values;
};

} // namespace agentdesk
