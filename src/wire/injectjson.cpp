#include "injectjson.h"

#include "clienttext.h"
#include "jsonparser.h"

#include <QCborArray>
#include <QCborValue>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {

QString pythonReason(QJsonParseError::ParseError error)
{
    switch (error) {
    case QJsonParseError::UnterminatedObject:
    case QJsonParseError::UnterminatedArray:
    case QJsonParseError::MissingValueSeparator:
        return u"Expecting ',' delimiter"_s;
    case QJsonParseError::MissingNameSeparator:
        return u"Expecting ':' delimiter"_s;
    case QJsonParseError::IllegalEscapeSequence:
        return u"Invalid \\escape"_s;
    case QJsonParseError::IllegalUTF8String:
        return u"Invalid UTF-8"_s;
    case QJsonParseError::UnterminatedString:
        return u"Unterminated string"_s;
    case QJsonParseError::GarbageAtEnd:
        return u"Extra data"_s;
    case QJsonParseError::DeepNesting:
        return u"Nesting too deep"_s;
    case QJsonParseError::DocumentTooLarge:
        return u"Document too large"_s;
    default:
        return u"Expecting value"_s;
    }
}

QCborValue cbor(const QJsonValue &value)
{
    return QCborValue::fromJsonValue(value);
}

QCborArray bodyLoc(const QString &field)
{
    return QCborArray{u"body"_s, field};
}

} // namespace

ValidationError jsonDecodeError(const QByteArray &text)
{
    QJsonParseError error{};
    QJsonDocument::fromJson(text, &error);
    return ValidationError::jsonInvalid(error.offset, pythonReason(error.error));
}

std::optional<QJsonObject> parseBodyObject(const QByteArray &body, QList<ValidationError> *errors)
{
    if (body.trimmed().isEmpty()) {
        errors->append(ValidationError::missing(QCborArray{u"body"_s}, QCborValue(nullptr)));
        return std::nullopt;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        if (const auto scalar = parseJsonScalar(body))
            errors->append(ValidationError::modelAttributesType(cbor(*scalar)));
        else
            errors->append(ValidationError::jsonInvalid(error.offset, pythonReason(error.error)));
        return std::nullopt;
    }
    if (!document.isObject()) {
        errors->append(ValidationError::modelAttributesType(cbor(document.array())));
        return std::nullopt;
    }
    return document.object();
}

// Extension: who sends it. Only the two senders from outside the organism, so no client can pose as a
// listener.
void parseSender(const QJsonObject &object, QString *from, QList<ValidationError> *errors)
{
    const QJsonValue value = object.value(u"from"_s);
    if (value.isUndefined() || value.isNull())
        return;
    const QStringList senders{u"api"_s, u"operator"_s};
    if (value.isString() && senders.contains(value.toString()))
        *from = value.toString();
    else
        errors->append(ValidationError::literalError(bodyLoc(u"from"_s), cbor(value), senders));
}

InjectParse parseInjectBody(const QByteArray &body)
{
    InjectParse parse;
    const std::optional<QJsonObject> parsed = parseBodyObject(body, &parse.errors);
    if (!parsed)
        return parse;
    const QJsonObject &object = *parsed;
    const QCborValue whole = cbor(object);

    const QJsonValue to = object.value(u"to"_s);
    if (to.isUndefined())
        parse.errors.append(ValidationError::missing(bodyLoc(u"to"_s), whole));
    else if (!to.isString())
        parse.errors.append(ValidationError::stringType(bodyLoc(u"to"_s), cbor(to)));
    else if (auto tooLong = textLengthError(bodyLoc(u"to"_s), to.toString()))
        parse.errors.append(*tooLong);
    else
        parse.request.to = to.toString();

    const QJsonValue payload = object.value(u"payload"_s);
    if (payload.isUndefined())
        parse.errors.append(ValidationError::missing(bodyLoc(u"payload"_s), whole));
    else if (!payload.isObject())
        parse.errors.append(ValidationError::dictType(bodyLoc(u"payload"_s), cbor(payload)));
    else
        parse.payload = payload.toObject();

    // The alias wins when both spellings are present, as with pydantic's populate_by_name.
    const QString threadKey = object.contains(u"threadId"_s) ? u"threadId"_s : u"thread_id"_s;
    const QJsonValue threadId = object.value(threadKey);
    if (!threadId.isUndefined() && !threadId.isNull()) {
        if (!threadId.isString())
            parse.errors.append(ValidationError::stringType(bodyLoc(threadKey), cbor(threadId)));
        else if (auto invalid = threadId.toString().isEmpty() ? std::nullopt
                                                              : threadIdError(bodyLoc(threadKey), threadId.toString()))
            parse.errors.append(*invalid);
        else
            parse.request.threadId = threadId.toString(); // empty: a new thread, as when absent
    }

    parseSender(object, &parse.request.from, &parse.errors);

    if (parse.ok())
        parse.request.fields = parse.payload.toVariantMap();
    return parse;
}

BranchParse parseBranchBody(const QByteArray &body, ThreadOriginKind kind, const QString &threadId)
{
    BranchParse parse;
    parse.request.kind = kind;
    parse.request.threadId = threadId;
    const std::optional<QJsonObject> parsed = parseBodyObject(body, &parse.errors);
    if (!parsed)
        return parse;
    const QJsonObject &object = *parsed;
    const QString idKey = object.contains(u"messageId"_s) ? u"messageId"_s : u"message_id"_s;
    const QJsonValue messageId = object.value(idKey);
    if (messageId.isUndefined())
        parse.errors.append(ValidationError::missing(bodyLoc(u"messageId"_s), cbor(object)));
    else if (!messageId.isString())
        parse.errors.append(ValidationError::stringType(bodyLoc(idKey), cbor(messageId)));
    else if (auto tooLong = textLengthError(bodyLoc(idKey), messageId.toString()))
        parse.errors.append(*tooLong);
    else
        parse.request.messageId = messageId.toString();

    const QJsonValue payload = object.value(u"payload"_s);
    if (!payload.isUndefined() && !payload.isNull()) {
        if (payload.isObject())
            parse.payload = payload.toObject();
        else
            parse.errors.append(ValidationError::dictType(bodyLoc(u"payload"_s), cbor(payload)));
    }
    parseSender(object, &parse.request.from, &parse.errors);
    if (parse.ok())
        parse.request.fields = parse.payload.toVariantMap();
    return parse;
}

ValidationError invalidPayloadError(const InjectFailure &failure, const QJsonObject &payload)
{
    QCborArray loc{u"body"_s, u"payload"_s};
    QJsonValue input = payload;
    for (const QString &segment : failure.fieldPath) {
        loc.append(segment);
        input = input.isObject() ? input.toObject().value(segment) : QJsonValue(QJsonValue::Undefined);
    }
    const QCborValue inputValue = input.isUndefined() ? QCborValue(nullptr) : cbor(input);
    return ValidationError::valueError(loc, inputValue, failure.message);
}

QCborMap injectResponseJson(const InjectedMessage &injected)
{
    return QCborMap{{u"threadId"_s, injected.threadId}, {u"messageId"_s, injected.messageId}};
}

} // namespace agentdesk::wire
