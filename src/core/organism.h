#pragma once

#include "config/organismconfig.h"
#include "domain/handlerstats.h"
#include "domain/inject.h"
#include "domain/llmactivity.h"
#include "domain/queries.h"
#include "domain/records.h"
#include "domain/trace.h"
#include "domain/usage.h"
#include "historyview.h"
#include "llm/llmclient.h"
#include "domain/budgets.h"
#include "usage/budgetregistry.h"
#include "usage/scopebudgets.h"
#include "usage/usagetracker.h"

#include <QElapsedTimer>
#include <QObject>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace agentdesk {

class HistoryStore;
class Organism;
namespace test {
HistoryStore *historyStoreOf(const Organism &organism);
}
class MessagePump;
class SchemaRegistry;
class Listener;
class LlmClient;
class PriceTable;

// The facade over the runtime: the only way the API, the session and the window reach it. It lives on
// the engine thread. Reads return value snapshots; change signals are batched and emitted at most once
// per event-loop tick per kind.
class Organism : public QObject
{
    Q_OBJECT
public:
    explicit Organism(QObject *parent = nullptr);
    ~Organism() override;

    // Builds schemas and listeners from the config and opens the history in dataDirectory.
    // On failure nothing is left half-built and the failure says why.
    Result<> load(const OrganismConfig &config, const QString &dataDirectory);
    // The LLM router agents call (owned by the caller, set before load; core does not link the network).
    void setLlmClient(LlmClient *client);
    // Starts the listeners and resumes what the history holds unfinished (unless resume_on_start is
    // false): every thread with undelivered messages gets them back in their original order. Also
    // after stop(). Fails while running or stopping, or while the history cannot commit.
    Result<> start();
    // Stops accepting work and keeps dispatching for at most `drain` (less once nothing is left).
    // What is still queued or running then stays in the history as undelivered, for the next start;
    // the history commits what is pending (for at most a few seconds: a full disk does not hold up
    // the stop), and the organism ends at OrganismStatus::Stopped (signal stopped()).
    void stop(std::chrono::milliseconds drain = std::chrono::seconds(30));

    // --- snapshots -------------------------------------------------------------------------------
    const OrganismConfig &config() const;
    OrganismInfo info() const;
    OrganismStatus status() const;
    QStringList listenerNames() const; // registration order
    QList<AgentInfo> agents() const;   // registration order
    std::optional<AgentInfo> agent(const QString &name) const;
    QList<Capability> capabilities() const; // sorted by name
    std::optional<Capability> capability(const QString &name) const;
    // Reads answer from what the history has committed and never wait for its writer. What the
    // organism announced or acknowledged is committed before it says so, so it is there.
    ThreadPage threads(const ThreadQuery &query) const;
    std::optional<ThreadInfo> thread(const QString &id) const;
    MessagePage messages(const MessageQuery &query) const;
    // The thread's timeline: its newest `limit` messages with how their handlers ran (a call still
    // running has a run without `ended`), the LLM calls made for them, and the thread's origin.
    std::optional<ThreadTrace> trace(const QString &threadId, int limit) const;
    const SchemaRegistry *schemas() const;
    // The history's reads for other layers (message pages, usage): nullptr before load().
    const HistoryView *history() const;
    // Per listener, by name: its handler calls by outcome and how long they took.
    QList<HandlerStats> handlerStats() const;
    // New injects refused at the door since the organism was created, for one reason (the error of
    // the refusal; QueueFull is also info().saturation.injectsRefused).
    qint64 injectsRefused(InjectError reason) const;

