#include "openaicompatiblebackend.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace agentdesk {

OpenAiCompatibleBackend::OpenAiCompatibleBackend(const LlmBackendConfig &config, const QString &apiKey,
                                                 QNetworkAccessManager *network, QObject *parent)
    : HttpLlmBackend(config, apiKey, network, parent)
{ }

bool OpenAiCompatibleBackend::handlesProvider(const QString &provider)
{
    static const QStringList providers{u"openai"_s, u"xai"_s,      u"openai-compatible"_s,
                                       u"vllm"_s,   u"llamacpp"_s, u"lmstudio"_s};
    return providers.contains(provider);
}

bool OpenAiCompatibleBackend::servesByConvention(const QString &model) const
{
    const QString name = model.toLower();
    if (provider() == u"openai")
        return name.contains(u"gpt"_s) || name.contains(u"o1"_s) || name.contains(u"o3"_s) || name.contains(u"o4"_s);
    if (provider() == u"xai")
        return name.startsWith(u"grok"_s);
    return true;
}

QString OpenAiCompatibleBackend::defaultBaseUrl() const
{
    if (provider() == u"openai")
        return u"https://api.openai.com/v1"_s;
    if (provider() == u"xai")
        return u"https://api.x.ai/v1"_s;
    return {};
}

QString OpenAiCompatibleBackend::path() const
{
    return u"/chat/completions"_s;
}

bool OpenAiCompatibleBackend::keyRequired() const
{
    return provider() == u"openai" || provider() == u"xai";
}

bool OpenAiCompatibleBackend::isOpenAiReasoningModel(const QString &model) const
{
    const QString name = model.toLower();
    return provider() == u"openai"
        && (name.startsWith(u"o1"_s) || name.startsWith(u"o3"_s) || name.startsWith(u"o4"_s));
}

void OpenAiCompatibleBackend::addHeaders(QNetworkRequest *request) const
{
    // Local servers usually run without a key; sending an empty Bearer would only confuse them.
    if (!apiKey().isEmpty())
        request->setRawHeader(QByteArrayLiteral("Authorization"), "Bearer " + apiKey().toUtf8());
}

namespace {

QJsonArray toolsJson(const QList<LlmTool> &tools)
{
    QJsonArray list;
    for (const LlmTool &tool : tools) {
        list.append(QJsonObject{{u"type"_s, u"function"_s},
                                {u"function"_s,
                                 QJsonObject{{u"name"_s, tool.name},
                                             {u"description"_s, tool.description},
                                             {u"parameters"_s, QJsonObject::fromVariantMap(tool.parameters)}}}});
    }
    return list;
}

QJsonObject messageJson(const LlmMessage &message)
{
    if (message.role == u"tool")
        return QJsonObject{
            {u"role"_s, u"tool"_s}, {u"tool_call_id"_s, message.toolCallId}, {u"content"_s, message.content}};
    QJsonObject json{{u"role"_s, message.role}, {u"content"_s, message.content}};
    if (!message.toolCalls.isEmpty()) {
        QJsonArray calls;
        for (const LlmToolCall &call : message.toolCalls) {
            const QString arguments = call.argumentsError.isEmpty()
                ? QString::fromUtf8(
                    QJsonDocument(QJsonObject::fromVariantMap(call.arguments)).toJson(QJsonDocument::Compact))
                : call.argumentsText;
            calls.append(
                QJsonObject{{u"id"_s, call.id},
                            {u"type"_s, u"function"_s},
                            {u"function"_s, QJsonObject{{u"name"_s, call.name}, {u"arguments"_s, arguments}}}});
        }
        json.insert(u"tool_calls"_s, calls);
        if (message.content.isEmpty())
            json.insert(u"content"_s, QJsonValue::Null);
    }
    return json;
}

// OpenAI counts reasoning tokens inside completion_tokens (completion_tokens_details says how many);
// xAI reports them beside it (total_tokens = prompt + completion + reasoning) and bills them as output.
// agentdesk's completion tokens are every output token, so xAI's reasoning is added once, OpenAI's not.
void readUsage(const QJsonObject &usage, bool reasoningApart, ParsedReply *parsed)
{
    parsed->promptTokens = usageCounter(usage, "prompt_tokens"_L1);
    parsed->completionTokens = usageCounter(usage, "completion_tokens"_L1);
    parsed->cachedPromptTokens =
        usageCounter(usage.value(u"prompt_tokens_details"_s).toObject(), "cached_tokens"_L1).value_or(0);
    const qint64 reasoning =
        usageCounter(usage.value(u"completion_tokens_details"_s).toObject(), "reasoning_tokens"_L1).value_or(0);
    const std::optional<qint64> total = usageCounter(usage, "total_tokens"_L1);
    if (reasoning > 0 && parsed->promptTokens && parsed->completionTokens
        && (reasoningApart || (total && *total == *parsed->promptTokens + *parsed->completionTokens + reasoning)))
        *parsed->completionTokens += reasoning;
    parsed->reasoningTokens = reasoning;
}

void readToolCalls(const QJsonArray &calls, ParsedReply *parsed)
{
    for (const QJsonValue &value : calls) {
        const QJsonObject object = value.toObject();
        const QJsonObject function = object.value(u"function"_s).toObject();
        LlmToolCall call;
        call.id = object.value(u"id"_s).toString();
        call.name = function.value(u"name"_s).toString();
        const QJsonValue arguments = function.value(u"arguments"_s);
        if (arguments.isObject()) // some compatible servers send an object instead of JSON text
            setToolArguments(&call,
                             QString::fromUtf8(QJsonDocument(arguments.toObject()).toJson(QJsonDocument::Compact)));
        else
            setToolArguments(&call, arguments.toString());
        parsed->toolCalls.append(call);
    }
}

// chat.completion.chunk events: delta.content and delta.tool_calls (by index, arguments in pieces),
// then — with stream_options.include_usage — a last chunk with `usage` and no choices, then [DONE].
class OpenAiStream final : public StreamDecoder
{
public:
    explicit OpenAiStream(bool reasoningApart)
        : StreamDecoder(Framing::ServerSentEvents)
        , m_reasoningApart(reasoningApart)
    { }

protected:
    void event(const QByteArray &, const QJsonObject &data) override
    {
        if (data.contains(u"error"_s)) {
            const QJsonValue error = data.value(u"error"_s);
            m_streamError = error.isObject() ? error.toObject().value(u"message"_s).toString() : error.toString();
            return;
        }
        if (m_reply.model.isEmpty())
            m_reply.model = data.value(u"model"_s).toString();
        if (data.value(u"usage"_s).isObject())
            readUsage(data.value(u"usage"_s).toObject(), m_reasoningApart, &m_reply);
        const QJsonArray choices = data.value(u"choices"_s).toArray();
        if (choices.isEmpty())
            return;
        const QJsonObject delta = choices.first().toObject().value(u"delta"_s).toObject();
        m_reply.content += delta.value(u"content"_s).toString();
        if (const QString refusal = delta.value(u"refusal"_s).toString(); !refusal.isEmpty())
            m_refusal += refusal;
        for (const QJsonValue &value : delta.value(u"tool_calls"_s).toArray()) {
            const QJsonObject piece = value.toObject();
            const int index = piece.value(u"index"_s).toInt(int(m_arguments.size()));
            while (m_reply.toolCalls.size() <= index) {
                m_reply.toolCalls.append(LlmToolCall{});
                m_arguments.append(QString());
            }
            LlmToolCall &call = m_reply.toolCalls[index];
            if (piece.contains(u"id"_s))
                call.id = piece.value(u"id"_s).toString();
            const QJsonObject function = piece.value(u"function"_s).toObject();
            call.name += function.value(u"name"_s).toString();
            m_arguments[index] += function.value(u"arguments"_s).toString();
        }
    }
    void rawData(const QByteArray &data) override
    {
        if (data.trimmed() != "[DONE]")
            return;
        m_complete = true;
        for (qsizetype i = 0; i < m_reply.toolCalls.size(); ++i)
            setToolArguments(&m_reply.toolCalls[i], m_arguments.value(i));
        if (m_reply.content.isEmpty() && m_reply.toolCalls.isEmpty())
            m_reply.error = m_refusal.isEmpty() ? u"the streamed reply has no content"_s
                                                : u"the model refused: %1"_s.arg(m_refusal);
    }

private:
    bool m_reasoningApart;
    QStringList m_arguments;
    QString m_refusal;
};

} // namespace

