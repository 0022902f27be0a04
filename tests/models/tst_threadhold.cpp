// Follow, hold and freeze on the thread list: held or frozen, no row moves — new threads wait (counted),
// rows that left the filter stay, a new order waits — and when the hold ends it all happens at once, the
// waiting rows brought up to date; beyond the live bound only the newest waiting threads are kept.

#include "modelspies.h"
#include "threadhold.h"
#include "threadrowsview.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

class TestThreadHold : public QObject
{
    Q_OBJECT

private:
    std::optional<ThreadRowsView> view;
    std::optional<QAbstractItemModelTester> tester;
    std::optional<ThreadHold> hold;
    QStringList refreshed; // the waiting rows brought up to date as they went in

    void showThree() { view->rows.insert({threadRow(u"c"_s, 3), threadRow(u"b"_s, 2), threadRow(u"a"_s, 1)}); }

private slots:
    void init()
    {
        view.emplace();
        tester.emplace(&*view, QAbstractItemModelTester::FailureReportingMode::Fatal);
        refreshed.clear();
        hold.emplace(view->rows, [this](ThreadRow &row) {
            refreshed << row.info.id;
            row.spent.addUsage(7);
        });
    }
    void cleanup()
    {
        hold.reset();
        tester.reset();
        view.reset();
    }

    void followingNewThreadsGoInAtOnce()
    {
        showThree();
        QVERIFY(hold->isFollowing());
        QVERIFY(!hold->isHolding());
        QSignalSpy pending(&*hold, &ThreadHold::pendingCountChanged);
        hold->admit({threadRow(u"d"_s, 4)});
        QCOMPARE(view->ids(), (QStringList{u"d"_s, u"c"_s, u"b"_s, u"a"_s}));
        QCOMPARE(pending.size(), 0);
    }

    void heldNewThreadsWaitAndGoInWhenFollowingAgain()
    {
        showThree();
        QSignalSpy following(&*hold, &ThreadHold::followingChanged);
        QSignalSpy pending(&*hold, &ThreadHold::pendingCountChanged);
        QSignalSpy inserted(&*view, &QAbstractItemModel::rowsInserted);
        hold->setFollowing(false);
        QCOMPARE(following.size(), 1);
        hold->admit({threadRow(u"d"_s, 4)});
        hold->admit({threadRow(u"e"_s, 5)});
        QCOMPARE(hold->pendingCount(), 2);
        QCOMPARE(pending.last().first().toInt(), 2);
        QCOMPARE(view->ids(), (QStringList{u"c"_s, u"b"_s, u"a"_s})); // nothing moved under the operator
        QVERIFY(hold->findWaiting(u"d"_s));

        hold->setFollowing(true);
        QCOMPARE(rowRanges(inserted), QStringList{u"0,1"_s}); // one insert for all that waited
        QCOMPARE(view->ids(), (QStringList{u"e"_s, u"d"_s, u"c"_s, u"b"_s, u"a"_s}));
        QCOMPARE(refreshed, (QStringList{u"d"_s, u"e"_s}));
        QCOMPARE(view->rows.at(0).spent.tokens(), 7);
        QCOMPARE(hold->pendingCount(), 0);
        QCOMPARE(pending.last().first().toInt(), 0);
    }

    void aFreezeHoldsLikeAPause()
    {
        showThree();
        hold->setFrozen(true);
        QVERIFY(hold->isHolding());
        QVERIFY(hold->isFollowing());
        hold->admit({threadRow(u"d"_s, 4)});
        QCOMPARE(view->rowCount(), 3);
        hold->setFrozen(false);
        QCOMPARE(view->ids().first(), u"d"_s);
    }

    void aWaitingThreadThatLeftTheFilterIsDropped()
    {
        hold->setFollowing(false);
        hold->admit({threadRow(u"d"_s, 4), threadRow(u"e"_s, 5)});
        QSignalSpy pending(&*hold, &ThreadHold::pendingCountChanged);
        hold->dropWaiting(u"d"_s);
        QCOMPARE(pending.last().first().toInt(), 1);
        hold->dropWaiting(u"zz"_s); // never waited: nothing to say
        QCOMPARE(pending.size(), 1);
        hold->setFollowing(true);
        QCOMPARE(view->ids(), QStringList{u"e"_s});
    }

    void rowsThatLeftStayUntilTheHoldEnds()
    {
        showThree();
        hold->leave(u"c"_s); // following: out at once
        QCOMPARE(view->ids(), (QStringList{u"b"_s, u"a"_s}));
        hold->setFrozen(true);
        hold->leave(u"b"_s);
        QVERIFY(hold->isLeaving(u"b"_s));
        QCOMPARE(view->ids(), (QStringList{u"b"_s, u"a"_s}));
        hold->setFrozen(false);
        QCOMPARE(view->ids(), QStringList{u"a"_s});
        QVERIFY(!hold->isLeaving(u"b"_s));
    }

    void aNewOrderWaitsForTheHoldToEnd()
    {
        showThree();
        QSignalSpy moved(&*view, &QAbstractItemModel::rowsMoved);
        hold->setFrozen(true);
        view->rows.edit(2).info.lastActivity = threadRow({}, 9).info.lastActivity;
        hold->orderChanged();
        QCOMPARE(moved.size(), 0);
        hold->setFrozen(false);
        QCOMPARE(moved.size(), 1);
        QCOMPARE(view->ids(), (QStringList{u"a"_s, u"c"_s, u"b"_s}));
    }

    void theBoundWaitsForTheHoldAndKeepsTheNewestWaiting()
    {
        view->rows.setLimit(2);
        hold->setFollowing(false);
        hold->admit({threadRow(u"a"_s, 1), threadRow(u"b"_s, 2), threadRow(u"c"_s, 3)});
        QCOMPARE(hold->pendingCount(), 2); // a is in the store, a fetchMore away
        QVERIFY(view->rows.hasMore());
        view->rows.insert({threadRow(u"x"_s, 0)});
        hold->trim(); // holding: nothing drops out under the operator
        QCOMPARE(view->rowCount(), 1);
        hold->setFollowing(true);
        QCOMPARE(view->ids(), (QStringList{u"c"_s, u"b"_s})); // in, then bounded
    }

    void aReloadForgetsWhatWaited()
    {
        hold->setFollowing(false);
        hold->admit({threadRow(u"d"_s, 4)});
        hold->leave(u"c"_s);
        QSignalSpy pending(&*hold, &ThreadHold::pendingCountChanged);
        hold->clear();
        QCOMPARE(pending.size(), 1);
        QCOMPARE(hold->pendingCount(), 0);
        QVERIFY(!hold->isLeaving(u"c"_s));
        hold->setFollowing(true);
        QCOMPARE(view->rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestThreadHold)
#include "tst_threadhold.moc"
