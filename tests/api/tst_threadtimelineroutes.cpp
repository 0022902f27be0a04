// The timeline, replay and fork extensions: GET /threads/{id}/timeline, POST /threads/{id}/replay and
// /fork — their shapes against the OpenAPI document, the answers once committed, every refusal with
// its status and detail, and the Bearer key like the other POSTs.

#include "openapi.h"
#include "support/apitestclient.h"
#include "support/apifixture.h"
#include "support/schemacheck.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {
const QList<QPair<QByteArray, QByteArray>> kJson{{"Content-Type", "application/json"}};
} // namespace

class tst_ThreadTimelineRoutes : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void timelineShowsEveryHopWithItsRun();
    void replayAnswersWithTheNewThread();
    void forkCopiesTheHistoryAndSendsTheEditedMessage();
    void refusalsSayWhy();
    void writesNeedTheKey();

private:
    void verifyShape(const HttpResult &result, const QString &schema)
    {
        const QStringList errors = checkAgainstSchema(QJsonValue(result.object()), schema, m_schemas);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u"\n"_s)));
    }
    QJsonArray hops(const QString &threadId)
    {
        return m_client->get(u"/api/v1/threads/%1/timeline"_s.arg(threadId)).object().value(u"hops"_s).toArray();
    }
    bool completes(const QString &threadId)
    {
        return QTest::qWaitFor(
            [&] {
                return m_client->get(u"/api/v1/threads/"_s + threadId).object().value(u"status"_s).toString()
                    == u"completed"_s;
            },
            10000);
    }

    std::unique_ptr<ApiFixture> m_fixture;
    std::unique_ptr<ApiTestClient> m_client;
    QCborMap m_schemas = openApiSchemas();
    QString m_thread;
    QJsonArray m_hops;
};

void tst_ThreadTimelineRoutes::init()
{
    m_fixture = std::make_unique<ApiFixture>();
    ApiServerOptions options;
    if (QByteArray(QTest::currentTestFunction()) == "writesNeedTheKey")
        options.http.apiKey = "0123456789abcdef0123";
    QString error;
    QVERIFY2(m_fixture->start(options, &error), qPrintable(error));
    m_client = std::make_unique<ApiTestClient>(m_fixture->port());
    m_thread = m_fixture->injectAndWait(u"greeter"_s, {{u"name"_s, u"Ada"_s}});
    QVERIFY(!m_thread.isEmpty());
    QTRY_COMPARE(hops(m_thread).size(), 3);
    m_hops = hops(m_thread);
}

void tst_ThreadTimelineRoutes::cleanup()
{
    m_client.reset();
    m_fixture.reset();
}

void tst_ThreadTimelineRoutes::timelineShowsEveryHopWithItsRun()
{
    const HttpResult result = m_client->get(u"/api/v1/threads/%1/timeline"_s.arg(m_thread));
    QCOMPARE(result.status, 200);
    verifyShape(result, u"ThreadTimeline"_s);
    const QJsonObject timeline = result.object();
    QCOMPARE(timeline.value(u"thread"_s).toObject().value(u"id"_s).toString(), m_thread);
    QVERIFY(timeline.value(u"origin"_s).isNull());
    QCOMPARE(timeline.value(u"total"_s).toInt(), 3);
    const QStringList route{u"greeter"_s, u"shouter"_s, u"response-handler"_s};
    for (int i = 0; i < 3; ++i) {
        const QJsonObject hop = m_hops.at(i).toObject();
        QCOMPARE(hop.value(u"message"_s).toObject().value(u"to"_s).toString(), route.at(i));
        QCOMPARE(hop.value(u"copied"_s).toBool(), false);
        const QJsonObject run = hop.value(u"run"_s).toObject();
        QVERIFY(run.value(u"queueWaitMs"_s).toInteger(-1) >= 0);
        QVERIFY(run.value(u"handlerMs"_s).toInteger(-1) >= 0);
        QVERIFY(run.value(u"error"_s).isNull());
        QVERIFY(hop.value(u"llm"_s).toArray().isEmpty()); // built-ins make no LLM calls
    }
    const HttpResult newest = m_client->get(u"/api/v1/threads/%1/timeline?limit=1"_s.arg(m_thread));
    QCOMPARE(newest.object().value(u"hops"_s).toArray().size(), 1);
    QCOMPARE(newest.object().value(u"total"_s).toInt(), 3);

    QCOMPARE(m_client->get(u"/api/v1/threads/nope/timeline"_s).status, 404);
    QCOMPARE(m_client->get(u"/api/v1/threads/nope/timeline"_s).detail(), u"Thread not found: nope"_s);
    QCOMPARE(m_client->get(u"/api/v1/threads/%1/timeline?limit=0"_s.arg(m_thread)).status, 422);
}

void tst_ThreadTimelineRoutes::replayAnswersWithTheNewThread()
{
    const QString first = m_hops.at(0).toObject().value(u"message"_s).toObject().value(u"id"_s).toString();
    const HttpResult result = m_client->post(
        u"/api/v1/threads/%1/replay"_s.arg(m_thread),
        QJsonDocument(QJsonObject{{u"messageId"_s, first}, {u"from"_s, u"operator"_s}}).toJson(), kJson);
    QCOMPARE(result.status, 200);
    verifyShape(result, u"InjectResponse"_s);
    const QString replayed = result.object().value(u"threadId"_s).toString();
    QVERIFY(!replayed.isEmpty() && replayed != m_thread);
    QVERIFY(completes(replayed));
    const QJsonObject timeline = m_client->get(u"/api/v1/threads/%1/timeline"_s.arg(replayed)).object();
    QCOMPARE(timeline.value(u"origin"_s).toObject().value(u"kind"_s).toString(), u"replay"_s);
    QCOMPARE(timeline.value(u"origin"_s).toObject().value(u"messageId"_s).toString(), first);
    const QJsonObject message = timeline.value(u"hops"_s).toArray().first().toObject().value(u"message"_s).toObject();
    QCOMPARE(message.value(u"id"_s).toString(), result.object().value(u"messageId"_s).toString());
    QCOMPARE(message.value(u"from"_s).toString(), u"operator"_s);
    QCOMPARE(message.value(u"payload"_s).toObject().value(u"name"_s).toString(), u"Ada"_s);
}

