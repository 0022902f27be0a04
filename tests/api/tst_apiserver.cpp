#include "historywritelock.h"
#include "openapi.h"
#include "store/historystore.h"
#include "support/apitestclient.h"
#include "support/apifixture.h"
#include "support/schemacheck.h"
#include "organismhistory.h"

#include <QCborArray>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;
const QByteArray kKey = "test-secret-key-12345";
const char kKeyEnv[] = "AGENTDESK_TEST_API_KEY";

QVariantMap greeting(const QString &name)
{
    return {{u"name"_s, name}};
}

QStringList keysOf(const QJsonObject &object)
{
    QStringList keys = object.keys();
    keys.sort();
    return keys;
}

QString encoded(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

} // namespace

// The REST API of spec §4/§5 against a real Organism, the §12 checklist as amended by the
// agentdesk decisions, and a bad-input table for every endpoint.
class tst_ApiServer : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    // §12 REST checklist
    void health();
    void organismInfo();
    void organismConfigIsSnakeCaseWhitelist();
    void agents();
    void agentSchemaIsTheXsd();
    void threadsListing();
    void threadsFiltersOrderAndPaging();
    void threadDetailAndMessages();
    void messagesListing();
    void messagesExtensionFilters();
    void injectReachesTheTarget();
    void injectUsesGivenThreadIdEitherSpelling();
    void injectErrors();
    void injectIsAnsweredOnceCommittedWithoutStallingTheServer();
    void injectCoercesTypedFields();
    void pauseAndResume();
    void readsFollowChangesMadeOutsideTheApi();
    void killThread();
    void capabilities();
    void reload();
    void reloadFailureIs500();
    void reloadReportsWarnings();
    void reloadRefusesAMissingScript();
    void retryAThreadInError();
    void stopEndsStopped();
    void authOnTheSevenPosts();
    void protectReads();
    void crossSiteRequestsCannotAct();

    // Shapes, documentation, hardening
    void responsesMatchTheOpenApiSchemas();
    void openApiAndDocsAreServed();
    void badInput_data();
    void badInput();
    void refusesNonLoopbackWithoutKey();
    void refusesNonLoopbackWithAShortKey();

private:
    HttpResult get(const QString &path, const Headers &headers = {}) { return m_client->get(path, headers); }
    HttpResult post(const QString &path, const QByteArray &body = {}, const Headers &headers = {})
    {
        return m_client->post(path, body, headers);
    }
    void startFixture(ApiServerOptions options = {});
    void verifyShape(const HttpResult &result, const QString &schema);

    std::unique_ptr<ApiFixture> m_fixture;
    std::unique_ptr<ApiTestClient> m_client;
    QCborMap m_schemas = openApiSchemas();
};

void tst_ApiServer::startFixture(ApiServerOptions options)
{
    m_client.reset();
    m_fixture = std::make_unique<ApiFixture>();
    QString error;
    QVERIFY2(m_fixture->start(options, &error), qPrintable(error));
    m_client = std::make_unique<ApiTestClient>(m_fixture->port());
}

void tst_ApiServer::init()
{
    qunsetenv(kKeyEnv);
    startFixture();
}

void tst_ApiServer::cleanup()
{
    m_client.reset();
    m_fixture.reset();
    qunsetenv(kKeyEnv);
}

void tst_ApiServer::verifyShape(const HttpResult &result, const QString &schema)
{
    const QJsonDocument document = QJsonDocument::fromJson(result.body);
    const QJsonValue value = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    const QStringList errors = checkAgainstSchema(value, schema, m_schemas);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u"\n"_s)));
}

void tst_ApiServer::health()
{
    const HttpResult result = get(u"/health"_s);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(result.object().value(u"status"_s).toString(), u"healthy"_s);
    QCOMPARE(result.object().value(u"organism"_s).toString(), u"test-organism"_s);
    QVERIFY(result.object().value(u"uptime_seconds"_s).isDouble());
    verifyShape(result, u"Health"_s);
}

void tst_ApiServer::organismInfo()
{
    const HttpResult result = get(u"/api/v1/organism"_s);
    QCOMPARE(result.status, 200);
    const QJsonObject info = result.object();
    QCOMPARE(info.value(u"name"_s).toString(), u"test-organism"_s);
    QCOMPARE(info.value(u"status"_s).toString(), u"running"_s);
    QCOMPARE(info.value(u"agentCount"_s).toInt(), 9);
    QCOMPARE(info.value(u"activeThreads"_s).toInt(), 0);
    QCOMPARE(info.value(u"totalMessages"_s).toInt(), 0);
    QCOMPARE(info.value(u"identityConfigured"_s).toBool(true), false);
    QVERIFY(info.value(u"uptimeSeconds"_s).isDouble());
    // Python float rendering: uptime always carries a fraction or '.0'.
    QVERIFY(result.body.contains("\"uptimeSeconds\":") && !result.body.contains("\"uptimeSeconds\":0,"));
    verifyShape(result, u"OrganismInfo"_s);

    m_fixture->injectAndWait(u"greeter"_s, greeting(u"Dan"_s));
    QCOMPARE(get(u"/api/v1/organism"_s).object().value(u"totalMessages"_s).toInt(), 3);
}

void tst_ApiServer::organismConfigIsSnakeCaseWhitelist()
{
    const HttpResult result = get(u"/api/v1/organism/config"_s);
    QCOMPARE(result.status, 200);
    const QJsonObject config = result.object();
    QCOMPARE(keysOf(config),
             (QStringList{u"listeners"_s, u"max_concurrent_handlers"_s, u"max_concurrent_pipelines"_s, u"name"_s,
                          u"port"_s, u"thread_scheduling"_s}));
    QCOMPARE(config.value(u"name"_s).toString(), u"test-organism"_s);
    QCOMPARE(config.value(u"port"_s).toInt(), 8765);
    QCOMPARE(config.value(u"thread_scheduling"_s).toString(), u"breadth-first"_s);
    QCOMPARE(config.value(u"listeners"_s).toVariant().toStringList(), m_fixture->organism()->listenerNames());
    verifyShape(result, u"OrganismConfig"_s);
}

