#include "wshub.h"

#include "apiauth.h"
#include "clienttext.h"
#include "eventjson.h"
#include "jsonwriter.h"
#include "llmjson.h"
#include "messagejson.h"
#include "organism.h"
#include "threadjson.h"
#include "usagejson.h"

#include <QCborValue>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcWs, "agentdesk.api.ws")

namespace agentdesk {

namespace {

QByteArray frameOf(const QCborMap &json)
{
    return WsClient::textFrame(wire::writeJson(json));
}

// The command as the error replies quote it: bounded, since it is echoed.
QString commandName(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull())
        return {};
    const QString name = value.isString() ? value.toString()
                                          : QString::fromUtf8(wire::writeJson(QCborValue::fromJsonValue(value)));
    if (characterCount(name) > kMaxClientTextLength)
        return name.left(kMaxClientTextLength) + u"…"_s;
    return name;
}

QString injectErrorText(const InjectFailure &failure, const QString &to)
{
    switch (failure.kind) {
    case InjectError::UnknownTarget:
        return u"Unknown agent: %1"_s.arg(to);
    case InjectError::InvalidPayload:
        if (!failure.fieldPath.isEmpty())
            return u"Invalid payload at '%1': %2"_s.arg(failure.fieldPath.join(u'.'), failure.message);
        return u"Invalid payload: %1"_s.arg(failure.message);
    case InjectError::QueueFull:
        return u"%1; retry after %2 s"_s.arg(failure.message).arg(std::max(1, failure.retryAfterSeconds));
    case InjectError::NotRunning:
    case InjectError::HistoryUnavailable:
    case InjectError::UnknownMessage:
        break;
    }
    return failure.message;
}

} // namespace

WsHub::WsHub(Organism *organism, const ApiAuth *auth, const Limits &limits, QObject *parent)
    : QObject(parent)
    , m_organism(organism)
    , m_auth(auth)
    , m_limits(limits)
{
    const QList<AgentInfo> agents = organism->agents();
    for (const AgentInfo &agent : agents)
        m_agentStates.insert(agent.name, agent.state);
    connect(organism, &Organism::messagesRecorded, this, &WsHub::onMessages);
    connect(organism, &Organism::agentsChanged, this, &WsHub::onAgents);
    connect(organism, &Organism::threadsCreated, this, &WsHub::onThreadsCreated);
    connect(organism, &Organism::threadsUpdated, this, &WsHub::onThreadsUpdated);
    connect(organism, &Organism::errorsRaised, this, &WsHub::onErrors);
    connect(organism, &Organism::reloaded, this, &WsHub::onReloaded);
    connect(organism, &Organism::budgetEvents, this, &WsHub::onBudgetEvents);
    connect(organism, &Organism::llmPartials, this, &WsHub::onLlmPartials);
    connect(organism, &Organism::statusChanged, this, &WsHub::onOrganismChanged);
    connect(organism, &Organism::historyHealthChanged, this, &WsHub::onOrganismChanged);
}

WsHub::~WsHub()
{
    // Clients are children; make sure none calls back into a half-destroyed hub.
    for (WsClient *client : std::as_const(m_clients))
        client->disconnect(this);
}

void WsHub::closeAll()
{
    const QList<WsClient *> clients = m_clients;
    for (WsClient *client : clients)
        client->closeWith(QWebSocketProtocol::CloseCodeGoingAway, u"server shutting down"_s);
}

void WsHub::refuse(QWebSocket *socket, const QString &reason)
{
    ++m_stats.clientsRefused;
    socket->setParent(this);
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    // Accept, then close with 1013 "try again later" and the reason, so the client can tell why
    // (the original refused the handshake, which clients only see as a bare 403).
    socket->close(QWebSocketProtocol::CloseCode(1013), reason);
    QTimer::singleShot(m_limits.client.closeGraceMs, socket, [socket] { socket->abort(); });
}

