#include "ollamabackend.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace agentdesk {

OllamaBackend::OllamaBackend(const LlmBackendConfig &config, const QString &apiKey,
                             QNetworkAccessManager *network, QObject *parent)
    : HttpLlmBackend(config, apiKey, network, parent)
{
}

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

QJsonObject OllamaBackend::body(const LlmRequest &request) const
{
    QJsonArray messages;
    for (const LlmMessage &message : request.messages)
        messages.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, message.content}});
    QJsonObject options{{u"temperature"_s, request.temperature}};
    if (request.maxTokens)
        options.insert(u"num_predict"_s, *request.maxTokens);
    return QJsonObject{{u"model"_s, request.model},
                       {u"messages"_s, messages},
                       {u"stream"_s, false},
                       {u"options"_s, options}};
}

HttpLlmBackend::Parsed OllamaBackend::parse(const QJsonObject &reply) const
{
    Parsed parsed;
    const QJsonValue content = reply.value(u"message"_s).toObject().value(u"content"_s);
    if (!content.isString()) {
        const QString error = reply.value(u"error"_s).toString();
        parsed.error = error.isEmpty() ? u"the reply has no message content"_s : error;
        return parsed;
    }
    parsed.content = content.toString();
    parsed.model = reply.value(u"model"_s).toString();
    parsed.promptTokens = counter(reply, "prompt_eval_count"_L1);
    parsed.completionTokens = counter(reply, "eval_count"_L1);
    return parsed;
}

} // namespace agentdesk