void tst_ApiServer::agents()
{
    const HttpResult list = get(u"/api/v1/agents"_s);
    QCOMPARE(list.status, 200);
    QCOMPARE(list.object().value(u"count"_s).toInt(), 9);
    const QJsonArray agents = list.object().value(u"agents"_s).toArray();
    QCOMPARE(agents.first().toObject().value(u"name"_s).toString(), u"greeter"_s); // registration order
    verifyShape(list, u"AgentList"_s);

    const HttpResult greeter = get(u"/api/v1/agents/greeter"_s);
    QCOMPARE(greeter.status, 200);
    QCOMPARE(greeter.object().value(u"description"_s).toString(), u"Greeting agent"_s);
    QCOMPARE(greeter.object().value(u"peers"_s).toArray(), QJsonArray{u"shouter"_s});
    QCOMPARE(greeter.object().value(u"payloadClass"_s).toString(), u"handlers.hello.Greeting"_s);
    QCOMPARE(greeter.object().value(u"state"_s).toString(), u"idle"_s);
    QVERIFY(greeter.object().value(u"currentThread"_s).isNull());
    QVERIFY(greeter.object().value(u"lastActivity"_s).isNull());
    // isAgent mirrors `agent:` in the YAML.
    QCOMPARE(greeter.object().value(u"isAgent"_s).toBool(true), false);
    QCOMPARE(get(u"/api/v1/agents/planner"_s).object().value(u"isAgent"_s).toBool(false), true);
    verifyShape(greeter, u"AgentInfo"_s);

    const HttpResult missing = get(u"/api/v1/agents/nonexistent"_s);
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.detail(), u"Agent not found: nonexistent"_s);

    const HttpResult config = get(u"/api/v1/agents/greeter/config"_s);
    QCOMPARE(config.status, 200);
    QCOMPARE(keysOf(config.object()),
             (QStringList{u"description"_s, u"isAgent"_s, u"name"_s, u"payloadClass"_s, u"peers"_s}));
    verifyShape(config, u"AgentConfig"_s);
    QCOMPARE(get(u"/api/v1/agents/nonexistent/config"_s).detail(), u"Agent not found: nonexistent"_s);

    // Activity shows on the sender side (spec §7.3).
    m_fixture->injectAndWait(u"greeter"_s, greeting(u"Dan"_s));
    const QJsonObject after = get(u"/api/v1/agents/greeter"_s).object();
    QCOMPARE(after.value(u"messageCount"_s).toInt(), 1);
    QVERIFY(after.value(u"lastActivity"_s).toString().endsWith(u'Z'));
}

void tst_ApiServer::agentSchemaIsTheXsd()
{
    const HttpResult schema = get(u"/api/v1/agents/greeter/schema"_s);
    QCOMPARE(schema.status, 200);
    QCOMPARE(schema.object().value(u"contentType"_s).toString(), u"application/xml"_s);
    const QString xsd = schema.object().value(u"schema"_s).toString();
    QVERIFY2(xsd.contains(u"xs:schema"_s) && xsd.contains(u"Name"_s), qPrintable(xsd));
    verifyShape(schema, u"AgentSchema"_s);
    const HttpResult missing = get(u"/api/v1/agents/nobody/schema"_s);
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.detail(), u"Schema not found for agent: nobody"_s);
}

void tst_ApiServer::threadsListing()
{
    const HttpResult empty = get(u"/api/v1/threads"_s);
    QCOMPARE(empty.status, 200);
    QCOMPARE(keysOf(empty.object()), (QStringList{u"count"_s, u"limit"_s, u"offset"_s, u"threads"_s, u"total"_s}));
    QCOMPARE(empty.object().value(u"limit"_s).toInt(), 50);
    QCOMPARE(empty.object().value(u"offset"_s).toInt(), 0);
    verifyShape(empty, u"ThreadList"_s);

    const HttpResult invalid = get(u"/api/v1/threads?status=invalid"_s);
    QCOMPARE(invalid.status, 400);
    QCOMPARE(invalid.detail(), u"Invalid status: invalid. Valid values: ['active', 'completed', 'error', 'killed']"_s);
    for (const QString &limit : {u"0"_s, u"101"_s}) {
        const HttpResult bad = get(u"/api/v1/threads?limit="_s + limit);
        QCOMPARE(bad.status, 422);
        QCOMPARE(bad.detailList().first().toObject().value(u"loc"_s).toArray(), (QJsonArray{u"query"_s, u"limit"_s}));
        verifyShape(bad, u"HTTPValidationError"_s);
    }
    // An empty status is no filter.
    QCOMPARE(get(u"/api/v1/threads?status="_s).status, 200);
}

void tst_ApiServer::threadsFiltersOrderAndPaging()
{
    const QString first = m_fixture->injectAndWait(u"greeter"_s, greeting(u"A"_s));
    QTest::qWait(5); // millisecond timestamps: keep the two threads apart
    const QString second = m_fixture->injectAndWait(u"calculator"_s, {{u"expression"_s, u"1/0"_s}});
    QVERIFY(!first.isEmpty() && !second.isEmpty());

    const QJsonArray all = get(u"/api/v1/threads"_s).object().value(u"threads"_s).toArray();
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.at(0).toObject().value(u"id"_s).toString(), second); // most recent activity first

    const QJsonObject errors = get(u"/api/v1/threads?status=error"_s).object();
    QCOMPARE(errors.value(u"total"_s).toInt(), 1);
    const QJsonObject errorThread = errors.value(u"threads"_s).toArray().first().toObject();
    QCOMPARE(errorThread.value(u"id"_s).toString(), second);
    QVERIFY(!errorThread.value(u"error"_s).toString().isEmpty());
    QCOMPARE(get(u"/api/v1/threads?status=completed"_s).object().value(u"total"_s).toInt(), 1);
    QCOMPARE(get(u"/api/v1/threads?agent=shouter"_s).object().value(u"total"_s).toInt(), 1);
    QCOMPARE(get(u"/api/v1/threads?agent=nobody"_s).object().value(u"total"_s).toInt(), 0);

    const QJsonObject page = get(u"/api/v1/threads?limit=1&offset=1"_s).object();
    QCOMPARE(page.value(u"count"_s).toInt(), 1);
    QCOMPARE(page.value(u"total"_s).toInt(), 2);
    QCOMPARE(page.value(u"limit"_s).toInt(), 1);
    QCOMPARE(page.value(u"offset"_s).toInt(), 1);
    QCOMPARE(page.value(u"threads"_s).toArray().first().toObject().value(u"id"_s).toString(), first);
    const QJsonObject past = get(u"/api/v1/threads?offset=50"_s).object();
    QCOMPARE(past.value(u"count"_s).toInt(), 0);
    QCOMPARE(past.value(u"total"_s).toInt(), 2);
}

void tst_ApiServer::threadDetailAndMessages()
{
    const QString thread = m_fixture->injectAndWait(u"greeter"_s, greeting(u"Dan"_s));
    const HttpResult detail = get(u"/api/v1/threads/"_s + thread);
    QCOMPARE(detail.status, 200);
    QCOMPARE(detail.object().value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(detail.object().value(u"messageCount"_s).toInt(), 3);
    QVERIFY(detail.object().value(u"createdAt"_s).toString().endsWith(u'Z'));
    verifyShape(detail, u"ThreadInfo"_s);

    const HttpResult messages = get(u"/api/v1/threads/%1/messages?limit=2"_s.arg(thread));
    QCOMPARE(messages.status, 200);
    QCOMPARE(messages.object().value(u"total"_s).toInt(), 3);
    QCOMPARE(messages.object().value(u"count"_s).toInt(), 2);
    const QJsonArray items = messages.object().value(u"messages"_s).toArray();
    QCOMPARE(items.at(0).toObject().value(u"to"_s).toString(), u"response-handler"_s); // newest first
    verifyShape(messages, u"MessageList"_s);

    QCOMPARE(get(u"/api/v1/threads/nope"_s).detail(), u"Thread not found: nope"_s);
    const HttpResult missing = get(u"/api/v1/threads/nope/messages"_s);
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.detail(), u"Thread not found: nope"_s);
}

