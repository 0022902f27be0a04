#include "messagepump.h"

#include "domain/ids.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {
constexpr int kTimeoutSweepMs = 50;

HandlerOutcome outcomeOf(HandlerCall::Outcome outcome)
{
    switch (outcome) {
    case HandlerCall::Outcome::Finished:
        return HandlerOutcome::Ok;
    case HandlerCall::Outcome::Failed:
        return HandlerOutcome::Error;
    case HandlerCall::Outcome::Held:
        return HandlerOutcome::Held;
    }
    return HandlerOutcome::Error;
}
} // namespace

MessagePump::MessagePump(PumpObserver *observer, QObject *parent)
    : QObject(parent)
    , m_observer(observer)
{
    // Time-outs are checked by one sweep over the (at most max_concurrent_handlers) calls in flight
    // instead of a timer per call: at tens of thousands of calls per second timers would cost more
    // than the handlers.
    m_timeoutSweep.setInterval(kTimeoutSweepMs);
    connect(&m_timeoutSweep, &QTimer::timeout, this, &MessagePump::expireCalls);
    m_clock.start();
}

MessagePump::~MessagePump()
{
    for (const Call &call : std::as_const(m_calls))
        call.call->cancel();
}

void MessagePump::setLimits(const PumpLimits &limits)
{
    m_limits = limits;
    scheduleDispatch();
}

void MessagePump::addListener(Listener *listener)
{
    slot(listener->name()).listener = listener;
    scheduleDispatch();
}

Listener *MessagePump::listener(const QString &name) const
{
    const auto it = m_agents.constFind(name);
    return it == m_agents.cend() ? nullptr : it->listener.data();
}

void MessagePump::removeListener(const QString &name)
{
    QList<MessageRecord> failed;
    for (auto it = m_threads.begin(); it != m_threads.end(); ++it) {
        auto &queued = it->queued;
        for (auto m = queued.begin(); m != queued.end();) {
            if (m->to == name) {
                failed.append(std::move(*m));
                m = queued.erase(m);
                --m_totalQueued;
            } else {
                ++m;
            }
        }
    }
    for (auto r = m_retries.begin(); r != m_retries.end();) {
        if (r->to != name) {
            ++r;
            continue;
        }
        if (auto thread = m_threads.find(r->threadId); thread != m_threads.end())
            --thread->retrying;
        --m_totalQueued;
        failed.append(std::move(*r));
        r = m_retries.erase(r);
    }
    failed += interruptCalls(name);
    m_agents.remove(name);
    reportFailures(failed, u"listener %1 was removed by a reload"_s.arg(name));
}

void MessagePump::replaceListener(Listener *listener)
{
    const QString name = listener->name();
    const QList<MessageRecord> interrupted = interruptCalls(name);
    slot(name).listener = listener;
    reportFailures(interrupted, u"listener %1 was changed by a reload while it handled this message"_s.arg(name));
    wakeBlockedOn(name);
    scheduleDispatch();
}

QList<MessageRecord> MessagePump::interruptCalls(const QString &agent)
{
    QList<quint64> ids;
    for (auto it = m_calls.cbegin(); it != m_calls.cend(); ++it) {
        if (it->agent == agent)
            ids.append(it.key());
    }
    QList<MessageRecord> interrupted;
    for (quint64 id : std::as_const(ids)) {
        const Call call = m_calls.value(id);
        interrupted.append(call.call->message());
        call.call->cancel();
        if (Listener *target = listener(agent))
            target->cancel(id);
        finishCall(id, HandlerOutcome::Cancelled);
    }
    return interrupted;
}

void MessagePump::reportFailures(const QList<MessageRecord> &messages, const QString &reason)
{
    for (const MessageRecord &message : messages) {
        m_observer->handlerFailed(message, reason, {});
        forgetThreadIfDrained(message.threadId);
    }
}

MessagePump::AgentSlot &MessagePump::slot(const QString &agent)
{
    return m_agents[agent];
}