void WsHub::addConnection(QWebSocket *socket, QTcpSocket *rawSocket)
{
    const QString path = socket->requestUrl().path();
    if (m_clients.size() >= m_limits.maxClients)
        return refuse(socket, u"max connections reached (%1)"_s.arg(m_limits.maxClients));
    const PeerOwner owner = m_owners.of(socket->peerAddress(), socket->peerPort(), socket->localAddress(),
                                        socket->localPort());
    const auto sameOwner = std::count_if(m_clients.cbegin(), m_clients.cend(),
                                         [&](const WsClient *client) { return client->owner() == owner.key; });
    if (sameOwner >= m_limits.maxClientsPerAddress) {
        qCInfo(lcWs).noquote() << "WebSocket client refused: per-client limit of" << m_limits.maxClientsPerAddress
                               << "reached by" << owner.description;
        return refuse(socket, u"per-client limit reached (%1)"_s.arg(m_limits.maxClientsPerAddress));
    }

    const auto kind = path == u"/ws/messages" ? WsClient::Kind::Messages : WsClient::Kind::Control;
    auto *client = new WsClient(socket, rawSocket, kind, m_limits.client, this);
    client->setOwner(owner.key);
    m_clients.append(client);
    connect(client, &WsClient::textReceived, this, &WsHub::onText);
    connect(client, &WsClient::finished, this, &WsHub::remove);
    if (kind == WsClient::Kind::Control)
        sendSnapshot(client);
}

void WsHub::remove(WsClient *client)
{
    if (m_clients.removeOne(client))
        client->deleteLater();
}

int WsHub::clientCount(WsClient::Kind kind) const
{
    return int(std::count_if(m_clients.cbegin(), m_clients.cend(),
                             [kind](const WsClient *client) { return client->kind() == kind; }));
}

bool WsHub::hasClients(WsClient::Kind kind) const
{
    return std::any_of(m_clients.cbegin(), m_clients.cend(),
                       [kind](const WsClient *client) { return client->kind() == kind && client->isOpen(); });
}

void WsHub::sendSnapshot(WsClient *client)
{
    if (!m_organism)
        return;
    ThreadQuery query;
    query.limit = m_limits.snapshotThreads;
    const OrganismInfo info = m_organism->info();
    const QList<AgentInfo> agents = m_organism->agents();
    // Newest threads first, as many as fit in the byte bound: ids and errors stored before the bounds
    // on client strings existed (or long error texts) must not make the frame overflow a client's
    // send queue, which would close every new client at once.
    qint64 budget = m_limits.maxSnapshotBytes - wire::writeJson(wire::connectedEvent(info, agents, {})).size();
    QList<ThreadInfo> threads;
    for (const ThreadInfo &thread : m_organism->threads(query).items) {
        const qint64 size = wire::writeJson(wire::threadInfoJson(thread)).size() + 1;
        if (size > budget)
            continue;
        budget -= size;
        threads.append(thread);
    }
    reply(client, wire::connectedEvent(info, agents, threads));
}

void WsHub::reply(WsClient *client, const QCborMap &frame)
{
    if (client->send(frameOf(frame)))
        ++m_stats.framesQueued;
}

void WsHub::broadcast(const WsEvent &event)
{
    ++m_stats.eventsSerialised;
    // A copy: a client closing during send() may leave m_clients while we iterate.
    const QList<WsClient *> clients = m_clients;
    for (WsClient *client : clients) {
        if (!client->isOpen())
            continue;
        bool queued = false;
        if (client->kind() == WsClient::Kind::Control) {
            if (client->filter().acceptsEvent(event))
                queued = client->send(event.frame);
            else
                continue;
        } else {
            if (event.messageFrame.isEmpty() || !client->filter().acceptsMessage(event))
                continue;
            queued = client->send(event.messageFrame);
        }
        if (queued)
            ++m_stats.framesQueued;
        else if (!client->isOpen())
            ++m_stats.clientsOverflowed;
    }
}

void WsHub::onMessages(const QList<MessageRecord> &batch)
{
    const bool control = hasClients(WsClient::Kind::Control);
    const bool messages = hasClients(WsClient::Kind::Messages);
    if (!control && !messages)
        return;
    for (const MessageRecord &record : batch) {
        const QByteArray json = wire::writeJson(wire::messageInfoJson(record));
        WsEvent event;
        event.name = u"message"_s;
        event.threadId = record.threadId;
        event.from = record.from;
        event.to = record.to;
        event.payloadType = record.payloadType;
        if (control)
            event.frame = WsClient::textFrame(wire::messageEventFrame(json));
        if (messages)
            event.messageFrame = WsClient::textFrame(json);
        broadcast(event);
    }
}

