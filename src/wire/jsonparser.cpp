#include "jsonparser.h"

#include "timestamps.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QVariantList>

#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {

std::optional<qint64> integerValue(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const QVariant variant = value.toVariant(); // keeps JSON integers as qlonglong
    if (variant.typeId() == QMetaType::LongLong)
        return variant.toLongLong();
    const double number = value.toDouble();
    // Only integral doubles in the range a double represents exactly.
    if (!std::isfinite(number) || number != std::trunc(number) || std::fabs(number) > 9007199254740992.0)
        return std::nullopt;
    return qint64(number);
}

QVariant fieldValue(const QJsonValue &value);

QVariantList listValue(const QJsonArray &array)
{
    QVariantList list;
    list.reserve(array.size());
    for (const QJsonValue &item : array) {
        if (!item.isNull() && !item.isUndefined())
            list.append(fieldValue(item));
    }
    return list;
}

QVariant fieldValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return value.toBool();
    case QJsonValue::Double:
        return value.toVariant(); // qlonglong for JSON integers, double otherwise
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Array:
        return listValue(value.toArray());
    case QJsonValue::Object:
        return jsonFields(value.toObject());
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

} // namespace

std::optional<QJsonValue> parseJsonScalar(const QByteArray &text)
{
    QJsonParseError error{};
    const QJsonDocument wrapped = QJsonDocument::fromJson('[' + text + ']', &error);
    if (error.error != QJsonParseError::NoError || wrapped.array().size() != 1)
        return std::nullopt;
    return wrapped.array().first();
}

std::optional<QJsonObject> parseJsonObject(const QByteArray &body, QString *error)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error)
            *error = u"invalid JSON (%1 at offset %2)"_s.arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    if (!document.isObject()) {
        if (error)
            *error = u"the JSON is not an object"_s;
        return std::nullopt;
    }
    return document.object();
}

QString jsonText(const QJsonObject &json, const QString &key)
{
    const QJsonValue value = json.value(key);
    return value.isString() ? value.toString() : QString();
}

qint64 jsonInteger(const QJsonObject &json, const QString &key, qint64 fallback)
{
    return integerValue(json.value(key)).value_or(fallback);
}

std::optional<qint64> jsonOptionalInteger(const QJsonObject &json, const QString &key)
{
    return integerValue(json.value(key));
}

double jsonNumber(const QJsonObject &json, const QString &key, double fallback)
{
    const QJsonValue value = json.value(key);
    return value.isDouble() ? value.toDouble() : fallback;
}

std::optional<double> jsonOptionalNumber(const QJsonObject &json, const QString &key)
{
    const QJsonValue value = json.value(key);
    if (!value.isDouble())
        return std::nullopt;
    return value.toDouble();
}

bool jsonBool(const QJsonObject &json, const QString &key, bool fallback)
{
    const QJsonValue value = json.value(key);
    return value.isBool() ? value.toBool() : fallback;
}

QStringList jsonStringList(const QJsonObject &json, const QString &key)
{
    QStringList list;
    const QJsonArray array = json.value(key).toArray();
    list.reserve(array.size());
    for (const QJsonValue &item : array) {
        if (item.isString())
            list.append(item.toString());
    }
    return list;
}

QJsonObject jsonObject(const QJsonObject &json, const QString &key)
{
    return json.value(key).toObject();
}

QJsonArray jsonArray(const QJsonObject &json, const QString &key)
{
    return json.value(key).toArray();
}

QDateTime jsonTimestamp(const QJsonObject &json, const QString &key)
{
    const QJsonValue value = json.value(key);
    if (!value.isString())
        return {};
    return parseTimestamp(value.toString()).value_or(QDateTime());
}

QVariantMap jsonFields(const QJsonObject &json)
{
    QVariantMap fields;
    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        if (!it.value().isNull() && !it.value().isUndefined())
            fields.insert(it.key(), fieldValue(it.value()));
    }
    return fields;
}

} // namespace agentdesk::wire