void MessagePump::stamp(MessageRecord &message)
{
    message.seq = m_nextSeq++;
    if (message.id.isEmpty())
        message.id = newTimeOrderedId();
    if (!message.timestamp.isValid())
        message.timestamp = QDateTime::currentDateTimeUtc();
}

void MessagePump::enqueue(MessageRecord message)
{
    const QString threadId = message.threadId;
    const QString agent = message.to;
    auto it = m_threads.find(threadId);
    if (it == m_threads.end()) {
        it = m_threads.insert(threadId, ThreadQueue{});
        it->held = m_heldThreads.contains(threadId);
    }
    it->queued.push_back(std::move(message));
    ++m_totalQueued;
    ++slot(agent).queued;
    m_observer->agentChanged(agent);
    makeReady(threadId);
    scheduleDispatch();
}

bool MessagePump::retryLater(MessageRecord message, std::chrono::milliseconds delay)
{
    if (!listener(message.to))
        return false;
    const QString threadId = message.threadId;
    const QString agent = message.to;
    auto it = m_threads.find(threadId);
    if (it == m_threads.end()) {
        it = m_threads.insert(threadId, ThreadQueue{});
        it->held = m_heldThreads.contains(threadId);
    }
    ++it->retrying;
    ++m_totalQueued;
    ++slot(agent).queued;
    const quint64 token = m_nextRetryToken++;
    m_retries.insert(token, std::move(message));
    QTimer::singleShot(delay, this, [this, token] { wakeRetry(token); });
    m_observer->agentChanged(agent);
    return true;
}

void MessagePump::wakeRetry(quint64 token)
{
    const auto found = m_retries.find(token);
    if (found == m_retries.end())
        return; // dropped meanwhile (kill, stop)
    MessageRecord message = std::move(*found);
    m_retries.erase(found);
    auto it = m_threads.find(message.threadId);
    if (it == m_threads.end())
        return;
    --it->retrying;
    const QString threadId = message.threadId;
    it->queued.push_front(std::move(message)); // it was first in line when it failed
    makeReady(threadId);
    scheduleDispatch();
}

void MessagePump::holdDispatch(bool held)
{
    if (m_dispatchHeld == held)
        return;
    m_dispatchHeld = held;
    if (!held)
        scheduleDispatch();
}

void MessagePump::pause(const QString &agent)
{
    slot(agent).paused = true;
    m_observer->agentChanged(agent);
}

void MessagePump::resume(const QString &agent)
{
    slot(agent).paused = false;
    wakeBlockedOn(agent);
    m_observer->agentChanged(agent);
    scheduleDispatch();
}

bool MessagePump::isPaused(const QString &agent) const
{
    return m_agents.value(agent).paused;
}

void MessagePump::holdThread(const QString &threadId)
{
    m_heldThreads.insert(threadId);
    auto it = m_threads.find(threadId);
    if (it != m_threads.end())
        it->held = true;
}

void MessagePump::releaseThread(const QString &threadId)
{
    if (!m_heldThreads.remove(threadId))
        return;
    auto it = m_threads.find(threadId);
    if (it != m_threads.end()) {
        it->held = false;
        makeReady(threadId);
        scheduleDispatch();
    }
}

bool MessagePump::isHeld(const QString &threadId) const
{
    return m_heldThreads.contains(threadId);
}

QList<qint64> MessagePump::cancelThread(const QString &threadId)
{
    m_heldThreads.remove(threadId);
    auto it = m_threads.find(threadId);
    if (it == m_threads.end())
        return {};
    QList<qint64> dropped;
    QSet<QString> touched;
    for (const MessageRecord &message : it->queued) {
        --slot(message.to).queued;
        --m_totalQueued;
        touched.insert(message.to);
        dropped.append(message.seq);
    }
    it->queued.clear();
    for (auto r = m_retries.begin(); r != m_retries.end();) {
        if (r->threadId != threadId) {
            ++r;
            continue;
        }
        --slot(r->to).queued;
        --m_totalQueued;
        touched.insert(r->to);
        dropped.append(r->seq);
        r = m_retries.erase(r);
    }
    QList<quint64> calls;
    for (auto c = m_calls.cbegin(); c != m_calls.cend(); ++c) {
        if (c->threadId == threadId)
            calls.append(c.key());
    }
    for (quint64 id : std::as_const(calls)) {
        const Call call = m_calls.value(id);
        dropped.append(call.call->message().seq);
        call.call->cancel();
        if (Listener *target = listener(call.agent))
            target->cancel(id);
        touched.insert(call.agent);
        finishCall(id, HandlerOutcome::Cancelled);
    }
    m_threads.remove(threadId);
    for (const QString &agent : std::as_const(touched))
        m_observer->agentChanged(agent);
    return dropped;
}

