#include "anthropicbackend.h"
#include "backendtestutil.h"
#include "fakeprovider.h"
#include "ollamabackend.h"
#include "openaicompatiblebackend.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QString Key = u"sk-test-0123456789abcdef"_s;

LlmTool greeterTool()
{
    const QVariantMap schema{{u"type"_s, u"object"_s},
                             {u"properties"_s, QVariantMap{{u"name"_s, QVariantMap{{u"type"_s, u"string"_s}}}}},
                             {u"required"_s, QVariantList{u"name"_s}},
                             {u"additionalProperties"_s, false}};
    return LlmTool{u"greeter"_s, u"Greets someone"_s, schema};
}

// A conversation in which the assistant already called a tool and got an error back.
LlmRequest retryRequest(const QString &model)
{
    LlmRequest request = chatRequest(model, u"Use the tools."_s, u"Greet Dan."_s);
    request.tools = {greeterTool()};
    LlmMessage assistant{u"assistant"_s, u"Calling."_s};
    LlmToolCall call;
    call.id = u"call_1"_s;
    call.name = u"greeter"_s;
    call.arguments = {{u"nom"_s, u"Dan"_s}};
    assistant.toolCalls = {call};
    LlmMessage result{u"tool"_s, u"Refused: name is missing"_s};
    result.toolCallId = u"call_1"_s;
    result.toolName = u"greeter"_s;
    result.isError = true;
    request.messages << assistant << result;
    return request;
}

} // namespace

// Native tool calling in each provider's exact wire format: tools in the request, tool calls read
// back from whole and streamed replies, and the tool results of a retry.
class tst_ToolCalling : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void openAiToolsAndToolCalls();
    void openAiToolCallWithNullContentIsUsable();
    void openAiBrokenArgumentsAreReported();
    void openAiToolResultsInTheConversation();
    void openAiStreamedToolCalls();
    void anthropicToolsAndToolUse();
    void anthropicToolResultsInOneUserMessage();
    void anthropicStreamedToolUse();
    void ollamaToolsAndToolCalls();
    void ollamaToolResults();
    void ollamaStreamedToolCalls();
    void toolModeByDefault();

private:
    QNetworkAccessManager *m_network = nullptr;
    FakeProvider *m_fake = nullptr;
    void useFormat(FakeProvider::Format format);
};

void tst_ToolCalling::init()
{
    m_network = new QNetworkAccessManager(this);
}

void tst_ToolCalling::cleanup()
{
    delete m_fake;
    m_fake = nullptr;
    delete m_network;
}

void tst_ToolCalling::useFormat(FakeProvider::Format format)
{
    delete m_fake;
    m_fake = new FakeProvider(format, this);
}

void tst_ToolCalling::openAiToolsAndToolCalls()
{
    useFormat(FakeProvider::Format::OpenAi);
    const QList<FakeProvider::ToolUse> calls{{u"call_a"_s, u"greeter"_s, QJsonObject{{u"name"_s, u"Dan"_s}}, {}},
                                             {u"call_b"_s, u"greeter"_s, QJsonObject{{u"name"_s, u"Eve"_s}}, {}}};
    m_fake->enqueue(
        FakeResponse::json(200, FakeProvider::openAiToolReply(calls, u"gpt-4o"_s, {120, 40, 0, 0, 0, false})));
    OpenAiCompatibleBackend backend(backendConfig(u"openai"_s, m_fake->baseUrl()), Key, m_network);
    LlmRequest request = chatRequest(u"gpt-4o"_s);
    request.tools = {greeterTool()};
    const auto reply = sendAndWait(backend, request);
    QVERIFY(reply);
    QVERIFY2(reply->ok, qPrintable(reply->error));

    const QJsonArray tools = m_fake->lastRequest().json().value(u"tools"_s).toArray();
    QCOMPARE(tools.size(), 1);
    QCOMPARE(tools[0].toObject().value(u"type"_s).toString(), u"function"_s);
    const QJsonObject function = tools[0].toObject().value(u"function"_s).toObject();
    QCOMPARE(function.value(u"name"_s).toString(), u"greeter"_s);
    QCOMPARE(function.value(u"description"_s).toString(), u"Greets someone"_s);
    QCOMPARE(function.value(u"parameters"_s).toObject().value(u"required"_s).toArray(), QJsonArray{u"name"_s});

    // Both calls, in order, arguments parsed from their JSON text.
    QCOMPARE(reply->result.toolCalls.size(), 2);
    QCOMPARE(reply->result.toolCalls[0].id, u"call_a"_s);
    QCOMPARE(reply->result.toolCalls[0].arguments.value(u"name"_s).toString(), u"Dan"_s);
    QCOMPARE(reply->result.toolCalls[1].arguments.value(u"name"_s).toString(), u"Eve"_s);
    QCOMPARE(reply->result.promptTokens, 120);
    QCOMPARE(reply->result.completionTokens, 40);
}

