// The thread list's ordered window: most recent first (ties by creation), new rows in one insert on top,
// a row that became more recent moved alone (views keep selection and the row under the pointer), a
// wholesale reorder as one layout change, column sorts with empty values last either way, and the live
// bound dropping the least recent rows while saying there are more.

#include "modelspies.h"
#include "threadrowsview.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

class TestThreadRows : public QObject
{
    Q_OBJECT

private:
    std::optional<ThreadRowsView> view;
    std::optional<QAbstractItemModelTester> tester;

private slots:
    void init()
    {
        view.emplace();
        tester.emplace(&*view, QAbstractItemModelTester::FailureReportingMode::Fatal);
    }
    void cleanup()
    {
        tester.reset();
        view.reset();
    }

    void mostRecentFirstAndTheLaterCreatedOnATie()
    {
        ThreadRow silent = threadRow(u"s"_s, 0);
        silent.info.lastActivity = {}; // nothing yet: its creation time counts
        silent.info.createdAt = threadRow(u"x"_s, 2).info.lastActivity;
        view->rows.insert({threadRow(u"a"_s, 1), threadRow(u"b"_s, 3), threadRow(u"c"_s, 3), silent});
        // b and c in the same millisecond: c's id (a UUIDv7) says it was created later.
        QCOMPARE(view->ids(), (QStringList{u"c"_s, u"b"_s, u"s"_s, u"a"_s}));
    }

    void newRowsAreOneInsertOnTop()
    {
        view->rows.insert({threadRow(u"b"_s, 2), threadRow(u"a"_s, 1)});
        QSignalSpy inserted(&*view, &QAbstractItemModel::rowsInserted);
        view->rows.insert({threadRow(u"c"_s, 3), threadRow(u"d"_s, 4)});
        QCOMPARE(rowRanges(inserted), QStringList{u"0,1"_s});
        QCOMPARE(view->ids(), (QStringList{u"d"_s, u"c"_s, u"b"_s, u"a"_s}));
        QCOMPARE(view->rows.rowOf(u"b"_s), 2);
        QVERIFY(!view->rows.contains(u"z"_s));
    }

    void aRowThatBecameMoreRecentMovesUpAlone()
    {
        view->rows.insert({threadRow(u"c"_s, 3), threadRow(u"b"_s, 2), threadRow(u"a"_s, 1)});
        const QPersistentModelIndex selected = view->index(2);     // a, selected in a view
        const QPersistentModelIndex underPointer = view->index(1); // b
        QSignalSpy moved(&*view, &QAbstractItemModel::rowsMoved);
        QSignalSpy layout(&*view, &QAbstractItemModel::layoutChanged);
        view->rows.edit(2).info.lastActivity = threadRow(u"a"_s, 9).info.lastActivity;
        view->rows.restoreOrder();
        QCOMPARE(layout.size(), 0);
        QCOMPARE(moved.size(), 1);
        QCOMPARE(moved.first().at(1).toInt(), 2);
        QCOMPARE(moved.first().at(4).toInt(), 0);
        QCOMPARE(view->ids(), (QStringList{u"a"_s, u"c"_s, u"b"_s}));
        QCOMPARE(selected.row(), 0);
        QCOMPARE(underPointer.row(), 2);
        QCOMPARE(view->rows.rowOf(u"a"_s), 0);

        view->rows.restoreOrder(); // in order already: nothing moves
        QCOMPARE(moved.size(), 1);
    }

    void aWholesaleReorderIsOneLayoutChange()
    {
        QList<ThreadRow> rows;
        for (int minute = 0; minute < 100; ++minute)
            rows.append(threadRow(u"t%1"_s.arg(minute, 3, 10, QChar(u'0')), minute));
        view->rows.insert(rows);
        const QPersistentModelIndex oldest = view->index(99);
        QCOMPARE(oldest.data().toString(), u"t000"_s);
        for (int row = 0; row < 100; ++row) // every thread's activity turned around
            view->rows.edit(row).info.lastActivity = threadRow({}, row).info.lastActivity;
        QSignalSpy moved(&*view, &QAbstractItemModel::rowsMoved);
        QSignalSpy layout(&*view, &QAbstractItemModel::layoutChanged);
        view->rows.restoreOrder();
        QCOMPARE(moved.size(), 0);
        QCOMPARE(layout.size(), 1);
        QCOMPARE(view->ids().first(), u"t000"_s);
        QCOMPARE(oldest.row(), 0);
        QCOMPARE(view->rows.rowOf(u"t000"_s), 0);
    }

    void aColumnSortPutsRowsWithoutAValueLastEitherWay()
    {
        ThreadRow failed = threadRow(u"f"_s, 1);
        failed.info.error = u"boom"_s;
        ThreadRow crashed = threadRow(u"x"_s, 2);
        crashed.info.error = u"aborted"_s;
        view->rows.insert({failed, crashed, threadRow(u"ok"_s, 3)});
        QSignalSpy layout(&*view, &QAbstractItemModel::layoutChanged);
        view->rows.sort(1, Qt::AscendingOrder);
        QCOMPARE(layout.size(), 1);
        QCOMPARE(view->ids(), (QStringList{u"x"_s, u"f"_s, u"ok"_s}));
        view->rows.sort(1, Qt::DescendingOrder);
        QCOMPARE(view->ids(), (QStringList{u"f"_s, u"x"_s, u"ok"_s}));

        // Sorted by a column, a new row still goes in at its place.
        view->rows.sort(0, Qt::DescendingOrder);
        view->rows.insert({threadRow(u"busy"_s, 0, 40)});
        QCOMPARE(view->ids().first(), u"busy"_s);
        view->rows.sort(-1, Qt::AscendingOrder); // back to most recent first
        QCOMPARE(view->ids(), (QStringList{u"ok"_s, u"x"_s, u"f"_s, u"busy"_s}));
    }

    void theBoundDropsTheLeastRecentAndSaysThereIsMore()
    {
        view->rows.setLimit(2);
        view->rows.insert({threadRow(u"a"_s, 1), threadRow(u"b"_s, 2), threadRow(u"c"_s, 3)});
        QVERIFY(!view->rows.hasMore());
        QSignalSpy removed(&*view, &QAbstractItemModel::rowsRemoved);
        view->rows.trim();
        QCOMPARE(rowRanges(removed), QStringList{u"2,2"_s});
        QCOMPARE(view->ids(), (QStringList{u"c"_s, u"b"_s}));
        QVERIFY(view->rows.hasMore()); // a fetch brings a back
        view->rows.trim();
        QCOMPARE(removed.size(), 1);

        view->clearRows();
        QVERIFY(!view->rows.hasMore());
        QCOMPARE(view->rows.rowOf(u"c"_s), -1);
    }

    void appendedPagesStayBelowAndRemovalReindexes()
    {
        view->rows.insert({threadRow(u"c"_s, 3)});
        view->rows.append({threadRow(u"b"_s, 2), threadRow(u"a"_s, 1)});
        QCOMPARE(view->ids(), (QStringList{u"c"_s, u"b"_s, u"a"_s}));
        view->rows.removeAt(0);
        QCOMPARE(view->rows.rowOf(u"a"_s), 1);
        view->rows.removeAt(-1); // not in the window: nothing to remove
        QCOMPARE(view->rowCount(), 2);
    }
};

QTEST_GUILESS_MAIN(TestThreadRows)
#include "tst_threadrows.moc"