void MessagePump::cancelAll()
{
    const QStringList threads = m_threads.keys();
    for (const QString &threadId : threads)
        cancelThread(threadId);
    m_completions.clear();
}

int MessagePump::queueDepth(const QString &agent) const
{
    return m_agents.value(agent).queued;
}

int MessagePump::inFlight(const QString &agent) const
{
    return m_agents.value(agent).inFlight;
}

QString MessagePump::currentThread(const QString &agent) const
{
    return m_agents.value(agent).currentThread;
}

QList<HandlerStats> MessagePump::handlerStats() const
{
    QList<HandlerStats> stats;
    stats.reserve(m_agents.size());
    for (auto it = m_agents.cbegin(); it != m_agents.cend(); ++it) {
        if (!it->listener)
            continue;
        stats.append(it->stats);
        stats.last().agent = it.key();
    }
    std::sort(stats.begin(), stats.end(),
              [](const HandlerStats &a, const HandlerStats &b) { return a.agent < b.agent; });
    return stats;
}

void MessagePump::scheduleDispatch()
{
    if (m_passScheduled || m_inPass)
        return;
    m_passScheduled = true;
    QMetaObject::invokeMethod(this, &MessagePump::processPass, Qt::QueuedConnection);
}

void MessagePump::processPass()
{
    m_passScheduled = false;
    m_inPass = true;
    processCompletions();
    dispatchReady();
    m_inPass = false;
    // Built-ins finish inside handle(): their completions wait for the next pass, so a long chain runs
    // as a sequence of event-loop iterations instead of one deep recursion.
    if (!m_completions.isEmpty()
        || (!m_ring.empty() && !m_dispatchHeld && int(m_calls.size()) < m_limits.maxConcurrentHandlers))
        scheduleDispatch();
    else if (isBlocked())
        m_observer->pumpBlocked();
}

bool MessagePump::isBlocked() const
{
    return !m_threads.isEmpty() && m_calls.isEmpty() && m_ring.empty() && m_completions.isEmpty()
        && m_pipelineWaiters.empty() && !m_passScheduled && !m_dispatchHeld;
}

void MessagePump::complete(quint64 callId, HandlerCall::Outcome outcome, QList<OutgoingMessage> replies, QString text)
{
    m_completions.append(
        Completion{callId, outcome, std::move(replies), std::move(text), QDateTime::currentDateTimeUtc()});
    scheduleDispatch();
}

void MessagePump::requeueHeld(MessageRecord message)
{
    const QString threadId = message.threadId;
    const QString agent = message.to;
    auto it = m_threads.find(threadId);
    if (it == m_threads.end())
        it = m_threads.insert(threadId, ThreadQueue{});
    it->queued.push_front(std::move(message));
    ++m_totalQueued;
    ++slot(agent).queued;
    m_heldThreads.insert(threadId);
    it->held = true;
    m_observer->agentChanged(agent);
}

