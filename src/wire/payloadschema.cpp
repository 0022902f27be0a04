#include "payloadschema.h"

#include "xmlelement.h"

#include <QCoreApplication>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {

const QString kXsdNamespace = u"http://www.w3.org/2001/XMLSchema"_s;

QString localName(const QString &qualified)
{
    const qsizetype colon = qualified.indexOf(u':');
    return colon < 0 ? qualified : qualified.mid(colon + 1);
}

bool isXsdBuiltin(const QString &qualified)
{
    return qualified.startsWith(u"xs:") || qualified.startsWith(u"xsd:");
}

// Reads one XSD document into named types; anonymous complex types get generated names.
class XsdReader
{
public:
    explicit XsdReader(const QString &xsd)
        : m_xml(xsd)
    { }

    PayloadSchema read()
    {
        // One root element; reading on past it would report a premature end of the document.
        if (m_xml.readNextStartElement()) {
            if (m_xml.name() == u"schema" && m_xml.namespaceUri() == kXsdNamespace)
                readSchema();
            else
                m_xml.raiseError(QCoreApplication::translate("agentdesk::PayloadSchema", "not an XML schema"));
        }
        if (m_xml.hasError())
            m_schema.error = m_xml.errorString();
        else if (m_schema.rootElement.isEmpty())
            m_schema.error = QCoreApplication::translate("agentdesk::PayloadSchema", "the schema declares no element");
        else if (!m_schema.types.contains(m_schema.rootType))
            m_schema.error =
                QCoreApplication::translate("agentdesk::PayloadSchema", "unknown type %1").arg(m_schema.rootType);
        return m_schema;
    }

private:
    void readSchema()
    {
        while (m_xml.readNextStartElement()) {
            if (m_xml.name() == u"complexType") {
                const QString name = m_xml.attributes().value(u"name"_s).toString();
                m_schema.types.insert(name, readComplexType());
            } else if (m_xml.name() == u"element" && m_schema.rootElement.isEmpty()) {
                const PayloadField root = readElement();
                m_schema.rootElement = root.element;
                m_schema.rootType = root.kind == PayloadField::Kind::Nested ? root.typeName : QString();
                if (root.kind != PayloadField::Kind::Nested) // a scalar root: a type with no fields
                    m_schema.types.insert(m_schema.rootType, {});
            } else {
                m_xml.skipCurrentElement();
            }
        }
    }

    // At <complexType>: its elements, from any sequence/all/choice inside.
    QList<PayloadField> readComplexType()
    {
        QList<PayloadField> fields;
        readParticles(&fields);
        return fields;
    }

    void readParticles(QList<PayloadField> *fields)
    {
        while (m_xml.readNextStartElement()) {
            const auto name = m_xml.name();
            if (name == u"sequence" || name == u"all" || name == u"choice")
                readParticles(fields);
            else if (name == u"element")
                fields->append(readElement());
            else
                m_xml.skipCurrentElement();
        }
    }

    // At <element>: name, type (named, built in, or an anonymous complexType inside) and occurrence.
    PayloadField readElement()
    {
        PayloadField field;
        const QXmlStreamAttributes attributes = m_xml.attributes();
        field.element = attributes.value(u"name"_s).toString();
        if (field.element.isEmpty())
            field.element = localName(attributes.value(u"ref"_s).toString());
        const QString minOccurs = attributes.value(u"minOccurs"_s).toString();
        const QString maxOccurs = attributes.value(u"maxOccurs"_s).toString();
        field.optional = minOccurs == u"0";
        field.list = maxOccurs == u"unbounded" || maxOccurs.toInt() > 1;
        const QString type = attributes.value(u"type"_s).toString();
        if (!type.isEmpty()) {
            if (isXsdBuiltin(type)) {
                field.kind = PayloadSchema::kindOf(type);
            } else {
                field.kind = PayloadField::Kind::Nested;
                field.typeName = localName(type);
            }
        }
        while (m_xml.readNextStartElement()) {
            if (m_xml.name() == u"complexType") {
                field.kind = PayloadField::Kind::Nested;
                field.typeName = u"#anonymous-%1"_s.arg(++m_anonymous);
                m_schema.types.insert(field.typeName, readComplexType());
            } else if (m_xml.name() == u"simpleType") {
                field.kind = readSimpleType();
            } else {
                m_xml.skipCurrentElement();
            }
        }
        return field;
    }

    // At <simpleType>: the kind of its restriction's base.
    PayloadField::Kind readSimpleType()
    {
        PayloadField::Kind kind = PayloadField::Kind::String;
        while (m_xml.readNextStartElement()) {
            if (m_xml.name() == u"restriction")
                kind = PayloadSchema::kindOf(m_xml.attributes().value(u"base"_s).toString());
            m_xml.skipCurrentElement();
        }
        return kind;
    }

