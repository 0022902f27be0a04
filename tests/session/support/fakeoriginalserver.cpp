#include "fakeoriginalserver.h"

#include <QJsonDocument>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QUuid>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <tuple>

using namespace Qt::StringLiterals;

namespace agentdesk::test {

namespace {

// pydantic v2's datetime rendering: microseconds and Z.
QString timestamp(const QDateTime &time)
{
    return time.toUTC().toString(u"yyyy-MM-ddTHH:mm:ss.zzz000Z"_s);
}

QString uuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

const QStringList kAgents{u"greeter"_s, u"shouter"_s, u"response-handler"_s};

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 422:
        return "Unprocessable Entity";
    default:
        return "Error";
    }
}

QJsonObject detail(const QString &text)
{
    return QJsonObject{{u"detail"_s, text}};
}

} // namespace

FakeOriginalServer::FakeOriginalServer(WebSocket mode, QObject *parent)
    : QObject(parent)
    , m_mode(mode)
    , m_webSockets(new QWebSocketServer(u"fake-original"_s, QWebSocketServer::NonSecureMode, this))
{
    for (const QString &agent : kAgents)
        m_agentStates.insert(agent, u"idle"_s);
    connect(&m_server, &QTcpServer::newConnection, this, &FakeOriginalServer::accept);
    connect(m_webSockets, &QWebSocketServer::newConnection, this, &FakeOriginalServer::onWebSocket);
    m_server.listen(QHostAddress::LocalHost);
    m_uptime.start();
}

FakeOriginalServer::~FakeOriginalServer()
{
    // The server's sockets go with m_server, after the members their handlers use.
    const QList<QTcpSocket *> sockets = m_server.findChildren<QTcpSocket *>();
    for (QTcpSocket *socket : sockets)
        disconnect(socket, nullptr, this, nullptr);
}

QString FakeOriginalServer::url() const
{
    return u"http://127.0.0.1:%1"_s.arg(port());
}

// --- what the server holds ----------------------------------------------------------------------------

QString FakeOriginalServer::recordMessage(const QString &threadId, const QString &from, const QString &to,
                                          const QJsonObject &payload)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonObject message{{u"id"_s, uuid()},
                        {u"threadId"_s, threadId},
                        {u"from"_s, from},
                        {u"to"_s, to},
                        {u"payloadType"_s, payload.isEmpty() ? u"Payload"_s : payload.keys().first()},
                        {u"payload"_s, payload},
                        {u"timestamp"_s, timestamp(now)},
                        {u"slotIndex"_s, int(m_messages.size()) + 1}};
    // The first key of the payload as given (QJsonObject sorts its keys; the tests send one key).
    m_messages.append(message);
    if (!m_threads.contains(threadId)) {
        m_threadOrder.append(threadId);
        m_threads.insert(threadId,
                         QJsonObject{{u"id"_s, threadId},
                                     {u"status"_s, u"active"_s},
                                     {u"participants"_s, QJsonArray()},
                                     {u"messageCount"_s, 0},
                                     {u"createdAt"_s, timestamp(now)},
                                     {u"lastActivity"_s, QJsonValue::Null},
                                     {u"error"_s, QJsonValue::Null}});
    }
    QJsonObject &thread = m_threads[threadId];
    QJsonArray participants = thread.value(u"participants"_s).toArray();
    for (const QString &name : {from, to}) {
        if (!participants.contains(name))
            participants.append(name);
    }
    thread[u"participants"_s] = participants;
    thread[u"messageCount"_s] = thread.value(u"messageCount"_s).toInt() + 1;
    thread[u"lastActivity"_s] = timestamp(now);
    if (m_agentStates.contains(from))
        ++m_agentMessages[from];
    push(QJsonObject{{u"event"_s, u"message"_s}, {u"message"_s, message}});
    return message.value(u"id"_s).toString();
}

