#include "fakeprovider.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 408:
        return "Request Timeout";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
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

FakeResponse FakeResponse::stream(const QList<QByteArray> &chunks, const QByteArray &contentType)
{
    FakeResponse response;
    response.mode = Mode::Stream;
    response.chunks = chunks;
    response.contentType = contentType;
    return response;
}

FakeResponse FakeResponse::spaced(int intervalMs) const
{
    FakeResponse copy = *this;
    copy.chunkIntervalMs = intervalMs;
    return copy;
}

FakeResponse FakeResponse::cutAfter(int chunkCount) const
{
    FakeResponse copy = *this;
    copy.chunks = chunks.mid(0, chunkCount);
    return copy;
}

FakeResponse FakeResponse::stallAfter(int chunkCount) const
{
    FakeResponse copy = cutAfter(chunkCount);
    copy.hangAfterChunks = true;
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
                request.headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                                       lines.at(i).mid(colon + 1).trimmed());
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
        return m_responder ? m_responder(request) : defaultReply(request);
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
    case FakeResponse::Mode::Stream: {
        QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status)
            + "\r\nContent-Type: " + response.contentType + "\r\nConnection: close\r\n";
        for (const auto &[name, value] : response.headers)
            head += name + ": " + value + "\r\n";
        socket->write(head + "\r\n");
        streamChunks(socket, response, 0);
        return;
    }
    case FakeResponse::Mode::Answer:
        break;
    }
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status)
        + "\r\nContent-Type: " + response.contentType
        + "\r\nContent-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    for (const auto &[name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    socket->write(head + "\r\n" + response.body);
    if (response.status >= 200 && response.status < 300)
        noteBilled(response.body);
    it->waiting = false;
    if (!it->buffer.isEmpty())
        QMetaObject::invokeMethod(
            this,
            [this, socket = QPointer<QTcpSocket>(socket)] {
                if (socket)
                    onReadyRead(socket);
            },
            Qt::QueuedConnection);
}

// Writes one chunk now and schedules the next; at the end the connection closes (or stays silent).
void FakeProvider::streamChunks(QPointer<QTcpSocket> socket, FakeResponse response, int next)
{
    if (!socket || !m_connections.contains(socket))
        return;
    if (next >= response.chunks.size()) {
        if (response.hangAfterChunks)
            return;
        m_connections[socket].waiting = false;
        socket->disconnectFromHost();
        return;
    }
    socket->write(response.chunks.at(next));
    socket->flush();
    noteBilled(response.chunks.at(next));
    QTimer::singleShot(response.chunkIntervalMs, this,
                       [this, socket, response, next] { streamChunks(socket, response, next + 1); });
}

// Adds up the usage a provider reports in what was sent: a JSON body, SSE data lines or NDJSON lines.
void FakeProvider::noteBilled(const QByteArray &payload)
{
    QList<QByteArray> documents;
    for (QByteArray line : payload.split('\n')) {
        line = line.trimmed();
        if (line.startsWith("data:"))
            line = line.mid(5).trimmed();
        if (line.startsWith('{'))
            documents.append(line);
    }
    if (documents.isEmpty() && payload.trimmed().startsWith('{'))
        documents.append(payload);
    for (const QByteArray &text : documents) {
        const QJsonObject object = QJsonDocument::fromJson(text).object();
        const QString type = object.value(u"type"_s).toString();
        Usage usage{0, 0, 0, 0, 0, false};
        bool found = false;
        if (type == u"message_start" || type == u"message") { // Anthropic: input side (and output when whole)
            const QJsonObject u =
                (type == u"message" ? object : object.value(u"message"_s).toObject()).value(u"usage"_s).toObject();
            usage.prompt = u.value(u"input_tokens"_s).toInteger() + u.value(u"cache_read_input_tokens"_s).toInteger()
                + u.value(u"cache_creation_input_tokens"_s).toInteger();
            usage.cached = u.value(u"cache_read_input_tokens"_s).toInteger();
            usage.cacheWrite = u.value(u"cache_creation_input_tokens"_s).toInteger();
            // message_start already counts an output token or so; message_delta's count is cumulative.
            usage.completion = u.value(u"output_tokens"_s).toInteger();
            m_streamedOutput = usage.completion;
            found = true;
        } else if (type == u"message_delta") { // Anthropic: the output count so far (cumulative)
            const qint64 output = object.value(u"usage"_s).toObject().value(u"output_tokens"_s).toInteger();
            usage.completion = output - m_streamedOutput;
            m_streamedOutput = output;
            found = true;
        } else if (object.value(u"usage"_s).isObject()) { // OpenAI and xAI
            const QJsonObject u = object.value(u"usage"_s).toObject();
            usage.prompt = u.value(u"prompt_tokens"_s).toInteger();
            usage.completion = u.value(u"completion_tokens"_s).toInteger();
            usage.reasoning =
                u.value(u"completion_tokens_details"_s).toObject().value(u"reasoning_tokens"_s).toInteger();
            usage.reasoningApart = usage.reasoning > 0
                && u.value(u"total_tokens"_s).toInteger() == usage.prompt + usage.completion + usage.reasoning;
            if (usage.reasoningApart)
                usage.completion += usage.reasoning; // billed as output
            found = true;
        } else if (object.value(u"done"_s).toBool() && object.contains(u"eval_count"_s)) { // Ollama
            usage.prompt = object.value(u"prompt_eval_count"_s).toInteger();
            usage.completion = object.value(u"eval_count"_s).toInteger();
            found = true;
        }
        if (found) {
            m_billed.append(usage);
            m_billedTokens += usage.prompt + usage.completion;
        }
    }
}

