#pragma once

#include "llmbackend.h"
#include "parsedreply.h"

#include <QJsonObject>
#include <QNetworkRequest>
#include <QPointer>

#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace agentdesk {

// The HTTP half every network backend shares: POST a JSON body, enforce `timeout` (until the first
// byte of the answer) and `idle_timeout` (between two chunks of it), read a streamed answer as it
// arrives (partial text, time to first token), turn statuses, transport errors, unusable bodies and
// cut streams into BackendReply errors that say what the provider said — with the tokens the provider
// billed for them — honour Retry-After, and make sure the API key never reaches an error text.
// Subclasses describe their wire format: the endpoint, the headers, the body, the reply parser and
// the stream decoder.
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
    bool streams() const override { return config().stream; }
    // The endpoint this backend posts to (base_url or the provider default, plus the wire path).
    QUrl endpoint() const;

protected:
    using Parsed = ParsedReply;

    virtual QString defaultBaseUrl() const = 0; // "" = base_url is required
    virtual QString path() const = 0;           // appended to the base URL
    virtual void addHeaders(QNetworkRequest *request) const = 0;
    // The request body; `stream` says whether to ask for a streamed answer.
    virtual QJsonObject body(const LlmRequest &request, bool stream) const = 0;
    virtual Parsed parse(const QJsonObject &reply) const = 0;
    virtual std::unique_ptr<StreamDecoder> decoder() const = 0;
    // Whether this provider cannot work without a key.
    virtual bool keyRequired() const = 0;
    QString endpointText() const override;

    const QString &apiKey() const { return m_apiKey; }

    void start(quint64 attemptId, const LlmRequest &request) override;
    void stop(quint64 attemptId) override;

    // Reads an optional non-negative integer member (usage counters).
    static std::optional<qint64> counter(const QJsonObject &object, QLatin1StringView key)
    {
        return usageCounter(object, key);
    }

private:
    struct Attempt
    {
        QPointer<QNetworkReply> reply;
        QTimer *timer = nullptr;
        LlmRequest request;
        QElapsedTimer clock;                   // since the request was sent
        std::optional<double> firstByteMs;     // the answer started
        std::optional<double> firstTokenMs;    // the first text or tool call arrived (streamed)
        std::shared_ptr<StreamDecoder> stream; // set while a 2xx answer is read as a stream
        QByteArray body;                       // a non-streamed (or error) answer so far
        qint64 emittedLength = 0;              // text already reported as partial
    };

    void onReadyRead(quint64 attemptId);
    void onFinished(quint64 attemptId);
    void onTimeout(quint64 attemptId);
    void onTooLarge(quint64 attemptId);
    void fail(quint64 attemptId, BackendReply reply);
    void armTimer(Attempt &attempt, double seconds);
    BackendReply replyFor(Attempt &attempt, QNetworkReply *reply) const;
    BackendReply streamedReply(Attempt &attempt, int status) const;
    BackendReply successFor(Attempt &attempt, const QByteArray &body, int status) const;
    BackendReply interrupted(Attempt &attempt, const QString &what) const;
    void fillResult(LlmResult *result, const Parsed &parsed, const Attempt &attempt) const;
    QString providerMessage(const QByteArray &body) const;
    QString redacted(QString text) const;
    void discard(quint64 attemptId);

    QString m_apiKey;
    QNetworkAccessManager *m_network = nullptr;
    QHash<quint64, Attempt> m_attempts;
};

} // namespace agentdesk
