#include "parsedreply.h"

#include <QJsonDocument>

#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk {

std::optional<qint64> usageCounter(const QJsonObject &object, QLatin1StringView key)
{
    const QJsonValue value = object.value(key);
    if (!value.isDouble() || value.toDouble() < 0 || !std::isfinite(value.toDouble()))
        return std::nullopt;
    return qint64(value.toDouble());
}

void setToolArguments(LlmToolCall *call, const QString &text)
{
    call->argumentsText = text;
    if (text.trimmed().isEmpty()) { // a tool without parameters may be called with no arguments at all
        call->arguments = {};
        return;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        call->argumentsError = u"%1 at byte %2"_s.arg(error.errorString()).arg(error.offset);
    else if (!document.isObject())
        call->argumentsError = u"expected a JSON object"_s;
    else
        call->arguments = document.object().toVariantMap();
}

void StreamDecoder::feed(const QByteArray &bytes)
{
    m_buffer += bytes;
    if (m_framing == Framing::JsonLines) {
        qsizetype end;
        while ((end = m_buffer.indexOf('\n')) >= 0) {
            line(m_buffer.left(end));
            m_buffer.remove(0, end + 1);
        }
        return;
    }
    // SSE: events end with a blank line; servers may use \r\n.
    while (true) {
        m_buffer.replace("\r\n", "\n");
        const qsizetype end = m_buffer.indexOf("\n\n");
        if (end < 0)
            return;
        frame(m_buffer.left(end));
        m_buffer.remove(0, end + 2);
    }
}

void StreamDecoder::close()
{
    if (m_buffer.trimmed().isEmpty())
        return;
    if (m_framing == Framing::JsonLines)
        line(m_buffer);
    else
        frame(m_buffer);
    m_buffer.clear();
}

void StreamDecoder::line(const QByteArray &text)
{
    if (text.trimmed().isEmpty())
        return;
    const QJsonDocument document = QJsonDocument::fromJson(text);
    if (!document.isObject()) {
        m_streamError = u"a streamed line is not a JSON object: %1"_s.arg(QString::fromUtf8(text.left(200)));
        return;
    }
    event({}, document.object());
}

void StreamDecoder::frame(const QByteArray &block)
{
    QByteArray name;
    QByteArray data;
    for (const QByteArray &field : block.split('\n')) {
        if (field.startsWith(':')) // a comment (keep-alive)
            continue;
        const qsizetype colon = field.indexOf(':');
        const QByteArray key = colon < 0 ? field : field.left(colon);
        QByteArray value = colon < 0 ? QByteArray() : field.mid(colon + 1);
        if (value.startsWith(' '))
            value.remove(0, 1);
        if (key == "event")
            name = value;
        else if (key == "data")
            data += (data.isEmpty() ? QByteArray() : QByteArray("\n")) + value;
    }
    if (data.isEmpty())
        return;
    const QJsonDocument document = QJsonDocument::fromJson(data);
    if (document.isObject())
        event(name, document.object());
    else
        rawData(data);
}

} // namespace agentdesk
