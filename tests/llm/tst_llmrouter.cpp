#include "backendtestutil.h"
#include "fakeprovider.h"
#include "llmrouter.h"

#include <QMutex>
#include <QThread>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QString SecretKey = u"sk-live-SECRET-0123456789abcdef"_s;
const QByteArray SecretKeyEnv = "AGENTDESK_TST_LLMROUTER_KEY";
const QByteArray UnsetKeyEnv = "AGENTDESK_TST_LLMROUTER_UNSET";

LlmConfig routerConfig(const QString &strategy = u"failover"_s, int retries = 3)
{
    LlmConfig config;
    config.strategy = strategy;
    config.retries = retries;
    config.retryBaseDelay = 0.01; // tests count attempts, they never measure the wait
    config.retryMaxDelay = 2;
    return config;
}

LlmBackendConfig fakeBackend(const QString &name, const FakeProvider &fake, int priority = 1)
{
    LlmBackendConfig backend = backendConfig(u"openai-compatible"_s, fake.baseUrl(), name);
    backend.priority = priority;
    return backend;
}

// Every message logged while it lives, to prove a key never reaches the log.
class LogCapture
{
public:
    LogCapture()
    {
        s_text.clear();
        s_previous = qInstallMessageHandler(&LogCapture::handler);
    }
    ~LogCapture() { qInstallMessageHandler(s_previous); }
    static QString text()
    {
        QMutexLocker lock(&s_mutex);
        return s_text;
    }

private:
    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        {
            QMutexLocker lock(&s_mutex);
            s_text += message + u'\n';
        }
        if (s_previous)
            s_previous(type, context, message);
    }
    static inline QtMessageHandler s_previous = nullptr;
    static inline QMutex s_mutex;
    static inline QString s_text;
};

} // namespace

// The router seen by its user: which backend answers, how failures are retried and reported,
// limits, cancellation, and keys that never leak.
class tst_LlmRouter : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void successReportsEverything();
    void doneIsNeverCalledInsideComplete();
    void noBackendAvailable();
    void rateLimitedWithRetryAfterIsRetried();
    void serverErrorThenSuccess();
    void clientErrorIsNotRetried();
    void retriesAreBounded();
    void timeoutsAreAbortedRetriedThenFail();
    void malformedReplyIsRetried_data();
    void malformedReplyIsRetried();
    void failoverToTheNextBackend();
    void failoverToTheNextBackendWhenUnreachable();
    void failoverUsesTheLowestPriorityFirst();
    void failoverStartsOverWhenAllFailed();
    void roundRobinAlternates();
    void leastLoadedPicksTheFreestBackend();
    void maxConcurrentQueuesTheRest();
    void rateLimitHoldsCallsBack();
    void rateLimitWaitIsReportedPerAgent();
    void cancelAbortsTheRequest();
    void cancelDuringBackoffStopsRetrying();
    void cancelQueuedCall();
    void keysNeverAppearInErrorsOrLogs();
    void problemsNameTheVariable();
    void backendsWithoutProblems();
    void demoThroughTheRouter();
    void strategyNames_data();
    void strategyNames();
    void destroyedWithCallsInFlight();
    void reconfigureLetsRunningCallsFinishAndRoutesTheRest();
    void reconfigureCallOfAModelNoLongerServedFails();
    void checkRefusesUnusableBackendsAndNamesUnservedModels();
    void worksOnTheThreadItIsMovedTo();

private:
    LlmResult run(LlmRouter &router, const LlmRequest &request);
};

void tst_LlmRouter::initTestCase()
{
    qputenv(SecretKeyEnv.constData(), SecretKey.toUtf8());
    qunsetenv(UnsetKeyEnv.constData());
}

void tst_LlmRouter::cleanupTestCase()
{
    qunsetenv(SecretKeyEnv.constData());
}

LlmResult tst_LlmRouter::run(LlmRouter &router, const LlmRequest &request)
{
    std::optional<LlmResult> result;
    router.complete(request, [&result](const LlmResult &r) { result = r; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 30000)) {
        LlmResult missing;
        missing.error = u"test: no answer within 30 s"_s;
        return missing;
    }
    return *result;
}

