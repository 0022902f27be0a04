#pragma once

#include "domain/historybilling.h"
#include "domain/historyinstance.h"
#include "domain/queries.h"
#include "domain/records.h"
#include "domain/usage.h"
#include "domain/handlerstats.h"
#include "domain/inject.h"
#include "domain/llmactivity.h"
#include "domain/trace.h"
#include "domain/usagequeries.h"
#include "domain/budgets.h"
#include "domain/usagecounters.h"

#include <QElapsedTimer>
#include <QObject>

#include <functional>
#include <optional>

namespace agentdesk {

// What the organism behind a session really does, and which extensions its server has. agentdesk does
// everything; the original AgentServer only pretends to pause, kill and stop (spec §11: the state changes,
// the work goes on) and lacks agentdesk's extensions. The window says so rather than let the operator
// believe a label.
struct ServerAbilities
{
    bool pauseHoldsWork = true;      // pause holds the agent's queue until resume
    bool killCancelsWork = true;     // kill cancels the thread's queued and in-flight work
    bool stopStopsWork = true;       // stop drains the organism and ends at `stopped`
    bool setsBudgets = true;         // a thread's budget can be raised (releasing a held thread)
    bool tracksUsage = true;         // the usage ("gas") counters
    bool bucketsUsage = true;        // usage per minute/hour/day and model from the server itself
    bool filtersUsageOutcome = true; // usage over time of one outcome only (ok, unusable, error, aborted)
    bool scopeBudgets = true;        // agent and organism budgets (budgets:), shown and changed
    bool reportsBackends = true;     // where each LLM backend stands (GET /llm/backends)
    bool tracesThreads = true;       // a thread's timeline with handler runs and LLM calls (else: its messages)
    bool branchesThreads = true;     // replay and fork a message into a new thread
    bool reportsLoad = true;         // throughput and saturation figures (OrganismInfo::saturation)
    bool retriesThreads = true;      // a thread in error can be run again (POST /threads/{id}/retry)
    // The organisms sharing its history are listed and billed together (GET /history/organisms and
    // /usage/billing?scope=all, agentdesk's extensions): fetchHistoryInstances and fetchHistoryBilling.
    bool sharesHistory = true;
    bool operator==(const ServerAbilities &other) const = default;
};

// How a session learns about changes: pushed as they happen, or by reading the server every few seconds
// because its push channel does not work (the original's /ws, spec §6.3).
enum class UpdateMode { Push, Polling };

// Everything the window needs from an organism, the same for one running in this process
// (LocalSession) and one behind an AgentServer's REST + WebSocket API (RemoteSession).
//
// Snapshots are cached here and kept current by the change signals, so reading them never waits.
// Queries and commands are asynchronous: each takes a context object and a callback, and the callback
// runs later on the session's thread, never from inside the call, and never once the context has been
// destroyed (a model that goes away simply does not hear back). The callback gets a Result: the answer,
// or why there is none (not connected, no such thread, the server's refusal), worded for the operator.
//
// Ordering contract that the models rely on: an answer to a query reflects every change signal the
// session emitted before the answer arrived; change signals emitted after it are newer than the answer.
// Message pages are the exception (they are read from the history, which may trail the live signals a
// little): they carry seq numbers, so a reader merges them with live batches by seq.
class Session : public QObject
{
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected };
    Q_ENUM(State)

    template <typename T>
    using Reply = std::function<void(const Result<T> &result)>;
    using Done = Reply<void>; // a command: done, or why not
    using ThreadPageReply = Reply<ThreadPage>;
    using ThreadReply = Reply<ThreadInfo>; // a failure: no such thread, or no answer
    using MessagePageReply = Reply<MessagePage>;
    using UsageBucketsReply = Reply<QList<UsageBucket>>;
    using TraceReply = Reply<ThreadTrace>;
    using HistoryInstancesReply = Reply<QList<HistoryInstance>>;
    using HistoryBillingReply = Reply<HistoryBilling>;
    // An inject's and a reload's failures say more than why (the kind of refusal; the file's warnings).
    using InjectReply = std::function<void(const InjectResult &result)>;
    using ReloadReply = std::function<void(const ReloadResult &result)>;

    // What a session loads when it connects.
    struct Snapshot
    {
        OrganismInfo organism;
        QList<AgentInfo> agents;
        QList<Capability> capabilities;
        UsageSnapshot usage;
        QList<ThreadBudget> budgets;
        ServerAbilities abilities;
        // The latest metered calls before the snapshot, newest first: what they say about providers
        // (which model is the offline demo) is needed before the next call is made. May be empty.
        QList<UsageEvent> recentUsage;
        QList<ScopeBudget> scopeBudgets;    // the organism's first, then the agents'
        QList<LlmBackendState> llmBackends; // in configuration order
        // A new thread's token budget (max_tokens_per_thread; /usage/threads' defaultMaxTokens): what a
        // thread whose own limit was never seen is measured against. 0: not known.
        qint64 defaultThreadBudget = 0;
    };

