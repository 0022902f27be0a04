#include "csvwriter.h"

#include <QAbstractItemModel>
#include <QCoreApplication>
#include <QDateTime>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {

QString cellText(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Double:
    case QMetaType::Float:
        return QString::number(value.toDouble(), 'g', 15);
    case QMetaType::QDateTime:
        return value.toDateTime().toUTC().toString(Qt::ISODateWithMs);
    case QMetaType::QStringList:
        return value.toStringList().join(u' ');
    case QMetaType::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    default:
        return value.toString();
    }
}

} // namespace

QString CsvWriter::escape(const QString &cell)
{
    if (!cell.contains(u',') && !cell.contains(u'"') && !cell.contains(u'\n') && !cell.contains(u'\r'))
        return cell;
    QString quoted = cell;
    quoted.replace(u"\""_s, u"\"\""_s);
    return u'"' + quoted + u'"';
}

void CsvWriter::addRow(const QStringList &cells)
{
    QStringList escaped;
    escaped.reserve(cells.size());
    for (const QString &cell : cells)
        escaped << escape(cell);
    m_data += escaped.join(u',').toUtf8();
    m_data += "\r\n";
}

QByteArray CsvWriter::fromModel(const QAbstractItemModel &model, int rawRole)
{
    CsvWriter csv;
    QStringList header;
    for (int column = 0; column < model.columnCount(); ++column)
        header << model.headerData(column, Qt::Horizontal).toString();
    csv.addRow(header);
    for (int row = 0; row < model.rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < model.columnCount(); ++column) {
            const QModelIndex index = model.index(row, column);
            QVariant value = rawRole >= 0 ? index.data(rawRole) : QVariant();
            if (!value.isValid())
                value = index.data(Qt::DisplayRole);
            cells << cellText(value);
        }
        csv.addRow(cells);
    }
    return csv.data();
}

QString CsvWriter::save(const QString &path, const QByteArray &data)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
        return QCoreApplication::translate("agentdesk::UsagePage", "Cannot write %1: %2").arg(path, file.errorString());
    return {};
}

} // namespace agentdesk::wire
