#include "anthropicbackend.h"
#include "backendtestutil.h"
#include "fakeprovider.h"
#include "ollamabackend.h"
#include "openaicompatiblebackend.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QString Key = u"sk-test-0123456789abcdef"_s;

// A streamed reply in the format's own shape, with its content type.
FakeResponse streamOf(FakeProvider::Format format, const QStringList &pieces, const FakeProvider::Usage &usage)
{
    switch (format) {
    case FakeProvider::Format::Anthropic:
        return FakeResponse::stream(FakeProvider::anthropicStream(pieces, u"m-1"_s, usage));
    case FakeProvider::Format::Ollama:
        return FakeResponse::stream(FakeProvider::ollamaStream(pieces, u"m-1"_s, usage), "application/x-ndjson");
    case FakeProvider::Format::OpenAi:
        break;
    }
    return FakeResponse::stream(FakeProvider::openAiStream(pieces, u"m-1"_s, usage));
}

} // namespace

// Streamed replies in each provider's wire format (OpenAI and Anthropic Server-Sent Events, Ollama
// JSON lines): the text as it grows, usage at the end, time to first token, and what a cut or stalled
// stream reports.
class tst_Streaming : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void streams_data();
    void streams();
    void openAiAsksForUsageInTheStream();
    void nonStreamingBackendsSendStreamFalse();
    void aServerThatIgnoresStreamIsReadWhole();
    void cutStreamKeepsWhatArrived_data();
    void cutStreamKeepsWhatArrived();
    void idleTimeoutIsBetweenChunks();
    void idleTimeoutEndsAStalledStream();
    void streamErrorEventIsAnError();
    void timeToFirstTokenIsTheFirstPiece();

private:
    std::unique_ptr<LlmBackend> backend(FakeProvider::Format format, double idleTimeout = 20);
    QNetworkAccessManager *m_network = nullptr;
    FakeProvider *m_fake = nullptr;
};

void tst_Streaming::init()
{
    m_network = new QNetworkAccessManager(this);
}

void tst_Streaming::cleanup()
{
    delete m_fake;
    m_fake = nullptr;
    delete m_network;
}

std::unique_ptr<LlmBackend> tst_Streaming::backend(FakeProvider::Format format, double idleTimeout)
{
    delete m_fake;
    m_fake = new FakeProvider(format, this);
    const QString provider = format == FakeProvider::Format::Anthropic ? u"anthropic"_s
        : format == FakeProvider::Format::Ollama                       ? u"ollama"_s
                                                                       : u"openai"_s;
    LlmBackendConfig config = backendConfig(provider, m_fake->baseUrl());
    config.stream = true;
    config.idleTimeoutSeconds = idleTimeout;
    if (format == FakeProvider::Format::Anthropic)
        return std::make_unique<AnthropicBackend>(config, Key, m_network);
    if (format == FakeProvider::Format::Ollama)
        return std::make_unique<OllamaBackend>(config, QString(), m_network);
    return std::make_unique<OpenAiCompatibleBackend>(config, Key, m_network);
}

void tst_Streaming::streams_data()
{
    QTest::addColumn<int>("format");
    QTest::newRow("openai sse") << int(FakeProvider::Format::OpenAi);
    QTest::newRow("anthropic sse") << int(FakeProvider::Format::Anthropic);
    QTest::newRow("ollama ndjson") << int(FakeProvider::Format::Ollama);
}

