#pragma once

#include "errorjson.h"

#include "domain/textlimits.h"

#include <QString>

#include <optional>

namespace agentdesk::wire {

// The rules of domain/textlimits.h as the API reports a breach: a 422 entry for REST, a sentence for
// a WebSocket command's `error` reply.

// The thread-id alphabet as a regular expression (documented in docs/api.md and /openapi.json).
QString threadIdPattern();

// A thread id a client chose (non-empty): too long (string_too_long) or outside the alphabet
// (string_pattern_mismatch).
std::optional<ValidationError> threadIdError(const QCborArray &loc, const QString &value);
// Any other client string longer than `maxLength` characters (string_too_long).
std::optional<ValidationError> textLengthError(const QCborArray &loc, const QString &value,
                                               int maxLength = kMaxClientTextLength);

// The same checks for a WebSocket command: what is wrong with the value, or an empty string.
QString threadIdProblem(const QString &value);
QString textLengthProblem(const QString &value, int maxLength = kMaxClientTextLength);

} // namespace agentdesk::wire
