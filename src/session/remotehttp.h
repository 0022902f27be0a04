#pragma once

#include "errorparser.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace agentdesk {

// The REST half of RemoteSession: requests relative to the server's base URL, the Bearer key on every
// one, and answers turned into what the session needs (status, JSON object, error text).
class RemoteHttp : public QObject
{
    Q_OBJECT
public:
    struct Response
    {
        int status = 0; // HTTP status; 0 when no answer came (connection, TLS, time-out)
        QByteArray body;
        std::optional<QJsonObject> json; // the body when it is a JSON object
        QString networkError;            // why no answer came, worded for the operator
        wire::ApiErrorBody error;        // the error body of a non-2xx answer

        bool ok() const { return status >= 200 && status < 300 && networkError.isEmpty(); }
        bool reached() const { return status != 0; }
        // "HTTP 403: Invalid API key", "Connection refused by 127.0.0.1:8765", …
        QString errorText() const;
        // The server's detail alone when there is one (what a command reports), else errorText().
        QString detailText() const;
    };
    using Handler = std::function<void(const Response &response)>;

    explicit RemoteHttp(const QUrl &baseUrl, const QByteArray &apiKey, QObject *parent = nullptr);
    ~RemoteHttp() override;

    // `path` is absolute on the server ("/api/v1/agents"), appended to the base URL's own path.
    void get(const QString &path, const QUrlQuery &query, Handler handler);
    void post(const QString &path, const QByteArray &json, Handler handler);
    void put(const QString &path, const QByteArray &json, Handler handler);
    // Cancels every request in flight; their handlers are not called.
    void abortAll();

    QUrl url(const QString &path, const QUrlQuery &query = {}) const;
    QUrl webSocketUrl(const QString &path) const;
    QByteArray authorization() const; // "Bearer <key>", or empty without a key
    int inFlight() const { return m_inFlight; }

    static QString pathSegment(const QString &text); // percent-encoded for use inside a path

private:
    void send(const QByteArray &verb, const QString &path, const QUrlQuery &query, const QByteArray &body,
              Handler handler);
    void finish(QNetworkReply *reply, const Handler &handler);

    QUrl m_baseUrl;
    QByteArray m_apiKey;
    QNetworkAccessManager *m_network;
    quint64 m_generation = 0;
    int m_inFlight = 0;
};

} // namespace agentdesk
