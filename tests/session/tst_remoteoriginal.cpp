// RemoteSession against the original AgentServer as it really is (FakeOriginalServer): its /ws drops the
// connection before the snapshot whenever a thread exists, or pushes one message and then nothing; REST
// works. The session carries on by polling, catches up with what the server counts, says what the
// original only pretends (pause, kill, stop), reads "unpriced" and unknown latencies as such, builds usage
// over time from the history, and follows the server's uptime.

#include "fakeoriginalserver.h"
#include "resultvalue.h"
#include "remotesession.h"

#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::FakeOriginalServer;

namespace {

QStringList messageTexts(const QSignalSpy &spy)
{
    QStringList texts;
    for (const QList<QVariant> &arguments : spy) {
        for (const MessageRecord &message : arguments.first().value<QList<MessageRecord>>())
            texts << u"%1 %2>%3"_s.arg(message.seq).arg(message.from, message.to);
    }
    return texts;
}

} // namespace

class TestRemoteOriginal : public QObject
{
    Q_OBJECT

private:
    void connectTo(FakeOriginalServer &server)
    {
        session = std::make_unique<RemoteSession>(QUrl(server.url()), QString());
        session->open();
        QTRY_VERIFY_WITH_TIMEOUT(session->isConnected(), 15000);
    }
    Result<> wait(const std::function<void(Session::Done)> &command)
    {
        std::optional<Result<>> result;
        command([&result](const Result<> &r) { result = r; });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000); }();
        return result.value_or(fail(u"no answer"_s));
    }
    InjectResult inject(const QString &name)
    {
        InjectRequest request;
        request.to = u"greeter"_s;
        request.fields = {{u"name"_s, name}};
        request.from = u"operator"_s;
        std::optional<InjectResult> result;
        session->inject(request, this, [&result](const InjectResult &r) { result = r; });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000); }();
        return result.value_or(InjectResult{});
    }

