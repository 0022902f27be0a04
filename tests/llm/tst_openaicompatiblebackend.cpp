#include "backendtestutil.h"
#include "fakeprovider.h"
#include "openaicompatiblebackend.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {
const QString Key = u"sk-test-0123456789abcdef"_s;
}

// The OpenAI chat-completions wire format against a fake server: what is sent, what is read back,
// and how every kind of failure is reported.
class tst_OpenAiCompatibleBackend : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void requestAndReplyWithUsage();
    void xaiSendsMaxTokens();
    void optionalFieldsAreOmitted();
    void reasoningModelsGetNoTemperature();
    void missingUsageIsEstimated();
    void contentPartsAreJoined();
    void malformedReplies_data();
    void malformedReplies();
    void httpErrors_data();
    void httpErrors();
    void retryAfterIsReadOn429And503_data();
    void retryAfterIsReadOn429And503();
    void timeoutAbortsTheRequest();
    void connectionRefused();
    void abortClosesTheConnection();
    void keyIsRedactedFromErrors();
    void noAuthorizationWithoutKey();
    void oversizedReplyIsRefused();
    void servesModels_data();
    void servesModels();
    void problems_data();
    void problems();
    void endpoints_data();
    void endpoints();

private:
    std::unique_ptr<OpenAiCompatibleBackend> backend(const QString &provider, const QString &key = Key);

    QNetworkAccessManager *m_network = nullptr;
    FakeProvider *m_fake = nullptr;
};

void tst_OpenAiCompatibleBackend::init()
{
    m_network = new QNetworkAccessManager(this);
    m_fake = new FakeProvider(FakeProvider::Format::OpenAi, this);
}

void tst_OpenAiCompatibleBackend::cleanup()
{
    delete m_fake;
    delete m_network;
}

std::unique_ptr<OpenAiCompatibleBackend> tst_OpenAiCompatibleBackend::backend(const QString &provider,
                                                                              const QString &key)
{
    return std::make_unique<OpenAiCompatibleBackend>(backendConfig(provider, m_fake->baseUrl()), key, m_network);
}