void tst_LlmRouter::successReportsEverything()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(FakeResponse::json(200, FakeProvider::openAiReply(u"Hi"_s, u"qwen2.5-7b-instruct"_s, 42, 7, 16)));
    LlmConfig config = routerConfig();
    LlmBackendConfig backend = fakeBackend(u"gpu-box"_s, fake);
    backend.provider = u"vllm"_s;
    config.backends = {backend};
    LlmRouter router(config);
    QVERIFY(router.problems().isEmpty());
    QVERIFY(router.serves(u"qwen2.5"_s));

    const LlmResult result = run(router, chatRequest(u"qwen2.5"_s));
    QVERIFY2(result.ok, qPrintable(result.error));
    QVERIFY(result.error.isEmpty());
    QCOMPARE(result.content, u"Hi"_s);
    QCOMPARE(result.model, u"qwen2.5-7b-instruct"_s);
    QCOMPARE(result.provider, u"vllm"_s);
    QCOMPARE(result.backend, u"gpu-box"_s);
    QCOMPARE(result.promptTokens, 42);
    QCOMPARE(result.completionTokens, 7);
    QCOMPARE(result.cachedPromptTokens, 16);
    QVERIFY(!result.estimatedTokens);
    QCOMPARE(result.attempts, 1);
    QVERIFY(result.latencyMs > 0);
    QCOMPARE(router.pendingCalls(), 0);
}

void tst_LlmRouter::doneIsNeverCalledInsideComplete()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    LlmConfig config = routerConfig();
    config.backends = {fakeBackend(u"a"_s, fake), backendConfig(u"demo"_s, {}, u"demo"_s)};
    config.backends[1].models = QStringList{u"demo-1"_s};
    config.backends[0].models = QStringList{u"m"_s};
    LlmRouter router(config);
    int answers = 0;
    for (const QString &model : {u"m"_s, u"demo-1"_s, u"nobody-serves-this"_s}) {
        router.complete(chatRequest(model), [&answers](const LlmResult &) { ++answers; });
        QCOMPARE(answers, 0);
    }
    QTRY_COMPARE(answers, 3);
}

void tst_LlmRouter::noBackendAvailable()
{
    LlmConfig config = routerConfig();
    LlmBackendConfig anthropic = backendConfig(u"anthropic"_s, {});
    anthropic.apiKeyEnv = QString::fromLatin1(SecretKeyEnv);
    config.backends = {anthropic};
    LlmRouter router(config);
    QVERIFY(router.serves(u"claude-3-haiku"_s));
    QVERIFY(!router.serves(u"gpt-4o"_s));
    const LlmResult result = run(router, chatRequest(u"gpt-4o"_s));
    QVERIFY(!result.ok);
    QCOMPARE(result.error, u"No backend available for model 'gpt-4o'"_s);
    QCOMPARE(result.attempts, 0);
    QCOMPARE(result.model, u"gpt-4o"_s);
}

void tst_LlmRouter::rateLimitedWithRetryAfterIsRetried()
{
    LogCapture log;
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(
        FakeResponse::json(429, FakeProvider::openAiError(u"Rate limit reached"_s)).withHeader("Retry-After", "1"));
    LlmConfig config = routerConfig(u"failover"_s, 1);
    config.backends = {fakeBackend(u"a"_s, fake)};
    LlmRouter router(config);
    const LlmResult result = run(router, chatRequest(u"m"_s));
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.attempts, 2);
    QCOMPARE(fake.requestCount(), 2);
    // The wait the router chose is the server's (1 s), not its own 10 ms back-off.
    QVERIFY2(LogCapture::text().contains(u"HTTP 429: Rate limit reached - retrying in 1 s"_s),
             qPrintable(LogCapture::text()));
}

void tst_LlmRouter::serverErrorThenSuccess()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(FakeResponse::json(500, FakeProvider::openAiError(u"boom"_s)));
    LlmConfig config = routerConfig();
    config.backends = {fakeBackend(u"a"_s, fake)};
    LlmRouter router(config);
    const LlmResult result = run(router, chatRequest(u"m"_s));
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.attempts, 2);
    QCOMPARE(result.content, u"reply 2"_s);
    QCOMPARE(fake.requestCount(), 2);
}

void tst_LlmRouter::clientErrorIsNotRetried()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    FakeProvider other(FakeProvider::Format::OpenAi);
    fake.enqueue(FakeResponse::json(400, FakeProvider::openAiError(u"messages: must not be empty"_s)));
    LlmConfig config = routerConfig();
    config.backends = {fakeBackend(u"a"_s, fake, 1), fakeBackend(u"b"_s, other, 2)};
    LlmRouter router(config);
    const LlmResult result = run(router, chatRequest(u"m"_s));
    QVERIFY(!result.ok);
    QCOMPARE(result.error, u"All backends failed for m: a: HTTP 400: messages: must not be empty"_s);
    QCOMPARE(result.attempts, 1);
    QCOMPARE(result.backend, u"a"_s);
    QCOMPARE(fake.requestCount(), 1);
    QCOMPARE(other.requestCount(), 0);
}

