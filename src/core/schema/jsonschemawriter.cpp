#include "jsonschemawriter.h"

#include "schemamodel.h"

#include <QVariantList>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QVariantMap objectSchema(const SchemaModel &model, int typeIndex, std::vector<int> *expanding);

QVariantMap valueSchema(const SchemaModel &model, const SchemaField &field, std::vector<int> *expanding)
{
    switch (field.kind) {
    case FieldKind::String:
        return {{u"type"_s, u"string"_s}};
    case FieldKind::Integer:
        return {{u"type"_s, u"integer"_s}};
    case FieldKind::Decimal:
        return {{u"type"_s, u"number"_s}};
    case FieldKind::Boolean:
        return {{u"type"_s, u"boolean"_s}};
    case FieldKind::Nested:
        break;
    }
    // A type that contains itself (through an optional or list field) is described, not expanded again.
    if (std::find(expanding->cbegin(), expanding->cend(), field.nested) != expanding->cend())
        return {{u"type"_s, u"object"_s},
                {u"description"_s, u"a %1, shaped like the enclosing one"_s.arg(model.type(field.nested).spec.name)}};
    return objectSchema(model, field.nested, expanding);
}

QVariantMap objectSchema(const SchemaModel &model, int typeIndex, std::vector<int> *expanding)
{
    expanding->push_back(typeIndex);
    const SchemaType &type = model.type(typeIndex);
    QVariantMap properties;
    QVariantList required;
    for (const SchemaField &field : type.fields) {
        QVariantMap value = valueSchema(model, field, expanding);
        if (field.list)
            value = {{u"type"_s, u"array"_s}, {u"items"_s, value}};
        properties.insert(field.name, value);
        if (!field.list && !field.optional)
            required.append(field.name);
    }
    expanding->pop_back();
    return {{u"type"_s, u"object"_s},
            {u"properties"_s, properties},
            {u"required"_s, required},
            {u"additionalProperties"_s, false}};
}

} // namespace

QVariantMap JsonSchemaWriter::schema(const SchemaModel &model, int typeIndex)
{
    std::vector<int> expanding;
    return objectSchema(model, typeIndex, &expanding);
}

} // namespace agentdesk
