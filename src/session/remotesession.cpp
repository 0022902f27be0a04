#include "remotesession.h"

#include "remotehttp.h"
#include "remotemessagereader.h"
#include "remotetrace.h"
#include "remoteusage.h"

#include "agentparser.h"
#include "budgetjson.h"
#include "capabilityparser.h"
#include "eventparser.h"
#include "jsonparser.h"
#include "jsonwriter.h"
#include "messagejson.h"
#include "organismparser.h"
#include "threadparser.h"
#include "timestamps.h"
#include "llmjson.h"
#include "tracejson.h"
#include "usageparser.h"

#include <QCborMap>
#include <QCoreApplication>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QWebSocket>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcRemote, "agentdesk.session.remote")

namespace agentdesk {

namespace {

using Response = RemoteHttp::Response;

constexpr int kFirstRetryMs = 1000;
constexpr int kMaxRetryMs = 30000;
// The WebSocket handshake plus the `connected` snapshot; a server whose /ws accepts but sends no
// snapshot is used with the REST snapshots after this long.
constexpr int kHandshakeMs = 10000;
// The server closes a WebSocket that sent nothing for 300 s (spec §6.1).
constexpr int kPingIntervalMs = 60000;
constexpr int kSyncIntervalMs = 2000;
// An answer held for the ping fence is delivered anyway after this long (a server that never answers).
constexpr int kFenceTimeoutMs = 5000;
constexpr int kThreadPageLimit = 100; // the API's bound for /threads (spec §5.8)
constexpr int kUsageHistoryPage = 100;
// Polling: messages read per round (more follow at once in the next round), and the gap beyond which
// the models read everything again instead of being replayed to.
constexpr int kPollMessages = 500;
constexpr qint64 kResyncGap = 5000;
constexpr qsizetype kMaxThreadStatuses = 20000;
// Servers that send no thread_created: the ids seen, to announce new threads; forgotten past this.
constexpr qsizetype kMaxKnownThreads = 200000;
// The key check writes to a listener no organism has: 401/403 for a wrong key, 404 for a right one.
const QString kKeyProbeAgent = u"~agentdesk-key-check~"_s;
const QString kPingCommand = uR"({"cmd":"ping"})"_s;
// An agentdesk server sends streamed reply text (llm_delta) only to clients that name it; naming one
// event means naming every event the window wants.
const QString kSubscribeWithPartials =
    uR"({"cmd":"subscribe","events":["message","agent_state","thread_created","thread_updated","error","reload",)"
    uR"("budget_warning","budget_exhausted","budget_raised","organism","llm_delta"]})"_s;

QString notConnectedText()
{
    return QCoreApplication::translate("agentdesk::RemoteSession", "not connected to the server");
}

bool isTransient(const Response &response)
{
    return !response.reached() || response.status >= 500 || response.status == 408 || response.status == 429;
}

// What an open() failure reports: auth and transport problems as they are, others with the request.
QString openError(const QString &path, const Response &response)
{
    if (!response.reached() || response.status == 401 || response.status == 403)
        return response.errorText();
    return u"%1 (GET %2)"_s.arg(response.errorText(), path);
}

bool sameOrganism(const OrganismInfo &a, const OrganismInfo &b)
{
    // uptimeSeconds moves with the clock: not a change worth a signal.
    return a.name == b.name && a.status == b.status && a.agentCount == b.agentCount
           && a.activeThreads == b.activeThreads && a.totalMessages == b.totalMessages
           && a.identityConfigured == b.identityConfigured;
}

bool sameAgent(const AgentInfo &a, const AgentInfo &b)
{
    return a.name == b.name && a.description == b.description && a.isAgent == b.isAgent && a.peers == b.peers
           && a.payloadClass == b.payloadClass && a.payloadType == b.payloadType && a.rootTag == b.rootTag
           && a.handler == b.handler && a.state == b.state && a.currentThread == b.currentThread
           && a.queueDepth == b.queueDepth && a.inFlight == b.inFlight && a.lastActivity == b.lastActivity
           && a.messageCount == b.messageCount && a.lastError == b.lastError;
}

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

bool sameUsage(const UsageSnapshot &a, const UsageSnapshot &b)
{
    return sameCounters(a.totals, b.totals) && sameCounterList(a.byAgent, b.byAgent)
           && sameCounterList(a.byModel, b.byModel);
}

bool sameBudgets(const QList<ThreadBudget> &a, const QList<ThreadBudget> &b)
{
    return std::equal(a.cbegin(), a.cend(), b.cbegin(), b.cend(), [](const ThreadBudget &x, const ThreadBudget &y) {
        return x.threadId == y.threadId && x.maxTokens == y.maxTokens && x.promptTokens == y.promptTokens
               && x.completionTokens == y.completionTokens && x.requestCount == y.requestCount;
    });
}

QString bucketName(UsageBucketSize size)
{
    switch (size) {
    case UsageBucketSize::Minute:
        return u"minute"_s;
    case UsageBucketSize::Hour:
        return u"hour"_s;
    case UsageBucketSize::Day:
        break;
    }
    return u"day"_s;
}

// The JSON API takes a payload object only: an XML payload travels as its field tree. False (with the
// refusal) when the XML is not well-formed.
bool payloadFields(const QVariantMap &given, const QByteArray &xml, QVariantMap *fields, InjectResult *refused)
{
    *fields = given;
    if (!given.isEmpty() || xml.isEmpty())
        return true;
    QString error;
    const std::optional<wire::XmlFields> parsed = wire::xmlPayloadFields(xml, &error);
    if (!parsed) {
        refused->error = InjectResult::Error::InvalidPayload;
        refused->message = error;
        return false;
    }
    *fields = parsed->fields;
    return true;
}

InjectResult injectFailure(const Response &response)
{
    InjectResult result;
    result.message = response.detailText();
    switch (response.status) {
    case 400:
        result.error = response.error.detail.startsWith(u"Unknown target agent"_s)
            ? InjectResult::Error::UnknownTarget
            : InjectResult::Error::InvalidPayload;
        break;
    case 422:
        result.error = InjectResult::Error::InvalidPayload;
        for (const wire::ValidationIssue &issue : response.error.issues) {
            if (issue.loc.size() > 2 && issue.loc.at(0) == u"body" && issue.loc.at(1) == u"payload") {
                result.fieldPath = issue.loc.mid(2);
                result.message = issue.reason.isEmpty() ? issue.msg : issue.reason;
                break;
            }
        }
        break;
    case 404: // a replay or fork naming a thread or message the server does not have
        result.error = InjectResult::Error::UnknownMessage;
        break;
    case 503:
        result.error = InjectResult::Error::QueueFull;
        break;
    case 507:
        result.error = InjectResult::Error::HistoryUnavailable;
        break;
    default:
        // 409 (stopped), auth and transport failures: the message did not go anywhere.
        result.error = InjectResult::Error::NotRunning;
        break;
    }
    return result;
}

} // namespace

// The REST snapshots of one attempt, loaded in parallel.
struct RemoteSession::Loading
{
    quint64 attempt = 0;
    Snapshot snapshot;
    int pending = 0;
    bool failed = false;
};

// One periodic re-read: whatever came back, applied together.
struct RemoteSession::SyncRound
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

RemoteSession::RemoteSession(const QUrl &baseUrl, const QString &apiKey, QObject *parent)
    : Session(parent)
    , m_baseUrl(baseUrl)
    , m_apiKey(apiKey.toUtf8())
    , m_http(new RemoteHttp(baseUrl, apiKey.toUtf8(), this))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &RemoteSession::retry);
    m_handshakeTimer.setSingleShot(true);
    connect(&m_handshakeTimer, &QTimer::timeout, this, &RemoteSession::onHandshakeTimeout);
    m_pingTimer.setInterval(kPingIntervalMs);
    connect(&m_pingTimer, &QTimer::timeout, this, &RemoteSession::sendPing);
    m_syncTimer.setInterval(kSyncIntervalMs);
    connect(&m_syncTimer, &QTimer::timeout, this, &RemoteSession::sync);
    m_fenceTimer.setSingleShot(true);
    connect(&m_fenceTimer, &QTimer::timeout, this, [this] {
        // A server that does not answer pings at all would delay every answer: stop waiting for them.
        qCWarning(lcRemote) << "the server did not answer a ping in time; answers are no longer held for pings";
        m_fencing = false;
        flushEvents();
        releaseFences(std::numeric_limits<quint64>::max());
    });
}

RemoteSession::~RemoteSession()
{
    m_phase = Phase::Idle;
    ++m_attempt;
    ++m_generation;
    m_http->abortAll();
    dropSocket();
}