void tst_Streaming::streams()
{
    QFETCH(int, format);
    const auto wire = FakeProvider::Format(format);
    auto streaming = backend(wire);
    const QStringList pieces{u"Hel"_s, u"lo, "_s, u"Dan"_s};
    m_fake->enqueue(streamOf(wire, pieces, {200, 3, 0, 0, 0, false}).spaced(20));
    QStringList partials;
    std::optional<BackendReply> received;
    streaming->send(
        chatRequest(u"m-1"_s), [&received](const BackendReply &reply) { received = reply; },
        [&partials](const QString &text) { partials.append(text); });
    QTRY_VERIFY_WITH_TIMEOUT(received.has_value(), 20000);
    QVERIFY2(received->ok, qPrintable(received->error));
    QCOMPARE(m_fake->lastRequest().json().value(u"stream"_s).toBool(), true);
    QCOMPARE(received->result.content, u"Hello, Dan"_s);
    QCOMPARE(received->result.model, u"m-1"_s);
    QCOMPARE(received->result.promptTokens, 200);
    QCOMPARE(received->result.completionTokens, 3);
    QVERIFY(!received->result.estimatedTokens);
    // The text grew piece by piece, each report a prefix of the next.
    QCOMPARE(partials.last(), u"Hello, Dan"_s);
    QVERIFY(partials.size() >= 2);
    for (qsizetype i = 1; i < partials.size(); ++i)
        QVERIFY(partials[i].startsWith(partials[i - 1]));
    QVERIFY(received->result.ttftMs.has_value());
    QVERIFY(received->result.tokensPerSecond.has_value());
}

void tst_Streaming::openAiAsksForUsageInTheStream()
{
    auto streaming = backend(FakeProvider::Format::OpenAi);
    QVERIFY(sendAndWait(*streaming, chatRequest(u"gpt-4o"_s)));
    const QJsonObject body = m_fake->lastRequest().json();
    QCOMPARE(body.value(u"stream"_s).toBool(), true);
    QCOMPARE(body.value(u"stream_options"_s).toObject().value(u"include_usage"_s).toBool(), true);
}

void tst_Streaming::nonStreamingBackendsSendStreamFalse()
{
    m_fake = new FakeProvider(FakeProvider::Format::Ollama, this);
    OllamaBackend ollama(backendConfig(u"ollama"_s, m_fake->baseUrl()), {}, m_network);
    const auto reply = sendAndWait(ollama, chatRequest(u"llama3.2"_s));
    QVERIFY(reply && reply->ok);
    QCOMPARE(m_fake->lastRequest().json().value(u"stream"_s).toBool(true), false);
    QVERIFY(!reply->result.ttftMs); // only a stream tells when the first token came
}

void tst_Streaming::aServerThatIgnoresStreamIsReadWhole()
{
    auto streaming = backend(FakeProvider::Format::OpenAi);
    m_fake->enqueue(FakeResponse::json(200, FakeProvider::openAiReply(u"whole"_s, u"gpt-4o"_s, 10, 2, 0)));
    const auto reply = sendAndWait(*streaming, chatRequest(u"gpt-4o"_s));
    QVERIFY(reply && reply->ok);
    QCOMPARE(reply->result.content, u"whole"_s);
}

void tst_Streaming::cutStreamKeepsWhatArrived_data()
{
    streams_data();
}

void tst_Streaming::cutStreamKeepsWhatArrived()
{
    QFETCH(int, format);
    const auto wire = FakeProvider::Format(format);
    auto streaming = backend(wire);
    const QStringList pieces{u"The answer "_s, u"is 4"_s, u"2."_s};
    // Up to "is 4": OpenAI starts with a role chunk, Anthropic with message_start, ping and a block start.
    const int upTo = wire == FakeProvider::Format::Anthropic ? 5 : wire == FakeProvider::Format::Ollama ? 2 : 3;
    m_fake->enqueue(streamOf(wire, pieces, {300, 9, 0, 0, 0, false}).cutAfter(upTo));
    const auto reply = sendAndWait(*streaming, chatRequest(u"m-1"_s));
    QVERIFY(reply);
    QVERIFY(!reply->ok);
    QVERIFY(reply->retryable);
    QCOMPARE(toString(reply->result.outcome), u"error"_s);
    QVERIFY2(reply->error.contains(u"cut off"_s), qPrintable(reply->error));
    QVERIFY2(reply->error.contains(u"received: The answer is 4"_s), qPrintable(reply->error));
    QCOMPARE(reply->result.content, u"The answer is 4"_s);
    // Billed all the same: Anthropic said its input tokens up front, the others are estimated.
    if (wire == FakeProvider::Format::Anthropic) {
        QCOMPARE(reply->result.promptTokens, 300);
    } else {
        QVERIFY(reply->result.estimatedTokens);
        QVERIFY(reply->result.promptTokens > 0);
    }
    QVERIFY(reply->result.isMetered());
}