void tst_ToolCalling::openAiToolCallWithNullContentIsUsable()
{
    // The reply that used to be retried four times as "no message content": content null + tool_calls.
    useFormat(FakeProvider::Format::OpenAi);
    m_fake->enqueue(FakeResponse::json(
        200,
        FakeProvider::openAiToolReply({{u"c1"_s, u"greeter"_s, QJsonObject{{u"name"_s, u"Dan"_s}}, {}}}, u"gpt-4o"_s,
                                      {1000, 104, 0, 0, 0, false})));
    OpenAiCompatibleBackend backend(backendConfig(u"openai"_s, m_fake->baseUrl()), Key, m_network);
    const auto reply = sendAndWait(backend, chatRequest(u"gpt-4o"_s));
    QVERIFY(reply && reply->ok);
    QVERIFY(reply->result.content.isEmpty());
    QCOMPARE(reply->result.toolCalls.size(), 1);
}

void tst_ToolCalling::openAiBrokenArgumentsAreReported()
{
    useFormat(FakeProvider::Format::OpenAi);
    m_fake->enqueue(FakeResponse::json(
        200, FakeProvider::openAiToolReply({{u"c1"_s, u"greeter"_s, {}, u"{\"name\": \"Da"_s}}, u"gpt-4o"_s, {})));
    OpenAiCompatibleBackend backend(backendConfig(u"openai"_s, m_fake->baseUrl()), Key, m_network);
    const auto reply = sendAndWait(backend, chatRequest(u"gpt-4o"_s));
    QVERIFY(reply && reply->ok); // the reply is usable: the agent sends the error back to the model
    QCOMPARE(reply->result.toolCalls.size(), 1);
    QVERIFY(!reply->result.toolCalls[0].argumentsError.isEmpty());
    QCOMPARE(reply->result.toolCalls[0].argumentsText, u"{\"name\": \"Da"_s);
}

void tst_ToolCalling::openAiToolResultsInTheConversation()
{
    useFormat(FakeProvider::Format::OpenAi);
    OpenAiCompatibleBackend backend(backendConfig(u"openai"_s, m_fake->baseUrl()), Key, m_network);
    QVERIFY(sendAndWait(backend, retryRequest(u"gpt-4o"_s)));
    const QJsonArray messages = m_fake->lastRequest().json().value(u"messages"_s).toArray();
    QCOMPARE(messages.size(), 4);
    const QJsonObject assistant = messages[2].toObject();
    QCOMPARE(assistant.value(u"role"_s).toString(), u"assistant"_s);
    const QJsonObject call = assistant.value(u"tool_calls"_s).toArray()[0].toObject();
    QCOMPARE(call.value(u"id"_s).toString(), u"call_1"_s);
    QCOMPARE(call.value(u"type"_s).toString(), u"function"_s);
    // OpenAI wants the arguments as JSON text.
    QCOMPARE(call.value(u"function"_s).toObject().value(u"arguments"_s).toString(), u"{\"nom\":\"Dan\"}"_s);
    const QJsonObject result = messages[3].toObject();
    QCOMPARE(result.value(u"role"_s).toString(), u"tool"_s);
    QCOMPARE(result.value(u"tool_call_id"_s).toString(), u"call_1"_s);
    QCOMPARE(result.value(u"content"_s).toString(), u"Refused: name is missing"_s);
}

void tst_ToolCalling::openAiStreamedToolCalls()
{
    useFormat(FakeProvider::Format::OpenAi);
    const QList<FakeProvider::ToolUse> calls{{u"call_a"_s, u"greeter"_s, QJsonObject{{u"name"_s, u"Dan"_s}}, {}},
                                             {u"call_b"_s, u"done"_s, QJsonObject{{u"text"_s, u"bye"_s}}, {}}};
    m_fake->enqueue(FakeResponse::stream(
        FakeProvider::openAiStream({u"Let me "_s, u"call."_s}, u"gpt-4o"_s, {50, 20, 0, 0, 0, false}, calls)));
    LlmBackendConfig config = backendConfig(u"openai"_s, m_fake->baseUrl());
    config.stream = true;
    OpenAiCompatibleBackend backend(config, Key, m_network);
    const auto reply = sendAndWait(backend, chatRequest(u"gpt-4o"_s));
    QVERIFY(reply);
    QVERIFY2(reply->ok, qPrintable(reply->error));
    QCOMPARE(reply->result.content, u"Let me call."_s);
    QCOMPARE(reply->result.toolCalls.size(), 2);
    QCOMPARE(reply->result.toolCalls[0].id, u"call_a"_s);
    QCOMPARE(reply->result.toolCalls[0].arguments.value(u"name"_s).toString(), u"Dan"_s);
    QCOMPARE(reply->result.toolCalls[1].name, u"done"_s);
    QCOMPARE(reply->result.toolCalls[1].arguments.value(u"text"_s).toString(), u"bye"_s);
}

