#include "ollamabackend.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace agentdesk {

OllamaBackend::OllamaBackend(const LlmBackendConfig &config, const QString &apiKey, QNetworkAccessManager *network,
                             QObject *parent)
    : HttpLlmBackend(config, apiKey, network, parent)
{ }

bool OllamaBackend::servesByConvention(const QString &) const
{
    return true;
}

QString OllamaBackend::defaultBaseUrl() const
{
    return u"http://localhost:11434"_s;
}

QString OllamaBackend::path() const
{
    return u"/api/chat"_s;
}

bool OllamaBackend::keyRequired() const
{
    return false;
}

void OllamaBackend::addHeaders(QNetworkRequest *request) const
{
    if (!apiKey().isEmpty())
        request->setRawHeader(QByteArrayLiteral("Authorization"), "Bearer " + apiKey().toUtf8());
}

namespace {

// Ollama's tool calls carry no id and their arguments as an object; the id is made up from the
// position, so that a tool result can still name its call.
void readMessage(const QJsonObject &message, ParsedReply *parsed)
{
    parsed->content += message.value(u"content"_s).toString();
    for (const QJsonValue &value : message.value(u"tool_calls"_s).toArray()) {
        const QJsonObject function = value.toObject().value(u"function"_s).toObject();
        LlmToolCall call;
        call.id = value.toObject().value(u"id"_s).toString(u"call_%1"_s.arg(parsed->toolCalls.size() + 1));
        call.name = function.value(u"name"_s).toString();
        const QJsonValue arguments = function.value(u"arguments"_s);
        if (arguments.isString())
            setToolArguments(&call, arguments.toString());
        else
            setToolArguments(&call,
                             QString::fromUtf8(QJsonDocument(arguments.toObject()).toJson(QJsonDocument::Compact)));
        parsed->toolCalls.append(call);
    }
}

void readUsage(const QJsonObject &reply, ParsedReply *parsed)
{
    parsed->promptTokens = usageCounter(reply, "prompt_eval_count"_L1);
    parsed->completionTokens = usageCounter(reply, "eval_count"_L1);
}

// One JSON object per line: message pieces with done:false, then done:true with the counts.
class OllamaStream final : public StreamDecoder
{
public:
    OllamaStream()
        : StreamDecoder(Framing::JsonLines)
    { }

protected:
    void event(const QByteArray &, const QJsonObject &data) override
    {
        if (data.contains(u"error"_s)) {
            m_streamError = data.value(u"error"_s).toString();
            return;
        }
        if (m_reply.model.isEmpty())
            m_reply.model = data.value(u"model"_s).toString();
        readMessage(data.value(u"message"_s).toObject(), &m_reply);
        if (data.value(u"done"_s).toBool()) {
            m_complete = true;
            readUsage(data, &m_reply);
        }
    }
};

} // namespace

std::unique_ptr<StreamDecoder> OllamaBackend::decoder() const
{
    return std::make_unique<OllamaStream>();
}

QJsonObject OllamaBackend::body(const LlmRequest &request, bool stream) const
{
    QJsonArray messages;
    for (const LlmMessage &message : request.messages) {
        QJsonObject json{{u"role"_s, message.role}, {u"content"_s, message.content}};
        if (message.role == u"tool")
            json.insert(u"tool_name"_s, message.toolName);
        if (!message.toolCalls.isEmpty()) {
            QJsonArray calls;
            for (const LlmToolCall &call : message.toolCalls)
                calls.append(QJsonObject{{u"function"_s,
                                          QJsonObject{{u"name"_s, call.name},
                                                      {u"arguments"_s, QJsonObject::fromVariantMap(call.arguments)}}}});
            json.insert(u"tool_calls"_s, calls);
        }
        messages.append(json);
    }
    QJsonObject options{{u"temperature"_s, request.temperature}};
    if (request.maxTokens)
        options.insert(u"num_predict"_s, *request.maxTokens);
    QJsonObject body{
        {u"model"_s, request.model}, {u"messages"_s, messages}, {u"stream"_s, stream}, {u"options"_s, options}};
    if (!request.tools.isEmpty()) {
        QJsonArray tools;
        for (const LlmTool &tool : request.tools)
            tools.append(QJsonObject{{u"type"_s, u"function"_s},
                                     {u"function"_s,
                                      QJsonObject{{u"name"_s, tool.name},
                                                  {u"description"_s, tool.description},
                                                  {u"parameters"_s, QJsonObject::fromVariantMap(tool.parameters)}}}});
        body.insert(u"tools"_s, tools);
    }
    return body;
}

HttpLlmBackend::Parsed OllamaBackend::parse(const QJsonObject &reply) const
{
    Parsed parsed;
    readUsage(reply, &parsed);
    parsed.model = reply.value(u"model"_s).toString();
    const QJsonObject message = reply.value(u"message"_s).toObject();
    if (!message.value(u"content"_s).isString() && !message.value(u"tool_calls"_s).isArray()) {
        const QString error = reply.value(u"error"_s).toString();
        parsed.error = error.isEmpty() ? u"the reply has no message content"_s : error;
        return parsed;
    }
    readMessage(message, &parsed);
    return parsed;
}

} // namespace agentdesk
