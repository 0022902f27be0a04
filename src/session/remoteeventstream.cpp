#include "remoteeventstream.h"

#include "remotehttp.h"

#include "eventparser.h"
#include "llmjson.h"
#include "usageparser.h"
#include "threadparser.h"

#include <QJsonObject>
#include <QLoggingCategory>

#include <algorithm>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcRemote)

namespace agentdesk {

namespace {
// Servers that send no thread_created: the ids seen, to announce new threads; forgotten past this.
constexpr qsizetype kMaxKnownThreads = 200000;
constexpr qsizetype kMaxThreadStatuses = 20000;
} // namespace

RemoteEventStream::RemoteEventStream(const Session &session, RemoteHttp *http, const wire::PayloadLayout *layout,
                                     QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_http(http)
    , m_layout(layout)
{ }

void RemoteEventStream::restart(qint64 lastSeq, bool announcesThreads, const QList<ThreadInfo> &knownThreads)
{
    clear();
    m_lastSeq = lastSeq;
    m_announcesThreads = announcesThreads;
    m_knownThreads.clear();
    if (!announcesThreads) {
        for (const ThreadInfo &thread : knownThreads)
            m_knownThreads.insert(thread.id);
    }
    m_threadStatus.clear();
}

void RemoteEventStream::clear()
{
    ++m_epoch;
    m_batch = {};
}

void RemoteEventStream::onFrame(const QJsonObject &frame)
{
    switch (wire::wsEventType(frame)) {
    case wire::WsEventType::Message:
        if (const auto message = wire::parseMessageEvent(frame, m_layout))
            onMessage(*message);
        break;
    case wire::WsEventType::AgentState:
        if (const auto change = wire::parseAgentStateEvent(frame))
            onAgentState(*change);
        break;
    case wire::WsEventType::ThreadCreated:
        if (const auto thread = wire::parseThreadCreatedEvent(frame))
            onThreadCreated(*thread);
        break;
    case wire::WsEventType::ThreadUpdated:
        if (const auto change = wire::parseThreadUpdatedEvent(frame))
            onThreadUpdated(*change);
        break;
    case wire::WsEventType::Error: {
        ErrorEvent error = wire::parseErrorEvent(frame);
        if (!error.timestamp.isValid())
            error.timestamp = QDateTime::currentDateTimeUtc();
        m_batch.errors.append(error);
        emit changed();
        break;
    }
    case wire::WsEventType::CommandError: {
        // The original has no ping command: its "Unknown command" reply answers it just as well.
        const QString text = wire::parseErrorEvent(frame).error;
        if (text == u"Unknown command: ping")
            emit pong();
        else
            qCWarning(lcRemote).noquote() << "the server refused a command:" << text;
        return;
    }
    case wire::WsEventType::Pong:
        emit pong();
        return;
    case wire::WsEventType::Reload:
        emit reloadAnnounced(wire::parseReloadEvent(frame));
        return;
    case wire::WsEventType::Budget:
        if (const auto event = wire::parseBudgetEvent(frame)) {
            m_batch.budgets.append(*event);
            emit budgetsChanged();
        }
        break;
    case wire::WsEventType::Organism:
        // A stop or start made elsewhere, saturation, the history's health: nothing else announces them.
        if (const auto info = wire::parseOrganismEvent(frame)) {
            pendingOrganism() = *info;
            emit changed(); // the agent list and counters follow from REST in the next round
        }
        break;
    case wire::WsEventType::LlmDelta:
        // Live text goes straight through: it is not part of any snapshot the batch keeps in order.
        if (const auto partial = wire::parseLlmDeltaEvent(frame))
            emit partials({*partial});
        return;
    case wire::WsEventType::Connected:
    case wire::WsEventType::Subscribed:
    case wire::WsEventType::Injected:
    case wire::WsEventType::Unknown:
        return;
    }
    scheduleFlush();
}

void RemoteEventStream::addMessage(const MessageRecord &message)
{
    onMessage(message);
}

void RemoteEventStream::onMessage(const MessageRecord &message)
{
    if (message.seq > 0 && message.seq <= m_lastSeq && m_session.updateMode() == UpdateMode::Polling)
        return; // read by an earlier round
    m_lastSeq = std::max(m_lastSeq, message.seq);
    // Servers without thread_created (the original): a thread never seen before is new, and is
    // announced before its first message as the Session promises.
    if (!m_announcesThreads && !m_knownThreads.contains(message.threadId)) {
        if (m_knownThreads.size() >= kMaxKnownThreads)
            m_knownThreads.clear();
        m_knownThreads.insert(message.threadId);
        ThreadInfo thread;
        thread.id = message.threadId;
        thread.participants = {message.from, message.to};
        thread.createdAt = message.timestamp;
        thread.lastActivity = message.timestamp;
        m_batch.created.append(thread);
        ++pendingOrganism().activeThreads;
    }
    m_batch.messages.append(message);
    // seq is the global 1-based message counter: the total is at least that.
    OrganismInfo &organism = pendingOrganism();
    organism.totalMessages = std::max(organism.totalMessages, message.seq);
    // The count is the sender's (spec §7.3).
    if (AgentInfo *sender = pendingAgent(message.from)) {
        ++sender->messageCount;
        sender->lastActivity = message.timestamp;
    }
    emit changed();
}

void RemoteEventStream::onAgentState(const wire::AgentStateChange &change)
{
    emit changed();
    AgentInfo *agent = pendingAgent(change.agent);
    if (!agent)
        return; // not known yet (a reload is on its way): the next re-read brings it
    agent->state = change.state;
    agent->currentThread = change.currentThread;
    agent->lastActivity = QDateTime::currentDateTimeUtc(); // what the server's state layer does
}

void RemoteEventStream::onThreadCreated(const ThreadInfo &thread)
{
    if (!m_announcesThreads)
        m_knownThreads.insert(thread.id);
    m_batch.created.append(thread);
    if (thread.status == ThreadStatus::Active)
        ++pendingOrganism().activeThreads;
    emit changed();
}

void RemoteEventStream::onThreadUpdated(const wire::ThreadStatusChange &change)
{
    ThreadInfo thread;
    thread.id = change.threadId;
    thread.status = change.status;
    thread.messageCount = change.messageCount;
    thread.lastActivity = QDateTime::currentDateTimeUtc();
    emit changed();
    if (change.status != ThreadStatus::Error) {
        m_batch.updated.append(thread);
        return;
    }
    // The event carries no error text: the thread itself does.
    const QString path = u"/api/v1/threads/"_s + RemoteHttp::pathSegment(change.threadId);
    m_http->get(path, {}, [this, thread, epoch = m_epoch](const RemoteHttp::Response &response) {
        if (epoch != m_epoch)
            return;
        ThreadInfo updated = thread;
        if (const auto info = response.ok() && response.json ? wire::parseThreadInfo(*response.json) : std::nullopt)
            updated = *info;
        m_batch.updated.append(updated);
        scheduleFlush();
    });
}

void RemoteEventStream::addPolledThreads(const QList<ThreadInfo> &threads)
{
    if (m_threadStatus.size() > kMaxThreadStatuses)
        m_threadStatus.clear();
    for (const ThreadInfo &thread : threads) {
        const auto known = m_threadStatus.constFind(thread.id);
        const bool changed = known != m_threadStatus.cend() && *known != thread.status;
        m_threadStatus.insert(thread.id, thread.status);
        if (!changed)
            continue;
        m_batch.updated.append(thread);
        if (*known == ThreadStatus::Active && thread.status != ThreadStatus::Active)
            --pendingOrganism().activeThreads;
    }
}

void RemoteEventStream::skipTo(qint64 seq)
{
    m_lastSeq = seq;
    m_batch = {};
}

AgentInfo *RemoteEventStream::pendingAgent(const QString &name)
{
    const auto row = m_batch.agentRows.constFind(name);
    if (row != m_batch.agentRows.cend())
        return &m_batch.agents[*row];
    const std::optional<AgentInfo> cached = m_session.agent(name);
    if (!cached)
        return nullptr;
    m_batch.agentRows.insert(name, m_batch.agents.size());
    m_batch.agents.append(*cached);
    return &m_batch.agents.last();
}

OrganismInfo &RemoteEventStream::pendingOrganism()
{
    if (!m_batch.organism)
        m_batch.organism = m_session.organism();
    return *m_batch.organism;
}

void RemoteEventStream::scheduleFlush()
{
    if (m_flushQueued)
        return;
    m_flushQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_flushQueued = false;
            emit flushDue();
        },
        Qt::QueuedConnection);
}

} // namespace agentdesk