void tst_Streaming::idleTimeoutIsBetweenChunks()
{
    // Chunks 300 ms apart, a whole reply of several seconds: an idle timeout of 1 s never fires,
    // while a whole-call limit of that size would have.
    auto streaming = backend(FakeProvider::Format::OpenAi, 1.0);
    const QStringList pieces{u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s};
    m_fake->enqueue(FakeResponse::stream(FakeProvider::openAiStream(pieces, u"m"_s, {})).spaced(300));
    const auto reply = sendAndWait(*streaming, chatRequest(u"m"_s));
    QVERIFY(reply);
    QVERIFY2(reply->ok, qPrintable(reply->error));
    QCOMPARE(reply->result.content, u"abcde"_s);
}

void tst_Streaming::idleTimeoutEndsAStalledStream()
{
    auto streaming = backend(FakeProvider::Format::Anthropic, 0.3);
    m_fake->enqueue(FakeResponse::stream(
                        FakeProvider::anthropicStream({u"half an "_s, u"answer"_s}, u"m"_s, {120, 8, 0, 0, 0, false}))
                        .stallAfter(5));
    const auto reply = sendAndWait(*streaming, chatRequest(u"m"_s));
    QVERIFY(reply);
    QVERIFY(!reply->ok);
    QVERIFY2(reply->error.contains(u"idle_timeout"_s), qPrintable(reply->error));
    QVERIFY2(reply->error.contains(u"received: half an "_s), qPrintable(reply->error));
    QCOMPARE(toString(reply->result.outcome), u"error"_s);
    QCOMPARE(reply->result.promptTokens, 120);
}

void tst_Streaming::streamErrorEventIsAnError()
{
    auto streaming = backend(FakeProvider::Format::Anthropic);
    QList<QByteArray> chunks = FakeProvider::anthropicStream({u"x"_s}, u"m"_s, {});
    chunks = chunks.mid(0, 3);
    chunks.append(
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
    m_fake->enqueue(FakeResponse::stream(chunks));
    const auto reply = sendAndWait(*streaming, chatRequest(u"m"_s));
    QVERIFY(reply && !reply->ok);
    QVERIFY(reply->retryable);
    QVERIFY2(reply->error.contains(u"overloaded_error: Overloaded"_s), qPrintable(reply->error));
}

void tst_Streaming::timeToFirstTokenIsTheFirstPiece()
{
    auto streaming = backend(FakeProvider::Format::OpenAi);
    // The role chunk comes at once, the first text after 300 ms, the rest 300 ms later each.
    m_fake->enqueue(
        FakeResponse::stream(FakeProvider::openAiStream({u"one"_s, u"two"_s}, u"m"_s, {10, 40, 0, 0, 0, false}))
            .spaced(300));
    const auto reply = sendAndWait(*streaming, chatRequest(u"m"_s));
    QVERIFY(reply && reply->ok);
    QVERIFY(reply->result.ttftMs);
    QVERIFY2(*reply->result.ttftMs >= 250, qPrintable(QString::number(*reply->result.ttftMs)));
    // Tokens per second over the generation after the first token: 40 tokens in about 1.2 s.
    QVERIFY(reply->result.tokensPerSecond);
    QVERIFY(*reply->result.tokensPerSecond > 0);
}

QTEST_GUILESS_MAIN(tst_Streaming)
#include "tst_streaming.moc"
