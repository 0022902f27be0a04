#include "httpllmbackend.h"

#include "retrypolicy.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

constexpr qsizetype MaxQuotedBody = 200;

// The timer may be the very sender whose timeout() is being handled: stop it now, delete it later.
void retire(QTimer *timer)
{
    if (timer) {
        timer->stop();
        timer->deleteLater();
    }
}

QString secondsText(double seconds)
{
    return QString::number(seconds, 'g', 6) + u" s"_s;
}

} // namespace

HttpLlmBackend::HttpLlmBackend(const LlmBackendConfig &config, const QString &apiKey,
                               QNetworkAccessManager *network, QObject *parent)
    : LlmBackend(config, parent)
    , m_apiKey(apiKey)
    , m_network(network)
{
}

HttpLlmBackend::~HttpLlmBackend()
{
    const QList<quint64> ids = m_attempts.keys();
    for (const quint64 id : ids)
        discard(id);
}

QString HttpLlmBackend::problem() const
{
    if (config().baseUrl.isEmpty() && defaultBaseUrl().isEmpty())
        return u"base_url is required for provider %1 (the server's OpenAI-compatible root, "
               "e.g. http://localhost:8000/v1)"_s.arg(provider());
    const QUrl url = endpoint();
    if (!url.isValid() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s))
        return u"base_url %1 is not an http:// or https:// URL"_s.arg(config().baseUrl);
    if (m_apiKey.isEmpty()) {
        if (!config().apiKeyEnv.isEmpty())
            return u"the environment variable %1 (api_key_env) is not set or empty; set it to the "
                   "API key before starting"_s.arg(config().apiKeyEnv);
        if (keyRequired())
            return u"no API key: provider %1 needs one; set api_key_env to the name of the "
                   "environment variable that holds it"_s.arg(provider());
    }
    return {};
}

QUrl HttpLlmBackend::endpoint() const
{
    QString base = config().baseUrl.isEmpty() ? defaultBaseUrl() : config().baseUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    return QUrl(base + path());
}

void HttpLlmBackend::start(quint64 attemptId, const LlmRequest &request)
{
    QNetworkRequest http(endpoint());
    http.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    http.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("agentdesk"));
    http.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
    addHeaders(&http);

    const QByteArray payload = QJsonDocument(body(request)).toJson(QJsonDocument::Compact);
    QNetworkReply *reply = m_network->post(http, payload);
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    const double timeoutMs = std::clamp(config().timeoutSeconds * 1000.0, 1.0, double(INT_MAX));
    timer->start(int(timeoutMs));
    m_attempts.insert(attemptId, Attempt{reply, timer, request});

    connect(timer, &QTimer::timeout, this, [this, attemptId] { onTimeout(attemptId); });
    connect(reply, &QNetworkReply::finished, this, [this, attemptId] { onFinished(attemptId); });
    connect(reply, &QNetworkReply::downloadProgress, this, [this, attemptId](qint64 received, qint64) {
        if (received > MaxReplyBytes)
            onTooLarge(attemptId);
    });
}

void HttpLlmBackend::stop(quint64 attemptId)
{
    discard(attemptId);
}