void tst_LlmRouter::retriesAreBounded()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(10, FakeResponse::json(503, FakeProvider::openAiError(u"overloaded"_s)));
    LlmConfig config = routerConfig(u"failover"_s, 2);
    config.backends = {fakeBackend(u"a"_s, fake)};
    LlmRouter router(config);
    const LlmResult result = run(router, chatRequest(u"m"_s));
    QVERIFY(!result.ok);
    QCOMPARE(result.error, u"All backends failed for m: a: HTTP 503: overloaded"_s);
    QCOMPARE(result.attempts, 3);
    QCOMPARE(fake.requestCount(), 3);
}

void tst_LlmRouter::timeoutsAreAbortedRetriedThenFail()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(10, FakeResponse::hang());
    LlmConfig config = routerConfig(u"failover"_s, 1);
    LlmBackendConfig backend = fakeBackend(u"slow"_s, fake);
    backend.timeoutSeconds = 0.2;
    config.backends = {backend};
    LlmRouter router(config);
    const LlmResult result = run(router, chatRequest(u"m"_s));
    QVERIFY(!result.ok);
    QCOMPARE(result.error,
             u"All backends failed for m: slow: no answer within the timeout of 0.2 s (request aborted)"_s);
    QCOMPARE(result.attempts, 2);
    QCOMPARE(fake.requestCount(), 2);
    QTRY_COMPARE(fake.abandoned(), 2); // each attempt's connection was closed by the client
}

void tst_LlmRouter::malformedReplyIsRetried_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("malformed JSON") << QByteArray("{\"choices\": [{\"message\": ");
    QTest::newRow("empty choices") << QByteArray("{\"choices\": []}");
    QTest::newRow("no content") << QByteArray("{\"choices\": [{\"message\": {\"role\": \"assistant\"}}]}");
}

void tst_LlmRouter::malformedReplyIsRetried()
{
    QFETCH(QByteArray, body);
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(FakeResponse::raw(200, body));
    LlmConfig config = routerConfig();
    config.backends = {fakeBackend(u"a"_s, fake)};
    LlmRouter router(config);
    const LlmResult result = run(router, chatRequest(u"m"_s));
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.attempts, 2);
}

void tst_LlmRouter::failoverToTheNextBackend()
{
    FakeProvider primary(FakeProvider::Format::OpenAi);
    FakeProvider secondary(FakeProvider::Format::OpenAi);
    primary.enqueue(10, FakeResponse::json(500, FakeProvider::openAiError(u"down"_s)));
    LlmConfig config = routerConfig(u"failover"_s, 1);
    config.backends = {fakeBackend(u"primary"_s, primary, 1), fakeBackend(u"secondary"_s, secondary, 2)};
    LlmRouter router(config);
    const LlmResult result = run(router, chatRequest(u"m"_s));
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.backend, u"secondary"_s);
    QCOMPARE(result.attempts, 2);
    QCOMPARE(primary.requestCount(), 1);
    QCOMPARE(secondary.requestCount(), 1);
}

void tst_LlmRouter::failoverToTheNextBackendWhenUnreachable()
{
    FakeProvider secondary(FakeProvider::Format::OpenAi);
    LlmConfig config = routerConfig(u"failover"_s, 1);
    LlmBackendConfig gone = backendConfig(u"vllm"_s, u"http://127.0.0.1:%1/v1"_s.arg(closedPort()), u"gone"_s);
    config.backends = {gone, fakeBackend(u"secondary"_s, secondary, 2)};
    LlmRouter router(config);
    const LlmResult result = run(router, chatRequest(u"m"_s));
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.backend, u"secondary"_s);
    QCOMPARE(result.attempts, 2);
}

void tst_LlmRouter::failoverUsesTheLowestPriorityFirst()
{
    FakeProvider first(FakeProvider::Format::OpenAi);
    FakeProvider second(FakeProvider::Format::OpenAi);
    LlmConfig config = routerConfig();
    config.backends = {fakeBackend(u"listed-first"_s, first, 5), fakeBackend(u"preferred"_s, second, 1)};
    LlmRouter router(config);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(run(router, chatRequest(u"m"_s)).backend, u"preferred"_s);
    QCOMPARE(first.requestCount(), 0);
    QCOMPARE(second.requestCount(), 3);
}

