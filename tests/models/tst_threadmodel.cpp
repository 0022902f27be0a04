// ThreadModel over a hand-driven session: the first page and fetchMore, live threads inserted at the top
// in one insert per batch, counts from messages, status changes as coalesced dataChanged, rows moving up
// in one layout change, look-ups of threads outside the window, budgets, and the live-row bound.

#include "fakesession.h"
#include "modelspies.h"
#include "threadmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

const QDateTime kStart(QDate(2026, 2, 10), QTime(12, 0), Qt::UTC);

ThreadInfo threadInfo(const QString &id, int activityMinute, qint64 messages = 1)
{
    ThreadInfo info;
    info.id = id;
    info.lastActivity = kStart.addSecs(activityMinute * 60);
    info.createdAt = info.lastActivity.addSecs(-30);
    info.messageCount = messages;
    info.participants = {u"api"_s, u"greeter"_s};
    return info;
}

MessageRecord message(qint64 seq, const QString &threadId, int minute, const QString &from = u"greeter"_s,
                      const QString &to = u"shouter"_s)
{
    MessageRecord record;
    record.seq = seq;
    record.id = u"m%1"_s.arg(seq);
    record.threadId = threadId;
    record.from = from;
    record.to = to;
    record.timestamp = kStart.addSecs(minute * 60);
    return record;
}

ThreadPage page(const QList<ThreadInfo> &items, qint64 total, qint64 offset = 0)
{
    ThreadPage result;
    result.items = items;
    result.total = total;
    result.offset = offset;
    result.limit = 200;
    return result;
}

} // namespace