    QXmlStreamReader m_xml;
    PayloadSchema m_schema;
    int m_anonymous = 0;
};

} // namespace

PayloadField::Kind PayloadSchema::kindOf(const QString &xsdType)
{
    static const QStringList integers{u"integer"_s,
                                      u"int"_s,
                                      u"long"_s,
                                      u"short"_s,
                                      u"byte"_s,
                                      u"nonNegativeInteger"_s,
                                      u"positiveInteger"_s,
                                      u"negativeInteger"_s,
                                      u"nonPositiveInteger"_s,
                                      u"unsignedLong"_s,
                                      u"unsignedInt"_s,
                                      u"unsignedShort"_s,
                                      u"unsignedByte"_s};
    static const QStringList decimals{u"decimal"_s, u"float"_s, u"double"_s};
    const QString name = localName(xsdType);
    if (integers.contains(name))
        return PayloadField::Kind::Integer;
    if (decimals.contains(name))
        return PayloadField::Kind::Decimal;
    if (name == u"boolean")
        return PayloadField::Kind::Boolean;
    return PayloadField::Kind::String;
}

PayloadSchema PayloadSchema::fromXsd(const QString &xsd)
{
    if (xsd.trimmed().isEmpty()) {
        PayloadSchema schema;
        schema.error = QCoreApplication::translate("agentdesk::PayloadSchema", "the listener publishes no schema");
        return schema;
    }
    return XsdReader(xsd).read();
}

namespace {

QString scalarXmlText(const QVariant &value)
{
    if (value.typeId() == QMetaType::Bool)
        return value.toBool() ? u"true"_s : u"false"_s;
    if (value.typeId() == QMetaType::Double)
        return QString::number(value.toDouble(), 'g', 17);
    return value.toString();
}

void writeFields(const PayloadSchema &schema, const QString &typeName, const QVariantMap &fields,
                 QXmlStreamWriter &writer)
{
    for (const PayloadField &field : schema.fields(typeName)) {
        const QVariant value = fields.value(field.element);
        if (!value.isValid() && field.optional)
            continue;
        const QVariantList items = field.list ? value.toList() : QVariantList{value};
        for (const QVariant &item : items) {
            writer.writeStartElement(field.element);
            if (field.kind == PayloadField::Kind::Nested)
                writeFields(schema, field.typeName, item.toMap(), writer);
            else // an empty one as <Name></Name>: room to type between the tags
                writer.writeCharacters(item.isValid() ? scalarXmlText(item) : QString());
            writer.writeEndElement();
        }
    }
}

QString problemAt(const PayloadSchema &schema, const QString &typeName, const XmlElement &element, const QString &path)
{
    for (const PayloadField &field : schema.fields(typeName)) {
        const QString label = path.isEmpty() ? field.element : path + u" › "_s + field.element;
        const XmlElement *child = nullptr;
        for (const XmlElement &candidate : element.children) {
            if (candidate.name == field.element) {
                child = &candidate;
                break;
            }
        }
        if (!child) {
            if (field.optional || field.list)
                continue;
            return QCoreApplication::translate("agentdesk::PayloadSchema", "%1 is required").arg(label);
        }
        if (field.kind == PayloadField::Kind::Nested) {
            const QString problem = problemAt(schema, field.typeName, *child, label);
            if (!problem.isEmpty())
                return problem;
        } else if (child->text.trimmed().isEmpty() && !field.optional) {
            return QCoreApplication::translate("agentdesk::PayloadSchema", "%1 is required").arg(label);
        }
    }
    return {};
}

} // namespace

QString PayloadSchema::toXml(const QVariantMap &fields) const
{
    if (!isValid())
        return {};
    QString out;
    QXmlStreamWriter writer(&out);
    writer.setAutoFormatting(true);
    writer.setAutoFormattingIndent(2);
    writer.writeStartElement(rootElement);
    writeFields(*this, rootType, fields, writer);
    writer.writeEndElement();
    return out.trimmed();
}

QString PayloadSchema::problemIn(const QByteArray &xml) const
{
    if (!isValid())
        return {};
    const std::optional<XmlElement> root = elementTree(xml);
    if (!root)
        return QCoreApplication::translate("agentdesk::PayloadSchema", "The XML is not well-formed");
    if (root->name != rootElement)
        return QCoreApplication::translate("agentdesk::PayloadSchema", "The root element must be <%1>, not <%2>")
            .arg(rootElement, root->name);
    return problemAt(*this, rootType, *root, QString());
}

} // namespace agentdesk::wire
