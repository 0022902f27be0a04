// What the API says when the organism cannot take more: 503 with Retry-After and the cause while it
// is saturated, 507 while its history cannot commit (with /health saying so), the same as WebSocket
// `error` replies; and the headless stop/start: POST /organism/stop leaves the API answering at
// status `stopped`, POST /organism/start starts it again and its unfinished threads resume.

#include "historywritelock.h"
#include "openapi.h"
#include "store/historystore.h"
#include "support/apitestclient.h"
#include "support/apifixture.h"
#include "support/schemacheck.h"
#include "support/wstestclient.h"
#include "organismhistory.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

QByteArray smallOrganism()
{
    QByteArray yaml = ApiFixture::defaultYaml();
    yaml.replace("max_message_depth: 10", "max_message_depth: 10\nmax_queue_depth: 5");
    return yaml;
}

const QByteArray kGreeting = R"({"to":"greeter","payload":{"name":"Ada"}})";

QJsonObject wsInject()
{
    return QJsonObject{
        {u"cmd"_s, u"inject"_s}, {u"to"_s, u"greeter"_s}, {u"payload"_s, QJsonObject{{u"name"_s, u"Ada"_s}}}};
}

} // namespace

class tst_OrganismControlRoutes : public QObject
{
    Q_OBJECT
private slots:
    void cleanup();

    void saturatedInjectIs503WithRetryAfterAndCause();
    void historyThatCannotCommitIs507AndHealthSaysSo();
    void stopKeepsTheApiAnsweringAndStartResumes();

private:
    void startFixture(const QByteArray &yaml);
    QUrl wsUrl() const { return QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_fixture->port())); }
    void verifyShape(const HttpResult &result, const QString &schema)
    {
        const QStringList errors = checkAgainstSchema(QJsonValue(result.object()), schema, m_schemas);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u"\n"_s)));
    }
    HttpResult get(const QString &path) { return m_client->get(path); }
    HttpResult post(const QString &path, const QByteArray &body = {})
    {
        return m_client->post(path, body, {{"Content-Type", "application/json"}});
    }

    std::unique_ptr<ApiFixture> m_fixture;
    std::unique_ptr<ApiTestClient> m_client;
    QCborMap m_schemas = openApiSchemas();
};

void tst_OrganismControlRoutes::startFixture(const QByteArray &yaml)
{
    m_fixture = std::make_unique<ApiFixture>(yaml);
    QString error;
    QVERIFY2(m_fixture->start({}, &error), qPrintable(error));
    m_client = std::make_unique<ApiTestClient>(m_fixture->port());
}

void tst_OrganismControlRoutes::cleanup()
{
    m_client.reset();
    m_fixture.reset();
}

void tst_OrganismControlRoutes::saturatedInjectIs503WithRetryAfterAndCause()
{
    startFixture(smallOrganism());
    QCOMPARE(post(u"/api/v1/agents/greeter/pause"_s).status, 200);
    for (int i = 0; i < 4; ++i) // max_queue_depth 5 admits new injects below 4
        QCOMPARE(post(u"/api/v1/inject"_s, kGreeting).status, 200);

    const HttpResult refused = post(u"/api/v1/inject"_s, kGreeting);
    QCOMPARE(refused.status, 503);
    QVERIFY(refused.header("Retry-After").toInt() >= 1);
    QVERIFY2(refused.detail().startsWith(u"the organism is saturated: 4 messages are waiting for a handler "
                                         "(new injects are admitted below 4, max_queue_depth is 5); the bottleneck "
                                         "is greeter (4 waiting, 0 running)"_s),
             qPrintable(refused.detail()));

    WsTestClient ws;
    QVERIFY(ws.open(wsUrl()));
    QVERIFY(!ws.waitForEvent(u"connected"_s).isEmpty());
    ws.send(wsInject());
    const QJsonObject error = ws.waitForEvent(u"error"_s);
    QVERIFY2(error.value(u"error"_s).toString().contains(u"the bottleneck is greeter"_s)
                 && error.value(u"error"_s).toString().contains(u"retry after"_s),
             qPrintable(error.value(u"error"_s).toString()));

    const HttpResult info = get(u"/api/v1/organism"_s);
    verifyShape(info, u"OrganismInfo"_s);
    const QJsonObject saturation = info.object().value(u"saturation"_s).toObject();
    QCOMPARE(saturation.value(u"queueDepth"_s).toInt(), 4);
    QCOMPARE(saturation.value(u"queueLimit"_s).toInt(), 5);
    QCOMPARE(saturation.value(u"admissionLimit"_s).toInt(), 4);
    QCOMPARE(saturation.value(u"injectsRefused"_s).toInt(), 2);
    QCOMPARE(saturation.value(u"saturated"_s).toBool(), true);
    QVERIFY(saturation.value(u"cause"_s).toString().contains(u"greeter"_s));
    const QJsonObject bottleneck = saturation.value(u"backlog"_s).toArray().first().toObject();
    QCOMPARE(bottleneck.value(u"agent"_s).toString(), u"greeter"_s);
    QCOMPARE(bottleneck.value(u"queued"_s).toInt(), 4);
    QCOMPARE(bottleneck.value(u"rateLimitWaitSeconds"_s).toDouble(-1), 0.0);
    QCOMPARE(info.object().value(u"history"_s).toString(), u"ok"_s);

    // Once the bottleneck drains, the door opens again.
    QCOMPARE(post(u"/api/v1/agents/greeter/resume"_s).status, 200);
    QTRY_COMPARE(
        get(u"/api/v1/organism"_s).object().value(u"saturation"_s).toObject().value(u"saturated"_s).toBool(true),
        false);
    QCOMPARE(post(u"/api/v1/inject"_s, kGreeting).status, 200);
}

