#pragma once

#include "domain/records.h"

#include <QAbstractTableModel>
#include <QList>

namespace agentdesk {

// Columns, roles and cells shared by the message tables (the live log and one conversation); the
// subclasses decide which messages are rows and in what order.
class MessageTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        SeqColumn,
        TimeColumn,
        ThreadColumn,
        FromColumn,
        ToColumn,
        PayloadTypeColumn,
        PayloadColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        RawValueRole = Qt::UserRole, // the column's value unformatted (sort on this)
        SeqRole,
        MessageIdRole,
        ThreadIdRole,
        XmlRole,    // the canonical payload XML, as text
        FieldsRole, // QVariantMap, snake_case keys
        DepthRole,
        LiveRole,   // true: not a message yet, an agent's streamed reply still growing
    };
    Q_ENUM(Role)

    // One line for the payload column: the XML with its whitespace between elements collapsed.
    static QString summary(const MessageRecord &message, int maxLength = 200);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    MessageRecord message(int row) const;

protected:
    explicit MessageTableModel(QObject *parent = nullptr);

    QList<MessageRecord> m_rows;
};

} // namespace agentdesk