void MessagePump::processCompletions()
{
    while (!m_completions.isEmpty()) {
        const QList<Completion> batch = std::exchange(m_completions, {});
        for (const Completion &completion : batch) {
            const auto it = m_calls.constFind(completion.callId);
            if (it == m_calls.cend())
                continue; // cancelled or timed out meanwhile: its late answer is dropped
            const MessageRecord handled = it->call->message();
            const CallTiming timing{it->started, completion.ended};
            finishCall(completion.callId, outcomeOf(completion.outcome));
            m_handled += completion.outcome == HandlerCall::Outcome::Held ? 0 : 1;
            switch (completion.outcome) {
            case HandlerCall::Outcome::Finished:
                m_observer->handlerFinished(handled, completion.replies, timing);
                break;
            case HandlerCall::Outcome::Failed:
                m_observer->handlerFailed(handled, completion.text, timing);
                break;
            case HandlerCall::Outcome::Held:
                requeueHeld(handled);
                m_observer->threadHeld(handled, completion.text);
                break;
            }
            forgetThreadIfDrained(handled.threadId);
        }
    }
}

void MessagePump::dispatchReady()
{
    if (m_dispatchHeld)
        return;
    while (!m_ring.empty() && int(m_calls.size()) < m_limits.maxConcurrentHandlers) {
        const QString threadId = m_ring.front();
        m_ring.pop_front();
        auto it = m_threads.find(threadId);
        if (it == m_threads.end() || !it->inRing)
            continue;
        it->inRing = false;
        if (dispatchFrom(threadId, *it) && !it->queued.empty()) {
            // Round robin: one message per thread per turn, so one busy conversation cannot starve others.
            it = m_threads.find(threadId);
            if (it != m_threads.end() && !it->inRing) {
                it->inRing = true;
                m_ring.push_back(threadId);
            }
        }
    }
}

bool MessagePump::dispatchFrom(const QString &threadId, ThreadQueue &queue)
{
    if (queue.held || queue.queued.empty())
        return false;
    if (queue.inFlight == 0 && m_activePipelines >= m_limits.maxConcurrentPipelines) {
        if (!queue.waitingForPipeline) {
            queue.waitingForPipeline = true;
            m_pipelineWaiters.push_back(threadId);
        }
        return false;
    }
    const auto dispatchable = [this](const MessageRecord &message) {
        const auto agent = m_agents.constFind(message.to);
        return agent != m_agents.cend() && agent->listener && !agent->paused
            && agent->inFlight < m_limits.maxConcurrentPerAgent;
    };
    // Breadth-first takes the oldest message of the thread, depth-first the newest (the deepest hop).
    auto &queued = queue.queued;
    if (m_limits.scheduling == SchedulingPolicy::BreadthFirst) {
        for (auto m = queued.begin(); m != queued.end(); ++m) {
            if (dispatchable(*m)) {
                MessageRecord message = std::move(*m);
                queued.erase(m);
                startCall(threadId, queue, std::move(message));
                return true;
            }
        }
    } else {
        for (auto m = queued.rbegin(); m != queued.rend(); ++m) {
            if (dispatchable(*m)) {
                MessageRecord message = std::move(*m);
                queued.erase(std::next(m).base());
                startCall(threadId, queue, std::move(message));
                return true;
            }
        }
    }
    // Everything queued here waits for a paused or saturated agent: park the thread until one frees up.
    for (const MessageRecord &message : queued)
        slot(message.to).blockedThreads.insert(threadId);
    return false;
}

void MessagePump::startCall(const QString &threadId, ThreadQueue &queue, MessageRecord message)
{
    if (queue.inFlight++ == 0)
        ++m_activePipelines;
    --m_totalQueued;
    const QString agent = message.to;
    AgentSlot &target = slot(agent);
    --target.queued;
    ++target.inFlight;
    target.currentThread = threadId;

    const quint64 callId = m_nextCallId++;
    QPointer<MessagePump> guard(this);
    auto call = std::make_shared<HandlerCall>(
        callId, std::move(message),
        [guard](quint64 id, HandlerCall::Outcome outcome, QList<OutgoingMessage> replies, QString text) {
            if (guard)
                guard->complete(id, outcome, std::move(replies), std::move(text));
        });
    Listener *listener = target.listener.data();
    const auto timeoutMs = qint64(listener->config().timeoutSeconds * 1000.0);
    m_calls.insert(callId,
                   Call{call, agent, threadId, QDeadlineTimer(timeoutMs), m_clock.nsecsElapsed(),
                        QDateTime::currentDateTimeUtc()});
    if (!m_timeoutSweep.isActive())
        m_timeoutSweep.start();
    m_observer->agentChanged(agent);
    listener->handle(call);
}

