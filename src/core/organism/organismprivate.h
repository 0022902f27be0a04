#pragma once

// The state behind the Organism facade and the reactions that keep it: what the pump reports, what
// agents ask for, what the usage ledger meters. The jobs with a name of their own are classes here
// (AgentRoster, ThreadBook, ChangeBatcher, ListenerFactory, DeliveryRetries, BudgetWarnings,
// ReloadPlanner); this ties them to the pump and the history. Its methods live in three files:
// organismprivate.cpp (reactions, recording, commits), intake.cpp (new work at the door) and
// lifecycle.cpp (resume at start, drain and stop).

#include "organism.h"

#include "injectacknowledgements.h"
#include "listeners/agentlistener.h"
#include "llm/partialcoalescer.h"
#include "organism/agentroster.h"
#include "organism/changebatcher.h"
#include "organism/deliveryretries.h"
#include "organism/listenerfactory.h"
#include "organism/threadbook.h"
#include "pump/admissioncontrol.h"
#include "pump/loadmeter.h"
#include "pump/messagepump.h"
#include "pump/messagerouter.h"
#include "usage/usageledger.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSet>
#include <QTimer>

#include <array>
#include <deque>
#include <map>

Q_DECLARE_LOGGING_CATEGORY(lcOrganism)

namespace agentdesk {

class HistoryStore;
class SchemaRegistry;

// The end of a handler call: which message it handled, and how it ran (for the timeline).
struct Delivery
{
    qint64 handledSeq = 0;
    std::optional<HandlerRun> run;

    static Delivery of(const MessageRecord &handled, const CallTiming &timing, const QString &error = {});
};

class Organism::Private : public PumpObserver, public AgentServices, public UsageLedger::Host
{
public:
    // How long a stop waits for the history to commit what is pending.
    static constexpr auto kStopCommitWait = std::chrono::seconds(5);
    static constexpr int kThreadSaveIntervalMs = 5000;
    // How far (in records) the history writer may fall behind before no new handler starts.
    static constexpr qsizetype kWriterBacklog = 10000;
    // How far back from the newest message a restart after a crash looks for threads whose row was
    // never written: more messages than the pump can accept in kThreadSaveIntervalMs.
    static constexpr qint64 kUnsavedThreadWindow = 1000000;

    explicit Private(Organism *q);

    // --- PumpObserver ---------------------------------------------------------------------------
    void handlerFinished(const MessageRecord &handled, QList<OutgoingMessage> replies,
                         const CallTiming &timing) override;
    void handlerFailed(const MessageRecord &handled, const QString &error, const CallTiming &timing) override;
    void agentChanged(const QString &agent) override;
    void threadDrained(const QString &threadId) override;
    void threadHeld(const MessageRecord &message, const QString &reason) override;
    void pumpBlocked() override;

    // --- AgentServices --------------------------------------------------------------------------
    LlmClient *llmClient() const override { return llm; }
    QList<MessageRecord> threadHistory(const QString &threadId, int limit) const override;
    CallAdmission admitCall(const LlmRequest &request, qint64 optimisticPrompt, qint64 conservativePrompt,
                            qint64 maxCompletion) override;
    bool renewCall(quint64 reservation) override { return ledger.renew(reservation); }
    void releaseCall(quint64 reservation) override { ledger.release(reservation); }
    void whenBudgetHasRoom(std::function<void()> retry) override { ledger.whenRoom(std::move(retry)); }
    void recordUsage(const QString &agent, const QString &threadId, const LlmResult &attempt, quint64 reservation,
                     const LlmTranscript &transcript) override;
    void publishPartial(const QString &agent, const QString &threadId, quint64 call, const LlmPartial &partial) override
    {
        partials.update(agent, threadId, call, partial);
    }
    void endPartial(quint64 call) override { partials.end(call); }

    // --- UsageLedger::Host ----------------------------------------------------------------------
    void usageMetered(const UsageEvent &event, const LlmTranscript &transcript) override;
    void threadThresholdCrossed(const QString &agent, const BudgetThreshold &threshold) override;
    void budgetChanged(const BudgetEvent &event) override { changes.budgetChanged(event); }
    void releaseThread(const QString &threadId) override { pump->releaseThread(threadId); }
    void accountsChanged() override { changes.usageStateChanged(); }
    void endThreadBudget(const QString &threadId);

    // --- building (organismprivate.cpp) ---------------------------------------------------------
    ListenerEnvironment environment();
    void watchListener(Listener *listener);
    void applyLimits();
    void applyRoutes();
    bool checkLlmChange(const OrganismConfig &next, QString *error);

