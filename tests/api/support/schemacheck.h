#pragma once

#include <QCborMap>
#include <QJsonValue>
#include <QStringList>

// Checks a JSON value against a component schema of /openapi.json (the subset it uses: $ref, type
// incl. "null", properties/required, items, enum, const). Keys the schema does not list are
// reported too, so the document and the serialisers cannot drift either way. Empty = conforms.
QStringList checkAgainstSchema(const QJsonValue &value, const QString &schemaName, const QCborMap &schemas);
