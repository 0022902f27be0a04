#pragma once

#include "errorjson.h"
#include "domain/inject.h"

#include <QByteArray>
#include <QCborMap>
#include <QJsonObject>
#include <QList>

#include <optional>

namespace agentdesk::wire {

struct InjectParse
{
    InjectRequest request;
    QJsonObject payload;           // the payload object as sent (for error inputs)
    QList<ValidationError> errors; // empty = valid
    bool ok() const { return errors.isEmpty(); }
};

// Parses the body of POST /inject (spec §3.8, decision 1): {"to": str, "payload": object,
// "threadId"|"thread_id": str|null, "from": "api"|"operator" (extension)}; extra keys ignored; every
// problem reported as pydantic would (missing, string_type, dict_type, json_invalid, model_attributes_type,
// literal_error).
InjectParse parseInjectBody(const QByteArray &body);

// The body of a JSON request as an object, or what pydantic reports instead (missing body, json_invalid,
// model_attributes_type) in *errors.
std::optional<QJsonObject> parseBodyObject(const QByteArray &body, QList<ValidationError> *errors);

// POST /threads/{id}/replay and /fork (extensions): {"messageId"|"message_id": str, "payload": object|null
// (absent, null or {}: the message's own payload), "from": "api"|"operator"}.
struct BranchParse
{
    BranchRequest request;
    QJsonObject payload; // as sent (for error inputs)
    QList<ValidationError> errors;
    bool ok() const { return errors.isEmpty(); }
};
BranchParse parseBranchBody(const QByteArray &body, ThreadOriginKind kind, const QString &threadId);

// 422 entry for a payload the target's schema rejects: loc ["body", "payload", <field path>].
ValidationError invalidPayloadError(const InjectFailure &failure, const QJsonObject &payload);

// {"threadId": …, "messageId": …}
QCborMap injectResponseJson(const InjectedMessage &injected);

// Malformed JSON as pydantic reports it (character offset, Python's json module wording).
ValidationError jsonDecodeError(const QByteArray &text);

} // namespace agentdesk::wire
