#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

class QAbstractItemModel;

namespace agentdesk::wire {

// The one CSV writer: RFC 4180 (comma, CRLF, a cell with a comma, quote or line break quoted, quotes
// doubled), UTF-8, nothing prefixed. Used by GET /usage/export and the window's CSV exports. From a model,
// numbers are written raw — from its RawValueRole when it has one — so a spreadsheet reads 12345 and
// 0.0012, not "12,345" or "$0.0012".
class CsvWriter
{
public:
    void addRow(const QStringList &cells);
    QByteArray data() const { return m_data; }

    // The model's header and rows; rawRole (when >= 0) is preferred over the display text.
    static QByteArray fromModel(const QAbstractItemModel &model, int rawRole = -1);
    static QString escape(const QString &cell);
    // Writes data to path whole or not at all; the error worded for the operator, empty on success.
    static QString save(const QString &path, const QByteArray &data);

private:
    QByteArray m_data;
};

} // namespace agentdesk::wire