QString RemoteSession::endpoint() const
{
    return u"remote: "_s + m_baseUrl.toDisplayString(QUrl::RemoveUserInfo);
}

// --- connecting -------------------------------------------------------------------------------------

void RemoteSession::open()
{
    if (m_phase == Phase::Waiting) {
        m_retryTimer.stop();
        startAttempt();
        return;
    }
    if (m_phase != Phase::Idle)
        return;
    m_retryDelayMs = kFirstRetryMs;
    startAttempt();
}

void RemoteSession::close()
{
    if (m_phase == Phase::Idle && state() == State::Disconnected)
        return;
    m_phase = Phase::Idle;
    ++m_generation;
    ++m_attempt;
    for (QTimer *timer : {&m_retryTimer, &m_handshakeTimer, &m_pingTimer, &m_syncTimer, &m_fenceTimer})
        timer->stop();
    m_http->abortAll();
    dropSocket();
    m_loading.reset();
    m_fences.clear();
    m_pending = {};
    m_syncInFlight = false;
    setState(State::Disconnected);
}

void RemoteSession::startAttempt()
{
    m_phase = Phase::Loading;
    const quint64 attempt = ++m_attempt;
    m_api = {};
    m_hasUsage = m_hasBudgets = m_hasUsageHistory = m_hasScopeBudgets = m_hasBackends = false;
    setState(State::Connecting);
    m_http->get(u"/health"_s, {}, [this, attempt](const Response &response) {
        if (attempt != m_attempt)
            return;
        if (!response.ok()) {
            failAttempt(openError(u"/health"_s, response), isTransient(response));
            return;
        }
        if (!response.json || !wire::parseHealth(*response.json)) {
            failAttempt(tr("%1 is not an AgentServer: GET /health did not answer as one")
                            .arg(m_baseUrl.toDisplayString(QUrl::RemoveUserInfo)),
                        false);
            return;
        }
        readDescription(attempt);
    });
}

// Which optional endpoints and query parameters the server has; without a description, only what
// every version of the original has is used.
void RemoteSession::readDescription(quint64 attempt)
{
    m_http->get(u"/openapi.json"_s, {}, [this, attempt](const Response &response) {
        if (attempt != m_attempt)
            return;
        m_api = response.ok() && response.json ? wire::parseOpenApi(*response.json) : wire::ApiDescription{};
        checkKey(attempt);
    });
}

// Most servers read without a key, so the reads cannot tell whether it is right; a write to a listener
// that does not exist can, and changes nothing either way.
void RemoteSession::checkKey(quint64 attempt)
{
    if (m_apiKey.isEmpty()) {
        loadSnapshots(attempt);
        return;
    }
    const QString path = u"/api/v1/agents/"_s + RemoteHttp::pathSegment(kKeyProbeAgent) + u"/resume"_s;
    m_http->post(path, {}, [this, attempt](const Response &response) {
        if (attempt != m_attempt)
            return;
        if (response.status == 401 || response.status == 403) {
            failAttempt(response.errorText(), false);
            return;
        }
        if (!response.reached()) {
            failAttempt(response.errorText(), true);
            return;
        }
        loadSnapshots(attempt);
    });
}

void RemoteSession::loadSnapshots(quint64 attempt)
{
    auto loading = std::make_shared<Loading>();
    loading->attempt = attempt;
    m_loading = loading;
    const auto fail = [this, loading](const QString &path, const Response &response) {
        if (loading->failed)
            return;
        loading->failed = true;
        failAttempt(openError(path, response), isTransient(response));
    };
    // One GET of the snapshot; `read` answers whether the answer was usable (or could be done without).
    const auto load = [this, loading, fail](const QString &path, const QUrlQuery &query,
                                            std::function<bool(const Response &)> read) {
        ++loading->pending;
        m_http->get(path, query, [this, loading, fail, path, read](const Response &response) {
            if (loading->attempt != m_attempt || loading->failed)
                return;
            if (!read(response)) {
                fail(path, response);
                return;
            }
            --loading->pending;
            loaded(loading);
        });
    };

    load(u"/api/v1/organism"_s, {}, [loading](const Response &response) {
        const auto info = response.json ? wire::parseOrganismInfo(*response.json) : std::nullopt;
        if (info)
            loading->snapshot.organism = *info;
        return response.ok() && info;
    });
    load(u"/api/v1/agents"_s, {}, [loading](const Response &response) {
        const auto agents = response.json ? wire::parseAgentList(*response.json) : std::nullopt;
        if (agents)
            loading->snapshot.agents = *agents;
        return response.ok() && agents;
    });
    // The usage ("gas") endpoints arrived with S3 and the history with S4: without them, no usage.
    load(u"/api/v1/usage"_s, {}, [this, loading](const Response &response) {
        const auto usage = response.ok() && response.json ? wire::parseUsageSnapshot(*response.json) : std::nullopt;
        m_hasUsage = usage.has_value();
        if (usage)
            loading->snapshot.usage = remoteusage::completed(*usage, *response.json);
        return usage || response.status == 404;
    });
    load(u"/api/v1/usage/threads"_s, {}, [this, loading](const Response &response) {
        const auto list = response.ok() && response.json ? wire::parseThreadBudgetList(*response.json) : std::nullopt;
        m_hasBudgets = list.has_value();
        if (list)
            loading->snapshot.budgets = list->budgets;
        return list || response.status == 404;
    });
    // agentdesk's agent and organism budgets and its LLM backends (issue 11): the original has neither.
    load(u"/api/v1/usage/budgets"_s, {}, [this, loading](const Response &response) {
        const auto list = response.ok() && response.json ? wire::parseScopeBudgetList(*response.json) : std::nullopt;
        m_hasScopeBudgets = list.has_value();
        if (list)
            loading->snapshot.scopeBudgets = *list;
        return list || response.reached();
    });
    load(u"/api/v1/llm/backends"_s, {}, [this, loading](const Response &response) {
        const auto list = response.ok() && response.json ? wire::parseLlmBackends(*response.json) : std::nullopt;
        m_hasBackends = list.has_value();
        if (list)
            loading->snapshot.llmBackends = *list;
        return list || response.reached();
    });
    const QUrlQuery recent{{u"limit"_s, QString::number(kUsageHistoryPage)}};
    load(u"/api/v1/usage/history"_s, recent, [this, loading](const Response &response) {
        const auto page = response.ok() && response.json ? wire::parseUsageHistory(*response.json) : std::nullopt;
        m_hasUsageHistory = page.has_value();
        m_lastUsageEventId = page && !page->items.isEmpty() ? page->items.first().id : 0;
        if (page)
            loading->snapshot.recentUsage = page->items; // which provider served which model
        return page || response.reached(); // the history is a convenience: any answer will do
    });

    ++loading->pending;
    loadCapabilities(attempt, [this, loading](const std::optional<QList<Capability>> &capabilities,
                                              const QString &error) {
        if (loading->attempt != m_attempt || loading->failed)
            return;
        if (!capabilities) {
            loading->failed = true;
            failAttempt(error, true);
            return;
        }
        loading->snapshot.capabilities = *capabilities;
        --loading->pending;
        loaded(loading);
    });
}

// The list, then each capability's detail (its XSD and example); S1 servers have neither (empty list).
void RemoteSession::loadCapabilities(quint64 attempt, CapabilitiesLoaded done)
{
    m_http->get(u"/api/v1/capabilities"_s, {}, [this, attempt, done](const Response &response) {
        if (attempt != m_attempt)
            return;
        if (response.status == 404) {
            done(QList<Capability>(), {});
            return;
        }
        const auto list = response.ok() && response.json ? wire::parseCapabilityList(*response.json) : std::nullopt;
        if (!list) {
            done(std::nullopt, openError(u"/api/v1/capabilities"_s, response));
            return;
        }
        if (list->isEmpty()) {
            done(*list, {});
            return;
        }
        auto details = std::make_shared<QList<Capability>>(*list);
        auto pending = std::make_shared<qsizetype>(list->size());
        for (qsizetype i = 0; i < list->size(); ++i) {
            const QString path = u"/api/v1/capabilities/"_s + RemoteHttp::pathSegment(list->at(i).name);
            m_http->get(path, {}, [this, attempt, done, details, pending, i](const Response &detail) {
                if (attempt != m_attempt)
                    return;
                if (detail.ok() && detail.json) {
                    if (auto capability = wire::parseCapability(*detail.json))
                        (*details)[i] = *capability;
                }
                if (--*pending == 0)
                    done(*details, {});
            });
        }
    });
}