QJsonObject FakeProvider::openAiUsage(const Usage &usage)
{
    const qint64 completion = usage.completion;
    QJsonObject json{{u"prompt_tokens"_s, usage.prompt},
                     {u"completion_tokens"_s, completion},
                     {u"total_tokens"_s, usage.prompt + completion + (usage.reasoningApart ? usage.reasoning : 0)},
                     {u"prompt_tokens_details"_s, QJsonObject{{u"cached_tokens"_s, usage.cached}}}};
    if (usage.reasoning > 0)
        json.insert(u"completion_tokens_details"_s, QJsonObject{{u"reasoning_tokens"_s, usage.reasoning}});
    return json;
}

QJsonObject FakeProvider::anthropicUsage(const Usage &usage)
{
    return QJsonObject{{u"input_tokens"_s, usage.prompt},
                       {u"output_tokens"_s, usage.completion},
                       {u"cache_creation_input_tokens"_s, usage.cacheWrite},
                       {u"cache_read_input_tokens"_s, usage.cached}};
}

namespace {

QByteArray sse(const QJsonObject &data, const QByteArray &event = {})
{
    const QByteArray json = QJsonDocument(data).toJson(QJsonDocument::Compact);
    return (event.isEmpty() ? QByteArray() : "event: " + event + "\n") + "data: " + json + "\n\n";
}

QString argumentsText(const FakeProvider::ToolUse &tool)
{
    return tool.rawArguments.isEmpty() ? QString::fromUtf8(QJsonDocument(tool.arguments).toJson(QJsonDocument::Compact))
                                       : tool.rawArguments;
}

} // namespace

QList<QByteArray> FakeProvider::openAiStream(const QStringList &pieces, const QString &model, const Usage &usage,
                                             const QList<ToolUse> &tools)
{
    QList<QByteArray> chunks;
    const auto chunk = [&model](const QJsonObject &delta, const QJsonValue &finish = QJsonValue::Null) {
        return sse(
            QJsonObject{{u"id"_s, u"chatcmpl-fake"_s},
                        {u"object"_s, u"chat.completion.chunk"_s},
                        {u"model"_s, model},
                        {u"choices"_s,
                         QJsonArray{QJsonObject{{u"index"_s, 0}, {u"delta"_s, delta}, {u"finish_reason"_s, finish}}}}});
    };
    chunks.append(chunk(QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, u""_s}}));
    for (const QString &piece : pieces)
        chunks.append(chunk(QJsonObject{{u"content"_s, piece}}));
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QString arguments = argumentsText(tools.at(i));
        // The name with the id first, then the arguments in two pieces, as OpenAI sends them.
        chunks.append(chunk(
            QJsonObject{{u"tool_calls"_s,
                         QJsonArray{QJsonObject{
                             {u"index"_s, i},
                             {u"id"_s, tools.at(i).id},
                             {u"type"_s, u"function"_s},
                             {u"function"_s, QJsonObject{{u"name"_s, tools.at(i).name}, {u"arguments"_s, u""_s}}}}}}}));
        const qsizetype half = arguments.size() / 2;
        for (const QString &part : {arguments.left(half), arguments.mid(half)})
            chunks.append(chunk(QJsonObject{
                {u"tool_calls"_s,
                 QJsonArray{QJsonObject{{u"index"_s, i}, {u"function"_s, QJsonObject{{u"arguments"_s, part}}}}}}}));
    }
    chunks.append(chunk(QJsonObject{}, tools.isEmpty() ? u"stop"_s : u"tool_calls"_s));
    chunks.append(sse(QJsonObject{{u"id"_s, u"chatcmpl-fake"_s},
                                  {u"object"_s, u"chat.completion.chunk"_s},
                                  {u"model"_s, model},
                                  {u"choices"_s, QJsonArray{}},
                                  {u"usage"_s, openAiUsage(usage)}}));
    chunks.append("data: [DONE]\n\n");
    return chunks;
}