void tst_LlmRouter::failoverStartsOverWhenAllFailed()
{
    FakeProvider a(FakeProvider::Format::OpenAi);
    FakeProvider b(FakeProvider::Format::OpenAi);
    a.enqueue(10, FakeResponse::json(500, FakeProvider::openAiError(u"a down"_s)));
    b.enqueue(10, FakeResponse::json(502, FakeProvider::openAiError(u"b down"_s)));
    LlmConfig config = routerConfig(u"failover"_s, 3);
    config.backends = {fakeBackend(u"a"_s, a, 1), fakeBackend(u"b"_s, b, 2)};
    LlmRouter router(config);
    const LlmResult result = run(router, chatRequest(u"m"_s));
    QVERIFY(!result.ok);
    QCOMPARE(result.attempts, 4);
    QCOMPARE(a.requestCount(), 2);
    QCOMPARE(b.requestCount(), 2);
    QCOMPARE(result.error, u"All backends failed for m: b: HTTP 502: b down"_s);
}

void tst_LlmRouter::roundRobinAlternates()
{
    FakeProvider a(FakeProvider::Format::OpenAi);
    FakeProvider b(FakeProvider::Format::OpenAi);
    LlmConfig config = routerConfig(u"round_robin"_s);
    config.backends = {fakeBackend(u"a"_s, a), fakeBackend(u"b"_s, b)};
    LlmRouter router(config);
    QCOMPARE(router.strategy(), LlmRouter::Strategy::RoundRobin);
    QStringList order;
    for (int i = 0; i < 4; ++i)
        order.append(run(router, chatRequest(u"m"_s)).backend);
    QCOMPARE(order, QStringList({u"a"_s, u"b"_s, u"a"_s, u"b"_s}));
    QCOMPARE(a.requestCount(), 2);
    QCOMPARE(b.requestCount(), 2);
}

void tst_LlmRouter::leastLoadedPicksTheFreestBackend()
{
    FakeProvider small(FakeProvider::Format::OpenAi);
    FakeProvider large(FakeProvider::Format::OpenAi);
    small.setHolding(true);
    large.setHolding(true);
    LlmConfig config = routerConfig(u"least-loaded"_s);
    LlmBackendConfig one = fakeBackend(u"small"_s, small, 1);
    one.maxConcurrent = 1;
    LlmBackendConfig four = fakeBackend(u"large"_s, large, 2);
    four.maxConcurrent = 4;
    config.backends = {one, four};
    LlmRouter router(config);

    QStringList served;
    for (int i = 0; i < 6; ++i)
        router.complete(chatRequest(u"m"_s), [&served](const LlmResult &r) { served.append(r.backend); });
    // Loads as the calls arrive: small 0/1 (tie, better priority) → large 0/4, 1/4, 2/4, 3/4 → then
    // both are full (1/1 vs 4/4) and the tie goes to the preferred backend's queue.
    const QList<LlmBackendStatus> status = router.backendStatus();
    QCOMPARE(status.at(0).name, u"small"_s);
    QCOMPARE(status.at(0).active + status.at(0).queued, 2);
    QCOMPARE(status.at(1).active + status.at(1).queued, 4);
    QTRY_COMPARE(small.requestCount() + large.requestCount(), 5);
    small.release();
    large.release();
    QTRY_COMPARE(served.size(), 6);
    QCOMPARE(served.count(u"small"_s), 2);
    QCOMPARE(served.count(u"large"_s), 4);
}

void tst_LlmRouter::maxConcurrentQueuesTheRest()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.setHolding(true);
    LlmConfig config = routerConfig();
    LlmBackendConfig backend = fakeBackend(u"a"_s, fake);
    backend.maxConcurrent = 2;
    config.backends = {backend};
    LlmRouter router(config);
    int ok = 0;
    for (int i = 0; i < 5; ++i)
        router.complete(chatRequest(u"m"_s), [&ok](const LlmResult &r) { ok += r.ok ? 1 : 0; });
    QCOMPARE(router.backendStatus().at(0).active, 2);
    QCOMPARE(router.backendStatus().at(0).queued, 3);
    QVERIFY(!router.backendStatus().at(0).waitingForTokens);
    QTRY_COMPARE(fake.requestCount(), 2);
    fake.release();
    QTRY_COMPARE(ok, 5);
    QCOMPARE(fake.requestCount(), 5);
    QCOMPARE(fake.maxUnanswered(), 2);
}

