#pragma once

#include "domain/trace.h"

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantMap>

namespace agentdesk {

// How domain values are encoded in the history database's columns.
class HistoryCodec
{
public:
    // MessageRecord::fields and UsageEvent::metadata as compact JSON text (UTF-8). JSON has a single
    // number type, so a double with an integral value (2.0) reads back as qint64 2 (numerically equal).
    static QByteArray encodeMap(const QVariantMap &map);
    static QVariantMap decodeMap(const QString &json);

    // What an LLM call was sent: compact JSON [{"role","content"}…], zlib-compressed (a prompt repeats its
    // system text and schemas from call to call, and compresses several times over).
    static QByteArray encodePrompt(const QList<PromptMessage> &prompt);
    static QList<PromptMessage> decodePrompt(const QByteArray &stored);

    // Thread participants: a JSON array, first-seen order.
    static QByteArray encodeList(const QStringList &list);
    static QStringList decodeList(const QString &json);

    // Message and thread times are stored as milliseconds since the epoch, NULL for an invalid QDateTime.
    static QDateTime decodeTime(const QVariant &value);

    // Usage-event times: TimestampForm::PythonIsoformat, as the original stores them, so text
    // comparisons of start_time/end_time behave as in the original.
    static QString isoTimestamp(const QDateTime &time);
    static QDateTime parseIsoTimestamp(const QString &text);

    // Python round(value, places): the exact binary value rounded to the nearest decimal.
    static double roundTo(double value, int places);
};

} // namespace agentdesk
