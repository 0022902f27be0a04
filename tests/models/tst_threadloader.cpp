// What the thread list reads from the store: the first page in order with the total, further pages at the
// offset past what is shown and waiting, one request at a time, answers to an older reload dropped, the
// usage that came while the page was on its way added to its rows, and a filtered total counted again.

#include "fakesession.h"
#include "modelspies.h"
#include "threadhold.h"
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

class TestThreadLoader : public QObject
{
    Q_OBJECT

private:
    std::optional<FakeSession> session;
    std::optional<ThreadRowsView> view;
    std::optional<QAbstractItemModelTester> tester;
    std::optional<ThreadHold> hold;
    std::optional<ThreadLoader> loader;

private slots:
    void init()
    {
        session.emplace();
        session->open();
        view.emplace();
        tester.emplace(&*view, QAbstractItemModelTester::FailureReportingMode::Fatal);
        hold.emplace(view->rows, [](ThreadRow &) {});
        loader.emplace(&*session, view->rows, *hold);
    }
    void cleanup()
    {
        loader.reset();
        hold.reset();
        tester.reset();
        view.reset();
        session.reset();
    }

    void theFirstPageFillsTheRowsWithTheTotal()
    {
        QSignalSpy loading(&*loader, &ThreadLoader::loadingChanged);
        QSignalSpy total(&*loader, &ThreadLoader::totalCountChanged);
        loader->setPageSize(3);
        loader->reload();
        QVERIFY(loader->isLoading());
        QCOMPARE(session->threadCalls.size(), 1);
        QCOMPARE(session->threadCalls.first().query.limit, 3);
        QVERIFY(!loader->canFetchMore()); // not before the first page
        QVERIFY(
            session->answerThreads(threadPage({threadRow(u"c"_s, 3), threadRow(u"b"_s, 2), threadRow(u"a"_s, 1)}, 7)));
        QCOMPARE(view->ids(), (QStringList{u"c"_s, u"b"_s, u"a"_s}));
        QCOMPARE(loader->total(), 7);
        QCOMPARE(total.last().first().toLongLong(), 7);
        QCOMPARE(loading.size(), 2);
        QVERIFY(!loader->isLoading());
        QVERIFY(loader->canFetchMore());
    }

    void furtherPagesStartPastWhatIsShownAndWaiting()
    {
        loader->reload();
        QVERIFY(session->answerThreads(threadPage({threadRow(u"c"_s, 3), threadRow(u"b"_s, 2)}, 6)));
        hold->setFollowing(false);
        hold->admit({threadRow(u"n"_s, 9)}); // the newest in the store, waiting
        loader->fetchMore();
        QCOMPARE(session->threadCalls.size(), 1);
        QCOMPARE(session->threadCalls.first().query.offset, 3);
        QVERIFY(!loader->canFetchMore()); // one request at a time
        loader->fetchMore();
        QCOMPARE(session->threadCalls.size(), 1);
        // The store moved on meanwhile: b comes again and is not shown twice.
        QVERIFY(session->answerThreads(threadPage({threadRow(u"b"_s, 2), threadRow(u"a"_s, 1)}, 5, 3)));
        QCOMPARE(view->ids(), (QStringList{u"c"_s, u"b"_s, u"a"_s}));
        QVERIFY(!loader->canFetchMore());
    }

    void answersToAnOlderReloadAreDropped()
    {
        loader->reload();
        loader->reload(); // the filter changed, say
        QCOMPARE(session->threadCalls.size(), 2);
        QVERIFY(session->answerThreads(threadPage({threadRow(u"old"_s, 1)}, 1)));
        QCOMPARE(view->rowCount(), 0);
        QVERIFY(loader->isLoading());
        QVERIFY(session->answerThreads(threadPage({threadRow(u"new"_s, 2)}, 1)));
        QCOMPARE(view->ids(), QStringList{u"new"_s});
    }

    void usageOnTheWayIsAddedToThePage()
    {
        loader->reload();
        UsageEvent event;
        event.threadId = u"b"_s;
        event.promptTokens = 30;
        event.completionTokens = 12;
        loader->keepUsage({event, event});
        QVERIFY(session->answerThreads(threadPage({threadRow(u"b"_s, 2)}, 1)));
        QCOMPARE(view->rows.at(0).spent.tokens(), 84);
    }

    void aFilteredTotalIsCountedAgain()
    {
        loader->setFilter({ThreadStatus::Active, u"greeter"_s});
        loader->reload();
        QCOMPARE(session->threadCalls.first().query.agent, u"greeter"_s);
        QVERIFY(session->answerThreads(threadPage({threadRow(u"b"_s, 2)}, 1)));
        loader->scheduleRecount();
        QTRY_COMPARE(session->threadCalls.size(), 1); // once the recount's delay has passed
        QCOMPARE(session->threadCalls.first().query.limit, 0);
        QVERIFY(session->answerThreads(threadPage({}, 5)));
        QCOMPARE(loader->total(), 5);
        QCOMPARE(view->rowCount(), 1); // a count, not a page
    }

    void withoutAConnectionNothingIsAsked()
    {
        session->close();
        loader->reload();
        QVERIFY(!loader->isLoading());
        QVERIFY(session->threadCalls.isEmpty());
    }

    void aFailedReadIsLoggedAndEndsTheLoading()
    {
        loader->reload();
        QTest::ignoreMessage(QtWarningMsg, R"(ThreadModel: could not read the threads: "refused")");
        session->threadCalls.takeFirst().reply(fail(u"refused"_s));
        QVERIFY(!loader->isLoading());
        QCOMPARE(view->rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestThreadLoader)
#include "tst_threadloader.moc"
