// One row of the thread list and its counting rule: a new thread starts empty (its messages follow and
// are counted), messages seen live count and name their participants and receiver, snapshots never lower
// a count, and pages replace the row; the row takes the budget the session knows.

#include "threadrow.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QDateTime kNoon(QDate(2026, 2, 10), QTime(12, 0), Qt::UTC);

ThreadInfo info(qint64 messages, int minute)
{
    ThreadInfo thread;
    thread.id = u"t"_s;
    thread.status = ThreadStatus::Active;
    thread.createdAt = kNoon;
    thread.lastActivity = kNoon.addSecs(minute * 60);
    thread.messageCount = messages;
    thread.participants = {u"api"_s, u"greeter"_s};
    return thread;
}

MessageRecord message(const QString &from, const QString &to, int minute)
{
    MessageRecord record;
    record.threadId = u"t"_s;
    record.from = from;
    record.to = to;
    record.timestamp = kNoon.addSecs(minute * 60);
    return record;
}

} // namespace

class TestThreadRow : public QObject
{
    Q_OBJECT

private slots:
    void aNewThreadStartsEmptyAndCountsItsMessages()
    {
        ThreadRow row = ThreadRow::from(info(2, 1), ThreadRow::Merge::Created);
        QCOMPARE(row.info.messageCount, 0); // its two messages follow in messagesRecorded
        QVERIFY(row.info.participants.isEmpty());
        row.apply(message(u"api"_s, u"greeter"_s, 1));
        row.apply(message(u"greeter"_s, u"shouter"_s, 3));
        QCOMPARE(row.info.messageCount, 2);
        QCOMPARE(row.info.participants, (QStringList{u"api"_s, u"greeter"_s, u"shouter"_s}));
        QCOMPARE(row.info.lastActivity, kNoon.addSecs(3 * 60));
        QCOMPARE(row.lastTo, u"shouter"_s);                // the agent it may be waiting on
        row.apply(message(u"shouter"_s, u"greeter"_s, 2)); // late: counted, the activity stays
        QCOMPARE(row.info.lastActivity, kNoon.addSecs(3 * 60));
    }

    void aSnapshotNeverLowersACount()
    {
        ThreadRow row = ThreadRow::from(info(5, 4), ThreadRow::Merge::Replace);
        ThreadInfo behind = info(3, 2);
        behind.status = ThreadStatus::Error;
        behind.error = u"boom"_s;
        behind.participants = {u"sink"_s};
        row.merge(behind, ThreadRow::Merge::Update);
        QCOMPARE(row.info.messageCount, 5);
        QCOMPARE(row.info.lastActivity, kNoon.addSecs(4 * 60));
        QVERIFY(row.info.status == ThreadStatus::Error); // the status and error are the snapshot's
        QCOMPARE(row.info.error, u"boom"_s);
        QCOMPARE(row.info.participants, (QStringList{u"api"_s, u"greeter"_s, u"sink"_s}));
    }

    void aPageReplacesTheRow()
    {
        ThreadRow row = ThreadRow::from(info(5, 4), ThreadRow::Merge::Replace);
        row.merge(info(3, 2), ThreadRow::Merge::Replace);
        QCOMPARE(row.info.messageCount, 3);
        QCOMPARE(row.info.lastActivity, kNoon.addSecs(2 * 60));
    }

    void theRowTakesTheBudgetTheSessionKnows()
    {
        const ThreadRow row = ThreadRow::from(info(1, 1), ThreadRow::Merge::Replace,
                                              ThreadBudget{u"t"_s, 1000, 150, 50, 1});
        QCOMPARE(row.spent.tokens(), 200);
        QCOMPARE(row.spent.maxTokens(), 1000);
    }

    void moreRecentFirstWithTheLaterCreatedOnATie()
    {
        ThreadRow older = ThreadRow::from(info(1, 1), ThreadRow::Merge::Replace);
        ThreadRow newer = older;
        newer.info.id = u"u"_s; // created later (UUIDv7 ids order by creation)
        QVERIFY(ThreadRow::moreRecent(newer, older));
        QVERIFY(!ThreadRow::moreRecent(older, newer));
        older.info.lastActivity = kNoon.addSecs(600);
        QVERIFY(ThreadRow::moreRecent(older, newer));
        older.info.lastActivity = {}; // no activity yet: its creation counts
        QCOMPARE(older.activity(), kNoon);
    }
};

QTEST_GUILESS_MAIN(TestThreadRow)
#include "tst_threadrow.moc"
