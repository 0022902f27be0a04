#include "remoteconnection.h"

#include "remotehttp.h"
#include "remoteusage.h"

#include "agentparser.h"
#include "budgetjson.h"
#include "capabilityparser.h"
#include "eventparser.h"
#include "jsonparser.h"
#include "llmjson.h"
#include "organismparser.h"
#include "usageparser.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QWebSocket>

#include <algorithm>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcRemote)

namespace agentdesk {

namespace {

using Response = RemoteHttp::Response;

constexpr int kUsageHistoryPage = 100;
// The key check writes to a listener no organism has: 401/403 for a wrong key, 404 for a right one.
const QString kKeyProbeAgent = u"~agentdesk-key-check~"_s;
// An agentdesk server sends streamed reply text (llm_delta) only to clients that name it; naming one
// event means naming every event the window wants.
const QString kSubscribeWithPartials =
    uR"({"cmd":"subscribe","events":["message","agent_state","thread_created","thread_updated","error","reload",)"
    uR"("budget_warning","budget_exhausted","budget_raised","organism","llm_delta"]})"_s;

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

} // namespace

// The REST snapshots of one attempt, loaded in parallel.
struct RemoteConnection::Loading
{
    quint64 attempt = 0;
    Session::Snapshot snapshot;
    int pending = 0;
    bool failed = false;
};

RemoteConnection::RemoteConnection(RemoteHttp *http, const QUrl &baseUrl, const QByteArray &apiKey, QObject *parent)
    : QObject(parent)
    , m_http(http)
    , m_baseUrl(baseUrl)
    , m_apiKey(apiKey)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &RemoteConnection::retry);
    m_handshakeTimer.setSingleShot(true);
    connect(&m_handshakeTimer, &QTimer::timeout, this, &RemoteConnection::onHandshakeTimeout);
}

RemoteConnection::~RemoteConnection()
{
    m_phase = Phase::Idle;
    ++m_attempt;
    dropSocket();
}

void RemoteConnection::open()
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

void RemoteConnection::close()
{
    m_phase = Phase::Idle;
    ++m_attempt;
    m_retryTimer.stop();
    m_handshakeTimer.stop();
    dropSocket();
    m_loading.reset();
}

void RemoteConnection::send(const QString &text)
{
    if (hasSocket())
        m_socket->sendTextMessage(text);
}

void RemoteConnection::startAttempt()
{
    m_phase = Phase::Loading;
    const quint64 attempt = ++m_attempt;
    m_features = {};
    emit attemptStarted();
    m_http->get(u"/health"_s, {}, [this, attempt](const Response &response) {
        if (attempt != m_attempt)
            return;
        if (!response.ok()) {
            fail(openError(u"/health"_s, response), isTransient(response));
            return;
        }
        if (!response.json || !wire::parseHealth(*response.json)) {
            fail(QCoreApplication::translate("agentdesk::RemoteSession",
                                             "%1 is not an AgentServer: GET /health did not answer as one")
                     .arg(m_baseUrl.toDisplayString(QUrl::RemoveUserInfo)),
                 false);
            return;
        }
        readDescription(attempt);
    });
}

// Which optional endpoints and query parameters the server has; without a description, only what
// every version of the original has is used.
void RemoteConnection::readDescription(quint64 attempt)
{
    m_http->get(u"/openapi.json"_s, {}, [this, attempt](const Response &response) {
        if (attempt != m_attempt)
            return;
        m_features.api = response.ok() && response.json ? wire::parseOpenApi(*response.json) : wire::ApiDescription{};
        checkKey(attempt);
    });
}

// Most servers read without a key, so the reads cannot tell whether it is right; a write to a listener
// that does not exist can, and changes nothing either way.
void RemoteConnection::checkKey(quint64 attempt)
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
            fail(response.errorText(), false);
            return;
        }
        if (!response.reached()) {
            fail(response.errorText(), true);
            return;
        }
        loadSnapshots(attempt);
    });
}