void RemoteSession::loaded(const std::shared_ptr<Loading> &loading)
{
    if (loading->pending == 0 && !loading->failed)
        openSocket();
}

void RemoteSession::openSocket()
{
    m_phase = Phase::Handshake;
    dropSocket();
    const quint64 attempt = m_attempt;
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::textMessageReceived, this,
            [this, attempt](const QString &text) { onFrame(attempt, text); });
    connect(m_socket, &QWebSocket::disconnected, this, [this, attempt] { onSocketGone(attempt); });
    connect(m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            [this, attempt](QAbstractSocket::SocketError) { onSocketGone(attempt); });
    QNetworkRequest request(m_http->webSocketUrl(u"/ws"_s));
    if (!m_apiKey.isEmpty())
        request.setRawHeader("Authorization", m_http->authorization());
    m_handshakeTimer.start(kHandshakeMs);
    m_socket->open(request);
}

void RemoteSession::onHandshakeTimeout()
{
    if (m_phase != Phase::Handshake)
        return;
    // A /ws that accepts but never sends its snapshot, or does not connect at all, while every REST read
    // worked: go on with what REST said, and keep reading it.
    qCWarning(lcRemote) << "no snapshot on /ws in time; carrying on from REST by polling";
    completeConnection(nullptr, UpdateMode::Polling);
}

ServerAbilities RemoteSession::abilitiesOfServer() const
{
    ServerAbilities abilities;
    // Only agentdesk does what the original pretends (spec §11): pause, kill and stop change labels there.
    abilities.pauseHoldsWork = m_api.agentdesk;
    abilities.killCancelsWork = m_api.agentdesk;
    abilities.stopStopsWork = m_api.agentdesk;
    abilities.setsBudgets = m_api.has(u"PUT"_s, u"/api/v1/usage/threads/{thread_id}"_s);
    abilities.tracksUsage = m_hasUsage;
    abilities.bucketsUsage = m_api.has(u"GET"_s, u"/api/v1/usage/timeseries"_s);
    // Usage over time is built from the history where there is no /usage/timeseries: the original's
    // history filters by agent and model, but its calls have no outcome.
    abilities.filtersUsageOutcome = abilities.bucketsUsage;
    abilities.scopeBudgets = m_hasScopeBudgets && m_api.has(u"PUT"_s, u"/api/v1/usage/budgets/{scope}"_s);
    abilities.reportsBackends = m_hasBackends;
    abilities.tracesThreads = m_api.has(u"GET"_s, u"/api/v1/threads/{thread_id}/timeline"_s);
    abilities.branchesThreads = m_api.has(u"POST"_s, u"/api/v1/threads/{thread_id}/fork"_s);
    abilities.reportsLoad = m_api.agentdesk;
    abilities.retriesThreads = m_api.has(u"POST"_s, u"/api/v1/threads/{thread_id}/retry"_s);
    return abilities;
}

void RemoteSession::completeConnection(const wire::ConnectedSnapshot *connected, UpdateMode mode)
{
    m_handshakeTimer.stop();
    if (!m_loading)
        return;
    Snapshot snapshot = std::exchange(m_loading, nullptr)->snapshot;
    snapshot.abilities = abilitiesOfServer();
    if (mode == UpdateMode::Polling)
        dropSocket(); // nothing more comes through it
    // The WebSocket's snapshot is where its event stream starts: it wins over the REST reads before it.
    if (connected) {
        snapshot.organism = connected->organism;
        snapshot.agents = connected->agents;
    }
    snapshot.agents = withCapabilityData(snapshot.agents, snapshot.capabilities);
    learnLayout(snapshot.capabilities);
    m_knownThreads.clear();
    if (connected && !m_api.agentdesk) {
        for (const ThreadInfo &thread : connected->threads)
            m_knownThreads.insert(thread.id);
    }
    m_pending = {};
    m_fences.clear();
    m_pingsSent = m_pingsAnswered = 0;
    m_reloading = false;
    m_fencing = true;
    m_phase = Phase::Live;
    m_retryDelayMs = kFirstRetryMs;
    // The stream (or the polling) starts after what the snapshot counted.
    m_lastSeq = snapshot.organism.totalMessages;
    m_aheadOf = -1;
    m_threadStatus.clear();
    m_nextRound.clear();
    if (mode == UpdateMode::Push)
        m_pingTimer.start();
    m_syncTimer.start();
    m_dirty = true; // usage and budgets were read before the stream began: read them again soon
    setUpdateMode(mode);
    if (m_api.agentdesk && m_socket)
        m_socket->sendTextMessage(kSubscribeWithPartials);
    connectWith(snapshot);
}

QString RemoteSession::socketProblem() const
{
    if (!m_socket)
        return tr("closed");
    if (!m_socket->closeReason().isEmpty())
        return tr("%1 (close code %2)").arg(m_socket->closeReason()).arg(int(m_socket->closeCode()));
    if (m_socket->error() != QAbstractSocket::UnknownSocketError)
        return m_socket->errorString();
    if (m_socket->closeCode() != QWebSocketProtocol::CloseCodeNormal)
        return tr("closed with code %1").arg(int(m_socket->closeCode()));
    return tr("closed by the server");
}

void RemoteSession::onSocketGone(quint64 attempt)
{
    if (attempt != m_attempt || !m_socket)
        return;
    const QString problem = socketProblem();
    if (m_phase == Phase::Handshake && m_loading) {
        // The original drops /ws before its snapshot whenever a thread exists (spec §6.3); REST worked.
        qCWarning(lcRemote).noquote() << "/ws failed before its snapshot:" << problem << "- polling instead";
        completeConnection(nullptr, UpdateMode::Polling);
        return;
    }
    if (m_phase != Phase::Live) {
        failAttempt(tr("WebSocket %1: %2").arg(m_http->webSocketUrl(u"/ws"_s).toDisplayString(), problem), true);
        return;
    }
    flushEvents(); // what arrived before the loss is real
    dropSocket();
    m_pingTimer.stop();
    // The WebSocket alone may have gone: if REST still answers, carry on from it.
    m_http->get(u"/api/v1/organism"_s, {}, [this, attempt, problem](const Response &response) {
        if (attempt != m_attempt || m_phase != Phase::Live)
            return;
        if (response.ok())
            switchToPolling(problem);
        else
            failAttempt(tr("Connection to the server lost: %1").arg(problem), true);
    });
}

void RemoteSession::switchToPolling(const QString &why)
{
    if (updateMode() == UpdateMode::Polling)
        return;
    qCWarning(lcRemote).noquote() << endpoint() << "live updates unavailable (" << why << "): polling";
    dropSocket();
    m_pingTimer.stop();
    // Answers held for a ping that will never come are as good as they were.
    releaseFences(std::numeric_limits<quint64>::max());
    m_aheadOf = -1;
    setUpdateMode(UpdateMode::Polling);
    m_dirty = true;
    sync();
}

void RemoteSession::failAttempt(const QString &reason, bool retry)
{
    ++m_attempt;
    for (QTimer *timer : {&m_handshakeTimer, &m_pingTimer, &m_syncTimer})
        timer->stop();
    dropSocket();
    m_loading.reset();
    m_syncInFlight = false;
    m_pending = {};
    m_phase = retry ? Phase::Waiting : Phase::Idle;
    // Answers that were only waiting for the ping are as good as they were.
    releaseFences(std::numeric_limits<quint64>::max());
    qCInfo(lcRemote).noquote() << endpoint() << "disconnected:" << reason << (retry ? "(will retry)" : "");
    setState(State::Disconnected, reason);
    if (retry && m_phase == Phase::Waiting) {
        m_retryTimer.start(m_retryDelayMs);
        m_retryDelayMs = std::min(m_retryDelayMs * 2, kMaxRetryMs);
    }
}

