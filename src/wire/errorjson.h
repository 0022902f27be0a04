#pragma once

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>
#include <QList>
#include <QString>

namespace agentdesk::wire {

// One entry of FastAPI's 422 body: {"type", "loc", "msg", "input"[, "ctx"]}, with pydantic v2's
// type names and messages so clients that display or branch on them keep working.
struct ValidationError
{
    QString type;
    QCborArray loc; // e.g. ["query", "limit"], ["body", "payload", "name"], ["body", 17]
    QString msg;
    QCborValue input;
    QCborMap ctx; // left out of the JSON when empty

    QCborMap toJson() const;

    static ValidationError missing(const QCborArray &loc, const QCborValue &input);
    static ValidationError intParsing(const QCborArray &loc, const QCborValue &input);
    static ValidationError greaterThanEqual(const QCborArray &loc, const QCborValue &input, qint64 bound);
    static ValidationError lessThanEqual(const QCborArray &loc, const QCborValue &input, qint64 bound);
    static ValidationError stringType(const QCborArray &loc, const QCborValue &input);
    static ValidationError dictType(const QCborArray &loc, const QCborValue &input);
    static ValidationError listType(const QCborArray &loc, const QCborValue &input);
    static ValidationError datetimeParsing(const QCborArray &loc, const QCborValue &input);
    static ValidationError literalError(const QCborArray &loc, const QCborValue &input, const QStringList &allowed);
    static ValidationError valueError(const QCborArray &loc, const QCborValue &input, const QString &reason);
    static ValidationError stringTooLong(const QCborArray &loc, const QCborValue &input, qint64 maxLength);
    static ValidationError stringPatternMismatch(const QCborArray &loc, const QCborValue &input,
                                                 const QString &pattern);
    // The whole body is not a JSON object.
    static ValidationError modelAttributesType(const QCborValue &input);
    // Malformed JSON: loc ["body", <character offset>], ctx {"error": <reason>}.
    static ValidationError jsonInvalid(qint64 position, const QString &reason);
};

// {"detail": "<text>"} — every error status except 422.
QCborMap detailJson(const QString &detail);
// {"detail": [ … ]} — 422.
QCborMap validationJson(const QList<ValidationError> &errors);

} // namespace agentdesk::wire
