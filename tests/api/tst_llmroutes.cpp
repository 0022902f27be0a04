// GET /api/v1/llm/backends (issue 11 §5): where each backend stands — its state (ok, rate-limited with
// the wait, failing with the last error and since when), the tokens left in its rate-limit window,
// calls in flight and queued, latency and time-to-first-token percentiles — for an organism whose
// router talks to fake providers on 127.0.0.1, read over a real socket.

#include "testhistory.h"
#include "apiserver.h"
#include "config/configloader.h"
#include "fakeprovider.h"
#include "llmrouter.h"
#include "organism.h"
#include "support/apitestclient.h"
#include "support/schemacheck.h"
#include "injectandwait.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace agentdesk;

class tst_LlmRoutes : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void okBackendShowsLatencyAndTimeToFirstToken();
    void tokenBucketQueuesCallsAndSaysSo();
    void rateLimitedThenFailing();

private:
    void start(const QString &fastExtra, const QString &slowExtra = {});
    QString inject(const QString &agent);
    QJsonObject backend(const QString &name);
    void verifyShape(const QJsonValue &value, const QString &schema);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeProvider> m_fast;
    std::unique_ptr<FakeProvider> m_slow;
    std::unique_ptr<LlmRouter> m_router;
    std::unique_ptr<Organism> m_organism;
    std::unique_ptr<ApiServer> m_api;
    std::unique_ptr<ApiTestClient> m_client;
};

void tst_LlmRoutes::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_fast = std::make_unique<FakeProvider>(FakeProvider::Format::OpenAi);
    m_slow = std::make_unique<FakeProvider>(FakeProvider::Format::Ollama);
}

void tst_LlmRoutes::cleanup()
{
    m_client.reset();
    m_api.reset();
    m_organism.reset();
    m_router.reset();
    m_fast.reset();
    m_slow.reset();
    m_dir.reset();
}

void tst_LlmRoutes::start(const QString &fastExtra, const QString &slowExtra)
{
    const QString yaml = uR"(
organism: {name: backends}
payloads:
  Task: {text: string}
llm:
  retries: 2
  retry_base_delay: 0.01
  retry_max_delay: 0.02
  backends:
    - {name: fast, provider: openai-compatible, base_url: "%1", models: [gpt-test], stream: true%3}
    - {name: slow, provider: ollama, base_url: "%2", models: [llama-test]%4}
listeners:
  - {name: writer, description: Writes, payload_class: Task, agent: true, model: gpt-test}
  - {name: thinker, description: Thinks, payload_class: Task, agent: true, model: llama-test}
)"_s.arg(m_fast->baseUrl(), m_slow->baseUrl(), fastExtra, slowExtra);
    const ConfigLoadResult loaded = ConfigLoader::loadText(yaml.toUtf8(), m_dir->path() + u"/organism.yaml"_s);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.errors.first().toString()));
    m_router = std::make_unique<LlmRouter>(loaded.config->llm);
    QVERIFY(m_router->problems().isEmpty());
    m_organism = std::make_unique<Organism>();
    m_organism->setLlmClient(m_router.get());
    OrganismConfig config = *loaded.config;
    test::useTestHistory(&config.history, m_dir->path());
    const Result<> organismLoaded = m_organism->load(config, m_dir->path() + u"/data"_s);
    QVERIFY2(organismLoaded, qPrintable(failureText(organismLoaded)));
    m_organism->start();
    ApiServerOptions options;
    options.address = QHostAddress::LocalHost;
    options.port = 0;
    m_api = std::make_unique<ApiServer>(m_organism.get(), options);
    QString error;
    QVERIFY2(m_api->start(&error), qPrintable(error));
    m_client = std::make_unique<ApiTestClient>(m_api->port());
}

QString tst_LlmRoutes::inject(const QString &agent)
{
    InjectRequest request;
    request.to = agent;
    request.fields.insert(u"text"_s, u"go"_s);
    const InjectResult result = test::injectAndWait(*m_organism, request);
    return result.has_value() ? result->threadId : QString();
}

