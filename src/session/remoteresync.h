#pragma once

#include "session.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace agentdesk {

class RemoteConnection;
class RemoteEventStream;
class RemoteHttp;
class RemotePingFence;

// Keeping the caches equal to the server's: every 2 s, and at once after a budget event, a round
// re-reads what may have changed — the organism always, the agents and usage (with the calls the
// history added) while anything changes, the budgets, the LLM backends — and reports only what differs
// from the cache. A reload event reads the agents and capabilities again before `reloaded`.
//
// While polling (/ws does not work), a round also reads what /ws would have pushed — the messages after
// the newest one shown, the most recent threads' statuses — into the event stream. A gap too large to
// replay is not replayed: resynchronized(), and the models read everything again. In push mode a message
// total that stays ahead of the messages pushed means the stream stalled: pushStalled().
class RemoteResync final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 2000;
    static constexpr int kPollMessages = 500;  // messages per polling round (more follow at once)
    static constexpr qint64 kResyncGap = 5000; // beyond this, read everything again rather than replay

    using MessagesRead = std::function<void(const Result<MessagePage> &page)>;
    using ReadMessages = std::function<void(const MessageQuery &query, MessagesRead done)>;

    // `session`: the caches compared with. `readMessages` reads a message query (polling).
    RemoteResync(const Session &session, RemoteHttp *http, RemoteConnection *connection, RemoteEventStream *stream,
                 RemotePingFence *fence, ReadMessages readMessages, QObject *parent = nullptr);

    // A new connection: rounds every 2 s from now on, the first reading everything (the snapshots were
    // read before the stream began); usage events after `lastUsageEventId` are new.
    void start(qint64 lastUsageEventId);
    void stop();

    void markChanged() { m_dirty = true; }
    void markBudgetsChanged() { m_budgetsDirty = true; }
    bool budgetsChanged() const { return m_budgetsDirty; }
    // Push mode from now on (again) compares totals afresh.
    void forgetStaleness() { m_aheadOf = -1; }

    // Starts a round now, unless one is in flight.
    void sync();
    // Polling: `call` runs once a round that starts now has been applied (its events emitted).
    void afterNextRound(std::function<void()> call);
    // A reload event: the lists are read again, then reloaded().
    void reload(const ReloadResult &result);

    // The agent list has no payloadType or rootTag; the capability of the same name has both.
    static QList<AgentInfo> withCapabilityData(QList<AgentInfo> agents, const QList<Capability> &capabilities);
    static bool sameOrganism(const OrganismInfo &a, const OrganismInfo &b);
    static bool sameAgent(const AgentInfo &a, const AgentInfo &b);
    static bool sameUsage(const UsageSnapshot &a, const UsageSnapshot &b);
    static bool sameBudgets(const QList<ThreadBudget> &a, const QList<ThreadBudget> &b);

signals:
    void batchDue(); // the stream holds a round's events: emit them now
    // What differs from the cache; apply it.
    void organismRead(const agentdesk::OrganismInfo &info);
    void agentsReplaced(const QList<agentdesk::AgentInfo> &agents); // the list itself changed
    void agentsChanged(const QList<agentdesk::AgentInfo> &changed);
    void capabilitiesReplaced(const QList<agentdesk::Capability> &capabilities);
    void usageRead(const agentdesk::UsageSnapshot &usage);
    void usageRecorded(const QList<agentdesk::UsageEvent> &events);
    void budgetsRead(const QList<agentdesk::ThreadBudget> &budgets);
    void scopeBudgetsRead(const QList<agentdesk::ScopeBudget> &budgets);
    void backendsRead(const QList<agentdesk::LlmBackendState> &backends);
    void reloaded(const agentdesk::ReloadResult &result);
    void resynchronized();
    void pushStalled(const QString &why);

private:
    struct Round;

    void apply(const std::shared_ptr<Round> &round);
    void applyPolledMessages(const std::shared_ptr<Round> &round);
    void applyAgents(const QList<AgentInfo> &agents);
    void applyUsageEvents(const QList<UsageEvent> &newestFirst);
    void checkFreshness(const OrganismInfo &organism);

    const Session &m_session;
    RemoteHttp *m_http;
    RemoteConnection *m_connection;
    RemoteEventStream *m_stream;
    RemotePingFence *m_fence;
    ReadMessages m_readMessages;
    QTimer m_timer;
    bool m_dirty = false; // something changed since the last round
    bool m_budgetsDirty = false;
    bool m_inFlight = false;
    quint64 m_reloads = 0;    // reload events seen: rounds begun before one are stale
    bool m_reloading = false; // the lists of the last reload are still being read
    qint64 m_aheadOf = -1;    // push mode: the stream's last seq when the server's total was last ahead of it
    qint64 m_lastUsageEventId = 0;
    QList<std::function<void()>> m_nextRound; // polling: to run after the next round is applied
};

} // namespace agentdesk
