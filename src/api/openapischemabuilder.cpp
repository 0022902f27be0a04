#include "openapischemabuilder.h"

#include <QCborArray>

using namespace Qt::StringLiterals;

namespace agentdesk::openapi {

QCborMap type(const QString &name)
{
    return QCborMap{{u"type"_s, name}};
}

QCborMap str()
{
    return type(u"string"_s);
}

QCborMap integer()
{
    return type(u"integer"_s);
}

QCborMap number()
{
    return type(u"number"_s);
}

QCborMap boolean()
{
    return type(u"boolean"_s);
}

QCborMap anyObject()
{
    return type(u"object"_s);
}

QCborMap nullable(QCborMap schema)
{
    schema[u"type"_s] = QCborArray{schema.value(u"type"_s), u"null"_s};
    return schema;
}

QCborMap timestamp()
{
    return QCborMap{{u"type"_s, u"string"_s},
                    {u"format"_s, u"date-time"_s},
                    {u"examples"_s, QCborArray{u"2026-02-10T12:34:56.123Z"_s}}};
}

QCborMap enumOf(const QStringList &values, bool orNull)
{
    QCborArray list = QCborArray::fromStringList(values);
    if (orNull)
        list.append(nullptr);
    return QCborMap{{u"type"_s, orNull ? QCborValue(QCborArray{u"string"_s, u"null"_s}) : QCborValue(u"string"_s)},
                    {u"enum"_s, list}};
}

QCborMap constant(const QString &value)
{
    return QCborMap{{u"type"_s, u"string"_s}, {u"const"_s, value}};
}

QCborMap ref(const QString &name)
{
    return QCborMap{{u"$ref"_s, QString(u"#/components/schemas/"_s + name)}};
}

QCborMap nullableRef(const QString &name)
{
    return QCborMap{{u"anyOf"_s, QCborArray{ref(name), QCborMap{{u"type"_s, u"null"_s}}}}};
}

QCborMap arrayOf(const QCborMap &items)
{
    return QCborMap{{u"type"_s, u"array"_s}, {u"items"_s, items}};
}

QCborMap mapOf(const QCborMap &values)
{
    return QCborMap{{u"type"_s, u"object"_s}, {u"additionalProperties"_s, values}};
}

QCborMap described(QCborMap schema, const QString &description)
{
    schema[u"description"_s] = description;
    return schema;
}

QCborMap extension(QCborMap schema, const QString &description)
{
    schema[u"description"_s] = QString(u"agentdesk extension: "_s + description);
    schema[u"x-agentdesk-extension"_s] = true;
    return schema;
}

QCborMap object(std::initializer_list<Property> properties, const QStringList &optional)
{
    QCborMap props;
    QCborArray required;
    for (const auto &[name, schema] : properties) {
        props[name] = schema;
        if (!optional.contains(name))
            required.append(name);
    }
    return QCborMap{{u"type"_s, u"object"_s}, {u"properties"_s, props}, {u"required"_s, required}};
}

} // namespace agentdesk::openapi