void tst_LlmRouter::rateLimitHoldsCallsBack()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    LlmConfig config = routerConfig();
    LlmBackendConfig backend = fakeBackend(u"a"_s, fake);
    backend.rateLimitTpm = 60000; // 1,000 tokens a second
    config.backends = {backend};
    LlmRouter router(config);
    int ok = 0;
    // 61,000 estimated tokens: more than the whole bucket, so it runs and leaves a debt of 1,000
    // that the next call waits about a second to see repaid.
    router.complete(chatRequest(u"m"_s, QString(), QString(244000, u'x')), [&ok](const LlmResult &r) { ok += r.ok; });
    router.complete(chatRequest(u"m"_s), [&ok](const LlmResult &r) { ok += r.ok; });
    LlmBackendStatus status = router.backendStatus().at(0);
    QCOMPARE(status.active, 1);
    QCOMPARE(status.queued, 1);
    QVERIFY(status.waitingForTokens);
    QTRY_COMPARE(ok, 2);
    QCOMPARE(fake.requestCount(), 2);
    status = router.backendStatus().at(0);
    QCOMPARE(status.queued, 0);
    QVERIFY(!status.waitingForTokens);
}

void tst_LlmRouter::rateLimitWaitIsReportedPerAgent()
{
    LlmConfig config = routerConfig();
    LlmBackendConfig demo = backendConfig(u"demo"_s, {});
    demo.rateLimitTpm = 100; // one call a minute: the second waits
    config.backends = {demo};
    LlmRouter router(config);
    LlmRequest first = chatRequest(u"demo-1"_s);
    first.agentId = u"greeter"_s;
    LlmRequest second = first;
    router.complete(first, [](const LlmResult &) {});
    router.complete(second, [](const LlmResult &) {});
    QTRY_VERIFY(router.rateLimitWaitSeconds(u"greeter"_s) > 0);
    QCOMPARE(router.rateLimitWaitSeconds(u"shouter"_s), 0.0); // it has no call waiting
}

void tst_LlmRouter::cancelAbortsTheRequest()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(FakeResponse::hang());
    LlmConfig config = routerConfig();
    config.backends = {fakeBackend(u"a"_s, fake)};
    LlmRouter router(config);
    bool called = false;
    const quint64 id = router.complete(chatRequest(u"m"_s), [&called](const LlmResult &) { called = true; });
    QTRY_COMPARE(fake.requestCount(), 1);
    router.cancel(id);
    QCOMPARE(router.pendingCalls(), 0);
    QCOMPARE(router.backendStatus().at(0).active, 0);
    QTRY_COMPARE(fake.abandoned(), 1);
    // A later call is served normally, and the cancelled one still never reports.
    const LlmResult later = run(router, chatRequest(u"m"_s));
    QVERIFY(later.ok);
    QVERIFY(!called);
    router.cancel(id); // twice is harmless
}

void tst_LlmRouter::cancelDuringBackoffStopsRetrying()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(FakeResponse::json(500, FakeProvider::openAiError(u"boom"_s)));
    LlmConfig config = routerConfig();
    config.retryBaseDelay = 0.3;
    config.backends = {fakeBackend(u"a"_s, fake)};
    LlmRouter router(config);
    bool called = false;
    const quint64 id = router.complete(chatRequest(u"m"_s), [&called](const LlmResult &) { called = true; });
    QTRY_COMPARE(fake.requestCount(), 1);
    QTRY_COMPARE(router.backendStatus().at(0).active, 0); // the failure is in: the call waits to retry
    QCOMPARE(router.pendingCalls(), 1);
    router.cancel(id);
    QCOMPARE(router.pendingCalls(), 0);
    // A later call whose retry is due after the cancelled one's would have been: its back-off is the
    // server's 0.5 s (Retry-After), longer than any 0.3 s ± 25 % back-off of the first even with the
    // timers' 5 % slack. When its retry has been answered, a retry of the cancelled call would have
    // been sent before it.
    fake.enqueue(FakeResponse::json(503, FakeProvider::openAiError(u"busy"_s)).withHeader("Retry-After", "0.5"));
    const LlmResult later = run(router, chatRequest(u"m"_s));
    QVERIFY2(later.ok, qPrintable(later.error));
    QCOMPARE(later.attempts, 2);
    QCOMPARE(fake.requestCount(), 3); // the first call's one attempt, the later call's two
    QVERIFY(!called);
}

