#include "anthropicbackend.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace agentdesk {

AnthropicBackend::AnthropicBackend(const LlmBackendConfig &config, const QString &apiKey,
                                   QNetworkAccessManager *network, QObject *parent)
    : HttpLlmBackend(config, apiKey, network, parent)
{
}

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

QJsonObject AnthropicBackend::body(const LlmRequest &request) const
{
    QStringList system;
    QJsonArray messages;
    for (const LlmMessage &message : request.messages) {
        if (message.role == u"system")
            system.append(message.content);
        else
            messages.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, message.content}});
    }
    QJsonObject body{{u"model"_s, request.model},
                     {u"messages"_s, messages},
                     {u"max_tokens"_s, request.maxTokens.value_or(DefaultMaxTokens)},
                     {u"temperature"_s, request.temperature}};
    if (!system.isEmpty())
        body.insert(u"system"_s, system.join(u"\n\n"_s));
    return body;
}

HttpLlmBackend::Parsed AnthropicBackend::parse(const QJsonObject &reply) const
{
    Parsed parsed;
    const QJsonValue content = reply.value(u"content"_s);
    if (!content.isArray()) {
        parsed.error = u"the reply has no content"_s;
        return parsed;
    }
    bool anyText = false;
    for (const QJsonValue &block : content.toArray()) {
        const QJsonObject object = block.toObject();
        if (object.value(u"type"_s).toString() == u"text") {
            parsed.content += object.value(u"text"_s).toString();
            anyText = true;
        }
    }
    if (!anyText) {
        parsed.error = u"the reply has no text content block"_s;
        return parsed;
    }
    parsed.model = reply.value(u"model"_s).toString();
    // Anthropic counts cache reads and cache writes apart from input_tokens; agentdesk's prompt
    // tokens include them (as OpenAI's do), with cache reads also reported as cached tokens.
    const QJsonObject usage = reply.value(u"usage"_s).toObject();
    const std::optional<qint64> input = counter(usage, "input_tokens"_L1);
    const qint64 cacheRead = counter(usage, "cache_read_input_tokens"_L1).value_or(0);
    const qint64 cacheWrite = counter(usage, "cache_creation_input_tokens"_L1).value_or(0);
    if (input)
        parsed.promptTokens = *input + cacheRead + cacheWrite;
    parsed.completionTokens = counter(usage, "output_tokens"_L1);
    parsed.cachedPromptTokens = cacheRead;
    return parsed;
}

} // namespace agentdesk
