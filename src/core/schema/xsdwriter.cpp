#include "xsdwriter.h"

#include "schemamodel.h"

#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QString xsdType(const SchemaModel &model, const SchemaField &field)
{
    switch (field.kind) {
    case FieldKind::String:
        return u"xs:string"_s;
    case FieldKind::Integer:
        return u"xs:integer"_s;
    case FieldKind::Decimal:
        return u"xs:decimal"_s;
    case FieldKind::Boolean:
        return u"xs:boolean"_s;
    case FieldKind::Nested:
        return model.type(field.nested).spec.name;
    }
    return {};
}

QString placeholder(FieldKind kind)
{
    switch (kind) {
    case FieldKind::String:
        return u"..."_s;
    case FieldKind::Integer:
        return u"0"_s;
    case FieldKind::Decimal:
        return u"0.0"_s;
    case FieldKind::Boolean:
        return u"false"_s;
    case FieldKind::Nested:
        break;
    }
    return {};
}

void appendComplexType(const SchemaModel &model, const SchemaType &type, QStringList *lines)
{
    lines->append(u"  <xs:complexType name=\"%1\">"_s.arg(type.spec.name));
    if (type.fields.empty())
        lines->append(u"    <xs:sequence/>"_s);
    else
        lines->append(u"    <xs:sequence>"_s);
    for (const SchemaField &field : type.fields) {
        QString occurs;
        if (field.list)
            occurs = u" minOccurs=\"0\" maxOccurs=\"unbounded\""_s;
        else if (field.optional)
            occurs = u" minOccurs=\"0\""_s;
        lines->append(
            u"      <xs:element name=\"%1\" type=\"%2\"%3/>"_s.arg(field.element, xsdType(model, field), occurs));
    }
    if (!type.fields.empty())
        lines->append(u"    </xs:sequence>"_s);
    lines->append(u"  </xs:complexType>"_s);
}

void appendExample(const SchemaModel &model, int typeIndex, const QString &element, const QString &indent,
                   std::vector<int> *expanding, QStringList *lines)
{
    const SchemaType &type = model.type(typeIndex);
    if (type.fields.empty()) {
        lines->append(indent + u'<' + element + u"></"_s + element + u'>');
        return;
    }
    expanding->push_back(typeIndex);
    lines->append(indent + u'<' + element + u'>');
    const QString inner = indent + u"  "_s;
    for (const SchemaField &field : type.fields) {
        if (field.kind != FieldKind::Nested) {
            lines->append(inner + u'<' + field.element + u'>' + placeholder(field.kind) + u"</"_s + field.element
                          + u'>');
            continue;
        }
        const bool reenters = std::find(expanding->cbegin(), expanding->cend(), field.nested) != expanding->cend();
        if (reenters && (field.list || field.optional))
            continue;
        appendExample(model, field.nested, field.element, inner, expanding, lines);
    }
    lines->append(indent + u"</"_s + element + u'>');
    expanding->pop_back();
}

} // namespace

QString XsdWriter::xsd(const SchemaModel &model, int typeIndex)
{
    const SchemaType &root = model.type(typeIndex);
    QStringList lines;
    lines.append(
        u"<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" id=\"%1\" elementFormDefault=\"qualified\">"_s.arg(
            root.spec.name));
    for (int index : model.closure(typeIndex))
        appendComplexType(model, model.type(index), &lines);
    lines.append(u"  <xs:element name=\"%1\" type=\"%1\"/>"_s.arg(root.spec.name));
    lines.append(u"</xs:schema>"_s);
    return lines.join(u'\n');
}

QString XsdWriter::exampleXml(const SchemaModel &model, int typeIndex)
{
    QStringList lines;
    std::vector<int> expanding;
    appendExample(model, typeIndex, model.type(typeIndex).spec.name, QString(), &expanding, &lines);
    return lines.join(u'\n');
}

} // namespace agentdesk