QList<QByteArray> FakeProvider::anthropicStream(const QStringList &pieces, const QString &model, const Usage &usage,
                                                const QList<ToolUse> &tools)
{
    QList<QByteArray> chunks;
    Usage input = usage;
    input.completion = 1;
    QJsonObject startUsage = anthropicUsage(input);
    chunks.append(sse(QJsonObject{{u"type"_s, u"message_start"_s},
                                  {u"message"_s,
                                   QJsonObject{{u"id"_s, u"msg_fake"_s},
                                               {u"type"_s, u"message"_s},
                                               {u"role"_s, u"assistant"_s},
                                               {u"model"_s, model},
                                               {u"content"_s, QJsonArray{}},
                                               {u"usage"_s, startUsage}}}},
                      "message_start"));
    chunks.append(sse(QJsonObject{{u"type"_s, u"ping"_s}}, "ping"));
    int index = 0;
    if (!pieces.isEmpty()) {
        chunks.append(sse(QJsonObject{{u"type"_s, u"content_block_start"_s},
                                      {u"index"_s, index},
                                      {u"content_block"_s, QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u""_s}}}},
                          "content_block_start"));
        for (const QString &piece : pieces)
            chunks.append(sse(QJsonObject{{u"type"_s, u"content_block_delta"_s},
                                          {u"index"_s, index},
                                          {u"delta"_s, QJsonObject{{u"type"_s, u"text_delta"_s}, {u"text"_s, piece}}}},
                              "content_block_delta"));
        chunks.append(
            sse(QJsonObject{{u"type"_s, u"content_block_stop"_s}, {u"index"_s, index}}, "content_block_stop"));
        ++index;
    }
    for (const ToolUse &tool : tools) {
        chunks.append(sse(QJsonObject{{u"type"_s, u"content_block_start"_s},
                                      {u"index"_s, index},
                                      {u"content_block"_s,
                                       QJsonObject{{u"type"_s, u"tool_use"_s},
                                                   {u"id"_s, tool.id},
                                                   {u"name"_s, tool.name},
                                                   {u"input"_s, QJsonObject{}}}}},
                          "content_block_start"));
        const QString arguments = argumentsText(tool);
        const qsizetype half = arguments.size() / 2;
        for (const QString &part : {arguments.left(half), arguments.mid(half)})
            chunks.append(sse(
                QJsonObject{{u"type"_s, u"content_block_delta"_s},
                            {u"index"_s, index},
                            {u"delta"_s, QJsonObject{{u"type"_s, u"input_json_delta"_s}, {u"partial_json"_s, part}}}},
                "content_block_delta"));
        chunks.append(
            sse(QJsonObject{{u"type"_s, u"content_block_stop"_s}, {u"index"_s, index}}, "content_block_stop"));
        ++index;
    }
    chunks.append(
        sse(QJsonObject{{u"type"_s, u"message_delta"_s},
                        {u"delta"_s, QJsonObject{{u"stop_reason"_s, tools.isEmpty() ? u"end_turn"_s : u"tool_use"_s}}},
                        {u"usage"_s, QJsonObject{{u"output_tokens"_s, usage.completion}}}},
            "message_delta"));
    chunks.append(sse(QJsonObject{{u"type"_s, u"message_stop"_s}}, "message_stop"));
    return chunks;
}

QList<QByteArray> FakeProvider::ollamaStream(const QStringList &pieces, const QString &model, const Usage &usage,
                                             const QList<ToolUse> &tools)
{
    QList<QByteArray> lines;
    const auto line = [](const QJsonObject &object) -> QByteArray {
        return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    };
    for (const QString &piece : pieces)
        lines.append(line(QJsonObject{{u"model"_s, model},
                                      {u"created_at"_s, u"2024-01-01T00:00:00Z"_s},
                                      {u"message"_s, QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, piece}}},
                                      {u"done"_s, false}}));
    if (!tools.isEmpty())
        lines.append(line(QJsonObject{{u"model"_s, model},
                                      {u"message"_s, ollamaToolReply(tools, model, usage).value(u"message"_s)},
                                      {u"done"_s, false}}));
    QJsonObject last = ollamaReply(QString(), model, usage.prompt, usage.completion);
    lines.append(line(last));
    return lines;
}