void tst_OpenAiCompatibleBackend::requestAndReplyWithUsage()
{
    m_fake->enqueue(
        FakeResponse::json(200, FakeProvider::openAiReply(u"Hi there"_s, u"gpt-4o-2024-08-06"_s, 120, 30, 64)));
    auto openai = backend(u"openai"_s);
    LlmRequest request = chatRequest(u"gpt-4o"_s, u"Be brief."_s, u"Hello?"_s);
    request.temperature = 0.25;
    request.maxTokens = 50;
    const std::optional<BackendReply> reply = sendAndWait(*openai, request);
    QVERIFY(reply);
    QVERIFY2(reply->ok, qPrintable(reply->error));
    QCOMPARE(reply->result.content, u"Hi there"_s);
    QCOMPARE(reply->result.model, u"gpt-4o-2024-08-06"_s);
    QCOMPARE(reply->result.promptTokens, 120);
    QCOMPARE(reply->result.completionTokens, 30);
    QCOMPARE(reply->result.cachedPromptTokens, 64);
    QVERIFY(!reply->result.estimatedTokens);

    QCOMPARE(m_fake->requestCount(), 1);
    const FakeRequest sent = m_fake->lastRequest();
    QCOMPARE(sent.method, QByteArray("POST"));
    QCOMPARE(sent.path, QByteArray("/v1/chat/completions"));
    QCOMPARE(sent.header("Authorization"), "Bearer " + Key.toUtf8());
    QCOMPARE(sent.header("Content-Type"), QByteArray("application/json"));
    const QJsonObject body = sent.json();
    QCOMPARE(body.value(u"model"_s).toString(), u"gpt-4o"_s);
    QCOMPARE(body.value(u"temperature"_s).toDouble(), 0.25);
    QCOMPARE(body.value(u"max_completion_tokens"_s).toInt(), 50);
    QVERIFY(!body.contains(u"max_tokens"_s));
    const QJsonArray messages = body.value(u"messages"_s).toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject(), (QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"Be brief."_s}}));
    QCOMPARE(messages.at(1).toObject(), (QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Hello?"_s}}));
}

void tst_OpenAiCompatibleBackend::xaiSendsMaxTokens()
{
    auto xai = backend(u"xai"_s);
    LlmRequest request = chatRequest(u"grok-3-mini"_s);
    request.maxTokens = 77;
    QVERIFY(sendAndWait(*xai, request));
    const QJsonObject body = m_fake->lastRequest().json();
    QCOMPARE(body.value(u"max_tokens"_s).toInt(), 77);
    QCOMPARE(body.value(u"temperature"_s).toDouble(), 0.7);
}

void tst_OpenAiCompatibleBackend::optionalFieldsAreOmitted()
{
    auto vllm = backend(u"vllm"_s);
    QVERIFY(sendAndWait(*vllm, chatRequest(u"meta-llama/Llama-3.1-8B-Instruct"_s)));
    const QJsonObject body = m_fake->lastRequest().json();
    QCOMPARE(body.keys(), QStringList({u"messages"_s, u"model"_s, u"temperature"_s}));
}

void tst_OpenAiCompatibleBackend::reasoningModelsGetNoTemperature()
{
    auto openai = backend(u"openai"_s);
    QVERIFY(sendAndWait(*openai, chatRequest(u"o3-mini"_s)));
    QVERIFY(!m_fake->lastRequest().json().contains(u"temperature"_s));
}

void tst_OpenAiCompatibleBackend::missingUsageIsEstimated()
{
    QJsonObject reply = FakeProvider::openAiReply(u"twelve chars"_s, u"local-model"_s, 0, 0, 0);
    reply.remove(u"usage"_s);
    m_fake->enqueue(FakeResponse::json(200, reply));
    auto local = backend(u"openai-compatible"_s, QString());
    const LlmRequest request = chatRequest(u"local-model"_s, u"12345"_s, u"1234567890"_s); // 15 characters
    const std::optional<BackendReply> result = sendAndWait(*local, request);
    QVERIFY(result && result->ok);
    QVERIFY(result->result.estimatedTokens);
    QCOMPARE(result->result.promptTokens, 4);     // ⌈15 / 4⌉
    QCOMPARE(result->result.completionTokens, 3); // ⌈12 / 4⌉
    QCOMPARE(result->result.cachedPromptTokens, 0);
}

void tst_OpenAiCompatibleBackend::contentPartsAreJoined()
{
    QJsonObject reply = FakeProvider::openAiReply({}, u"m"_s, 1, 2, 0);
    const QJsonArray parts{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u"one "_s}},
                           QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u"two"_s}}};
    QJsonObject choice{{u"index"_s, 0},
                       {u"message"_s, QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, parts}}}};
    reply.insert(u"choices"_s, QJsonArray{choice});
    m_fake->enqueue(FakeResponse::json(200, reply));
    auto local = backend(u"lmstudio"_s, QString());
    const std::optional<BackendReply> result = sendAndWait(*local, chatRequest(u"m"_s));
    QVERIFY(result && result->ok);
    QCOMPARE(result->result.content, u"one two"_s);
}

void tst_OpenAiCompatibleBackend::malformedReplies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::newRow("not JSON") << QByteArray("{\"choices\": [") << u"malformed JSON in the reply"_s;
    QTest::newRow("HTML") << QByteArray("<html>oops</html>") << u"malformed JSON in the reply"_s;
    QTest::newRow("empty body") << QByteArray() << u"malformed JSON in the reply"_s;
    QTest::newRow("array") << QByteArray("[1, 2]") << u"expected a JSON object"_s;
    QTest::newRow("no choices") << QByteArray("{\"model\": \"m\"}") << u"the reply has no choices"_s;
    QTest::newRow("empty choices") << QByteArray("{\"choices\": []}") << u"the reply has no choices"_s;
    QTest::newRow("no message") << QByteArray("{\"choices\": [{\"index\": 0}]}")
                                << u"the reply's first choice has no message content"_s;
    QTest::newRow("null content") << QByteArray("{\"choices\": [{\"message\": {\"content\": null}}]}")
                                  << u"the reply's first choice has no message content"_s;
    QTest::newRow("refusal") << QByteArray("{\"choices\": [{\"message\": {\"content\": null, \"refusal\": \"no\"}}]}")
                             << u"the model refused: no"_s;
}

void tst_OpenAiCompatibleBackend::malformedReplies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    m_fake->enqueue(FakeResponse::raw(200, body));
    auto openai = backend(u"openai"_s);
    const std::optional<BackendReply> reply = sendAndWait(*openai, chatRequest(u"gpt-4o"_s));
    QVERIFY(reply);
    QVERIFY(!reply->ok);
    QVERIFY2(reply->error.contains(error), qPrintable(reply->error));
    QVERIFY(reply->retryable);
    QCOMPARE(reply->httpStatus, 200);
}

