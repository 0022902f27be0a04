#pragma once

#include "session.h"

#include "messageparser.h"
#include "openapiparser.h"

#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>

class QJsonObject;
class QWebSocket;

namespace agentdesk {

class RemoteHttp;
namespace wire {
struct AgentStateChange;
struct ConnectedSnapshot;
struct ThreadStatusChange;
}

// A Session over any AgentServer — another agentdesk or the original Python server — through its REST
// API and the /ws WebSocket. Everything is asynchronous (QNetworkAccessManager, QWebSocket).
//
// - open() reads /health, /openapi.json (which optional endpoints and query parameters exist — and
//   whether the server is agentdesk, which really does what the original only pretends: abilities()),
//   checks the API key, loads organism, agents, capabilities (with their details), usage, budgets and the
//   latest metered calls — the usage endpoints may be missing (the original S1/S2 had none) — then
//   connects /ws and takes its `connected` snapshot. Failures end in Disconnected with the reason
//   (connection refused, TLS, the HTTP status and the server's detail); transport failures are retried,
//   a refused key is not.
// - When /ws fails and REST works, the session carries on from REST (UpdateMode::Polling): the original's
//   /ws drops the connection before its snapshot whenever a thread exists, and after the first message it
//   pushes nothing more (its serialisation defect, spec §6.3). Every 2 s it reads the messages after the
//   newest one shown (keyset `after` where the server has it, offsets otherwise), the most recent threads
//   (for status changes) and the snapshots, and emits them as the same batches /ws would have brought.
//   In push mode the organism's message total is checked every 2 s as well: a total that stays ahead of
//   the messages pushed means the stream stalled, and the session switches to polling. A gap too large
//   to replay is not replayed: the session emits resynchronized() and the models read everything again.
// - WebSocket frames become the Session's batches: frames that arrive in one event-loop turn are
//   emitted together, in the organism's order (threads created, messages, agents, threads updated,
//   errors, budgets). Caches follow: a message counts for its sender and the organism; while
//   anything changes, organism, agents, usage and budgets are re-read every 2 s (usageRecorded comes
//   from /usage/history where it exists).
// - Ordering contract of Session: a command's or query's answer is held back until a {"cmd":"ping"}
//   sent after the answer arrived has been answered, so every event the answer reflects has been
//   emitted before it. (The original answers ping with an "Unknown command" error, which orders
//   just as well.) The same ping every 60 s keeps the connection inside the server's idle limit.
// - When the WebSocket or the server goes away: Disconnected with the reason, then new attempts after
//   1 s, 2 s, 4 s … 30 s; a successful one reloads every snapshot (agentsReset etc.). While polling,
//   the ordering contract holds by sequence instead: a thread query is read right after a polling round
//   has emitted everything before it, and a command is answered after the round that follows it.
// - close() stops everything and drops the answers still on their way.
class RemoteSession final : public Session
{
    Q_OBJECT
public:
    // baseUrl: http(s)://host:port[/prefix]. apiKey: sent as "Authorization: Bearer" when not empty.
    RemoteSession(const QUrl &baseUrl, const QString &apiKey, QObject *parent = nullptr);
    ~RemoteSession() override;

    QString endpoint() const override;
    void open() override;
    void close() override;

    void fetchThreads(const ThreadQuery &query, QObject *context, ThreadPageReply reply) override;
    void fetchThread(const QString &threadId, QObject *context, ThreadReply reply) override;
    void fetchMessages(const MessageQuery &query, QObject *context, MessagePageReply reply) override;
    void fetchConversation(const QString &threadId, int limit, QObject *context, MessagePageReply reply) override;
    void fetchTimeline(const QString &threadId, int limit, QObject *context, TraceReply reply) override;
    void fetchUsageBuckets(UsageBucketSize size, UsageGroupBy groupBy, const QDateTime &since, const QDateTime &until,
                           const UsageSeriesFilter &filter, QObject *context, UsageBucketsReply reply) override;

    void inject(const InjectRequest &request, QObject *context, InjectReply reply) override;
    void branch(const BranchRequest &request, QObject *context, InjectReply reply) override;
    void pauseAgent(const QString &name, QObject *context, Done done) override;
    void resumeAgent(const QString &name, QObject *context, Done done) override;
    void killThread(const QString &threadId, QObject *context, Done done) override;
    void retryThread(const QString &threadId, QObject *context, Done done) override;
    void setThreadBudget(const QString &threadId, qint64 maxTokens, QObject *context, Done done) override;
    void setScopeBudget(const QString &scope, const ScopeBudgets::Change &change, QObject *context,
                        Done done) override;
    void reloadConfig(QObject *context, ReloadReply reply) override;
    void stopOrganism(QObject *context, Done done) override;
    void resetUsage(QObject *context, Done done) override;

    QUrl baseUrl() const { return m_baseUrl; }
    // Disconnected, and a new attempt is scheduled (after a failure that waiting may cure).
    bool isReconnecting() const { return m_phase == Phase::Waiting; }
    // What the server's /openapi.json says it serves (known == false when it has none).
    const wire::ApiDescription &serverDescription() const { return m_api; }

private:
    enum class Phase { Idle, Loading, Handshake, Live, Waiting };
    using MessagesRead = std::function<void(const MessagePage &page, const QString &error)>;
    struct Loading;
    struct SyncRound;
    struct ThreadRead;
    // The context of a query or command, watched from the call on (a raw pointer could dangle by the
    // time the answer arrives).
    struct Context
    {
        bool guarded = false;
        QPointer<QObject> object;
        bool isGone() const { return guarded && !object; }
    };
    static Context contextOf(QObject *object) { return {object != nullptr, object}; }
    struct Fence
    {
        quint64 ping = 0; // released once this many pings have been answered
        Context context;
        std::function<void()> call;
    };
    struct Pending
    {
        QList<ThreadInfo> created;
        QList<MessageRecord> messages;
        QList<AgentInfo> agents;
        QHash<QString, qsizetype> agentRows;
        QList<ThreadInfo> updated;
        QList<ErrorEvent> errors;
        QList<BudgetEvent> budgets;
        std::optional<OrganismInfo> organism;
    };

