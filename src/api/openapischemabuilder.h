#pragma once

#include <QCborMap>
#include <QString>
#include <QStringList>

#include <initializer_list>
#include <utility>

// Building blocks of the OpenAPI document's JSON Schemas (2020-12, as OpenAPI 3.1 has them), shared by
// the component schemas (openapischemas.cpp) and the usage routes' own (routes/usageroutes.cpp).
namespace agentdesk::openapi {

using Property = std::pair<QString, QCborMap>;

QCborMap type(const QString &name);
QCborMap str();
QCborMap integer();
QCborMap number();
QCborMap boolean();
QCborMap anyObject();
QCborMap nullable(QCborMap schema); // the same type, or null
QCborMap timestamp();               // an ISO 8601 string with an example
QCborMap enumOf(const QStringList &values, bool orNull = false);
QCborMap constant(const QString &value);
QCborMap ref(const QString &name); // #/components/schemas/<name>
QCborMap nullableRef(const QString &name);
QCborMap arrayOf(const QCborMap &items);
QCborMap mapOf(const QCborMap &values); // an object with any keys, each value `values`
QCborMap described(QCborMap schema, const QString &description);
QCborMap extension(QCborMap schema, const QString &description); // described, marked x-agentdesk-extension
// Every listed property is required unless named in `optional` (the API never omits a key; absent
// values are null).
QCborMap object(std::initializer_list<Property> properties, const QStringList &optional = {});

} // namespace agentdesk::openapi
