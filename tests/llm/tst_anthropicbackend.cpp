#include "anthropicbackend.h"
#include "backendtestutil.h"
#include "fakeprovider.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {
const QString Key = u"sk-ant-test-0123456789"_s;
}

// Anthropic's Messages API against a fake server.
class tst_AnthropicBackend : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void requestAndReplyWithUsage();
    void systemMessagesAreJoinedIntoTheSystemField();
    void noSystemFieldWithoutSystemMessages();
    void maxTokensIsPassedThrough();
    void textBlocksAreJoined();
    void cacheWritesCountAsPrompt();
    void missingUsageIsEstimated();
    void malformedReplies_data();
    void malformedReplies();
    void errors_data();
    void errors();
    void keyIsRedactedFromErrors();
    void servesModels_data();
    void servesModels();
    void keyIsRequired();
    void defaultEndpoint();

private:
    std::optional<BackendReply> send(const LlmRequest &request);

    QNetworkAccessManager *m_network = nullptr;
    FakeProvider *m_fake = nullptr;
};

void tst_AnthropicBackend::init()
{
    m_network = new QNetworkAccessManager(this);
    m_fake = new FakeProvider(FakeProvider::Format::Anthropic, this);
}

void tst_AnthropicBackend::cleanup()
{
    delete m_fake;
    delete m_network;
}

std::optional<BackendReply> tst_AnthropicBackend::send(const LlmRequest &request)
{
    AnthropicBackend backend(backendConfig(u"anthropic"_s, m_fake->baseUrl()), Key, m_network);
    return sendAndWait(backend, request);
}

void tst_AnthropicBackend::requestAndReplyWithUsage()
{
    m_fake->enqueue(FakeResponse::json(
        200, FakeProvider::anthropicReply(u"Hello!"_s, u"claude-3-5-sonnet-20241022"_s, 100, 20, 40)));
    LlmRequest request = chatRequest(u"claude-3-5-sonnet-latest"_s, u"Be kind."_s, u"Hi"_s);
    request.temperature = 0.5;
    const std::optional<BackendReply> reply = send(request);
    QVERIFY(reply);
    QVERIFY2(reply->ok, qPrintable(reply->error));
    QCOMPARE(reply->result.content, u"Hello!"_s);
    QCOMPARE(reply->result.model, u"claude-3-5-sonnet-20241022"_s);
    QCOMPARE(reply->result.promptTokens, 140); // input_tokens + cache_read_input_tokens
    QCOMPARE(reply->result.completionTokens, 20);
    QCOMPARE(reply->result.cachedPromptTokens, 40);
    QVERIFY(!reply->result.estimatedTokens);

    const FakeRequest sent = m_fake->lastRequest();
    QCOMPARE(sent.method, QByteArray("POST"));
    QCOMPARE(sent.path, QByteArray("/v1/messages"));
    QCOMPARE(sent.header("x-api-key"), Key.toUtf8());
    QCOMPARE(sent.header("anthropic-version"), QByteArray("2023-06-01"));
    QCOMPARE(sent.header("content-type"), QByteArray("application/json"));
    QVERIFY(!sent.headers.contains("authorization"));
    const QJsonObject body = sent.json();
    QCOMPARE(body.value(u"model"_s).toString(), u"claude-3-5-sonnet-latest"_s);
    QCOMPARE(body.value(u"system"_s).toString(), u"Be kind."_s);
    QCOMPARE(body.value(u"max_tokens"_s).toInt(), 4096);
    QCOMPARE(body.value(u"temperature"_s).toDouble(), 0.5);
    QCOMPARE(body.value(u"messages"_s).toArray(),
             (QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Hi"_s}}}));
}

void tst_AnthropicBackend::systemMessagesAreJoinedIntoTheSystemField()
{
    LlmRequest request;
    request.model = u"claude-sonnet-4"_s;
    request.messages = {{u"system"_s, u"Rule one."_s},
                        {u"user"_s, u"Q1"_s},
                        {u"assistant"_s, u"A1"_s},
                        {u"system"_s, u"Rule two."_s},
                        {u"user"_s, u"Q2"_s}};
    QVERIFY(send(request));
    const QJsonObject body = m_fake->lastRequest().json();
    QCOMPARE(body.value(u"system"_s).toString(), u"Rule one.\n\nRule two."_s);
    const QJsonArray messages = body.value(u"messages"_s).toArray();
    QCOMPARE(messages.size(), 3);
    for (const QJsonValue &message : messages)
        QVERIFY(message.toObject().value(u"role"_s).toString() != u"system");
    QCOMPARE(messages.at(1).toObject().value(u"content"_s).toString(), u"A1"_s);
}

void tst_AnthropicBackend::noSystemFieldWithoutSystemMessages()
{
    QVERIFY(send(chatRequest(u"claude-3-haiku"_s, QString(), u"Hi"_s)));
    QVERIFY(!m_fake->lastRequest().json().contains(u"system"_s));
}

void tst_AnthropicBackend::maxTokensIsPassedThrough()
{
    LlmRequest request = chatRequest(u"claude-3-haiku"_s);
    request.maxTokens = 256;
    QVERIFY(send(request));
    QCOMPARE(m_fake->lastRequest().json().value(u"max_tokens"_s).toInt(), 256);
}

void tst_AnthropicBackend::textBlocksAreJoined()
{
    QJsonObject reply = FakeProvider::anthropicReply({}, u"claude-3-haiku"_s, 5, 6, 0);
    reply.insert(u"content"_s,
                 QJsonArray{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u"Part one, "_s}},
                            QJsonObject{{u"type"_s, u"tool_use"_s}, {u"id"_s, u"t1"_s}, {u"name"_s, u"calc"_s}},
                            QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u"part two."_s}}});
    m_fake->enqueue(FakeResponse::json(200, reply));
    const std::optional<BackendReply> result = send(chatRequest(u"claude-3-haiku"_s));
    QVERIFY(result && result->ok);
    QCOMPARE(result->result.content, u"Part one, part two."_s);
}

