#pragma once

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>

class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace agentdesk::test {

// A stand-in for the original AgentServer (spec §1–§7, the S4 surface) as it really behaves, on one
// port of 127.0.0.1: REST answers with the original's shapes (camelCase, no agentdesk extensions, an
// OpenAPI document without x-agentdesk-extension), inject only records a message `from: api` whose
// payloadType is the payload's first key, pause/kill/stop change labels only (status `stopping` for
// good), PUT is 405, /usage has no unpricedRequests and no latency per agent or model, /usage/history
// holds the calls the test records. Its /ws behaves as configured, after the original's serialisation
// defect (spec §6.3): drops the connection before its snapshot when a thread exists, or sends the
// snapshot and pushes only the first message after it.
class FakeOriginalServer final : public QObject
{
    Q_OBJECT
public:
    enum class WebSocket {
        DropsBeforeSnapshot,    // whenever any thread exists: the connection goes without a frame
        StopsAfterFirstMessage, // the snapshot, then one pushed message, then silence
    };

    explicit FakeOriginalServer(WebSocket mode, QObject *parent = nullptr);
    ~FakeOriginalServer() override;

    quint16 port() const { return m_server.serverPort(); }
    QString url() const;

    // What the server holds. recordMessage is what the original's ServerState does for every message.
    QString recordMessage(const QString &threadId, const QString &from, const QString &to, const QJsonObject &payload);
    void recordUsage(const QString &agent, const QString &model, qint64 prompt, qint64 completion, double latencyMs,
                     const QDateTime &time = QDateTime::currentDateTimeUtc());
    int totalMessages() const { return int(m_messages.size()); }
    QString threadStatus(const QString &threadId) const;
    QString agentState(const QString &agent) const;
    QString organismStatus() const { return m_status; }
    int requestCount(const QString &path) const { return m_requests.value(path); }
    int webSocketConnections() const { return m_webSocketConnections; }
    void setUptimeSeconds(double seconds)
    {
        m_uptimeBase = seconds;
        m_uptime.restart();
    }

private:
    struct Request
    {
        QByteArray method;
        QString path;
        QHash<QString, QString> query;
        QByteArray body;
    };
    struct Reply
    {
        int status = 200;
        QJsonObject json;
    };

    void accept();
    void onReadable(QTcpSocket *socket);
    Reply answer(const Request &request);
    Reply get(const Request &request);
    Reply post(const Request &request);
    void onWebSocket();
    void push(const QJsonObject &event);

    QJsonObject organismJson() const;
    QJsonObject agentJson(const QString &name) const;
    QJsonObject capabilityJson(const QString &name, bool detail) const;
    QJsonObject threadJson(const QString &id) const;
    static QJsonObject page(const QString &key, const QJsonArray &all, const Request &request, int defaultLimit);

    WebSocket m_mode;
    QTcpServer m_server;
    QWebSocketServer *m_webSockets;
    QList<QPointer<QWebSocket>> m_clients; // those still pushed to
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QString, int> m_requests;
    int m_webSocketConnections = 0;
    QElapsedTimer m_uptime;
    double m_uptimeBase = 100.0;
    QString m_status = QStringLiteral("running");
    QHash<QString, QString> m_agentStates;
    QHash<QString, qint64> m_agentMessages;
    QList<QJsonObject> m_messages; // oldest first
    QList<QString> m_threadOrder;  // creation order
    QHash<QString, QJsonObject> m_threads;
    QList<QJsonObject> m_usageEvents; // oldest first
};

} // namespace agentdesk::test