void HttpLlmBackend::discard(quint64 attemptId)
{
    const Attempt attempt = m_attempts.take(attemptId);
    retire(attempt.timer);
    if (QNetworkReply *reply = attempt.reply) {
        // abort() emits finished() synchronously: disconnect first so nothing is reported.
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void HttpLlmBackend::onFinished(quint64 attemptId)
{
    const Attempt attempt = m_attempts.take(attemptId);
    retire(attempt.timer);
    QNetworkReply *reply = attempt.reply;
    if (!reply)
        return;
    reply->deleteLater();
    finish(attemptId, replyFor(attempt, reply));
}

void HttpLlmBackend::onTimeout(quint64 attemptId)
{
    BackendReply reply;
    reply.retryable = true;
    reply.error = u"no answer within the timeout of %1 (request aborted)"_s.arg(secondsText(config().timeoutSeconds));
    fail(attemptId, reply);
}

void HttpLlmBackend::onTooLarge(quint64 attemptId)
{
    BackendReply reply;
    reply.error = u"reply larger than %1 MiB (refused)"_s.arg(MaxReplyBytes / (1024 * 1024));
    fail(attemptId, reply);
}

void HttpLlmBackend::fail(quint64 attemptId, BackendReply reply)
{
    if (!m_attempts.contains(attemptId))
        return;
    discard(attemptId);
    finish(attemptId, reply);
}

BackendReply HttpLlmBackend::replyFor(const Attempt &attempt, QNetworkReply *reply) const
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (status == 0) {
        BackendReply failed;
        failed.retryable = true;
        failed.error = redacted(u"no HTTP answer from %1: %2"_s.arg(
            endpoint().toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery), reply->errorString()));
        return failed;
    }
    if (status >= 200 && status < 300)
        return successFor(attempt.request, body, status);

    BackendReply failed;
    failed.httpStatus = status;
    failed.retryable = RetryPolicy::isRetryableStatus(status);
    const QString message = providerMessage(body);
    const QString reason =
        QString::fromUtf8(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray());
    failed.error = u"HTTP %1: %2"_s.arg(status).arg(message.isEmpty() ? reason : message);
    if (RetryPolicy::honoursRetryAfter(status) && reply->hasRawHeader("Retry-After"))
        failed.retryAfterSeconds =
            RetryPolicy::parseRetryAfter(reply->rawHeader("Retry-After"), QDateTime::currentDateTimeUtc());
    return failed;
}

BackendReply HttpLlmBackend::successFor(const LlmRequest &request, const QByteArray &body, int status) const
{
    BackendReply reply;
    reply.httpStatus = status;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        reply.retryable = true;
        reply.error = parseError.error != QJsonParseError::NoError
                          ? u"malformed JSON in the reply (%1 at byte %2)"_s.arg(parseError.errorString())
                                .arg(parseError.offset)
                          : u"malformed reply: expected a JSON object"_s;
        return reply;
    }
    const Parsed parsed = parse(document.object());
    if (!parsed.error.isEmpty()) {
        reply.retryable = true;
        reply.error = redacted(parsed.error);
        return reply;
    }
    reply.ok = true;
    LlmResult &result = reply.result;
    result.content = parsed.content;
    result.model = parsed.model.isEmpty() ? request.model : parsed.model;
    result.estimatedTokens = !parsed.promptTokens || !parsed.completionTokens;
    result.promptTokens = parsed.promptTokens.value_or(estimateTokens(promptCharacters(request)));
    result.completionTokens = parsed.completionTokens.value_or(estimateTokens(parsed.content.size()));
    result.cachedPromptTokens = std::min(parsed.cachedPromptTokens, result.promptTokens);
    return reply;
}

QString HttpLlmBackend::providerMessage(const QByteArray &body) const
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    QString message;
    if (document.isObject()) {
        // OpenAI/xAI/vLLM {"error":{"message"}}, Anthropic {"type":"error","error":{"type","message"}},
        // Ollama and llama.cpp {"error":"…"}, FastAPI-style servers {"detail":"…"}.
        const QJsonObject object = document.object();
        const QJsonValue error = object.value(u"error"_s);
        if (error.isString())
            message = error.toString();
        else if (error.isObject())
            message = error.toObject().value(u"message"_s).toString();
        if (message.isEmpty())
            message = object.value(u"message"_s).toString();
        if (message.isEmpty())
            message = object.value(u"detail"_s).toString();
    }
    if (message.isEmpty() && !body.trimmed().isEmpty() && !document.isObject()) {
        message = QString::fromUtf8(body).simplified();
        if (message.size() > MaxQuotedBody)
            message = message.left(MaxQuotedBody) + u"…"_s;
    }
    return redacted(message);
}

QString HttpLlmBackend::redacted(QString text) const
{
    // Providers echo a rejected key back ("Incorrect API key provided: sk-…"); errors travel to logs,
    // the API and the window, so the key is cut out wherever it appears.
    if (!m_apiKey.isEmpty())
        text.replace(m_apiKey, u"[redacted]"_s);
    return text;
}

std::optional<qint64> HttpLlmBackend::counter(const QJsonObject &object, QLatin1StringView key)
{
    const QJsonValue value = object.value(key);
    if (!value.isDouble() || value.toDouble() < 0 || !std::isfinite(value.toDouble()))
        return std::nullopt;
    return qint64(value.toDouble());
}

} // namespace agentdesk
