#include "pump/messagepump.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <numeric>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

// A listener that keeps every call until the test finishes it, so the test decides what is in flight.
class HoldingListener : public Listener
{
public:
    explicit HoldingListener(const QString &name, double timeoutSeconds = 30)
        : Listener(configFor(name, timeoutSeconds), {})
    { }
    void handle(const HandlerCallPtr &call) override { calls.append(call); }
    void cancel(quint64 callId) override { cancelled.append(callId); }

    HandlerCallPtr take() { return calls.isEmpty() ? nullptr : calls.takeFirst(); }

    QList<HandlerCallPtr> calls;
    QList<quint64> cancelled;

private:
    static ListenerConfig configFor(const QString &name, double timeoutSeconds)
    {
        ListenerConfig config;
        config.name = name;
        config.timeoutSeconds = timeoutSeconds;
        return config;
    }
};

class RecordingObserver : public PumpObserver
{
public:
    void handlerFinished(const MessageRecord &handled, QList<OutgoingMessage> replies,
                         const CallTiming &timing) override
    {
        finished.append(handled);
        timings.insert(handled.seq, timing);
        if (onFinished)
            onFinished(handled, replies);
    }
    void handlerFailed(const MessageRecord &handled, const QString &error, const CallTiming &timing) override
    {
        failed.append({handled, error});
        timings.insert(handled.seq, timing);
    }
    void threadHeld(const MessageRecord &message, const QString &reason) override { held.append({message, reason}); }
    void agentChanged(const QString &) override { }
    void threadDrained(const QString &threadId) override { drained.append(threadId); }

    QList<MessageRecord> finished;
    QList<QPair<MessageRecord, QString>> failed;
    QHash<qint64, CallTiming> timings; // by seq
    QStringList drained;
    QList<QPair<MessageRecord, QString>> held;
    std::function<void(const MessageRecord &, const QList<OutgoingMessage> &)> onFinished;
};

MessageRecord message(const QString &thread, const QString &to, const QString &tag = {})
{
    MessageRecord record;
    record.threadId = thread;
    record.from = u"test"_s;
    record.to = to;
    record.payloadType = u"Text"_s;
    record.fields.insert(u"tag"_s, tag);
    return record;
}

QString tagOf(const HandlerCallPtr &call)
{
    return call ? call->message().fields.value(u"tag"_s).toString() : QString();
}

} // namespace

