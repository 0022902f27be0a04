#include "anthropicbackend.h"
#include "backendtestutil.h"
#include "fakeprovider.h"
#include "llmrouter.h"
#include "openaicompatiblebackend.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QString Key = u"sk-test-0123456789abcdef"_s;

LlmConfig routerConfig(const FakeProvider &fake, int retries = 3)
{
    LlmConfig config;
    config.retries = retries;
    config.retryBaseDelay = 0.01;
    config.retryMaxDelay = 1;
    config.backends = {backendConfig(u"openai-compatible"_s, fake.baseUrl(), u"fake"_s)};
    return config;
}

// A 200 reply the router cannot use (no content, no tool call) that reports usage all the same.
QJsonObject unusableReply(qint64 prompt, qint64 completion)
{
    QJsonObject reply = FakeProvider::openAiReply(QString(), u"gpt-4o"_s, prompt, completion, 0);
    QJsonArray choices = reply.value(u"choices"_s).toArray();
    QJsonObject choice = choices[0].toObject();
    choice.insert(u"message"_s, QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, QJsonValue::Null}});
    choices[0] = choice;
    reply.insert(u"choices"_s, choices);
    return reply;
}

struct Outcome
{
    QList<LlmResult> attempts; // reported through attemptEnded
    std::optional<LlmResult> result;
    qint64 meteredTokens() const
    {
        qint64 sum = result && result->isMetered() ? result->totalTokens() : 0;
        for (const LlmResult &attempt : attempts)
            sum += attempt.isMetered() ? attempt.totalTokens() : 0;
        return sum;
    }
};

} // namespace

// What the provider bills is what the router reports: every attempt with usage, retried or not,
// with its outcome; the bill's categories (cache writes, reasoning) counted once; aborted requests.
class tst_LlmBilling : public QObject
{
    Q_OBJECT
private slots:
    void retriedUnusableRepliesAreReportedWithTheirTokens();
    void timeoutIsReportedAsAborted();
    void cancelOnTheWireIsReportedAsAborted();
    void cancelOfAQueuedCallIsNotBilled();
    void finalUnusableReplyCarriesItsTokens();
    void reasoningTokensAreCountedOnce_data();
    void reasoningTokensAreCountedOnce();
    void anthropicCacheWritesAreTheirOwnCategory();
    void backendStateShowsHealthLatencyAndLimits();
    void toolModeIsNativeOnlyWhenEveryBackendTakesTools();

private:
    Outcome run(LlmRouter &router, const LlmRequest &request);
};

Outcome tst_LlmBilling::run(LlmRouter &router, const LlmRequest &request)
{
    Outcome outcome;
    LlmClient::Handlers handlers;
    handlers.done = [&outcome](const LlmResult &result) { outcome.result = result; };
    handlers.attemptEnded = [&outcome](const LlmResult &attempt) { outcome.attempts.append(attempt); };
    router.call(request, std::move(handlers));
    if (!QTest::qWaitFor([&outcome] { return outcome.result.has_value(); }, 30000))
        qWarning("no answer within 30 s");
    return outcome;
}

void tst_LlmBilling::retriedUnusableRepliesAreReportedWithTheirTokens()
{
    // The case of the issue: 1,104 tokens billed per unusable reply, and each retried.
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(2, FakeResponse::json(200, unusableReply(1000, 104)));
    fake.enqueue(FakeResponse::json(500, FakeProvider::openAiError(u"boom"_s)));
    fake.enqueue(FakeResponse::json(200, FakeProvider::openAiReply(u"fine"_s, u"gpt-4o"_s, 1000, 20, 0)));
    LlmRouter router(routerConfig(fake));
    const Outcome outcome = run(router, chatRequest(u"gpt-4o"_s));
    QVERIFY(outcome.result && outcome.result->ok);
    QCOMPARE(outcome.result->attempts, 4);
    QCOMPARE(outcome.attempts.size(), 3); // every attempt before the last
    QCOMPARE(toString(outcome.attempts[0].outcome), u"unusable"_s);
    QCOMPARE(outcome.attempts[0].totalTokens(), 1104);
    QCOMPARE(outcome.attempts[0].backend, u"fake"_s);
    QCOMPARE(toString(outcome.attempts[1].outcome), u"unusable"_s);
    QCOMPARE(toString(outcome.attempts[2].outcome), u"error"_s); // the 500: reported, with no usage
    QVERIFY(!outcome.attempts[2].isMetered());
    QCOMPARE(outcome.meteredTokens(), fake.billedTokens());
    QCOMPARE(fake.billedTokens(), 1104 + 1104 + 1020);
}

