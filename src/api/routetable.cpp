#include "routetable.h"

#include "clienttext.h"
#include "timestamps.h"

#include <QCborArray>
#include <QUrl>

#include <limits>

using namespace Qt::StringLiterals;

namespace agentdesk {

QString methodName(HttpMethod method)
{
    switch (method) {
    case HttpMethod::Get:
        return u"GET"_s;
    case HttpMethod::Post:
        return u"POST"_s;
    case HttpMethod::Put:
        return u"PUT"_s;
    case HttpMethod::Delete:
        return u"DELETE"_s;
    case HttpMethod::Patch:
        return u"PATCH"_s;
    }
    return {};
}

namespace {

bool isParameter(QStringView segment)
{
    return segment.size() > 2 && segment.startsWith(u'{') && segment.endsWith(u'}');
}

// Pydantic's lax str -> int: optional surrounding whitespace and sign, decimal digits only.
// Values beyond 64 bits saturate; they are still integers and only fail the bounds.
std::optional<qint64> parseInteger(const QString &text)
{
    const QString trimmed = text.trimmed();
    qsizetype i = 0;
    bool negative = false;
    if (i < trimmed.size() && (trimmed.at(i) == u'+' || trimmed.at(i) == u'-'))
        negative = trimmed.at(i++) == u'-';
    if (i == trimmed.size())
        return std::nullopt;
    qint64 value = 0;
    bool saturated = false;
    for (; i < trimmed.size(); ++i) {
        const QChar c = trimmed.at(i);
        if (c < u'0' || c > u'9')
            return std::nullopt;
        if (saturated)
            continue;
        const int digit = c.unicode() - u'0';
        if (value > (std::numeric_limits<qint64>::max() - digit) / 10)
            saturated = true;
        else
            value = value * 10 + digit;
    }
    if (saturated)
        return negative ? std::numeric_limits<qint64>::min() : std::numeric_limits<qint64>::max();
    return negative ? -value : value;
}

} // namespace

void RouteTable::add(Route route)
{
    m_segments.append(route.path.split(u'/'));
    m_routes.append(std::move(route));
}

std::optional<QStringList> RouteTable::matchSegments(const QStringList &pattern, const QList<QStringView> &path)
{
    if (pattern.size() != path.size())
        return std::nullopt;
    QStringList args;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        if (isParameter(pattern.at(i))) {
            if (path.at(i).isEmpty())
                return std::nullopt;
            args.append(QUrl::fromPercentEncoding(path.at(i).toUtf8()));
        } else if (pattern.at(i) != path.at(i)) {
            return std::nullopt;
        }
    }
    return args;
}

std::optional<QStringList> RouteTable::matchPath(const QString &pattern, const QString &encodedPath)
{
    return matchSegments(pattern.split(u'/'), QStringView(encodedPath).split(u'/'));
}

QStringList RouteTable::pathParameters(const QString &pattern)
{
    QStringList names;
    const QList<QStringView> segments = QStringView(pattern).split(u'/');
    for (QStringView segment : segments) {
        if (isParameter(segment))
            names.append(segment.mid(1, segment.size() - 2).toString());
    }
    return names;
}

bool RouteTable::matches(int index, HttpMethod method, const QString &encodedPath) const
{
    return m_routes.at(index).method == method
        && matchSegments(m_segments.at(index), QStringView(encodedPath).split(u'/')).has_value();
}

RouteTable::Match RouteTable::match(HttpMethod method, const QString &encodedPath) const
{
    const QList<QStringView> path = QStringView(encodedPath).split(u'/');
    for (qsizetype i = 0; i < m_routes.size(); ++i) {
        if (m_routes.at(i).method != method)
            continue;
        if (auto args = matchSegments(m_segments.at(i), path))
            return {int(i), *args};
    }
    return {};
}

QList<HttpMethod> RouteTable::methodsFor(const QString &encodedPath) const
{
    const QList<QStringView> path = QStringView(encodedPath).split(u'/');
    QList<HttpMethod> methods;
    for (qsizetype i = 0; i < m_routes.size(); ++i) {
        if (!methods.contains(m_routes.at(i).method) && matchSegments(m_segments.at(i), path))
            methods.append(m_routes.at(i).method);
    }
    return methods;
}

QList<wire::ValidationError> RouteTable::validatePath(const Route &route, const QStringList &args)
{
    QList<wire::ValidationError> errors;
    const QStringList names = pathParameters(route.path);
    for (qsizetype i = 0; i < names.size() && i < args.size(); ++i) {
        const QCborArray loc{u"path"_s, names.at(i)};
        const auto error = names.at(i) == u"thread_id" ? wire::threadIdError(loc, args.at(i))
                                                       : wire::textLengthError(loc, args.at(i));
        if (error)
            errors.append(*error);
    }
    return errors;
}

QList<wire::ValidationError> RouteTable::validateQuery(const Route &route, const QUrlQuery &query,
                                                       QHash<QString, QVariant> *values)
{
    using wire::ValidationError;
    QList<ValidationError> errors;
    for (const QueryParam &param : route.query) {
        const QStringList given = query.allQueryItemValues(param.name, QUrl::FullyDecoded);
        if (given.isEmpty()) {
            if (param.defaultValue.isValid())
                values->insert(param.name, param.defaultValue);
            continue;
        }
        const QString raw = given.last(); // as Starlette: the last occurrence wins
        const QCborArray loc{u"query"_s, param.name};
        switch (param.type) {
        case QueryParam::Type::String:
            if (auto tooLong = wire::textLengthError(loc, raw, param.maxLength))
                errors.append(*tooLong);
            else
                values->insert(param.name, raw);
            break;
        case QueryParam::Type::Timestamp:
            if (const auto time = wire::parseTimestamp(raw))
                values->insert(param.name, *time);
            else
                errors.append(ValidationError::datetimeParsing(loc, raw));
            break;
        case QueryParam::Type::Integer: {
            const auto number = parseInteger(raw);
            if (!number)
                errors.append(ValidationError::intParsing(loc, raw));
            else if (param.minimum && *number < *param.minimum)
                errors.append(ValidationError::greaterThanEqual(loc, raw, *param.minimum));
            else if (param.maximum && *number > *param.maximum)
                errors.append(ValidationError::lessThanEqual(loc, raw, *param.maximum));
            else
                values->insert(param.name, *number);
            break;
        }
        }
    }
    return errors;
}

} // namespace agentdesk