class TestThreadModel : public QObject
{
    Q_OBJECT

private:
    QStringList ids() const { return columnTexts(*model, ThreadModel::IdColumn); }
    // The first page: c (minute 3), b (2), a (1) out of 3.
    void loadFirstPage()
    {
        QVERIFY(session->answerThreads(page({threadInfo(u"c"_s, 3), threadInfo(u"b"_s, 2), threadInfo(u"a"_s, 1)}, 3)));
        QCOMPARE(ids(), (QStringList{u"c"_s, u"b"_s, u"a"_s}));
    }

private slots:
    void init()
    {
        session.emplace();
        session->open();
        model.emplace(&*session);
        tester.emplace(&*model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    }
    void cleanup()
    {
        tester.reset();
        model.reset();
        session.reset();
    }

    void opensWithAPageAndFetchesMore()
    {
        QVERIFY(model->isLoading());
        QCOMPARE(session->threadCalls.size(), 1);
        QCOMPARE(session->threadCalls.first().query.limit, 200);
        QCOMPARE(session->threadCalls.first().query.offset, 0);
        QSignalSpy inserted(&*model, &QAbstractItemModel::rowsInserted);
        QVERIFY(session->answerThreads(page({threadInfo(u"c"_s, 3), threadInfo(u"b"_s, 2), threadInfo(u"a"_s, 1)}, 5)));
        QVERIFY(!model->isLoading());
        QCOMPARE(rowRanges(inserted), QStringList{u"0,2"_s});

        if (session->threadCalls.isEmpty()) // the tester may have asked already, as a view would
            model->fetchMore({});
        QCOMPARE(session->threadCalls.size(), 1);
        QCOMPARE(session->threadCalls.first().query.offset, 3);
        QVERIFY(!model->canFetchMore({})); // one request at a time
        QVERIFY(session->answerThreads(page({threadInfo(u"y"_s, 0), threadInfo(u"z"_s, -1)}, 5, 3)));
        QCOMPARE(rowRanges(inserted), (QStringList{u"0,2"_s, u"3,4"_s}));
        QCOMPARE(ids(), (QStringList{u"c"_s, u"b"_s, u"a"_s, u"y"_s, u"z"_s}));
        QVERIFY(!model->canFetchMore({}));
    }

    void liveBatchesWhileLoadingAreInThePage()
    {
        QSignalSpy inserted(&*model, &QAbstractItemModel::rowsInserted);
        emit session->threadsCreated({threadInfo(u"c"_s, 3, 0)});
        emit session->messagesRecorded({message(1, u"c"_s, 3)});
        QVERIFY(inserted.isEmpty());
        QVERIFY(session->answerThreads(page({threadInfo(u"c"_s, 3, 1)}, 1)));
        QCOMPARE(rowRanges(inserted), QStringList{u"0,0"_s});
        QCOMPARE(model->index(0, ThreadModel::MessagesColumn).data(ThreadModel::RawValueRole).toLongLong(), 1);
    }

    void newThreadsOfABatchAreOneInsertAtTheTop()
    {
        loadFirstPage();
        QSignalSpy inserted(&*model, &QAbstractItemModel::rowsInserted);
        emit session->threadsCreated({threadInfo(u"d"_s, 4), threadInfo(u"e"_s, 5)});
        QCOMPARE(rowRanges(inserted), QStringList{u"0,1"_s});
        QCOMPARE(ids(), (QStringList{u"e"_s, u"d"_s, u"c"_s, u"b"_s, u"a"_s}));
        // Their messages follow in messagesRecorded, which counts them: a new thread starts empty.
        QCOMPARE(model->index(0, ThreadModel::MessagesColumn).data(ThreadModel::RawValueRole).toLongLong(), 0);
        QCOMPARE(model->index(0, ThreadModel::ParticipantsColumn).data(ThreadModel::ParticipantsRole).toStringList(),
                 QStringList());
    }

    void messagesCountAndMoveTheirThreadUp()
    {
        loadFirstPage();
        const QPersistentModelIndex a = model->index(2, ThreadModel::IdColumn);
        QSignalSpy changed(&*model, &QAbstractItemModel::dataChanged);
        QSignalSpy layout(&*model, &QAbstractItemModel::layoutChanged);
        emit session->messagesRecorded({message(10, u"a"_s, 7, u"greeter"_s, u"shouter"_s),
                                        message(11, u"a"_s, 8, u"shouter"_s, u"sink"_s)});
        // Participants, messages and last activity of row 2, in one range; then a is the most recent.
        QCOMPARE(changedRanges(changed),
                 QStringList{u"2,%1-2,%2 [%3]"_s.arg(ThreadModel::ParticipantsColumn)
                                 .arg(ThreadModel::LastActivityColumn)
                                 .arg(rolesText({Qt::DisplayRole, Qt::ToolTipRole, ThreadModel::RawValueRole,
                                                 ThreadModel::ParticipantsRole}))});
        QCOMPARE(layout.size(), 1);
        QCOMPARE(ids(), (QStringList{u"a"_s, u"c"_s, u"b"_s}));
        QCOMPARE(a.row(), 0);
        QCOMPARE(model->index(0, ThreadModel::MessagesColumn).data(ThreadModel::RawValueRole).toLongLong(), 3);
        QCOMPARE(model->index(0, ThreadModel::ParticipantsColumn).data(ThreadModel::ParticipantsRole).toStringList(),
                 (QStringList{u"api"_s, u"greeter"_s, u"shouter"_s, u"sink"_s}));
        QCOMPARE(model->index(0, ThreadModel::LastActivityColumn).data(ThreadModel::RawValueRole).toDateTime(),
                 kStart.addSecs(8 * 60));

        // A message for the thread already on top changes cells but not the order.
        changed.clear();
        emit session->messagesRecorded({message(12, u"a"_s, 9)});
        QCOMPARE(layout.size(), 1);
        QCOMPARE(changed.size(), 1);
    }

    void updatesNameTheirCellsAndRoles_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QStringList>("expected");
        const int status = ThreadModel::StatusColumn;
        const QString statusRoles = rolesText({Qt::DisplayRole, Qt::DecorationRole, ThreadModel::RawValueRole,
                                               ThreadModel::StatusRole, ThreadModel::StatusColorRole});
        QTest::newRow("status") << u"completed"_s << QStringList{u"1,%1-1,%1 [%2]"_s.arg(status).arg(statusRoles)};
        QTest::newRow("status and error: one range over both, the union of the roles")
            << u"error"_s
            << QStringList{u"1,%1-1,%2 [%3]"_s.arg(status).arg(ThreadModel::ErrorColumn).arg(rolesText(
                   {Qt::DisplayRole, Qt::DecorationRole, Qt::ToolTipRole, ThreadModel::RawValueRole,
                    ThreadModel::StatusRole, ThreadModel::StatusColorRole}))};
        QTest::newRow("a lower count never lowers the row's") << u"stale count"_s << QStringList();
        QTest::newRow("a higher count") << u"count"_s
                                        << QStringList{u"1,%1-1,%1 [0 256]"_s.arg(ThreadModel::MessagesColumn)};
    }
    void updatesNameTheirCellsAndRoles()
    {
        QFETCH(QString, change);
        QFETCH(QStringList, expected);
        loadFirstPage();
        ThreadInfo b = threadInfo(u"b"_s, 2);
        if (change == u"completed")
            b.status = ThreadStatus::Completed;
        if (change == u"error") {
            b.status = ThreadStatus::Error;
            b.error = u"handler failed"_s;
        }
        if (change == u"stale count")
            b.messageCount = 0;
        if (change == u"count")
            b.messageCount = 5;
        QSignalSpy changed(&*model, &QAbstractItemModel::dataChanged);
        emit session->threadsUpdated({b});
        QCOMPARE(changedRanges(changed), expected);
    }