void tst_LlmBilling::timeoutIsReportedAsAborted()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(FakeResponse::hang());
    LlmConfig config = routerConfig(fake, 1);
    config.backends[0].timeoutSeconds = 0.2;
    LlmRouter router(config);
    const Outcome outcome = run(router, chatRequest(u"gpt-4o"_s));
    QVERIFY(outcome.result && outcome.result->ok);
    QCOMPARE(outcome.attempts.size(), 1);
    QCOMPARE(toString(outcome.attempts[0].outcome), u"aborted"_s);
    QCOMPARE(outcome.attempts[0].totalTokens(), 0);
    QVERIFY(outcome.attempts[0].isMetered()); // the provider may still bill it: it is recorded
}

void tst_LlmBilling::cancelOnTheWireIsReportedAsAborted()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(FakeResponse::hang());
    LlmRouter router(routerConfig(fake));
    QList<LlmResult> attempts;
    bool done = false;
    LlmClient::Handlers handlers;
    handlers.done = [&done](const LlmResult &) { done = true; };
    handlers.attemptEnded = [&attempts](const LlmResult &attempt) { attempts.append(attempt); };
    const quint64 id = router.call(chatRequest(u"gpt-4o"_s), std::move(handlers));
    QTRY_COMPARE(fake.requestCount(), 1);
    router.cancel(id);
    QCOMPARE(attempts.size(), 1); // reported from inside cancel()
    QCOMPARE(toString(attempts[0].outcome), u"aborted"_s);
    QCOMPARE(attempts[0].model, u"gpt-4o"_s);
    QCOMPARE(attempts[0].backend, u"fake"_s);
    QTRY_COMPARE(fake.abandoned(), 1);
    QVERIFY(!done);
}

void tst_LlmBilling::cancelOfAQueuedCallIsNotBilled()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.setHolding(true);
    LlmConfig config = routerConfig(fake);
    config.backends[0].maxConcurrent = 1;
    LlmRouter router(config);
    router.complete(chatRequest(u"gpt-4o"_s), [](const LlmResult &) {});
    QList<LlmResult> attempts;
    LlmClient::Handlers handlers;
    handlers.done = [](const LlmResult &) {};
    handlers.attemptEnded = [&attempts](const LlmResult &attempt) { attempts.append(attempt); };
    const quint64 queued = router.call(chatRequest(u"gpt-4o"_s), std::move(handlers));
    QTRY_COMPARE(fake.requestCount(), 1);
    router.cancel(queued); // never left the process
    QVERIFY(attempts.isEmpty());
    fake.release();
}

void tst_LlmBilling::finalUnusableReplyCarriesItsTokens()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(2, FakeResponse::json(200, unusableReply(500, 5)));
    LlmRouter router(routerConfig(fake, 1));
    const Outcome outcome = run(router, chatRequest(u"gpt-4o"_s));
    QVERIFY(outcome.result && !outcome.result->ok);
    QCOMPARE(toString(outcome.result->outcome), u"unusable"_s);
    QCOMPARE(outcome.result->totalTokens(), 505);
    QVERIFY(outcome.result->isMetered());
    QCOMPARE(outcome.meteredTokens(), fake.billedTokens());
}

void tst_LlmBilling::reasoningTokensAreCountedOnce_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<bool>("apart");
    QTest::addColumn<qint64>("completion");
    // OpenAI: completion_tokens (500) already holds the 400 reasoning tokens.
    QTest::newRow("openai counts reasoning inside") << u"openai"_s << false << qint64(500);
    // xAI: completion_tokens (100) leaves the 400 reasoning tokens out; total_tokens adds them.
    QTest::newRow("xai counts reasoning apart") << u"xai"_s << true << qint64(500);
    QTest::newRow("a compatible server whose total says apart") << u"openai-compatible"_s << true << qint64(500);
}

void tst_LlmBilling::reasoningTokensAreCountedOnce()
{
    QFETCH(QString, provider);
    QFETCH(bool, apart);
    QFETCH(qint64, completion);
    FakeProvider fake(FakeProvider::Format::OpenAi);
    const FakeProvider::Usage usage{100, apart ? 100 : 500, 0, 0, 400, apart};
    QJsonObject reply = FakeProvider::openAiReply(u"42"_s, u"m"_s, 0, 0, 0);
    reply.insert(u"usage"_s, FakeProvider::openAiUsage(usage));
    fake.enqueue(FakeResponse::json(200, reply));
    QNetworkAccessManager network;
    OpenAiCompatibleBackend backend(backendConfig(provider, fake.baseUrl()), Key, &network);
    const auto answer = sendAndWait(backend, chatRequest(u"o3-mini"_s));
    QVERIFY(answer && answer->ok);
    QCOMPARE(answer->result.completionTokens, completion);
    QCOMPARE(answer->result.reasoningTokens, 400);
    QCOMPARE(answer->result.promptTokens, 100);
    QCOMPARE(answer->result.totalTokens(), fake.billedTokens());
}