void tst_AnthropicBackend::cacheWritesCountAsPrompt()
{
    QJsonObject reply = FakeProvider::anthropicReply(u"ok"_s, u"claude-3-haiku"_s, 10, 2, 0);
    QJsonObject usage = reply.value(u"usage"_s).toObject();
    usage.insert(u"cache_creation_input_tokens"_s, 1000);
    reply.insert(u"usage"_s, usage);
    m_fake->enqueue(FakeResponse::json(200, reply));
    const std::optional<BackendReply> result = send(chatRequest(u"claude-3-haiku"_s));
    QVERIFY(result && result->ok);
    QCOMPARE(result->result.promptTokens, 1010);
    QCOMPARE(result->result.cachedPromptTokens, 0);
}

void tst_AnthropicBackend::missingUsageIsEstimated()
{
    QJsonObject reply = FakeProvider::anthropicReply(u"abcdefgh"_s, u"claude-3-haiku"_s, 0, 0, 0);
    reply.remove(u"usage"_s);
    m_fake->enqueue(FakeResponse::json(200, reply));
    const std::optional<BackendReply> result = send(chatRequest(u"claude-3-haiku"_s, u"sys"_s, u"user text"_s));
    QVERIFY(result && result->ok);
    QVERIFY(result->result.estimatedTokens);
    QCOMPARE(result->result.promptTokens, 3);     // ⌈12 / 4⌉
    QCOMPARE(result->result.completionTokens, 2); // ⌈8 / 4⌉
}

void tst_AnthropicBackend::malformedReplies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::newRow("not JSON") << QByteArray("{\"content\": ") << u"malformed JSON in the reply"_s;
    QTest::newRow("no content") << QByteArray("{\"type\": \"message\"}") << u"the reply has no content"_s;
    QTest::newRow("empty content") << QByteArray("{\"content\": []}") << u"the reply has no text content block"_s;
    QTest::newRow("only thinking") << QByteArray("{\"content\": [{\"type\": \"thinking\", \"thinking\": \"x\"}]}")
                                   << u"the reply has no text content block"_s;
}

