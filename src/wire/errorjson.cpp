#include "errorjson.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {
ValidationError make(const QString &type, const QCborArray &loc, const QString &msg, const QCborValue &input,
                     const QCborMap &ctx = {})
{
    return ValidationError{type, loc, msg, input, ctx};
}
} // namespace

QCborMap ValidationError::toJson() const
{
    QCborMap json;
    json[u"type"_s] = type;
    json[u"loc"_s] = loc;
    json[u"msg"_s] = msg;
    json[u"input"_s] = input;
    if (!ctx.isEmpty())
        json[u"ctx"_s] = ctx;
    return json;
}

ValidationError ValidationError::missing(const QCborArray &loc, const QCborValue &input)
{
    return make(u"missing"_s, loc, u"Field required"_s, input);
}

ValidationError ValidationError::intParsing(const QCborArray &loc, const QCborValue &input)
{
    return make(u"int_parsing"_s, loc, u"Input should be a valid integer, unable to parse string as an integer"_s,
                input);
}

ValidationError ValidationError::greaterThanEqual(const QCborArray &loc, const QCborValue &input, qint64 bound)
{
    return make(u"greater_than_equal"_s, loc, u"Input should be greater than or equal to %1"_s.arg(bound), input,
                QCborMap{{u"ge"_s, bound}});
}

ValidationError ValidationError::lessThanEqual(const QCborArray &loc, const QCborValue &input, qint64 bound)
{
    return make(u"less_than_equal"_s, loc, u"Input should be less than or equal to %1"_s.arg(bound), input,
                QCborMap{{u"le"_s, bound}});
}

ValidationError ValidationError::stringType(const QCborArray &loc, const QCborValue &input)
{
    return make(u"string_type"_s, loc, u"Input should be a valid string"_s, input);
}

ValidationError ValidationError::dictType(const QCborArray &loc, const QCborValue &input)
{
    return make(u"dict_type"_s, loc, u"Input should be a valid dictionary"_s, input);
}

ValidationError ValidationError::listType(const QCborArray &loc, const QCborValue &input)
{
    return make(u"list_type"_s, loc, u"Input should be a valid list"_s, input);
}

ValidationError ValidationError::datetimeParsing(const QCborArray &loc, const QCborValue &input)
{
    return make(u"datetime_parsing"_s, loc, u"Input should be a valid datetime"_s, input);
}

ValidationError ValidationError::literalError(const QCborArray &loc, const QCborValue &input,
                                              const QStringList &allowed)
{
    QStringList quoted;
    for (const QString &value : allowed)
        quoted.append(u"'%1'"_s.arg(value));
    QString expected = quoted.join(u", "_s);
    if (quoted.size() > 1)
        expected = quoted.mid(0, quoted.size() - 1).join(u", "_s) + u" or "_s + quoted.last();
    return make(u"literal_error"_s, loc, u"Input should be %1"_s.arg(expected), input,
                QCborMap{{u"expected"_s, expected}});
}

ValidationError ValidationError::valueError(const QCborArray &loc, const QCborValue &input, const QString &reason)
{
    return make(u"value_error"_s, loc, u"Value error, %1"_s.arg(reason), input, QCborMap{{u"error"_s, reason}});
}

ValidationError ValidationError::stringTooLong(const QCborArray &loc, const QCborValue &input, qint64 maxLength)
{
    return make(u"string_too_long"_s, loc,
                u"String should have at most %1 character%2"_s.arg(maxLength).arg(maxLength == 1 ? u""_s : u"s"_s),
                input, QCborMap{{u"max_length"_s, maxLength}});
}

ValidationError ValidationError::stringPatternMismatch(const QCborArray &loc, const QCborValue &input,
                                                       const QString &pattern)
{
    return make(u"string_pattern_mismatch"_s, loc, u"String should match pattern '%1'"_s.arg(pattern), input,
                QCborMap{{u"pattern"_s, pattern}});
}

ValidationError ValidationError::modelAttributesType(const QCborValue &input)
{
    return make(u"model_attributes_type"_s, QCborArray{u"body"_s},
                u"Input should be a valid dictionary or object to extract fields from"_s, input);
}

ValidationError ValidationError::jsonInvalid(qint64 position, const QString &reason)
{
    return make(u"json_invalid"_s, QCborArray{u"body"_s, position}, u"JSON decode error"_s, QCborMap{},
                QCborMap{{u"error"_s, reason}});
}

QCborMap detailJson(const QString &detail)
{
    return QCborMap{{u"detail"_s, detail}};
}

QCborMap validationJson(const QList<ValidationError> &errors)
{
    QCborArray list;
    for (const ValidationError &error : errors)
        list.append(error.toJson());
    return QCborMap{{u"detail"_s, list}};
}

} // namespace agentdesk::wire
