#include "organism/changebatcher.h"

#include <QObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

class TestChangeBatcher : public QObject
{
    Q_OBJECT

private slots:
    void manyChangesInOneTickFlushOnce()
    {
        int flushes = 0;
        ChangeBatcher batcher(this, [&flushes] { ++flushes; });
        MessageRecord message;
        message.seq = 1;
        batcher.messageRecorded(message);
        batcher.threadCreated(u"t"_s);
        batcher.agentChanged(u"greeter"_s);
        batcher.errorRaised(ErrorEvent{u"t"_s, u"greeter"_s, u"oops"_s, QDateTime::currentDateTimeUtc()});
        QVERIFY(batcher.isScheduled());
        QCOMPARE(flushes, 0); // never from inside the change: on the next pass of the event loop
        QTRY_COMPARE(flushes, 1);
        const ChangeBatcher::Tick tick = batcher.take();
        QVERIFY(!batcher.isScheduled());
        QCOMPARE(tick.batch.messages.size(), 1);
        QCOMPARE(tick.createdThreads, QStringList{u"t"_s});
        QCOMPARE(tick.changedAgents, QSet<QString>{u"greeter"_s});
        QCOMPARE(tick.batch.errors.size(), 1);
        // The next change schedules the next flush.
        batcher.usageStateChanged();
        QTRY_COMPARE(flushes, 2);
        QVERIFY(batcher.take().batch.usageStateChanged);
    }

    void anUpdatedThreadIsListedOnce()
    {
        ChangeBatcher batcher(this, [] {});
        batcher.threadUpdated(u"a"_s);
        batcher.threadUpdated(u"b"_s);
        batcher.threadUpdated(u"a"_s);
        QCOMPARE(batcher.take().updatedThreads, (QStringList{u"a"_s, u"b"_s}));
    }

    void takeEmptiesTheTick()
    {
        ChangeBatcher batcher(this, [] {});
        UsageEvent usage;
        batcher.usageMetered(usage);
        batcher.budgetChanged(BudgetEvent{});
        const ChangeBatcher::Tick first = batcher.take();
        QCOMPARE(first.batch.usage.size(), 1);
        QCOMPARE(first.batch.budgets.size(), 1);
        const ChangeBatcher::Tick second = batcher.take();
        QVERIFY(second.batch.usage.isEmpty());
        QVERIFY(second.batch.budgets.isEmpty());
    }

    void batchesWaitForTheirCommitAndGoOutInOrder()
    {
        ChangeBatcher batcher(this, [] {});
        for (quint64 ticket : {3u, 5u, 5u, 8u}) {
            ChangeBatch batch;
            batch.ticket = ticket;
            batcher.queue(std::move(batch));
        }
        QList<quint64> announced;
        const auto record = [&announced](const ChangeBatch &batch) { announced.append(batch.ticket); };
        batcher.releaseCommitted(2, record);
        QVERIFY(announced.isEmpty());
        batcher.releaseCommitted(5, record);
        QCOMPARE(announced, (QList<quint64>{3, 5, 5}));
        batcher.releaseCommitted(7, record);
        QCOMPARE(announced.size(), 3);
        batcher.releaseCommitted(100, record);
        QCOMPARE(announced, (QList<quint64>{3, 5, 5, 8}));
    }
};

QTEST_GUILESS_MAIN(TestChangeBatcher)
#include "tst_changebatcher.moc"
