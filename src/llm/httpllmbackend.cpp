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

HttpLlmBackend::HttpLlmBackend(const LlmBackendConfig &config, const QString &apiKey, QNetworkAccessManager *network,
                               QObject *parent)
    : LlmBackend(config, parent)
    , m_apiKey(apiKey)
    , m_network(network)
{ }

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

QString HttpLlmBackend::endpointText() const
{
    return endpoint().toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
}

void HttpLlmBackend::start(quint64 attemptId, const LlmRequest &request)
{
    const bool stream = streams();
    QNetworkRequest http(endpoint());
    http.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    http.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("agentdesk"));
    http.setRawHeader(QByteArrayLiteral("Accept"),
                      stream ? QByteArrayLiteral("text/event-stream, application/x-ndjson, application/json")
                             : QByteArrayLiteral("application/json"));
    addHeaders(&http);

    const QByteArray payload = QJsonDocument(body(request, stream)).toJson(QJsonDocument::Compact);
    QNetworkReply *reply = m_network->post(http, payload);
    Attempt attempt;
    attempt.reply = reply;
    attempt.timer = new QTimer(this);
    attempt.timer->setSingleShot(true);
    attempt.request = request;
    attempt.clock.start();
    armTimer(attempt, config().timeoutSeconds);
    m_attempts.insert(attemptId, attempt);

    connect(attempt.timer, &QTimer::timeout, this, [this, attemptId] { onTimeout(attemptId); });
    connect(reply, &QNetworkReply::readyRead, this, [this, attemptId] { onReadyRead(attemptId); });
    connect(reply, &QNetworkReply::finished, this, [this, attemptId] { onFinished(attemptId); });
    connect(reply, &QNetworkReply::downloadProgress, this, [this, attemptId](qint64 received, qint64) {
        if (received > MaxReplyBytes)
            onTooLarge(attemptId);
    });
}

