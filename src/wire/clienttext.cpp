#include "clienttext.h"

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

QString threadIdPattern()
{
    return u"^[\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}]{1,%1}$"_s.arg(kMaxThreadIdLength);
}

std::optional<ValidationError> threadIdError(const QCborArray &loc, const QString &value)
{
    if (characterCount(value) > kMaxThreadIdLength)
        return ValidationError::stringTooLong(loc, value, kMaxThreadIdLength);
    if (!hasThreadIdAlphabet(value))
        return ValidationError::stringPatternMismatch(loc, value, threadIdPattern());
    return std::nullopt;
}

std::optional<ValidationError> textLengthError(const QCborArray &loc, const QString &value, int maxLength)
{
    if (characterCount(value) > maxLength)
        return ValidationError::stringTooLong(loc, value, maxLength);
    return std::nullopt;
}

QString threadIdProblem(const QString &value)
{
    if (characterCount(value) > kMaxThreadIdLength)
        return u"longer than %1 characters"_s.arg(kMaxThreadIdLength);
    if (!hasThreadIdAlphabet(value))
        return u"only letters, digits, punctuation and symbols are allowed (no spaces or control characters)"_s;
    return {};
}

QString textLengthProblem(const QString &value, int maxLength)
{
    if (characterCount(value) > maxLength)
        return u"longer than %1 characters"_s.arg(maxLength);
    return {};
}

} // namespace agentdesk::wire