QJsonObject tst_LlmRoutes::backend(const QString &name)
{
    const HttpResult result = m_client->get(u"/api/v1/llm/backends"_s);
    if (result.status != 200)
        return {};
    verifyShape(result.object(), u"LlmBackendList"_s);
    for (const QJsonValue &entry : result.object().value(u"backends"_s).toArray()) {
        if (entry.toObject().value(u"name"_s).toString() == name)
            return entry.toObject();
    }
    return {};
}

void tst_LlmRoutes::verifyShape(const QJsonValue &value, const QString &schema)
{
    const QJsonObject schemas = QJsonDocument::fromJson(m_api->openApiDocument())
                                    .object()
                                    .value(u"components"_s)
                                    .toObject()
                                    .value(u"schemas"_s)
                                    .toObject();
    const QStringList errors = checkAgainstSchema(value, schema, QCborMap::fromJsonObject(schemas));
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u"\n"_s)));
}

void tst_LlmRoutes::okBackendShowsLatencyAndTimeToFirstToken()
{
    start({});
    QJsonObject fast = backend(u"fast"_s);
    QCOMPARE(fast.value(u"provider"_s).toString(), u"openai-compatible"_s);
    QCOMPARE(fast.value(u"models"_s).toArray(), QJsonArray{u"gpt-test"_s});
    QCOMPARE(fast.value(u"endpoint"_s).toString(), m_fast->baseUrl() + u"/chat/completions"_s);
    QCOMPARE(fast.value(u"streaming"_s).toBool(), true);
    QCOMPARE(fast.value(u"state"_s).toString(), u"ok"_s);
    QCOMPARE(fast.value(u"calls"_s).toInt(), 0);
    QVERIFY(fast.value(u"latencyP50Ms"_s).isNull());         // nothing measured yet
    QCOMPARE(fast.value(u"rateLimitTpm"_s).toInt(), 100000); // the default
    QCOMPARE(fast.value(u"tokensLeft"_s).toInt(), 100000);

    for (int i = 0; i < 3; ++i) {
        m_fast->enqueue(
            FakeResponse::stream(FakeProvider::openAiStream({u"Hel"_s, u"lo"_s}, u"gpt-test"_s, {})).spaced(20));
        QVERIFY(!inject(u"writer"_s).isEmpty());
    }
    QTRY_COMPARE(backend(u"fast"_s).value(u"calls"_s).toInt(), 3);
    fast = backend(u"fast"_s);
    QCOMPARE(fast.value(u"state"_s).toString(), u"ok"_s);
    QCOMPARE(fast.value(u"inFlight"_s).toInt(), 0);
    QCOMPARE(fast.value(u"queued"_s).toInt(), 0);
    QCOMPARE(fast.value(u"agents"_s).toArray(), QJsonArray());
    // Time to first token comes before the whole reply; both are measured.
    QVERIFY(fast.value(u"ttftP50Ms"_s).isDouble());
    QVERIFY(fast.value(u"latencyP50Ms"_s).toDouble() >= fast.value(u"ttftP50Ms"_s).toDouble());
    QVERIFY(fast.value(u"latencyP95Ms"_s).toDouble() >= fast.value(u"latencyP50Ms"_s).toDouble());
    // The unstreamed backend has no time to first token.
    QVERIFY(!inject(u"thinker"_s).isEmpty());
    QTRY_COMPARE(backend(u"slow"_s).value(u"calls"_s).toInt(), 1);
    QVERIFY(backend(u"slow"_s).value(u"ttftP50Ms"_s).isNull());
    QVERIFY(backend(u"slow"_s).value(u"latencyP50Ms"_s).isDouble());
}