void tst_OpenAiCompatibleBackend::httpErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::addColumn<bool>("retryable");
    const auto error = [](const char *message) {
        return QJsonDocument(FakeProvider::openAiError(QString::fromUtf8(message))).toJson(QJsonDocument::Compact);
    };
    QTest::newRow("400") << 400 << error("Invalid value for 'temperature'")
                         << u"HTTP 400: Invalid value for 'temperature'"_s << false;
    QTest::newRow("401") << 401 << error("Invalid authentication") << u"HTTP 401: Invalid authentication"_s << false;
    QTest::newRow("404") << 404 << error("The model `x` does not exist") << u"HTTP 404: The model `x` does not exist"_s
                         << false;
    QTest::newRow("408") << 408 << error("timeout") << u"HTTP 408: timeout"_s << true;
    QTest::newRow("409") << 409 << error("conflict") << u"HTTP 409: conflict"_s << true;
    QTest::newRow("429") << 429 << error("Rate limit reached") << u"HTTP 429: Rate limit reached"_s << true;
    QTest::newRow("500") << 500 << error("The server had an error") << u"HTTP 500: The server had an error"_s << true;
    QTest::newRow("502 HTML") << 502 << QByteArray("<html><body>Bad gateway</body></html>")
                              << u"HTTP 502: <html><body>Bad gateway</body></html>"_s << true;
    QTest::newRow("503 no body") << 503 << QByteArray() << u"HTTP 503: Service Unavailable"_s << true;
    QTest::newRow("llama.cpp string error")
        << 400 << QByteArray("{\"error\": \"context too long\"}") << u"HTTP 400: context too long"_s << false;
    QTest::newRow("FastAPI detail") << 422 << QByteArray("{\"detail\": \"bad messages\"}")
                                    << u"HTTP 422: bad messages"_s << false;
}

void tst_OpenAiCompatibleBackend::httpErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    QFETCH(bool, retryable);
    m_fake->enqueue(FakeResponse::raw(status, body));
    auto openai = backend(u"openai"_s);
    const std::optional<BackendReply> reply = sendAndWait(*openai, chatRequest(u"gpt-4o"_s));
    QVERIFY(reply);
    QVERIFY(!reply->ok);
    QCOMPARE(reply->error, error);
    QCOMPARE(reply->httpStatus, status);
    QCOMPARE(reply->retryable, retryable);
}

void tst_OpenAiCompatibleBackend::retryAfterIsReadOn429And503_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<double>("seconds"); // < 0: not honoured
    QTest::newRow("429 seconds") << 429 << QByteArray("7") << 7.0;
    QTest::newRow("503 seconds") << 503 << QByteArray("2") << 2.0;
    QTest::newRow("429 date in the past") << 429 << QByteArray("Wed, 21 Oct 2015 07:28:00 GMT") << 0.0;
    QTest::newRow("500 ignores it") << 500 << QByteArray("7") << -1.0;
}

void tst_OpenAiCompatibleBackend::retryAfterIsReadOn429And503()
{
    QFETCH(int, status);
    QFETCH(QByteArray, retryAfter);
    QFETCH(double, seconds);
    m_fake->enqueue(
        FakeResponse::json(status, FakeProvider::openAiError(u"slow down"_s)).withHeader("Retry-After", retryAfter));
    auto openai = backend(u"openai"_s);
    const std::optional<BackendReply> reply = sendAndWait(*openai, chatRequest(u"gpt-4o"_s));
    QVERIFY(reply);
    QVERIFY(reply->retryable);
    if (seconds < 0) {
        QVERIFY(!reply->retryAfterSeconds);
    } else {
        QVERIFY(reply->retryAfterSeconds);
        QCOMPARE(*reply->retryAfterSeconds, seconds);
    }
}

void tst_OpenAiCompatibleBackend::timeoutAbortsTheRequest()
{
    m_fake->enqueue(FakeResponse::hang());
    LlmBackendConfig config = backendConfig(u"openai"_s, m_fake->baseUrl());
    config.timeoutSeconds = 0.2;
    OpenAiCompatibleBackend openai(config, Key, m_network);
    const std::optional<BackendReply> reply = sendAndWait(openai, chatRequest(u"gpt-4o"_s));
    QVERIFY(reply);
    QVERIFY(!reply->ok);
    QVERIFY(reply->retryable);
    QCOMPARE(reply->httpStatus, 0);
    QCOMPARE(reply->error, u"no answer within the timeout of 0.2 s (request aborted)"_s);
    QTRY_COMPARE(m_fake->abandoned(), 1);
    QCOMPARE(openai.active(), 0);
}