void FakeOriginalServer::recordUsage(const QString &agent, const QString &model, qint64 prompt, qint64 completion,
                                     double latencyMs, const QDateTime &time)
{
    m_usageEvents.append(
        QJsonObject{{u"id"_s, int(m_usageEvents.size()) + 1},
                    {u"timestamp"_s, QString(time.toUTC().toString(u"yyyy-MM-ddTHH:mm:ss.zzz000"_s) + u"+00:00"_s)},
                    {u"threadId"_s, QString()},
                    {u"agentId"_s, agent},
                    {u"model"_s, model},
                    {u"provider"_s, u"ollama"_s},
                    {u"promptTokens"_s, prompt},
                    {u"completionTokens"_s, completion},
                    {u"totalTokens"_s, prompt + completion},
                    {u"latencyMs"_s, latencyMs},
                    {u"estimatedCost"_s, QJsonValue::Null}, // a model without a price
                    {u"metadata"_s, QJsonObject()}});
}

QString FakeOriginalServer::threadStatus(const QString &threadId) const
{
    return m_threads.value(threadId).value(u"status"_s).toString();
}

QString FakeOriginalServer::agentState(const QString &agent) const
{
    return m_agentStates.value(agent);
}

// --- HTTP ---------------------------------------------------------------------------------------------

void FakeOriginalServer::accept()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadable(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void FakeOriginalServer::onReadable(QTcpSocket *socket)
{
    if (!m_buffers.contains(socket) && socket->peek(8).startsWith("GET /ws ")) {
        // The WebSocket upgrade goes to the WebSocket server, unread.
        disconnect(socket, nullptr, this, nullptr);
        m_webSockets->handleConnection(socket);
        return;
    }
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    while (true) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        qsizetype length = 0;
        for (const QByteArray &line : lines) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        if (buffer.size() < end + 4 + length)
            return;
        Request request;
        const QList<QByteArray> first = lines.first().trimmed().split(' ');
        request.method = first.value(0);
        const QUrl url(QString::fromLatin1(first.value(1)));
        request.path = url.path();
        for (const auto &[key, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded))
            request.query.insert(key, value);
        request.body = buffer.mid(end + 4, length);
        buffer.remove(0, end + 4 + length);
        ++m_requests[request.path];
        const Reply reply = answer(request);
        const QByteArray body = QJsonDocument(reply.json).toJson(QJsonDocument::Compact);
        QByteArray head = "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reasonPhrase(reply.status) + "\r\n";
        head += "content-type: application/json\r\ncontent-length: " + QByteArray::number(body.size()) + "\r\n";
        if (reply.status == 405)
            head += "allow: GET\r\n";
        socket->write(head + "\r\n" + body);
    }
}

FakeOriginalServer::Reply FakeOriginalServer::answer(const Request &request)
{
    if (request.method == "GET")
        return get(request);
    if (request.method == "POST")
        return post(request);
    return {405, detail(u"Method Not Allowed"_s)};
}

QJsonObject FakeOriginalServer::page(const QString &key, const QJsonArray &all, const Request &request,
                                     int defaultLimit)
{
    const int limit = request.query.value(u"limit"_s, QString::number(defaultLimit)).toInt();
    const int offset = request.query.value(u"offset"_s, u"0"_s).toInt();
    QJsonArray items;
    for (int i = offset; i < all.size() && i < offset + limit; ++i)
        items.append(all.at(i));
    return QJsonObject{
        {key, items}, {u"count"_s, items.size()}, {u"total"_s, all.size()}, {u"offset"_s, offset}, {u"limit"_s, limit}};
}

QJsonObject FakeOriginalServer::organismJson() const
{
    int active = 0;
    for (const QJsonObject &thread : m_threads)
        active += thread.value(u"status"_s).toString() == u"active";
    return QJsonObject{{u"name"_s, u"hello-world"_s},
                       {u"status"_s, m_status},
                       {u"uptimeSeconds"_s, m_uptimeBase + m_uptime.elapsed() / 1000.0},
                       {u"agentCount"_s, int(kAgents.size())},
                       {u"activeThreads"_s, active},
                       {u"totalMessages"_s, int(m_messages.size())},
                       {u"identityConfigured"_s, false}};
}