QJsonObject FakeProvider::openAiToolReply(const QList<ToolUse> &tools, const QString &model, const Usage &usage,
                                          const QString &content)
{
    QJsonArray calls;
    for (const ToolUse &tool : tools)
        calls.append(
            QJsonObject{{u"id"_s, tool.id},
                        {u"type"_s, u"function"_s},
                        {u"function"_s, QJsonObject{{u"name"_s, tool.name}, {u"arguments"_s, argumentsText(tool)}}}});
    const QJsonObject message{{u"role"_s, u"assistant"_s},
                              {u"content"_s, content.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(content)},
                              {u"tool_calls"_s, calls}};
    const QJsonObject choice{{u"index"_s, 0}, {u"message"_s, message}, {u"finish_reason"_s, u"tool_calls"_s}};
    return QJsonObject{{u"id"_s, u"chatcmpl-fake"_s},      {u"object"_s, u"chat.completion"_s},
                       {u"created"_s, 1700000000},         {u"model"_s, model},
                       {u"choices"_s, QJsonArray{choice}}, {u"usage"_s, openAiUsage(usage)}};
}

QJsonObject FakeProvider::anthropicToolReply(const QList<ToolUse> &tools, const QString &model, const Usage &usage,
                                             const QString &content)
{
    QJsonArray blocks;
    if (!content.isEmpty())
        blocks.append(QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, content}});
    for (const ToolUse &tool : tools)
        blocks.append(QJsonObject{
            {u"type"_s, u"tool_use"_s}, {u"id"_s, tool.id}, {u"name"_s, tool.name}, {u"input"_s, tool.arguments}});
    return QJsonObject{{u"id"_s, u"msg_fake"_s},
                       {u"type"_s, u"message"_s},
                       {u"role"_s, u"assistant"_s},
                       {u"model"_s, model},
                       {u"content"_s, blocks},
                       {u"stop_reason"_s, u"tool_use"_s},
                       {u"stop_sequence"_s, QJsonValue::Null},
                       {u"usage"_s, anthropicUsage(usage)}};
}

QJsonObject FakeProvider::ollamaToolReply(const QList<ToolUse> &tools, const QString &model, const Usage &usage)
{
    QJsonArray calls;
    for (const ToolUse &tool : tools)
        calls.append(
            QJsonObject{{u"function"_s, QJsonObject{{u"name"_s, tool.name}, {u"arguments"_s, tool.arguments}}}});
    QJsonObject reply = ollamaReply(QString(), model, usage.prompt, usage.completion);
    reply.insert(u"message"_s,
                 QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, u""_s}, {u"tool_calls"_s, calls}});
    return reply;
}

FakeResponse FakeProvider::defaultReply(const FakeRequest &request) const
{
    const QString model = request.json().value(u"model"_s).toString();
    const QString content = u"reply %1"_s.arg(m_requests.size());
    // A streamed request gets a streamed answer, in two pieces.
    if (request.json().value(u"stream"_s).toBool()) {
        const QStringList pieces{content.left(3), content.mid(3)};
        switch (m_format) {
        case Format::Anthropic:
            return FakeResponse::stream(anthropicStream(pieces, model, Usage{}));
        case Format::Ollama:
            return FakeResponse::stream(ollamaStream(pieces, model, Usage{}), "application/x-ndjson");
        case Format::OpenAi:
            break;
        }
        return FakeResponse::stream(openAiStream(pieces, model, Usage{}));
    }
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
    return QJsonObject{{u"id"_s, u"chatcmpl-fake"_s}, {u"object"_s, u"chat.completion"_s}, {u"created"_s, 1700000000},
                       {u"model"_s, model},           {u"choices"_s, QJsonArray{choice}},  {u"usage"_s, usage}};
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
    return QJsonObject{{u"error"_s,
                        QJsonObject{{u"message"_s, message},
                                    {u"type"_s, u"invalid_request_error"_s},
                                    {u"param"_s, QJsonValue::Null},
                                    {u"code"_s, QJsonValue::Null}}}};
}

QJsonObject FakeProvider::anthropicError(const QString &type, const QString &message)
{
    return QJsonObject{{u"type"_s, u"error"_s}, {u"error"_s, QJsonObject{{u"type"_s, type}, {u"message"_s, message}}}};
}

QJsonObject FakeProvider::ollamaError(const QString &message)
{
    return QJsonObject{{u"error"_s, message}};
}

} // namespace agentdesk