void tst_OpenAiCompatibleBackend::connectionRefused()
{
    OpenAiCompatibleBackend local(backendConfig(u"vllm"_s, u"http://127.0.0.1:%1/v1"_s.arg(closedPort())), QString(),
                                  m_network);
    const std::optional<BackendReply> reply = sendAndWait(local, chatRequest(u"m"_s));
    QVERIFY(reply);
    QVERIFY(!reply->ok);
    QVERIFY(reply->retryable);
    QCOMPARE(reply->httpStatus, 0);
    QVERIFY2(reply->error.startsWith(u"no HTTP answer from http://127.0.0.1:"_s), qPrintable(reply->error));
    QVERIFY2(reply->error.contains(u"refused"_s, Qt::CaseInsensitive), qPrintable(reply->error));
}

void tst_OpenAiCompatibleBackend::abortClosesTheConnection()
{
    m_fake->enqueue(FakeResponse::hang());
    auto openai = backend(u"openai"_s);
    bool answered = false;
    const quint64 id = openai->send(chatRequest(u"gpt-4o"_s), [&answered](const BackendReply &) { answered = true; });
    QTRY_COMPARE(m_fake->requestCount(), 1);
    openai->abort(id);
    QCOMPARE(openai->active(), 0);
    QTRY_COMPARE(m_fake->abandoned(), 1);
    QVERIFY(!answered);
}

void tst_OpenAiCompatibleBackend::keyIsRedactedFromErrors()
{
    m_fake->enqueue(FakeResponse::json(401, FakeProvider::openAiError(u"Incorrect API key provided: %1."_s.arg(Key))));
    auto openai = backend(u"openai"_s);
    const std::optional<BackendReply> reply = sendAndWait(*openai, chatRequest(u"gpt-4o"_s));
    QVERIFY(reply);
    QCOMPARE(reply->error, u"HTTP 401: Incorrect API key provided: [redacted]."_s);
    QVERIFY(!reply->error.contains(Key));
}

void tst_OpenAiCompatibleBackend::noAuthorizationWithoutKey()
{
    auto local = backend(u"llamacpp"_s, QString());
    QVERIFY(sendAndWait(*local, chatRequest(u"any"_s)));
    QVERIFY(!m_fake->lastRequest().headers.contains("authorization"));
}

void tst_OpenAiCompatibleBackend::oversizedReplyIsRefused()
{
    m_fake->enqueue(FakeResponse::raw(200, QByteArray(HttpLlmBackend::MaxReplyBytes + 1024, ' ')));
    auto openai = backend(u"openai"_s);
    const std::optional<BackendReply> reply = sendAndWait(*openai, chatRequest(u"gpt-4o"_s));
    QVERIFY(reply);
    QVERIFY(!reply->ok);
    QCOMPARE(reply->error, u"reply larger than 8 MiB (refused)"_s);
}

void tst_OpenAiCompatibleBackend::servesModels_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QStringList>("models");
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("served");
    QTest::newRow("openai gpt") << u"openai"_s << QStringList() << u"gpt-4o-mini"_s << true;
    QTest::newRow("openai o1") << u"openai"_s << QStringList() << u"o1-preview"_s << true;
    QTest::newRow("openai o3") << u"openai"_s << QStringList() << u"o3-mini"_s << true;
    QTest::newRow("openai o4") << u"openai"_s << QStringList() << u"o4-mini"_s << true;
    QTest::newRow("openai case") << u"openai"_s << QStringList() << u"GPT-4"_s << true;
    QTest::newRow("openai claude") << u"openai"_s << QStringList() << u"claude-3-opus"_s << false;
    QTest::newRow("openai grok") << u"openai"_s << QStringList() << u"grok-3"_s << false;
    QTest::newRow("xai grok") << u"xai"_s << QStringList() << u"grok-4.1"_s << true;
    QTest::newRow("xai gpt") << u"xai"_s << QStringList() << u"gpt-4o"_s << false;
    QTest::newRow("xai grok inside") << u"xai"_s << QStringList() << u"my-grok"_s << false;
    QTest::newRow("vllm anything") << u"vllm"_s << QStringList() << u"Qwen/Qwen2.5-7B"_s << true;
    QTest::newRow("lmstudio anything") << u"lmstudio"_s << QStringList() << u"x"_s << true;
    QTest::newRow("listed") << u"vllm"_s << QStringList{u"a"_s, u"b"_s} << u"b"_s << true;
    QTest::newRow("not listed") << u"vllm"_s << QStringList{u"a"_s, u"b"_s} << u"c"_s << false;
    QTest::newRow("list overrides convention") << u"openai"_s << QStringList{u"ft:custom"_s} << u"gpt-4o"_s << false;
    QTest::newRow("listed non-gpt") << u"openai"_s << QStringList{u"ft:custom"_s} << u"ft:custom"_s << true;
}

