// The session's live batches applied to the thread list: new threads counted and in on top, with an
// agent filter only once their messages show the agent; messages counted in place with the rows that
// changed reported; threads heard of outside the window looked up once the turn ends; a thread that left
// the status filter out (or out when the hold ends); usage for waiting threads kept; nothing applied while
// the first page is on its way.

#include "fakesession.h"
#include "threadhold.h"
#include "threadliveupdates.h"
#include "threadloader.h"
#include "threadrowsview.h"

#include "domain/usage.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

MessageRecord message(const QString &threadId, int minute, const QString &from, const QString &to)
{
    MessageRecord record;
    record.threadId = threadId;
    record.from = from;
    record.to = to;
    record.timestamp = threadRow({}, minute).info.lastActivity;
    return record;
}

} // namespace

class TestThreadLiveUpdates : public QObject
{
    Q_OBJECT

private:
    std::optional<FakeSession> session;
    std::optional<ThreadRowsView> view;
    std::optional<QAbstractItemModelTester> tester;
    std::optional<ThreadHold> hold;
    std::optional<ThreadLoader> loader;
    std::optional<ThreadLiveUpdates> live;

    // c (minute 3), b (2), a (1) shown, with the filter given.
    void load(const ThreadFilter &filter = {})
    {
        loader->setFilter(filter);
        loader->reload();
        QVERIFY(
            session->answerThreads(threadPage({threadRow(u"c"_s, 3), threadRow(u"b"_s, 2), threadRow(u"a"_s, 1)}, 3)));
        QCOMPARE(view->rowCount(), 3);
    }

private slots:
    void init()
    {
        session.emplace();
        session->open();
        view.emplace();
        tester.emplace(&*view, QAbstractItemModelTester::FailureReportingMode::Fatal);
        hold.emplace(view->rows, [](ThreadRow &) {});
        loader.emplace(&*session, view->rows, *hold);
        live.emplace(&*session, view->rows, *hold, *loader);
    }
    void cleanup()
    {
        live.reset();
        loader.reset();
        hold.reset();
        tester.reset();
        view.reset();
        session.reset();
    }

    void newThreadsAreCountedAndGoInOnTop()
    {
        load();
        live->onCreated({threadRow(u"d"_s, 4).info, threadRow(u"e"_s, 5).info, threadRow(u"c"_s, 3).info});
        QCOMPARE(view->ids(), (QStringList{u"e"_s, u"d"_s, u"c"_s, u"b"_s, u"a"_s}));
        QCOMPARE(loader->total(), 5);                    // c was there already
        QCOMPARE(view->rows.at(0).info.messageCount, 0); // its messages follow
    }

    void messagesCountInPlaceAndReportTheRowsThatChanged()
    {
        load();
        QSignalSpy changed(&*live, &ThreadLiveUpdates::rowsChanged);
        live->onMessages({message(u"a"_s, 9, u"greeter"_s, u"shouter"_s)});
        QCOMPARE(changed.size(), 1);
        const auto before = changed.first().at(0).value<QList<ThreadRow>>();
        QCOMPARE(before.size(), 1);
        QCOMPARE(before.first().info.messageCount, 1);
        QCOMPARE(changed.first().at(1).value<QList<int>>(), QList<int>{2}); // its row when it changed
        QCOMPARE(view->ids(), (QStringList{u"a"_s, u"c"_s, u"b"_s}));       // then up to the top
        QCOMPARE(view->rows.at(0).info.messageCount, 2);
    }

    void withAnAgentFilterANewThreadWaitsForItsMessages()
    {
        load({std::nullopt, u"shouter"_s});
        live->onCreated({threadRow(u"d"_s, 4).info});
        QCOMPARE(view->rowCount(), 3); // does shouter take part? Not known yet
        live->onMessages({message(u"d"_s, 4, u"api"_s, u"greeter"_s)});
        QCOMPARE(view->rowCount(), 3);
        live->onMessages({message(u"d"_s, 5, u"greeter"_s, u"shouter"_s)});
        QCOMPARE(view->ids().first(), u"d"_s);
        QCOMPARE(view->rows.at(0).info.messageCount, 2);
        QCOMPARE(loader->total(), 4);
    }

    void aThreadOutsideTheWindowIsLookedUpOnceTheTurnEnds()
    {
        load();
        live->onMessages({message(u"old"_s, 9, u"greeter"_s, u"shouter"_s)});
        live->onMessages({message(u"old"_s, 9, u"shouter"_s, u"greeter"_s)});
        QVERIFY(session->threadLookups.isEmpty());
        QTRY_COMPARE(session->threadLookups.size(), 1); // one look-up for both batches
        QCOMPARE(session->threadLookups.first().threadId, u"old"_s);
        QVERIFY(session->answerThread(threadRow(u"old"_s, 9, 12).info));
        QCOMPARE(view->ids().first(), u"old"_s);
        QCOMPARE(view->rows.at(0).info.messageCount, 12); // the store's word
    }

    void aThreadThatLeftTheStatusFilterGoesWhenTheHoldEnds()
    {
        load({ThreadStatus::Active, {}});
        QCOMPARE(loader->total(), 3);
        ThreadInfo done = view->rows.at(1).info; // b
        done.status = ThreadStatus::Completed;
        hold->setFrozen(true);
        live->onUpdated({done});
        QCOMPARE(loader->total(), 2);
        QCOMPARE(view->rowCount(), 3); // under the pointer: stays for now
        hold->setFrozen(false);
        QCOMPARE(view->ids(), (QStringList{u"c"_s, u"a"_s}));
    }

    void usageForAWaitingThreadIsKept()
    {
        load();
        hold->setFollowing(false);
        live->onCreated({threadRow(u"d"_s, 4).info});
        UsageEvent event;
        event.threadId = u"d"_s;
        event.promptTokens = 100;
        live->onUsage({event});
        hold->setFollowing(true);
        QCOMPARE(view->ids().first(), u"d"_s);
        QCOMPARE(view->rows.at(0).spent.tokens(), 100);
    }

    void nothingIsAppliedWhileThePageIsOnItsWay()
    {
        loader->reload();
        live->onCreated({threadRow(u"d"_s, 4).info});
        live->onMessages({message(u"d"_s, 4, u"api"_s, u"greeter"_s)});
        UsageEvent event;
        event.threadId = u"d"_s;
        event.completionTokens = 9;
        live->onUsage({event});
        QCOMPARE(view->rowCount(), 0);
        QVERIFY(session->answerThreads(threadPage({threadRow(u"d"_s, 4)}, 1)));
        QCOMPARE(view->rows.at(0).info.messageCount, 1); // as the page says, not counted twice
        QCOMPARE(view->rows.at(0).spent.tokens(), 9);
    }
};

QTEST_GUILESS_MAIN(TestThreadLiveUpdates)
#include "tst_threadliveupdates.moc"
