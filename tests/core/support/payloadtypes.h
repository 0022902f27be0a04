#pragma once

#include "schema/schemaregistry.h"

#include <QStringList>

namespace agentdesk::test {

// A declared payload type from field declarations as organism.yaml writes them: "name:string",
// "note:string?" (optional), "items:Item[]" (a list) — for tests that build a SchemaRegistry. With a
// `line`, the type is declared on that line of organism.yaml and its fields on the lines after it, as
// the loader would record them (errors name the line).
inline PayloadTypeSpec payloadType(const QString &name, const QStringList &fields, int line = 0)
{
    PayloadTypeSpec spec;
    spec.name = name;
    spec.line = line;
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
        field.line = line > 0 ? line + 1 + int(spec.fields.size()) : 0;
        spec.fields.append(field);
    }
    return spec;
}

} // namespace agentdesk::test
