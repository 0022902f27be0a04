#pragma once

#include "domain/records.h"
#include "tablemodel.h"

#include <QList>

namespace agentdesk {

// Columns, roles and cells shared by the message tables (the live log and one conversation); the
// subclasses decide which messages are rows and in what order.
class MessageTableModel : public TableModel
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
        RawValueRole = TableModel::RawValueRole, // the column's value unformatted (sort on this)
        SeqRole,
        MessageIdRole,
        ThreadIdRole,
        XmlRole,    // the canonical payload XML, as text
        FieldsRole, // QVariantMap, snake_case keys
        DepthRole,
        LiveRole, // true: not a message yet, an agent's streamed reply still growing
    };
    Q_ENUM(Role)

    // One line for the payload column: the XML with its whitespace between elements collapsed.
    static QString summary(const MessageRecord &message, int maxLength = 200);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    MessageRecord message(int row) const;

protected:
    explicit MessageTableModel(QObject *parent = nullptr);
    QString columnTitle(int column) const override;
    QHash<int, QByteArray> extraRoleNames() const override;

    QList<MessageRecord> m_rows;
};

} // namespace agentdesk
