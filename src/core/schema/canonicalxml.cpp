#include "canonicalxml.h"

#include <charconv>
#include <cmath>

namespace agentdesk {

namespace {

bool isXmlCodePoint(char32_t c)
{
    if (c < 0x20)
        return c == 0x09 || c == 0x0A || c == 0x0D;
    if (c >= 0xD800 && c <= 0xDFFF)
        return false;
    return c != 0xFFFE && c != 0xFFFF;
}

void appendUtf8(std::string *out, char32_t c)
{
    char buffer[4];
    int size = 0;
    if (c < 0x800) {
        buffer[0] = char(0xC0 | (c >> 6));
        buffer[1] = char(0x80 | (c & 0x3F));
        size = 2;
    } else if (c < 0x10000) {
        buffer[0] = char(0xE0 | (c >> 12));
        buffer[1] = char(0x80 | ((c >> 6) & 0x3F));
        buffer[2] = char(0x80 | (c & 0x3F));
        size = 3;
    } else {
        buffer[0] = char(0xF0 | (c >> 18));
        buffer[1] = char(0x80 | ((c >> 12) & 0x3F));
        buffer[2] = char(0x80 | ((c >> 6) & 0x3F));
        buffer[3] = char(0x80 | (c & 0x3F));
        size = 4;
    }
    out->append(buffer, size_t(size));
}

// Escapes one ASCII character; returns false if it is not an XML character.
bool appendAscii(std::string *out, char c)
{
    switch (c) {
    case '&':
        out->append("&amp;", 5);
        return true;
    case '<':
        out->append("&lt;", 4);
        return true;
    case '>':
        out->append("&gt;", 4);
        return true;
    case '\r':
        out->append("&#13;", 5);
        return true;
    default:
        break;
    }
    if (!isXmlCodePoint(char32_t(uchar(c))))
        return false;
    out->push_back(c);
    return true;
}

// The shortest round-trip digits come from the scientific form ("1e+23", not the 23 exact digits
// "99999999999999991611392" that fixed notation prints); they are then laid out positionally. Returns
// the digit count as libxml2 counts it (every digit but leading zeros of the integer part).
int positionalDecimal(double value, std::string *out, int *exponentOut)
{
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    const char *p = buffer;
    const bool negative = *p == '-';
    if (negative)
        ++p;
    char digits[20];
    int count = 0;
    for (; *p != 'e'; ++p) {
        if (*p != '.')
            digits[count++] = *p;
    }
    int exponent = 0;
    std::from_chars(p + 1 + (p[1] == '+' ? 1 : 0), result.ptr, exponent);
    *exponentOut = exponent;
    const int total = exponent >= count - 1 ? exponent + 1 : (exponent >= 0 ? count : count - exponent - 1);
    if (total > CanonicalXml::MaxDecimalDigits)
        return total;
    if (negative)
        out->push_back('-');
    if (exponent >= count - 1) {
        out->append(digits, size_t(count));
        out->append(size_t(exponent - (count - 1)), '0');
        if (total < CanonicalXml::MaxDecimalDigits)
            out->append(".0", 2);
    } else if (exponent >= 0) {
        out->append(digits, size_t(exponent + 1));
        out->push_back('.');
        out->append(digits + exponent + 1, size_t(count - exponent - 1));
    } else {
        out->append("0.", 2);
        out->append(size_t(-exponent - 1), '0');
        out->append(digits, size_t(count));
    }
    return total;
}

} // namespace

bool CanonicalXml::text(QStringView text)
{
    const size_t start = m_text.size();
    const char16_t *p = text.utf16();
    const char16_t *end = p + text.size();
    while (p < end) {
        char32_t c = *p++;
        if (c < 0x80) {
            if (appendAscii(&m_text, char(c)))
                continue;
            m_text.resize(start);
            return false;
        }
        if (c >= 0xD800 && c <= 0xDBFF && p < end && *p >= 0xDC00 && *p <= 0xDFFF)
            c = 0x10000 + ((c - 0xD800) << 10) + (char32_t(*p++) - 0xDC00);
        if (!isXmlCodePoint(c)) {
            m_text.resize(start);
            return false;
        }
        appendUtf8(&m_text, c);
    }
    return true;
}

void CanonicalXml::utf8Text(const char *text)
{
    const char *runStart = text;
    const char *p = text;
    for (; *p; ++p) {
        const char *escape = nullptr;
        switch (*p) {
        case '&':
            escape = "&amp;";
            break;
        case '<':
            escape = "&lt;";
            break;
        case '>':
            escape = "&gt;";
            break;
        case '\r':
            escape = "&#13;";
            break;
        default:
            continue;
        }
        m_text.append(runStart, size_t(p - runStart));
        m_text.append(escape);
        runStart = p + 1;
    }
    m_text.append(runStart, size_t(p - runStart));
}

void CanonicalXml::integer(qint64 value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    m_text.append(buffer, size_t(result.ptr - buffer));
}

bool CanonicalXml::decimal(double *value)
{
    if (!std::isfinite(*value))
        return false;
    const size_t start = m_text.size();
    int exponent = 0;
    if (positionalDecimal(*value, &m_text, &exponent) <= MaxDecimalDigits)
        return true;
    // Too many fractional digits: round at the last digit libxml2 still takes, then write the shortest
    // form of the rounded value.
    m_text.resize(start);
    const int integerDigits = exponent >= 0 ? exponent + 1 : 0;
    if (integerDigits > MaxDecimalDigits)
        return false;
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, *value, std::chars_format::fixed,
                                      MaxDecimalDigits - integerDigits);
    double rounded = 0;
    std::from_chars(buffer, result.ptr, rounded);
    if (positionalDecimal(rounded, &m_text, &exponent) > MaxDecimalDigits) {
        m_text.resize(start);
        return false;
    }
    *value = rounded;
    return true;
}

void CanonicalXml::boolean(bool value)
{
    if (value)
        m_text.append("true", 4);
    else
        m_text.append("false", 5);
}

} // namespace agentdesk
