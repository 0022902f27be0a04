#include "fakeprovider.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

} // namespace

QJsonObject FakeRequest::json() const
{
    return QJsonDocument::fromJson(body).object();
}

FakeResponse FakeResponse::json(int status, const QJsonObject &object)
{
    return raw(status, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

FakeResponse FakeResponse::raw(int status, const QByteArray &body)
{
    FakeResponse response;
    response.status = status;
    response.body = body;
    return response;
}

FakeResponse FakeResponse::hang()
{
    FakeResponse response;
    response.mode = Mode::Hang;
    return response;
}

FakeResponse FakeResponse::close()
{
    FakeResponse response;
    response.mode = Mode::Close;
    return response;
}

FakeResponse FakeResponse::withHeader(const QByteArray &name, const QByteArray &value) const
{
    FakeResponse copy = *this;
    copy.headers.append({name, value});
    return copy;
}

FakeProvider::FakeProvider(Format format, QObject *parent)
    : QObject(parent)
    , m_format(format)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeProvider::onNewConnection);
    if (!m_server->listen(QHostAddress::LocalHost, 0))
        qFatal("FakeProvider: cannot listen on 127.0.0.1: %s", qPrintable(m_server->errorString()));
}

FakeProvider::~FakeProvider()
{
    for (auto it = m_connections.begin(); it != m_connections.end(); ++it) {
        if (it->socket) {
            it->socket->disconnect(this);
            it->socket->abort();
        }
    }
}

quint16 FakeProvider::port() const
{
    return m_server->serverPort();
}

QString FakeProvider::baseUrl() const
{
    const QString root = u"http://127.0.0.1:%1"_s.arg(port());
    return m_format == Format::Ollama ? root : root + u"/v1"_s;
}

void FakeProvider::enqueue(const FakeResponse &response)
{
    m_script.push_back(response);
}

void FakeProvider::enqueue(int times, const FakeResponse &response)
{
    for (int i = 0; i < times; ++i)
        enqueue(response);
}

void FakeProvider::setHolding(bool holding)
{
    m_holding = holding;
}

void FakeProvider::release()
{
    m_holding = false;
    const auto held = std::exchange(m_held, {});
    for (const auto &[socket, request] : held) {
        if (socket)
            answer(socket, request, next(request));
    }
}

int FakeProvider::unanswered() const
{
    int count = 0;
    for (const Connection &connection : m_connections)
        count += connection.waiting ? 1 : 0;
    return count;
}

void FakeProvider::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        m_connections.insert(socket, Connection{socket, {}, false});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { onDisconnected(socket); });
    }
}

void FakeProvider::onReadyRead(QTcpSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    it->buffer += socket->readAll();
    // One request at a time per connection: the client does not pipeline.
    while (!it->waiting) {
        const qsizetype headerEnd = it->buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QList<QByteArray> lines = it->buffer.left(headerEnd).split('\n');
        FakeRequest request;
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.method = requestLine.value(0);
        request.path = requestLine.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon > 0)
                request.headers.insert(lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
        }
        const qsizetype length = request.header("content-length").toLongLong();
        if (it->buffer.size() < headerEnd + 4 + length)
            return;
        request.body = it->buffer.mid(headerEnd + 4, length);
        it->buffer.remove(0, headerEnd + 4 + length);
        it->waiting = true;
        m_requests.append(request);
        m_maxUnanswered = std::max(m_maxUnanswered, unanswered());
        handle(socket, request);
        it = m_connections.find(socket);
        if (it == m_connections.end())
            return;
    }
}

void FakeProvider::onDisconnected(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    if (it->waiting)
        ++m_abandoned;
    m_connections.erase(it);
    m_held.removeIf([socket](const auto &held) { return held.first == socket; });
    socket->deleteLater();
}

void FakeProvider::handle(QTcpSocket *socket, const FakeRequest &request)
{
    emit requestReceived();
    if (m_holding) {
        m_held.append({socket, request});
        return;
    }
    answer(socket, request, next(request));
}

FakeResponse FakeProvider::next(const FakeRequest &request)
{
    if (m_script.empty())
        return defaultReply(request);
    FakeResponse response = m_script.front();
    m_script.pop_front();
    return response;
}