void tst_LlmRouter::cancelQueuedCall()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.setHolding(true);
    LlmConfig config = routerConfig();
    LlmBackendConfig backend = fakeBackend(u"a"_s, fake);
    backend.maxConcurrent = 1;
    config.backends = {backend};
    LlmRouter router(config);
    QStringList done;
    router.complete(chatRequest(u"m"_s), [&done](const LlmResult &) { done.append(u"first"_s); });
    const quint64 queued = router.complete(chatRequest(u"m"_s),
                                           [&done](const LlmResult &) { done.append(u"second"_s); });
    QCOMPARE(router.backendStatus().at(0).queued, 1);
    router.cancel(queued);
    QCOMPARE(router.backendStatus().at(0).queued, 0);
    QTRY_COMPARE(fake.requestCount(), 1);
    fake.release();
    QTRY_COMPARE(done, QStringList{u"first"_s});
    QCOMPARE(router.pendingCalls(), 0);
    QCOMPARE(fake.requestCount(), 1);
}

void tst_LlmRouter::keysNeverAppearInErrorsOrLogs()
{
    LogCapture log;
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(FakeResponse::json(
        401,
        FakeProvider::openAiError(u"Incorrect API key provided: %1. You can find your key at …"_s.arg(SecretKey))));
    fake.enqueue(10, FakeResponse::json(500, FakeProvider::openAiError(u"internal error for key %1"_s.arg(SecretKey))));
    LlmConfig config = routerConfig(u"failover"_s, 1);
    LlmBackendConfig backend = backendConfig(u"openai"_s, fake.baseUrl(), u"openai"_s);
    backend.apiKeyEnv = QString::fromLatin1(SecretKeyEnv);
    config.backends = {backend};
    LlmRouter router(config);
    QVERIFY(router.problems().isEmpty());

    const LlmResult rejected = run(router, chatRequest(u"gpt-4o"_s));
    QVERIFY(!rejected.ok);
    QCOMPARE(rejected.error,
             u"All backends failed for gpt-4o: openai: HTTP 401: Incorrect API key provided: "
             "[redacted]. You can find your key at …"_s);
    const LlmResult failed = run(router, chatRequest(u"gpt-4o"_s));
    QVERIFY(!failed.ok);
    QVERIFY(failed.error.contains(u"internal error for key [redacted]"_s));
    QCOMPARE(failed.attempts, 2);

    // The key went where it belongs, and nowhere else.
    QCOMPARE(fake.lastRequest().header("authorization"), "Bearer " + SecretKey.toUtf8());
    for (const FakeRequest &request : fake.requests())
        QVERIFY(!request.body.contains(SecretKey.toUtf8()));
    QVERIFY(!rejected.error.contains(SecretKey));
    QVERIFY(!failed.error.contains(SecretKey));
    QVERIFY(!LogCapture::text().isEmpty());
    QVERIFY(!LogCapture::text().contains(SecretKey));
}

void tst_LlmRouter::problemsNameTheVariable()
{
    LlmConfig config = routerConfig();
    LlmBackendConfig openai = backendConfig(u"openai"_s, {}, u"main"_s);
    openai.apiKeyEnv = QString::fromLatin1(UnsetKeyEnv);
    LlmBackendConfig anthropic = backendConfig(u"anthropic"_s, {});
    LlmBackendConfig vllm = backendConfig(u"vllm"_s, {});
    config.backends = {openai, anthropic, vllm};
    LlmRouter router(config);
    QCOMPARE(router.problems(),
             QStringList({u"llm backend \"main\" (provider openai): the environment variable "
                          "AGENTDESK_TST_LLMROUTER_UNSET (api_key_env) is not set or empty; set it to the API key "
                          "before starting"_s,
                          u"llm backend \"anthropic\" (provider anthropic): no API key: provider anthropic needs one; "
                          "set api_key_env to the name of the environment variable that holds it"_s,
                          u"llm backend \"vllm\" (provider vllm): base_url is required for provider vllm (the "
                          "server's OpenAI-compatible root, e.g. http://localhost:8000/v1)"_s}));
    // Unusable backends serve nothing.
    QVERIFY(!router.serves(u"gpt-4o"_s));
    QVERIFY(!router.serves(u"claude-3-haiku"_s));
    QVERIFY(router.backendStatus().isEmpty());
}

void tst_LlmRouter::backendsWithoutProblems()
{
    LlmConfig config = routerConfig();
    config.backends = {backendConfig(u"demo"_s, {}), backendConfig(u"ollama"_s, {}),
                       backendConfig(u"openai-compatible"_s, u"http://127.0.0.1:1234/v1"_s, u"lm"_s)};
    LlmBackendConfig withKey = backendConfig(u"xai"_s, {});
    withKey.apiKeyEnv = QString::fromLatin1(SecretKeyEnv);
    config.backends.append(withKey);
    LlmRouter router(config);
    QCOMPARE(router.problems(), QStringList());
    QCOMPARE(router.backendStatus().size(), 4);
}