void tst_ApiServer::messagesListing()
{
    const HttpResult empty = get(u"/api/v1/messages"_s);
    QCOMPARE(empty.status, 200);
    QCOMPARE(keysOf(empty.object()), (QStringList{u"count"_s, u"limit"_s, u"messages"_s, u"offset"_s, u"total"_s}));

    const QString thread = m_fixture->injectAndWait(u"greeter"_s, greeting(u"Dan"_s));
    const QJsonObject all = get(u"/api/v1/messages"_s).object();
    QCOMPARE(all.value(u"total"_s).toInt(), 3);
    const QJsonArray messages = all.value(u"messages"_s).toArray();
    const QJsonObject oldest = messages.last().toObject();
    QCOMPARE(oldest.value(u"from"_s).toString(), u"api"_s);
    QCOMPARE(oldest.value(u"to"_s).toString(), u"greeter"_s);
    QCOMPARE(oldest.value(u"threadId"_s).toString(), thread);
    QCOMPARE(oldest.value(u"payloadType"_s).toString(), u"Greeting"_s);
    QCOMPARE(oldest.value(u"payload"_s).toObject(), (QJsonObject{{u"name"_s, u"Dan"_s}}));
    QCOMPARE(oldest.value(u"slotIndex"_s).toInt(), 1);
    QCOMPARE(messages.first().toObject().value(u"slotIndex"_s).toInt(), 3);
    // snake_case payload keys as declared
    QCOMPARE(messages.at(1).toObject().value(u"payload"_s).toObject().value(u"original_sender"_s).toString(), u"api"_s);

    const QJsonObject shouter = get(u"/api/v1/messages?agent=shouter"_s).object();
    QCOMPARE(shouter.value(u"total"_s).toInt(), 2); // from or to
    const QJsonObject page = get(u"/api/v1/messages?limit=1&offset=2"_s).object();
    QCOMPARE(page.value(u"messages"_s).toArray().first().toObject().value(u"slotIndex"_s).toInt(), 1);
}

void tst_ApiServer::messagesExtensionFilters()
{
    const QString one = m_fixture->injectAndWait(u"greeter"_s, greeting(u"A"_s));
    const QString two = m_fixture->injectAndWait(u"calculator"_s, {{u"expression"_s, u"1+1"_s}});
    QCOMPARE(get(u"/api/v1/messages?thread="_s + two).object().value(u"total"_s).toInt(), 2);
    QCOMPARE(get(u"/api/v1/messages?payloadType=Answer"_s).object().value(u"total"_s).toInt(), 1);
    // `after` is a keyset cursor: it narrows the page, `total` still counts every match.
    const QJsonObject after = get(u"/api/v1/messages?after=3"_s).object();
    QCOMPARE(after.value(u"count"_s).toInt(), 2);
    QCOMPARE(after.value(u"messages"_s).toArray().last().toObject().value(u"slotIndex"_s).toInt(), 4);
    QCOMPARE(get(u"/api/v1/messages?since=2000-01-01T00:00:00%2B00:00"_s).object().value(u"total"_s).toInt(), 5);
    QCOMPARE(get(u"/api/v1/messages?since=2999-01-01"_s).object().value(u"total"_s).toInt(), 0);
    QCOMPARE(get(u"/api/v1/messages?until=2000-01-01T00:00:00Z"_s).object().value(u"total"_s).toInt(), 0);
    QVERIFY(!one.isEmpty());
}

void tst_ApiServer::injectReachesTheTarget()
{
    const HttpResult result = post(u"/api/v1/inject"_s, R"({"to":"greeter","payload":{"name":"Dan"}})");
    QCOMPARE(result.status, 200);
    verifyShape(result, u"InjectResponse"_s);
    const QString thread = result.object().value(u"threadId"_s).toString();
    const QString message = result.object().value(u"messageId"_s).toString();
    QVERIFY(!thread.isEmpty() && !message.isEmpty());
    // Decision 4/5: it really reaches greeter, and every hop carries the same thread id.
    QTRY_COMPARE(get(u"/api/v1/threads/"_s + thread).object().value(u"status"_s).toString(), u"completed"_s);
    const QJsonArray hops = get(u"/api/v1/threads/%1/messages"_s.arg(thread)).object().value(u"messages"_s).toArray();
    QCOMPARE(hops.size(), 3);
    QCOMPARE(hops.last().toObject().value(u"id"_s).toString(), message);
    QCOMPARE(hops.first().toObject().value(u"payload"_s).toObject().value(u"message"_s).toString(), u"HELLO, DAN!"_s);
}

void tst_ApiServer::injectUsesGivenThreadIdEitherSpelling()
{
    const HttpResult camel = post(u"/api/v1/inject"_s,
                                  R"({"to":"greeter","payload":{"name":"a"},"threadId":"mine-1"})");
    QCOMPARE(camel.object().value(u"threadId"_s).toString(), u"mine-1"_s);
    const HttpResult snake = post(
        u"/api/v1/inject"_s, QString(uR"({"to":"greeter","payload":{"name":"b"},"thread_id":"日本-ü/1"})"_s).toUtf8());
    QCOMPARE(snake.status, 200);
    QCOMPARE(snake.object().value(u"threadId"_s).toString(), u"日本-ü/1"_s);
    QTRY_COMPARE(get(u"/api/v1/threads/"_s + encoded(u"日本-ü/1"_s)).status, 200);
}

void tst_ApiServer::injectIsAnsweredOnceCommittedWithoutStallingTheServer()
{
    // While another connection holds the history's write lock, nothing can be committed.
    auto lock = std::make_unique<test::HistoryWriteLock>(test::historyStoreOf(*m_fixture->organism())->databasePath());
    QVERIFY(lock->take());
    QNetworkAccessManager manager;
    QNetworkRequest request(m_client->url(u"/api/v1/inject"_s));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *reply = manager.post(request, QByteArray(R"({"to":"greeter","payload":{"name":"Eve"}})"));
    // The server goes on answering others meanwhile; the inject is not acknowledged yet.
    for (int i = 0; i < 5; ++i)
        QCOMPARE(get(u"/api/v1/organism"_s).status, 200);
    QVERIFY(!reply->isFinished());
    QVERIFY(lock->release());
    lock.reset();
    QTRY_VERIFY(reply->isFinished());
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const QString messageId = QJsonDocument::fromJson(reply->readAll()).object().value(u"messageId"_s).toString();
    reply->deleteLater();
    // Acknowledged means committed: the store has it without waiting for anything.
    QVERIFY(test::historyStoreOf(*m_fixture->organism())->message(messageId).has_value());
}

void tst_ApiServer::injectErrors()
{
    const HttpResult unknown = post(u"/api/v1/inject"_s, R"({"to":"nonexistent","payload":{"name":"x"}})");
    QCOMPARE(unknown.status, 400);
    QCOMPARE(unknown.detail(), u"Unknown target agent: nonexistent"_s);

    const HttpResult invalid = post(u"/api/v1/inject"_s, R"({"to":"greeter","payload":{}})");
    QCOMPARE(invalid.status, 422);
    const QJsonObject entry = invalid.detailList().first().toObject();
    QCOMPARE(entry.value(u"loc"_s).toArray(), (QJsonArray{u"body"_s, u"payload"_s, u"name"_s}));
    QCOMPARE(entry.value(u"type"_s).toString(), u"value_error"_s);
    verifyShape(invalid, u"HTTPValidationError"_s);

    const HttpResult wrongType = post(u"/api/v1/inject"_s,
                                      R"({"to":"orders","payload":{"id":"seven","price":1,"urgent":true}})");
    QCOMPARE(wrongType.status, 422);
    QCOMPARE(wrongType.detailList().first().toObject().value(u"loc"_s).toArray(),
             (QJsonArray{u"body"_s, u"payload"_s, u"id"_s}));
    QCOMPARE(wrongType.detailList().first().toObject().value(u"input"_s).toString(), u"seven"_s);

    const HttpResult numericTo = post(u"/api/v1/inject"_s, R"({"to":5,"payload":{}})");
    QCOMPARE(numericTo.status, 422);
    QCOMPARE(numericTo.detailList().first().toObject().value(u"type"_s).toString(), u"string_type"_s);
    QCOMPARE(m_fixture->organism()->info().totalMessages, 0);
}