void RemoteConnection::loadSnapshots(quint64 attempt)
{
    auto loading = std::make_shared<Loading>();
    loading->attempt = attempt;
    m_loading = loading;
    const auto failLoading = [this, loading](const QString &path, const Response &response) {
        if (loading->failed)
            return;
        loading->failed = true;
        fail(openError(path, response), isTransient(response));
    };
    // One GET of the snapshot; `read` answers whether the answer was usable (or could be done without).
    const auto load = [this, loading, failLoading](const QString &path, const QUrlQuery &query,
                                                   std::function<bool(const Response &)> read) {
        ++loading->pending;
        m_http->get(path, query, [this, loading, failLoading, path, read](const Response &response) {
            if (loading->attempt != m_attempt || loading->failed)
                return;
            if (!read(response)) {
                failLoading(path, response);
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
        m_features.usage = usage.has_value();
        if (usage)
            loading->snapshot.usage = remoteusage::completed(*usage, *response.json);
        return usage || response.status == 404;
    });
    load(u"/api/v1/usage/threads"_s, {}, [this, loading](const Response &response) {
        const auto list = response.ok() && response.json ? wire::parseThreadBudgetList(*response.json) : std::nullopt;
        m_features.threadBudgets = list.has_value();
        if (list) {
            loading->snapshot.budgets = list->budgets;
            loading->snapshot.defaultThreadBudget = list->defaultMaxTokens;
        }
        return list || response.status == 404;
    });
    // agentdesk's agent and organism budgets and its LLM backends (issue 11): the original has neither.
    load(u"/api/v1/usage/budgets"_s, {}, [this, loading](const Response &response) {
        const auto list = response.ok() && response.json ? wire::parseScopeBudgetList(*response.json) : std::nullopt;
        m_features.scopeBudgets = list.has_value();
        if (list)
            loading->snapshot.scopeBudgets = *list;
        return list || response.reached();
    });
    load(u"/api/v1/llm/backends"_s, {}, [this, loading](const Response &response) {
        const auto list = response.ok() && response.json ? wire::parseLlmBackends(*response.json) : std::nullopt;
        m_features.backends = list.has_value();
        if (list)
            loading->snapshot.llmBackends = *list;
        return list || response.reached();
    });
    const QUrlQuery recent{{u"limit"_s, QString::number(kUsageHistoryPage)}};
    load(u"/api/v1/usage/history"_s, recent, [this, loading](const Response &response) {
        const auto page = response.ok() && response.json ? wire::parseUsageHistory(*response.json) : std::nullopt;
        m_features.usageHistory = page.has_value();
        if (page)
            loading->snapshot.recentUsage = page->items; // which provider served which model
        return page || response.reached();               // the history is a convenience: any answer will do
    });

    ++loading->pending;
    loadCapabilities([this, loading](const Result<QList<Capability>> &capabilities) {
        if (loading->attempt != m_attempt || loading->failed)
            return;
        if (!capabilities) {
            loading->failed = true;
            fail(capabilities.error().message, true);
            return;
        }
        loading->snapshot.capabilities = *capabilities;
        --loading->pending;
        loaded(loading);
    });
}

void RemoteConnection::loadCapabilities(CapabilitiesLoaded done)
{
    m_http->get(u"/api/v1/capabilities"_s, {}, [this, attempt = m_attempt, done](const Response &response) {
        if (attempt != m_attempt)
            return;
        if (response.status == 404) {
            done(QList<Capability>());
            return;
        }
        const auto list = response.ok() && response.json ? wire::parseCapabilityList(*response.json) : std::nullopt;
        if (!list) {
            done(agentdesk::fail(openError(u"/api/v1/capabilities"_s, response)));
            return;
        }
        if (list->isEmpty()) {
            done(*list);
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
                    done(*details);
            });
        }
    });
}

void RemoteConnection::loaded(const std::shared_ptr<Loading> &loading)
{
    if (loading->pending == 0 && !loading->failed)
        openSocket();
}

void RemoteConnection::openSocket()
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

void RemoteConnection::onFrame(quint64 attempt, const QString &text)
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
        complete(connected ? &*connected : nullptr, UpdateMode::Push);
        return;
    }
    if (m_phase == Phase::Live)
        emit frameReceived(*frame);
}

