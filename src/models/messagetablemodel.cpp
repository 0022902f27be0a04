#include "messagetablemodel.h"

#include "threadlabels.h"

#include "modelformat.h"

#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

MessageTableModel::MessageTableModel(QObject *parent)
    : TableModel(ColumnCount, parent)
{ }

QString MessageTableModel::summary(const MessageRecord &message, int maxLength)
{
    static const QRegularExpression betweenElements(u">\\s+<"_s);
    static const QRegularExpression runs(u"\\s+"_s);
    // Decode a bounded prefix (a payload may be long), cut where a UTF-8 sequence starts.
    qsizetype cut = std::min<qsizetype>(message.xml.size(), qsizetype(maxLength) * 4);
    while (cut > 0 && cut < message.xml.size() && (uchar(message.xml.at(cut)) & 0xC0) == 0x80)
        --cut;
    QString text = QString::fromUtf8(message.xml.left(cut));
    text.replace(betweenElements, u"><"_s);
    text.replace(runs, u" "_s);
    text = text.trimmed();
    if (text.size() > maxLength)
        text = text.left(maxLength - 1) + QChar(0x2026);
    return text;
}

int MessageTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

MessageRecord MessageTableModel::message(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : MessageRecord();
}

QVariant MessageTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MessageRecord &message = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case SeqColumn:
            return QString::number(message.seq);
        case TimeColumn:
            return modelformat::timestamp(message.timestamp);
        case PayloadColumn:
            return summary(message);
        case ThreadColumn: // the random end of the UUID: ids of one second share their start
            return ThreadLabels::shortId(message.threadId);
        default:
            return data(index, RawValueRole);
        }
    case RawValueRole:
        switch (column) {
        case SeqColumn:
            return message.seq;
        case TimeColumn:
            return message.timestamp;
        case ThreadColumn:
            return message.threadId;
        case FromColumn:
            return message.from;
        case ToColumn:
            return message.to;
        case PayloadTypeColumn:
            return message.payloadType;
        case PayloadColumn:
            return QString::fromUtf8(message.xml);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (column == ThreadColumn)
            return message.threadId;
        return column == PayloadColumn ? QVariant(QString::fromUtf8(message.xml)) : QVariant();
    case Qt::TextAlignmentRole:
        return column == SeqColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case SeqRole:
        return message.seq;
    case MessageIdRole:
        return message.id;
    case ThreadIdRole:
        return message.threadId;
    case XmlRole:
        return QString::fromUtf8(message.xml);
    case FieldsRole:
        return message.fields;
    case DepthRole:
        return message.depth;
    case LiveRole:
        return message.seq == 0; // recorded messages are numbered from 1
    default:
        return {};
    }
}

QString MessageTableModel::columnTitle(int column) const
{
    switch (column) {
    case SeqColumn:
        return tr("#");
    case TimeColumn:
        return tr("Time");
    case ThreadColumn:
        return tr("Thread");
    case FromColumn:
        return tr("From");
    case ToColumn:
        return tr("To");
    case PayloadTypeColumn:
        return tr("Type");
    case PayloadColumn:
        return tr("Payload");
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageTableModel::extraRoleNames() const
{
    QHash<int, QByteArray> names;
    names.insert(SeqRole, "seq");
    names.insert(MessageIdRole, "messageId");
    names.insert(ThreadIdRole, "threadId");
    names.insert(XmlRole, "xml");
    names.insert(FieldsRole, "fields");
    names.insert(LiveRole, "live");
    names.insert(DepthRole, "depth");
    return names;
}

} // namespace agentdesk