bool OpenAiCompatibleBackend::nativeToolsByDefault() const
{
    // OpenAI and xAI take tools; for the local servers it depends on how they were started
    // (vLLM --enable-auto-tool-choice, llama.cpp --jinja): tool_mode: native says so.
    return provider() == u"openai" || provider() == u"xai";
}

std::unique_ptr<StreamDecoder> OpenAiCompatibleBackend::decoder() const
{
    return std::make_unique<OpenAiStream>(provider() == u"xai");
}

QJsonObject OpenAiCompatibleBackend::body(const LlmRequest &request, bool stream) const
{
    QJsonArray messages;
    for (const LlmMessage &message : request.messages)
        messages.append(messageJson(message));
    QJsonObject body{{u"model"_s, request.model}, {u"messages"_s, messages}};
    // api.openai.com rejects max_tokens and any non-default temperature for its o-series reasoning
    // models, and has deprecated max_tokens in favour of max_completion_tokens for all models.
    if (!isOpenAiReasoningModel(request.model))
        body.insert(u"temperature"_s, request.temperature);
    if (request.maxTokens)
        body.insert(provider() == u"openai" ? u"max_completion_tokens"_s : u"max_tokens"_s, *request.maxTokens);
    if (!request.tools.isEmpty())
        body.insert(u"tools"_s, toolsJson(request.tools));
    if (stream) {
        body.insert(u"stream"_s, true);
        // Without it a streamed reply carries no usage at all.
        body.insert(u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}});
    }
    return body;
}

HttpLlmBackend::Parsed OpenAiCompatibleBackend::parse(const QJsonObject &reply) const
{
    Parsed parsed;
    // Usage first: an unusable reply is billed all the same.
    readUsage(reply.value(u"usage"_s).toObject(), provider() == u"xai", &parsed);
    parsed.model = reply.value(u"model"_s).toString();
    const QJsonArray choices = reply.value(u"choices"_s).toArray();
    if (choices.isEmpty()) {
        parsed.error = u"the reply has no choices"_s;
        return parsed;
    }
    const QJsonObject message = choices.first().toObject().value(u"message"_s).toObject();
    readToolCalls(message.value(u"tool_calls"_s).toArray(), &parsed);
    const QJsonValue content = message.value(u"content"_s);
    if (content.isString()) {
        parsed.content = content.toString();
    } else if (content.isArray()) {
        // Some compatible servers send content parts ([{"type":"text","text":…}]) instead of a string.
        for (const QJsonValue &part : content.toArray())
            parsed.content += part.toObject().value(u"text"_s).toString();
    } else if (parsed.toolCalls.isEmpty()) {
        const QString refusal = message.value(u"refusal"_s).toString();
        parsed.error = refusal.isEmpty() ? u"the reply's first choice has no message content"_s
                                         : u"the model refused: %1"_s.arg(refusal);
    }
    return parsed;
}

} // namespace agentdesk