void RemoteConnection::onHandshakeTimeout()
{
    if (m_phase != Phase::Handshake)
        return;
    // A /ws that accepts but never sends its snapshot, or does not connect at all, while every REST read
    // worked: go on with what REST said, and keep reading it.
    qCWarning(lcRemote) << "no snapshot on /ws in time; carrying on from REST by polling";
    complete(nullptr, UpdateMode::Polling);
}

void RemoteConnection::complete(const wire::ConnectedSnapshot *connected, UpdateMode mode)
{
    m_handshakeTimer.stop();
    if (!m_loading)
        return;
    Session::Snapshot snapshot = std::exchange(m_loading, nullptr)->snapshot;
    snapshot.abilities = m_features.abilities();
    if (mode == UpdateMode::Polling)
        dropSocket(); // nothing more comes through it
    // The WebSocket's snapshot is where its event stream starts: it wins over the REST reads before it.
    QList<ThreadInfo> threads;
    if (connected) {
        snapshot.organism = connected->organism;
        snapshot.agents = connected->agents;
        threads = connected->threads;
    }
    m_phase = Phase::Live;
    m_retryDelayMs = kFirstRetryMs;
    if (m_features.api.agentdesk && m_socket)
        m_socket->sendTextMessage(kSubscribeWithPartials);
    emit established(snapshot, threads, mode);
}

QString RemoteConnection::socketProblem() const
{
    // The texts keep RemoteSession's translation context, where they were translated.
    if (!m_socket)
        return QCoreApplication::translate("agentdesk::RemoteSession", "closed");
    if (!m_socket->closeReason().isEmpty())
        return QCoreApplication::translate("agentdesk::RemoteSession", "%1 (close code %2)")
            .arg(m_socket->closeReason())
            .arg(int(m_socket->closeCode()));
    if (m_socket->error() != QAbstractSocket::UnknownSocketError)
        return m_socket->errorString();
    if (m_socket->closeCode() != QWebSocketProtocol::CloseCodeNormal)
        return QCoreApplication::translate("agentdesk::RemoteSession", "closed with code %1")
            .arg(int(m_socket->closeCode()));
    return QCoreApplication::translate("agentdesk::RemoteSession", "closed by the server");
}

void RemoteConnection::onSocketGone(quint64 attempt)
{
    if (attempt != m_attempt || !m_socket)
        return;
    const QString problem = socketProblem();
    if (m_phase == Phase::Handshake && m_loading) {
        // The original drops /ws before its snapshot whenever a thread exists (spec §6.3); REST worked.
        qCWarning(lcRemote).noquote() << "/ws failed before its snapshot:" << problem << "- polling instead";
        complete(nullptr, UpdateMode::Polling);
        return;
    }
    if (m_phase != Phase::Live) {
        fail(QCoreApplication::translate("agentdesk::RemoteSession", "WebSocket %1: %2")
                 .arg(m_http->webSocketUrl(u"/ws"_s).toDisplayString(), problem),
             true);
        return;
    }
    emit socketLost();
    if (attempt != m_attempt)
        return; // a receiver closed the connection
    dropSocket();
    // The WebSocket alone may have gone: if REST still answers, carry on from it.
    m_http->get(u"/api/v1/organism"_s, {}, [this, attempt, problem](const Response &response) {
        if (attempt != m_attempt || m_phase != Phase::Live)
            return;
        if (response.ok())
            emit pushLost(problem);
        else
            fail(QCoreApplication::translate("agentdesk::RemoteSession", "Connection to the server lost: %1")
                     .arg(problem),
                 true);
    });
}

void RemoteConnection::fail(const QString &reason, bool retry)
{
    ++m_attempt;
    m_handshakeTimer.stop();
    dropSocket();
    m_loading.reset();
    m_phase = retry ? Phase::Waiting : Phase::Idle;
    emit failed(reason, retry);
    if (retry && m_phase == Phase::Waiting) {
        m_retryTimer.start(m_retryDelayMs);
        m_retryDelayMs = std::min(m_retryDelayMs * 2, kMaxRetryMs);
    }
}

void RemoteConnection::dropSocket()
{
    if (!m_socket)
        return;
    QWebSocket *socket = std::exchange(m_socket, nullptr);
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void RemoteConnection::retry()
{
    if (m_phase == Phase::Waiting)
        startAttempt();
}

} // namespace agentdesk