void RemoteSession::dropSocket()
{
    if (!m_socket)
        return;
    QWebSocket *socket = std::exchange(m_socket, nullptr);
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void RemoteSession::retry()
{
    if (m_phase == Phase::Waiting)
        startAttempt();
}

// --- live events ------------------------------------------------------------------------------------

void RemoteSession::onFrame(quint64 attempt, const QString &text)
{
    if (attempt != m_attempt)
        return;
    const std::optional<QJsonObject> frame = wire::parseJsonObject(text.toUtf8());
    if (!frame) {
        qCWarning(lcRemote) << "ignoring a WebSocket frame that is not a JSON object";
        return;
    }
    if (m_phase == Phase::Handshake) {
        if (wire::wsEventType(*frame) != wire::WsEventType::Connected)
            return;
        const std::optional<wire::ConnectedSnapshot> connected = wire::parseConnectedEvent(*frame);
        completeConnection(connected ? &*connected : nullptr);
        return;
    }
    if (m_phase == Phase::Live)
        onLiveFrame(*frame);
}

void RemoteSession::onLiveFrame(const QJsonObject &frame)
{
    switch (wire::wsEventType(frame)) {
    case wire::WsEventType::Message:
        if (const auto message = wire::parseMessageEvent(frame, &m_layout))
            onMessage(*message);
        break;
    case wire::WsEventType::AgentState:
        if (const auto change = wire::parseAgentStateEvent(frame))
            onAgentState(*change);
        break;
    case wire::WsEventType::ThreadCreated:
        if (const auto thread = wire::parseThreadCreatedEvent(frame)) {
            if (!m_api.agentdesk)
                m_knownThreads.insert(thread->id);
            m_pending.created.append(*thread);
            if (thread->status == ThreadStatus::Active)
                ++pendingOrganism().activeThreads;
            m_dirty = true;
        }
        break;
    case wire::WsEventType::ThreadUpdated:
        if (const auto change = wire::parseThreadUpdatedEvent(frame))
            onThreadUpdated(*change);
        break;
    case wire::WsEventType::Error: {
        ErrorEvent error = wire::parseErrorEvent(frame);
        if (!error.timestamp.isValid())
            error.timestamp = QDateTime::currentDateTimeUtc();
        m_pending.errors.append(error);
        m_dirty = true;
        break;
    }
    case wire::WsEventType::CommandError: {
        // The original has no ping command: its "Unknown command" reply answers it just as well.
        const QString text = wire::parseErrorEvent(frame).error;
        if (text == u"Unknown command: ping")
            onPong();
        else
            qCWarning(lcRemote).noquote() << "the server refused a command:" << text;
        return;
    }
    case wire::WsEventType::Pong:
        onPong();
        return;
    case wire::WsEventType::Reload:
        onReloadEvent(wire::parseReloadEvent(frame));
        return;
    case wire::WsEventType::Budget:
        if (const auto event = wire::parseBudgetEvent(frame)) {
            m_pending.budgets.append(*event);
            m_budgetsDirty = true;
        }
        break;
    case wire::WsEventType::Organism:
        // A stop or start made elsewhere, saturation, the history's health: nothing else announces them.
        if (const auto info = wire::parseOrganismEvent(frame)) {
            pendingOrganism() = *info;
            m_dirty = true; // the agent list and counters follow from REST in the next round
        }
        break;
    case wire::WsEventType::LlmDelta:
        // Live text goes straight through: it is not part of any snapshot the flush keeps in order.
        if (const auto partial = wire::parseLlmDeltaEvent(frame))
            emit llmPartials({*partial});
        return;
    case wire::WsEventType::Connected:
    case wire::WsEventType::Subscribed:
    case wire::WsEventType::Injected:
    case wire::WsEventType::Unknown:
        return;
    }
    scheduleFlush();
}

void RemoteSession::onMessage(const MessageRecord &message)
{
    if (message.seq > 0 && message.seq <= m_lastSeq && updateMode() == UpdateMode::Polling)
        return; // read by an earlier round
    m_lastSeq = std::max(m_lastSeq, message.seq);
    // Servers without thread_created (the original): a thread never seen before is new, and is
    // announced before its first message as the Session promises.
    if (!m_api.agentdesk && !m_knownThreads.contains(message.threadId)) {
        if (m_knownThreads.size() >= kMaxKnownThreads)
            m_knownThreads.clear();
        m_knownThreads.insert(message.threadId);
        ThreadInfo thread;
        thread.id = message.threadId;
        thread.participants = {message.from, message.to};
        thread.createdAt = message.timestamp;
        thread.lastActivity = message.timestamp;
        m_pending.created.append(thread);
        ++pendingOrganism().activeThreads;
    }
    m_pending.messages.append(message);
    // seq is the global 1-based message counter: the total is at least that.
    OrganismInfo &organism = pendingOrganism();
    organism.totalMessages = std::max(organism.totalMessages, message.seq);
    // The count is the sender's (spec §7.3).
    if (AgentInfo *sender = pendingAgent(message.from)) {
        ++sender->messageCount;
        sender->lastActivity = message.timestamp;
    }
    m_dirty = true;
}

void RemoteSession::onAgentState(const wire::AgentStateChange &change)
{
    m_dirty = true;
    AgentInfo *agent = pendingAgent(change.agent);
    if (!agent)
        return; // not known yet (a reload is on its way): the next re-read brings it
    agent->state = change.state;
    agent->currentThread = change.currentThread;
    agent->lastActivity = QDateTime::currentDateTimeUtc(); // what the server's state layer does
}

void RemoteSession::onThreadUpdated(const wire::ThreadStatusChange &change)
{
    ThreadInfo thread;
    thread.id = change.threadId;
    thread.status = change.status;
    thread.messageCount = change.messageCount;
    thread.lastActivity = QDateTime::currentDateTimeUtc();
    m_dirty = true;
    if (change.status != ThreadStatus::Error) {
        m_pending.updated.append(thread);
        return;
    }
    // The event carries no error text: the thread itself does.
    const QString path = u"/api/v1/threads/"_s + RemoteHttp::pathSegment(change.threadId);
    m_http->get(path, {}, [this, thread, attempt = m_attempt](const Response &response) {
        if (attempt != m_attempt)
            return;
        ThreadInfo updated = thread;
        if (const auto info = response.ok() && response.json ? wire::parseThreadInfo(*response.json) : std::nullopt)
            updated = *info;
        m_pending.updated.append(updated);
        scheduleFlush();
    });
}

// A reload may add and remove listeners: both lists are read again and replaced before `reloaded`.
void RemoteSession::onReloadEvent(const ReloadResult &result)
{
    flushEvents();
    ++m_reloads;
    m_reloading = true;
    const quint64 attempt = m_attempt;
    auto agents = std::make_shared<std::optional<QList<AgentInfo>>>();
    auto capabilities = std::make_shared<std::optional<QList<Capability>>>();
    auto pending = std::make_shared<int>(2);
    const auto finish = [this, attempt, agents, capabilities, pending, result] {
        if (--*pending > 0 || attempt != m_attempt)
            return;
        deliverFenced({}, [this, attempt, agents, capabilities, result, reloads = m_reloads] {
            if (attempt != m_attempt)
                return;
            if (reloads == m_reloads)
                m_reloading = false;
            const QList<Capability> newCapabilities = capabilities->value_or(this->capabilities());
            if (*agents)
                replaceAgents(withCapabilityData(**agents, newCapabilities));
            if (*capabilities) {
                learnLayout(newCapabilities);
                replaceCapabilities(newCapabilities);
            }
            emit reloaded(result);
        });
    };
    m_http->get(u"/api/v1/agents"_s, {}, [agents, finish](const Response &response) {
        if (response.ok() && response.json)
            *agents = wire::parseAgentList(*response.json);
        finish();
    });
    loadCapabilities(attempt, [capabilities, finish](const std::optional<QList<Capability>> &list, const QString &) {
        *capabilities = list;
        finish();
    });
}

AgentInfo *RemoteSession::pendingAgent(const QString &name)
{
    const auto row = m_pending.agentRows.constFind(name);
    if (row != m_pending.agentRows.cend())
        return &m_pending.agents[*row];
    const std::optional<AgentInfo> cached = agent(name);
    if (!cached)
        return nullptr;
    m_pending.agentRows.insert(name, m_pending.agents.size());
    m_pending.agents.append(*cached);
    return &m_pending.agents.last();
}

OrganismInfo &RemoteSession::pendingOrganism()
{
    if (!m_pending.organism)
        m_pending.organism = organism();
    return *m_pending.organism;
}

void RemoteSession::scheduleFlush()
{
    if (m_flushQueued)
        return;
    m_flushQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_flushQueued = false;
            flushEvents();
        },
        Qt::QueuedConnection);
}