QJsonObject FakeOriginalServer::agentJson(const QString &name) const
{
    return QJsonObject{{u"name"_s, name},
                       {u"description"_s, u"The %1"_s.arg(name)},
                       {u"isAgent"_s, name == u"greeter"},
                       {u"peers"_s, QJsonArray()},
                       {u"payloadClass"_s, u"handlers.hello.Greeting"_s},
                       {u"state"_s, m_agentStates.value(name)},
                       {u"currentThread"_s, QJsonValue::Null},
                       {u"queueDepth"_s, 0},
                       {u"lastActivity"_s, QJsonValue::Null},
                       {u"messageCount"_s, m_agentMessages.value(name)}};
}

QJsonObject FakeOriginalServer::capabilityJson(const QString &name, bool withDetail) const
{
    QJsonObject json{{u"name"_s, name},
                     {u"description"_s, u"The %1"_s.arg(name)},
                     {u"isAgent"_s, name == u"greeter"},
                     {u"peers"_s, QJsonArray()},
                     {u"rootTag"_s, QString(name + u".greeting"_s)}};
    if (withDetail) {
        json[u"payloadClass"_s] = u"handlers.hello.Greeting"_s;
        json[u"schemaXsd"_s] = QJsonValue::Null; // the original cannot serialise its schema (spec §5.4)
        json[u"exampleXml"_s] = u"<Greeting>\n  <name>...</name>\n</Greeting>"_s;
    }
    return json;
}

QJsonObject FakeOriginalServer::threadJson(const QString &id) const
{
    return m_threads.value(id);
}