class TestMessagePump : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        observer = std::make_unique<RecordingObserver>();
        pump = std::make_unique<MessagePump>(observer.get());
        alpha = std::make_unique<HoldingListener>(u"alpha"_s);
        beta = std::make_unique<HoldingListener>(u"beta"_s);
        pump->addListener(alpha.get());
        pump->addListener(beta.get());
    }
    void cleanup()
    {
        pump.reset();
        alpha.reset();
        beta.reset();
        observer.reset();
    }

    void stampedMessagesGetIdentityAndSequence()
    {
        const MessageRecord first = send(message(u"t1"_s, u"alpha"_s));
        const MessageRecord second = send(message(u"t1"_s, u"alpha"_s));
        QCOMPARE(first.seq, 1);
        QCOMPARE(second.seq, 2);
        QVERIFY(!first.id.isEmpty());
        QVERIFY(first.id != second.id);
        QVERIFY(first.timestamp.isValid());
        QCOMPARE(pump->lastSeq(), 2);
    }

    // The timeline's queue wait and handler time: when the call started and when the listener answered.
    void callTimingFollowsTheMessage()
    {
        pump->holdDispatch(true);
        const MessageRecord sent = send(message(u"t"_s, u"alpha"_s));
        QVERIFY(settle());
        QVERIFY(alpha->calls.isEmpty());
        QVERIFY(passed(20, sent.timestamp)); // waits in the queue while dispatch is held
        pump->holdDispatch(false);
        QTRY_COMPARE(alpha->calls.size(), 1);
        const QDateTime running = QDateTime::currentDateTimeUtc();
        QVERIFY(passed(20, running)); // runs
        alpha->take()->finish();
        QTRY_COMPARE(observer->finished.size(), 1);
        const CallTiming timing = observer->timings.value(sent.seq);
        QVERIFY(timing.started.isValid() && timing.ended.isValid());
        QVERIFY(sent.timestamp.msecsTo(timing.started) >= 20);
        QVERIFY(timing.started <= running);
        QVERIFY(timing.started.msecsTo(timing.ended) >= 20);

        // A message whose listener is removed before it runs never started.
        pump->pause(u"beta"_s);
        const MessageRecord waiting = send(message(u"u"_s, u"beta"_s));
        pump->removeListener(u"beta"_s);
        QTRY_COMPARE(observer->failed.size(), 1);
        QVERIFY(!observer->timings.value(waiting.seq).started.isValid());
    }

    void heldDispatchStartsNothingNew()
    {
        pump->holdDispatch(true);
        send(message(u"t"_s, u"alpha"_s, u"waits"_s));
        QVERIFY(settle());
        QVERIFY(alpha->calls.isEmpty());
        QCOMPARE(pump->queueDepth(u"alpha"_s), 1);
        QVERIFY(!pump->isBlocked()); // held is not blocked: it will go on
        pump->holdDispatch(false);
        QTRY_COMPARE(alpha->calls.size(), 1);
        // Calls in flight finish while held, and their threads drain.
        pump->holdDispatch(true);
        alpha->take()->finish();
        QTRY_COMPARE(observer->drained, QStringList{u"t"_s});
    }

    void schedulingPolicyPicksOldestOrNewest_data()
    {
        QTest::addColumn<SchedulingPolicy>("policy");
        QTest::addColumn<QString>("next");
        QTest::newRow("breadth-first takes the oldest") << SchedulingPolicy::BreadthFirst << u"second"_s;
        QTest::newRow("depth-first takes the newest") << SchedulingPolicy::DepthFirst << u"third"_s;
    }
    void schedulingPolicyPicksOldestOrNewest()
    {
        QFETCH(SchedulingPolicy, policy);
        QFETCH(QString, next);
        PumpLimits limits;
        limits.scheduling = policy;
        limits.maxConcurrentHandlers = 1;
        pump->setLimits(limits);

        send(message(u"t"_s, u"alpha"_s, u"first"_s));
        QTRY_COMPARE(alpha->calls.size(), 1);
        send(message(u"t"_s, u"alpha"_s, u"second"_s));
        send(message(u"t"_s, u"alpha"_s, u"third"_s));
        QCOMPARE(pump->queueDepth(u"alpha"_s), 2);

        alpha->take()->finish();
        QTRY_COMPARE(alpha->calls.size(), 1);
        QCOMPARE(tagOf(alpha->calls.first()), next);
    }

    void globalHandlerLimitIsHonoured()
    {
        PumpLimits limits;
        limits.maxConcurrentHandlers = 3;
        limits.maxConcurrentPerAgent = 100;
        pump->setLimits(limits);
        for (int i = 0; i < 10; ++i)
            send(message(u"t%1"_s.arg(i), i % 2 ? u"alpha"_s : u"beta"_s));
        QTRY_COMPARE(alpha->calls.size() + beta->calls.size(), 3);
        QVERIFY(settle());
        QCOMPARE(alpha->calls.size() + beta->calls.size(), 3);
        QCOMPARE(pump->totalInFlight(), 3);
        QCOMPARE(pump->totalQueued(), 7);
        (alpha->calls.isEmpty() ? beta->take() : alpha->take())->finish();
        QTRY_COMPARE(alpha->calls.size() + beta->calls.size(), 3);
        QCOMPARE(pump->totalQueued(), 6);
    }

    void perAgentLimitIsHonoured()
    {
        PumpLimits limits;
        limits.maxConcurrentPerAgent = 2;
        pump->setLimits(limits);
        for (int i = 0; i < 5; ++i)
            send(message(u"t%1"_s.arg(i), u"alpha"_s));
        send(message(u"other"_s, u"beta"_s));
        QTRY_COMPARE(beta->calls.size(), 1);
        QTRY_COMPARE(alpha->calls.size(), 2);
        QVERIFY(settle());
        QCOMPARE(alpha->calls.size(), 2);
        QCOMPARE(pump->inFlight(u"alpha"_s), 2);
        QCOMPARE(pump->queueDepth(u"alpha"_s), 3);
    }

    void pipelineLimitCountsThreadsWithWorkInFlight()
    {
        PumpLimits limits;
        limits.maxConcurrentPipelines = 2;
        limits.maxConcurrentPerAgent = 10;
        pump->setLimits(limits);
        for (int i = 0; i < 4; ++i) {
            send(message(u"t%1"_s.arg(i), u"alpha"_s));
            send(message(u"t%1"_s.arg(i), u"alpha"_s));
        }
        // Two threads may run, each with both of its messages in flight.
        QTRY_COMPARE(alpha->calls.size(), 4);
        QVERIFY(settle());
        QCOMPARE(alpha->calls.size(), 4);
        QSet<QString> running;
        for (const auto &call : std::as_const(alpha->calls))
            running.insert(call->message().threadId);
        QCOMPARE(running.size(), 2);
        // Finishing one thread entirely lets exactly one more thread start.
        const QString done = alpha->calls.first()->message().threadId;
        for (const auto &call : QList<HandlerCallPtr>(alpha->calls)) {
            if (call->message().threadId == done) {
                call->finish();
                alpha->calls.removeOne(call);
            }
        }
        QTRY_COMPARE(observer->drained, QStringList{done});
        QTRY_COMPARE(alpha->calls.size(), 4);
    }

    void pauseHoldsTheQueueAndResumeReleasesIt()
    {
        pump->pause(u"alpha"_s);
        send(message(u"t1"_s, u"alpha"_s));
        send(message(u"t2"_s, u"alpha"_s));
        send(message(u"t3"_s, u"beta"_s));
        QTRY_COMPARE(beta->calls.size(), 1);
        QVERIFY(settle());
        QVERIFY(alpha->calls.isEmpty());
        QVERIFY(pump->isPaused(u"alpha"_s));
        QCOMPARE(pump->queueDepth(u"alpha"_s), 2);
        pump->resume(u"alpha"_s);
        QTRY_COMPARE(alpha->calls.size(), 2);
        QCOMPARE(pump->queueDepth(u"alpha"_s), 0);
    }

    void cancelThreadDropsQueuedAndInFlightWork()
    {
        PumpLimits limits;
        limits.maxConcurrentPerAgent = 1;
        pump->setLimits(limits);
        send(message(u"doomed"_s, u"alpha"_s));
        send(message(u"doomed"_s, u"alpha"_s));
        send(message(u"other"_s, u"beta"_s));
        QTRY_COMPARE(alpha->calls.size(), 1);
        const HandlerCallPtr inFlight = alpha->calls.first();

        QCOMPARE(pump->cancelThread(u"doomed"_s).size(), 2); // the queued one and the one in flight
        QVERIFY(inFlight->isCancelled());
        QCOMPARE(alpha->cancelled, QList<quint64>{inFlight->id()});
        QCOMPARE(pump->queueDepth(u"alpha"_s), 0);
        QCOMPARE(pump->inFlight(u"alpha"_s), 0);
        QVERIFY(!pump->hasWork(u"doomed"_s));

        inFlight->finish({OutgoingMessage{u"beta"_s, {}}}); // a late answer is ignored
        QVERIFY(settle());
        QVERIFY(observer->finished.isEmpty());
        QVERIFY(pump->cancelThread(u"doomed"_s).isEmpty());
    }

    void handlerTimeoutFailsTheCall()
    {
        HoldingListener slow(u"slow"_s, 0.1);
        pump->addListener(&slow);
        send(message(u"t"_s, u"slow"_s));
        QTRY_COMPARE(observer->failed.size(), 1);
        QVERIFY2(observer->failed.first().second.contains(u"timed out"_s), qPrintable(observer->failed.first().second));
        QCOMPARE(slow.cancelled.size(), 1);
        QCOMPARE(pump->inFlight(u"slow"_s), 0);
        QTRY_COMPARE(observer->drained, QStringList{u"t"_s});
        pump->removeListener(u"slow"_s);
    }

    void cancelAllForgetsWithoutReporting()
    {
        pump->pause(u"alpha"_s);
        send(message(u"t1"_s, u"alpha"_s));
        send(message(u"t2"_s, u"beta"_s));
        QTRY_COMPARE(beta->calls.size(), 1);
        pump->cancelAll();
        QVERIFY(pump->isIdle());
        QCOMPARE(pump->totalQueued(), 0);
        QCOMPARE(pump->totalInFlight(), 0);
        QVERIFY(observer->failed.isEmpty());
        QVERIFY(observer->drained.isEmpty());
    }

    void threadDrainsWhenItsLastHandlerReturnsNothing()
    {
        observer->onFinished = [this](const MessageRecord &handled, const QList<OutgoingMessage> &) {
            if (handled.to == u"alpha")
                send(message(handled.threadId, u"beta"_s));
        };
        send(message(u"chain"_s, u"alpha"_s));
        QTRY_COMPARE(alpha->calls.size(), 1);
        alpha->take()->finish();
        QTRY_COMPARE(beta->calls.size(), 1);
        QVERIFY(observer->drained.isEmpty());
        beta->take()->finish();
        QTRY_COMPARE(observer->drained, QStringList{u"chain"_s});
        QVERIFY(pump->isIdle());
    }

    void roundRobinServesEveryThread()
    {
        PumpLimits limits;
        limits.maxConcurrentHandlers = 1;
        pump->setLimits(limits);
        for (int i = 0; i < 3; ++i)
            send(message(u"busy"_s, u"alpha"_s, u"busy%1"_s.arg(i)));
        send(message(u"quiet"_s, u"alpha"_s, u"quiet"_s));
        QStringList order;
        for (int i = 0; i < 4; ++i) {
            QTRY_COMPARE(alpha->calls.size(), 1);
            const HandlerCallPtr call = alpha->take();
            order << call->message().threadId;
            call->finish();
        }
        QCOMPARE(order, (QStringList{u"busy"_s, u"quiet"_s, u"busy"_s, u"busy"_s}));
    }

    void heldThreadWaitsUntilReleased()
    {
        pump->holdThread(u"t"_s);
        send(message(u"t"_s, u"alpha"_s));
        QVERIFY(settle());
        QVERIFY(alpha->calls.isEmpty());
        QCOMPARE(pump->queueDepth(u"alpha"_s), 1);
        pump->releaseThread(u"t"_s);
        QTRY_COMPARE(alpha->calls.size(), 1);
    }

    void heldCallGoesBackToTheHeadOfItsQueue()
    {
        PumpLimits limits;
        limits.maxConcurrentHandlers = 1;
        pump->setLimits(limits);
        send(message(u"t"_s, u"alpha"_s, u"first"_s));
        send(message(u"t"_s, u"alpha"_s, u"second"_s));
        QTRY_COMPARE(alpha->calls.size(), 1);
        alpha->take()->hold(u"budget exhausted"_s);
        QTRY_COMPARE(observer->held.size(), 1);
        QCOMPARE(observer->held.first().second, u"budget exhausted"_s);
        QVERIFY(pump->isHeld(u"t"_s));
        QCOMPARE(pump->queueDepth(u"alpha"_s), 2);
        QVERIFY(settle());
        QVERIFY(alpha->calls.isEmpty());
        QVERIFY(observer->drained.isEmpty());

        pump->releaseThread(u"t"_s);
        QTRY_COMPARE(alpha->calls.size(), 1);
        QCOMPARE(tagOf(alpha->calls.first()), u"first"_s);
    }

    // The metrics endpoint reads these: every way a call can end is counted once, for its listener,
    // and the calls that ran to an end are timed.
    void handlerStatsCountEveryOutcomeAndTimeTheCalls()
    {
        HoldingListener slow(u"slow"_s, 0.1);
        pump->addListener(&slow);
        send(message(u"ok"_s, u"alpha"_s));
        send(message(u"failing"_s, u"alpha"_s));
        send(message(u"budget"_s, u"alpha"_s));
        send(message(u"killed"_s, u"alpha"_s));
        send(message(u"late"_s, u"slow"_s));
        QTRY_COMPARE(alpha->calls.size(), 4);
        // The finished calls were open at least this long (the pump times them on a monotonic clock).
        QElapsedTimer open;
        open.start();
        QVERIFY(QTest::qWaitFor([&open] { return open.elapsed() >= 30; }));
        for (const HandlerCallPtr &call : std::as_const(alpha->calls)) {
            const QString thread = call->message().threadId;
            if (thread == u"ok")
                call->finish();
            else if (thread == u"failing")
                call->fail(u"broken"_s);
            else if (thread == u"budget")
                call->hold(u"budget exhausted"_s);
        }
        QTRY_COMPARE(observer->held.size(), 1);
        pump->cancelThread(u"killed"_s);
        QTRY_COMPARE(observer->failed.size(), 2); // "failing" and the time-out of "late"

        const QList<HandlerStats> stats = pump->handlerStats();
        QCOMPARE(stats.size(), 3);
        QCOMPARE(stats.at(0).agent, u"alpha"_s); // by name
        QCOMPARE(stats.at(1).agent, u"beta"_s);
        QCOMPARE(stats.at(2).agent, u"slow"_s);
        const HandlerStats &alphaStats = stats.at(0);
        QCOMPARE(alphaStats.count(HandlerOutcome::Ok), 1);
        QCOMPARE(alphaStats.count(HandlerOutcome::Error), 1);
        QCOMPARE(alphaStats.count(HandlerOutcome::Held), 1);
        QCOMPARE(alphaStats.count(HandlerOutcome::Cancelled), 1);
        QCOMPARE(alphaStats.count(HandlerOutcome::Timeout), 0);
        QCOMPARE(alphaStats.timedCalls(), 2); // held and cancelled calls are not timed
        QVERIFY2(alphaStats.durationSumSeconds >= 0.06, qPrintable(QString::number(alphaStats.durationSumSeconds)));
        const auto upTo10ms = std::accumulate(alphaStats.durationBuckets.cbegin(),
                                              alphaStats.durationBuckets.cbegin() + 5, qint64(0));
        QCOMPARE(upTo10ms, 0); // both were open longer than 30 ms
        QCOMPARE(stats.at(1).timedCalls(), 0);
        const HandlerStats &slowStats = stats.at(2);
        QCOMPARE(slowStats.count(HandlerOutcome::Timeout), 1);
        QCOMPARE(slowStats.timedCalls(), 1);
        QVERIFY(slowStats.durationSumSeconds >= 0.1);
        pump->removeListener(u"slow"_s);
        QCOMPARE(pump->handlerStats().size(), 2); // a removed listener takes its figures with it
    }