// Everything since the last flush as one batch per kind, in the order the organism emits them. (Usage
// events are not pushed: usageRecorded comes from the history with the re-reads.)
void RemoteSession::flushEvents()
{
    const Pending pending = std::exchange(m_pending, {});
    const quint64 attempt = m_attempt;
    // A receiver may close the session: stop as soon as it did.
    const auto live = [this, attempt] { return m_phase == Phase::Live && attempt == m_attempt; };
    if (!live())
        return;
    if (!pending.created.isEmpty())
        emit threadsCreated(pending.created);
    if (live() && !pending.messages.isEmpty())
        emit messagesRecorded(pending.messages);
    if (live() && !pending.agents.isEmpty())
        applyAgentChanges(pending.agents);
    if (live() && !pending.updated.isEmpty())
        emit threadsUpdated(pending.updated);
    if (live() && !pending.errors.isEmpty())
        emit errorsRaised(pending.errors);
    if (live() && !pending.budgets.isEmpty())
        emit budgetEvents(pending.budgets);
    if (live() && pending.organism)
        replaceOrganism(*pending.organism);
    if (live() && m_budgetsDirty)
        sync(); // a budget event changes the budget list: read it now rather than in 2 s
}

// --- ordering and keep-alive ------------------------------------------------------------------------

void RemoteSession::deliverFenced(const Context &context, std::function<void()> call)
{
    if (context.isGone())
        return;
    if (m_phase != Phase::Live || !m_socket || !m_fencing) {
        deliver(context.object.data(), std::move(call));
        return;
    }
    m_fences.append(Fence{m_pingsSent + 1, context, std::move(call)});
    if (!m_fencePingQueued) {
        // One ping for every answer that arrives in this event-loop turn.
        m_fencePingQueued = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_fencePingQueued = false;
                if (!m_fences.isEmpty() && m_fences.last().ping > m_pingsSent)
                    sendPing();
            },
            Qt::QueuedConnection);
    }
    if (!m_fenceTimer.isActive())
        m_fenceTimer.start(kFenceTimeoutMs);
}

void RemoteSession::sendPing()
{
    if (m_phase != Phase::Live || !m_socket)
        return;
    m_socket->sendTextMessage(kPingCommand);
    ++m_pingsSent;
}

void RemoteSession::onPong()
{
    if (m_pingsAnswered < m_pingsSent)
        ++m_pingsAnswered;
    flushEvents(); // the events before the answer belong before the answers it releases
    releaseFences(m_pingsAnswered);
}

void RemoteSession::releaseFences(quint64 answered)
{
    while (!m_fences.isEmpty() && m_fences.first().ping <= answered) {
        Fence fence = m_fences.takeFirst();
        if (!fence.context.isGone())
            deliver(fence.context.object.data(), std::move(fence.call));
    }
    if (m_fences.isEmpty())
        m_fenceTimer.stop();
    else
        m_fenceTimer.start(kFenceTimeoutMs);
}

// --- periodic re-reads ------------------------------------------------------------------------------

void RemoteSession::sync()
{
    if (m_phase != Phase::Live || m_syncInFlight)
        return;
    const bool polling = updateMode() == UpdateMode::Polling;
    // Starting and stopping end by themselves, without an event: follow them.
    const bool moving = organism().status == OrganismStatus::Starting || organism().status == OrganismStatus::Stopping;
    const bool everything = polling || m_dirty || moving;
    const bool budgetsDirty = m_budgetsDirty;
    m_dirty = false;
    m_budgetsDirty = false;
    m_syncInFlight = true;
    auto round = std::make_shared<SyncRound>();
    round->attempt = m_attempt;
    round->reloads = m_reloads;
    round->polling = polling;
    round->after = std::exchange(m_nextRound, {});
    // A read may start another (the history after the counters): the round ends when none is left.
    const auto finished = [this, round] {
        if (--round->pending == 0)
            deliverFenced({}, [this, round] { applySync(round); });
    };
    const auto read = [this, round, finished](const QString &path, const QUrlQuery &query,
                                              std::function<void(const QJsonObject &json)> apply) {
        ++round->pending;
        m_http->get(path, query, [this, round, apply, finished](const Response &response) {
            if (round->attempt != m_attempt)
                return;
            if (response.ok() && response.json)
                apply(*response.json);
            finished();
        });
    };
    // Even when nothing announced a change, the organism is read: a message total ahead of what the
    // stream brought means the stream stalled.
    read(u"/api/v1/organism"_s, {}, [round](const QJsonObject &json) { round->organism = wire::parseOrganismInfo(json); });
    if (everything) {
        read(u"/api/v1/agents"_s, {}, [round](const QJsonObject &json) { round->agents = wire::parseAgentList(json); });
        if (m_hasUsage) {
            read(u"/api/v1/usage"_s, {}, [this, round, read](const QJsonObject &json) {
                if (const auto usage = wire::parseUsageSnapshot(json))
                    round->usage = remoteusage::completed(*usage, json);
                // Read after the counters, the history holds every call they count.
                if (round->usage && m_hasUsageHistory) {
                    read(u"/api/v1/usage/history"_s, QUrlQuery{{u"limit"_s, QString::number(kUsageHistoryPage)}},
                         [round](const QJsonObject &history) {
                             if (const auto page = wire::parseUsageHistory(history))
                                 round->usageEvents = page->items;
                         });
                }
            });
        }
    }
    if (m_hasBudgets && (everything || budgetsDirty))
        read(u"/api/v1/usage/threads"_s, {}, [round](const QJsonObject &json) {
            if (const auto list = wire::parseThreadBudgetList(json))
                round->budgets = list->budgets;
        });
    if (m_hasScopeBudgets && (everything || budgetsDirty))
        read(u"/api/v1/usage/budgets"_s, {},
             [round](const QJsonObject &json) { round->scopeBudgets = wire::parseScopeBudgetList(json); });
    // The backends' state moves with the clock (rate-limit waits, token buckets): every round.
    if (m_hasBackends)
        read(u"/api/v1/llm/backends"_s, {},
             [round](const QJsonObject &json) { round->llmBackends = wire::parseLlmBackends(json); });
    if (polling) {
        // What /ws would have pushed: the messages after the newest one shown, oldest first, and the
        // statuses of the most recently active threads.
        MessageQuery newer;
        newer.afterSeq = m_lastSeq;
        newer.newestFirst = false;
        newer.limit = kPollMessages;
        ++round->pending;
        readMessages(newer, [this, round, finished](const MessagePage &page, const QString &error) {
            if (round->attempt != m_attempt)
                return;
            if (error.isEmpty())
                round->messages = page;
            finished();
        });
        read(u"/api/v1/threads"_s, QUrlQuery{{u"limit"_s, QString::number(kThreadPageLimit)}},
             [round](const QJsonObject &json) {
                 if (const auto page = wire::parseThreadPage(json))
                     round->threads = page->items;
             });
    }
}

void RemoteSession::afterNextRound(std::function<void()> call)
{
    m_nextRound.append(std::move(call));
    sync(); // now, unless a round is in flight: then right after it
}

void RemoteSession::applySync(const std::shared_ptr<SyncRound> &round)
{
    m_syncInFlight = false;
    if (round->attempt != m_attempt || m_phase != Phase::Live)
        return;
    if (round->polling) {
        applyPolledMessages(round);
        if (round->threads)
            applyPolledThreads(*round->threads);
        flushEvents();
        if (round->attempt != m_attempt || m_phase != Phase::Live)
            return; // a receiver closed the session
    }
    if (round->organism) {
        OrganismInfo info = *round->organism;
        if (!round->polling)
            checkFreshness(info);
        // Messages that arrived after the server answered are counted already.
        info.totalMessages = std::max(info.totalMessages, organism().totalMessages);
        if (!sameOrganism(info, organism()))
            replaceOrganism(info);
    }
    if (round->agents && round->reloads == m_reloads && !m_reloading)
        applyAgents(withCapabilityData(*round->agents, capabilities()));
    if (round->usageEvents) {
        // Newest first from the server; anything beyond the page (a burst of more than 100 calls in
        // one round) is only in the counters.
        QList<UsageEvent> fresh;
        for (auto it = round->usageEvents->crbegin(); it != round->usageEvents->crend(); ++it) {
            if (it->id > m_lastUsageEventId)
                fresh.append(*it);
        }
        if (!fresh.isEmpty()) {
            m_lastUsageEventId = fresh.last().id;
            emit usageRecorded(fresh);
        }
    }
    if (round->usage && !sameUsage(*round->usage, usage()))
        replaceUsage(*round->usage);
    if (round->budgets && !sameBudgets(*round->budgets, budgets()))
        replaceBudgets(*round->budgets);
    if (round->scopeBudgets && *round->scopeBudgets != scopeBudgets())
        replaceScopeBudgets(*round->scopeBudgets);
    if (round->llmBackends)
        replaceLlmBackends(*round->llmBackends);
    for (const std::function<void()> &call : std::as_const(round->after)) {
        if (round->attempt != m_attempt)
            return;
        call();
    }
    // A full page of messages: more are waiting. Or someone waits for a round that has not begun.
    const bool behind = round->messages && round->messages->items.size() >= kPollMessages;
    if (behind || !m_nextRound.isEmpty())
        QMetaObject::invokeMethod(this, &RemoteSession::sync, Qt::QueuedConnection);
}

