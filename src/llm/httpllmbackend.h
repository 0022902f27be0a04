#pragma once

#include "llmbackend.h"

#include <QJsonObject>
#include <QNetworkRequest>
#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;

namespace agentdesk {

// The HTTP half every network backend shares: POST a JSON body, enforce the per-attempt `timeout`,
// turn statuses, transport errors and unreadable bodies into BackendReply errors that say what the
// provider said, honour Retry-After, and make sure the API key never reaches an error text.
// Subclasses describe their wire format: the endpoint, the headers, the body and the reply parser.
class HttpLlmBackend : public LlmBackend
{
    Q_OBJECT
public:
    // Replies above this size are refused: a chat completion is never that large, a runaway proxy is.
    static constexpr qint64 MaxReplyBytes = 8 * 1024 * 1024;

    HttpLlmBackend(const LlmBackendConfig &config, const QString &apiKey, QNetworkAccessManager *network,
                   QObject *parent = nullptr);
    ~HttpLlmBackend() override;

    QString problem() const override;
    // The endpoint this backend posts to (base_url or the provider default, plus the wire path).
    QUrl endpoint() const;

protected:
    // What a 2xx body says: content, model, tokens; or what is missing from it.
    struct Parsed
    {
        QString error; // non-empty: the body is not a usable reply
        QString content;
        QString model;
        std::optional<qint64> promptTokens;
        std::optional<qint64> completionTokens;
        qint64 cachedPromptTokens = 0;
    };

    virtual QString defaultBaseUrl() const = 0; // "" = base_url is required
    virtual QString path() const = 0;           // appended to the base URL
    virtual void addHeaders(QNetworkRequest *request) const = 0;
    virtual QJsonObject body(const LlmRequest &request) const = 0;
    virtual Parsed parse(const QJsonObject &reply) const = 0;
    // Whether this provider cannot work without a key.
    virtual bool keyRequired() const = 0;

    const QString &apiKey() const { return m_apiKey; }

    void start(quint64 attemptId, const LlmRequest &request) override;
    void stop(quint64 attemptId) override;

    // Reads an optional non-negative integer member (usage counters).
    static std::optional<qint64> counter(const QJsonObject &object, QLatin1StringView key);

private:
    struct Attempt
    {
        QPointer<QNetworkReply> reply;
        QTimer *timer = nullptr;
        LlmRequest request;
    };

    void onFinished(quint64 attemptId);
    void onTimeout(quint64 attemptId);
    void onTooLarge(quint64 attemptId);
    void fail(quint64 attemptId, BackendReply reply);
    BackendReply replyFor(const Attempt &attempt, QNetworkReply *reply) const;
    BackendReply successFor(const LlmRequest &request, const QByteArray &body, int status) const;
    QString providerMessage(const QByteArray &body) const;
    QString redacted(QString text) const;
    void discard(quint64 attemptId);

    QString m_apiKey;
    QNetworkAccessManager *m_network = nullptr;
    QHash<quint64, Attempt> m_attempts;
};

} // namespace agentdesk
