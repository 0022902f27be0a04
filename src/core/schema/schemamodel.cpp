#include "schemamodel.h"

#include "schemaregistry.h"

#include <QSet>

#include <cstring>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

bool isAsciiLetter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

// Names become XML element and XSD type names, and PascalCase must map them one to one: a letter, then
// ASCII letters, digits and underscores.
bool isIdentifier(const QString &name)
{
    if (name.isEmpty() || !isAsciiLetter(name.front()))
        return false;
    for (QChar c : name) {
        if (!isAsciiLetter(c) && !(c >= u'0' && c <= u'9') && c != u'_')
            return false;
    }
    return true;
}

bool builtinKind(const QString &type, FieldKind *kind)
{
    static const QHash<QString, FieldKind> kinds = {{u"string"_s, FieldKind::String},
                                                    {u"integer"_s, FieldKind::Integer},
                                                    {u"decimal"_s, FieldKind::Decimal},
                                                    {u"boolean"_s, FieldKind::Boolean}};
    const auto it = kinds.constFind(type);
    if (it == kinds.cend())
        return false;
    *kind = *it;
    return true;
}

QString where(const PayloadTypeSpec &type)
{
    return type.line > 0 ? u"line %1: payload type %2"_s.arg(type.line).arg(type.name)
                         : u"payload type %1"_s.arg(type.name);
}

QString where(const PayloadTypeSpec &type, const FieldSpec &field)
{
    const int line = field.line > 0 ? field.line : type.line;
    const QString prefix = line > 0 ? u"line %1: "_s.arg(line) : QString();
    return prefix + u"payload type %1, field %2"_s.arg(type.name, field.name);
}

} // namespace

int SchemaType::elementIndex(const char *utf8Name) const
{
    for (size_t i = 0; i < fields.size(); ++i) {
        if (std::strcmp(fields[i].elementUtf8.constData(), utf8Name) == 0)
            return int(i);
    }
    return -1;
}

std::unique_ptr<SchemaModel> SchemaModel::resolve(const QList<PayloadTypeSpec> &specs, QString *error)
{
    auto model = std::unique_ptr<SchemaModel>(new SchemaModel);
    model->m_types.reserve(size_t(specs.size()));
    for (const PayloadTypeSpec &spec : specs) {
        if (!model->addType(spec, error))
            return nullptr;
    }
    if (!model->resolveFields(error) || !model->checkFiniteness(error))
        return nullptr;
    return model;
}

int SchemaModel::indexOfUtf8(const char *utf8Name) const
{
    return m_byNameUtf8.value(QByteArray::fromRawData(utf8Name, qsizetype(std::strlen(utf8Name))), -1);
}

bool SchemaModel::addType(const PayloadTypeSpec &spec, QString *error)
{
    FieldKind ignored;
    if (!isIdentifier(spec.name) || builtinKind(spec.name, &ignored)) {
        *error = where(spec)
            + u": the name must start with a letter and hold only letters, digits and "
              u"underscores, and must not be a built-in type (string, integer, decimal, boolean)"_s;
        return false;
    }
    if (m_byName.contains(spec.name)) {
        *error = where(spec) + u": declared twice"_s;
        return false;
    }
    SchemaType type;
    type.spec = spec;
    type.nameUtf8 = spec.name.toUtf8();
    type.openTag = '<' + type.nameUtf8 + '>';
    type.closeTag = "</" + type.nameUtf8 + '>';
    QSet<QString> elements;
    for (const FieldSpec &fieldSpec : spec.fields) {
        if (!isIdentifier(fieldSpec.name)) {
            *error = where(spec, fieldSpec)
                + u": a field name must start with a letter and hold only letters, "
                  u"digits and underscores"_s;
            return false;
        }
        SchemaField field;
        field.name = fieldSpec.name;
        field.element = SchemaRegistry::pascalCase(fieldSpec.name);
        field.elementUtf8 = field.element.toUtf8();
        field.openTag = '<' + field.elementUtf8 + '>';
        field.closeTag = "</" + field.elementUtf8 + '>';
        field.list = fieldSpec.list;
        field.optional = fieldSpec.optional;
        // Two fields with one PascalCase name would share one wire element (original_sender, originalSender).
        if (elements.contains(field.element)) {
            *error = where(spec, fieldSpec)
                + u": its element name %1 is already used by another field"_s.arg(field.element);
            return false;
        }
        elements.insert(field.element);
        const int index = int(type.fields.size());
        type.keys.insert(field.name, index);
        type.keys.insert(field.element, index);
        type.fields.push_back(std::move(field));
    }
    m_byName.insert(spec.name, int(m_types.size()));
    m_byNameUtf8.insert(type.nameUtf8, int(m_types.size()));
    m_types.push_back(std::move(type));
    return true;
}

bool SchemaModel::resolveFields(QString *error)
{
    for (SchemaType &type : m_types) {
        for (qsizetype i = 0; i < type.spec.fields.size(); ++i) {
            const FieldSpec &fieldSpec = type.spec.fields[i];
            SchemaField &field = type.fields[size_t(i)];
            if (builtinKind(fieldSpec.type, &field.kind))
                continue;
            field.kind = FieldKind::Nested;
            field.nested = indexOf(fieldSpec.type);
            if (field.nested < 0) {
                *error = where(type.spec, fieldSpec)
                    + u": unknown type %1 (expected string, integer, decimal, "
                      u"boolean or a declared payload type)"_s.arg(fieldSpec.type);
                return false;
            }
        }
    }
    return true;
}

// A type whose required (non-list, non-optional) fields lead back to itself has no finite instance.
bool SchemaModel::checkFiniteness(QString *error) const
{
    std::vector<bool> finite(m_types.size(), false);
    bool changed = true;
    while (changed) {
        changed = false;
        for (size_t t = 0; t < m_types.size(); ++t) {
            if (finite[t])
                continue;
            bool ok = true;
            for (const SchemaField &field : m_types[t].fields) {
                if (field.kind == FieldKind::Nested && !field.list && !field.optional && !finite[size_t(field.nested)])
                    ok = false;
            }
            if (ok) {
                finite[t] = true;
                changed = true;
            }
        }
    }
    for (size_t t = 0; t < m_types.size(); ++t) {
        if (!finite[t]) {
            *error = where(m_types[t].spec)
                + u": contains itself through required fields; make one field on "
                  u"the cycle optional (?) or a list ([])"_s;
            return false;
        }
    }
    return true;
}

std::vector<int> SchemaModel::closure(int index) const
{
    std::vector<int> order;
    std::vector<bool> seen(m_types.size(), false);
    // Depth first, in field order: a type's own nested types follow it before its later siblings' types.
    auto visit = [&](auto &&self, int current) -> void {
        if (seen[size_t(current)])
            return;
        seen[size_t(current)] = true;
        order.push_back(current);
        for (const SchemaField &field : m_types[size_t(current)].fields) {
            if (field.kind == FieldKind::Nested)
                self(self, field.nested);
        }
    };
    visit(visit, index);
    return order;
}

} // namespace agentdesk
