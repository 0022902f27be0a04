#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPair>
#include <QString>
#include <QStringList>

// Test-side clients for the API on 127.0.0.1. Everything runs in the test's own thread and waits by
// spinning the event loop, so the server under test (same thread) keeps working.

struct HttpResult
{
    int status = 0; // 0 = no HTTP response
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;

    QByteArray header(const QByteArray &name) const;
    QJsonObject object() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray detailList() const { return object().value(QStringLiteral("detail")).toArray(); }
    QString detail() const { return object().value(QStringLiteral("detail")).toString(); }
};

class ApiTestClient
{
public:
    explicit ApiTestClient(quint16 port);

    HttpResult get(const QString &path, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    HttpResult post(const QString &path, const QByteArray &body = {},
                    const QList<QPair<QByteArray, QByteArray>> &headers = {});
    HttpResult send(const QByteArray &verb, const QString &path, const QByteArray &body = {},
                    const QList<QPair<QByteArray, QByteArray>> &headers = {});
    QUrl url(const QString &path) const;

private:
    quint16 m_port;
    QNetworkAccessManager m_manager;
};

// Sends raw bytes and collects what comes back until the server closes or `timeoutMs` passes.
struct RawExchange
{
    QByteArray response;
    bool closedByServer = false;
    int status() const; // from the first status line, 0 if none
};
RawExchange rawExchange(quint16 port, const QByteArray &request, int timeoutMs = 3000);

// Opens a WebSocket by hand and returns the server's close frame (code and reason) if one comes
// within the timeout; Qt 6.4's QWebSocket reports close code 1013 as a protocol error (1002),
// so the code the server sent is read from the wire.
struct RawClose
{
    bool upgraded = false;
    int code = 0;
    QString reason;
};
RawClose rawWebSocketClose(quint16 port, const QByteArray &path, int timeoutMs = 3000);