void tst_OpenAiCompatibleBackend::servesModels()
{
    QFETCH(QString, provider);
    QFETCH(QStringList, models);
    QFETCH(QString, model);
    QFETCH(bool, served);
    LlmBackendConfig config = backendConfig(provider, m_fake->baseUrl());
    config.models = models;
    const OpenAiCompatibleBackend backend(config, Key, m_network);
    QCOMPARE(backend.serves(model), served);
}

void tst_OpenAiCompatibleBackend::problems_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<QString>("keyEnv");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("problem"); // empty: usable
    QTest::newRow("openai with key") << u"openai"_s << QString() << u"OPENAI_API_KEY"_s << Key << QString();
    QTest::newRow("openai no api_key_env") << u"openai"_s << QString() << QString() << QString()
                                           << u"no API key: provider openai needs one; set api_key_env to the name "
                                              "of the environment variable that holds it"_s;
    QTest::newRow("xai variable unset") << u"xai"_s << QString() << u"XAI_API_KEY"_s << QString()
                                        << u"the environment variable XAI_API_KEY (api_key_env) is not set or "
                                           "empty; set it to the API key before starting"_s;
    QTest::newRow("vllm without key") << u"vllm"_s << u"http://127.0.0.1:8000/v1"_s << QString() << QString()
                                      << QString();
    QTest::newRow("vllm without base_url") << u"vllm"_s << QString() << QString() << QString()
                                           << u"base_url is required for provider vllm (the server's "
                                              "OpenAI-compatible root, e.g. http://localhost:8000/v1)"_s;
    QTest::newRow("compatible, named variable unset")
        << u"openai-compatible"_s << u"http://127.0.0.1:8000/v1"_s << u"PROXY_KEY"_s << QString()
        << u"the environment variable PROXY_KEY (api_key_env) is not set or empty; set it to the API key before "
           "starting"_s;
}

void tst_OpenAiCompatibleBackend::problems()
{
    QFETCH(QString, provider);
    QFETCH(QString, baseUrl);
    QFETCH(QString, keyEnv);
    QFETCH(QString, key);
    QFETCH(QString, problem);
    LlmBackendConfig config = backendConfig(provider, baseUrl);
    config.apiKeyEnv = keyEnv;
    const OpenAiCompatibleBackend backend(config, key, m_network);
    QCOMPARE(backend.problem(), problem);
}

void tst_OpenAiCompatibleBackend::endpoints_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<QString>("endpoint");
    QTest::newRow("openai default") << u"openai"_s << QString() << u"https://api.openai.com/v1/chat/completions"_s;
    QTest::newRow("xai default") << u"xai"_s << QString() << u"https://api.x.ai/v1/chat/completions"_s;
    QTest::newRow("trailing slash") << u"vllm"_s << u"http://gpu:8000/v1/"_s
                                    << u"http://gpu:8000/v1/chat/completions"_s;
    QTest::newRow("ollama /v1") << u"openai-compatible"_s << u"http://localhost:11434/v1"_s
                                << u"http://localhost:11434/v1/chat/completions"_s;
}

void tst_OpenAiCompatibleBackend::endpoints()
{
    QFETCH(QString, provider);
    QFETCH(QString, baseUrl);
    QFETCH(QString, endpoint);
    const OpenAiCompatibleBackend backend(backendConfig(provider, baseUrl), Key, m_network);
    QCOMPARE(backend.endpoint().toString(), endpoint);
}

QTEST_MAIN(tst_OpenAiCompatibleBackend)
#include "tst_openaicompatiblebackend.moc"