QHash<qint64, QDateTime> MessagePump::runningSince(const QString &threadId) const
{
    QHash<qint64, QDateTime> out;
    for (const Call &call : m_calls) { // at most max_concurrent_handlers
        if (call.threadId == threadId)
            out.insert(call.call->message().seq, call.started);
    }
    return out;
}

void MessagePump::finishCall(quint64 callId, HandlerOutcome outcome)
{
    const Call call = m_calls.take(callId);
    auto agent = m_agents.find(call.agent);
    if (agent != m_agents.end()) {
        agent->stats.record(outcome, double(m_clock.nsecsElapsed() - call.startedNs) / 1e9);
        --agent->inFlight;
        if (agent->inFlight == 0)
            agent->currentThread.clear();
        m_observer->agentChanged(call.agent);
    }
    auto thread = m_threads.find(call.threadId);
    if (thread != m_threads.end() && --thread->inFlight == 0) {
        --m_activePipelines;
        wakePipelineWaiters();
    }
    wakeBlockedOn(call.agent);
    scheduleDispatch();
}

void MessagePump::expireCalls()
{
    QList<quint64> expired;
    for (auto it = m_calls.cbegin(); it != m_calls.cend(); ++it) {
        if (it->deadline.hasExpired())
            expired.append(it.key());
    }
    for (quint64 id : std::as_const(expired)) {
        const auto it = m_calls.constFind(id);
        if (it == m_calls.cend())
            continue;
        const Call call = *it;
        call.call->cancel();
        Listener *target = listener(call.agent);
        if (target)
            target->cancel(id);
        const double seconds = target ? target->config().timeoutSeconds : 0;
        const MessageRecord handled = call.call->message();
        finishCall(id, HandlerOutcome::Timeout);
        ++m_handled;
        m_observer->handlerFailed(handled, u"%1 timed out after %2 s"_s.arg(call.agent).arg(seconds),
                                  {call.started, QDateTime::currentDateTimeUtc()});
        forgetThreadIfDrained(handled.threadId);
    }
    if (m_calls.isEmpty())
        m_timeoutSweep.stop();
}

void MessagePump::makeReady(const QString &threadId)
{
    auto it = m_threads.find(threadId);
    if (it == m_threads.end() || it->inRing || it->waitingForPipeline)
        return;
    it->inRing = true;
    m_ring.push_back(threadId);
}

void MessagePump::wakeBlockedOn(const QString &agent)
{
    auto it = m_agents.find(agent);
    if (it == m_agents.end() || it->blockedThreads.isEmpty())
        return;
    const QSet<QString> blocked = std::exchange(it->blockedThreads, {});
    for (const QString &threadId : blocked)
        makeReady(threadId);
}

void MessagePump::wakePipelineWaiters()
{
    // Wake as many waiters as there are free slots; a woken thread takes its slot when it dispatches,
    // and one that still cannot dispatch simply queues up again.
    int free = m_limits.maxConcurrentPipelines - m_activePipelines;
    while (free > 0 && !m_pipelineWaiters.empty()) {
        const QString threadId = m_pipelineWaiters.front();
        m_pipelineWaiters.pop_front();
        auto it = m_threads.find(threadId);
        if (it == m_threads.end() || !it->waitingForPipeline)
            continue;
        it->waitingForPipeline = false;
        makeReady(threadId);
        --free;
    }
}

void MessagePump::forgetThreadIfDrained(const QString &threadId)
{
    auto it = m_threads.find(threadId);
    if (it == m_threads.end() || it->inFlight > 0 || !it->queued.empty() || it->retrying > 0)
        return;
    m_threads.erase(it);
    m_observer->threadDrained(threadId);
}

} // namespace agentdesk