void tst_ToolCalling::anthropicToolsAndToolUse()
{
    useFormat(FakeProvider::Format::Anthropic);
    m_fake->enqueue(FakeResponse::json(
        200,
        FakeProvider::anthropicToolReply({{u"toolu_1"_s, u"greeter"_s, QJsonObject{{u"name"_s, u"Dan"_s}}, {}}},
                                         u"claude-sonnet-4"_s, {80, 30, 0, 0, 0, false}, u"Sure."_s)));
    AnthropicBackend backend(backendConfig(u"anthropic"_s, m_fake->baseUrl()), Key, m_network);
    LlmRequest request = chatRequest(u"claude-sonnet-4"_s);
    request.tools = {greeterTool()};
    const auto reply = sendAndWait(backend, request);
    QVERIFY(reply && reply->ok);
    const QJsonObject tool = m_fake->lastRequest().json().value(u"tools"_s).toArray()[0].toObject();
    QCOMPARE(tool.value(u"name"_s).toString(), u"greeter"_s);
    QCOMPARE(tool.value(u"input_schema"_s).toObject().value(u"type"_s).toString(), u"object"_s);
    QCOMPARE(reply->result.content, u"Sure."_s);
    QCOMPARE(reply->result.toolCalls.size(), 1);
    QCOMPARE(reply->result.toolCalls[0].id, u"toolu_1"_s);
    QCOMPARE(reply->result.toolCalls[0].arguments.value(u"name"_s).toString(), u"Dan"_s);
}

void tst_ToolCalling::anthropicToolResultsInOneUserMessage()
{
    useFormat(FakeProvider::Format::Anthropic);
    AnthropicBackend backend(backendConfig(u"anthropic"_s, m_fake->baseUrl()), Key, m_network);
    LlmRequest request = retryRequest(u"claude-sonnet-4"_s);
    LlmMessage second{u"tool"_s, u"Accepted"_s};
    second.toolCallId = u"call_2"_s;
    request.messages.append(second);
    QVERIFY(sendAndWait(backend, request));
    const QJsonArray messages = m_fake->lastRequest().json().value(u"messages"_s).toArray();
    QCOMPARE(messages.size(), 3); // user, assistant with tool_use, one user message with both results
    const QJsonArray assistant = messages[1].toObject().value(u"content"_s).toArray();
    QCOMPARE(assistant[0].toObject().value(u"type"_s).toString(), u"text"_s);
    QCOMPARE(assistant[1].toObject().value(u"type"_s).toString(), u"tool_use"_s);
    QCOMPARE(assistant[1].toObject().value(u"input"_s).toObject().value(u"nom"_s).toString(), u"Dan"_s);
    const QJsonObject results = messages[2].toObject();
    QCOMPARE(results.value(u"role"_s).toString(), u"user"_s);
    const QJsonArray blocks = results.value(u"content"_s).toArray();
    QCOMPARE(blocks.size(), 2);
    QCOMPARE(blocks[0].toObject().value(u"type"_s).toString(), u"tool_result"_s);
    QCOMPARE(blocks[0].toObject().value(u"tool_use_id"_s).toString(), u"call_1"_s);
    QCOMPARE(blocks[0].toObject().value(u"is_error"_s).toBool(), true);
    QVERIFY(!blocks[1].toObject().contains(u"is_error"_s));
}

void tst_ToolCalling::anthropicStreamedToolUse()
{
    useFormat(FakeProvider::Format::Anthropic);
    m_fake->enqueue(FakeResponse::stream(
        FakeProvider::anthropicStream({u"Calling"_s}, u"claude-sonnet-4"_s, {80, 30, 0, 0, 0, false},
                                      {{u"toolu_9"_s, u"greeter"_s, QJsonObject{{u"name"_s, u"Dan"_s}}, {}}})));
    LlmBackendConfig config = backendConfig(u"anthropic"_s, m_fake->baseUrl());
    config.stream = true;
    AnthropicBackend backend(config, Key, m_network);
    const auto reply = sendAndWait(backend, chatRequest(u"claude-sonnet-4"_s));
    QVERIFY(reply);
    QVERIFY2(reply->ok, qPrintable(reply->error));
    QCOMPARE(reply->result.toolCalls.size(), 1);
    QCOMPARE(reply->result.toolCalls[0].id, u"toolu_9"_s);
    QCOMPARE(reply->result.toolCalls[0].arguments.value(u"name"_s).toString(), u"Dan"_s);
    QCOMPARE(reply->result.completionTokens, 30);
}

