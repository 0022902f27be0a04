#pragma once

#include "config/organismconfig.h"
#include "domain/handlerstats.h"
#include "domain/records.h"
#include "listeners/listener.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <deque>

namespace agentdesk {

struct PumpLimits
{
    SchedulingPolicy scheduling = SchedulingPolicy::BreadthFirst;
    int maxConcurrentHandlers = 20;
    int maxConcurrentPerAgent = 5;
    int maxConcurrentPipelines = 50;
};

// When a handler call ran (wall clock). `started` is invalid for a message that never reached its
// handler (its listener was removed while it waited).
struct CallTiming
{
    QDateTime started;
    QDateTime ended;
};

// Everything the pump reports. The Organism implements it to keep its bookkeeping, history and change
// batches; the pump itself keeps only what scheduling needs.
class PumpObserver
{
public:
    virtual ~PumpObserver() = default;
    // A handler returned: its replies still have to be routed (the observer does that and enqueues them).
    virtual void handlerFinished(const MessageRecord &handled, QList<OutgoingMessage> replies,
                                 const CallTiming &timing) = 0;
    virtual void handlerFailed(const MessageRecord &handled, const QString &error, const CallTiming &timing) = 0;
    // The handler could not run now and its thread is held (the message waits at the head of the queue).
    virtual void threadHeld(const MessageRecord &message, const QString &reason) = 0;
    virtual void agentChanged(const QString &agent) = 0;
    virtual void threadDrained(const QString &threadId) = 0; // no queued or in-flight work left
    // Work is left, but none of it can run: it all waits for paused agents or held threads.
    virtual void pumpBlocked() { }
};

// Per-thread queues, the dispatcher and its limits. Single-threaded (engine thread); asynchronous:
// handler completions are processed on the next pass of the event loop, never re-entrantly.
//
// The pump never refuses a message: admission (how much new work comes in) is decided before a message
// gets here. Its owner may hold dispatching (holdDispatch) while the history falls behind or cannot
// commit: calls in flight finish, nothing new starts.
class MessagePump : public QObject
{
    Q_OBJECT
public:
    explicit MessagePump(PumpObserver *observer, QObject *parent = nullptr);
    ~MessagePump() override;

    void setLimits(const PumpLimits &limits);
    const PumpLimits &limits() const { return m_limits; }
    void setNextSeq(qint64 seq) { m_nextSeq = seq; }
    qint64 lastSeq() const { return m_nextSeq - 1; }

    void addListener(Listener *listener);
    void removeListener(const QString &name); // fails its queued and in-flight work
    // A reload changed the listener: its queue is kept, calls in flight on the old one fail.
    void replaceListener(Listener *listener);
    Listener *listener(const QString &name) const;

    // Gives a new message its seq, and an id and timestamp unless it has them.
    void stamp(MessageRecord &message);
    // Queues a stamped message (or one read back from the history at start-up).
    void enqueue(MessageRecord message);
    // A message whose handling failed goes back to the head of its thread's queue after `delay` (a
    // listener's `retry:`). Meanwhile it counts as queued for its listener and its thread as having work
    // (it does not complete); a kill or a stop drops it like any queued message. False when its
    // listener is gone.
    bool retryLater(MessageRecord message, std::chrono::milliseconds delay);
    // While held, no new call starts (those in flight finish and their replies are queued).
    void holdDispatch(bool held);
    bool isDispatchHeld() const { return m_dispatchHeld; }

    void pause(const QString &agent);
    void resume(const QString &agent);
    bool isPaused(const QString &agent) const;
    // Holds a thread: nothing of it is dispatched until release (budget exhaustion).
    void holdThread(const QString &threadId);
    void releaseThread(const QString &threadId);
    bool isHeld(const QString &threadId) const;
    // Drops the thread's queued messages and cancels its in-flight calls; returns the seqs of what it
    // dropped (queued and in flight).
    QList<qint64> cancelThread(const QString &threadId);
    // Forgets every queued and in-flight message without reporting them (the end of a bounded drain:
    // the history still has them as undelivered, and the next start resumes them).
    void cancelAll();

