#pragma once

#include "domain/records.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QStringList>
#include <QVariantMap>

#include <optional>

namespace agentdesk::wire {

class PayloadLayout;

// MessageInfo (spec §3.4): slotIndex becomes seq, payload the field tree (jsonFields; decimals
// restored by `layout` when given). The wire carries no XML and no depth: xml is rebuilt with
// payloadXml() (ordered by `layout`), depth stays 0. nullopt without an "id" or a "threadId".
std::optional<MessageRecord> parseMessageInfo(const QJsonObject &json, const PayloadLayout *layout = nullptr);
// MessageListResponse (§3.7): nullopt when "messages" is not a list.
std::optional<MessagePage> parseMessagePage(const QJsonObject &json, const PayloadLayout *layout = nullptr);

// What a payload's JSON object has lost, learnt from the capabilities' exampleXml (every element in
// declaration order, decimals written as 0.0): the element order, and which numbers are decimals —
// Qt's JSON parser reads 18.0 as the integer 18.
class PayloadLayout
{
public:
    void learn(const QString &exampleXml);
    void clear();
    bool isEmpty() const { return m_children.isEmpty(); }
    // Child element names of the element at `path` ("Order", "Order/Address"), in document order.
    QStringList children(const QString &path) const { return m_children.value(path); }
    bool isDecimal(const QString &path) const { return m_decimals.contains(path); }
    // Turns integers back into doubles where the element at their path is a decimal.
    void restoreDecimals(const QString &payloadType, QVariantMap *fields) const;

private:
    void restore(const QString &path, QVariant *value) const;

    QHash<QString, QStringList> m_children;
    QSet<QString> m_decimals;
};

// The payload as XML in the canonical form of the payload builder: root element = payloadType, one
// element per field named in PascalCase (lists repeat the element, objects nest), values as the
// builder writes them. Fields are ordered by `layout` where it knows the type, otherwise by name.
QByteArray payloadXml(const QString &payloadType, const QVariantMap &fields, const PayloadLayout *layout = nullptr);

// The reverse, for sending an XML payload through the JSON API: the root's child elements as a field
// tree with snake_case keys, text values as strings (the server converts them to the declared types),
// repeated elements as lists. nullopt (and *error) when the text is not well-formed XML.
struct XmlFields
{
    QString rootName;
    QVariantMap fields;
};
std::optional<XmlFields> xmlPayloadFields(const QByteArray &xml, QString *error = nullptr);

} // namespace agentdesk::wire
