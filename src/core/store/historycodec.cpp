#include "historycodec.h"

#include "domain/timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

namespace agentdesk {

using namespace Qt::StringLiterals;

namespace {

// The writer encodes every message's fields and every thread's participants on the hot path. Going
// through QJsonDocument (QVariant -> QCborValue -> JSON text) costs about 17,000 instructions for a
// three-field map — more than SQLite's insert of the row — so the encoding is written out here; the
// output is the same compact JSON, read back by QJsonDocument.
class CompactJson
{
public:
    QByteArray take() { return std::move(m_out); }

    void value(const QVariant &value)
    {
        switch (value.typeId()) {
        case QMetaType::QString:
            string(value.toString());
            break;
        case QMetaType::Bool:
            m_out += value.toBool() ? "true" : "false";
            break;
        case QMetaType::Int:
        case QMetaType::LongLong:
        case QMetaType::UInt:
        case QMetaType::Short:
        case QMetaType::UShort:
            m_out += QByteArray::number(value.toLongLong());
            break;
        case QMetaType::ULongLong:
            m_out += QByteArray::number(value.toULongLong());
            break;
        case QMetaType::Double:
        case QMetaType::Float:
            number(value.toDouble());
            break;
        case QMetaType::QVariantMap:
            object(value.toMap());
            break;
        case QMetaType::QVariantList:
            array(value.toList());
            break;
        case QMetaType::QStringList:
            strings(value.toStringList());
            break;
        case QMetaType::Nullptr:
        case QMetaType::UnknownType:
            m_out += "null";
            break;
        default:
            string(value.toString());
            break;
        }
    }

    void object(const QVariantMap &map)
    {
        m_out += '{';
        bool first = true;
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (!std::exchange(first, false))
                m_out += ',';
            string(it.key());
            m_out += ':';
            value(it.value());
        }
        m_out += '}';
    }

    void array(const QVariantList &list)
    {
        m_out += '[';
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (i)
                m_out += ',';
            value(list[i]);
        }
        m_out += ']';
    }

    void strings(const QStringList &list)
    {
        m_out += '[';
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (i)
                m_out += ',';
            string(list[i]);
        }
        m_out += ']';
    }

    void string(const QString &text)
    {
        m_out += '"';
        const QByteArray utf8 = text.toUtf8();
        for (const char c : utf8) {
            const auto byte = static_cast<unsigned char>(c);
            switch (c) {
            case '"':
                m_out += "\\\"";
                break;
            case '\\':
                m_out += "\\\\";
                break;
            case '\n':
                m_out += "\\n";
                break;
            case '\r':
                m_out += "\\r";
                break;
            case '\t':
                m_out += "\\t";
                break;
            case '\b':
                m_out += "\\b";
                break;
            case '\f':
                m_out += "\\f";
                break;
            default:
                if (byte < 0x20) {
                    static const char hex[] = "0123456789abcdef";
                    m_out += "\\u00";
                    m_out += hex[byte >> 4];
                    m_out += hex[byte & 0xf];
                } else {
                    m_out += c;
                }
            }
        }
        m_out += '"';
    }

    void number(double value)
    {
        if (!std::isfinite(value)) {
            m_out += "null"; // JSON has no NaN or infinity (QJsonDocument writes null too)
            return;
        }
        std::array<char, 32> buffer{};
        const auto printed = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
        m_out.append(buffer.data(), printed.ptr - buffer.data());
    }

private:
    QByteArray m_out;
};

} // namespace

QByteArray HistoryCodec::encodeMap(const QVariantMap &map)
{
    CompactJson json;
    json.object(map);
    return json.take();
}

QVariantMap HistoryCodec::decodeMap(const QString &json)
{
    if (json.isEmpty())
        return {};
    return QJsonDocument::fromJson(json.toUtf8()).object().toVariantMap();
}

QByteArray HistoryCodec::encodePrompt(const QList<PromptMessage> &prompt)
{
    QJsonArray messages;
    for (const PromptMessage &message : prompt)
        messages.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, message.content}});
    return qCompress(QJsonDocument(messages).toJson(QJsonDocument::Compact));
}

QList<PromptMessage> HistoryCodec::decodePrompt(const QByteArray &stored)
{
    QList<PromptMessage> prompt;
    if (stored.isEmpty())
        return prompt;
    for (const QJsonValue &value : QJsonDocument::fromJson(qUncompress(stored)).array()) {
        const QJsonObject message = value.toObject();
        prompt.append(PromptMessage{message.value(u"role"_s).toString(), message.value(u"content"_s).toString()});
    }
    return prompt;
}

QByteArray HistoryCodec::encodeList(const QStringList &list)
{
    CompactJson json;
    json.strings(list);
    return json.take();
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
    return formatTimestamp(time, TimestampForm::PythonIsoformat);
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
    const auto printed = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed,
                                       places);
    if (printed.ec != std::errc())
        return value;
    double rounded = value;
    std::from_chars(buffer.data(), printed.ptr, rounded);
    return rounded;
}

} // namespace agentdesk