void tst_ApiServer::injectCoercesTypedFields()
{
    const HttpResult result = post(
        u"/api/v1/inject"_s, R"({"to":"orders","payload":{"id":7,"price":18.5,"urgent":false,"tags":["a","b"]}})");
    QCOMPARE(result.status, 200);
    const QString thread = result.object().value(u"threadId"_s).toString();
    QTRY_COMPARE(get(u"/api/v1/threads/"_s + thread).object().value(u"status"_s).toString(), u"completed"_s);
    const QJsonObject payload = get(u"/api/v1/messages?thread="_s + thread)
                                    .object()
                                    .value(u"messages"_s)
                                    .toArray()
                                    .first()
                                    .toObject()
                                    .value(u"payload"_s)
                                    .toObject();
    QCOMPARE(payload.value(u"id"_s).toInt(), 7);
    QCOMPARE(payload.value(u"price"_s).toDouble(), 18.5);
    QCOMPARE(payload.value(u"urgent"_s).toBool(true), false);
}

void tst_ApiServer::pauseAndResume()
{
    const HttpResult paused = post(u"/api/v1/agents/shouter/pause"_s);
    QCOMPARE(paused.status, 200);
    QCOMPARE(paused.body, QByteArray(R"({"success":true,"agent":"shouter","state":"paused"})"));
    verifyShape(paused, u"AgentCommandResult"_s);
    QCOMPARE(get(u"/api/v1/agents/shouter"_s).object().value(u"state"_s).toString(), u"paused"_s);

    // Decision 4: pause really holds the queue.
    const QString thread = post(u"/api/v1/inject"_s, R"({"to":"greeter","payload":{"name":"Eve"}})")
                               .object()
                               .value(u"threadId"_s)
                               .toString();
    QTRY_COMPARE(get(u"/api/v1/agents/shouter"_s).object().value(u"queueDepth"_s).toInt(), 1);
    QCOMPARE(get(u"/api/v1/threads/"_s + thread).object().value(u"status"_s).toString(), u"active"_s);

    const HttpResult resumed = post(u"/api/v1/agents/shouter/resume"_s);
    QCOMPARE(resumed.body, QByteArray(R"({"success":true,"agent":"shouter","state":"idle"})"));
    QTRY_COMPARE(get(u"/api/v1/threads/"_s + thread).object().value(u"status"_s).toString(), u"completed"_s);

    QCOMPARE(post(u"/api/v1/agents/nobody/pause"_s).detail(), u"Agent not found: nobody"_s);
    QCOMPARE(post(u"/api/v1/agents/nobody/resume"_s).status, 404);
}

void tst_ApiServer::readsFollowChangesMadeOutsideTheApi()
{
    // Fill the read cache, then change the organism directly (as the window does).
    QCOMPARE(get(u"/api/v1/agents/shouter"_s).object().value(u"state"_s).toString(), u"idle"_s);
    QCOMPARE(get(u"/api/v1/messages"_s).object().value(u"total"_s).toInt(), 0);
    QVERIFY(m_fixture->organism()->pauseAgent(u"shouter"_s));
    QTRY_COMPARE(get(u"/api/v1/agents/shouter"_s).object().value(u"state"_s).toString(), u"paused"_s);
    m_fixture->organism()->resumeAgent(u"shouter"_s);
    m_fixture->injectAndWait(u"greeter"_s, greeting(u"Dan"_s));
    QCOMPARE(get(u"/api/v1/messages"_s).object().value(u"total"_s).toInt(), 3);
    QCOMPARE(get(u"/api/v1/agents/shouter"_s).object().value(u"state"_s).toString(), u"idle"_s);
}

void tst_ApiServer::killThread()
{
    post(u"/api/v1/agents/shouter/pause"_s);
    const QString thread = post(u"/api/v1/inject"_s, R"({"to":"greeter","payload":{"name":"Mal"}})")
                               .object()
                               .value(u"threadId"_s)
                               .toString();
    QTRY_COMPARE(get(u"/api/v1/agents/shouter"_s).object().value(u"queueDepth"_s).toInt(), 1);
    const HttpResult killed = post(u"/api/v1/threads/%1/kill"_s.arg(thread));
    QCOMPARE(killed.status, 200);
    QCOMPARE(killed.object(), (QJsonObject{{u"success"_s, true}, {u"threadId"_s, thread}}));
    verifyShape(killed, u"KillResult"_s);
    QCOMPARE(get(u"/api/v1/threads/"_s + thread).object().value(u"status"_s).toString(), u"killed"_s);
    QCOMPARE(get(u"/api/v1/agents/shouter"_s).object().value(u"queueDepth"_s).toInt(), 0);
    QCOMPARE(post(u"/api/v1/threads/nope/kill"_s).detail(), u"Thread not found: nope"_s);
}

void tst_ApiServer::capabilities()
{
    const HttpResult list = get(u"/api/v1/capabilities"_s);
    QCOMPARE(list.status, 200);
    QCOMPARE(list.object().value(u"count"_s).toInt(), 9);
    QStringList names;
    const QJsonArray items = list.object().value(u"capabilities"_s).toArray();
    for (const QJsonValue &item : items)
        names.append(item.toObject().value(u"name"_s).toString());
    QStringList sorted = names;
    sorted.sort();
    QCOMPARE(names, sorted);
    verifyShape(list, u"CapabilityList"_s);

    const HttpResult greeter = get(u"/api/v1/capabilities/greeter"_s);
    QCOMPARE(greeter.object().value(u"peers"_s).toArray(), QJsonArray{u"shouter"_s});
    QCOMPARE(greeter.object().value(u"rootTag"_s).toString(), u"greeter.greeting"_s);
    QCOMPARE(greeter.object().value(u"payloadClass"_s).toString(), u"handlers.hello.Greeting"_s);
    const QString example = greeter.object().value(u"exampleXml"_s).toString();
    QVERIFY2(example.contains(u"<Name>"_s), qPrintable(example)); // decision 7: PascalCase
    QVERIFY(greeter.object().value(u"schemaXsd"_s).toString().contains(u"xs:schema"_s));
    verifyShape(greeter, u"CapabilityDetail"_s);

    QCOMPARE(get(u"/api/v1/capabilities/response-handler"_s).object().value(u"peers"_s).toArray(), QJsonArray());
    const QJsonObject planner = get(u"/api/v1/capabilities/planner"_s).object();
    QCOMPARE(planner.value(u"isAgent"_s).toBool(false), true);
    QCOMPARE(planner.value(u"peers"_s).toArray(), QJsonArray{u"greeter"_s});
    const HttpResult missing = get(u"/api/v1/capabilities/nope"_s);
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.detail(), u"Capability not found: nope"_s);
}