    // --- recording (organismprivate.cpp) ---------------------------------------------------------
    // Stamps `messages`, records them in the history (with `delivered`, the end of the call that sent
    // them, in the same transaction) and queues them. The first `copies` are a fork's history: recorded
    // as handled, never queued. An operator's replay or fork counts for no listener's sent messages
    // (!countSenders). Returns the history's ticket.
    quint64 admit(QList<MessageRecord> messages, const Delivery &delivered = {}, qsizetype copies = 0,
                  bool countSenders = true);
    void noteAccepted(const MessageRecord &message, bool sent = true);
    void updateDispatchHold();
    AgentLoad agentLoad(const QString &name) const;
    AgentInfo agentSnapshot(const QString &name) const { return agents.snapshot(name, agentLoad(name)); }
    QList<AgentBacklog> backlog() const;
    QString historyProblem() const;

    // --- threads (organismprivate.cpp) -----------------------------------------------------------
    ThreadInfo *reopenThread(const QString &id);
    // Ends the thread in error and drops its work. The thread's work stays undelivered in the history:
    // a retry (requeueFailed) runs it again.
    void failThread(const QString &threadId, const QString &agent, const QString &error,
                    const Delivery &delivered = {});
    bool retryDelivery(const MessageRecord &handled, const QString &error);
    void dropFailed(const QString &threadId); // a thread in error lets go of what failed
    void setThreadStatus(ThreadInfo &thread, ThreadStatus status, const QString &error);
    void raiseError(const QString &threadId, const QString &agent, const QString &error);
    void saveThreads() { threads.saveDirty(saveThreadRow()); }
    ThreadBook::Save saveThreadRow() const;

    // --- change batches and commits (organismprivate.cpp) -----------------------------------------
    void flush();
    void announceCommitted();
    void announce(const ChangeBatch &batch);
    void onCommitted();
    void releaseCommitted();
    void answerAcknowledgements();

    // --- new work at the door (intake.cpp) -------------------------------------------------------
    InjectResult enqueueInject(const InjectRequest &request, quint64 *ticket);
    InjectResult enqueueBranch(const BranchRequest &request, quint64 *ticket);
    RetryResult requeueFailed(const QString &threadId, quint64 *ticket);
    // The steps every new thread passes (a failure says why not).
    Result<void, InjectFailure> checkRunning() const;
    Result<Payload, InjectFailure> buildPayload(const QString &to, const QVariantMap &fields,
                                                const QByteArray &xml) const;
    Result<void, InjectFailure> passDoor();

    // --- start and stop (lifecycle.cpp) ----------------------------------------------------------
    void restoreCounters();
    void resumeUnfinished();
    void finishStop();
    void completeStop();

    Organism *q;
    OrganismConfig config;
    QString dataDirectory;
    std::unique_ptr<SchemaRegistry> schemas;
    std::unique_ptr<HistoryStore> store;
    std::optional<HistoryView> historyView; // what Organism::history() hands out, over `store`
    std::unique_ptr<MessagePump> pump;
    MessageRouter router;
    ListenerFactory factory;
    std::map<QString, std::unique_ptr<Listener>> listeners;
    AgentRoster agents;
    ThreadBook threads; // active threads, plus finished ones not yet persisted
    ChangeBatcher changes;
    DeliveryRetries retries;
    OrganismStatus status = OrganismStatus::Starting;
    QElapsedTimer uptime;
    qint64 totalMessages = 0;      // committed and announced (messagesRecorded)
    quint64 lastMessageTicket = 0; // of the latest messages handed to the history
    QString lastAcceptedId;
    qint64 lastAcceptedSeq = 0;
    qint64 lastAnnouncedSeq = 0; // messagesRecorded() has been emitted up to this seq
    QTimer drainTimer;
    QTimer stopCommitTimer; // the end of a stop: how long the history may take to commit
    bool stopWaitsForCommit = false;
    QTimer threadSaveTimer;
    LlmClient *llm = nullptr;
    UsageLedger ledger;        // prices, the gauge, every budget and the admission of calls
    PartialCoalescer partials; // streamed replies, at most 10 events a second per call

    AdmissionControl admission;
    std::array<qint64, kInjectErrorCount> refusedInjects{}; // by InjectError
    LoadMeter load;
    InjectAcknowledgements acknowledgements;
    // Messages to or from an LLM agent that the history has not committed yet: an agent's prompt
    // (threadHistory) is the committed history plus these.
    std::deque<std::pair<quint64, MessageRecord>> uncommittedAgentMessages;
    QSet<QString> llmAgents;
};

} // namespace agentdesk