void WsHub::onAgents(const QList<AgentInfo> &changed)
{
    for (const AgentInfo &agent : changed) {
        const auto previous = m_agentStates.constFind(agent.name);
        const AgentState before = previous == m_agentStates.cend() ? AgentState::Idle : *previous;
        m_agentStates.insert(agent.name, agent.state);
        if (before == agent.state || !hasClients(WsClient::Kind::Control))
            continue; // spec §7.5: only a change of the state value is pushed
        WsEvent event;
        event.name = u"agent_state"_s;
        event.agent = agent.name;
        event.threadId = agent.currentThread;
        event.frame = frameOf(wire::agentStateEvent(agent));
        broadcast(event);
    }
}

void WsHub::onThreadsCreated(const QList<ThreadInfo> &created)
{
    if (!hasClients(WsClient::Kind::Control))
        return;
    for (const ThreadInfo &thread : created) {
        WsEvent event;
        event.name = u"thread_created"_s;
        event.threadId = thread.id;
        event.frame = frameOf(wire::threadCreatedEvent(thread));
        broadcast(event);
    }
}

void WsHub::onThreadsUpdated(const QList<ThreadInfo> &updated)
{
    if (!hasClients(WsClient::Kind::Control))
        return;
    for (const ThreadInfo &thread : updated) {
        WsEvent event;
        event.name = u"thread_updated"_s;
        event.threadId = thread.id;
        event.frame = frameOf(wire::threadUpdatedEvent(thread));
        broadcast(event);
    }
}

void WsHub::onErrors(const QList<ErrorEvent> &errors)
{
    if (!hasClients(WsClient::Kind::Control))
        return;
    for (const ErrorEvent &error : errors) {
        WsEvent event;
        event.name = u"error"_s;
        event.threadId = error.threadId;
        event.agent = error.agent;
        event.frame = frameOf(wire::errorEvent(error));
        broadcast(event);
    }
}

void WsHub::onReloaded(const ReloadResult &result)
{
    if (m_organism) {
        const QList<AgentInfo> agents = m_organism->agents();
        QHash<QString, AgentState> states;
        for (const AgentInfo &agent : agents)
            states.insert(agent.name, agent.state);
        m_agentStates = states;
    }
    if (!result)
        return;
    WsEvent event;
    event.name = u"reload"_s;
    event.frame = frameOf(wire::reloadEvent(result));
    broadcast(event);
}

void WsHub::onOrganismChanged()
{
    if (!m_organism || !hasClients(WsClient::Kind::Control))
        return;
    WsEvent event;
    event.name = u"organism"_s;
    event.frame = frameOf(wire::organismEvent(m_organism->info()));
    broadcast(event);
}

// budget_warning / budget_exhausted / budget_raised; filtered like the other events by name, thread
// and (when the event names one) agent.
void WsHub::onBudgetEvents(const QList<BudgetEvent> &events)
{
    if (!hasClients(WsClient::Kind::Control))
        return;
    for (const BudgetEvent &budget : events) {
        WsEvent event;
        event.name = wire::budgetEventName(budget);
        event.threadId = budget.threadId;
        event.agent = budget.agent;
        event.frame = frameOf(wire::budgetEventJson(budget));
        broadcast(event);
    }
}

// llm_delta: streamed reply text (coalesced by the organism to at most 10 a second per call), only
// to the clients that subscribed to it by name; filtered by thread and agent like the others.
void WsHub::onLlmPartials(const QList<LlmPartialEvent> &events)
{
    const bool wanted = std::any_of(m_clients.cbegin(), m_clients.cend(), [](const WsClient *client) {
        return client->kind() == WsClient::Kind::Control && client->filter().events.contains(u"llm_delta"_s);
    });
    if (!wanted)
        return;
    for (const LlmPartialEvent &partial : events) {
        WsEvent event;
        event.name = u"llm_delta"_s;
        event.threadId = partial.threadId;
        event.agent = partial.agent;
        event.frame = frameOf(wire::llmDeltaEventJson(partial));
        broadcast(event);
    }
}

