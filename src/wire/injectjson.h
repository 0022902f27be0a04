#pragma once

#include "errorjson.h"
#include "organism.h"

#include <QByteArray>
#include <QCborMap>
#include <QJsonObject>
#include <QList>

namespace agentdesk::wire {

struct InjectParse
{
    InjectRequest request;
    QJsonObject payload;              // the payload object as sent (for error inputs)
    QList<ValidationError> errors;    // empty = valid
    bool ok() const { return errors.isEmpty(); }
};

// Parses the body of POST /inject (spec §3.8, decision 1): {"to": str, "payload": object,
// "threadId"|"thread_id": str|null, "from": "api"|"operator" (extension)}; extra keys ignored; every
// problem reported as pydantic would (missing, string_type, dict_type, json_invalid, model_attributes_type,
// literal_error).
InjectParse parseInjectBody(const QByteArray &body);

// 422 entry for a payload the target's schema rejects: loc ["body", "payload", <field path>].
ValidationError invalidPayloadError(const InjectResult &result, const QJsonObject &payload);

// {"threadId": …, "messageId": …}
QCborMap injectResponseJson(const InjectResult &result);

// Malformed JSON as pydantic reports it (character offset, Python's json module wording).
ValidationError jsonDecodeError(const QByteArray &text);

} // namespace agentdesk::wire
