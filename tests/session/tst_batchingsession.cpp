// BatchingSession hands a busy session's batches to the models merged, at most once per interval: a
// flood of organism ticks becomes a few deliveries; a thread is still announced before its messages;
// the cached snapshots follow; anything held is delivered before a query's answer or a command's
// completion; a quiet session's batch is not held back; connection states pass through.

#include "batchingsession.h"
#include "fakesession.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::FakeSession;
using namespace std::chrono_literals;

namespace {

ThreadInfo threadInfo(const QString &id)
{
    ThreadInfo info;
    info.id = id;
    return info;
}

MessageRecord message(qint64 seq, const QString &threadId)
{
    MessageRecord record;
    record.seq = seq;
    record.threadId = threadId;
    return record;
}

AgentInfo agent(const QString &name, AgentState state)
{
    AgentInfo info;
    info.name = name;
    info.state = state;
    return info;
}

} // namespace

class TestBatchingSession : public QObject
{
    Q_OBJECT

private slots:
    void mergesAFloodKeepingTheOrderModelsNeed()
    {
        FakeSession inner;
        inner.snapshot.agents = {agent(u"greeter"_s, AgentState::Idle)};
        inner.open();
        BatchingSession view(&inner, 10000ms); // nothing leaves on its own during the test
        QVERIFY(view.isConnected());
        view.flush(); // the interval starts now

        QStringList order;
        connect(&view, &Session::threadsCreated, this,
                [&](const QList<ThreadInfo> &b) { order << u"created %1"_s.arg(b.size()); });
        connect(&view, &Session::messagesRecorded, this,
                [&](const QList<MessageRecord> &b) { order << u"messages %1"_s.arg(b.size()); });
        connect(&view, &Session::threadsUpdated, this,
                [&](const QList<ThreadInfo> &b) { order << u"updated %1"_s.arg(b.size()); });
        connect(&view, &Session::agentsChanged, this, [&](const QList<AgentInfo> &b) {
            order << u"agents %1, cache %2"_s.arg(b.size()).arg(toString(view.agent(u"greeter"_s)->state));
        });
        // Three organism ticks: each announces a thread, then its messages, then the thread ends.
        for (int tick = 0; tick < 3; ++tick) {
            const QString id = u"t%1"_s.arg(tick);
            emit inner.threadsCreated({threadInfo(id)});
            emit inner.messagesRecorded({message(2 * tick + 1, id), message(2 * tick + 2, id)});
            emit inner.threadsUpdated({threadInfo(id)});
            inner.applyAgentChanges({agent(u"greeter"_s, tick == 2 ? AgentState::Idle : AgentState::Processing)});
        }
        QVERIFY(order.isEmpty());
        QCOMPARE(toString(view.agent(u"greeter"_s)->state), u"idle"_s); // the view's cache waits with the batches

        view.flush();
        QCOMPARE(order, (QStringList{u"created 3"_s, u"messages 6"_s, u"updated 3"_s, u"agents 3, cache idle"_s}));
    }

    void snapshotsFollowTheirBatches()
    {
        FakeSession inner;
        inner.open();
        BatchingSession view(&inner, 10000ms);
        view.flush();
        QStringList order;
        connect(&view, &Session::usageRecorded, this, [&] { order << u"recorded"_s; });
        connect(&view, &Session::usageChanged, this,
                [&] { order << u"usage %1"_s.arg(view.usage().totals.totalTokens); });
        emit inner.usageRecorded({UsageEvent{}});
        UsageSnapshot usage;
        usage.totals.totalTokens = 400;
        inner.replaceUsage(usage);
        QCOMPARE(view.usage().totals.totalTokens, 0);
        view.flush();
        QCOMPARE(order, (QStringList{u"recorded"_s, u"usage 400"_s}));
    }

    void deliversWhatIsHeldBeforeAnAnswer()
    {
        FakeSession inner;
        inner.open();
        BatchingSession view(&inner, 10000ms);
        view.flush();
        QStringList order;
        connect(&view, &Session::messagesRecorded, this, [&] { order << u"messages"_s; });
        view.fetchThreads({}, this, [&](const Result<ThreadPage> &) { order << u"answer"_s; });
        emit inner.messagesRecorded({message(1, u"t"_s)});
        QVERIFY(inner.answerThreads({}));
        QCOMPARE(order, (QStringList{u"messages"_s, u"answer"_s}));
    }

    void aQuietSessionIsNotHeldBack()
    {
        FakeSession inner;
        inner.open();
        BatchingSession view(&inner, 50ms);
        QSignalSpy messages(&view, &Session::messagesRecorded);
        QTest::qWait(60); // longer than the interval since the last delivery
        emit inner.messagesRecorded({message(1, u"t"_s)});
        QVERIFY(messages.isEmpty()); // never from inside the inner session's emission…
        QCoreApplication::processEvents();
        QCOMPARE(messages.size(), 1); // …but on the next turn of the event loop
    }

    void passesConnectionStatesThrough()
    {
        FakeSession inner;
        BatchingSession view(&inner, 50ms);
        QCOMPARE(view.state(), Session::State::Disconnected);
        QSignalSpy states(&view, &Session::stateChanged);
        inner.snapshot.organism.name = u"remote"_s;
        view.open(); // opens the inner session
        QCOMPARE(view.state(), Session::State::Connected);
        QCOMPARE(view.organism().name, u"remote"_s);
        QCOMPARE(states.size(), 2); // connecting, connected

        emit inner.messagesRecorded({message(1, u"t"_s)});
        QSignalSpy messages(&view, &Session::messagesRecorded);
        view.close();
        QCOMPARE(view.state(), Session::State::Disconnected);
        QCOMPARE(messages.size(), 1); // what was held went out before the disconnection
    }

    // A thread that spent and ended within one interval: the merged delivery reads the budget list once
    // (the thread's budget already gone) but carries every usage event whole, so the thread list can
    // still show the spending (tests/models/tst_threadmodel shows it does).
    void usageIsDeliveredWholeWhenTheBudgetIsGone()
    {
        FakeSession inner;
        inner.open();
        BatchingSession view(&inner, 10000ms);
        view.flush();
        emit inner.threadsCreated({threadInfo(u"t"_s)});
        inner.replaceBudgets({ThreadBudget{u"t"_s, 100000, 0, 0, 0}});
        view.flush();

        QSignalSpy usage(&view, &Session::usageRecorded);
        QSignalSpy budgets(&view, &Session::budgetsChanged);
        UsageEvent call;
        call.threadId = u"t"_s;
        call.totalTokens = 469;
        emit inner.usageRecorded({call});
        inner.replaceBudgets({ThreadBudget{u"t"_s, 100000, 400, 69, 1}});
        ThreadInfo ended = threadInfo(u"t"_s);
        ended.status = ThreadStatus::Completed;
        emit inner.threadsUpdated({ended});
        inner.replaceBudgets({});
        view.flush();
        QCOMPARE(budgets.size(), 1);
        QVERIFY(view.budgets().isEmpty());
        QCOMPARE(usage.size(), 1);
        const auto delivered = usage.first().first().value<QList<UsageEvent>>();
        QCOMPARE(delivered.size(), 1);
        QCOMPARE(delivered.first().totalTokens, 469);
    }
};

QTEST_MAIN(TestBatchingSession)
#include "tst_batchingsession.moc"