void tst_ApiServer::reload()
{
    QByteArray yaml = ApiFixture::defaultYaml();
    yaml += "  - name: archive\n    description: Keeps greetings\n    payload_class: ShoutedResponse\n"
            "    handler: builtin:sink\n    broadcast: true\n";
    yaml.replace("description: Shouting handler", "description: Shouts louder");
    m_fixture->writeConfig(yaml);
    const HttpResult result = post(u"/api/v1/organism/reload"_s);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.object().value(u"success"_s).toBool(), true);
    QCOMPARE(result.object().value(u"added"_s).toArray(), QJsonArray{u"archive"_s});
    QCOMPARE(result.object().value(u"updated"_s).toArray(), QJsonArray{u"shouter"_s});
    QVERIFY(result.object().value(u"error"_s).isNull());
    verifyShape(result, u"ReloadResult"_s);
    QCOMPARE(get(u"/api/v1/agents/archive"_s).status, 200);
    QCOMPARE(get(u"/api/v1/agents/shouter"_s).object().value(u"description"_s).toString(), u"Shouts louder"_s);
}

void tst_ApiServer::reloadFailureIs500()
{
    m_fixture->writeConfig("organism: [this is not: valid");
    const HttpResult result = post(u"/api/v1/organism/reload"_s);
    QCOMPARE(result.status, 500);
    QVERIFY(!result.detail().isEmpty());
    // Nothing half-applied: the organism still serves its old listeners.
    QCOMPARE(get(u"/api/v1/agents"_s).object().value(u"count"_s).toInt(), 9);
}

void tst_ApiServer::reloadReportsWarnings()
{
    QByteArray yaml = ApiFixture::defaultYaml();
    yaml += "  - name: archive\n    description: Keeps greetings\n    payload_class: ShoutedResponse\n"
            "    handler: builtin:sink\n    broadcast: true\n    peer: [greeter]\n";
    m_fixture->writeConfig(yaml);
    const HttpResult result = post(u"/api/v1/organism/reload"_s);
    QCOMPARE(result.status, 200);
    verifyShape(result, u"ReloadResult"_s);
    const QJsonArray warnings = result.object().value(u"warnings"_s).toArray();
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().toString().endsWith(u"listeners[9].peer: unknown key, ignored; did you mean `peers`?"_s),
             qPrintable(warnings.first().toString()));
}

void tst_ApiServer::reloadRefusesAMissingScript()
{
    QByteArray yaml = ApiFixture::defaultYaml();
    yaml += "  - name: router\n    description: Routes\n    payload_class: ShoutedResponse\n    broadcast: true\n"
            "    handler: {exec: [python3, handlers/route.py]}\n    peer: [greeter]\n";
    m_fixture->writeConfig(yaml);
    const HttpResult result = post(u"/api/v1/organism/reload"_s);
    QCOMPARE(result.status, 500);
    QVERIFY2(result.detail().contains(u"listeners[9].handler.exec[1]: script `handlers/route.py` not found"_s),
             qPrintable(result.detail()));
    QCOMPARE(result.object().value(u"warnings"_s).toArray().size(), 1); // the warnings come with the refusal
    QCOMPARE(get(u"/api/v1/agents"_s).object().value(u"count"_s).toInt(), 9);
}

void tst_ApiServer::retryAThreadInError()
{
    // `2 +` is no expression: the calculator fails, the thread ends in error.
    const HttpResult injected = post(u"/api/v1/inject"_s, R"({"to":"calculator","payload":{"expression":"2 +"}})");
    QCOMPARE(injected.status, 200);
    const QString thread = injected.object().value(u"threadId"_s).toString();
    QTRY_COMPARE(get(u"/api/v1/threads/"_s + thread).object().value(u"status"_s).toString(), u"error"_s);

    const HttpResult retried = post(u"/api/v1/threads/%1/retry"_s.arg(thread));
    QCOMPARE(retried.status, 200);
    verifyShape(retried, u"RetryResult"_s);
    QCOMPARE(retried.object().value(u"threadId"_s).toString(), thread);
    QCOMPARE(retried.object().value(u"deliveries"_s).toInt(), 1);
    // The calculator fails again (it is deterministic): the thread is back in error, with its message kept.
    QTRY_COMPARE(get(u"/api/v1/threads/"_s + thread).object().value(u"status"_s).toString(), u"error"_s);
    QCOMPARE(post(u"/api/v1/threads/%1/retry"_s.arg(thread)).status, 200);

    const HttpResult unknown = post(u"/api/v1/threads/nope/retry"_s);
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.detail(), u"Thread not found: nope"_s);
    const QString completed = m_fixture->injectAndWait(u"greeter"_s, greeting(u"x"_s));
    const HttpResult notInError = post(u"/api/v1/threads/%1/retry"_s.arg(completed));
    QCOMPARE(notInError.status, 409);
    QCOMPARE(
        notInError.detail(),
        u"Cannot retry the thread: thread %1 is completed: only a thread in error can be retried"_s.arg(completed));
}

void tst_ApiServer::stopEndsStopped()
{
    const HttpResult result = post(u"/api/v1/organism/stop"_s);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.body, QByteArray(R"({"success":true,"status":"stopping"})"));
    QTRY_COMPARE(get(u"/api/v1/organism"_s).object().value(u"status"_s).toString(), u"stopped"_s);
    const HttpResult late = post(u"/api/v1/inject"_s, R"({"to":"greeter","payload":{"name":"late"}})");
    QCOMPARE(late.status, 409);
    QVERIFY(!late.detail().isEmpty());
}

void tst_ApiServer::authOnTheSevenPosts()
{
    qputenv(kKeyEnv, kKey);
    OrganismConfig config;
    config.auth.apiKeyEnv = QString::fromLatin1(kKeyEnv);
    startFixture(ApiServerOptions::fromConfig(config));
    const QString thread = m_fixture->injectAndWait(u"greeter"_s, greeting(u"x"_s));

    // The seven POSTs of spec §10.1 (six here: /usage/reset comes with the usage endpoints).
    const QStringList posts{
        u"/api/v1/threads/%1/kill"_s.arg(thread), u"/api/v1/inject"_s,          u"/api/v1/agents/greeter/pause"_s,
        u"/api/v1/agents/greeter/resume"_s,       u"/api/v1/organism/reload"_s, u"/api/v1/organism/stop"_s,
        u"/api/v1/threads/%1/retry"_s.arg(thread)}; // and agentdesk's retry
    for (const QString &path : posts) {
        const HttpResult none = post(path, R"({"to":"greeter","payload":{"name":"a"}})");
        QCOMPARE(none.status, 401);
        QCOMPARE(none.detail(), u"Authentication required"_s);
        QCOMPARE(none.header("WWW-Authenticate"), QByteArray("Bearer"));
    }
    const HttpResult wrong = post(u"/api/v1/inject"_s, R"({"to":"greeter","payload":{"name":"a"}})",
                                  {{"Authorization", "Bearer wrong-key"}});
    QCOMPARE(wrong.status, 403);
    QCOMPARE(wrong.detail(), u"Invalid API key"_s);
    const Headers key{{"Authorization", "Bearer " + kKey}};
    QCOMPARE(post(u"/api/v1/inject"_s, R"({"to":"greeter","payload":{"name":"a"}})", key).status, 200);
    QCOMPARE(post(u"/api/v1/agents/greeter/pause"_s, {}, key).status, 200);
    for (const QString &path : {u"/api/v1/organism"_s, u"/api/v1/agents"_s, u"/health"_s})
        QCOMPARE(get(path).status, 200);
    QCOMPARE(post(u"/api/v1/organism/stop"_s, {}, key).status, 200);

    // The OpenAPI document marks exactly the protected operations.
    const QJsonObject paths =
        QJsonDocument::fromJson(get(u"/openapi.json"_s).body).object().value(u"paths"_s).toObject();
    QVERIFY(paths.value(u"/api/v1/inject"_s).toObject().value(u"post"_s).toObject().contains(u"security"_s));
    QVERIFY(!paths.value(u"/api/v1/agents"_s).toObject().value(u"get"_s).toObject().contains(u"security"_s));
}

