#pragma once

#include <QCborValue>
#include <QDateTime>
#include <QString>

#include <optional>

namespace agentdesk::wire {

// Decision 3: every timestamp leaves as UTC ISO-8601 with milliseconds and a Z suffix
// (2026-02-10T12:34:56.123Z); an invalid QDateTime is JSON null.
QString formatTimestamp(const QDateTime &time);
QCborValue timestampValue(const QDateTime &time);

// Accepts any ISO-8601 form a client is likely to send: Z or ±hh[:mm] offsets (none = UTC),
// 'T' or space between date and time, seconds optional, any number of fraction digits,
// the basic form without separators, and a bare date (midnight UTC).
std::optional<QDateTime> parseTimestamp(const QString &text);

} // namespace agentdesk::wire
