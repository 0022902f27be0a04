#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTcpSocket>
#include <QUrl>
#include <QWebSocket>

#include <functional>

// A QWebSocket that records every text frame it receives, for tests that wait on the event loop.
class WsTestClient : public QObject
{
    Q_OBJECT
public:
    explicit WsTestClient(QObject *parent = nullptr);

    bool open(const QUrl &url, int timeoutMs = 5000);
    void send(const QJsonObject &command);
    void sendText(const QString &text);
    // The next received frame that matches (frames are consumed in order); an empty object if none
    // arrives within the timeout.
    QJsonObject waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs = 5000);
    QJsonObject waitForEvent(const QString &event, int timeoutMs = 5000);
    bool waitClosed(int timeoutMs = 5000);

    QList<QJsonObject> frames;
    QWebSocket socket;

private:
    qsizetype m_consumed = 0;
};

// Does the WebSocket handshake on a raw socket, then stops reading: a subscriber that stalls.
class StalledWsClient : public QObject
{
    Q_OBJECT
public:
    bool open(quint16 port, const QByteArray &path, int timeoutMs = 5000);
    void sendText(const QByteArray &utf8); // one masked text frame
    QTcpSocket socket;
};
