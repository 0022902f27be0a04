#pragma once

#include <QByteArray>
#include <QStringView>

#include <string>

namespace agentdesk {

// Writes the canonical payload form: UTF-8, no declaration, no whitespace between elements, elements
// as start/end pairs, text with &, <, > and CR escaped (CR as &#13; so it survives parsing), booleans
// true/false, integers in decimal, decimals in the shortest form that reads back to the same double,
// never in exponent notation (xs:decimal has none), with ".0" added to integral values when the digit
// limit allows. Appends go to a std::string, whose inline append is much cheaper than QByteArray's.
class CanonicalXml
{
public:
    // libxml2's xs:decimal takes at most this many digits (leading zeros of the integer part not counted).
    static constexpr int MaxDecimalDigits = 24;

    CanonicalXml() { m_text.reserve(256); }

    // A pre-built tag ("<Name>", "</Name>").
    void tag(const QByteArray &tag) { m_text.append(tag.constData(), size_t(tag.size())); }
    // false (and nothing appended) if the text holds a character XML cannot carry: a control
    // character other than tab, LF and CR, U+FFFE, U+FFFF, or an unpaired surrogate.
    bool text(QStringView text);
    // Text already known to be well-formed UTF-8 of XML characters (it came out of the parser).
    void utf8Text(const char *text);
    void integer(qint64 value);
    // What cannot be validated must not be written: values with more fractional digits than fit are
    // rounded at the last digit that does (*value is updated to match the text); false (and nothing
    // appended) if the value is not finite or |value| >= 1e24.
    bool decimal(double *value);
    void boolean(bool value);

    QByteArray toByteArray() const { return QByteArray(m_text.data(), qsizetype(m_text.size())); }

private:
    std::string m_text;
};

} // namespace agentdesk
