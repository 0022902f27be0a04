#include "jsonwriter.h"

#include "timestamps.h"

#include <QCborArray>
#include <QCborMap>
#include <QDateTime>

#include <charconv>
#include <cmath>
#include <iterator>
#include <string_view>

namespace agentdesk::wire {

namespace {

void appendEscaped(QByteArray &out, unsigned char c)
{
    static constexpr char hex[] = "0123456789abcdef";
    switch (c) {
    case '"':
        out.append("\\\"", 2);
        break;
    case '\\':
        out.append("\\\\", 2);
        break;
    case '\n':
        out.append("\\n", 2);
        break;
    case '\r':
        out.append("\\r", 2);
        break;
    case '\t':
        out.append("\\t", 2);
        break;
    case '\b':
        out.append("\\b", 2);
        break;
    case '\f':
        out.append("\\f", 2);
        break;
    default: {
        const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
        out.append(escaped, sizeof escaped);
    }
    }
}

bool needsEscape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

void appendString(QByteArray &out, const QByteArray &utf8)
{
    out.append('"');
    const char *data = utf8.constData();
    const qsizetype size = utf8.size();
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (!needsEscape(c))
            continue;
        out.append(data + runStart, i - runStart);
        runStart = i + 1;
        appendEscaped(out, c);
    }
    out.append(data + runStart, size - runStart);
    out.append('"');
}

// The same from UTF-16 without a temporary UTF-8 copy for the ASCII parts (most keys and values):
// writing a response is on the API's hot path, and each temporary is a heap allocation.
void appendString(QByteArray &out, QStringView text)
{
    out.append('"');
    qsizetype i = 0;
    const qsizetype size = text.size();
    while (i < size) {
        const char16_t c = text.at(i).unicode();
        if (c < 0x80) {
            if (needsEscape(static_cast<unsigned char>(c)))
                appendEscaped(out, static_cast<unsigned char>(c));
            else
                out.append(char(c));
            ++i;
            continue;
        }
        qsizetype end = i + 1;
        while (end < size && text.at(end).unicode() >= 0x80)
            ++end;
        out.append(text.sliced(i, end - i).toUtf8()); // never needs escaping: all ≥ U+0080
        i = end;
    }
    out.append('"');
}

void appendInteger(QByteArray &out, qint64 value)
{
    char digits[24];
    const auto result = std::to_chars(std::begin(digits), std::end(digits), value);
    out.append(digits, result.ptr - digits);
}

QByteArray mapKey(const QCborValue &key)
{
    if (key.isString())
        return key.toString().toUtf8();
    if (key.isInteger())
        return QByteArray::number(key.toInteger());
    if (key.isDouble())
        return formatFloat(key.toDouble());
    return writeJson(key);
}

void appendTagged(QByteArray &out, const QCborValue &value)
{
    if (value.isDateTime()) {
        const QDateTime time = value.toDateTime();
        if (time.isValid())
            appendString(out, formatTimestamp(time).toUtf8());
        else
            out.append("null", 4);
        return;
    }
    appendJson(out, value.taggedValue());
}

} // namespace

QByteArray formatFloat(double value)
{
    if (!std::isfinite(value))
        return QByteArrayLiteral("null");
    if (value == 0)
        return std::signbit(value) ? QByteArrayLiteral("-0.0") : QByteArrayLiteral("0.0");

    // The shortest digits that round-trip ("d.ddde±XX"), re-laid out the way Python's repr does.
    char scientific[40];
    const auto written = std::to_chars(std::begin(scientific), std::end(scientific), value,
                                       std::chars_format::scientific);
    const std::string_view text(scientific, size_t(written.ptr - scientific));
    const size_t ePos = text.find('e');
    const bool negative = text.front() == '-';
    char digits[24];
    int digitCount = 0;
    for (char c : text.substr(negative ? 1 : 0, ePos - (negative ? 1 : 0))) {
        if (c != '.')
            digits[digitCount++] = c;
    }
    int exponent = 0;
    std::from_chars(text.data() + ePos + (text[ePos + 1] == '+' ? 2 : 1), text.data() + text.size(), exponent);

    QByteArray out;
    out.reserve(digitCount + 24);
    if (negative)
        out.append('-');
    const QByteArrayView mantissa(digits, digitCount);
    if (exponent < -4 || exponent >= 16) {
        out.append(mantissa.first(1));
        if (digitCount > 1) {
            out.append('.');
            out.append(mantissa.sliced(1));
        }
        out.append('e');
        out.append(exponent < 0 ? '-' : '+');
        const int magnitude = std::abs(exponent);
        if (magnitude < 10)
            out.append('0');
        appendInteger(out, magnitude);
    } else if (exponent >= digitCount - 1) {
        out.append(mantissa);
        out.append(QByteArray(exponent - (digitCount - 1), '0'));
        out.append(".0", 2);
    } else if (exponent >= 0) {
        out.append(mantissa.first(exponent + 1));
        out.append('.');
        out.append(mantissa.sliced(exponent + 1));
    } else {
        out.append("0.", 2);
        out.append(QByteArray(-exponent - 1, '0'));
        out.append(mantissa);
    }
    return out;
}

void appendJson(QByteArray &out, const QCborValue &value)
{
    switch (value.type()) {
    case QCborValue::Integer:
        appendInteger(out, value.toInteger());
        return;
    case QCborValue::Double:
        out.append(formatFloat(value.toDouble()));
        return;
    case QCborValue::String:
        appendString(out, value.toString());
        return;
    case QCborValue::True:
        out.append("true", 4);
        return;
    case QCborValue::False:
        out.append("false", 5);
        return;
    case QCborValue::ByteArray:
        appendString(out, value.toByteArray().toBase64());
        return;
    case QCborValue::Array: {
        const QCborArray array = value.toArray();
        out.append('[');
        bool first = true;
        for (const QCborValue &item : array) {
            if (!first)
                out.append(',');
            first = false;
            appendJson(out, item);
        }
        out.append(']');
        return;
    }
    case QCborValue::Map: {
        const QCborMap map = value.toMap();
        out.append('{');
        bool first = true;
        for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
            if (!first)
                out.append(',');
            first = false;
            const QCborValue key = it.key();
            if (key.isString())
                appendString(out, key.toString());
            else
                appendString(out, mapKey(key));
            out.append(':');
            appendJson(out, it.value());
        }
        out.append('}');
        return;
    }
    default:
        if (value.isTag()) {
            appendTagged(out, value);
            return;
        }
        out.append("null", 4);
        return;
    }
}

QByteArray writeJson(const QCborValue &value)
{
    QByteArray out;
    out.reserve(256);
    appendJson(out, value);
    return out;
}

} // namespace agentdesk::wire