void HttpLlmBackend::armTimer(Attempt &attempt, double seconds)
{
    attempt.timer->start(int(std::clamp(seconds * 1000.0, 1.0, double(INT_MAX))));
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

// The answer arrives: from now on `idle_timeout` bounds every gap. A 2xx answer to a streamed
// request is decoded as it comes, and its text so far reported.
void HttpLlmBackend::onReadyRead(quint64 attemptId)
{
    const auto it = m_attempts.find(attemptId);
    if (it == m_attempts.end() || !it->reply)
        return;
    Attempt &attempt = *it;
    QNetworkReply *reply = attempt.reply;
    if (!attempt.firstByteMs)
        attempt.firstByteMs = double(attempt.clock.nsecsElapsed()) / 1e6;
    armTimer(attempt, config().idleTimeoutSeconds);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray().toLower();
    // A server that ignores `stream` answers with one JSON document: read that as a whole.
    const bool streamed = streams() && status >= 200 && status < 300 && !contentType.startsWith("application/json");
    if (!streamed) {
        attempt.body += reply->readAll();
        return;
    }
    if (!attempt.stream)
        attempt.stream = decoder();
    attempt.stream->feed(reply->readAll());
    if (attempt.stream->hasOutput() && !attempt.firstTokenMs)
        attempt.firstTokenMs = double(attempt.clock.nsecsElapsed()) / 1e6;
    const QString &text = attempt.stream->reply().content;
    if (text.size() > attempt.emittedLength) {
        attempt.emittedLength = text.size();
        progress(attemptId, text);
    }
}

void HttpLlmBackend::onFinished(quint64 attemptId)
{
    const auto it = m_attempts.find(attemptId);
    if (it == m_attempts.end())
        return;
    Attempt attempt = *it;
    m_attempts.erase(it);
    retire(attempt.timer);
    QNetworkReply *reply = attempt.reply;
    if (!reply)
        return;
    reply->deleteLater();
    finish(attemptId, replyFor(attempt, reply));
}

void HttpLlmBackend::onTimeout(quint64 attemptId)
{
    const auto it = m_attempts.find(attemptId);
    if (it == m_attempts.end())
        return;
    if (it->stream && it->stream->hasOutput()) {
        BackendReply reply = interrupted(
            *it,
            u"no data for the idle_timeout of %1 (request aborted)"_s.arg(secondsText(config().idleTimeoutSeconds)));
        fail(attemptId, reply);
        return;
    }
    BackendReply reply;
    reply.retryable = true;
    reply.result.outcome = UsageOutcome::Aborted; // sent, never answered: the provider may bill it
    reply.error = it->firstByteMs
        ? u"the answer stalled for the idle_timeout of %1 (request aborted)"_s.arg(
            secondsText(config().idleTimeoutSeconds))
        : u"no answer within the timeout of %1 (request aborted)"_s.arg(secondsText(config().timeoutSeconds));
    fail(attemptId, reply);
}

void HttpLlmBackend::onTooLarge(quint64 attemptId)
{
    BackendReply reply;
    reply.result.outcome = UsageOutcome::Error;
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

BackendReply HttpLlmBackend::replyFor(Attempt &attempt, QNetworkReply *reply) const
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (attempt.stream) {
        attempt.stream->feed(reply->readAll());
        if (status == 0 || reply->error() != QNetworkReply::NoError)
            return interrupted(attempt, u"the connection failed (%1)"_s.arg(reply->errorString()));
        return streamedReply(attempt, status);
    }
    attempt.body += reply->readAll();
    if (status == 0) {
        BackendReply failed;
        failed.retryable = true;
        // Refused or unresolvable: the request never reached the provider. Anything else (reset,
        // closed) may have reached it, and is reported as aborted.
        const bool neverSent = reply->error() == QNetworkReply::ConnectionRefusedError
            || reply->error() == QNetworkReply::HostNotFoundError;
        failed.result.outcome = neverSent ? UsageOutcome::Error : UsageOutcome::Aborted;
        failed.error = redacted(u"no HTTP answer from %1: %2"_s.arg(endpointText(), reply->errorString()));
        return failed;
    }
    if (status >= 200 && status < 300)
        return successFor(attempt, attempt.body, status);

    BackendReply failed;
    failed.httpStatus = status;
    failed.retryable = RetryPolicy::isRetryableStatus(status);
    failed.result.outcome = UsageOutcome::Error;
    const QString message = providerMessage(attempt.body);
    const QString reason = QString::fromUtf8(
        reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray());
    failed.error = u"HTTP %1: %2"_s.arg(status).arg(message.isEmpty() ? reason : message);
    if (RetryPolicy::honoursRetryAfter(status) && reply->hasRawHeader("Retry-After"))
        failed.retryAfterSeconds = RetryPolicy::parseRetryAfter(reply->rawHeader("Retry-After"),
                                                                QDateTime::currentDateTimeUtc());
    return failed;
}

BackendReply HttpLlmBackend::streamedReply(Attempt &attempt, int status) const
{
    StreamDecoder &stream = *attempt.stream;
    stream.close();
    if (!stream.streamError().isEmpty()) {
        BackendReply reply = interrupted(attempt, u"the stream reported an error: "_s + stream.streamError());
        reply.httpStatus = status;
        return reply;
    }
    if (!stream.isComplete())
        return interrupted(attempt, u"the stream was cut off"_s);
    BackendReply reply;
    reply.httpStatus = status;
    fillResult(&reply.result, stream.reply(), attempt);
    if (!stream.reply().error.isEmpty()) {
        reply.retryable = true;
        reply.error = redacted(stream.reply().error);
        reply.result.outcome = UsageOutcome::Unusable;
        return reply;
    }
    reply.ok = true;
    return reply;
}

// A streamed answer that ended early: what was received is kept in the error (and its tokens — the
// provider's, or estimated from the text — are billed).
BackendReply HttpLlmBackend::interrupted(Attempt &attempt, const QString &what) const
{
    BackendReply reply;
    reply.retryable = true;
    const ParsedReply received = attempt.stream ? attempt.stream->reply() : ParsedReply();
    if (!attempt.firstByteMs) {
        reply.result.outcome = UsageOutcome::Aborted;
        reply.error = redacted(what);
        return reply;
    }
    fillResult(&reply.result, received, attempt);
    reply.result.outcome = UsageOutcome::Error;
    reply.error = redacted(u"%1 after %2 characters of the reply; received: %3"_s.arg(what)
                               .arg(received.content.size())
                               .arg(received.content.left(2000)));
    return reply;
}

BackendReply HttpLlmBackend::successFor(Attempt &attempt, const QByteArray &body, int status) const
{
    BackendReply reply;
    reply.httpStatus = status;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        reply.retryable = true;
        reply.result.outcome = UsageOutcome::Unusable;
        reply.error = parseError.error != QJsonParseError::NoError
            ? u"malformed JSON in the reply (%1 at byte %2)"_s.arg(parseError.errorString()).arg(parseError.offset)
            : u"malformed reply: expected a JSON object"_s;
        return reply;
    }
    const Parsed parsed = parse(document.object());
    if (!parsed.error.isEmpty()) {
        // Unusable, yet billed: the usage it carries is reported with it.
        reply.retryable = true;
        reply.error = redacted(parsed.error);
        if (parsed.hasUsage())
            fillResult(&reply.result, parsed, attempt);
        reply.result.outcome = UsageOutcome::Unusable;
        return reply;
    }
    reply.ok = true;
    fillResult(&reply.result, parsed, attempt);
    return reply;
}

void HttpLlmBackend::fillResult(LlmResult *result, const Parsed &parsed, const Attempt &attempt) const
{
    const LlmRequest &request = attempt.request;
    result->content = parsed.content;
    result->toolCalls = parsed.toolCalls;
    result->model = parsed.model.isEmpty() ? request.model : parsed.model;
    result->estimatedTokens = !parsed.promptTokens || !parsed.completionTokens;
    result->promptTokens = parsed.promptTokens.value_or(estimateTokens(promptCharacters(request)));
    qint64 outputCharacters = parsed.content.size();
    for (const LlmToolCall &call : parsed.toolCalls)
        outputCharacters += call.name.size() + call.argumentsText.size();
    result->completionTokens = parsed.completionTokens.value_or(estimateTokens(outputCharacters));
    result->cachedPromptTokens = std::min(parsed.cachedPromptTokens, result->promptTokens);
    result->cacheWriteTokens = std::min(parsed.cacheWriteTokens, result->promptTokens - result->cachedPromptTokens);
    result->reasoningTokens = std::min(parsed.reasoningTokens, result->completionTokens);
    const double elapsedMs = double(attempt.clock.nsecsElapsed()) / 1e6;
    result->ttftMs = attempt.firstTokenMs;
    // Generation speed: from the first token to the end when streamed, over the whole call otherwise.
    const double generationMs = elapsedMs - attempt.firstTokenMs.value_or(0.0);
    if (result->completionTokens > 0 && generationMs > 0)
        result->tokensPerSecond = double(result->completionTokens) / (generationMs / 1000.0);
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

} // namespace agentdesk
