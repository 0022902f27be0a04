#include "openaicompatiblebackend.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace agentdesk {

OpenAiCompatibleBackend::OpenAiCompatibleBackend(const LlmBackendConfig &config, const QString &apiKey,
                                                 QNetworkAccessManager *network, QObject *parent)
    : HttpLlmBackend(config, apiKey, network, parent)
{
}

bool OpenAiCompatibleBackend::handlesProvider(const QString &provider)
{
    static const QStringList providers{u"openai"_s,   u"xai"_s,      u"openai-compatible"_s,
                                       u"vllm"_s,     u"llamacpp"_s, u"lmstudio"_s};
    return providers.contains(provider);
}

bool OpenAiCompatibleBackend::servesByConvention(const QString &model) const
{
    const QString name = model.toLower();
    if (provider() == u"openai")
        return name.contains(u"gpt"_s) || name.contains(u"o1"_s) || name.contains(u"o3"_s)
               || name.contains(u"o4"_s);
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

QJsonObject OpenAiCompatibleBackend::body(const LlmRequest &request) const
{
    QJsonArray messages;
    for (const LlmMessage &message : request.messages)
        messages.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, message.content}});
    QJsonObject body{{u"model"_s, request.model}, {u"messages"_s, messages}};
    // api.openai.com rejects max_tokens and any non-default temperature for its o-series reasoning
    // models, and has deprecated max_tokens in favour of max_completion_tokens for all models.
    if (!isOpenAiReasoningModel(request.model))
        body.insert(u"temperature"_s, request.temperature);
    if (request.maxTokens)
        body.insert(provider() == u"openai" ? u"max_completion_tokens"_s : u"max_tokens"_s, *request.maxTokens);
    return body;
}

HttpLlmBackend::Parsed OpenAiCompatibleBackend::parse(const QJsonObject &reply) const
{
    Parsed parsed;
    const QJsonArray choices = reply.value(u"choices"_s).toArray();
    if (choices.isEmpty()) {
        parsed.error = u"the reply has no choices"_s;
        return parsed;
    }
    const QJsonObject message = choices.first().toObject().value(u"message"_s).toObject();
    const QJsonValue content = message.value(u"content"_s);
    if (content.isString()) {
        parsed.content = content.toString();
    } else if (content.isArray()) {
        // Some compatible servers send content parts ([{"type":"text","text":…}]) instead of a string.
        for (const QJsonValue &part : content.toArray())
            parsed.content += part.toObject().value(u"text"_s).toString();
    } else {
        const QString refusal = message.value(u"refusal"_s).toString();
        parsed.error = refusal.isEmpty() ? u"the reply's first choice has no message content"_s
                                         : u"the model refused: %1"_s.arg(refusal);
        return parsed;
    }
    parsed.model = reply.value(u"model"_s).toString();
    const QJsonObject usage = reply.value(u"usage"_s).toObject();
    parsed.promptTokens = counter(usage, "prompt_tokens"_L1);
    parsed.completionTokens = counter(usage, "completion_tokens"_L1);
    parsed.cachedPromptTokens =
        counter(usage.value(u"prompt_tokens_details"_s).toObject(), "cached_tokens"_L1).value_or(0);
    return parsed;
}

} // namespace agentdesk