void tst_ApiServer::crossSiteRequestsCannotAct()
{
    const QString thread = m_fixture->injectAndWait(u"greeter"_s, greeting(u"x"_s));
    const qint64 messages = m_fixture->organism()->info().totalMessages;
    // What a web page on another site can make the operator's browser send, to every route that
    // changes anything: a form or text/plain post (no preflight), a fetch with its Origin, and one
    // whose Origin is stripped but whose Sec-Fetch-Site is not.
    const QList<Headers> attacks{
        {{"Content-Type", "text/plain"}},
        {{"Content-Type", "application/x-www-form-urlencoded"}},
        {{"Content-Type", "application/json"}, {"Origin", "https://evil.example"}},
        {{"Content-Type", "application/json"}, {"Sec-Fetch-Site", "cross-site"}},
    };
    int refused = 0;
    for (const Route &route : m_fixture->api()->routes().routes()) {
        if (route.method == HttpMethod::Get)
            continue;
        QString path = route.path;
        path.replace(u"{name}"_s, u"greeter"_s).replace(u"{thread_id}"_s, thread);
        for (const Headers &headers : attacks) {
            const HttpResult result = m_client->send(methodName(route.method).toLatin1(), path,
                                                     R"({"to":"greeter","payload":{"name":"a"},"maxTokens":5})",
                                                     headers);
            QVERIFY2(result.status == 403,
                     qPrintable(u"%1 %2: %3"_s.arg(methodName(route.method), path).arg(result.status)));
            QVERIFY(!result.detail().isEmpty());
            ++refused;
        }
    }
    QVERIFY(refused >= 4 * 8); // inject, kill, pause, resume, reload, stop, usage reset, budget
    // Nothing happened: no message, the agent is not paused, the organism still runs.
    QCOMPARE(m_fixture->organism()->info().totalMessages, messages);
    QCOMPARE(get(u"/api/v1/agents/greeter"_s).object().value(u"state"_s).toString(), u"idle"_s);
    QCOMPARE(get(u"/api/v1/organism"_s).object().value(u"status"_s).toString(), u"running"_s);
    // The same requests as a client without a browser sends them work.
    QCOMPARE(post(u"/api/v1/agents/greeter/pause"_s).status, 200);
    QCOMPARE(post(u"/api/v1/inject"_s, R"({"to":"greeter","payload":{"name":"b"}})").status, 200);
}

void tst_ApiServer::protectReads()
{
    qputenv(kKeyEnv, kKey);
    OrganismConfig config;
    config.auth.apiKeyEnv = QString::fromLatin1(kKeyEnv);
    config.auth.protectReads = true;
    startFixture(ApiServerOptions::fromConfig(config));
    QCOMPARE(get(u"/api/v1/organism"_s).status, 401);
    QCOMPARE(get(u"/api/v1/organism"_s, {{"Authorization", "Bearer " + kKey}}).status, 200);
    QCOMPARE(get(u"/health"_s).status, 200);
    QCOMPARE(get(u"/docs"_s).status, 200);
}

void tst_ApiServer::responsesMatchTheOpenApiSchemas()
{
    // Every GET route with its documented schema, after some traffic, so lists are not empty.
    const QString thread = m_fixture->injectAndWait(u"greeter"_s, greeting(u"Dan"_s));
    m_fixture->injectAndWait(u"calculator"_s, {{u"expression"_s, u"1/0"_s}});
    const RouteTable &routes = m_fixture->api()->routes();
    int checked = 0;
    for (const Route &route : routes.routes()) {
        if (route.method != HttpMethod::Get || route.responseSchema.isEmpty()
            || route.path.startsWith(u"/api/v1/usage"_s) || route.path.startsWith(u"/api/v1/llm"_s))
            continue; // the usage and LLM routes are checked by their own tests (tst_usageroutes, tst_llmroutes)
        QString path = route.path;
        path.replace(u"{name}"_s, u"greeter"_s).replace(u"{thread_id}"_s, thread);
        const HttpResult result = get(path);
        QVERIFY2(result.status == 200, qPrintable(path));
        verifyShape(result, route.responseSchema);
        ++checked;
    }
    QCOMPARE(checked, 15); // with /api/v1/history/organisms
}

void tst_ApiServer::openApiAndDocsAreServed()
{
    const HttpResult openApi = get(u"/openapi.json"_s);
    QCOMPARE(openApi.status, 200);
    const QJsonObject document = QJsonDocument::fromJson(openApi.body).object();
    QCOMPARE(document.value(u"openapi"_s).toString(), u"3.1.0"_s);
    const QJsonObject paths = document.value(u"paths"_s).toObject();
    for (const Route &route : m_fixture->api()->routes().routes())
        QVERIFY2(paths.value(route.path).toObject().contains(methodName(route.method).toLower()),
                 qPrintable(route.path));

    const HttpResult docs = get(u"/docs"_s);
    QCOMPARE(docs.status, 200);
    QCOMPARE(docs.header("Content-Type"), QByteArray("text/html; charset=utf-8"));
    QVERIFY(docs.body.contains("/api/v1/threads/{thread_id}/messages"));
    QVERIFY(docs.body.contains("/ws/messages"));
    QVERIFY(!docs.body.contains("<script")); // self-contained, nothing fetched
}