FakeOriginalServer::Reply FakeOriginalServer::get(const Request &request)
{
    const QString path = request.path;
    if (path == u"/health")
        return {200,
                QJsonObject{{u"status"_s, u"healthy"_s},
                            {u"organism"_s, u"hello-world"_s},
                            {u"uptime_seconds"_s, organismJson().value(u"uptimeSeconds"_s)}}};
    if (path == u"/openapi.json") {
        // FastAPI's document: what exists, nothing marked as an extension.
        QJsonObject paths;
        const auto operation = [&paths](const QString &route, const QString &method, const QStringList &query = {}) {
            QJsonArray parameters;
            for (const QString &name : query)
                parameters.append(QJsonObject{{u"name"_s, name}, {u"in"_s, u"query"_s}});
            QJsonObject item = paths.value(route).toObject();
            item[method] = QJsonObject{{u"parameters"_s, parameters}};
            paths[route] = item;
        };
        for (const QString &route :
             {u"/api/v1/organism"_s, u"/api/v1/agents"_s, u"/api/v1/capabilities"_s, u"/api/v1/capabilities/{name}"_s,
              u"/api/v1/threads/{thread_id}"_s, u"/api/v1/usage"_s, u"/api/v1/usage/threads"_s})
            operation(route, u"get"_s);
        operation(u"/api/v1/threads"_s, u"get"_s, {u"status"_s, u"agent"_s, u"limit"_s, u"offset"_s});
        operation(u"/api/v1/threads/{thread_id}/messages"_s, u"get"_s, {u"limit"_s, u"offset"_s});
        operation(u"/api/v1/messages"_s, u"get"_s, {u"agent"_s, u"limit"_s, u"offset"_s});
        operation(u"/api/v1/usage/history"_s, u"get"_s,
                  {u"start_time"_s, u"end_time"_s, u"org_id"_s, u"agent_id"_s, u"model"_s, u"limit"_s, u"offset"_s});
        for (const QString &route :
             {u"/api/v1/inject"_s, u"/api/v1/agents/{name}/pause"_s, u"/api/v1/agents/{name}/resume"_s,
              u"/api/v1/threads/{thread_id}/kill"_s, u"/api/v1/organism/stop"_s, u"/api/v1/organism/reload"_s,
              u"/api/v1/usage/reset"_s})
            operation(route, u"post"_s);
        return {200,
                QJsonObject{{u"openapi"_s, u"3.1.0"_s},
                            {u"info"_s, QJsonObject{{u"title"_s, u"AgentServer API"_s}, {u"version"_s, u"1.0.0"_s}}},
                            {u"paths"_s, paths}}};
    }
    if (path == u"/api/v1/organism")
        return {200, organismJson()};
    if (path == u"/api/v1/agents") {
        QJsonArray agents;
        for (const QString &name : kAgents)
            agents.append(agentJson(name));
        return {200, QJsonObject{{u"agents"_s, agents}, {u"count"_s, agents.size()}}};
    }
    if (path == u"/api/v1/capabilities") {
        QJsonArray list;
        QStringList names = kAgents;
        names.sort();
        for (const QString &name : std::as_const(names))
            list.append(capabilityJson(name, false));
        return {200, QJsonObject{{u"capabilities"_s, list}, {u"count"_s, list.size()}}};
    }
    if (path.startsWith(u"/api/v1/capabilities/")) {
        const QString name = path.section(u'/', 4);
        if (!kAgents.contains(name))
            return {404, detail(u"Capability not found: "_s + name)};
        return {200, capabilityJson(name, true)};
    }
    if (path == u"/api/v1/threads") {
        QList<QJsonObject> threads;
        for (const QString &id : m_threadOrder) {
            const QJsonObject thread = m_threads.value(id);
            const QString status = request.query.value(u"status"_s);
            const QString agent = request.query.value(u"agent"_s);
            if (!status.isEmpty() && thread.value(u"status"_s).toString() != status)
                continue;
            if (!agent.isEmpty() && !thread.value(u"participants"_s).toArray().contains(agent))
                continue;
            threads.append(thread);
        }
        std::stable_sort(threads.begin(), threads.end(), [](const QJsonObject &a, const QJsonObject &b) {
            const auto activity = [](const QJsonObject &t) {
                return t.value(u"lastActivity"_s).isNull() ? t.value(u"createdAt"_s).toString()
                                                           : t.value(u"lastActivity"_s).toString();
            };
            return activity(a) > activity(b);
        });
        QJsonArray all;
        for (const QJsonObject &thread : threads)
            all.append(thread);
        return {200, page(u"threads"_s, all, request, 50)};
    }
    if (path.startsWith(u"/api/v1/threads/")) {
        const QString id = path.section(u'/', 4, 4);
        if (!m_threads.contains(id))
            return {404, detail(u"Thread not found: "_s + id)};
        if (path.endsWith(u"/messages")) {
            QJsonArray all;
            for (auto it = m_messages.crbegin(); it != m_messages.crend(); ++it) {
                if (it->value(u"threadId"_s).toString() == id)
                    all.append(*it);
            }
            return {200, page(u"messages"_s, all, request, 50)};
        }
        return {200, threadJson(id)};
    }
    if (path == u"/api/v1/messages") {
        const QString agent = request.query.value(u"agent"_s);
        QJsonArray all;
        for (auto it = m_messages.crbegin(); it != m_messages.crend(); ++it) {
            if (agent.isEmpty() || it->value(u"from"_s).toString() == agent || it->value(u"to"_s).toString() == agent)
                all.append(*it);
        }
        return {200, page(u"messages"_s, all, request, 50)};
    }
    if (path == u"/api/v1/usage") {
        // The original's shapes: no unpricedRequests anywhere, latency only in the totals.
        qint64 prompt = 0, completion = 0;
        double latency = 0;
        QHash<QString, QJsonObject> byAgent, byModel;
        QStringList agents, models;
        for (const QJsonObject &event : m_usageEvents) {
            prompt += event.value(u"promptTokens"_s).toInteger();
            completion += event.value(u"completionTokens"_s).toInteger();
            latency += event.value(u"latencyMs"_s).toDouble();
            for (auto [key, field, map, order] :
                 {std::tuple{event.value(u"agentId"_s).toString(), u"agentId"_s, &byAgent, &agents},
                  std::tuple{event.value(u"model"_s).toString(), u"model"_s, &byModel, &models}}) {
                QJsonObject &row = (*map)[key];
                if (row.isEmpty()) {
                    order->append(key);
                    row = QJsonObject{{field, key},           {u"totalTokens"_s, 0},
                                      {u"promptTokens"_s, 0}, {u"completionTokens"_s, 0},
                                      {u"requestCount"_s, 0}, {u"totalCost"_s, 0.0}};
                }
                row[u"totalTokens"_s] = row.value(u"totalTokens"_s).toInteger()
                    + event.value(u"totalTokens"_s).toInteger();
                row[u"promptTokens"_s] = row.value(u"promptTokens"_s).toInteger()
                    + event.value(u"promptTokens"_s).toInteger();
                row[u"completionTokens"_s] = row.value(u"completionTokens"_s).toInteger()
                    + event.value(u"completionTokens"_s).toInteger();
                row[u"requestCount"_s] = row.value(u"requestCount"_s).toInt() + 1;
            }
        }
        QJsonArray agentRows, modelRows;
        for (const QString &key : std::as_const(agents))
            agentRows.append(byAgent.value(key));
        for (const QString &key : std::as_const(models))
            modelRows.append(byModel.value(key));
        const int requests = int(m_usageEvents.size());
        const QJsonObject totals{{u"totalTokens"_s, prompt + completion},
                                 {u"promptTokens"_s, prompt},
                                 {u"completionTokens"_s, completion},
                                 {u"requestCount"_s, requests},
                                 {u"totalCost"_s, 0.0},
                                 {u"avgLatencyMs"_s, requests ? latency / requests : 0.0}};
        return {200,
                QJsonObject{{u"usage"_s,
                             QJsonObject{{u"totals"_s, totals},
                                         {u"byAgent"_s, agentRows},
                                         {u"byModel"_s, modelRows},
                                         {u"activeThreads"_s, 0}}}}};
    }
    if (path == u"/api/v1/usage/threads")
        return {200, QJsonObject{{u"threads"_s, QJsonArray()}, {u"count"_s, 0}, {u"defaultMaxTokens"_s, 100000}}};
    if (path == u"/api/v1/usage/history") {
        // Newest first; start_time and end_time compared as text, as the original does; agent_id and
        // model exact.
        const QString start = request.query.value(u"start_time"_s);
        const QString end = request.query.value(u"end_time"_s);
        const QString agent = request.query.value(u"agent_id"_s);
        const QString model = request.query.value(u"model"_s);
        QJsonArray all;
        for (auto it = m_usageEvents.crbegin(); it != m_usageEvents.crend(); ++it) {
            const QString time = it->value(u"timestamp"_s).toString();
            if ((!start.isEmpty() && time < start) || (!end.isEmpty() && time > end))
                continue;
            if ((!agent.isEmpty() && it->value(u"agentId"_s).toString() != agent)
                || (!model.isEmpty() && it->value(u"model"_s).toString() != model))
                continue;
            all.append(*it);
        }
        QJsonObject reply = page(u"events"_s, all, request, 100);
        return {200, reply};
    }
    return {404, detail(u"Not Found"_s)};
}