    ~Session() override;

    // --- connection ------------------------------------------------------------------------------
    State state() const { return m_state; }
    bool isConnected() const { return m_state == State::Connected; }
    QString errorText() const { return m_errorText; } // why the session is not (or no longer) connected
    virtual QString endpoint() const = 0;             // what it is connected to, for the window's title
    virtual void open() = 0;                          // Disconnected → Connecting → Connected
    virtual void close() = 0;                         // → Disconnected; no change signal follows

    // --- cached snapshots (valid once Connected) -------------------------------------------------
    // The organism as last reported, its uptime carried forward to now (while it is not stopped).
    OrganismInfo organism() const;
    QList<AgentInfo> agents() const { return m_agents; } // registration order
    std::optional<AgentInfo> agent(const QString &name) const;
    QList<Capability> capabilities() const { return m_capabilities; } // sorted by name
    UsageSnapshot usage() const { return m_usage; }
    QList<ThreadBudget> budgets() const { return m_budgets; } // hottest first
    std::optional<ThreadBudget> budget(const QString &threadId) const;
    qint64 defaultThreadBudget() const { return m_defaultThreadBudget; } // 0: not known
    // The agent and organism budgets (budgets: in organism.yaml, or set by an operator).
    QList<ScopeBudget> scopeBudgets() const { return m_scopeBudgets; }
    std::optional<ScopeBudget> scopeBudget(const QString &scope) const;
    // Where each LLM backend stands, read again every second or two (the state moves with the clock:
    // rate-limit waits, the token bucket); llmBackendsChanged when something changed.
    QList<LlmBackendState> llmBackends() const { return m_llmBackends; }
    ServerAbilities abilities() const { return m_abilities; }
    QList<UsageEvent> recentUsage() const { return m_recentUsage; }
    UpdateMode updateMode() const { return m_updateMode; }

    // --- queries ---------------------------------------------------------------------------------
    virtual void fetchThreads(const ThreadQuery &query, QObject *context, ThreadPageReply reply) = 0;
    virtual void fetchThread(const QString &threadId, QObject *context, ThreadReply reply) = 0;
    virtual void fetchMessages(const MessageQuery &query, QObject *context, MessagePageReply reply) = 0;
    // The thread's newest `limit` messages (limit < 0: all), oldest first; total counts them all.
    virtual void fetchConversation(const QString &threadId, int limit, QObject *context, MessagePageReply reply) = 0;
    // The thread's timeline, its newest `limit` hops (see Organism::trace). A failure: no such thread,
    // or the server did not answer. A server that keeps no timeline gives the messages alone.
    virtual void fetchTimeline(const QString &threadId, int limit, QObject *context, TraceReply reply) = 0;
    // Usage per minute (or hour, day) and per model (or agent) between since and until (invalid: open),
    // of the calls `filter` lets through. A filter the server cannot apply (abilities()) is an error,
    // never a silently unfiltered answer.
    virtual void fetchUsageBuckets(UsageBucketSize size, UsageGroupBy groupBy, const QDateTime &since,
                                   const QDateTime &until, const UsageSeriesFilter &filter, QObject *context,
                                   UsageBucketsReply reply) = 0;
    // The organisms and instances whose history this organism's history shares (on PostgreSQL every one
    // in the database, on SQLite this one), this organism's own first (isThisProcess). Only where
    // abilities().sharesHistory; elsewhere an error.
    virtual void fetchHistoryInstances(QObject *context, HistoryInstancesReply reply) = 0;
    // What each of those organisms and instances has spent since the history began (sharesHistory).
    virtual void fetchHistoryBilling(QObject *context, HistoryBillingReply reply) = 0;