// Push mode: the server counted messages the stream never brought. Once is a race (the event is on its
// way); still behind at the next read, with nothing new pushed meanwhile, the stream has stalled (the
// original stops pushing after its first message, spec §6.3).
void RemoteSession::checkFreshness(const OrganismInfo &organism)
{
    if (updateMode() != UpdateMode::Push)
        return;
    if (organism.totalMessages <= m_lastSeq) {
        m_aheadOf = -1;
        return;
    }
    if (m_aheadOf == m_lastSeq) {
        switchToPolling(tr("the server counts %1 messages, %2 of them never pushed")
                            .arg(organism.totalMessages)
                            .arg(organism.totalMessages - m_lastSeq));
        return;
    }
    m_aheadOf = m_lastSeq;
}

void RemoteSession::applyPolledMessages(const std::shared_ptr<SyncRound> &round)
{
    const qint64 total = round->organism ? round->organism->totalMessages : 0;
    if (total - m_lastSeq > kResyncGap) {
        // Too many to replay batch by batch: everything is read again instead.
        qCInfo(lcRemote) << "polling:" << total - m_lastSeq << "messages behind; reading everything again";
        m_lastSeq = total;
        m_pending = {};
        emit resynchronized();
        round->messages.reset();
        return;
    }
    if (!round->messages)
        return;
    for (const MessageRecord &message : std::as_const(round->messages->items))
        onMessage(message);
}

// Threads whose status changed since the last round (the original never says so otherwise); the first
// sighting of a thread only records it.
void RemoteSession::applyPolledThreads(const QList<ThreadInfo> &threads)
{
    if (m_threadStatus.size() > kMaxThreadStatuses)
        m_threadStatus.clear();
    for (const ThreadInfo &thread : threads) {
        const auto known = m_threadStatus.constFind(thread.id);
        const bool changed = known != m_threadStatus.cend() && *known != thread.status;
        m_threadStatus.insert(thread.id, thread.status);
        if (!changed)
            continue;
        m_pending.updated.append(thread);
        if (*known == ThreadStatus::Active && thread.status != ThreadStatus::Active)
            --pendingOrganism().activeThreads;
    }
}

void RemoteSession::applyAgents(const QList<AgentInfo> &fresh)
{
    const QList<AgentInfo> current = agents();
    const bool sameList = std::equal(current.cbegin(), current.cend(), fresh.cbegin(), fresh.cend(),
                                     [](const AgentInfo &a, const AgentInfo &b) { return a.name == b.name; });
    if (!sameList) {
        replaceAgents(fresh);
        return;
    }
    QList<AgentInfo> changed;
    for (qsizetype i = 0; i < fresh.size(); ++i) {
        if (!sameAgent(fresh.at(i), current.at(i)))
            changed.append(fresh.at(i));
    }
    if (!changed.isEmpty())
        applyAgentChanges(changed);
}

// The agent list has no payloadType or rootTag; the capability of the same name has both.
QList<AgentInfo> RemoteSession::withCapabilityData(QList<AgentInfo> agents, const QList<Capability> &capabilities)
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

void RemoteSession::learnLayout(const QList<Capability> &capabilities)
{
    m_layout.clear();
    for (const Capability &capability : capabilities)
        m_layout.learn(capability.exampleXml);
}

// --- queries ----------------------------------------------------------------------------------------

// A thread list read page by page: the API pages by at most 100.
struct RemoteSession::ThreadRead
{
    ThreadQuery query;
    Context context;
    ThreadPageReply reply;
    quint64 generation = 0;
    ThreadPage page;
    qint64 offset = 0;
};

void RemoteSession::fetchThreads(const ThreadQuery &query, QObject *context, ThreadPageReply reply)
{
    if (!isConnected()) {
        deliver(context, [reply] { reply({}, notConnectedText()); });
        return;
    }
    auto read = std::make_shared<ThreadRead>();
    read->query = query;
    read->context = contextOf(context);
    read->reply = std::move(reply);
    read->generation = m_generation;
    read->page.offset = query.offset;
    read->page.limit = query.limit;
    read->offset = std::max<qint64>(query.offset, 0);
    if (updateMode() == UpdateMode::Polling) // read right after a round emitted everything before it
        afterNextRound([this, read] { readThreadPage(read); });
    else
        readThreadPage(read);
}

void RemoteSession::readThreadPage(const std::shared_ptr<ThreadRead> &read)
{
    const bool wantsAll = read->query.limit < 0;
    const qint64 remaining = wantsAll ? kThreadPageLimit : read->query.limit - read->page.items.size();
    QUrlQuery params;
    if (read->query.status)
        params.addQueryItem(u"status"_s, toString(*read->query.status));
    if (!read->query.agent.isEmpty())
        params.addQueryItem(u"agent"_s, read->query.agent);
    params.addQueryItem(u"limit"_s, QString::number(std::clamp<qint64>(remaining, 1, kThreadPageLimit)));
    params.addQueryItem(u"offset"_s, QString::number(read->offset));
    m_http->get(u"/api/v1/threads"_s, params, [this, read, wantsAll](const Response &response) {
        if (read->generation != m_generation)
            return;
        const auto page = response.ok() && response.json ? wire::parseThreadPage(*response.json) : std::nullopt;
        if (!page) {
            const QString error
                = response.ok() ? tr("unexpected answer to GET /api/v1/threads") : response.detailText();
            deliverFenced(read->context, [reply = read->reply, error] { reply({}, error); });
            return;
        }
        read->page.total = page->total;
        for (const ThreadInfo &thread : page->items) {
            if (wantsAll || read->page.items.size() < read->query.limit)
                read->page.items.append(thread);
        }
        read->offset += page->items.size();
        const bool complete = page->items.size() < kThreadPageLimit || read->offset >= page->total
                              || (!wantsAll && read->page.items.size() >= read->query.limit);
        if (!complete) {
            readThreadPage(read);
            return;
        }
        deliverFenced(read->context, [reply = read->reply, result = read->page] { reply(result, {}); });
    });
}

void RemoteSession::fetchThread(const QString &threadId, QObject *context, ThreadReply reply)
{
    if (!isConnected()) {
        deliver(context, [reply] { reply(std::nullopt, notConnectedText()); });
        return;
    }
    const QString path = u"/api/v1/threads/"_s + RemoteHttp::pathSegment(threadId);
    const auto start = [this, path, context = contextOf(context), reply, generation = m_generation] {
        m_http->get(path, {}, [this, context, reply, generation](const Response &response) {
            if (generation != m_generation)
                return;
            std::optional<ThreadInfo> thread
                = response.ok() && response.json ? wire::parseThreadInfo(*response.json) : std::nullopt;
            const QString error = thread ? QString() : response.detailText();
            deliverFenced(context, [reply, thread, error] { reply(thread, error); });
        });
    };
    if (updateMode() == UpdateMode::Polling)
        afterNextRound(start);
    else
        start();
}

RemoteSession::PageFetch RemoteSession::messagePages(const QString &path, const QUrlQuery &filters, bool threadPath)
{
    return [this, path, filters, threadPath, generation = m_generation](
               qint64 offset, int limit, std::function<void(const MessagePage &, const QString &)> reply) {
        QUrlQuery query = filters;
        query.addQueryItem(u"limit"_s, QString::number(limit));
        query.addQueryItem(u"offset"_s, QString::number(offset));
        m_http->get(path, query, [this, reply, threadPath, generation](const Response &response) {
            if (generation != m_generation)
                return;
            // An unknown thread has no messages, as in the local history.
            if (threadPath && response.status == 404 && response.error.detail.startsWith(u"Thread not found"_s)) {
                reply(MessagePage{}, {});
                return;
            }
            const auto page = response.ok() && response.json ? wire::parseMessagePage(*response.json, &m_layout)
                                                             : std::nullopt;
            if (!page) {
                reply({}, response.ok() ? tr("unexpected answer to GET /api/v1/messages") : response.detailText());
                return;
            }
            reply(*page, {});
        });
    };
}

void RemoteSession::fetchMessages(const MessageQuery &query, QObject *context, MessagePageReply reply)
{
    if (!isConnected()) {
        deliver(context, [reply] { reply({}, notConnectedText()); });
        return;
    }
    readMessages(query, [this, context = contextOf(context), reply](const MessagePage &page, const QString &error) {
        // Pages are merged by seq (Session's exception): no fence needed.
        if (!context.isGone())
            deliver(context.object.data(), [reply, page, error] { reply(page, error); });
    });
}

