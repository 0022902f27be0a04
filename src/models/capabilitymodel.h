#pragma once

#include "domain/records.h"
#include "tablemodel.h"

#include <QList>

namespace agentdesk {

class Session;

// What each listener accepts (name, payload type, root element, peers) with its XSD and an example
// payload, sorted by name. Replaced as a whole when the configuration changes (connect, reload).
class CapabilityModel final : public TableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        KindColumn,
        PayloadTypeColumn,
        RootTagColumn,
        PeersColumn,
        DescriptionColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        RawValueRole = TableModel::RawValueRole, // the column's value unformatted (sort on this)
        NameRole,
        IsAgentRole,
        PeersRole, // QStringList
        PayloadClassRole,
        SchemaXsdRole,
        ExampleXmlRole,
    };
    Q_ENUM(Role)

    explicit CapabilityModel(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(CapabilityModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    Capability capability(int row) const;
    int rowOf(const QString &name) const; // -1 when unknown
    // The root element a payload for this listener is sent as ("Greeting").
    static QString sentElement(const Capability &capability);

protected:
    QString columnTitle(int column) const override;
    QHash<int, QByteArray> extraRoleNames() const override;

private:
    void reload();

    Session *m_session;
    QList<Capability> m_rows;
};

} // namespace agentdesk