void tst_AnthropicBackend::malformedReplies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    m_fake->enqueue(FakeResponse::raw(200, body));
    const std::optional<BackendReply> reply = send(chatRequest(u"claude-3-haiku"_s));
    QVERIFY(reply);
    QVERIFY(!reply->ok);
    QVERIFY(reply->retryable);
    QVERIFY2(reply->error.contains(error), qPrintable(reply->error));
}

void tst_AnthropicBackend::errors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("retryable");
    QTest::newRow("invalid request") << 400 << u"invalid_request_error"_s << u"max_tokens: too large"_s << false;
    QTest::newRow("authentication") << 401 << u"authentication_error"_s << u"invalid x-api-key"_s << false;
    QTest::newRow("permission") << 403 << u"permission_error"_s << u"not allowed"_s << false;
    QTest::newRow("rate limit") << 429 << u"rate_limit_error"_s << u"Number of request tokens has exceeded"_s << true;
    QTest::newRow("api error") << 500 << u"api_error"_s << u"Internal server error"_s << true;
    QTest::newRow("overloaded") << 529 << u"overloaded_error"_s << u"Overloaded"_s << true;
}

void tst_AnthropicBackend::errors()
{
    QFETCH(int, status);
    QFETCH(QString, type);
    QFETCH(QString, message);
    QFETCH(bool, retryable);
    m_fake->enqueue(FakeResponse::json(status, FakeProvider::anthropicError(type, message)));
    const std::optional<BackendReply> reply = send(chatRequest(u"claude-3-haiku"_s));
    QVERIFY(reply);
    QVERIFY(!reply->ok);
    QCOMPARE(reply->error, u"HTTP %1: %2"_s.arg(status).arg(message));
    QCOMPARE(reply->retryable, retryable);
}

void tst_AnthropicBackend::keyIsRedactedFromErrors()
{
    m_fake->enqueue(FakeResponse::json(
        401, FakeProvider::anthropicError(u"authentication_error"_s, u"invalid x-api-key %1"_s.arg(Key))));
    const std::optional<BackendReply> reply = send(chatRequest(u"claude-3-haiku"_s));
    QVERIFY(reply);
    QCOMPARE(reply->error, u"HTTP 401: invalid x-api-key [redacted]"_s);
}

void tst_AnthropicBackend::servesModels_data()
{
    QTest::addColumn<QStringList>("models");
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("served");
    QTest::newRow("claude") << QStringList() << u"claude-sonnet-4-20250514"_s << true;
    QTest::newRow("Claude upper case") << QStringList() << u"Claude-3-Opus"_s << true;
    QTest::newRow("anthropic prefix") << QStringList() << u"anthropic/claude-3"_s << true;
    QTest::newRow("gpt") << QStringList() << u"gpt-4o"_s << false;
    QTest::newRow("listed") << QStringList{u"my-claude"_s} << u"my-claude"_s << true;
    QTest::newRow("list overrides convention") << QStringList{u"my-claude"_s} << u"claude-3-haiku"_s << false;
}

void tst_AnthropicBackend::servesModels()
{
    QFETCH(QStringList, models);
    QFETCH(QString, model);
    QFETCH(bool, served);
    LlmBackendConfig config = backendConfig(u"anthropic"_s, {});
    config.models = models;
    QCOMPARE(AnthropicBackend(config, Key, m_network).serves(model), served);
}

void tst_AnthropicBackend::keyIsRequired()
{
    LlmBackendConfig config = backendConfig(u"anthropic"_s, {});
    QVERIFY(AnthropicBackend(config, Key, m_network).problem().isEmpty());
    QVERIFY(AnthropicBackend(config, QString(), m_network).problem().contains(u"api_key_env"_s));
    config.apiKeyEnv = u"ANTHROPIC_API_KEY"_s;
    QVERIFY(AnthropicBackend(config, QString(), m_network).problem().contains(u"ANTHROPIC_API_KEY"_s));
}

void tst_AnthropicBackend::defaultEndpoint()
{
    QCOMPARE(AnthropicBackend(backendConfig(u"anthropic"_s, {}), Key, m_network).endpoint().toString(),
             u"https://api.anthropic.com/v1/messages"_s);
}

QTEST_MAIN(tst_AnthropicBackend)
#include "tst_anthropicbackend.moc"