    // --- commands --------------------------------------------------------------------------------
    // Validates and enqueues a new message (a new thread unless request.threadId names one), then tells
    // `done` the result. The facade never blocks its caller: tests and tools that want to wait use
    // tests/support/injectandwait.h, built on this.
    //  - A refusal is answered at once, before this returns.
    //  - An accepted message is answered later, from the event loop of the organism's thread, once the
    //    history has committed it (and its thread's row): when `done` runs, store reads on any thread
    //    return them, a crash loses nothing the caller was told, and messagesRecorded() has already been
    //    emitted for it. It is never answered before its commit, however long that takes.
    //  - While the history cannot commit, or without an open history, an inject is refused at once
    //    (HistoryUnavailable); while the organism is saturated too (QueueFull, see info().saturation).
    //  - Accepted messages are answered in the order they were injected.
    //  - `done` is not called once `context` is destroyed (nullptr: no guard; `done` must then stay valid).
    //  - stop() answers the ones still waiting before stopped(): committed ones as accepted, the others
    //    as HistoryUnavailable; destroying the organism without stop() drops them uncalled.
    // Call it on the organism's thread; `done` must not destroy the organism.
    void injectAcknowledged(const InjectRequest &request, QObject *context,
                            std::function<void(const InjectResult &)> done);
    // Replay or fork, admitted, validated and acknowledged as injectAcknowledged() does (the same
    // errors, plus UnknownMessage), answered once the new thread's messages are committed. A fork's
    // copies of the history are recorded as handled: they are never run again, and a restart resumes
    // only the forked message.
    void branchAcknowledged(const BranchRequest &request, QObject *context,
                            std::function<void(const InjectResult &)> done);
    bool pauseAgent(const QString &name);  // false: unknown agent
    bool resumeAgent(const QString &name); // false: unknown agent
    bool killThread(const QString &id);    // false: unknown thread
    // Runs a thread in `error` again: its failed deliveries (and whatever its failure cut short) are
    // queued again, the thread is active. Like an inject it passes the door (running, history, admission)
    // and is answered once the thread's row is committed, later, from the event loop (never from in here
    // unless refused). `done` is not called once `context` is destroyed.
    void retryThreadAcknowledged(const QString &id, QObject *context, std::function<void(const RetryResult &)> done);
    // Re-reads config().filePath and applies the difference (nothing changes when it fails).
    ReloadResult reload();

    // --- usage and budgets -------------------------------------------------------------------------
    UsageSnapshot usage() const;
    UsageCounters agentUsage(const QString &agentId) const;
    UsageCounters modelUsage(const QString &model) const;
    void resetUsage(); // counters only: the history keeps every event
    const PriceTable &prices() const;
    // The LLM backends: health, rate limit, queue, latency and time to first token (none without a client).
    QList<LlmBackendState> llmBackends() const;
    QList<ThreadBudget> budgets() const; // hottest first
    std::optional<ThreadBudget> budget(const QString &threadId) const;
    qint64 defaultMaxTokens() const;
    // Sets a thread's budget (creating it) and releases the thread if it was held at exhaustion.
    // nullopt when no such thread exists.
    std::optional<ThreadBudget> setThreadBudget(const QString &threadId, qint64 maxTokens);
    // The agent and organism budgets (`budgets:`), the organism's first.
    QList<ScopeBudget> scopeBudgets() const;
    std::optional<ScopeBudget> scopeBudget(const QString &scope) const;
    // Raises, lowers, re-periods or resets a scope budget ("organism" or "agent:NAME"; a known agent
    // without one gets one when a limit is given) and releases the threads it held when it has room.
    // A failure otherwise (an unknown scope, or no limit given for a scope without a budget).
    Result<ScopeBudget> setScopeBudget(const QString &scope, const ScopeBudgetChange &change);

    // Emits every pending batch now (e.g. so a WebSocket client sees its `message` before `injected`).
    void flushChanges();

signals:
    void messagesRecorded(const QList<agentdesk::MessageRecord> &batch);
    void agentsChanged(const QList<agentdesk::AgentInfo> &changed);
    void threadsCreated(const QList<agentdesk::ThreadInfo> &created);
    void threadsUpdated(const QList<agentdesk::ThreadInfo> &updated); // status changed: completed, killed, error
    void errorsRaised(const QList<agentdesk::ErrorEvent> &errors);
    void usageRecorded(const QList<agentdesk::UsageEvent> &events);
    void budgetEvents(const QList<agentdesk::BudgetEvent> &events);
    // The gauge or the budget list changed without a usage event or a budget event: a thread's budget
    // began (at its first check) or ended with the thread, or the counters were reset. Batched like
    // the others, after them.
    void usageStateChanged();
    // Streamed LLM replies as they grow (at most 10 events a second per call), and their end.
    void llmPartials(const QList<agentdesk::LlmPartialEvent> &events);
    void statusChanged(agentdesk::OrganismStatus status);
    // The history began failing to commit, or commits again (info().historyProblem).
    void historyHealthChanged();
    // The history committed something: reads (which see committed data) may answer differently.
    // Coalesced: at most once per event-loop pass.
    void historyCommitted();
    void reloaded(const agentdesk::ReloadResult &result);
    void stopped();

private:
    class Private;
    std::unique_ptr<Private> d;
    // Tests and tools reach the store beneath the facade (tests/support/organismhistory.h).
    friend HistoryStore *test::historyStoreOf(const Organism &organism);
};

} // namespace agentdesk
