#include "anthropicbackend.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace agentdesk {

AnthropicBackend::AnthropicBackend(const LlmBackendConfig &config, const QString &apiKey,
                                   QNetworkAccessManager *network, QObject *parent)
    : HttpLlmBackend(config, apiKey, network, parent)
{ }

bool AnthropicBackend::servesByConvention(const QString &model) const
{
    const QString name = model.toLower();
    return name.contains(u"claude"_s) || name.contains(u"anthropic"_s);
}

QString AnthropicBackend::defaultBaseUrl() const
{
    return u"https://api.anthropic.com/v1"_s;
}

QString AnthropicBackend::path() const
{
    return u"/messages"_s;
}

bool AnthropicBackend::keyRequired() const
{
    return true;
}

void AnthropicBackend::addHeaders(QNetworkRequest *request) const
{
    request->setRawHeader(QByteArrayLiteral("x-api-key"), apiKey().toUtf8());
    request->setRawHeader(QByteArrayLiteral("anthropic-version"), QByteArrayLiteral("2023-06-01"));
}

namespace {

// Anthropic counts cache reads and cache writes apart from input_tokens; agentdesk's prompt tokens
// include them (as OpenAI's do), with cache reads also reported as cached and writes as cache-write
// tokens. Thinking tokens are part of output_tokens.
void readUsage(const QJsonObject &usage, ParsedReply *parsed)
{
    const std::optional<qint64> input = usageCounter(usage, "input_tokens"_L1);
    if (const auto read = usageCounter(usage, "cache_read_input_tokens"_L1))
        parsed->cachedPromptTokens = *read;
    if (const auto written = usageCounter(usage, "cache_creation_input_tokens"_L1))
        parsed->cacheWriteTokens = *written;
    if (input)
        parsed->promptTokens = *input + parsed->cachedPromptTokens + parsed->cacheWriteTokens;
    if (const auto output = usageCounter(usage, "output_tokens"_L1))
        parsed->completionTokens = output;
}

LlmToolCall toolCallOf(const QJsonObject &block)
{
    LlmToolCall call;
    call.id = block.value(u"id"_s).toString();
    call.name = block.value(u"name"_s).toString();
    const QJsonValue input = block.value(u"input"_s);
    if (input.isObject()) {
        call.arguments = input.toObject().toVariantMap();
        call.argumentsText = QString::fromUtf8(QJsonDocument(input.toObject()).toJson(QJsonDocument::Compact));
    } else {
        call.argumentsText = QString::fromUtf8(QJsonDocument(QJsonArray{input}).toJson(QJsonDocument::Compact));
        call.argumentsError = u"expected a JSON object"_s;
    }
    return call;
}

// message_start (model, input usage), content_block_start/delta/stop (text_delta, tool_use with
// input_json_delta pieces), message_delta (output usage), message_stop; `error` events end it badly.
class AnthropicStream final : public StreamDecoder
{
public:
    AnthropicStream()
        : StreamDecoder(Framing::ServerSentEvents)
    { }

protected:
    void event(const QByteArray &name, const QJsonObject &data) override
    {
        const QString type = data.value(u"type"_s).toString(QString::fromUtf8(name));
        if (type == u"message_start") {
            const QJsonObject message = data.value(u"message"_s).toObject();
            m_reply.model = message.value(u"model"_s).toString();
            readUsage(message.value(u"usage"_s).toObject(), &m_reply);
        } else if (type == u"content_block_start") {
            const int index = data.value(u"index"_s).toInt();
            const QJsonObject block = data.value(u"content_block"_s).toObject();
            if (block.value(u"type"_s).toString() == u"tool_use") {
                m_toolBlocks.insert(index, int(m_reply.toolCalls.size()));
                m_reply.toolCalls.append(toolCallOf(block));
                m_arguments.append(QString());
            } else {
                m_reply.content += block.value(u"text"_s).toString();
            }
        } else if (type == u"content_block_delta") {
            const QJsonObject delta = data.value(u"delta"_s).toObject();
            const QString deltaType = delta.value(u"type"_s).toString();
            if (deltaType == u"text_delta")
                m_reply.content += delta.value(u"text"_s).toString();
            else if (deltaType == u"input_json_delta" && m_toolBlocks.contains(data.value(u"index"_s).toInt()))
                m_arguments[m_toolBlocks.value(data.value(u"index"_s).toInt())] +=
                    delta.value(u"partial_json"_s).toString();
        } else if (type == u"message_delta") {
            readUsage(data.value(u"usage"_s).toObject(), &m_reply); // cumulative counts
        } else if (type == u"message_stop") {
            m_complete = true;
            for (qsizetype i = 0; i < m_reply.toolCalls.size(); ++i) {
                if (!m_arguments.at(i).isEmpty())
                    setToolArguments(&m_reply.toolCalls[i], m_arguments.at(i));
            }
            if (m_reply.content.isEmpty() && m_reply.toolCalls.isEmpty())
                m_reply.error = u"the streamed reply has no text and no tool call"_s;
        } else if (type == u"error") {
            const QJsonObject error = data.value(u"error"_s).toObject();
            m_streamError = u"%1: %2"_s.arg(error.value(u"type"_s).toString(), error.value(u"message"_s).toString());
        }
    }

private:
    QHash<int, int> m_toolBlocks; // content block index → tool call index
    QStringList m_arguments;
};

// Tool results travel as tool_result blocks of one user message right after the assistant's turn.
QJsonArray messagesJson(const QList<LlmMessage> &messages, QStringList *system)
{
    QJsonArray out;
    for (const LlmMessage &message : messages) {
        if (message.role == u"system") {
            system->append(message.content);
            continue;
        }
        if (message.role == u"tool") {
            QJsonObject result{
                {u"type"_s, u"tool_result"_s}, {u"tool_use_id"_s, message.toolCallId}, {u"content"_s, message.content}};
            if (message.isError)
                result.insert(u"is_error"_s, true);
            QJsonObject last = out.isEmpty() ? QJsonObject() : out.last().toObject();
            if (last.value(u"role"_s).toString() == u"user" && last.value(u"content"_s).isArray()) {
                QJsonArray blocks = last.value(u"content"_s).toArray();
                blocks.append(result);
                last.insert(u"content"_s, blocks);
                out.replace(out.size() - 1, last);
            } else {
                out.append(QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, QJsonArray{result}}});
            }
            continue;
        }
        if (message.toolCalls.isEmpty()) {
            out.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, message.content}});
            continue;
        }
        QJsonArray blocks;
        if (!message.content.isEmpty())
            blocks.append(QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, message.content}});
        for (const LlmToolCall &call : message.toolCalls)
            blocks.append(QJsonObject{{u"type"_s, u"tool_use"_s},
                                      {u"id"_s, call.id},
                                      {u"name"_s, call.name},
                                      {u"input"_s, QJsonObject::fromVariantMap(call.arguments)}});
        out.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, blocks}});
    }
    return out;
}

} // namespace