void RemoteSession::readMessages(const MessageQuery &query, MessagesRead done)
{
    // The server filters what it can — the original only by agent (or a thread, through its own path),
    // agentdesk also by thread, payload type, time and `after` — and the rest is filtered here.
    const QString messagesPath = u"/api/v1/messages"_s;
    const auto serves = [this, &messagesPath](const QString &name) {
        return m_api.acceptsQuery(u"GET"_s, messagesPath, name);
    };
    const bool threadPath = !query.threadId.isEmpty() && !serves(u"thread"_s);
    const QString path = threadPath ? u"/api/v1/threads/"_s + RemoteHttp::pathSegment(query.threadId) + u"/messages"_s
                                    : messagesPath;
    QUrlQuery filters;
    MessageQuery local; // what is left for the client
    if (!threadPath) {
        if (!query.agent.isEmpty())
            filters.addQueryItem(u"agent"_s, query.agent);
        if (!query.threadId.isEmpty())
            filters.addQueryItem(u"thread"_s, query.threadId);
    } else {
        local.agent = query.agent;
    }
    const auto serverOrLocal = [&](const QString &name, bool given, const QString &value, auto keepLocal) {
        if (!given)
            return;
        if (!threadPath && serves(name))
            filters.addQueryItem(name, value);
        else
            keepLocal();
    };
    serverOrLocal(u"payloadType"_s, !query.payloadType.isEmpty(), query.payloadType,
                  [&] { local.payloadType = query.payloadType; });
    serverOrLocal(u"since"_s, query.since.isValid(), wire::formatTimestamp(query.since),
                  [&] { local.since = query.since; });
    serverOrLocal(u"until"_s, query.until.isValid(), wire::formatTimestamp(query.until),
                  [&] { local.until = query.until; });
    serverOrLocal(u"text"_s, !query.text.isEmpty(), query.text, [&] { local.text = query.text; });

    RemoteMessageReader::Request request;
    request.query = query;
    const bool clientFilters = !local.agent.isEmpty() || !local.payloadType.isEmpty() || local.since.isValid()
                               || local.until.isValid() || !local.text.isEmpty();
    if (clientFilters) {
        // The text is searched in the XML rebuilt from the payload (the server's own XML is not sent):
        // element names and values as the local history would match them.
        request.clientFilter = [local](const MessageRecord &message) {
            if (!local.agent.isEmpty() && message.from != local.agent && message.to != local.agent)
                return false;
            if (!local.payloadType.isEmpty() && message.payloadType != local.payloadType)
                return false;
            if (local.since.isValid() && message.timestamp < local.since)
                return false;
            if (local.until.isValid() && message.timestamp > local.until)
                return false;
            return local.text.isEmpty() || QString::fromUtf8(message.xml).contains(local.text, Qt::CaseInsensitive);
        };
    } else if (query.afterSeq > 0 && !threadPath && serves(u"after"_s)) {
        // With client filters the whole list is counted, so `after` is only used without them.
        filters.addQueryItem(u"after"_s, QString::number(query.afterSeq));
        request.serverAppliesAfter = true;
    }
    RemoteMessageReader::read(request, messagePages(path, filters, threadPath), std::move(done));
}

void RemoteSession::fetchConversation(const QString &threadId, int limit, QObject *context, MessagePageReply reply)
{
    MessageQuery query;
    query.threadId = threadId;
    query.limit = limit;
    query.newestFirst = true; // the newest `limit`, then turned around
    fetchMessages(query, context, [reply](const MessagePage &page, const QString &error) {
        MessagePage oldestFirst = page;
        std::reverse(oldestFirst.items.begin(), oldestFirst.items.end());
        reply(oldestFirst, error);
    });
}

void RemoteSession::fetchTimeline(const QString &threadId, int limit, QObject *context, TraceReply reply)
{
    if (!isConnected()) {
        deliver(context, [reply] { reply(std::nullopt, notConnectedText()); });
        return;
    }
    if (!abilities().tracesThreads) {
        remotetrace::readFromMessages(this, threadId, limit, context, std::move(reply));
        return;
    }
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, QString::number(std::clamp(limit, 1, 5000)));
    const QString path = u"/api/v1/threads/"_s + RemoteHttp::pathSegment(threadId) + u"/timeline"_s;
    m_http->get(path, query, [this, context = contextOf(context), reply, generation = m_generation](const Response &response) {
        if (generation != m_generation)
            return;
        std::optional<ThreadTrace> trace
            = response.ok() && response.json ? wire::parseThreadTrace(*response.json, &m_layout) : std::nullopt;
        const QString error = trace ? QString() : response.detailText();
        deliverFenced(context, [reply, trace, error] { reply(trace, error); });
    });
}

void RemoteSession::fetchUsageBuckets(UsageBucketSize size, UsageGroupBy groupBy, const QDateTime &since,
                                      const QDateTime &until, const UsageSeriesFilter &filter, QObject *context,
                                      UsageBucketsReply reply)
{
    if (!isConnected()) {
        deliver(context, [reply] { reply({}, notConnectedText()); });
        return;
    }
    if (filter.outcome && !abilities().filtersUsageOutcome) {
        deliver(context, [reply] { reply({}, tr("this server cannot tell calls apart by outcome")); });
        return;
    }
    const QString path = u"/api/v1/usage/timeseries"_s;
    if (!abilities().bucketsUsage) {
        // The original has no usage over time, but its history has every call: the buckets are built here.
        if (!m_hasUsageHistory) {
            deliver(context, [reply] { reply({}, tr("this server keeps no usage over time")); });
            return;
        }
        remoteusage::readBuckets(m_http, size, groupBy, since, until, filter,
                                 [this, context = contextOf(context), reply, generation = m_generation](
                                     const QList<UsageBucket> &buckets, const QString &error) {
                                     if (generation == m_generation)
                                         deliverFenced(context, [reply, buckets, error] { reply(buckets, error); });
                                 });
        return;
    }
    QUrlQuery query;
    query.addQueryItem(u"bucket"_s, bucketName(size));
    query.addQueryItem(u"groupBy"_s, groupBy == UsageGroupBy::Model ? u"model"_s : u"agent"_s);
    if (since.isValid())
        query.addQueryItem(u"since"_s, wire::formatTimestamp(since));
    if (until.isValid())
        query.addQueryItem(u"until"_s, wire::formatTimestamp(until));
    if (!filter.agent.isEmpty())
        query.addQueryItem(u"agent"_s, filter.agent);
    if (!filter.model.isEmpty())
        query.addQueryItem(u"model"_s, filter.model);
    if (filter.outcome)
        query.addQueryItem(u"outcome"_s, toString(*filter.outcome));
    m_http->get(
        path, query, [this, context = contextOf(context), reply, generation = m_generation](const Response &response) {
            if (generation != m_generation)
                return;
            if (response.status == 404) {
                deliverFenced(context, [reply] { reply({}, tr("this server keeps no usage over time")); });
                return;
            }
            const auto buckets
                = response.ok() && response.json ? wire::parseUsageTimeseries(*response.json) : std::nullopt;
            const QString error = buckets ? QString() : response.detailText();
            deliverFenced(context,
                          [reply, result = buckets.value_or(QList<UsageBucket>()), error] { reply(result, error); });
        });
}

// --- commands ---------------------------------------------------------------------------------------

void RemoteSession::inject(const InjectRequest &request, QObject *context, InjectReply reply)
{
    InjectResult refused;
    refused.error = InjectResult::Error::NotRunning;
    if (!isConnected()) {
        refused.message = notConnectedText();
        deliver(context, [reply, refused] { reply(refused); });
        return;
    }
    QVariantMap fields;
    if (!payloadFields(request.fields, request.xml, &fields, &refused)) {
        deliver(context, [reply, refused] { reply(refused); });
        return;
    }
    QCborMap body;
    body[u"to"_s] = request.to;
    body[u"payload"_s] = wire::payloadJson(fields);
    if (!request.threadId.isEmpty())
        body[u"threadId"_s] = request.threadId;
    // agentdesk records who sent it (the window's injects come from the operator); the original ignores
    // keys it does not know and records "api".
    if (!request.from.isEmpty() && request.from != u"api")
        body[u"from"_s] = request.from;
    postInject(u"/api/v1/inject"_s, body, context, std::move(reply));
}