void tst_ThreadTimelineRoutes::forkCopiesTheHistoryAndSendsTheEditedMessage()
{
    const QString second = m_hops.at(1).toObject().value(u"message"_s).toObject().value(u"id"_s).toString();
    const QJsonObject body{{u"message_id"_s, second},
                           {u"payload"_s, QJsonObject{{u"message"_s, u"Hi fork"_s}, {u"original_sender"_s, u"Ada"_s}}}};
    const HttpResult result = m_client->post(u"/api/v1/threads/%1/fork"_s.arg(m_thread), QJsonDocument(body).toJson(),
                                             kJson);
    QCOMPARE(result.status, 200);
    const QString forked = result.object().value(u"threadId"_s).toString();
    QVERIFY(completes(forked));
    const QJsonObject timeline = m_client->get(u"/api/v1/threads/%1/timeline"_s.arg(forked)).object();
    const QJsonObject origin = timeline.value(u"origin"_s).toObject();
    QCOMPARE(origin.value(u"kind"_s).toString(), u"fork"_s);
    QCOMPARE(origin.value(u"threadId"_s).toString(), m_thread);
    const QJsonArray forkHops = timeline.value(u"hops"_s).toArray();
    QCOMPARE(forkHops.size(), 3);
    QVERIFY(forkHops.at(0).toObject().value(u"copied"_s).toBool());
    QVERIFY(forkHops.at(0).toObject().value(u"run"_s).isNull());
    const QJsonObject sent = forkHops.at(1).toObject().value(u"message"_s).toObject();
    QCOMPARE(sent.value(u"from"_s).toString(), u"greeter"_s);
    QCOMPARE(sent.value(u"payload"_s).toObject().value(u"message"_s).toString(), u"Hi fork"_s);
    QCOMPARE(forkHops.at(2)
                 .toObject()
                 .value(u"message"_s)
                 .toObject()
                 .value(u"payload"_s)
                 .toObject()
                 .value(u"message"_s)
                 .toString(),
             u"HI FORK"_s);
}

void tst_ThreadTimelineRoutes::refusalsSayWhy()
{
    const QString second = m_hops.at(1).toObject().value(u"message"_s).toObject().value(u"id"_s).toString();
    const auto post = [&](const QString &thread, const QByteArray &body) {
        return m_client->post(u"/api/v1/threads/%1/fork"_s.arg(thread), body, kJson);
    };
    HttpResult result = post(u"nope"_s, QJsonDocument(QJsonObject{{u"messageId"_s, second}}).toJson());
    QCOMPARE(result.status, 404);
    QCOMPARE(result.detail(), u"Thread not found: nope"_s);

    result = post(m_thread, R"({"messageId": "not-a-message"})");
    QCOMPARE(result.status, 404);
    QCOMPARE(result.detail(), u"Message not-a-message not found in thread %1"_s.arg(m_thread));

    result = post(m_thread, R"({"payload": {}})");
    QCOMPARE(result.status, 422);
    QCOMPARE(result.detailList().first().toObject().value(u"type"_s).toString(), u"missing"_s);

    result = post(m_thread, QJsonDocument(QJsonObject{{u"messageId"_s, second}, {u"payload"_s, 5}}).toJson());
    QCOMPARE(result.status, 422);
    QCOMPARE(result.detailList().first().toObject().value(u"type"_s).toString(), u"dict_type"_s);

    // A payload the listener's schema rejects: the field is named, as for inject.
    result = post(
        m_thread,
        QJsonDocument(QJsonObject{{u"messageId"_s, second}, {u"payload"_s, QJsonObject{{u"message"_s, u"x"_s}}}})
            .toJson());
    QCOMPARE(result.status, 422);
    const QJsonArray loc = result.detailList().first().toObject().value(u"loc"_s).toArray();
    QCOMPARE(loc.at(0).toString(), u"body"_s);
    QCOMPARE(loc.at(1).toString(), u"payload"_s);

    result = post(m_thread, QJsonDocument(QJsonObject{{u"messageId"_s, second}, {u"from"_s, u"greeter"_s}}).toJson());
    QCOMPARE(result.status, 422);
    QCOMPARE(result.detailList().first().toObject().value(u"type"_s).toString(), u"literal_error"_s);
}

void tst_ThreadTimelineRoutes::writesNeedTheKey()
{
    const QString first = m_hops.at(0).toObject().value(u"message"_s).toObject().value(u"id"_s).toString();
    const QByteArray body = QJsonDocument(QJsonObject{{u"messageId"_s, first}}).toJson();
    for (const QString &kind : {u"replay"_s, u"fork"_s}) {
        const QString path = u"/api/v1/threads/%1/%2"_s.arg(m_thread, kind);
        QCOMPARE(m_client->post(path, body, kJson).status, 401);
        auto authorized = kJson;
        authorized.append(qMakePair(QByteArray("Authorization"), QByteArray("Bearer 0123456789abcdef0123")));
        QCOMPARE(m_client->post(path, body, authorized).status, 200);
    }
}

QTEST_MAIN(tst_ThreadTimelineRoutes)
#include "tst_threadtimelineroutes.moc"
