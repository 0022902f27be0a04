#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QVariantMap>

namespace agentdesk::wire {

// The shape of a payload type, read from the XSD a listener publishes (its capability's schemaXsd), so
// the inject dialog can offer a typed form for any organism — local or behind an AgentServer. The one
// reader of XSD text: core writes XSDs (schema/xsdwriter) and has libxml2 validate against them, but
// never reads one back; PayloadLayout (messageparser.h) learns from exampleXml instead, because the
// original server publishes no XSD (schemaXsd is always null there).
struct PayloadField
{
    enum class Kind { String, Integer, Decimal, Boolean, Nested };
    QString element; // wire element name (PascalCase); also the key the inject request uses
    Kind kind = Kind::String;
    QString typeName;      // Kind::Nested: the complex type, a key of PayloadSchema::types
    bool list = false;     // maxOccurs > 1 or unbounded
    bool optional = false; // minOccurs = 0 (a list may be empty)
};

struct PayloadSchema
{
    QString rootElement; // e.g. "Greeting"
    QString rootType;    // key of types
    QHash<QString, QList<PayloadField>> types;
    QString error; // non-empty when the XSD could not be read

    bool isValid() const { return error.isEmpty() && types.contains(rootType); }
    QList<PayloadField> fields(const QString &typeName) const { return types.value(typeName); }

    // Understands what agentdesk and the original server publish: named and anonymous complex types with a
    // sequence (or all) of elements, xs: simple types mapped to the four scalar kinds, min/maxOccurs.
    static PayloadSchema fromXsd(const QString &xsd);
    static PayloadField::Kind kindOf(const QString &xsdType);

    // The payload as XML, fields in the schema's order, keyed by element names (as PayloadForm gives them);
    // a required field without a value is an empty element to fill in, an optional one is left out.
    QString toXml(const QVariantMap &fields) const;
    // Empty when `xml` has the root element and every required field with a value; otherwise the first
    // problem ("Name is required"), for the raw XML a person writes.
    QString problemIn(const QByteArray &xml) const;
};

} // namespace agentdesk::wire