    // --- commands --------------------------------------------------------------------------------
    virtual void inject(const InjectRequest &request, QObject *context, InjectReply reply) = 0;
    // Replay or fork a message into a new thread; answered as inject is (UnknownMessage: no such message).
    virtual void branch(const BranchRequest &request, QObject *context, InjectReply reply) = 0;
    virtual void pauseAgent(const QString &name, QObject *context, Done done) = 0;
    virtual void resumeAgent(const QString &name, QObject *context, Done done) = 0;
    virtual void killThread(const QString &threadId, QObject *context, Done done) = 0;
    // Runs a thread in error again from its failed delivery (abilities().retriesThreads).
    virtual void retryThread(const QString &threadId, QObject *context, Done done) = 0;
    // Sets (raises or lowers) a thread's token budget and releases the thread if it was held.
    virtual void setThreadBudget(const QString &threadId, qint64 maxTokens, QObject *context, Done done) = 0;
    // Changes an agent's or the organism's budget (scope "agent:NAME" or "organism": its limit in
    // tokens or USD, its period, or resets its usage) and releases the threads it held when it has
    // room. A known agent without a budget gets one when a limit is given.
    virtual void setScopeBudget(const QString &scope, const ScopeBudgetChange &change, QObject *context, Done done) = 0;
    virtual void reloadConfig(QObject *context, ReloadReply reply) = 0;
    // Asks the organism to stop; organismChanged reports it stopping, then stopped.
    virtual void stopOrganism(QObject *context, Done done) = 0;
    // Zeroes the usage counters (the history keeps every event); usageChanged follows.
    virtual void resetUsage(QObject *context, Done done) = 0;

signals:
    void stateChanged(agentdesk::Session::State state);
    // Snapshot replaced: read it from the accessor.
    void organismChanged(const agentdesk::OrganismInfo &info);
    void agentsReset(); // the agent list itself changed (connect, reload): re-read agents()
    void capabilitiesChanged();
    void usageChanged();
    void budgetsChanged();
    void scopeBudgetsChanged();
    void llmBackendsChanged();
    // Batches, as the organism emits them (at most one of each kind per event-loop tick). A new thread is
    // announced in threadsCreated before (or in the same tick as) the messagesRecorded batch that carries
    // its first messages; a model counting messages counts them from there.
    void messagesRecorded(const QList<agentdesk::MessageRecord> &batch);
    void agentsChanged(const QList<agentdesk::AgentInfo> &changed); // the cache is already updated
    void threadsCreated(const QList<agentdesk::ThreadInfo> &created);
    void threadsUpdated(const QList<agentdesk::ThreadInfo> &updated);
    void errorsRaised(const QList<agentdesk::ErrorEvent> &errors);
    void usageRecorded(const QList<agentdesk::UsageEvent> &events);
    void budgetEvents(const QList<agentdesk::BudgetEvent> &events);
    // Streamed LLM replies as they grow (at most 10 events a second per call), and their end.
    void llmPartials(const QList<agentdesk::LlmPartialEvent> &events);
    void reloaded(const agentdesk::ReloadResult &result);
    void updateModeChanged(agentdesk::UpdateMode mode);
    // The server said more than the window shows (its totals ran ahead of the pushed events): the
    // session read everything again. Models reload as on a new connection.
    void resynchronized();

protected:
    explicit Session(QObject *parent = nullptr);

    void setState(State state, const QString &errorText = {});
    // Replaces every cache, then becomes Connected (the models load on that transition).
    void connectWith(const Snapshot &snapshot);
    // Cache updates; each emits its signal.
    void replaceOrganism(const OrganismInfo &info);
    void applyAgentChanges(const QList<AgentInfo> &changed);
    void replaceAgents(const QList<AgentInfo> &agents);
    void replaceCapabilities(const QList<Capability> &capabilities);
    void replaceUsage(const UsageSnapshot &usage);
    void replaceBudgets(const QList<ThreadBudget> &budgets);
    void replaceScopeBudgets(const QList<ScopeBudget> &budgets);
    void replaceLlmBackends(const QList<LlmBackendState> &backends); // signals only a change
    void setUpdateMode(UpdateMode mode);

    // Runs `call` later on this session's thread unless `context` (when given) has been destroyed by then.
    void deliver(QObject *context, std::function<void()> call);
    // The guard every query and command begins with: true while connected; otherwise `reply` hears `why`
    // (later, as through deliver) as its failure (an inject's: NotRunning), and the caller goes no further.
    template <typename Reply>
    bool ensureConnected(QObject *context, const Reply &reply, const QString &why)
    {
        if (isConnected())
            return true;
        deliver(context, [reply, why] { refuse(reply, why); });
        return false;
    }

private:
    template <typename T>
    static void refuse(const Reply<T> &reply, const QString &why)
    {
        reply(fail(why));
    }
    static void refuse(const InjectReply &reply, const QString &why);
    static void refuse(const ReloadReply &reply, const QString &why);

    State m_state = State::Disconnected;
    QString m_errorText;
    OrganismInfo m_organism;
    QElapsedTimer m_organismAge; // since m_organism was reported
    QList<AgentInfo> m_agents;
    QHash<QString, qsizetype> m_agentRows;
    QList<Capability> m_capabilities;
    UsageSnapshot m_usage;
    QList<ThreadBudget> m_budgets;
    qint64 m_defaultThreadBudget = 0;
    QList<ScopeBudget> m_scopeBudgets;
    QList<LlmBackendState> m_llmBackends;
    ServerAbilities m_abilities;
    QList<UsageEvent> m_recentUsage;
    UpdateMode m_updateMode = UpdateMode::Push;
};

// Registers, once, every domain type the session layer passes through queued connections.
void registerSessionMetaTypes();

} // namespace agentdesk

Q_DECLARE_METATYPE(agentdesk::UpdateMode)