void tst_OrganismControlRoutes::historyThatCannotCommitIs507AndHealthSaysSo()
{
    startFixture(ApiFixture::defaultYaml());
    QCOMPARE(get(u"/health"_s).object().value(u"history"_s).toString(), u"ok"_s);
    // Another connection holds the history's write lock: the writer cannot commit, and after SQLite's
    // busy time-out it says so.
    auto lock = std::make_unique<test::HistoryWriteLock>(test::historyStoreOf(*m_fixture->organism())->databasePath());
    QVERIFY(lock->take());
    InjectRequest request;
    request.to = u"greeter"_s;
    request.fields.insert(u"name"_s, u"x"_s);
    m_fixture->organism()->injectAcknowledged(request, nullptr, [](const InjectResult &) {});
    QTRY_VERIFY_WITH_TIMEOUT(get(u"/health"_s).object().value(u"history"_s).toString().startsWith(u"degraded: "_s),
                             60000);
    const HttpResult health = get(u"/health"_s);
    verifyShape(health, u"Health"_s);
    // SQLite: "database is locked"; PostgreSQL: "canceling statement due to lock timeout".
    QVERIFY2(health.object().value(u"history"_s).toString().contains(u"lock"_s), health.body.constData());
    QVERIFY(get(u"/api/v1/organism"_s).object().value(u"history"_s).toString().startsWith(u"degraded: "_s));
    QCOMPARE(get(u"/api/v1/threads"_s).status, 200); // reads answer from what is committed

    const HttpResult refused = post(u"/api/v1/inject"_s, kGreeting);
    QCOMPARE(refused.status, 507);
    QVERIFY2(refused.detail().startsWith(u"the history cannot store new messages: "_s)
                 && refused.detail().contains(u"lock"_s),
             qPrintable(refused.detail()));
    WsTestClient ws;
    QVERIFY(ws.open(wsUrl()));
    QVERIFY(!ws.waitForEvent(u"connected"_s).isEmpty());
    ws.send(wsInject());
    QVERIFY(ws.waitForEvent(u"error"_s).value(u"error"_s).toString().startsWith(u"the history cannot store"_s));

    // The writer recovers by itself once it can commit again.
    QVERIFY(lock->release());
    lock.reset();
    QTRY_COMPARE_WITH_TIMEOUT(get(u"/health"_s).object().value(u"history"_s).toString(), u"ok"_s, 30000);
    QCOMPARE(post(u"/api/v1/inject"_s, kGreeting).status, 200);
}

void tst_OrganismControlRoutes::stopKeepsTheApiAnsweringAndStartResumes()
{
    startFixture(ApiFixture::defaultYaml());
    WsTestClient ws;
    QVERIFY(ws.open(wsUrl()));
    QVERIFY(!ws.waitForEvent(u"connected"_s).isEmpty());
    QCOMPARE(post(u"/api/v1/agents/response-handler/pause"_s).status, 200);
    const HttpResult injected = post(u"/api/v1/inject"_s, kGreeting);
    QCOMPARE(injected.status, 200);
    const QString threadId = injected.object().value(u"threadId"_s).toString();
    QTRY_COMPARE(get(u"/api/v1/agents/response-handler"_s).object().value(u"queueDepth"_s).toInt(), 1);

    QCOMPARE(post(u"/api/v1/organism/stop"_s).status, 200);
    QCOMPARE(ws.waitFor([](const QJsonObject &frame) {
                   return frame.value(u"event"_s) == u"organism"_s
                       && frame.value(u"organism"_s).toObject().value(u"status"_s) == u"stopped"_s;
               })
                 .value(u"organism"_s)
                 .toObject()
                 .value(u"name"_s)
                 .toString(),
             u"test-organism"_s);
    // The API keeps answering, at status stopped; the unfinished thread waits in the history.
    QCOMPARE(get(u"/api/v1/organism"_s).object().value(u"status"_s).toString(), u"stopped"_s);
    QCOMPARE(get(u"/health"_s).status, 200);
    QCOMPARE(get(u"/api/v1/threads/%1"_s.arg(threadId)).object().value(u"status"_s).toString(), u"active"_s);
    QCOMPARE(post(u"/api/v1/inject"_s, kGreeting).status, 409);

    const HttpResult started = post(u"/api/v1/organism/start"_s);
    QCOMPARE(started.status, 200);
    QCOMPARE(started.body, QByteArray(R"({"success":true,"status":"running"})"));
    verifyShape(started, u"StartResult"_s);
    QVERIFY(!ws.waitFor([](const QJsonObject &frame) {
                   return frame.value(u"event"_s) == u"organism"_s
                       && frame.value(u"organism"_s).toObject().value(u"status"_s) == u"running"_s;
               }).isEmpty());
    QCOMPARE(get(u"/api/v1/organism"_s).object().value(u"status"_s).toString(), u"running"_s);
    const HttpResult again = post(u"/api/v1/organism/start"_s);
    QCOMPARE(again.status, 409);
    QCOMPARE(again.detail(), u"Cannot start the organism: the organism is running"_s);

    // The thread resumes where it stopped (the pause outlived the stop).
    QCOMPARE(post(u"/api/v1/agents/response-handler/resume"_s).status, 200);
    QTRY_COMPARE(get(u"/api/v1/threads/%1"_s.arg(threadId)).object().value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(get(u"/api/v1/threads/%1/messages"_s.arg(threadId)).object().value(u"total"_s).toInt(), 3);
    QCOMPARE(post(u"/api/v1/inject"_s, kGreeting).status, 200);
}

QTEST_GUILESS_MAIN(tst_OrganismControlRoutes)
#include "tst_organismcontrolroutes.moc"