void tst_ApiServer::badInput_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("expect"); // detail text, or the 422 type of the first entry

    // /health, /organism, /organism/config, /capabilities: wrong methods
    QTest::newRow("POST /health") << QByteArray("POST") << u"/health"_s << QByteArray() << 405
                                  << u"Method Not Allowed"_s;
    QTest::newRow("PUT /organism") << QByteArray("PUT") << u"/api/v1/organism"_s << QByteArray("{}") << 405
                                   << u"Method Not Allowed"_s;
    QTest::newRow("DELETE /organism/config")
        << QByteArray("DELETE") << u"/api/v1/organism/config"_s << QByteArray() << 405 << u"Method Not Allowed"_s;
    QTest::newRow("POST /capabilities") << QByteArray("POST") << u"/api/v1/capabilities"_s << QByteArray("x") << 405
                                        << u"Method Not Allowed"_s;
    QTest::newRow("GET /organism/reload")
        << QByteArray("GET") << u"/api/v1/organism/reload"_s << QByteArray() << 405 << u"Method Not Allowed"_s;
    QTest::newRow("GET /organism/stop") << QByteArray("GET") << u"/api/v1/organism/stop"_s << QByteArray() << 405
                                        << u"Method Not Allowed"_s;
    QTest::newRow("GET /inject") << QByteArray("GET") << u"/api/v1/inject"_s << QByteArray() << 405
                                 << u"Method Not Allowed"_s;
    QTest::newRow("GET kill") << QByteArray("GET") << u"/api/v1/threads/t/kill"_s << QByteArray() << 405
                              << u"Method Not Allowed"_s;
    QTest::newRow("unknown route") << QByteArray("GET") << u"/api/v1/nothing"_s << QByteArray() << 404
                                   << u"Not Found"_s;
    QTest::newRow("case of path") << QByteArray("GET") << u"/api/v1/Organism"_s << QByteArray() << 404
                                  << u"Not Found"_s;
    // names: unicode, encoded slashes, long
    QTest::newRow("unicode capability") << QByteArray("GET") << u"/api/v1/capabilities/"_s + encoded(u"日本"_s)
                                        << QByteArray() << 404 << u"Capability not found: 日本"_s;
    QTest::newRow("unicode agent") << QByteArray("GET") << u"/api/v1/agents/"_s + encoded(u"✓ü"_s) << QByteArray()
                                   << 404 << u"Agent not found: ✓ü"_s;
    QTest::newRow("agent config") << QByteArray("GET") << u"/api/v1/agents/%00x/config"_s << QByteArray() << 404
                                  << QString(u"Agent not found: "_s + QChar(0) + u"x"_s);
    QTest::newRow("agent schema") << QByteArray("GET") << u"/api/v1/agents/a%2Fb/schema"_s << QByteArray() << 404
                                  << u"Schema not found for agent: a/b"_s;
    QTest::newRow("thread slash") << QByteArray("GET") << u"/api/v1/threads/a%2Fb"_s << QByteArray() << 404
                                  << u"Thread not found: a/b"_s;
    QTest::newRow("long thread id") << QByteArray("GET") << u"/api/v1/threads/"_s + QString(4000, u'x') << QByteArray()
                                    << 422 << u"string_too_long"_s;
    QTest::newRow("thread id at the bound")
        << QByteArray("GET") << u"/api/v1/threads/"_s + QString(128, u'x') << QByteArray() << 404
        << QString(u"Thread not found: "_s + QString(128, u'x'));
    // every client string is bounded (issue 10 item 6): one row each, 422 with the pydantic type
    const QString long129 = QString(129, u'x');
    QTest::newRow("thread id with a control character")
        << QByteArray("GET") << u"/api/v1/threads/a%01b"_s << QByteArray() << 422 << u"string_pattern_mismatch"_s;
    QTest::newRow("long thread id, messages") << QByteArray("GET") << u"/api/v1/threads/"_s + long129 + u"/messages"_s
                                              << QByteArray() << 422 << u"string_too_long"_s;
    QTest::newRow("long thread id, kill") << QByteArray("POST") << u"/api/v1/threads/"_s + long129 + u"/kill"_s
                                          << QByteArray() << 422 << u"string_too_long"_s;
    QTest::newRow("long agent name") << QByteArray("GET") << u"/api/v1/agents/"_s + long129 << QByteArray() << 422
                                     << u"string_too_long"_s;
    QTest::newRow("long agent name, pause") << QByteArray("POST") << u"/api/v1/agents/"_s + long129 + u"/pause"_s
                                            << QByteArray() << 422 << u"string_too_long"_s;
    QTest::newRow("long capability name")
        << QByteArray("GET") << u"/api/v1/capabilities/"_s + long129 << QByteArray() << 422 << u"string_too_long"_s;
    QTest::newRow("agent name at the bound")
        << QByteArray("GET") << u"/api/v1/agents/"_s + QString(128, u'x') << QByteArray() << 404
        << QString(u"Agent not found: "_s + QString(128, u'x'));
    QTest::newRow("long messages agent filter")
        << QByteArray("GET") << u"/api/v1/messages?agent="_s + long129 << QByteArray() << 422 << u"string_too_long"_s;
    QTest::newRow("long messages thread filter")
        << QByteArray("GET") << u"/api/v1/messages?thread="_s + long129 << QByteArray() << 422 << u"string_too_long"_s;
    QTest::newRow("long payload type filter") << QByteArray("GET") << u"/api/v1/messages?payloadType="_s + long129
                                              << QByteArray() << 422 << u"string_too_long"_s;
    QTest::newRow("long threads agent filter")
        << QByteArray("GET") << u"/api/v1/threads?agent="_s + long129 << QByteArray() << 422 << u"string_too_long"_s;
    QTest::newRow("long threads status") << QByteArray("GET") << u"/api/v1/threads?status="_s + long129 << QByteArray()
                                         << 422 << u"string_too_long"_s;
    QTest::newRow("inject long threadId")
        << QByteArray("POST") << u"/api/v1/inject"_s
        << QByteArray(R"({"to":"greeter","payload":{"name":"x"},"threadId":")" + QByteArray(129, 't') + R"("})") << 422
        << u"string_too_long"_s;
    QTest::newRow("inject 500 KB threadId")
        << QByteArray("POST") << u"/api/v1/inject"_s
        << QByteArray(R"({"to":"greeter","payload":{"name":"x"},"threadId":")" + QByteArray(500 * 1000, 't') + R"("})")
        << 422 << u"string_too_long"_s;
    QTest::newRow("inject thread_id with a space")
        << QByteArray("POST") << u"/api/v1/inject"_s
        << QByteArray(R"({"to":"greeter","payload":{"name":"x"},"thread_id":"a b"})") << 422
        << u"string_pattern_mismatch"_s;
    QTest::newRow("inject threadId with a newline")
        << QByteArray("POST") << u"/api/v1/inject"_s
        << QByteArray(R"({"to":"greeter","payload":{"name":"x"},"threadId":"a\nb"})") << 422
        << u"string_pattern_mismatch"_s;
    QTest::newRow("inject threadId at the bound")
        << QByteArray("POST") << u"/api/v1/inject"_s
        << QString(uR"({"to":"greeter","payload":{"name":"x"},"threadId":"%1"})"_s.arg(QString(126, u'日') + u"-1"_s))
               .toUtf8()
        << 200 << QString();
    QTest::newRow("inject long target") << QByteArray("POST") << u"/api/v1/inject"_s
                                        << QByteArray(R"({"to":")" + QByteArray(129, 'g')
                                                      + R"(","payload":{"name":"x"}})")
                                        << 422 << u"string_too_long"_s;
    // paging of every paged endpoint
    const QStringList paged{u"/api/v1/threads"_s, u"/api/v1/messages"_s, u"/api/v1/threads/none/messages"_s};
    for (const QString &path : paged) {
        const QByteArray tag = path.toUtf8();
        QTest::newRow(QByteArray(tag + " limit=abc").constData())
            << QByteArray("GET") << path + u"?limit=abc"_s << QByteArray() << 422 << u"int_parsing"_s;
        QTest::newRow(QByteArray(tag + " limit=-5").constData())
            << QByteArray("GET") << path + u"?limit=-5"_s << QByteArray() << 422 << u"greater_than_equal"_s;
        QTest::newRow(QByteArray(tag + " limit huge").constData())
            << QByteArray("GET") << path + u"?limit=99999999999999999999999"_s << QByteArray() << 422
            << u"less_than_equal"_s;
        QTest::newRow(QByteArray(tag + " offset=-1").constData())
            << QByteArray("GET") << path + u"?offset=-1"_s << QByteArray() << 422 << u"greater_than_equal"_s;
        QTest::newRow(QByteArray(tag + " offset=1.5").constData())
            << QByteArray("GET") << path + u"?offset=1.5"_s << QByteArray() << 422 << u"int_parsing"_s;
    }
    QTest::newRow("threads offset huge") << QByteArray("GET") << u"/api/v1/threads?offset=99999999999999999999999"_s
                                         << QByteArray() << 200 << QString();
    QTest::newRow("messages offset huge")
        << QByteArray("GET") << u"/api/v1/messages?offset=9223372036854775807"_s << QByteArray() << 200 << QString();
    QTest::newRow("status case")
        << QByteArray("GET") << u"/api/v1/threads?status=ACTIVE"_s << QByteArray() << 400
        << u"Invalid status: ACTIVE. Valid values: ['active', 'completed', 'error', 'killed']"_s;
    QTest::newRow("since garbage") << QByteArray("GET") << u"/api/v1/messages?since=last-tuesday"_s << QByteArray()
                                   << 422 << u"datetime_parsing"_s;
    QTest::newRow("after negative") << QByteArray("GET") << u"/api/v1/messages?after=-1"_s << QByteArray() << 422
                                    << u"greater_than_equal"_s;
    QTest::newRow("unicode agent filter")
        << QByteArray("GET") << u"/api/v1/messages?agent="_s + encoded(u"ü✓"_s) << QByteArray() << 200 << QString();
    // inject bodies
    QTest::newRow("inject empty") << QByteArray("POST") << u"/api/v1/inject"_s << QByteArray() << 422 << u"missing"_s;
    QTest::newRow("inject malformed") << QByteArray("POST") << u"/api/v1/inject"_s
                                      << QByteArray("{\"to\": \"greeter\",") << 422 << u"json_invalid"_s;
    QTest::newRow("inject not json") << QByteArray("POST") << u"/api/v1/inject"_s << QByteArray("to=greeter") << 422
                                     << u"json_invalid"_s;
    QTest::newRow("inject array") << QByteArray("POST") << u"/api/v1/inject"_s << QByteArray("[]") << 422
                                  << u"model_attributes_type"_s;
    QTest::newRow("inject number") << QByteArray("POST") << u"/api/v1/inject"_s << QByteArray("1e999") << 422
                                   << u"json_invalid"_s;
    QTest::newRow("inject to object") << QByteArray("POST") << u"/api/v1/inject"_s
                                      << QByteArray(R"({"to":{"a":1},"payload":{}})") << 422 << u"string_type"_s;
    QTest::newRow("inject payload list") << QByteArray("POST") << u"/api/v1/inject"_s
                                         << QByteArray(R"({"to":"greeter","payload":["Dan"]})") << 422
                                         << u"dict_type"_s;
    QTest::newRow("inject missing payload")
        << QByteArray("POST") << u"/api/v1/inject"_s << QByteArray(R"({"to":"greeter"})") << 422 << u"missing"_s;
    QTest::newRow("inject unicode target")
        << QByteArray("POST") << u"/api/v1/inject"_s << QString(uR"({"to":"grüßer","payload":{"name":"x"}})"_s).toUtf8()
        << 400 << u"Unknown target agent: grüßer"_s;
    QTest::newRow("inject unknown field")
        << QByteArray("POST") << u"/api/v1/inject"_s
        << QByteArray(R"({"to":"greeter","payload":{"name":"x","bogus":1}})") << 422 << u"value_error"_s;
    QTest::newRow("inject huge integer") << QByteArray("POST") << u"/api/v1/inject"_s
                                         << QByteArray(
                                                R"({"to":"orders","payload":{"id":1e300,"price":1,"urgent":true}})")
                                         << 422 << u"value_error"_s;
    QTest::newRow("inject deep nesting") << QByteArray("POST") << u"/api/v1/inject"_s
                                         << QByteArray(QByteArray(2000, '[') + QByteArray(2000, ']')) << 422
                                         << QString();
    QTest::newRow("inject 2 MiB") << QByteArray("POST") << u"/api/v1/inject"_s
                                  << QByteArray(R"({"to":"greeter","payload":{"name":")" + QByteArray(2 << 20, 'a')
                                                + R"("}})")
                                  << 413 << QString();
    QTest::newRow("inject just under 1 MiB")
        << QByteArray("POST") << u"/api/v1/inject"_s
        << QByteArray(R"({"to":"greeter","payload":{"name":")" + QByteArray((1 << 20) - 100, 'a') + R"("}})") << 200
        << QString();
    // commands on unknown targets; bodies on body-less POSTs are ignored
    QTest::newRow("pause unknown") << QByteArray("POST") << u"/api/v1/agents/"_s + encoded(u"ghost ü"_s) + u"/pause"_s
                                   << QByteArray() << 404 << u"Agent not found: ghost ü"_s;
    QTest::newRow("resume unknown") << QByteArray("POST") << u"/api/v1/agents/ghost/resume"_s << QByteArray() << 404
                                    << u"Agent not found: ghost"_s;
    QTest::newRow("kill unknown") << QByteArray("POST") << u"/api/v1/threads/ghost/kill"_s << QByteArray() << 404
                                  << u"Thread not found: ghost"_s;
    QTest::newRow("pause with junk body") << QByteArray("POST") << u"/api/v1/agents/answers/pause"_s
                                          << QByteArray("\x01\x02 not json") << 200 << QString();
}

