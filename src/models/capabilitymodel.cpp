#include "capabilitymodel.h"

#include "session.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

QString CapabilityModel::sentElement(const Capability &capability)
{
    // The payload type is the element's name (PascalCase, as the XSD declares it); the original's rootTag
    // (`greeter.greeting`) is a routing key made of the listener and the class, never sent.
    if (!capability.payloadType.isEmpty())
        return capability.payloadType;
    if (!capability.payloadClass.isEmpty())
        return capability.payloadClass.section(u'.', -1);
    return capability.rootTag;
}

CapabilityModel::CapabilityModel(Session *session, QObject *parent)
    : TableModel(ColumnCount, parent)
    , m_session(session)
{
    connect(session, &Session::capabilitiesChanged, this, &CapabilityModel::reload);
    if (session->isConnected())
        m_rows = session->capabilities();
}

int CapabilityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

Capability CapabilityModel::capability(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : Capability();
}

int CapabilityModel::rowOf(const QString &name) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).name == name)
            return row;
    }
    return -1;
}

QVariant CapabilityModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Capability &capability = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KindColumn:
            return capability.isAgent ? tr("agent") : tr("handler");
        case PeersColumn:
            return capability.peers.join(u", "_s);
        case RootTagColumn:
            return u"<%1>"_s.arg(sentElement(capability));
        default:
            return data(index, RawValueRole);
        }
    case RawValueRole:
        switch (index.column()) {
        case NameColumn:
            return capability.name;
        case KindColumn:
            return capability.isAgent;
        case PayloadTypeColumn:
            return capability.payloadType;
        case RootTagColumn:
            return sentElement(capability);
        case PeersColumn:
            return capability.peers;
        case DescriptionColumn:
            return capability.description;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == RootTagColumn && !capability.rootTag.isEmpty())
            return tr("Routing key: %1").arg(capability.rootTag);
        if (index.column() == PeersColumn)
            return capability.peers.join(u'\n');
        return index.column() == DescriptionColumn || index.column() == NameColumn ? QVariant(capability.description)
                                                                                   : QVariant();
    case NameRole:
        return capability.name;
    case IsAgentRole:
        return capability.isAgent;
    case PeersRole:
        return capability.peers;
    case PayloadClassRole:
        return capability.payloadClass;
    case SchemaXsdRole:
        return capability.schemaXsd;
    case ExampleXmlRole:
        return capability.exampleXml;
    default:
        return {};
    }
}

QString CapabilityModel::columnTitle(int column) const
{
    switch (column) {
    case NameColumn:
        return tr("Name");
    case KindColumn:
        return tr("Kind");
    case PayloadTypeColumn:
        return tr("Payload type");
    case RootTagColumn:
        return tr("Root element");
    case PeersColumn:
        return tr("Peers");
    case DescriptionColumn:
        return tr("Description");
    default:
        return {};
    }
}

QHash<int, QByteArray> CapabilityModel::extraRoleNames() const
{
    QHash<int, QByteArray> names;
    names.insert(NameRole, "name");
    names.insert(IsAgentRole, "isAgent");
    names.insert(PeersRole, "peers");
    names.insert(PayloadClassRole, "payloadClass");
    names.insert(SchemaXsdRole, "schemaXsd");
    names.insert(ExampleXmlRole, "exampleXml");
    return names;
}

void CapabilityModel::reload()
{
    beginResetModel();
    m_rows = m_session->capabilities();
    endResetModel();
}

} // namespace agentdesk
