#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <optional>

namespace agentdesk::wire {

// Reading the API's JSON leniently, as a client must: the original server and agentdesk differ in
// which optional keys they send, a null stands for "none", and a value of the wrong type reads as
// absent rather than failing the whole object. Required keys are checked by each resource parser.

// The body as a JSON object; nullopt (and *error) when it is not JSON or not an object.
std::optional<QJsonObject> parseJsonObject(const QByteArray &body, QString *error = nullptr);
// A bare JSON scalar (`42`, `"text"`, `true`, `null`): valid JSON that QJsonDocument, which takes only
// objects and arrays, refuses — so a body can be told "not an object" rather than "not JSON".
std::optional<QJsonValue> parseJsonScalar(const QByteArray &text);

QString jsonText(const QJsonObject &json, const QString &key); // "" when absent, null or not a string
// An integer: a JSON integer, or a number with no fraction (Python may write 3.0); `fallback` otherwise.
qint64 jsonInteger(const QJsonObject &json, const QString &key, qint64 fallback = 0);
std::optional<qint64> jsonOptionalInteger(const QJsonObject &json, const QString &key);
double jsonNumber(const QJsonObject &json, const QString &key, double fallback = 0);
std::optional<double> jsonOptionalNumber(const QJsonObject &json, const QString &key);
bool jsonBool(const QJsonObject &json, const QString &key, bool fallback = false);
QStringList jsonStringList(const QJsonObject &json, const QString &key); // non-strings skipped
QJsonObject jsonObject(const QJsonObject &json, const QString &key);
QJsonArray jsonArray(const QJsonObject &json, const QString &key);
// Any ISO-8601 form (Z or ±hh:mm, milli- or microseconds, none); invalid when absent or unreadable.
QDateTime jsonTimestamp(const QJsonObject &json, const QString &key);

// A JSON object as a payload field tree: integers stay qint64 (JSON "3"), other numbers double
// ("3.0"), objects QVariantMap, arrays QVariantList; nulls are left out, as a payload built from XML
// has no entry for an absent optional field.
QVariantMap jsonFields(const QJsonObject &json);

} // namespace agentdesk::wire
