#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace agentdesk {

// The two ways agentdesk writes a time, both of its UTC value.
enum class TimestampForm {
    // Decision 3, every timestamp of the API: ISO-8601 with milliseconds and a Z (2026-02-10T12:34:56.123Z).
    Api,
    // Python's datetime.isoformat(), as the original stores usage-event times and compares them as text:
    // microseconds, no fraction when it is zero, +00:00 (2026-02-10T12:34:56.123000+00:00).
    PythonIsoformat,
};

// An invalid QDateTime is an empty string.
QString formatTimestamp(const QDateTime &time, TimestampForm form = TimestampForm::Api);

// Accepts any ISO-8601 form a client is likely to send: Z or ±hh[:mm] offsets (none = UTC),
// 'T' or space between date and time, seconds optional, any number of fraction digits,
// the basic form without separators, and a bare date (midnight UTC).
std::optional<QDateTime> parseTimestamp(const QString &text);

} // namespace agentdesk
