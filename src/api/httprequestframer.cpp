#include "httprequestframer.h"

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

bool containsToken(QByteArrayView list, QByteArrayView token)
{
    while (!list.isEmpty()) {
        const qsizetype comma = list.indexOf(',');
        const QByteArrayView part = (comma < 0 ? list : list.first(comma)).trimmed();
        if (part.compare(token, Qt::CaseInsensitive) == 0)
            return true;
        list = comma < 0 ? QByteArrayView() : list.sliced(comma + 1);
    }
    return false;
}

bool isHeader(QByteArrayView name, QByteArrayView expected)
{
    return name.size() == expected.size() && name.compare(expected, Qt::CaseInsensitive) == 0;
}

// The request line's words, split at runs of spaces (more than three: `extra` is set).
struct RequestLineWords
{
    QByteArrayView method, target, version;
    bool extra = false;
};

RequestLineWords splitRequestLine(QByteArrayView line)
{
    RequestLineWords words;
    QByteArrayView *const wordSlots[] = {&words.method, &words.target, &words.version};
    int count = 0;
    qsizetype i = 0;
    while (i < line.size()) {
        while (i < line.size() && line.at(i) == ' ')
            ++i;
        if (i == line.size())
            break;
        qsizetype end = i;
        while (end < line.size() && line.at(end) != ' ')
            ++end;
        if (count == 3) {
            words.extra = true;
            break;
        }
        *wordSlots[count++] = line.sliced(i, end - i);
        i = end;
    }
    return words;
}

} // namespace

HttpRequestFramer::HttpRequestFramer(const Limits &limits)
    : m_limits(limits)
{ }

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
                m_skippedBeforeRequest = 0;
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
                    ++m_skippedBeforeRequest;
                    break;
                }
                startRequest();
            }
            // Whole runs up to the end of the line at a time; the limits are checked per run. A line
            // that arrives whole is read in place; only one split across reads is copied (m_line).
            const qsizetype newline = bytes.indexOf('\n', i);
            const qsizetype end = newline < 0 ? bytes.size() : newline;
            const QByteArrayView run = bytes.sliced(i, end - i);
            m_headerBytes += end - i + (newline < 0 ? 0 : 1);
            i = newline < 0 ? end : end + 1;
            const qsizetype lineSize = m_line.size() + run.size();
            if (m_state == State::RequestLine && lineSize > m_limits.maxRequestLineBytes)
                return done(reject(414, u"URI Too Long"_s));
            if (m_headerBytes > m_limits.maxHeaderBytes)
                return done(reject(431, u"Request Header Fields Too Large"_s));
            if (newline < 0) {
                m_line.append(run);
                break;
            }
            QByteArrayView line = run;
            if (!m_line.isEmpty()) {
                m_line.append(run);
                line = m_line;
            }
            if (line.endsWith('\r'))
                line.chop(1);
            const Event event = m_state == State::RequestLine ? onRequestLine(line) : onHeaderLine(line);
            m_line.resize(0); // keeps its capacity for the next split line
            if (event != Event::None)
                return done(event);
            break;
        }
        }
    }
    return done(Event::None);
}

HttpRequestFramer::Event HttpRequestFramer::onRequestLine(QByteArrayView line)
{
    const RequestLineWords words = splitRequestLine(line.trimmed());
    if (words.extra || words.version.isEmpty() || line.contains('\t') || !isToken(words.method)
        || !isValidTarget(words.target))
        return reject(400, u"Invalid HTTP request line"_s);
    const QByteArrayView version = words.version;
    if (!version.startsWith("HTTP/") || version.size() != 8 || version.at(6) != '.')
        return reject(400, u"Invalid HTTP request line"_s);
    if (version != "HTTP/1.1" && version != "HTTP/1.0")
        return reject(505, u"HTTP Version Not Supported"_s);
    m_http10 = version == "HTTP/1.0";
    m_head.method = words.method.toByteArray();
    m_head.target = words.target.toByteArray();
    m_head.http10 = m_http10;
    m_state = State::Headers;
    return Event::None;
}

HttpRequestFramer::Event HttpRequestFramer::onHeaderLine(QByteArrayView line)
{
    if (line.isEmpty())
        return onHeadersEnd();
    if (++m_headerCount > m_limits.maxHeaderCount)
        return reject(431, u"Request Header Fields Too Large"_s);
    // Obsolete line folding and whitespace before the colon are request-smuggling vectors
    // (RFC 9112 §5.1-5.2): reject rather than guess.
    const qsizetype colon = line.indexOf(':');
    if (line.startsWith(' ') || line.startsWith('\t') || colon <= 0 || !isToken(line.first(colon)))
        return reject(400, u"Invalid HTTP header line"_s);
    const QByteArrayView name = line.first(colon);
    const QByteArrayView value = line.sliced(colon + 1).trimmed();
    if (isHeader(name, "content-length")) {
        bool ok = false;
        const qint64 length = value.toLongLong(&ok);
        const bool digitsOnly = !value.isEmpty()
            && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!ok || !digitsOnly || length < 0 || (m_contentLength >= 0 && m_contentLength != length))
            return reject(400, u"Invalid Content-Length header"_s);
        m_contentLength = length;
    } else if (isHeader(name, "transfer-encoding")) {
        m_chunked = true;
    } else if (isHeader(name, "connection")) {
        m_connectionClose = m_connectionClose || containsToken(value, "close");
        m_keepAlive = m_keepAlive || containsToken(value, "keep-alive");
        m_connectionUpgrade = m_connectionUpgrade || containsToken(value, "upgrade");
    } else if (isHeader(name, "upgrade")) {
        m_upgradeWebSocket = containsToken(value, "websocket");
    } else if (isHeader(name, "expect")) {
        if (value.compare("100-continue", Qt::CaseInsensitive) == 0)
            m_expectContinue = true;
        else
            m_unsupportedExpect = true;
    } else if (isHeader(name, "host")) {
        ++m_hostCount;
        m_head.host = value.toByteArray();
    } else if (isHeader(name, "origin")) {
        keepHeader(&m_head.origin, value);
    } else if (isHeader(name, "authorization")) {
        keepHeader(&m_head.authorization, value);
    } else if (isHeader(name, "content-type")) {
        keepHeader(&m_head.contentType, value);
    } else if (isHeader(name, "sec-fetch-site")) {
        keepHeader(&m_head.secFetchSite, value);
    } else if (isHeader(name, "access-control-request-method")) {
        m_head.accessControlRequestMethod = value.isEmpty() ? QByteArray("") : value.toByteArray();
    }
    return Event::None;
}

void HttpRequestFramer::keepHeader(QByteArray *field, QByteArrayView value)
{
    m_head.repeatedHeader = m_head.repeatedHeader || !field->isNull();
    *field = value.isEmpty() ? QByteArray("") : value.toByteArray();
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
        return reject(413,
                      u"Request body too large: %1 bytes, the limit is %2 bytes"_s.arg(m_contentLength)
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
    m_skippedBeforeRequest = 0;
    return Event::RequestComplete;
}

} // namespace agentdesk
