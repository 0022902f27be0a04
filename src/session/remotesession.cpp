#include "remotesession.h"

#include "remotecommands.h"
#include "remoteconnection.h"
#include "remoteeventstream.h"
#include "remotehttp.h"
#include "remotepingfence.h"
#include "remotequeries.h"
#include "remoteresync.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <algorithm>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcRemote, "agentdesk.session.remote")

namespace agentdesk {

namespace {

QString notConnectedText()
{
    return QCoreApplication::translate("agentdesk::RemoteSession", "not connected to the server");
}

} // namespace

RemoteSession::RemoteSession(const QUrl &baseUrl, const QString &apiKey, QObject *parent)
    : Session(parent)
    , m_baseUrl(baseUrl)
    , m_http(new RemoteHttp(baseUrl, apiKey.toUtf8(), this))
    , m_connection(new RemoteConnection(m_http, baseUrl, apiKey.toUtf8(), this))
{
    m_fence = new RemotePingFence(
        {[this] { return m_connection->hasSocket(); }, [this](const QString &text) { m_connection->send(text); }},
        [this](QObject *context, std::function<void()> call) { deliver(context, std::move(call)); }, this);
    m_stream = new RemoteEventStream(*this, m_http, &m_layout, this);
    m_queries = new RemoteQueries(*this, m_http, m_connection, m_fence, &m_layout, this);
    m_resync = new RemoteResync(
        *this, m_http, m_connection, m_stream, m_fence,
        [this](const MessageQuery &query, RemoteResync::MessagesRead done) {
            m_queries->readMessages(query, std::move(done));
        },
        this);
    m_queries->setResync(m_resync);
    m_commands = new RemoteCommands(*this, m_http, m_fence, m_resync, this);
    wireConnection();
    wireEvents();
    wireResync();
}

RemoteSession::~RemoteSession()
{
    m_queries->dropAnswers();
    m_commands->dropAnswers();
    m_http->abortAll();
    m_connection->close();
}

void RemoteSession::wireConnection()
{
    connect(m_connection, &RemoteConnection::attemptStarted, this, [this] { setState(State::Connecting); });
    connect(m_connection, &RemoteConnection::established, this, &RemoteSession::onEstablished);
    connect(m_connection, &RemoteConnection::frameReceived, m_stream, &RemoteEventStream::onFrame);
    connect(m_connection, &RemoteConnection::socketLost, this, [this] {
        flushEvents(); // what arrived before the loss is real
        m_fence->stopKeepAlive();
    });
    connect(m_connection, &RemoteConnection::pushLost, this, &RemoteSession::switchToPolling);
    connect(m_connection, &RemoteConnection::failed, this, &RemoteSession::onFailed);
}

void RemoteSession::wireEvents()
{
    connect(m_stream, &RemoteEventStream::flushDue, this, &RemoteSession::flushEvents);
    connect(m_stream, &RemoteEventStream::changed, m_resync, &RemoteResync::markChanged);
    connect(m_stream, &RemoteEventStream::budgetsChanged, m_resync, &RemoteResync::markBudgetsChanged);
    connect(m_stream, &RemoteEventStream::pong, m_fence, &RemotePingFence::onPong);
    connect(m_stream, &RemoteEventStream::reloadAnnounced, m_resync, &RemoteResync::reload);
    connect(m_stream, &RemoteEventStream::partials, this, &Session::llmPartials);
    connect(m_fence, &RemotePingFence::flushDue, this, &RemoteSession::flushEvents);
}

void RemoteSession::wireResync()
{
    connect(m_resync, &RemoteResync::batchDue, this, &RemoteSession::flushEvents);
    connect(m_resync, &RemoteResync::organismRead, this, &RemoteSession::replaceOrganism);
    connect(m_resync, &RemoteResync::agentsReplaced, this, &RemoteSession::replaceAgents);
    connect(m_resync, &RemoteResync::agentsChanged, this, &RemoteSession::applyAgentChanges);
    connect(m_resync, &RemoteResync::capabilitiesReplaced, this, &RemoteSession::applyCapabilities);
    connect(m_resync, &RemoteResync::usageRead, this, &RemoteSession::replaceUsage);
    connect(m_resync, &RemoteResync::usageRecorded, this, &Session::usageRecorded);
    connect(m_resync, &RemoteResync::budgetsRead, this, &RemoteSession::replaceBudgets);
    connect(m_resync, &RemoteResync::scopeBudgetsRead, this, &RemoteSession::replaceScopeBudgets);
    connect(m_resync, &RemoteResync::backendsRead, this, &RemoteSession::replaceLlmBackends);
    connect(m_resync, &RemoteResync::reloaded, this, &Session::reloaded);
    connect(m_resync, &RemoteResync::resynchronized, this, &Session::resynchronized);
    connect(m_resync, &RemoteResync::pushStalled, this, &RemoteSession::switchToPolling);
    connect(m_commands, &RemoteCommands::budgetsRead, this, &RemoteSession::replaceBudgets);
    connect(m_commands, &RemoteCommands::scopeBudgetsRead, this, &RemoteSession::replaceScopeBudgets);
    connect(m_commands, &RemoteCommands::usageRead, this, &RemoteSession::replaceUsage);
}

QString RemoteSession::endpoint() const
{
    return u"remote: "_s + m_baseUrl.toDisplayString(QUrl::RemoveUserInfo);
}

bool RemoteSession::isReconnecting() const
{
    return m_connection->isWaitingToRetry();
}

const wire::ApiDescription &RemoteSession::serverDescription() const
{
    return m_connection->features().api;
}

// --- connecting -------------------------------------------------------------------------------------

void RemoteSession::open()
{
    m_connection->open();
}

void RemoteSession::close()
{
    if (m_connection->isIdle() && state() == State::Disconnected)
        return;
    m_queries->dropAnswers();
    m_commands->dropAnswers();
    m_connection->close();
    m_fence->clear();
    m_resync->stop();
    m_http->abortAll();
    m_stream->clear();
    setState(State::Disconnected);
}

void RemoteSession::onEstablished(const Snapshot &established, const QList<ThreadInfo> &threads, UpdateMode mode)
{
    Snapshot snapshot = established;
    snapshot.agents = RemoteResync::withCapabilityData(snapshot.agents, snapshot.capabilities);
    learnLayout(snapshot.capabilities);
    // The stream (or the polling) starts after what the snapshot counted.
    m_stream->restart(snapshot.organism.totalMessages, m_connection->features().api.agentdesk, threads);
    m_fence->restart(mode == UpdateMode::Push);
    m_resync->start(snapshot.recentUsage.isEmpty() ? 0 : snapshot.recentUsage.first().id);
    setUpdateMode(mode);
    connectWith(snapshot);
}

void RemoteSession::onFailed(const QString &reason, bool willRetry)
{
    m_fence->stopKeepAlive();
    m_resync->stop();
    m_stream->clear();
    // Answers that were only waiting for the ping are as good as they were.
    m_fence->releaseAll();
    qCInfo(lcRemote).noquote() << endpoint() << "disconnected:" << reason << (willRetry ? "(will retry)" : "");
    setState(State::Disconnected, reason);
}

void RemoteSession::switchToPolling(const QString &why)
{
    if (updateMode() == UpdateMode::Polling)
        return;
    qCWarning(lcRemote).noquote() << endpoint() << "live updates unavailable (" << why << "): polling";
    m_connection->dropSocket();
    m_fence->stopKeepAlive();
    // Answers held for a ping that will never come are as good as they were.
    m_fence->releaseAll();
    m_resync->forgetStaleness();
    setUpdateMode(UpdateMode::Polling);
    m_resync->markChanged();
    m_resync->sync();
}

// Everything since the last flush as one batch per kind, in the order the organism emits them. (Usage
// events are not pushed: usageRecorded comes from the history with the re-reads.)
void RemoteSession::flushEvents()
{
    const RemoteEventStream::Batch batch = m_stream->take();
    const quint64 attempt = m_connection->attempt();
    // A receiver may close the session: stop as soon as it did.
    const auto live = [this, attempt] { return m_connection->isCurrent(attempt); };
    if (!live())
        return;
    if (!batch.created.isEmpty())
        emit threadsCreated(batch.created);
    if (live() && !batch.messages.isEmpty())
        emit messagesRecorded(batch.messages);
    if (live() && !batch.agents.isEmpty())
        applyAgentChanges(batch.agents);
    if (live() && !batch.updated.isEmpty())
        emit threadsUpdated(batch.updated);
    if (live() && !batch.errors.isEmpty())
        emit errorsRaised(batch.errors);
    if (live() && !batch.budgets.isEmpty())
        emit budgetEvents(batch.budgets);
    if (live() && batch.organism)
        replaceOrganism(*batch.organism);
    if (live() && m_resync->budgetsChanged())
        m_resync->sync(); // a budget event changes the budget list: read it now rather than in 2 s
}

void RemoteSession::learnLayout(const QList<Capability> &capabilities)
{
    m_layout.clear();
    for (const Capability &capability : capabilities)
        m_layout.learn(capability.exampleXml);
}

void RemoteSession::applyCapabilities(const QList<Capability> &capabilities)
{
    learnLayout(capabilities);
    replaceCapabilities(capabilities);
}

// --- queries ----------------------------------------------------------------------------------------

void RemoteSession::fetchThreads(const ThreadQuery &query, QObject *context, ThreadPageReply reply)
{
    if (ensureConnected(context, reply, notConnectedText()))
        m_queries->fetchThreads(query, context, std::move(reply));
}

void RemoteSession::fetchThread(const QString &threadId, QObject *context, ThreadReply reply)
{
    if (ensureConnected(context, reply, notConnectedText()))
        m_queries->fetchThread(threadId, context, std::move(reply));
}

void RemoteSession::fetchMessages(const MessageQuery &query, QObject *context, MessagePageReply reply)
{
    if (ensureConnected(context, reply, notConnectedText()))
        m_queries->fetchMessages(query, context, std::move(reply));
}

void RemoteSession::fetchConversation(const QString &threadId, int limit, QObject *context, MessagePageReply reply)
{
    MessageQuery query;
    query.threadId = threadId;
    query.limit = limit;
    query.newestFirst = true; // the newest `limit`, then turned around
    fetchMessages(query, context, [reply](Result<MessagePage> page) {
        if (page)
            std::reverse(page->items.begin(), page->items.end());
        reply(page);
    });
}

void RemoteSession::fetchTimeline(const QString &threadId, int limit, QObject *context, TraceReply reply)
{
    if (ensureConnected(context, reply, notConnectedText()))
        m_queries->fetchTimeline(threadId, limit, context, std::move(reply));
}

void RemoteSession::fetchUsageBuckets(UsageBucketSize size, UsageGroupBy groupBy, const QDateTime &since,
                                      const QDateTime &until, const UsageSeriesFilter &filter, QObject *context,
                                      UsageBucketsReply reply)
{
    if (ensureConnected(context, reply, notConnectedText()))
        m_queries->fetchUsageBuckets(size, groupBy, since, until, filter, context, std::move(reply));
}

void RemoteSession::fetchHistoryInstances(QObject *context, HistoryInstancesReply reply)
{
    if (ensureConnected(context, reply, notConnectedText()))
        m_queries->fetchHistoryInstances(context, std::move(reply));
}

void RemoteSession::fetchHistoryBilling(QObject *context, HistoryBillingReply reply)
{
    if (ensureConnected(context, reply, notConnectedText()))
        m_queries->fetchHistoryBilling(context, std::move(reply));
}

// --- commands ---------------------------------------------------------------------------------------

void RemoteSession::inject(const InjectRequest &request, QObject *context, InjectReply reply)
{
    if (ensureConnected(context, reply, notConnectedText()))
        m_commands->inject(request, context, std::move(reply));
}

void RemoteSession::branch(const BranchRequest &request, QObject *context, InjectReply reply)
{
    if (ensureConnected(context, reply, notConnectedText()))
        m_commands->branch(request, context, std::move(reply));
}

void RemoteSession::command(const QString &path, QObject *context, Done done)
{
    if (ensureConnected(context, done, notConnectedText()))
        m_commands->command(path, context, std::move(done));
}

void RemoteSession::pauseAgent(const QString &name, QObject *context, Done done)
{
    command(u"/api/v1/agents/"_s + RemoteHttp::pathSegment(name) + u"/pause"_s, context, std::move(done));
}

void RemoteSession::resumeAgent(const QString &name, QObject *context, Done done)
{
    command(u"/api/v1/agents/"_s + RemoteHttp::pathSegment(name) + u"/resume"_s, context, std::move(done));
}

void RemoteSession::killThread(const QString &threadId, QObject *context, Done done)
{
    command(u"/api/v1/threads/"_s + RemoteHttp::pathSegment(threadId) + u"/kill"_s, context, std::move(done));
}

void RemoteSession::retryThread(const QString &threadId, QObject *context, Done done)
{
    command(u"/api/v1/threads/"_s + RemoteHttp::pathSegment(threadId) + u"/retry"_s, context, std::move(done));
}

void RemoteSession::setThreadBudget(const QString &threadId, qint64 maxTokens, QObject *context, Done done)
{
    if (ensureConnected(context, done, notConnectedText()))
        m_commands->setThreadBudget(threadId, maxTokens, context, std::move(done));
}

void RemoteSession::setScopeBudget(const QString &scope, const ScopeBudgetChange &change, QObject *context, Done done)
{
    if (ensureConnected(context, done, notConnectedText()))
        m_commands->setScopeBudget(scope, change, context, std::move(done));
}

void RemoteSession::reloadConfig(QObject *context, ReloadReply reply)
{
    if (ensureConnected(context, reply, notConnectedText()))
        m_commands->reloadConfig(context, std::move(reply));
}

void RemoteSession::stopOrganism(QObject *context, Done done)
{
    if (ensureConnected(context, done, notConnectedText()))
        m_commands->stopOrganism(context, std::move(done));
}

void RemoteSession::resetUsage(QObject *context, Done done)
{
    if (ensureConnected(context, done, notConnectedText()))
        m_commands->resetUsage(context, std::move(done));
}

} // namespace agentdesk
