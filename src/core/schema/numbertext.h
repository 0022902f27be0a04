#pragma once

#include <QByteArrayView>

namespace agentdesk {

// Reads numbers from ASCII text without the C locale (QCoreApplication sets LC_ALL from the
// environment, so strtod would expect a decimal comma in some locales). Surrounding XML whitespace
// is ignored.
class NumberText
{
public:
    enum class Result { Ok, Invalid, OutOfRange };

    // Optional sign, digits, optionally a fractional part made of zeros only ("12.00", pydantic's
    // str → int). OutOfRange when it does not fit in qint64.
    static Result parseInteger(QByteArrayView text, qint64 *value);
    // Optional sign, then a decimal or exponent form, "inf" or "nan" (Python's float()). OutOfRange on
    // overflow; an underflow reads as the nearest representable value, as Python does.
    static Result parseDecimal(QByteArrayView text, double *value);
    static QByteArrayView trimmed(QByteArrayView text);
};

} // namespace agentdesk
