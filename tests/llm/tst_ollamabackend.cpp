#include "backendtestutil.h"
#include "fakeprovider.h"
#include "ollamabackend.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

// Ollama's native /api/chat against a fake server.
class tst_OllamaBackend : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void requestAndReplyWithCounts();
    void maxTokensBecomesNumPredict();
    void missingCountsAreEstimated();
    void errors_data();
    void errors();
    void malformedReplies_data();
    void malformedReplies();
    void servesEveryModelUnlessListed_data();
    void servesEveryModelUnlessListed();
    void keyIsOptional();
    void defaultEndpoint();

private:
    std::optional<BackendReply> send(const LlmRequest &request, const QString &key = {});

    QNetworkAccessManager *m_network = nullptr;
    FakeProvider *m_fake = nullptr;
};

void tst_OllamaBackend::init()
{
    m_network = new QNetworkAccessManager(this);
    m_fake = new FakeProvider(FakeProvider::Format::Ollama, this);
}

void tst_OllamaBackend::cleanup()
{
    delete m_fake;
    delete m_network;
}

std::optional<BackendReply> tst_OllamaBackend::send(const LlmRequest &request, const QString &key)
{
    OllamaBackend backend(backendConfig(u"ollama"_s, m_fake->baseUrl()), key, m_network);
    return sendAndWait(backend, request);
}

void tst_OllamaBackend::requestAndReplyWithCounts()
{
    m_fake->enqueue(FakeResponse::json(200, FakeProvider::ollamaReply(u"Bonjour"_s, u"llama3.2:latest"_s, 26, 9)));
    LlmRequest request = chatRequest(u"llama3.2"_s, u"Answer in French."_s, u"Hello"_s);
    request.temperature = 0.1;
    const std::optional<BackendReply> reply = send(request);
    QVERIFY(reply);
    QVERIFY2(reply->ok, qPrintable(reply->error));
    QCOMPARE(reply->result.content, u"Bonjour"_s);
    QCOMPARE(reply->result.model, u"llama3.2:latest"_s);
    QCOMPARE(reply->result.promptTokens, 26);
    QCOMPARE(reply->result.completionTokens, 9);
    QCOMPARE(reply->result.cachedPromptTokens, 0);
    QVERIFY(!reply->result.estimatedTokens);

    const FakeRequest sent = m_fake->lastRequest();
    QCOMPARE(sent.method, QByteArray("POST"));
    QCOMPARE(sent.path, QByteArray("/api/chat"));
    QVERIFY(!sent.headers.contains("authorization"));
    const QJsonObject body = sent.json();
    QCOMPARE(body.value(u"model"_s).toString(), u"llama3.2"_s);
    QCOMPARE(body.value(u"stream"_s), QJsonValue(false));
    QCOMPARE(body.value(u"options"_s).toObject(), (QJsonObject{{u"temperature"_s, 0.1}}));
    QCOMPARE(body.value(u"messages"_s).toArray(),
             (QJsonArray{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"Answer in French."_s}},
                         QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Hello"_s}}}));
}

void tst_OllamaBackend::maxTokensBecomesNumPredict()
{
    LlmRequest request = chatRequest(u"llama3.2"_s);
    request.maxTokens = 64;
    QVERIFY(send(request));
    QCOMPARE(m_fake->lastRequest().json().value(u"options"_s).toObject().value(u"num_predict"_s).toInt(), 64);
}

void tst_OllamaBackend::missingCountsAreEstimated()
{
    // Ollama leaves prompt_eval_count out when the whole prompt came from its cache.
    QJsonObject reply = FakeProvider::ollamaReply(u"1234567"_s, u"llama3.2"_s, 0, 2);
    reply.remove(u"prompt_eval_count"_s);
    m_fake->enqueue(FakeResponse::json(200, reply));
    const std::optional<BackendReply> result = send(chatRequest(u"llama3.2"_s, u"abcd"_s, u"efghi"_s));
    QVERIFY(result && result->ok);
    QVERIFY(result->result.estimatedTokens);
    QCOMPARE(result->result.promptTokens, 3); // ⌈9 / 4⌉
    QCOMPARE(result->result.completionTokens, 2);
}

void tst_OllamaBackend::errors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("retryable");
    QTest::newRow("unknown model") << 404 << u"model \"nope\" not found, try pulling it first"_s << false;
    QTest::newRow("bad request") << 400 << u"invalid options"_s << false;
    QTest::newRow("server error") << 500 << u"llama runner process has terminated"_s << true;
    QTest::newRow("busy") << 503 << u"server busy, please try again"_s << true;
}

void tst_OllamaBackend::errors()
{
    QFETCH(int, status);
    QFETCH(QString, message);
    QFETCH(bool, retryable);
    m_fake->enqueue(FakeResponse::json(status, FakeProvider::ollamaError(message)));
    const std::optional<BackendReply> reply = send(chatRequest(u"nope"_s));
    QVERIFY(reply);
    QVERIFY(!reply->ok);
    QCOMPARE(reply->error, u"HTTP %1: %2"_s.arg(status).arg(message));
    QCOMPARE(reply->retryable, retryable);
}

void tst_OllamaBackend::malformedReplies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::newRow("not JSON") << QByteArray("{\"message\"") << u"malformed JSON in the reply"_s;
    QTest::newRow("no message") << QByteArray("{\"model\": \"m\", \"done\": true}")
                                << u"the reply has no message content"_s;
    QTest::newRow("error in a 200") << QByteArray("{\"error\": \"out of memory\"}") << u"out of memory"_s;
}

void tst_OllamaBackend::malformedReplies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    m_fake->enqueue(FakeResponse::raw(200, body));
    const std::optional<BackendReply> reply = send(chatRequest(u"m"_s));
    QVERIFY(reply);
    QVERIFY(!reply->ok);
    QVERIFY(reply->retryable);
    QVERIFY2(reply->error.contains(error), qPrintable(reply->error));
}

void tst_OllamaBackend::servesEveryModelUnlessListed_data()
{
    QTest::addColumn<QStringList>("models");
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("served");
    QTest::newRow("anything") << QStringList() << u"qwen2.5:7b"_s << true;
    QTest::newRow("even gpt") << QStringList() << u"gpt-oss:20b"_s << true;
    QTest::newRow("listed") << QStringList{u"llama3.2"_s, u"mistral"_s} << u"mistral"_s << true;
    QTest::newRow("not listed") << QStringList{u"llama3.2"_s, u"mistral"_s} << u"qwen2.5:7b"_s << false;
}

void tst_OllamaBackend::servesEveryModelUnlessListed()
{
    QFETCH(QStringList, models);
    QFETCH(QString, model);
    QFETCH(bool, served);
    LlmBackendConfig config = backendConfig(u"ollama"_s, {});
    config.models = models; // the loader maps supported_models here
    QCOMPARE(OllamaBackend(config, {}, m_network).serves(model), served);
}

void tst_OllamaBackend::keyIsOptional()
{
    QVERIFY(OllamaBackend(backendConfig(u"ollama"_s, {}), {}, m_network).problem().isEmpty());
    QVERIFY(send(chatRequest(u"m"_s), u"proxy-token"_s));
    QCOMPARE(m_fake->lastRequest().header("authorization"), QByteArray("Bearer proxy-token"));
}

void tst_OllamaBackend::defaultEndpoint()
{
    QCOMPARE(OllamaBackend(backendConfig(u"ollama"_s, {}), {}, m_network).endpoint().toString(),
             u"http://localhost:11434/api/chat"_s);
}

QTEST_MAIN(tst_OllamaBackend)
#include "tst_ollamabackend.moc"