void tst_LlmRouter::demoThroughTheRouter()
{
    LlmConfig config = routerConfig();
    config.backends = {backendConfig(u"demo"_s, {})};
    LlmRouter router(config);
    const LlmResult result = run(router,
                                 chatRequest(u"demo-1"_s, u"Be nice."_s, u"<Greeting><Name>Dan</Name></Greeting>"_s));
    QVERIFY(result.ok);
    QCOMPARE(result.provider, u"demo"_s);
    QCOMPARE(result.backend, u"demo"_s);
    QCOMPARE(result.model, u"demo-1"_s);
    QVERIFY(result.estimatedTokens);
    QCOMPARE(result.attempts, 1);
    QVERIFY(result.content.startsWith(u"Demo reply from demo-1"_s));
}

void tst_LlmRouter::strategyNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<LlmRouter::Strategy>("strategy");
    QTest::newRow("failover") << u"failover"_s << LlmRouter::Strategy::Failover;
    QTest::newRow("round-robin") << u"round-robin"_s << LlmRouter::Strategy::RoundRobin;
    QTest::newRow("round_robin") << u"round_robin"_s << LlmRouter::Strategy::RoundRobin;
    QTest::newRow("Least_Loaded") << u"Least_Loaded"_s << LlmRouter::Strategy::LeastLoaded;
    QTest::newRow("unknown") << u"random"_s << LlmRouter::Strategy::Failover;
    QTest::newRow("empty") << QString() << LlmRouter::Strategy::Failover;
}

void tst_LlmRouter::strategyNames()
{
    QFETCH(QString, name);
    QFETCH(LlmRouter::Strategy, strategy);
    QCOMPARE(LlmRouter::parseStrategy(name), strategy);
}

void tst_LlmRouter::reconfigureLetsRunningCallsFinishAndRoutesTheRest()
{
    FakeProvider first(FakeProvider::Format::OpenAi);
    FakeProvider second(FakeProvider::Format::OpenAi);
    first.setHolding(true);
    first.enqueue(FakeResponse::json(200, FakeProvider::openAiReply(u"from a"_s, u"m"_s, 5, 1, 0)));
    second.enqueue(FakeResponse::json(200, FakeProvider::openAiReply(u"from b"_s, u"m"_s, 5, 1, 0)));
    LlmConfig config = routerConfig();
    config.backends = {fakeBackend(u"a"_s, first)};
    LlmRouter router(config);
    std::optional<LlmResult> running;
    router.complete(chatRequest(u"m"_s), [&running](const LlmResult &result) { running = result; });
    QTRY_COMPARE(first.requestCount(), 1);

    LlmConfig next = routerConfig(u"round-robin"_s);
    next.backends = {fakeBackend(u"b"_s, second)};
    QString error;
    QVERIFY2(router.reconfigure(next, &error), qPrintable(error));
    QCOMPARE(router.strategy(), LlmRouter::Strategy::RoundRobin);
    QCOMPARE(router.backendStatus().size(), 1);
    QCOMPARE(router.backendStatus().at(0).name, u"b"_s);
    // A new call goes to the new backend ...
    const LlmResult later = run(router, chatRequest(u"m"_s));
    QVERIFY2(later.ok, qPrintable(later.error));
    QCOMPARE(later.backend, u"b"_s);
    QCOMPARE(later.content, u"from b"_s);
    // ... while the one on the wire finishes where it went.
    QVERIFY(!running);
    first.release();
    QTRY_VERIFY(running.has_value());
    QVERIFY2(running->ok, qPrintable(running->error));
    QCOMPARE(running->backend, u"a"_s);
    QCOMPARE(running->content, u"from a"_s);
    QCOMPARE(router.pendingCalls(), 0);
}

void tst_LlmRouter::reconfigureCallOfAModelNoLongerServedFails()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(FakeResponse::json(500, FakeProvider::openAiError(u"busy"_s)));
    LlmConfig config = routerConfig();
    config.retryBaseDelay = 0.2; // long enough to reconfigure during the back-off
    config.backends = {fakeBackend(u"a"_s, fake)};
    config.backends[0].models = QStringList{u"m"_s};
    LlmRouter router(config);
    std::optional<LlmResult> result;
    router.complete(chatRequest(u"m"_s), [&result](const LlmResult &r) { result = r; });
    QTRY_COMPARE(fake.requestCount(), 1);

    LlmConfig next = routerConfig();
    next.backends = {backendConfig(u"demo"_s, {}, u"demo"_s)};
    next.backends[0].models = QStringList{u"demo-1"_s};
    QString error;
    QVERIFY2(router.reconfigure(next, &error), qPrintable(error));
    QVERIFY(!router.serves(u"m"_s));
    QTRY_VERIFY(result.has_value());
    QVERIFY(!result->ok);
    QCOMPARE(result->error, u"No backend available for model 'm'"_s);
    QCOMPARE(fake.requestCount(), 1); // never retried on the backend that was taken away
}

