#pragma once

#include <QByteArray>
#include <QDateTime>

namespace agentdesk {

// Rows in COPY's text format (tab-separated fields, one row per line, \N for NULL; backslash, tab,
// newline and carriage return escaped), for PostgresConnection::copyIn.
class PostgresCopyRows
{
public:
    PostgresCopyRows &add(const QByteArray &utf8);
    PostgresCopyRows &add(const QString &text) { return add(text.toUtf8()); }
    PostgresCopyRows &add(qint64 value);
    PostgresCopyRows &add(const QDateTime &time); // ms since the epoch; invalid: NULL
    PostgresCopyRows &addNull();
    PostgresCopyRows &addNullable(const QString &text); // "" is NULL
    void endRow();

    bool isEmpty() const { return m_data.isEmpty(); }
    const QByteArray &data() const { return m_data; }

private:
    void separate();

    QByteArray m_data;
    bool m_rowStarted = false;
};

} // namespace agentdesk