void WsHub::onText(WsClient *client, const QString &text)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        // The original dropped the connection here; a reply says what was wrong instead.
        reply(client, wire::commandErrorEvent(u"Invalid command: expected a JSON object"_s));
        return;
    }
    const QJsonObject command = document.object();
    const QString cmd = commandName(command.value(u"cmd"_s));
    if (cmd == u"ping") {
        reply(client, wire::pongEvent());
        return;
    }
    if (client->kind() == WsClient::Kind::Control)
        onControlCommand(client, command, cmd);
    else
        onMessagesCommand(client, command, cmd);
}

void WsHub::onControlCommand(WsClient *client, const QJsonObject &command, const QString &cmd)
{
    if (cmd == u"subscribe") {
        QString error;
        const auto filter = WsFilter::fromJson(command, &error);
        if (!filter)
            return reply(client, wire::commandErrorEvent(error));
        client->filter() = *filter;
        return reply(client, wire::subscribedEvent(u"filters"_s, QCborValue::fromJsonValue(command)));
    }
    if (cmd == u"inject")
        return inject(client, command);
    reply(client, wire::commandErrorEvent(u"Unknown command: %1"_s.arg(cmd)));
}

void WsHub::onMessagesCommand(WsClient *client, const QJsonObject &command, const QString &cmd)
{
    if (cmd != u"subscribe")
        return reply(client, wire::commandErrorEvent(u"Unknown command: %1"_s.arg(cmd)));
    const QJsonValue given = command.value(u"filter"_s);
    if (!given.isUndefined() && !given.isNull() && !given.isObject())
        return reply(client, wire::commandErrorEvent(u"Invalid filter: 'filter' must be an object"_s));
    QString error;
    const auto filter = WsFilter::fromJson(given.toObject(), &error);
    if (!filter)
        return reply(client, wire::commandErrorEvent(error));
    client->filter() = *filter;
    reply(client,
          wire::subscribedEvent(u"filter"_s, QCborValue::fromJsonValue(given.isObject() ? given : QJsonObject())));
}

void WsHub::inject(WsClient *client, const QJsonObject &command)
{
    // Checks in the original's order: token, then `to`, then the target.
    if (m_auth && m_auth->enabled() && !m_auth->acceptsToken(command.value(u"token"_s).toString()))
        return reply(client, wire::commandErrorEvent(u"Authentication required for inject"_s));
    const QJsonValue to = command.value(u"to"_s);
    if (!to.isString() || to.toString().isEmpty())
        return reply(client, wire::commandErrorEvent(u"Missing 'to' field"_s));
    if (const QString problem = wire::textLengthProblem(to.toString()); !problem.isEmpty())
        return reply(client, wire::commandErrorEvent(u"Invalid 'to' field: %1"_s.arg(problem)));
    const QJsonValue payload = command.value(u"payload"_s);
    if (!payload.isUndefined() && !payload.isNull() && !payload.isObject())
        return reply(client, wire::commandErrorEvent(u"Invalid 'payload' field: expected an object"_s));
    const QJsonValue threadId = command.contains(u"thread_id"_s) ? command.value(u"thread_id"_s)
                                                                 : command.value(u"threadId"_s);
    if (!threadId.isUndefined() && !threadId.isNull() && !threadId.isString())
        return reply(client, wire::commandErrorEvent(u"Invalid 'thread_id' field: expected a string"_s));
    if (const QString id = threadId.toString(); !id.isEmpty()) {
        if (const QString problem = wire::threadIdProblem(id); !problem.isEmpty())
            return reply(client, wire::commandErrorEvent(u"Invalid 'thread_id' field: %1"_s.arg(problem)));
    }
    if (!m_organism)
        return reply(client, wire::commandErrorEvent(u"Organism is not running"_s));

    InjectRequest request;
    request.to = to.toString();
    request.fields = payload.toObject().toVariantMap();
    request.threadId = threadId.toString();
    // Answered once the message is committed, without holding up the engine thread meanwhile; a client
    // gone by then gets nothing (it is the context). The organism emits the recorded message before it
    // acknowledges, so this client sees `message` before `injected` (decision 6).
    m_organism->injectAcknowledged(request, client, [this, client, to = request.to](const InjectResult &result) {
        if (!result)
            return reply(client, wire::commandErrorEvent(injectErrorText(result.error(), to)));
        reply(client, wire::injectedEvent(result->threadId, result->messageId));
    });
}

} // namespace agentdesk