void FakeProvider::answer(QTcpSocket *socket, const FakeRequest &, const FakeResponse &response)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    switch (response.mode) {
    case FakeResponse::Mode::Hang:
        return;
    case FakeResponse::Mode::Close:
        it->waiting = false;
        socket->disconnectFromHost();
        return;
    case FakeResponse::Mode::Answer:
        break;
    }
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status)
                      + "\r\nContent-Type: application/json\r\nContent-Length: "
                      + QByteArray::number(response.body.size()) + "\r\n";
    for (const auto &[name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    socket->write(head + "\r\n" + response.body);
    it->waiting = false;
    if (!it->buffer.isEmpty())
        QMetaObject::invokeMethod(this, [this, socket = QPointer<QTcpSocket>(socket)] {
            if (socket)
                onReadyRead(socket);
        }, Qt::QueuedConnection);
}

FakeResponse FakeProvider::defaultReply(const FakeRequest &request) const
{
    const QString model = request.json().value(u"model"_s).toString();
    const QString content = u"reply %1"_s.arg(m_requests.size());
    switch (m_format) {
    case Format::Anthropic:
        return FakeResponse::json(200, anthropicReply(content, model, 10, 5, 0));
    case Format::Ollama:
        return FakeResponse::json(200, ollamaReply(content, model, 10, 5));
    case Format::OpenAi:
        break;
    }
    return FakeResponse::json(200, openAiReply(content, model, 10, 5, 0));
}

QJsonObject FakeProvider::openAiReply(const QString &content, const QString &model, qint64 promptTokens,
                                      qint64 completionTokens, qint64 cachedTokens)
{
    const QJsonObject message{{u"role"_s, u"assistant"_s}, {u"content"_s, content}};
    const QJsonObject choice{{u"index"_s, 0}, {u"message"_s, message}, {u"finish_reason"_s, u"stop"_s}};
    const QJsonObject usage{{u"prompt_tokens"_s, promptTokens},
                            {u"completion_tokens"_s, completionTokens},
                            {u"total_tokens"_s, promptTokens + completionTokens},
                            {u"prompt_tokens_details"_s, QJsonObject{{u"cached_tokens"_s, cachedTokens}}}};
    return QJsonObject{{u"id"_s, u"chatcmpl-fake"_s},
                       {u"object"_s, u"chat.completion"_s},
                       {u"created"_s, 1700000000},
                       {u"model"_s, model},
                       {u"choices"_s, QJsonArray{choice}},
                       {u"usage"_s, usage}};
}

QJsonObject FakeProvider::anthropicReply(const QString &content, const QString &model, qint64 inputTokens,
                                         qint64 outputTokens, qint64 cacheReadTokens)
{
    const QJsonObject block{{u"type"_s, u"text"_s}, {u"text"_s, content}};
    const QJsonObject usage{{u"input_tokens"_s, inputTokens},
                            {u"output_tokens"_s, outputTokens},
                            {u"cache_creation_input_tokens"_s, 0},
                            {u"cache_read_input_tokens"_s, cacheReadTokens}};
    return QJsonObject{{u"id"_s, u"msg_fake"_s},
                       {u"type"_s, u"message"_s},
                       {u"role"_s, u"assistant"_s},
                       {u"model"_s, model},
                       {u"content"_s, QJsonArray{block}},
                       {u"stop_reason"_s, u"end_turn"_s},
                       {u"stop_sequence"_s, QJsonValue::Null},
                       {u"usage"_s, usage}};
}

QJsonObject FakeProvider::ollamaReply(const QString &content, const QString &model, qint64 promptEvalCount,
                                      qint64 evalCount)
{
    const QJsonObject message{{u"role"_s, u"assistant"_s}, {u"content"_s, content}};
    return QJsonObject{{u"model"_s, model},
                       {u"created_at"_s, u"2024-01-01T00:00:00.000000Z"_s},
                       {u"message"_s, message},
                       {u"done_reason"_s, u"stop"_s},
                       {u"done"_s, true},
                       {u"total_duration"_s, 1000000},
                       {u"load_duration"_s, 1000},
                       {u"prompt_eval_count"_s, promptEvalCount},
                       {u"prompt_eval_duration"_s, 1000},
                       {u"eval_count"_s, evalCount},
                       {u"eval_duration"_s, 1000}};
}

QJsonObject FakeProvider::openAiError(const QString &message)
{
    return QJsonObject{{u"error"_s, QJsonObject{{u"message"_s, message},
                                                {u"type"_s, u"invalid_request_error"_s},
                                                {u"param"_s, QJsonValue::Null},
                                                {u"code"_s, QJsonValue::Null}}}};
}

QJsonObject FakeProvider::anthropicError(const QString &type, const QString &message)
{
    return QJsonObject{{u"type"_s, u"error"_s},
                       {u"error"_s, QJsonObject{{u"type"_s, type}, {u"message"_s, message}}}};
}

QJsonObject FakeProvider::ollamaError(const QString &message)
{
    return QJsonObject{{u"error"_s, message}};
}

} // namespace agentdesk