FakeOriginalServer::Reply FakeOriginalServer::post(const Request &request)
{
    const QString path = request.path;
    if (path == u"/api/v1/inject") {
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        const QString to = body.value(u"to"_s).toString();
        if (!kAgents.contains(to))
            return {400, detail(u"Unknown target agent: "_s + to)};
        QString thread = body.value(u"threadId"_s).toString();
        if (thread.isEmpty())
            thread = uuid();
        // Recorded, never injected into the pump (spec §5.13); `from` is always "api".
        const QString id = recordMessage(thread, u"api"_s, to, body.value(u"payload"_s).toObject());
        return {200, QJsonObject{{u"threadId"_s, thread}, {u"messageId"_s, id}}};
    }
    if (path.startsWith(u"/api/v1/agents/")) {
        const QString name = path.section(u'/', 4, 4);
        if (!m_agentStates.contains(name))
            return {404, detail(u"Agent not found: "_s + name)};
        const bool pause = path.endsWith(u"/pause");
        m_agentStates[name] = pause ? u"paused"_s : u"idle"_s; // a label: nothing is held
        return {200, QJsonObject{{u"success"_s, true}, {u"agent"_s, name}, {u"state"_s, m_agentStates.value(name)}}};
    }
    if (path.startsWith(u"/api/v1/threads/") && path.endsWith(u"/kill")) {
        const QString id = path.section(u'/', 4, 4);
        if (!m_threads.contains(id))
            return {404, detail(u"Thread not found: "_s + id)};
        m_threads[id][u"status"_s] = u"killed"_s; // a label: nothing is cancelled
        return {200, QJsonObject{{u"success"_s, true}, {u"threadId"_s, id}}};
    }
    if (path == u"/api/v1/organism/stop") {
        m_status = u"stopping"_s; // for good: nothing stops (spec §5.16)
        return {200, QJsonObject{{u"success"_s, true}, {u"status"_s, u"stopping"_s}}};
    }
    if (path == u"/api/v1/usage/reset") {
        m_usageEvents.clear();
        return {200, QJsonObject{{u"success"_s, true}, {u"message"_s, u"Usage tracking reset"_s}}};
    }
    return {404, detail(u"Not Found"_s)};
}