void tst_ToolCalling::ollamaToolsAndToolCalls()
{
    useFormat(FakeProvider::Format::Ollama);
    m_fake->enqueue(
        FakeResponse::json(200,
                           FakeProvider::ollamaToolReply({{{}, u"greeter"_s, QJsonObject{{u"name"_s, u"Dan"_s}}, {}},
                                                          {{}, u"greeter"_s, QJsonObject{{u"name"_s, u"Eve"_s}}, {}}},
                                                         u"llama3.2"_s, {40, 12, 0, 0, 0, false})));
    OllamaBackend backend(backendConfig(u"ollama"_s, m_fake->baseUrl()), {}, m_network);
    LlmRequest request = chatRequest(u"llama3.2"_s);
    request.tools = {greeterTool()};
    const auto reply = sendAndWait(backend, request);
    QVERIFY(reply && reply->ok);
    const QJsonObject function =
        m_fake->lastRequest().json().value(u"tools"_s).toArray()[0].toObject().value(u"function"_s).toObject();
    QCOMPARE(function.value(u"name"_s).toString(), u"greeter"_s);
    QCOMPARE(reply->result.toolCalls.size(), 2);
    QCOMPARE(reply->result.toolCalls[0].id, u"call_1"_s); // Ollama sends none: made up from the position
    QCOMPARE(reply->result.toolCalls[1].id, u"call_2"_s);
    QCOMPARE(reply->result.toolCalls[1].arguments.value(u"name"_s).toString(), u"Eve"_s);
}

void tst_ToolCalling::ollamaToolResults()
{
    useFormat(FakeProvider::Format::Ollama);
    OllamaBackend backend(backendConfig(u"ollama"_s, m_fake->baseUrl()), {}, m_network);
    QVERIFY(sendAndWait(backend, retryRequest(u"llama3.2"_s)));
    const QJsonArray messages = m_fake->lastRequest().json().value(u"messages"_s).toArray();
    const QJsonObject call = messages[2].toObject().value(u"tool_calls"_s).toArray()[0].toObject();
    // Ollama takes the arguments as an object.
    QCOMPARE(call.value(u"function"_s).toObject().value(u"arguments"_s).toObject().value(u"nom"_s).toString(),
             u"Dan"_s);
    QCOMPARE(messages[3].toObject().value(u"role"_s).toString(), u"tool"_s);
    QCOMPARE(messages[3].toObject().value(u"tool_name"_s).toString(), u"greeter"_s);
}

void tst_ToolCalling::ollamaStreamedToolCalls()
{
    useFormat(FakeProvider::Format::Ollama);
    m_fake->enqueue(
        FakeResponse::stream(FakeProvider::ollamaStream({u"ok"_s}, u"llama3.2"_s, {40, 12, 0, 0, 0, false},
                                                        {{{}, u"greeter"_s, QJsonObject{{u"name"_s, u"Dan"_s}}, {}}}),
                             "application/x-ndjson"));
    LlmBackendConfig config = backendConfig(u"ollama"_s, m_fake->baseUrl());
    config.stream = true;
    OllamaBackend backend(config, {}, m_network);
    const auto reply = sendAndWait(backend, chatRequest(u"llama3.2"_s));
    QVERIFY(reply);
    QVERIFY2(reply->ok, qPrintable(reply->error));
    QCOMPARE(reply->result.content, u"ok"_s);
    QCOMPARE(reply->result.toolCalls.size(), 1);
    QCOMPARE(reply->result.promptTokens, 40);
}

void tst_ToolCalling::toolModeByDefault()
{
    useFormat(FakeProvider::Format::OpenAi);
    const auto takes = [this](const QString &provider, LlmToolMode mode) {
        LlmBackendConfig config = backendConfig(provider, m_fake->baseUrl());
        config.toolMode = mode;
        return OpenAiCompatibleBackend(config, Key, m_network).takesTools();
    };
    QVERIFY(takes(u"openai"_s, LlmToolMode::Auto));
    QVERIFY(takes(u"xai"_s, LlmToolMode::Auto));
    QVERIFY(!takes(u"vllm"_s, LlmToolMode::Auto)); // depends on how the server was started: say so
    QVERIFY(takes(u"vllm"_s, LlmToolMode::Native));
    QVERIFY(!takes(u"openai"_s, LlmToolMode::Xml));
    QVERIFY(AnthropicBackend(backendConfig(u"anthropic"_s, m_fake->baseUrl()), Key, m_network).takesTools());
    QVERIFY(OllamaBackend(backendConfig(u"ollama"_s, m_fake->baseUrl()), {}, m_network).takesTools());
}

QTEST_GUILESS_MAIN(tst_ToolCalling)
#include "tst_toolcalling.moc"
