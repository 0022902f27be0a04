// RemoteQueries against the original server as it really is (FakeOriginalServer): what the server cannot
// filter is filtered here, thread lists are read past the API's 100 a page, a thread the server does not
// know has no messages, and usage over time is built from the history where there is no timeseries.

#include "fakeoriginalserver.h"
#include "remoteparts.h"
#include "remotequeries.h"

#include "messageparser.h"

#include <QJsonObject>
#include <QTest>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::FakeOriginalServer;
using agentdesk::test::RemoteParts;

class TestRemoteQueries : public QObject
{
    Q_OBJECT

private:
    void connectTo(FakeOriginalServer &server)
    {
        parts = std::make_unique<RemoteParts>(QUrl(server.url()));
        queries = std::make_unique<RemoteQueries>(*parts->session, parts->http.get(), parts->connection.get(),
                                                  parts->fence.get(), &layout);
        QVERIFY(parts->connect());
    }
    MessagePage messages(const MessageQuery &query)
    {
        std::optional<MessagePage> result;
        queries->fetchMessages(query, this, [&result](const Result<MessagePage> &pageResult) {
            const QString error = failureText(pageResult);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            result = pageResult.value_or(MessagePage{});
        });
        [&] { QTRY_VERIFY(result.has_value()); }();
        return result.value_or(MessagePage{});
    }
    static QJsonObject payload(const QString &type, const QString &name)
    {
        return QJsonObject{{type, QJsonObject{{u"name"_s, name}}}};
    }

    std::unique_ptr<RemoteParts> parts;
    wire::PayloadLayout layout;
    std::unique_ptr<RemoteQueries> queries;

private slots:
    void cleanup()
    {
        queries.reset();
        parts.reset();
    }

    void whatTheServerCannotFilterIsFilteredHere()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::StopsAfterFirstMessage);
        connectTo(server);
        server.recordMessage(u"t1"_s, u"api"_s, u"greeter"_s, payload(u"Greeting"_s, u"Ada"_s));
        server.recordMessage(u"t1"_s, u"greeter"_s, u"shouter"_s, payload(u"Shout"_s, u"ADA"_s));
        server.recordMessage(u"t2"_s, u"api"_s, u"greeter"_s, payload(u"Greeting"_s, u"Grace"_s));

        MessageQuery byType; // the original filters by agent only
        byType.payloadType = u"Greeting"_s;
        const MessagePage greetings = messages(byType);
        QCOMPARE(greetings.total, 2);
        QCOMPARE(greetings.items.size(), 2);

        MessageQuery byThreadAndText;
        byThreadAndText.threadId = u"t1"_s;
        byThreadAndText.text = u"ada"_s;
        byThreadAndText.newestFirst = false;
        const MessagePage inThread = messages(byThreadAndText);
        QCOMPARE(inThread.items.size(), 2);
        QCOMPARE(inThread.items.first().seq, 1);

        MessageQuery unknown;
        unknown.threadId = u"no-such-thread"_s;
        QCOMPARE(messages(unknown).items.size(), 0); // as in the local history, not an error
    }

    void threadListsAreReadPastOnePage()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::StopsAfterFirstMessage);
        for (int i = 0; i < 130; ++i)
            server.recordMessage(u"t%1"_s.arg(i), u"api"_s, u"greeter"_s, payload(u"Greeting"_s, u"Ada"_s));
        connectTo(server);
        std::optional<ThreadPage> all;
        ThreadQuery query;
        query.limit = -1;
        queries->fetchThreads(
            query, this, [&all](const Result<ThreadPage> &pageResult) { all = pageResult.value_or(ThreadPage{}); });
        QTRY_VERIFY(all.has_value());
        QCOMPARE(all->items.size(), 130);
        QCOMPARE(all->total, 130);
    }

    void usageOverTimeIsBuiltFromTheHistory()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::StopsAfterFirstMessage);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        server.recordUsage(u"greeter"_s, u"llama"_s, 10, 5, 100.0, now);
        server.recordUsage(u"greeter"_s, u"llama"_s, 20, 5, 100.0, now);
        connectTo(server);
        QVERIFY(!parts->session->abilities().bucketsUsage);

        std::optional<QList<UsageBucket>> buckets;
        queries->fetchUsageBuckets(UsageBucketSize::Day, UsageGroupBy::Model, {}, {}, {}, this,
                                   [&buckets](const Result<QList<UsageBucket>> &resultResult) {
                                       const QString error = failureText(resultResult);
                                       QVERIFY2(error.isEmpty(), qPrintable(error));
                                       buckets = resultResult.value_or(QList<UsageBucket>{});
                                   });
        QTRY_VERIFY(buckets.has_value());
        QCOMPARE(buckets->size(), 1);
        QCOMPARE(buckets->first().key, u"llama"_s);
        QCOMPARE(buckets->first().totalTokens, 40);

        // An outcome the original's history does not record is refused, never ignored.
        UsageSeriesFilter byOutcome;
        byOutcome.outcome = UsageOutcome::Error;
        std::optional<QString> refusal;
        queries->fetchUsageBuckets(
            UsageBucketSize::Day, UsageGroupBy::Model, {}, {}, byOutcome, this,
            [&refusal](const Result<QList<UsageBucket>> &answer) { refusal = failureText(answer); });
        QTRY_VERIFY(refusal.has_value());
        QCOMPARE(*refusal, u"this server cannot tell calls apart by outcome"_s);
    }
};

QTEST_GUILESS_MAIN(TestRemoteQueries)
#include "tst_remotequeries.moc"
