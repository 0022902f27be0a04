#include "schemacheck.h"

#include <QCborArray>
#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

QString jsonType(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"boolean"_s;
    case QJsonValue::Double: {
        const double number = value.toDouble();
        return number == double(qint64(number)) ? u"integer"_s : u"number"_s;
    }
    case QJsonValue::String:
        return u"string"_s;
    case QJsonValue::Array:
        return u"array"_s;
    case QJsonValue::Object:
        return u"object"_s;
    default:
        return u"undefined"_s;
    }
}

bool typeMatches(const QString &actual, const QCborValue &expected)
{
    const auto one = [&](const QString &name) { return name == actual || (name == u"number" && actual == u"integer"); };
    if (expected.isArray()) {
        const QCborArray names = expected.toArray();
        for (const QCborValue &name : names) {
            if (one(name.toString()))
                return true;
        }
        return false;
    }
    return one(expected.toString());
}

void check(const QJsonValue &value, QCborMap schema, const QCborMap &schemas, const QString &path, QStringList *errors)
{
    if (schema.contains(u"$ref"_s)) {
        const QString name = schema.value(u"$ref"_s).toString().section(u'/', -1);
        if (!schemas.contains(name)) {
            errors->append(u"%1: unknown schema %2"_s.arg(path, name));
            return;
        }
        schema = schemas.value(name).toMap();
    }
    if (schema.contains(u"type"_s) && !typeMatches(jsonType(value), schema.value(u"type"_s))) {
        errors->append(u"%1: %2 is not %3"_s.arg(path, jsonType(value),
                                                 schema.value(u"type"_s).toVariant().toStringList().join(u'|')
                                                     + schema.value(u"type"_s).toString()));
        return;
    }
    if (value.isNull())
        return;
    if (schema.contains(u"enum"_s) && !schema.value(u"enum"_s).toArray().contains(QCborValue(value.toString())))
        errors->append(u"%1: %2 is not one of the enum values"_s.arg(path, value.toString()));
    if (schema.contains(u"const"_s) && schema.value(u"const"_s).toString() != value.toString())
        errors->append(u"%1: %2 is not %3"_s.arg(path, value.toString(), schema.value(u"const"_s).toString()));
    if (value.isArray() && schema.contains(u"items"_s)) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            check(array.at(i), schema.value(u"items"_s).toMap(), schemas, u"%1[%2]"_s.arg(path).arg(i), errors);
    }
    if (value.isObject() && schema.contains(u"properties"_s)) {
        const QJsonObject object = value.toObject();
        const QCborMap properties = schema.value(u"properties"_s).toMap();
        const QCborArray required = schema.value(u"required"_s).toArray();
        for (const QCborValue &name : required) {
            if (!object.contains(name.toString()))
                errors->append(u"%1: missing key %2"_s.arg(path, name.toString()));
        }
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (!properties.contains(it.key()))
                errors->append(u"%1: key %2 is not in the schema"_s.arg(path, it.key()));
            else
                check(it.value(), properties.value(it.key()).toMap(), schemas, path + u'.' + it.key(), errors);
        }
    }
}

} // namespace

QStringList checkAgainstSchema(const QJsonValue &value, const QString &schemaName, const QCborMap &schemas)
{
    QStringList errors;
    check(value, QCborMap{{u"$ref"_s, QString(u"#/components/schemas/"_s + schemaName)}}, schemas, schemaName, &errors);
    return errors;
}
