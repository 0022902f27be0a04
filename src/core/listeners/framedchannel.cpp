#include "framedchannel.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

constexpr QByteArrayView HeaderEnd = "\r\n\r\n";
constexpr QByteArrayView LineEnd = "\r\n";
constexpr qsizetype MaxLengthDigits = 10;

// The exec protocol's header names (Content-Length, X-Thread-Id …) are letters, digits, '-' and '_': narrower
// than an HTTP token (api/httprequestframer.cpp), so that a line of a handler's stray output is rarely
// mistaken for the start of a header.
bool isHeaderNameChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool isHeaderName(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), isHeaderNameChar);
}

// A header line as it can appear in an error message: short, with control characters made visible.
QString quoted(QByteArrayView text)
{
    constexpr qsizetype MaxShown = 60;
    QString shown;
    for (QChar c : QString::fromUtf8(text.first(std::min(text.size(), MaxShown)))) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            shown += u"\\x%1"_s.arg(c.unicode(), 2, 16, QChar(u'0'));
        else
            shown += c;
    }
    if (text.size() > MaxShown)
        shown += u"…"_s;
    return u'"' + shown + u'"';
}

QString unexpectedOutput(QByteArrayView line)
{
    return u"unexpected output %1 where a frame header (\"Content-Length: N\") was expected"_s.arg(quoted(line));
}

// The unfinished last line of a header may only be the start of `Name: value` or of the blank line.
bool canStartHeaderLine(QByteArrayView partial)
{
    if (partial.isEmpty() || partial == "\r")
        return true;
    const qsizetype colon = partial.indexOf(':');
    const QByteArrayView name = colon < 0 ? partial : partial.first(colon);
    if (colon == 0)
        return false;
    return std::all_of(name.begin(), name.end(), isHeaderNameChar);
}

} // namespace

QByteArray FramedChannel::encode(const QByteArray &body)
{
    return "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

void FramedChannel::append(const QByteArray &data)
{
    if (!hasError())
        m_buffer.append(data);
}

std::optional<QByteArray> FramedChannel::takeFrame()
{
    if (hasError())
        return std::nullopt;
    if (m_bodyLength < 0 && !parseHeader())
        return std::nullopt;
    if (m_buffer.size() < m_bodyLength)
        return std::nullopt;
    QByteArray body = m_buffer.left(m_bodyLength);
    m_buffer.remove(0, m_bodyLength);
    m_bodyLength = -1;
    return body;
}

void FramedChannel::reset()
{
    m_buffer.clear();
    m_bodyLength = -1;
    m_error.clear();
}

bool FramedChannel::parseHeader()
{
    const qsizetype end = m_buffer.indexOf(HeaderEnd);
    if (end < 0)
        return checkPartialHeader();
    if (end > MaxHeaderBytes)
        return fail(u"frame header longer than %1 bytes"_s.arg(MaxHeaderBytes));
    if (!parseHeaderBlock(QByteArrayView(m_buffer).first(end)))
        return false;
    m_buffer.remove(0, end + HeaderEnd.size());
    return true;
}

// Catches a broken header as soon as its first bad line is visible, instead of waiting for a blank
// line that may never come (typically a handler that print()s to stdout).
bool FramedChannel::checkPartialHeader()
{
    const QByteArrayView buffer(m_buffer);
    qsizetype pos = 0;
    for (qsizetype nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n', pos)) {
        QByteArrayView line = buffer.sliced(pos, nl - pos);
        const bool crlf = line.endsWith('\r');
        if (crlf)
            line.chop(1);
        if (line.isEmpty() && crlf)
            return fail(u"frame header without Content-Length"_s);
        const qsizetype colon = line.indexOf(':');
        if (!line.isEmpty() && (colon < 0 || !isHeaderName(line.first(colon))))
            return fail(unexpectedOutput(line));
        if (!crlf)
            return fail(u"frame header line %1 does not end with CRLF"_s.arg(quoted(line)));
        pos = nl + 1;
    }
    if (!canStartHeaderLine(buffer.sliced(pos)))
        return fail(unexpectedOutput(buffer.sliced(pos)));
    if (buffer.size() > MaxHeaderBytes)
        return fail(u"frame header longer than %1 bytes"_s.arg(MaxHeaderBytes));
    return false;
}

bool FramedChannel::parseHeaderBlock(QByteArrayView block)
{
    if (block.isEmpty())
        return fail(u"frame header without Content-Length"_s);
    qint64 length = -1;
    qsizetype pos = 0;
    while (pos <= block.size()) {
        qsizetype next = block.indexOf(LineEnd, pos);
        if (next < 0)
            next = block.size();
        const QByteArrayView line = block.sliced(pos, next - pos);
        pos = next + LineEnd.size();

        const qsizetype colon = line.indexOf(':');
        if (line.contains('\n'))
            return fail(u"frame header line %1 does not end with CRLF"_s.arg(quoted(line)));
        if (colon < 0 || !isHeaderName(line.first(colon)))
            return fail(unexpectedOutput(line));
        if (line.first(colon).compare("Content-Length", Qt::CaseInsensitive) != 0)
            continue; // Content-Type and future headers carry nothing agentdesk needs
        if (length >= 0)
            return fail(u"frame header with two Content-Length lines"_s);
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        bool ok = !value.isEmpty() && value.size() <= MaxLengthDigits;
        for (char c : value)
            ok = ok && c >= '0' && c <= '9';
        if (!ok)
            return fail(u"bad Content-Length %1"_s.arg(quoted(value)));
        length = value.toLongLong();
    }
    if (length < 0)
        return fail(u"frame header without Content-Length"_s);
    if (length > MaxFrameBytes)
        return fail(u"frame of %1 bytes exceeds the limit of %2 bytes (16 MiB)"_s.arg(length).arg(MaxFrameBytes));
    m_bodyLength = length;
    return true;
}

bool FramedChannel::fail(const QString &error)
{
    m_error = error;
    m_buffer.clear();
    return false;
}

} // namespace agentdesk
