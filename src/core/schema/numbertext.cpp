#include "numbertext.h"

#include <QByteArray>

#include <charconv>
#include <clocale>
#include <cmath>
#include <cstdlib>

namespace agentdesk {

namespace {

bool isXmlSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

QByteArrayView NumberText::trimmed(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isXmlSpace(text[begin]))
        ++begin;
    while (end > begin && isXmlSpace(text[end - 1]))
        --end;
    return text.sliced(begin, end - begin);
}

NumberText::Result NumberText::parseInteger(QByteArrayView text, qint64 *value)
{
    const QByteArrayView s = trimmed(text);
    qsizetype i = 0;
    const bool negative = !s.isEmpty() && s[0] == '-';
    if (!s.isEmpty() && (s[0] == '-' || s[0] == '+'))
        ++i;
    const qsizetype digitsStart = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
        ++i;
    const qsizetype digitsEnd = i;
    if (digitsEnd == digitsStart)
        return Result::Invalid;
    if (i < s.size() && s[i] == '.') {
        for (++i; i < s.size() && s[i] == '0'; ++i) { }
    }
    if (i != s.size())
        return Result::Invalid;
    // from_chars takes a minus but no plus; re-attach the sign to the digits.
    QByteArray digits;
    digits.reserve(digitsEnd - digitsStart + 1);
    if (negative)
        digits.append('-');
    digits.append(s.sliced(digitsStart, digitsEnd - digitsStart));
    const auto result = std::from_chars(digits.constData(), digits.constData() + digits.size(), *value);
    return result.ec == std::errc() ? Result::Ok : Result::OutOfRange;
}

NumberText::Result NumberText::parseDecimal(QByteArrayView text, double *value)
{
    const QByteArrayView s = trimmed(text);
    if (s.isEmpty())
        return Result::Invalid;
    const char *begin = s.data();
    const char *end = begin + s.size();
    if (*begin == '+' && end - begin > 1 && begin[1] != '-')
        ++begin;
    double parsed = 0;
    const auto result = std::from_chars(begin, end, parsed);
    if (result.ptr != end)
        return Result::Invalid;
    if (result.ec == std::errc()) {
        *value = parsed;
        return Result::Ok;
    }
    if (result.ec != std::errc::result_out_of_range)
        return Result::Invalid;
    // from_chars reports underflow as out of range too; strtod in the C locale tells the two apart
    // (HUGE_VAL on overflow, zero or a subnormal on underflow).
    static const locale_t cLocale = newlocale(LC_ALL_MASK, "C", locale_t(nullptr));
    const QByteArray terminated(begin, end - begin);
    const double fallback = strtod_l(terminated.constData(), nullptr, cLocale);
    if (std::isinf(fallback))
        return Result::OutOfRange;
    *value = fallback;
    return Result::Ok;
}

} // namespace agentdesk
