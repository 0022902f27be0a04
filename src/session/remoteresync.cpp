#include "remoteresync.h"

#include "remoteconnection.h"
#include "remoteeventstream.h"
#include "remotehttp.h"
#include "remotepingfence.h"
#include "remoteusage.h"

#include "agentparser.h"
#include "budgetjson.h"
#include "llmjson.h"
#include "organismparser.h"
#include "threadparser.h"
#include "usageparser.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <algorithm>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcRemote)

namespace agentdesk {

namespace {

using Response = RemoteHttp::Response;

constexpr int kThreadPageLimit = 100; // the API's bound for /threads (spec §5.8)
constexpr int kUsageHistoryPage = 100;

bool sameCounters(const UsageCounters &a, const UsageCounters &b)
{
    return a.key == b.key && a.totalTokens == b.totalTokens && a.promptTokens == b.promptTokens
        && a.completionTokens == b.completionTokens && a.cachedPromptTokens == b.cachedPromptTokens
        && a.requestCount == b.requestCount && a.totalCost == b.totalCost && a.totalLatencyMs == b.totalLatencyMs
        && a.unpricedRequests == b.unpricedRequests;
}

bool sameCounterList(const QList<UsageCounters> &a, const QList<UsageCounters> &b)
{
    return std::equal(a.cbegin(), a.cend(), b.cbegin(), b.cend(), sameCounters);
}

} // namespace

// One round: whatever came back, applied together.
struct RemoteResync::Round
{
    quint64 attempt = 0;
    quint64 reloads = 0; // the agent list read is stale once a reload happened meanwhile
    int pending = 0;
    std::optional<OrganismInfo> organism;
    std::optional<QList<AgentInfo>> agents;
    std::optional<UsageSnapshot> usage;
    std::optional<QList<ThreadBudget>> budgets;
    std::optional<QList<ScopeBudget>> scopeBudgets;
    std::optional<QList<LlmBackendState>> llmBackends;
    std::optional<QList<UsageEvent>> usageEvents;
    // Polling: the events of the round, and what waits for the round to be applied.
    bool polling = false;
    std::optional<MessagePage> messages;
    std::optional<QList<ThreadInfo>> threads;
    QList<std::function<void()>> after;
};

RemoteResync::RemoteResync(const Session &session, RemoteHttp *http, RemoteConnection *connection,
                           RemoteEventStream *stream, RemotePingFence *fence, ReadMessages readMessages,
                           QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_http(http)
    , m_connection(connection)
    , m_stream(stream)
    , m_fence(fence)
    , m_readMessages(std::move(readMessages))
{
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &RemoteResync::sync);
}

void RemoteResync::start(qint64 lastUsageEventId)
{
    m_lastUsageEventId = lastUsageEventId;
    m_reloading = false;
    m_aheadOf = -1;
    m_nextRound.clear();
    m_timer.start();
    m_dirty = true; // usage and budgets were read before the stream began: read them again soon
}

void RemoteResync::stop()
{
    m_timer.stop();
    m_inFlight = false;
}

void RemoteResync::sync()
{
    if (!m_connection->isLive() || m_inFlight)
        return;
    const bool polling = m_session.updateMode() == UpdateMode::Polling;
    // Starting and stopping end by themselves, without an event: follow them.
    const OrganismStatus status = m_session.organism().status;
    const bool moving = status == OrganismStatus::Starting || status == OrganismStatus::Stopping;
    const bool everything = polling || m_dirty || moving;
    const bool budgetsDirty = m_budgetsDirty;
    m_dirty = false;
    m_budgetsDirty = false;
    m_inFlight = true;
    auto round = std::make_shared<Round>();
    round->attempt = m_connection->attempt();
    round->reloads = m_reloads;
    round->polling = polling;
    round->after = std::exchange(m_nextRound, {});
    const RemoteServerFeatures &features = m_connection->features();
    // A read may start another (the history after the counters): the round ends when none is left.
    const auto finished = [this, round] {
        if (--round->pending == 0)
            m_fence->deliverAfterPing({}, [this, round] { apply(round); });
    };
    const auto read = [this, round, finished](const QString &path, const QUrlQuery &query,
                                              std::function<void(const QJsonObject &json)> apply) {
        ++round->pending;
        m_http->get(path, query, [this, round, apply, finished](const Response &response) {
            if (round->attempt != m_connection->attempt())
                return;
            if (response.ok() && response.json)
                apply(*response.json);
            finished();
        });
    };
    // Even when nothing announced a change, the organism is read: a message total ahead of what the
    // stream brought means the stream stalled.
    read(u"/api/v1/organism"_s, {},
         [round](const QJsonObject &json) { round->organism = wire::parseOrganismInfo(json); });
    if (everything) {
        read(u"/api/v1/agents"_s, {}, [round](const QJsonObject &json) { round->agents = wire::parseAgentList(json); });
        if (features.usage) {
            read(u"/api/v1/usage"_s, {}, [round, read, history = features.usageHistory](const QJsonObject &json) {
                if (const auto usage = wire::parseUsageSnapshot(json))
                    round->usage = remoteusage::completed(*usage, json);
                // Read after the counters, the history holds every call they count.
                if (round->usage && history) {
                    read(u"/api/v1/usage/history"_s, QUrlQuery{{u"limit"_s, QString::number(kUsageHistoryPage)}},
                         [round](const QJsonObject &page) {
                             if (const auto events = wire::parseUsageHistory(page))
                                 round->usageEvents = events->items;
                         });
                }
            });
        }
    }
    if (features.threadBudgets && (everything || budgetsDirty))
        read(u"/api/v1/usage/threads"_s, {}, [round](const QJsonObject &json) {
            if (const auto list = wire::parseThreadBudgetList(json))
                round->budgets = list->budgets;
        });
    if (features.scopeBudgets && (everything || budgetsDirty))
        read(u"/api/v1/usage/budgets"_s, {},
             [round](const QJsonObject &json) { round->scopeBudgets = wire::parseScopeBudgetList(json); });
    // The backends' state moves with the clock (rate-limit waits, token buckets): every round.
    if (features.backends)
        read(u"/api/v1/llm/backends"_s, {},
             [round](const QJsonObject &json) { round->llmBackends = wire::parseLlmBackends(json); });
    if (polling) {
        // What /ws would have pushed: the messages after the newest one shown, oldest first, and the
        // statuses of the most recently active threads.
        MessageQuery newer;
        newer.afterSeq = m_stream->lastSeq();
        newer.newestFirst = false;
        newer.limit = kPollMessages;
        ++round->pending;
        m_readMessages(newer, [this, round, finished](const Result<MessagePage> &page) {
            if (round->attempt != m_connection->attempt())
                return;
            if (page)
                round->messages = *page;
            finished();
        });
        read(u"/api/v1/threads"_s, QUrlQuery{{u"limit"_s, QString::number(kThreadPageLimit)}},
             [round](const QJsonObject &json) {
                 if (const auto page = wire::parseThreadPage(json))
                     round->threads = page->items;
             });
    }
}

void RemoteResync::afterNextRound(std::function<void()> call)
{
    m_nextRound.append(std::move(call));
    sync(); // now, unless a round is in flight: then right after it
}

void RemoteResync::apply(const std::shared_ptr<Round> &round)
{
    m_inFlight = false;
    if (!m_connection->isCurrent(round->attempt))
        return;
    if (round->polling) {
        applyPolledMessages(round);
        if (round->threads)
            m_stream->addPolledThreads(*round->threads);
        emit batchDue();
        if (!m_connection->isCurrent(round->attempt))
            return; // a receiver closed the session
    }
    if (round->organism) {
        OrganismInfo info = *round->organism;
        if (!round->polling)
            checkFreshness(info);
        // Messages that arrived after the server answered are counted already.
        info.totalMessages = std::max(info.totalMessages, m_session.organism().totalMessages);
        if (!sameOrganism(info, m_session.organism()))
            emit organismRead(info);
    }
    if (round->agents && round->reloads == m_reloads && !m_reloading)
        applyAgents(withCapabilityData(*round->agents, m_session.capabilities()));
    if (round->usageEvents)
        applyUsageEvents(*round->usageEvents);
    if (round->usage && !sameUsage(*round->usage, m_session.usage()))
        emit usageRead(*round->usage);
    if (round->budgets && !sameBudgets(*round->budgets, m_session.budgets()))
        emit budgetsRead(*round->budgets);
    if (round->scopeBudgets && *round->scopeBudgets != m_session.scopeBudgets())
        emit scopeBudgetsRead(*round->scopeBudgets);
    if (round->llmBackends)
        emit backendsRead(*round->llmBackends);
    for (const std::function<void()> &call : std::as_const(round->after)) {
        if (round->attempt != m_connection->attempt())
            return;
        call();
    }
    // A full page of messages: more are waiting. Or someone waits for a round that has not begun.
    const bool behind = round->messages && round->messages->items.size() >= kPollMessages;
    if (behind || !m_nextRound.isEmpty())
        QMetaObject::invokeMethod(this, &RemoteResync::sync, Qt::QueuedConnection);
}

// Push mode: the server counted messages the stream never brought. Once is a race (the event is on its
// way); still behind at the next read, with nothing new pushed meanwhile, the stream has stalled (the
// original stops pushing after its first message, spec §6.3).
void RemoteResync::checkFreshness(const OrganismInfo &organism)
{
    if (m_session.updateMode() != UpdateMode::Push)
        return;
    const qint64 lastSeq = m_stream->lastSeq();
    if (organism.totalMessages <= lastSeq) {
        m_aheadOf = -1;
        return;
    }
    if (m_aheadOf == lastSeq) {
        emit pushStalled(QCoreApplication::translate("agentdesk::RemoteSession",
                                                     "the server counts %1 messages, %2 of them never pushed")
                             .arg(organism.totalMessages)
                             .arg(organism.totalMessages - lastSeq));
        return;
    }
    m_aheadOf = lastSeq;
}

void RemoteResync::applyPolledMessages(const std::shared_ptr<Round> &round)
{
    const qint64 total = round->organism ? round->organism->totalMessages : 0;
    const qint64 behind = total - m_stream->lastSeq();
    if (behind > kResyncGap) {
        // Too many to replay batch by batch: everything is read again instead.
        qCInfo(lcRemote) << "polling:" << behind << "messages behind; reading everything again";
        m_stream->skipTo(total);
        emit resynchronized();
        round->messages.reset();
        return;
    }
    if (!round->messages)
        return;
    for (const MessageRecord &message : std::as_const(round->messages->items))
        m_stream->addMessage(message);
}

void RemoteResync::applyAgents(const QList<AgentInfo> &fresh)
{
    const QList<AgentInfo> current = m_session.agents();
    const bool sameList = std::equal(current.cbegin(), current.cend(), fresh.cbegin(), fresh.cend(),
                                     [](const AgentInfo &a, const AgentInfo &b) { return a.name == b.name; });
    if (!sameList) {
        emit agentsReplaced(fresh);
        return;
    }
    QList<AgentInfo> changed;
    for (qsizetype i = 0; i < fresh.size(); ++i) {
        if (!sameAgent(fresh.at(i), current.at(i)))
            changed.append(fresh.at(i));
    }
    if (!changed.isEmpty())
        emit agentsChanged(changed);
}

void RemoteResync::applyUsageEvents(const QList<UsageEvent> &newestFirst)
{
    // Anything beyond the page (a burst of more than 100 calls in one round) is only in the counters.
    QList<UsageEvent> fresh;
    for (auto it = newestFirst.crbegin(); it != newestFirst.crend(); ++it) {
        if (it->id > m_lastUsageEventId)
            fresh.append(*it);
    }
    if (!fresh.isEmpty()) {
        m_lastUsageEventId = fresh.last().id;
        emit usageRecorded(fresh);
    }
}

// A reload may add and remove listeners: both lists are read again and replaced before `reloaded`.
void RemoteResync::reload(const ReloadResult &result)
{
    emit batchDue();
    ++m_reloads;
    m_reloading = true;
    const quint64 attempt = m_connection->attempt();
    auto agents = std::make_shared<std::optional<QList<AgentInfo>>>();
    auto capabilities = std::make_shared<std::optional<QList<Capability>>>();
    auto pending = std::make_shared<int>(2);
    const auto finish = [this, attempt, agents, capabilities, pending, result] {
        if (--*pending > 0 || attempt != m_connection->attempt())
            return;
        m_fence->deliverAfterPing({}, [this, attempt, agents, capabilities, result, reloads = m_reloads] {
            if (attempt != m_connection->attempt())
                return;
            if (reloads == m_reloads)
                m_reloading = false;
            const QList<Capability> newCapabilities = capabilities->value_or(m_session.capabilities());
            if (*agents)
                emit agentsReplaced(withCapabilityData(**agents, newCapabilities));
            if (*capabilities)
                emit capabilitiesReplaced(newCapabilities);
            emit reloaded(result);
        });
    };
    m_http->get(u"/api/v1/agents"_s, {}, [agents, finish](const Response &response) {
        if (response.ok() && response.json)
            *agents = wire::parseAgentList(*response.json);
        finish();
    });
    m_connection->loadCapabilities([capabilities, finish](const Result<QList<Capability>> &list) {
        if (list)
            *capabilities = *list;
        finish();
    });
}

QList<AgentInfo> RemoteResync::withCapabilityData(QList<AgentInfo> agents, const QList<Capability> &capabilities)
{
    QHash<QString, const Capability *> byName;
    for (const Capability &capability : capabilities)
        byName.insert(capability.name, &capability);
    for (AgentInfo &agent : agents) {
        if (const Capability *capability = byName.value(agent.name)) {
            agent.payloadType = capability->payloadType;
            agent.rootTag = capability->rootTag;
        }
    }
    return agents;
}

bool RemoteResync::sameOrganism(const OrganismInfo &a, const OrganismInfo &b)
{
    // uptimeSeconds moves with the clock: not a change worth a signal.
    return a.name == b.name && a.status == b.status && a.agentCount == b.agentCount
        && a.activeThreads == b.activeThreads && a.totalMessages == b.totalMessages
        && a.identityConfigured == b.identityConfigured;
}

bool RemoteResync::sameAgent(const AgentInfo &a, const AgentInfo &b)
{
    return a.name == b.name && a.description == b.description && a.isAgent == b.isAgent && a.peers == b.peers
        && a.payloadClass == b.payloadClass && a.payloadType == b.payloadType && a.rootTag == b.rootTag
        && a.handler == b.handler && a.state == b.state && a.currentThread == b.currentThread
        && a.queueDepth == b.queueDepth && a.inFlight == b.inFlight && a.lastActivity == b.lastActivity
        && a.messageCount == b.messageCount && a.lastError == b.lastError;
}

bool RemoteResync::sameUsage(const UsageSnapshot &a, const UsageSnapshot &b)
{
    return sameCounters(a.totals, b.totals) && sameCounterList(a.byAgent, b.byAgent)
        && sameCounterList(a.byModel, b.byModel);
}

bool RemoteResync::sameBudgets(const QList<ThreadBudget> &a, const QList<ThreadBudget> &b)
{
    return std::equal(a.cbegin(), a.cend(), b.cbegin(), b.cend(), [](const ThreadBudget &x, const ThreadBudget &y) {
        return x.threadId == y.threadId && x.maxTokens == y.maxTokens && x.promptTokens == y.promptTokens
            && x.completionTokens == y.completionTokens && x.requestCount == y.requestCount;
    });
}

} // namespace agentdesk