private slots:
    void cleanup() { session.reset(); }

    // The original's /ws goes before its snapshot: the window is not left empty in a reconnect loop, it
    // carries on from REST and says so.
    void aWebSocketThatDropsBeforeItsSnapshot()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::DropsBeforeSnapshot);
        server.recordMessage(u"boot-thread"_s, u"system"_s, u"greeter"_s, {{u"name"_s, u"Boot"_s}});
        connectTo(server);
        QCOMPARE(session->updateMode(), UpdateMode::Polling);
        QVERIFY(server.webSocketConnections() >= 1);
        QCOMPARE(session->agents().size(), 3);
        QCOMPARE(session->organism().totalMessages, 1);
        // The original: pause, kill and stop are labels; no budgets to set; no usage over time.
        const ServerAbilities abilities = session->abilities();
        QVERIFY(!abilities.pauseHoldsWork && !abilities.killCancelsWork && !abilities.stopStopsWork);
        QVERIFY(!abilities.setsBudgets);
        QVERIFY(!abilities.bucketsUsage);
        QVERIFY(!abilities.retriesThreads); // no POST /threads/{id}/retry there
        QVERIFY(abilities.tracksUsage);
        // No shared history there (GET /history/organisms is a 404): an ability, not an error shown as data.
        QVERIFY(!abilities.sharesHistory);
        QString refused;
        session->fetchHistoryInstances(this, [&](const Result<QList<HistoryInstance>> &listResult) {
            const QList<HistoryInstance> list = listResult.value_or(QList<HistoryInstance>{});
            const QString error = failureText(listResult);
            QVERIFY(list.isEmpty());
            refused = error;
        });
        QTRY_COMPARE(refused, u"this server lists no shared history"_s);

        // What happens on the server arrives as the batches /ws would have brought, within a round.
        QSignalSpy created(session.get(), &Session::threadsCreated);
        QSignalSpy messages(session.get(), &Session::messagesRecorded);
        QSignalSpy updated(session.get(), &Session::threadsUpdated);
        const InjectResult injected = inject(u"Ada"_s);
        QVERIFY(injected.has_value());
        // Answered after the round that read it: the message is already there.
        QCOMPARE(messageTexts(messages), QStringList{u"2 api>greeter"_s});
        QCOMPARE(created.size(), 1);
        QCOMPARE(created.first().first().value<QList<ThreadInfo>>().first().id, injected->threadId);
        server.recordMessage(injected->threadId, u"greeter"_s, u"shouter"_s, {{u"message"_s, u"Hello"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(messageTexts(messages), (QStringList{u"2 api>greeter"_s, u"3 greeter>shouter"_s}),
                                  6000);
        QCOMPARE(session->organism().totalMessages, 3);

        // Kill: answered after the status change it made was emitted.
        const Result<> killed = wait([&](Session::Done done) { session->killThread(injected->threadId, this, done); });
        QVERIFY(killed.has_value());
        QCOMPARE(server.threadStatus(injected->threadId), u"killed"_s);
        QVERIFY(!updated.isEmpty());
        QCOMPARE(toString(updated.last().first().value<QList<ThreadInfo>>().first().status), u"killed"_s);

        // Thread queries wait for a round, so they never run ahead of the events.
        std::optional<ThreadPage> page;
        session->fetchThreads(ThreadQuery{}, this,
                              [&page](const Result<ThreadPage> &pResult) { page = pResult.value_or(ThreadPage{}); });
        QTRY_VERIFY(page.has_value());
        QCOMPARE(page->total, 2);
    }

    // The snapshot gets through, then the stream stops: the totals from /organism run ahead of what was
    // pushed, and the session catches up by polling.
    void aWebSocketThatStopsPushing()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::StopsAfterFirstMessage);
        connectTo(server);
        QCOMPARE(session->updateMode(), UpdateMode::Push);
        QSignalSpy messages(session.get(), &Session::messagesRecorded);
        QSignalSpy modes(session.get(), &Session::updateModeChanged);
        const QString thread = u"t-1"_s;
        for (const QString &name : {u"Ada"_s, u"Grace"_s, u"Linus"_s})
            server.recordMessage(thread, u"api"_s, u"greeter"_s, {{u"name"_s, name}});
        QTRY_COMPARE_WITH_TIMEOUT(session->updateMode(), UpdateMode::Polling, 10000);
        QCOMPARE(modes.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(messageTexts(messages),
                                  (QStringList{u"1 api>greeter"_s, u"2 api>greeter"_s, u"3 api>greeter"_s}), 6000);
        QCOMPARE(session->organism().totalMessages, 3);
        QVERIFY(session->isConnected()); // never "disconnected" for it

        // The timeline of a thread it stopped pushing: read from REST, every message there.
        std::optional<ThreadTrace> trace;
        bool answered = false;
        session->fetchTimeline(thread, 100, this, [&](const Result<ThreadTrace> &tResult) {
            const std::optional<ThreadTrace> t = test::valueOf(tResult);
            trace = t;
            answered = true;
        });
        QTRY_VERIFY(answered);
        QVERIFY(trace);
        QCOMPARE(trace->hops.size(), 3);
        QVERIFY(!session->abilities().reportsLoad); // the Load page counts messages/s from the totals
    }

    void commandsThatOnlyChangeLabels()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::DropsBeforeSnapshot);
        connectTo(server);
        QVERIFY(wait([&](Session::Done done) { session->pauseAgent(u"shouter"_s, this, done); }).has_value());
        QCOMPARE(server.agentState(u"shouter"_s), u"paused"_s);
        QTRY_COMPARE(toString(session->agent(u"shouter"_s)->state), u"paused"_s);
        // The original has no PUT for budgets: said plainly.
        const Result<> budget = wait([&](Session::Done done) { session->setThreadBudget(u"t"_s, 5000, this, done); });
        QVERIFY(!budget.has_value());
        QCOMPARE(failureText(budget), u"this server cannot change thread budgets"_s);
        // Stop says "stopping" for good.
        QVERIFY(wait([&](Session::Done done) { session->stopOrganism(this, done); }).has_value());
        QTRY_COMPARE(toString(session->organism().status), u"stopping"_s);
        QVERIFY(session->isConnected());
    }

    void usageAsTheOriginalReportsIt()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::DropsBeforeSnapshot);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        server.recordUsage(u"greeter"_s, u"llama3"_s, 100, 50, 250.0, now.addSecs(-120));
        server.recordUsage(u"greeter"_s, u"llama3"_s, 200, 100, 350.0, now.addSecs(-60));
        connectTo(server);
        const UsageSnapshot usage = session->usage();
        QCOMPARE(usage.totals.requestCount, 2);
        // No cost and no unpricedRequests key: unpriced, not "$0.0000".
        QCOMPARE(usage.totals.unpricedRequests, 2);
        QCOMPARE(usage.byModel.first().unpricedRequests, 2);
        QCOMPARE(usage.totals.avgLatencyMs(), 300.0);
        // No latency per agent or model on the wire: unknown, not 0.0 ms.
        QVERIFY(std::isnan(usage.byAgent.first().avgLatencyMs()));
        // The latest calls say which provider served which model.
        QCOMPARE(session->recentUsage().size(), 2);
        QCOMPARE(session->recentUsage().first().provider, u"ollama"_s);

        // Tokens per minute from /usage/history, as the server has no /usage/timeseries.
        std::optional<QList<UsageBucket>> buckets;
        QString error;
        session->fetchUsageBuckets(UsageBucketSize::Minute, UsageGroupBy::Model, now.addSecs(-600), now, {}, this,
                                   [&](const Result<QList<UsageBucket>> &bResult) {
                                       buckets = bResult.value_or(QList<UsageBucket>{});
                                       error = failureText(bResult);
                                   });
        QTRY_VERIFY(buckets.has_value());
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(buckets->size(), 2);
        QCOMPARE(buckets->first().key, u"llama3"_s);
        QCOMPARE(buckets->first().totalTokens, 150);
        QCOMPARE(buckets->last().totalTokens, 300);
        QCOMPARE(buckets->first().start.time().second(), 0);
    }

    // Usage over time of one agent or one model, built from the original's filtered history; it has no
    // outcome, so a filter by outcome is refused rather than answered unfiltered.
    void usageFiltersOnTheOriginal()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::DropsBeforeSnapshot);
        // Half past the last hour, so the three calls share one hour bucket at any time of day (run at
        // the start of an hour, "now" would put them in two).
        const QDateTime current = QDateTime::currentDateTimeUtc();
        const QDateTime now = QDateTime(current.date(), QTime(current.time().hour(), 30), Qt::UTC).addSecs(-3600);
        server.recordUsage(u"greeter"_s, u"llama3"_s, 100, 50, 250.0, now.addSecs(-120));
        server.recordUsage(u"shouter"_s, u"mistral"_s, 20, 10, 250.0, now.addSecs(-90));
        server.recordUsage(u"greeter"_s, u"mistral"_s, 200, 100, 350.0, now.addSecs(-60));
        connectTo(server);
        QVERIFY(!session->abilities().bucketsUsage);
        QVERIFY(!session->abilities().filtersUsageOutcome);
        const auto fetch = [&](UsageGroupBy groupBy, const UsageSeriesFilter &filter, QString *error) {
            std::optional<QList<UsageBucket>> buckets;
            session->fetchUsageBuckets(UsageBucketSize::Hour, groupBy, now.addSecs(-600), now, filter, this,
                                       [&](const Result<QList<UsageBucket>> &bResult) {
                                           buckets = bResult.value_or(QList<UsageBucket>{});
                                           *error = failureText(bResult);
                                       });
            [&] { QTRY_VERIFY(buckets.has_value()); }();
            QStringList keys;
            for (const UsageBucket &bucket : buckets.value_or(QList<UsageBucket>()))
                keys.append(u"%1 %2"_s.arg(bucket.key).arg(bucket.totalTokens));
            return keys;
        };
        QString error;
        QCOMPARE(fetch(UsageGroupBy::Model, {u"shouter"_s, {}, {}}, &error), QStringList{u"mistral 30"_s});
        QCOMPARE(fetch(UsageGroupBy::Agent, {{}, u"mistral"_s, {}}, &error),
                 (QStringList{u"greeter 300"_s, u"shouter 30"_s}));
        QCOMPARE(fetch(UsageGroupBy::Model, {u"greeter"_s, u"mistral"_s, {}}, &error), QStringList{u"mistral 300"_s});
        QVERIFY(error.isEmpty());
        QCOMPARE(fetch(UsageGroupBy::Model, {{}, {}, UsageOutcome::Error}, &error), QStringList());
        QCOMPARE(error, u"this server cannot tell calls apart by outcome"_s);
    }

    // The original keeps no timeline and has no replay or fork: the timeline is its messages alone, and
    // replay and fork say plainly that this server does not offer them.
    void timelineAndBranchOnTheOriginal()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::DropsBeforeSnapshot);
        server.recordMessage(u"t-1"_s, u"api"_s, u"greeter"_s, {{u"name"_s, u"Ada"_s}});
        server.recordMessage(u"t-1"_s, u"greeter"_s, u"shouter"_s, {{u"message"_s, u"Hello"_s}});
        connectTo(server);
        const ServerAbilities abilities = session->abilities();
        QVERIFY(!abilities.tracesThreads && !abilities.branchesThreads && !abilities.reportsLoad);

        std::optional<ThreadTrace> trace;
        QString error = u"unanswered"_s;
        session->fetchTimeline(u"t-1"_s, 100, this, [&](const Result<ThreadTrace> &tResult) {
            const std::optional<ThreadTrace> t = test::valueOf(tResult);
            const QString e = failureText(tResult);
            trace = t;
            error = e;
        });
        QTRY_VERIFY(error != u"unanswered"_s);
        QVERIFY2(trace, qPrintable(error));
        QCOMPARE(trace->thread.id, u"t-1"_s);
        QCOMPARE(trace->hops.size(), 2);
        QCOMPARE(trace->hops.at(1).message.to, u"shouter"_s);
        QVERIFY(!trace->hops.at(0).run && !trace->origin);

        BranchRequest request;
        request.kind = ThreadOriginKind::Fork;
        request.threadId = u"t-1"_s;
        request.messageId = trace->hops.at(1).message.id;
        std::optional<InjectResult> result;
        session->branch(request, this, [&result](const InjectResult &r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY(!result->has_value());
        QCOMPARE(failureText(*result), u"this server does not offer replay and fork (agentdesk extensions)"_s);
        QCOMPARE(server.totalMessages(), 2); // nothing was sent
    }

    void uptimeFollowsTheServer()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::DropsBeforeSnapshot);
        server.setUptimeSeconds(5000);
        connectTo(server);
        const double first = session->organism().uptimeSeconds;
        QVERIFY2(first >= 5000 && first < 5010, qPrintable(QString::number(first)));
        // Carried forward between reads, never back to the value at connect.
        QTRY_VERIFY(session->organism().uptimeSeconds >= first + 1.0);
    }

private:
    std::unique_ptr<RemoteSession> session;
};

QTEST_GUILESS_MAIN(TestRemoteOriginal)
#include "tst_remoteoriginal.moc"
