// ThreadFilterProxyModel: status and participant filters (alone and together), rows entering and
// leaving as threads change, and sorting on raw values.

#include "fakesession.h"
#include "modelspies.h"
#include "threadfilterproxymodel.h"
#include "threadmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

const QDateTime kStart(QDate(2026, 2, 10), QTime(12, 0), Qt::UTC);

ThreadInfo threadInfo(const QString &id, ThreadStatus status, const QStringList &participants, int minute,
                      qint64 messages)
{
    ThreadInfo info;
    info.id = id;
    info.status = status;
    info.participants = participants;
    info.lastActivity = kStart.addSecs(minute * 60);
    info.createdAt = info.lastActivity;
    info.messageCount = messages;
    return info;
}

} // namespace

class TestThreadFilterProxyModel : public QObject
{
    Q_OBJECT

private:
    QStringList ids() const { return columnTexts(*proxy, ThreadModel::IdColumn); }

private slots:
    void init()
    {
        session.emplace();
        session->open();
        model.emplace(&*session);
        proxy.emplace();
        proxy->setSourceModel(&*model);
        tester.emplace(&*proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
        ThreadPage page;
        page.items = {
            threadInfo(u"t5"_s, ThreadStatus::Active, {u"api"_s, u"greeter"_s}, 5, 2),
            threadInfo(u"t4"_s, ThreadStatus::Completed, {u"api"_s, u"greeter"_s, u"shouter"_s}, 4, 9),
            threadInfo(u"t3"_s, ThreadStatus::Error, {u"api"_s, u"writer"_s}, 3, 10),
            threadInfo(u"t2"_s, ThreadStatus::Completed, {u"api"_s, u"writer"_s, u"done"_s}, 2, 100),
            threadInfo(u"t1"_s, ThreadStatus::Killed, {u"api"_s, u"greeter"_s}, 1, 1),
        };
        page.total = page.items.size();
        QVERIFY(session->answerThreads(page));
    }
    void cleanup()
    {
        tester.reset();
        proxy.reset();
        model.reset();
        session.reset();
    }

    void keepsTheSourceOrderUnsorted()
    {
        QCOMPARE(ids(), (QStringList{u"t5"_s, u"t4"_s, u"t3"_s, u"t2"_s, u"t1"_s}));
    }

    void filters_data()
    {
        QTest::addColumn<int>("status"); // -1: any
        QTest::addColumn<QString>("agent");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("everything") << -1 << QString() << QStringList{u"t5"_s, u"t4"_s, u"t3"_s, u"t2"_s, u"t1"_s};
        QTest::newRow("completed") << int(ThreadStatus::Completed) << QString() << QStringList{u"t4"_s, u"t2"_s};
        QTest::newRow("active") << int(ThreadStatus::Active) << QString() << QStringList{u"t5"_s};
        QTest::newRow("killed") << int(ThreadStatus::Killed) << QString() << QStringList{u"t1"_s};
        QTest::newRow("writer's") << -1 << u"writer"_s << QStringList{u"t3"_s, u"t2"_s};
        QTest::newRow("greeter's completed") << int(ThreadStatus::Completed) << u"greeter"_s << QStringList{u"t4"_s};
        QTest::newRow("an agent in none") << -1 << u"nobody"_s << QStringList();
        QTest::newRow("an exact name, not a prefix") << -1 << u"greet"_s << QStringList();
    }
    void filters()
    {
        QFETCH(int, status);
        QFETCH(QString, agent);
        QFETCH(QStringList, expected);
        proxy->setStatusFilter(status < 0 ? std::nullopt : std::optional(ThreadStatus(status)));
        proxy->setAgentFilter(agent);
        QCOMPARE(ids(), expected);
        // And back: nothing is lost.
        proxy->setStatusFilter(std::nullopt);
        proxy->setAgentFilter({});
        QCOMPARE(proxy->rowCount(), 5);
    }

    void rowsFollowLiveChanges()
    {
        proxy->setStatusFilter(ThreadStatus::Active);
        QCOMPARE(ids(), QStringList{u"t5"_s});
        QSignalSpy removed(&*proxy, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&*proxy, &QAbstractItemModel::rowsInserted);

        ThreadInfo done = threadInfo(u"t5"_s, ThreadStatus::Completed, {u"api"_s, u"greeter"_s}, 5, 2);
        emit session->threadsUpdated({done});
        QCOMPARE(rowRanges(removed), QStringList{u"0,0"_s});
        QCOMPARE(proxy->rowCount(), 0);

        emit session->threadsCreated({threadInfo(u"t6"_s, ThreadStatus::Active, {}, 6, 0)});
        QCOMPARE(rowRanges(inserted), QStringList{u"0,0"_s});
        QCOMPARE(ids(), QStringList{u"t6"_s});

        // A participant that arrives with a message brings the thread into an agent filter.
        proxy->setStatusFilter(std::nullopt);
        proxy->setAgentFilter(u"shouter"_s);
        QCOMPARE(ids(), QStringList{u"t4"_s});
        MessageRecord hop;
        hop.seq = 50;
        hop.threadId = u"t6"_s;
        hop.from = u"greeter"_s;
        hop.to = u"shouter"_s;
        hop.timestamp = kStart.addSecs(7 * 60);
        emit session->messagesRecorded({hop});
        QCOMPARE(ids(), (QStringList{u"t6"_s, u"t4"_s}));
    }

    void sortsOnRawValues()
    {
        proxy->sort(ThreadModel::MessagesColumn, Qt::DescendingOrder);
        // As text "9" > "2" > "100" > "10" > "1"; as numbers 100 > 10 > 9 > 2 > 1.
        QCOMPARE(ids(), (QStringList{u"t2"_s, u"t3"_s, u"t4"_s, u"t5"_s, u"t1"_s}));
        proxy->sort(ThreadModel::LastActivityColumn, Qt::AscendingOrder);
        QCOMPARE(ids(), (QStringList{u"t1"_s, u"t2"_s, u"t3"_s, u"t4"_s, u"t5"_s}));
    }

private:
    std::optional<FakeSession> session;
    std::optional<ThreadModel> model;
    std::optional<ThreadFilterProxyModel> proxy;
    std::optional<QAbstractItemModelTester> tester;
};

QTEST_GUILESS_MAIN(TestThreadFilterProxyModel)
#include "tst_threadfilterproxymodel.moc"