    void threadsOutsideTheWindowAreLookedUp()
    {
        loadFirstPage();
        // A thread created in this turn is announced before its messages: no look-up.
        emit session->threadsCreated({threadInfo(u"new"_s, 10)});
        emit session->messagesRecorded({message(20, u"new"_s, 10), message(21, u"old"_s, 11)});
        QTRY_COMPARE(session->threadLookups.size(), 1);
        QCOMPARE(session->threadLookups.first().threadId, u"old"_s);
        // More messages for it while the answer is on its way do not ask again.
        emit session->messagesRecorded({message(22, u"old"_s, 12)});
        QCoreApplication::sendPostedEvents();
        QCOMPARE(session->threadLookups.size(), 1);

        QSignalSpy inserted(&*model, &QAbstractItemModel::rowsInserted);
        QVERIFY(session->answerThread(threadInfo(u"old"_s, 12, 40)));
        QCOMPARE(rowRanges(inserted), QStringList{u"0,0"_s});
        QCOMPARE(ids().first(), u"old"_s);
        QCOMPARE(model->index(0, ThreadModel::MessagesColumn).data(ThreadModel::RawValueRole).toLongLong(), 40);

        emit session->messagesRecorded({message(23, u"gone"_s, 13)});
        QTRY_COMPARE(session->threadLookups.size(), 1);
        inserted.clear();
        QVERIFY(session->answerThread(std::nullopt));
        QVERIFY(inserted.isEmpty());
    }

    void budgetPercentFollowsBudgetEvents()
    {
        session->snapshot.budgets = {ThreadBudget{u"b"_s, 1000, 100, 50, 1}};
        session->close();
        session->threadCalls.clear();
        session->open(); // reload with a budget for b
        loadFirstPage();
        QCOMPARE(model->index(1, ThreadModel::BudgetColumn).data(ThreadModel::BudgetPercentRole).toDouble(), 15.0);
        QVERIFY(!model->index(0, ThreadModel::BudgetColumn).data(ThreadModel::BudgetPercentRole).isValid());

        QSignalSpy changed(&*model, &QAbstractItemModel::dataChanged);
        BudgetEvent warning;
        warning.threadId = u"c"_s;
        warning.kind = u"warning"_s;
        warning.budget = ThreadBudget{u"c"_s, 1000, 600, 200, 2};
        emit session->budgetEvents({warning});
        QCOMPARE(changedRanges(changed),
                 QStringList{u"0,%1-0,%1 [%2]"_s.arg(ThreadModel::BudgetColumn)
                                 .arg(rolesText({Qt::DisplayRole, ThreadModel::RawValueRole,
                                                 ThreadModel::BudgetPercentRole}))});
        QCOMPARE(model->index(0, ThreadModel::BudgetColumn).data(ThreadModel::BudgetPercentRole).toDouble(), 80.0);
    }

    void liveGrowthIsBounded()
    {
        loadFirstPage();
        model->setMaxLiveRows(4);
        QVERIFY(!model->canFetchMore({}));
        QSignalSpy inserted(&*model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&*model, &QAbstractItemModel::rowsRemoved);
        emit session->threadsCreated({threadInfo(u"d"_s, 4), threadInfo(u"e"_s, 5)});
        QCOMPARE(rowRanges(inserted), QStringList{u"0,1"_s});
        QCOMPARE(rowRanges(removed), QStringList{u"4,4"_s});
        QCOMPARE(ids(), (QStringList{u"e"_s, u"d"_s, u"c"_s, u"b"_s}));
        QVERIFY(model->canFetchMore({}) || session->threadCalls.size() == 1); // a is in the store again
    }

    void reconnectingReloads()
    {
        loadFirstPage();
        QSignalSpy reset(&*model, &QAbstractItemModel::modelReset);
        session->close();
        session->open();
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(model->isLoading());
        QVERIFY(session->answerThreads(page({threadInfo(u"x"_s, 1)}, 1)));
        QCOMPARE(ids(), QStringList{u"x"_s});
    }

private:
    std::optional<FakeSession> session;
    std::optional<ThreadModel> model;
    std::optional<QAbstractItemModelTester> tester;
};

QTEST_GUILESS_MAIN(TestThreadModel)
#include "tst_threadmodel.moc"