// A token bucket nearly empty: the next call waits in the backend's queue, and the state says why.
void tst_LlmRoutes::tokenBucketQueuesCallsAndSaysSo()
{
    start({}, u", rate_limit_tpm: 150"_s);
    m_slow->setHolding(true);
    QVERIFY(!inject(u"thinker"_s).isEmpty()); // takes at least 100 of the 150 tokens
    QTRY_COMPARE(m_slow->unanswered(), 1);
    QVERIFY(!inject(u"thinker"_s).isEmpty());
    QTRY_COMPARE(backend(u"slow"_s).value(u"queued"_s).toInt(), 1);
    const QJsonObject slow = backend(u"slow"_s);
    QCOMPARE(slow.value(u"inFlight"_s).toInt(), 1);
    QCOMPARE(slow.value(u"waitingForTokens"_s).toBool(), true);
    QCOMPARE(slow.value(u"agents"_s).toArray(), QJsonArray{u"thinker"_s});
    QCOMPARE(slow.value(u"rateLimitTpm"_s).toInt(), 150);
    QVERIFY2(slow.value(u"tokensLeft"_s).toInt() < 100,
             qPrintable(QString::number(slow.value(u"tokensLeft"_s).toInt())));
    QCOMPARE(slow.value(u"state"_s).toString(), u"ok"_s);
    QCOMPARE(m_slow->requestCount(), 1); // the second call has not left
    m_slow->release();
}

// A 429 with Retry-After: rate-limited and for how long; then only failures: failing, with the last
// error and since when.
void tst_LlmRoutes::rateLimitedThenFailing()
{
    start({});
    m_fast->enqueue(FakeResponse::json(429, FakeProvider::openAiError(u"slow down"_s)).withHeader("Retry-After", "30"));
    m_fast->enqueue(FakeResponse::hang()); // the retry waits on the wire until the thread is killed
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const QString limitedThread = inject(u"writer"_s);
    QVERIFY(!limitedThread.isEmpty());
    QTRY_COMPARE(backend(u"fast"_s).value(u"state"_s).toString(), u"rate-limited"_s);
    const QJsonObject limited = backend(u"fast"_s);
    QVERIFY2(limited.value(u"waitSeconds"_s).toDouble() > 20 && limited.value(u"waitSeconds"_s).toDouble() <= 30,
             qPrintable(QString::number(limited.value(u"waitSeconds"_s).toDouble())));
    QVERIFY(limited.value(u"lastError"_s).isNull()); // rate-limited is not failing
    QTRY_COMPARE(backend(u"fast"_s).value(u"inFlight"_s).toInt(), 1);
    QVERIFY(m_organism->killThread(limitedThread));
    QTRY_COMPARE(backend(u"fast"_s).value(u"inFlight"_s).toInt(), 0);

    // Another backend, failing.
    m_slow->enqueue(3, FakeResponse::json(500, QJsonObject{{u"error"_s, u"model crashed"_s}}));
    const QString thread = inject(u"thinker"_s);
    QTRY_COMPARE(backend(u"slow"_s).value(u"state"_s).toString(), u"failing"_s);
    QTRY_COMPARE(toString(m_organism->thread(thread)->status), u"error"_s);
    const QJsonObject failing = backend(u"slow"_s);
    QVERIFY2(failing.value(u"lastError"_s).toString().contains(u"HTTP 500"_s),
             qPrintable(failing.value(u"lastError"_s).toString()));
    const QDateTime since = QDateTime::fromString(failing.value(u"failingSince"_s).toString(), Qt::ISODateWithMs);
    QVERIFY(since >= before && since <= QDateTime::currentDateTimeUtc());
    QCOMPARE(failing.value(u"calls"_s).toInt(), 3);
    QVERIFY(failing.value(u"waitSeconds"_s).isNull());

    // One success and it is ok again.
    QVERIFY(!inject(u"thinker"_s).isEmpty());
    QTRY_COMPARE(backend(u"slow"_s).value(u"state"_s).toString(), u"ok"_s);
    QVERIFY(backend(u"slow"_s).value(u"lastError"_s).isNull());
}

QTEST_GUILESS_MAIN(tst_LlmRoutes)
#include "tst_llmroutes.moc"