    int queueDepth(const QString &agent) const;
    int inFlight(const QString &agent) const;
    int totalQueued() const { return m_totalQueued; }
    int totalInFlight() const { return int(m_calls.size()); }
    quint64 handledCount() const { return m_handled; } // handler calls that ended, since creation
    bool hasWork(const QString &threadId) const { return m_threads.contains(threadId); }
    bool isIdle() const { return m_threads.isEmpty(); }
    // Work is queued, but nothing runs and nothing can start: it waits for a pause or a hold to end.
    bool isBlocked() const;
    QString currentThread(const QString &agent) const;
    // Per listener: how its calls ended and how long they took, by name. A listener removed by a
    // reload takes its figures with it.
    QList<HandlerStats> handlerStats() const;
    // The thread's calls in flight: the seq of each handled message → when its call started.
    QHash<qint64, QDateTime> runningSince(const QString &threadId) const;

private:
    struct ThreadQueue
    {
        std::deque<MessageRecord> queued;
        int inFlight = 0;
        int retrying = 0; // messages waiting to be retried (m_retries)
        bool inRing = false;
        bool waitingForPipeline = false;
        bool held = false;
    };
    struct AgentSlot
    {
        QPointer<Listener> listener;
        int queued = 0;
        int inFlight = 0;
        bool paused = false;
        QString currentThread;
        QSet<QString> blockedThreads; // threads whose next messages all wait for this agent
        HandlerStats stats;
    };
    struct Call
    {
        HandlerCallPtr call;
        QString agent;
        QString threadId;
        QDeadlineTimer deadline;
        qint64 startedNs = 0; // on m_clock
        QDateTime started;
    };

    void scheduleDispatch();
    QList<MessageRecord> interruptCalls(const QString &agent);
    void reportFailures(const QList<MessageRecord> &messages, const QString &reason);
    void processPass();
    void processCompletions();
    void dispatchReady();
    bool dispatchFrom(const QString &threadId, ThreadQueue &queue);
    void startCall(const QString &threadId, ThreadQueue &queue, MessageRecord message);
    void complete(quint64 callId, HandlerCall::Outcome outcome, QList<OutgoingMessage> replies, QString text);
    void requeueHeld(MessageRecord message);
    void finishCall(quint64 callId, HandlerOutcome outcome);
    void expireCalls();
    void makeReady(const QString &threadId);
    void wakeBlockedOn(const QString &agent);
    void wakePipelineWaiters();
    void forgetThreadIfDrained(const QString &threadId);
    void wakeRetry(quint64 token);
    AgentSlot &slot(const QString &agent);

    PumpObserver *m_observer;
    PumpLimits m_limits;
    qint64 m_nextSeq = 1;
    quint64 m_nextCallId = 1;
    bool m_passScheduled = false;
    bool m_inPass = false;
    bool m_dispatchHeld = false;
    quint64 m_handled = 0;

    QHash<QString, ThreadQueue> m_threads;
    std::deque<QString> m_ring;            // threads that may have something dispatchable
    std::deque<QString> m_pipelineWaiters; // threads waiting for a pipeline slot
    QHash<QString, AgentSlot> m_agents;
    QHash<quint64, Call> m_calls;
    QHash<quint64, MessageRecord> m_retries; // waiting for their back-off, by token
    quint64 m_nextRetryToken = 1;
    QSet<QString> m_heldThreads;
    int m_totalQueued = 0;
    int m_activePipelines = 0;

    struct Completion
    {
        quint64 callId;
        HandlerCall::Outcome outcome;
        QList<OutgoingMessage> replies;
        QString text;
        QDateTime ended; // when the listener reported, not when the pump got round to it
    };
    QList<Completion> m_completions;
    QTimer m_timeoutSweep;
    QElapsedTimer m_clock; // handler durations
};

} // namespace agentdesk