std::unique_ptr<StreamDecoder> AnthropicBackend::decoder() const
{
    return std::make_unique<AnthropicStream>();
}

QJsonObject AnthropicBackend::body(const LlmRequest &request, bool stream) const
{
    QStringList system;
    const QJsonArray messages = messagesJson(request.messages, &system);
    QJsonObject body{{u"model"_s, request.model},
                     {u"messages"_s, messages},
                     {u"max_tokens"_s, request.maxTokens.value_or(DefaultMaxTokens)},
                     {u"temperature"_s, request.temperature}};
    if (!system.isEmpty())
        body.insert(u"system"_s, system.join(u"\n\n"_s));
    if (!request.tools.isEmpty()) {
        QJsonArray tools;
        for (const LlmTool &tool : request.tools)
            tools.append(QJsonObject{{u"name"_s, tool.name},
                                     {u"description"_s, tool.description},
                                     {u"input_schema"_s, QJsonObject::fromVariantMap(tool.parameters)}});
        body.insert(u"tools"_s, tools);
    }
    if (stream)
        body.insert(u"stream"_s, true);
    return body;
}

HttpLlmBackend::Parsed AnthropicBackend::parse(const QJsonObject &reply) const
{
    Parsed parsed;
    readUsage(reply.value(u"usage"_s).toObject(), &parsed); // billed even when unusable
    parsed.model = reply.value(u"model"_s).toString();
    const QJsonValue content = reply.value(u"content"_s);
    if (!content.isArray()) {
        parsed.error = u"the reply has no content"_s;
        return parsed;
    }
    bool anyText = false;
    for (const QJsonValue &block : content.toArray()) {
        const QJsonObject object = block.toObject();
        const QString type = object.value(u"type"_s).toString();
        if (type == u"text") {
            parsed.content += object.value(u"text"_s).toString();
            anyText = true;
        } else if (type == u"tool_use") {
            parsed.toolCalls.append(toolCallOf(object));
        }
    }
    if (!anyText && parsed.toolCalls.isEmpty())
        parsed.error = u"the reply has no text content block"_s;
    return parsed;
}

} // namespace agentdesk