    // --- connecting ---
    void startAttempt();
    void failAttempt(const QString &reason, bool retry);
    void readDescription(quint64 attempt);
    void checkKey(quint64 attempt);
    void loadSnapshots(quint64 attempt);
    using CapabilitiesLoaded = std::function<void(const std::optional<QList<Capability>> &capabilities,
                                                  const QString &error)>;
    void loadCapabilities(quint64 attempt, CapabilitiesLoaded done);
    void loaded(const std::shared_ptr<Loading> &loading);
    void openSocket();
    void completeConnection(const wire::ConnectedSnapshot *connected, UpdateMode mode = UpdateMode::Push);
    ServerAbilities abilitiesOfServer() const;
    void switchToPolling(const QString &why);
    void onHandshakeTimeout();
    void onSocketGone(quint64 attempt);
    QString socketProblem() const;
    void dropSocket();
    void retry();

    // --- live events ---
    void onFrame(quint64 attempt, const QString &text);
    void onLiveFrame(const QJsonObject &frame);
    void onMessage(const MessageRecord &message);
    void onAgentState(const wire::AgentStateChange &change);
    void onThreadUpdated(const wire::ThreadStatusChange &change);
    void onReloadEvent(const ReloadResult &result);
    AgentInfo *pendingAgent(const QString &name);
    OrganismInfo &pendingOrganism();
    void scheduleFlush();
    void flushEvents();

    // --- ordering and keep-alive ---
    void deliverFenced(const Context &context, std::function<void()> call);
    void sendPing();
    void onPong();
    void releaseFences(quint64 answered);

    // --- periodic re-reads (and, while polling, the events) ---
    void sync();
    void checkFreshness(const OrganismInfo &organism);
    void afterNextRound(std::function<void()> call); // polling: once a round that starts now is applied
    void applyPolledMessages(const std::shared_ptr<SyncRound> &round);
    void applyPolledThreads(const QList<ThreadInfo> &threads);
    void applySync(const std::shared_ptr<SyncRound> &round);
    void applyAgents(const QList<AgentInfo> &agents);
    static QList<AgentInfo> withCapabilityData(QList<AgentInfo> agents, const QList<Capability> &capabilities);
    void learnLayout(const QList<Capability> &capabilities);

    // --- queries and commands ---
    bool isCurrent(quint64 generation) const { return generation == m_generation && isConnected(); }
    using PageFetch = std::function<void(qint64 offset, int limit,
                                         std::function<void(const MessagePage &page, const QString &error)> reply)>;
    PageFetch messagePages(const QString &path, const QUrlQuery &filters, bool threadPath);
    void readMessages(const MessageQuery &query, MessagesRead done);
    void readThreadPage(const std::shared_ptr<ThreadRead> &read);
    void command(const QString &path, QObject *context, Done done);
    // POST a JSON body whose answer is an inject's ({"threadId","messageId"} or a refusal).
    void postInject(const QString &path, const QCborMap &body, QObject *context, InjectReply reply);
    void afterCommand(const Context &context, Done done, const CommandResult &result);

    QUrl m_baseUrl;
    QByteArray m_apiKey;
    RemoteHttp *m_http;
    QWebSocket *m_socket = nullptr;
    std::shared_ptr<Loading> m_loading; // the REST snapshots, until the WebSocket's snapshot joins them
    Phase m_phase = Phase::Idle;
    quint64 m_generation = 0; // changes on close(): answers of an earlier opening are dropped
    quint64 m_attempt = 0;    // changes with every connection attempt and every loss
    int m_retryDelayMs = 0;
    QTimer m_retryTimer;
    QTimer m_handshakeTimer;
    QTimer m_pingTimer;
    QTimer m_syncTimer;
    QTimer m_fenceTimer;

    wire::ApiDescription m_api;
    bool m_hasUsage = false;
    bool m_hasBudgets = false;
    bool m_hasScopeBudgets = false; // GET /usage/budgets (agentdesk's agent and organism budgets)
    bool m_hasBackends = false;     // GET /llm/backends
    bool m_hasUsageHistory = false;
    qint64 m_lastUsageEventId = 0;
    ServerAbilities m_abilities;
    qint64 m_lastSeq = 0;        // the newest message emitted (or in the snapshot the stream starts at)
    qint64 m_aheadOf = -1;       // push mode: m_lastSeq when the server's total was last seen ahead of it
    QList<std::function<void()>> m_nextRound; // polling: to run after the next round is applied
    QHash<QString, ThreadStatus> m_threadStatus; // polling: statuses seen, to report changes
    wire::PayloadLayout m_layout;
    QSet<QString> m_knownThreads; // for servers that send no thread_created

    Pending m_pending;
    bool m_flushQueued = false;
    bool m_dirty = false;        // something changed since the last re-read
    bool m_budgetsDirty = false;
    bool m_syncInFlight = false;
    quint64 m_reloads = 0;    // reload events seen: re-reads begun before one are stale
    bool m_reloading = false; // the lists of the last reload are still being read

    QList<Fence> m_fences;
    quint64 m_pingsSent = 0;
    quint64 m_pingsAnswered = 0;
    bool m_fencePingQueued = false;
    bool m_fencing = true; // off once the server left a ping unanswered
};

} // namespace agentdesk