// --- WebSocket ----------------------------------------------------------------------------------------

void FakeOriginalServer::onWebSocket()
{
    while (QWebSocket *socket = m_webSockets->nextPendingConnection()) {
        ++m_webSocketConnections;
        socket->setParent(this);
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QWebSocket::textMessageReceived, socket, [socket](const QString &text) {
            const QString command = QJsonDocument::fromJson(text.toUtf8()).object().value(u"cmd"_s).toString();
            socket->sendTextMessage(
                QString::fromUtf8(QJsonDocument(QJsonObject{{u"event"_s, u"error"_s},
                                                            {u"error"_s, QString(u"Unknown command: "_s + command)}})
                                      .toJson(QJsonDocument::Compact)));
        });
        if (m_mode == WebSocket::DropsBeforeSnapshot && !m_threads.isEmpty()) {
            // json.dumps fails on the datetimes of the snapshot: the connection just goes.
            socket->abort();
            continue;
        }
        QJsonArray agents;
        for (const QString &name : kAgents)
            agents.append(agentJson(name));
        QJsonArray threads;
        for (const QString &id : m_threadOrder)
            threads.append(m_threads.value(id));
        socket->sendTextMessage(QString::fromUtf8(QJsonDocument(QJsonObject{{u"event"_s, u"connected"_s},
                                                                            {u"organism"_s, organismJson()},
                                                                            {u"agents"_s, agents},
                                                                            {u"threads"_s, threads}})
                                                      .toJson(QJsonDocument::Compact)));
        m_clients.append(socket);
    }
}

// The first push with a datetime in it fails; the original then drops the client from its broadcast set
// while the socket stays open: one message, then nothing of any kind.
void FakeOriginalServer::push(const QJsonObject &event)
{
    const QList<QPointer<QWebSocket>> clients = std::exchange(m_clients, {});
    for (const QPointer<QWebSocket> &client : clients) {
        if (client)
            client->sendTextMessage(QString::fromUtf8(QJsonDocument(event).toJson(QJsonDocument::Compact)));
    }
}

} // namespace agentdesk::test