void tst_LlmRouter::checkRefusesUnusableBackendsAndNamesUnservedModels()
{
    LlmConfig config = routerConfig();
    config.backends = {backendConfig(u"demo"_s, {}, u"demo"_s)};
    config.backends[0].models = QStringList{u"demo-1"_s};
    LlmRouter router(config);

    LlmConfig next = routerConfig();
    LlmBackendConfig demo2 = backendConfig(u"demo"_s, {}, u"demo2"_s);
    demo2.models = QStringList{u"demo-2"_s};
    next.backends = {demo2};
    QStringList unserved;
    QString error;
    QVERIFY(router.check(next, {u"demo-1"_s, u"demo-2"_s}, &unserved, &error));
    QCOMPARE(unserved, QStringList{u"demo-1"_s});
    QVERIFY(router.serves(u"demo-1"_s)); // check() changes nothing

    LlmBackendConfig keyless = backendConfig(u"anthropic"_s, {});
    keyless.apiKeyEnv = QString::fromLatin1(UnsetKeyEnv);
    next.backends = {demo2, keyless};
    QVERIFY(!router.check(next, {}, nullptr, &error));
    QVERIFY2(error.contains(QString::fromLatin1(UnsetKeyEnv)), qPrintable(error));
    QVERIFY(!router.reconfigure(next, &error));
    QVERIFY(router.serves(u"demo-1"_s)); // a refused configuration leaves the running one
    QVERIFY(!router.serves(u"demo-2"_s));
}

void tst_LlmRouter::destroyedWithCallsInFlight()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(FakeResponse::hang());
    LlmConfig config = routerConfig();
    config.backends = {fakeBackend(u"a"_s, fake), backendConfig(u"demo"_s, {}, u"demo"_s)};
    config.backends[0].models = QStringList{u"m"_s};
    bool called = false;
    {
        LlmRouter router(config);
        router.complete(chatRequest(u"m"_s), [&called](const LlmResult &) { called = true; });
        QTRY_COMPARE(fake.requestCount(), 1);
        // The demo would answer on the next turn of the event loop; the router is gone by then.
        router.complete(chatRequest(u"demo-1"_s), [&called](const LlmResult &) { called = true; });
    }
    QTRY_COMPARE(fake.abandoned(), 1);
    QCoreApplication::processEvents();
    QVERIFY(!called);
}

void tst_LlmRouter::worksOnTheThreadItIsMovedTo()
{
    // The application builds the router and moves it to the engine thread: its network access,
    // retry and rate-limit timers must all follow it there.
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(FakeResponse::json(500, FakeProvider::openAiError(u"once"_s)));
    LlmConfig config = routerConfig();
    LlmBackendConfig backend = fakeBackend(u"a"_s, fake);
    backend.rateLimitTpm = 60000;
    config.backends = {backend};
    auto *router = new LlmRouter(config);
    QThread engine;
    engine.start();
    router->moveToThread(&engine);

    std::atomic<int> ok{0};
    std::atomic<QThread *> answeredOn{nullptr};
    QMetaObject::invokeMethod(router, [&] {
        const auto done = [&](const LlmResult &result) {
            ok += result.ok ? 1 : 0;
            answeredOn = QThread::currentThread();
        };
        // The first gets the 500 and is retried; the second, larger than the bucket, waits for it
        // to refill, and the retry then waits behind it for tokens again.
        router->complete(chatRequest(u"m"_s), done);
        router->complete(chatRequest(u"m"_s, QString(), QString(244000, u'x')), done);
    });
    QTRY_COMPARE(ok.load(), 2);
    QCOMPARE(answeredOn.load(), &engine);
    QCOMPARE(fake.requestCount(), 3);
    QMetaObject::invokeMethod(
        router, [router] { delete router; }, Qt::BlockingQueuedConnection);
    engine.quit();
    engine.wait();
}

QTEST_MAIN(tst_LlmRouter)
#include "tst_llmrouter.moc"