void tst_ApiServer::badInput()
{
    QFETCH(QByteArray, verb);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, expect);
    const HttpResult result = m_client->send(verb, path, body);
    QCOMPARE(result.status, status);
    QVERIFY2(result.header("Content-Type").startsWith("application/json"), result.header("Content-Type").constData());
    const QJsonObject object = result.object();
    QVERIFY2(!object.isEmpty(), result.body.left(200).constData());
    if (!expect.isEmpty()) {
        if (status == 422)
            QCOMPARE(result.detailList().first().toObject().value(u"type"_s).toString(), expect);
        else
            QCOMPARE(result.detail(), expect);
    }
    if (status == 422)
        verifyShape(result, u"HTTPValidationError"_s);
    else if (status >= 400)
        verifyShape(result, u"HTTPError"_s);
    // Nothing lost or crashed: the server still answers, and bad input recorded nothing.
    QCOMPARE(get(u"/health"_s).status, 200);
    if (status != 200)
        QCOMPARE(m_fixture->organism()->info().totalMessages, 0);
}

void tst_ApiServer::refusesNonLoopbackWithoutKey()
{
    ApiServerOptions options;
    options.address = QHostAddress::AnyIPv4;
    ApiServer server(m_fixture->organism(), options);
    QString error;
    QVERIFY(!server.start(&error));
    QVERIFY2(error.contains(u"0.0.0.0"_s) && error.contains(u"auth.api_key_env"_s), qPrintable(error));
    QCOMPARE(server.port(), quint16(0));
}

void tst_ApiServer::refusesNonLoopbackWithAShortKey()
{
    ApiServerOptions options;
    options.address = QHostAddress::AnyIPv4;
    options.http.apiKey = "x";
    ApiServer server(m_fixture->organism(), options);
    QString error;
    QVERIFY(!server.start(&error));
    QVERIFY2(error.contains(u"at least 16"_s) && error.contains(u"1 character(s)"_s), qPrintable(error));
    QCOMPARE(server.port(), quint16(0));
    // 16 characters are enough.
    options.http.apiKey = "0123456789abcdef";
    options.port = 0;
    ApiServer accepted(m_fixture->organism(), options);
    QVERIFY2(accepted.start(&error), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_ApiServer)
#include "tst_apiserver.moc"
