#pragma once

#include "schema/schemaregistry.h"

#include <QStringList>

namespace agentdesk::test {

// A declared payload type from field declarations as organism.yaml writes them: "name:string",
// "note:string?" (optional), "items:Item[]" (a list) — for tests that build a SchemaRegistry.
inline PayloadTypeSpec payloadType(const QString &name, const QStringList &fields)
{
    PayloadTypeSpec spec;
    spec.name = name;
    for (const QString &declaration : fields) {
        FieldSpec field;
        const qsizetype colon = declaration.indexOf(u':');
        field.name = declaration.left(colon);
        QString type = declaration.mid(colon + 1);
        if (type.endsWith(u'?')) {
            field.optional = true;
            type.chop(1);
        }
        if (type.endsWith(QStringLiteral("[]"))) {
            field.list = true;
            type.chop(2);
        }
        field.type = type;
        spec.fields.append(field);
    }
    return spec;
}

} // namespace agentdesk::test