private:
    // Lets the pump run every pass it has queued, and every pass those queue, until one changes nothing
    // a test can see. Passes are queued calls on the pump, delivered in order, so a marker queued behind
    // them runs after them: the event that proves "nothing more was dispatched" without a clock.
    bool settle()
    {
        QString before;
        for (int round = 0; round < 100; ++round) {
            bool ran = false;
            QMetaObject::invokeMethod(
                pump.get(), [&ran] { ran = true; }, Qt::QueuedConnection);
            if (!QTest::qWaitFor([&ran] { return ran; }))
                return false;
            const QString now = u"%1 %2 %3 %4 %5 %6 %7 %8"_s.arg(pump->totalQueued())
                                    .arg(pump->totalInFlight())
                                    .arg(alpha->calls.size())
                                    .arg(beta->calls.size())
                                    .arg(observer->finished.size())
                                    .arg(observer->failed.size())
                                    .arg(observer->held.size())
                                    .arg(observer->drained.size());
            if (now == before)
                return true;
            before = now;
        }
        return false;
    }

    // Call timings are wall-clock times (the pump has no clock of its own to inject): waits until `ms`
    // milliseconds have passed since `since` on that clock.
    static bool passed(int ms, const QDateTime &since)
    {
        return QTest::qWaitFor([&] { return since.msecsTo(QDateTime::currentDateTimeUtc()) > ms; });
    }

    // Stamps and queues a message, as the organism does.
    MessageRecord send(MessageRecord record)
    {
        pump->stamp(record);
        pump->enqueue(record);
        return record;
    }

    std::unique_ptr<RecordingObserver> observer;
    std::unique_ptr<MessagePump> pump;
    std::unique_ptr<HoldingListener> alpha;
    std::unique_ptr<HoldingListener> beta;
};

QTEST_GUILESS_MAIN(TestMessagePump)
#include "tst_messagepump.moc"
