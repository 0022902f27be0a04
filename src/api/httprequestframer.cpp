#include "httprequestframer.h"

#include <QList>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool isValidTarget(QByteArrayView target)
{
    if (target.isEmpty())
        return false;
    for (char c : target) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f)
            return false;
    }
    return target.startsWith('/') || target == "*" || target.startsWith("http://") || target.startsWith("https://");
}

bool containsToken(const QByteArray &list, QByteArrayView token)
{
    const QList<QByteArray> parts = list.split(',');
    for (const QByteArray &part : parts) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

HttpRequestFramer::HttpRequestFramer(const Limits &limits)
    : m_limits(limits)
{
}

HttpRequestFramer::Event HttpRequestFramer::reject(int status, const QString &detail)
{
    m_state = State::Failed;
    m_rejection = {status, detail};
    return Event::Rejected;
}

void HttpRequestFramer::startRequest()
{
    m_headerBytes = 0;
    m_headerCount = 0;
    m_contentLength = -1;
    m_bodyRemaining = 0;
    m_http10 = m_keepAlive = m_connectionClose = m_connectionUpgrade = m_upgradeWebSocket = false;
    m_chunked = m_expectContinue = m_unsupportedExpect = false;
    m_hostCount = 0;
    m_head = {};
}

HttpRequestFramer::Event HttpRequestFramer::feed(QByteArrayView bytes, qsizetype *consumed)
{
    qsizetype i = 0;
    const auto done = [&](Event event) {
        *consumed = i;
        return event;
    };
    while (i < bytes.size()) {
        switch (m_state) {
        case State::Failed:
        case State::Passthrough:
            i = bytes.size();
            return done(Event::None);
        case State::Body: {
            const qint64 take = qMin<qint64>(m_bodyRemaining, bytes.size() - i);
            i += take;
            m_bodyRemaining -= take;
            if (m_bodyRemaining == 0) {
                m_state = State::RequestLine;
                ++m_completed;
                return done(Event::RequestComplete);
            }
            break;
        }
        case State::RequestLine:
        case State::Headers: {
            // Like QHttpServer, tolerate blank lines left over between pipelined requests.
            if (m_state == State::RequestLine && m_line.isEmpty()) {
                if (bytes.at(i) == '\r' || bytes.at(i) == '\n') {
                    ++i;
                    break;
                }
                startRequest();
            }
            // Whole runs up to the end of the line at a time; the limits are checked per run.
            const qsizetype newline = bytes.indexOf('\n', i);
            const qsizetype end = newline < 0 ? bytes.size() : newline;
            m_line.append(bytes.sliced(i, end - i));
            m_headerBytes += end - i + (newline < 0 ? 0 : 1);
            i = newline < 0 ? end : end + 1;
            if (m_state == State::RequestLine && m_line.size() > m_limits.maxRequestLineBytes)
                return done(reject(414, u"URI Too Long"_s));
            if (m_headerBytes > m_limits.maxHeaderBytes)
                return done(reject(431, u"Request Header Fields Too Large"_s));
            if (newline < 0)
                break;
            if (m_line.endsWith('\r'))
                m_line.chop(1);
            const QByteArray line = std::exchange(m_line, {});
            const Event event = m_state == State::RequestLine ? onRequestLine(line) : onHeaderLine(line);
            if (event != Event::None)
                return done(event);
            break;
        }
        }
    }
    return done(Event::None);
}

HttpRequestFramer::Event HttpRequestFramer::onRequestLine(const QByteArray &line)
{
    const QList<QByteArray> parts = line.simplified().split(' ');
    if (parts.size() != 3 || line.contains('\t') || !isToken(parts.at(0)) || !isValidTarget(parts.at(1)))
        return reject(400, u"Invalid HTTP request line"_s);
    const QByteArray &version = parts.at(2);
    if (!version.startsWith("HTTP/") || version.size() != 8 || version.at(6) != '.')
        return reject(400, u"Invalid HTTP request line"_s);
    if (version != "HTTP/1.1" && version != "HTTP/1.0")
        return reject(505, u"HTTP Version Not Supported"_s);
    m_http10 = version == "HTTP/1.0";
    m_head.method = parts.at(0);
    m_head.target = parts.at(1);
    m_head.http10 = m_http10;
    m_state = State::Headers;
    return Event::None;
}

HttpRequestFramer::Event HttpRequestFramer::onHeaderLine(const QByteArray &line)
{
    if (line.isEmpty())
        return onHeadersEnd();
    if (++m_headerCount > m_limits.maxHeaderCount)
        return reject(431, u"Request Header Fields Too Large"_s);
    // Obsolete line folding and whitespace before the colon are request-smuggling vectors
    // (RFC 9112 §5.1-5.2): reject rather than guess.
    const qsizetype colon = line.indexOf(':');
    if (line.startsWith(' ') || line.startsWith('\t') || colon <= 0 || !isToken(QByteArrayView(line).first(colon)))
        return reject(400, u"Invalid HTTP header line"_s);
    const QByteArray name = line.left(colon).toLower();
    const QByteArray value = line.mid(colon + 1).trimmed();
    if (name == "content-length") {
        bool ok = false;
        const qint64 length = value.toLongLong(&ok);
        const bool digitsOnly = !value.isEmpty() && std::all_of(value.begin(), value.end(), [](char c) {
            return c >= '0' && c <= '9';
        });
        if (!ok || !digitsOnly || length < 0 || (m_contentLength >= 0 && m_contentLength != length))
            return reject(400, u"Invalid Content-Length header"_s);
        m_contentLength = length;
    } else if (name == "transfer-encoding") {
        m_chunked = true;
    } else if (name == "connection") {
        m_connectionClose = m_connectionClose || containsToken(value, "close");
        m_keepAlive = m_keepAlive || containsToken(value, "keep-alive");
        m_connectionUpgrade = m_connectionUpgrade || containsToken(value, "upgrade");
    } else if (name == "upgrade") {
        m_upgradeWebSocket = containsToken(value, "websocket");
    } else if (name == "expect") {
        if (value.compare("100-continue", Qt::CaseInsensitive) == 0)
            m_expectContinue = true;
        else
            m_unsupportedExpect = true;
    } else if (name == "host") {
        ++m_hostCount;
        m_head.host = value;
    } else if (name == "origin") {
        m_head.repeatedHeader = m_head.repeatedHeader || !m_head.origin.isNull();
        m_head.origin = value.isNull() ? QByteArray("") : value;
    } else if (name == "authorization") {
        m_head.repeatedHeader = m_head.repeatedHeader || !m_head.authorization.isNull();
        m_head.authorization = value.isNull() ? QByteArray("") : value;
    }
    return Event::None;
}

HttpRequestFramer::Event HttpRequestFramer::onHeadersEnd()
{
    if (m_hostCount > 1)
        return reject(400, u"Multiple Host headers"_s);
    if (m_chunked)
        return reject(411, u"Length Required: send the body with a Content-Length header"_s);
    if (m_unsupportedExpect)
        return reject(417, u"Expectation Failed"_s);
    if (m_contentLength > m_limits.maxBodyBytes) {
        return reject(413, u"Request body too large: %1 bytes, the limit is %2 bytes"_s.arg(m_contentLength)
                               .arg(m_limits.maxBodyBytes));
    }
    m_closeRequested = m_connectionClose || (m_http10 && !m_keepAlive);
    m_head.contentLength = m_contentLength;
    if (m_connectionUpgrade && m_upgradeWebSocket) {
        m_state = State::Passthrough;
        return Event::Upgraded;
    }
    m_expectContinue = m_expectContinue && m_contentLength > 0;
    if (m_contentLength > 0) {
        m_bodyRemaining = m_contentLength;
        m_state = State::Body;
        return Event::HeadersComplete;
    }
    m_state = State::RequestLine;
    ++m_completed;
    return Event::RequestComplete;
}

} // namespace agentdesk
