#include "historycodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

#include <array>
#include <charconv>

namespace agentdesk {

using namespace Qt::StringLiterals;

QByteArray HistoryCodec::encodeMap(const QVariantMap &map)
{
    return QJsonDocument(QJsonObject::fromVariantMap(map)).toJson(QJsonDocument::Compact);
}

QVariantMap HistoryCodec::decodeMap(const QString &json)
{
    if (json.isEmpty())
        return {};
    return QJsonDocument::fromJson(json.toUtf8()).object().toVariantMap();
}

QByteArray HistoryCodec::encodeList(const QStringList &list)
{
    return QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact);
}

QStringList HistoryCodec::decodeList(const QString &json)
{
    QStringList list;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    list.reserve(array.size());
    for (const QJsonValue &value : array)
        list.append(value.toString());
    return list;
}

QDateTime HistoryCodec::decodeTime(const QVariant &value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QString HistoryCodec::isoTimestamp(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    const int msec = utc.time().msec();
    QString text = utc.toString(u"yyyy-MM-ddTHH:mm:ss"_s);
    if (msec != 0)
        text += u'.' + QString::number(msec * 1000).rightJustified(6, u'0');
    return text + u"+00:00"_s;
}

QDateTime HistoryCodec::parseIsoTimestamp(const QString &text)
{
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (time.isValid() && time.timeSpec() == Qt::LocalTime)
        time.setTimeZone(QTimeZone::utc()); // the original writes naive times as UTC
    return time.toUTC();
}

double HistoryCodec::roundTo(double value, int places)
{
    // std::to_chars with a precision rounds the exact binary value like printf (and Python's round),
    // independently of the C locale that QCoreApplication installs.
    std::array<char, 400> buffer{};
    const auto printed =
        std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed, places);
    if (printed.ec != std::errc())
        return value;
    double rounded = value;
    std::from_chars(buffer.data(), printed.ptr, rounded);
    return rounded;
}

} // namespace agentdesk