void tst_LlmBilling::anthropicCacheWritesAreTheirOwnCategory()
{
    FakeProvider fake(FakeProvider::Format::Anthropic);
    QJsonObject reply = FakeProvider::anthropicReply(u"ok"_s, u"claude-sonnet-4"_s, 0, 0, 0);
    reply.insert(u"usage"_s, FakeProvider::anthropicUsage({100, 50, 500, 2000, 0, false}));
    fake.enqueue(FakeResponse::json(200, reply));
    QNetworkAccessManager network;
    AnthropicBackend backend(backendConfig(u"anthropic"_s, fake.baseUrl()), Key, &network);
    const auto answer = sendAndWait(backend, chatRequest(u"claude-sonnet-4"_s));
    QVERIFY(answer && answer->ok);
    // input_tokens (100) leaves out cache reads (500) and writes (2000): the prompt is all of them.
    QCOMPARE(answer->result.promptTokens, 2600);
    QCOMPARE(answer->result.cachedPromptTokens, 500);
    QCOMPARE(answer->result.cacheWriteTokens, 2000);
    QCOMPARE(answer->result.completionTokens, 50);
    QCOMPARE(answer->result.totalTokens(), fake.billedTokens());
}

void tst_LlmBilling::backendStateShowsHealthLatencyAndLimits()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    fake.enqueue(FakeResponse::json(200, FakeProvider::openAiReply(u"a"_s, u"m"_s, 10, 5, 0)));
    fake.enqueue(FakeResponse::json(400, FakeProvider::openAiError(u"bad request"_s)));
    LlmConfig config = routerConfig(fake, 0);
    config.backends[0].rateLimitTpm = 60000;
    config.backends[0].models = QStringList{u"m"_s};
    LlmRouter router(config);
    QVERIFY(run(router, chatRequest(u"m"_s)).result->ok);
    LlmBackendState state = router.backendStates().value(0);
    QCOMPARE(state.name, u"fake"_s);
    QCOMPARE(state.provider, u"openai-compatible"_s);
    QCOMPARE(state.models, QStringList{u"m"_s});
    QCOMPARE(toString(state.health), u"ok"_s);
    QCOMPARE(state.calls, 1);
    QVERIFY(state.latencyP50Ms && state.latencyP95Ms);
    QCOMPARE(state.rateLimitTpm, 60000);
    QVERIFY(state.tokensLeft > 0 && state.tokensLeft < 60000); // charged the call's estimate
    QVERIFY(!state.nativeTools);

    QVERIFY(!run(router, chatRequest(u"m"_s)).result->ok);
    state = router.backendStates().value(0);
    QCOMPARE(toString(state.health), u"failing"_s);
    QVERIFY(state.lastError.contains(u"bad request"_s));
    QVERIFY(state.failingSince.isValid());

    fake.enqueue(FakeResponse::json(429, FakeProvider::openAiError(u"slow down"_s)).withHeader("Retry-After", "30"));
    QVERIFY(!run(router, chatRequest(u"m"_s)).result->ok);
    state = router.backendStates().value(0);
    QCOMPARE(toString(state.health), u"rate-limited"_s);
    QVERIFY(state.rateLimitedForSeconds > 20 && state.rateLimitedForSeconds <= 30);
}

void tst_LlmBilling::toolModeIsNativeOnlyWhenEveryBackendTakesTools()
{
    FakeProvider fake(FakeProvider::Format::OpenAi);
    LlmConfig config = routerConfig(fake);
    LlmBackendConfig local = config.backends[0]; // openai-compatible: tools unknown
    local.models = QStringList{u"m"_s};
    LlmBackendConfig declared = local;
    declared.name = u"declared"_s;
    declared.toolMode = LlmToolMode::Native;
    declared.models = QStringList{u"n"_s};
    config.backends = {local, declared};
    LlmRouter router(config);
    QCOMPARE(toString(router.toolModeFor(u"m"_s, LlmToolMode::Auto)), u"xml"_s);
    QCOMPARE(toString(router.toolModeFor(u"m"_s, LlmToolMode::Native)), u"native"_s); // the agent says so
    QCOMPARE(toString(router.toolModeFor(u"n"_s, LlmToolMode::Auto)), u"native"_s);
    QCOMPARE(toString(router.toolModeFor(u"n"_s, LlmToolMode::Xml)), u"xml"_s);
    config.backends[1].toolMode = LlmToolMode::Xml;
    LlmRouter xmlOnly(config);
    QCOMPARE(toString(xmlOnly.toolModeFor(u"n"_s, LlmToolMode::Native)), u"xml"_s); // the backend cannot
}

QTEST_GUILESS_MAIN(tst_LlmBilling)
#include "tst_llmbilling.moc"
