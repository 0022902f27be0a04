#include "timestamps.h"

#include <QRegularExpression>

#include <array>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace agentdesk {

QString formatTimestamp(const QDateTime &time, TimestampForm form)
{
    if (!time.isValid())
        return {};
    // Hand-formatted: this runs for every message pushed to every subscriber, and
    // QDateTime::toString(format) is an order of magnitude slower.
    const QDateTime utc = time.toUTC();
    const QDate date = utc.date();
    const QTime clock = utc.time();
    std::array<char, 48> buffer{};
    int length = std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02dT%02d:%02d:%02d", date.year(), date.month(),
                               date.day(), clock.hour(), clock.minute(), clock.second());
    char *end = buffer.data() + length;
    const size_t left = buffer.size() - size_t(length);
    switch (form) {
    case TimestampForm::Api:
        length += std::snprintf(end, left, ".%03dZ", clock.msec());
        break;
    case TimestampForm::PythonIsoformat:
        length += clock.msec() != 0 ? std::snprintf(end, left, ".%03d000+00:00", clock.msec())
                                    : std::snprintf(end, left, "+00:00");
        break;
    }
    return QString::fromLatin1(buffer.data(), length);
}

std::optional<QDateTime> parseTimestamp(const QString &text)
{
    static const QRegularExpression pattern(
        uR"(^\s*(\d{4})-?(\d{2})-?(\d{2})(?:[Tt ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?\s*$)"_s);
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const QDate date(match.captured(1).toInt(), match.captured(2).toInt(), match.captured(3).toInt());
    if (!date.isValid())
        return std::nullopt;
    int msec = 0;
    const QString fraction = match.captured(7);
    if (!fraction.isEmpty())
        msec = QString(fraction + u"00"_s).left(3).toInt();
    const QTime clock(match.captured(4).toInt(), match.captured(5).toInt(), match.captured(6).toInt(), msec);
    if (!clock.isValid())
        return std::nullopt;
    QDateTime result(date, clock, Qt::UTC);
    const QString zone = match.captured(8);
    if (!zone.isEmpty() && zone.compare(u"z"_s, Qt::CaseInsensitive) != 0) {
        QString digits = zone.mid(1);
        digits.remove(u':');
        const int hours = digits.left(2).toInt();
        const int minutes = digits.size() > 2 ? digits.mid(2).toInt() : 0;
        if (hours > 23 || minutes > 59)
            return std::nullopt;
        const int offset = (hours * 3600 + minutes * 60) * (zone.startsWith(u'-') ? -1 : 1);
        result = result.addSecs(-offset);
    }
    return result;
}

} // namespace agentdesk
