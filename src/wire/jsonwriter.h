#pragma once

#include <QByteArray>
#include <QCborValue>

namespace agentdesk::wire {

// The one JSON writer of the wire layer. Responses are built as QCborMap/QCborArray trees because
// those keep insertion order (the spec's key order) and keep integers apart from floats, which
// QJsonValue does not. Output matches FastAPI's renderer: compact, UTF-8, non-ASCII not escaped,
// floats in Python's repr (18.0, 0.00045, 1e-05), NaN and infinities as null.
QByteArray writeJson(const QCborValue &value);
void appendJson(QByteArray &out, const QCborValue &value);

// Python repr() of a double: shortest round-trip digits, always a '.0' or an exponent.
QByteArray formatFloat(double value);

} // namespace agentdesk::wire