void RemoteSession::branch(const BranchRequest &request, QObject *context, InjectReply reply)
{
    InjectResult refused;
    refused.error = InjectResult::Error::NotRunning;
    if (!isConnected() || !abilities().branchesThreads) {
        refused.message = isConnected() ? tr("this server does not offer replay and fork (agentdesk extensions)")
                                        : notConnectedText();
        deliver(context, [reply, refused] { reply(refused); });
        return;
    }
    QVariantMap fields;
    if (!payloadFields(request.fields, request.xml, &fields, &refused)) {
        deliver(context, [reply, refused] { reply(refused); });
        return;
    }
    QCborMap body;
    body[u"messageId"_s] = request.messageId;
    if (!fields.isEmpty())
        body[u"payload"_s] = wire::payloadJson(fields);
    body[u"from"_s] = request.from;
    postInject(u"/api/v1/threads/"_s + RemoteHttp::pathSegment(request.threadId) + u'/' + toString(request.kind), body,
               context, std::move(reply));
}

void RemoteSession::postInject(const QString &path, const QCborMap &body, QObject *context, InjectReply reply)
{
    m_http->post(path, wire::writeJson(body),
                 [this, context = contextOf(context), reply, generation = m_generation](const Response &response) {
                     if (generation != m_generation)
                         return;
                     InjectResult result;
                     if (response.ok() && response.json) {
                         result.threadId = wire::jsonText(*response.json, u"threadId"_s);
                         result.messageId = wire::jsonText(*response.json, u"messageId"_s);
                     } else {
                         result = injectFailure(response);
                     }
                     if (result.ok() && updateMode() == UpdateMode::Polling) {
                         afterNextRound([this, context, reply, result] {
                             deliverFenced(context, [reply, result] { reply(result); });
                         });
                         return;
                     }
                     deliverFenced(context, [reply, result] { reply(result); });
                 });
}

void RemoteSession::command(const QString &path, QObject *context, Done done)
{
    if (!isConnected()) {
        deliver(context, [done] { done(CommandResult::failure(notConnectedText())); });
        return;
    }
    m_http->post(
        path, {}, [this, context = contextOf(context), done, generation = m_generation](const Response &response) {
            if (generation != m_generation)
                return;
            afterCommand(context, done,
                         response.ok() ? CommandResult::success() : CommandResult::failure(response.detailText()));
        });
}

void RemoteSession::afterCommand(const Context &context, Done done, const CommandResult &result)
{
    if (result.ok && updateMode() == UpdateMode::Polling) {
        // What the command changed is read by the next round and emitted before the answer.
        afterNextRound([this, context, done, result] { deliverFenced(context, [done, result] { done(result); }); });
        return;
    }
    deliverFenced(context, [done, result] { done(result); });
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
    if (!isConnected()) {
        deliver(context, [done] { done(CommandResult::failure(notConnectedText())); });
        return;
    }
    if (maxTokens < 1) {
        deliver(context, [done] { done(CommandResult::failure(tr("maxTokens must be at least 1"))); });
        return;
    }
    QCborMap body;
    body[u"maxTokens"_s] = maxTokens;
    const QString path = u"/api/v1/usage/threads/"_s + RemoteHttp::pathSegment(threadId);
    m_http->put(path, wire::writeJson(body),
                [this, context = contextOf(context), done, generation = m_generation](const Response &response) {
                    if (generation != m_generation)
                        return;
                    if (!response.ok()) {
                        // An original server has no such endpoint (404 "Not Found", or 405).
                        const bool unsupported = response.status == 405
                                                 || (response.status == 404 && response.error.detail == u"Not Found");
                        afterCommand(context, done,
                                     CommandResult::failure(unsupported ? tr("this server cannot change thread budgets")
                                                                        : response.detailText()));
                        return;
                    }
                    // The budget list changed: read it before reporting success, as the local session does.
                    m_http->get(
                        u"/api/v1/usage/threads"_s, {}, [this, context, done, generation](const Response &list) {
                            if (generation != m_generation)
                                return;
                            const auto budgets
                                = list.ok() && list.json ? wire::parseThreadBudgetList(*list.json) : std::nullopt;
                            deliverFenced({}, [this, context, done, budgets, generation] {
                                if (!isCurrent(generation))
                                    return;
                                if (budgets && !sameBudgets(budgets->budgets, this->budgets()))
                                    replaceBudgets(budgets->budgets);
                                if (!context.isGone())
                                    done(CommandResult::success());
                            });
                        });
                });
}

void RemoteSession::setScopeBudget(const QString &scope, const ScopeBudgets::Change &change, QObject *context,
                                   Done done)
{
    if (!isConnected()) {
        deliver(context, [done] { done(CommandResult::failure(notConnectedText())); });
        return;
    }
    if (!abilities().scopeBudgets) {
        deliver(context, [done] { done(CommandResult::failure(tr("this server has no agent or organism budgets"))); });
        return;
    }
    const QString path = u"/api/v1/usage/budgets/"_s + RemoteHttp::pathSegment(scope);
    m_http->put(path, wire::scopeBudgetUpdateJson(change),
                [this, context = contextOf(context), done, generation = m_generation](const Response &response) {
                    if (generation != m_generation)
                        return;
                    if (!response.ok()) {
                        afterCommand(context, done, CommandResult::failure(response.detailText()));
                        return;
                    }
                    // The list changed (and a raise may have released threads): read it before
                    // reporting success, as the local session does.
                    const auto reread = [this, context, done, generation](const Response &list) {
                        if (generation != m_generation)
                            return;
                        const auto budgets
                            = list.ok() && list.json ? wire::parseScopeBudgetList(*list.json) : std::nullopt;
                        deliverFenced({}, [this, context, done, budgets, generation] {
                            if (!isCurrent(generation))
                                return;
                            if (budgets && *budgets != scopeBudgets())
                                replaceScopeBudgets(*budgets);
                            if (!context.isGone())
                                done(CommandResult::success());
                        });
                    };
                    m_http->get(u"/api/v1/usage/budgets"_s, {}, reread);
                });
}

void RemoteSession::reloadConfig(QObject *context, ReloadReply reply)
{
    if (!isConnected()) {
        deliver(context, [reply] {
            ReloadResult result;
            result.error = notConnectedText();
            reply(result);
        });
        return;
    }
    m_http->post(u"/api/v1/organism/reload"_s, {},
                 [this, context = contextOf(context), reply, generation = m_generation](const Response &response) {
                     if (generation != m_generation)
                         return;
                     ReloadResult result;
                     if (response.ok() && response.json)
                         result = wire::parseReloadResult(*response.json);
                     else
                         result.error = response.detailText(); // 500 with the reason (spec §5.15)
                     deliverFenced(context, [reply, result] { reply(result); });
                 });
}

void RemoteSession::stopOrganism(QObject *context, Done done)
{
    if (!isConnected()) {
        deliver(context, [done] { done(CommandResult::failure(notConnectedText())); });
        return;
    }
    m_http->post(u"/api/v1/organism/stop"_s, {},
                 [this, context = contextOf(context), done, generation = m_generation](const Response &response) {
                     if (generation != m_generation)
                         return;
                     if (response.ok()) {
                         // No event reports the status: follow it by reading the organism.
                         m_dirty = true;
                         sync();
                     }
                     afterCommand(context, done,
                                  response.ok() ? CommandResult::success()
                                                : CommandResult::failure(response.detailText()));
                 });
}

void RemoteSession::resetUsage(QObject *context, Done done)
{
    if (!isConnected()) {
        deliver(context, [done] { done(CommandResult::failure(notConnectedText())); });
        return;
    }
    m_http->post(u"/api/v1/usage/reset"_s, {},
                 [this, context = contextOf(context), done, generation = m_generation](const Response &response) {
                     if (generation != m_generation)
                         return;
                     if (!response.ok()) {
                         const QString error = response.status == 404 ? tr("this server does not track usage")
                                                                      : response.detailText();
                         afterCommand(context, done, CommandResult::failure(error));
                         return;
                     }
                     // No event announces a reset: the zeroed counters are read before success is reported.
                     m_http->get(u"/api/v1/usage"_s, {}, [this, context, done, generation](const Response &read) {
                         if (generation != m_generation)
                             return;
                         auto usage = read.ok() && read.json ? wire::parseUsageSnapshot(*read.json) : std::nullopt;
                         if (usage)
                             usage = remoteusage::completed(*usage, *read.json);
                         deliverFenced({}, [this, context, done, usage, generation] {
                             if (!isCurrent(generation))
                                 return;
                             if (usage)
                                 replaceUsage(*usage);
                             if (!context.isGone())
                                 done(CommandResult::success());
                         });
                     });
                 });
}

} // namespace agentdesk
