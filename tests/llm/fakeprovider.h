#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>

#include <deque>

class QTcpServer;
class QTcpSocket;

namespace agentdesk {

// One HTTP request as the fake provider received it.
struct FakeRequest
{
    QByteArray method;
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QJsonObject json() const;
};

// What the fake provider does with one request.
struct FakeResponse
{
    enum class Mode {
        Answer, // send status, headers and body
        Hang,   // never answer (the client's timeout or cancel must end it)
        Close,  // close the connection without a word
    };
    Mode mode = Mode::Answer;
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    static FakeResponse json(int status, const QJsonObject &object);
    static FakeResponse raw(int status, const QByteArray &body);
    static FakeResponse hang();
    static FakeResponse close();
    FakeResponse withHeader(const QByteArray &name, const QByteArray &value) const;
};

// A real HTTP/1.1 server on 127.0.0.1 (port 0) that speaks one provider's wire format, for tests
// and the router benchmark. Scripted responses are used in order; when none is left it answers with
// a successful reply in its format (content "reply N", echoing the requested model, with usage). It
// records every request so tests can assert the body and headers the backend sent.
class FakeProvider : public QObject
{
    Q_OBJECT
public:
    enum class Format { OpenAi, Anthropic, Ollama };

    explicit FakeProvider(Format format, QObject *parent = nullptr);
    ~FakeProvider() override;

    quint16 port() const;
    // base_url for a backend: http://127.0.0.1:<port>, plus /v1 for the OpenAI and Anthropic formats.
    QString baseUrl() const;

    void enqueue(const FakeResponse &response);
    void enqueue(int times, const FakeResponse &response);
    // While holding, requests wait unanswered until release() (max_concurrent tests).
    void setHolding(bool holding);
    void release();

    QList<FakeRequest> requests() const { return m_requests; }
    int requestCount() const { return int(m_requests.size()); }
    FakeRequest lastRequest() const { return m_requests.isEmpty() ? FakeRequest{} : m_requests.last(); }
    int unanswered() const;            // requests received and not yet answered on open connections
    int maxUnanswered() const { return m_maxUnanswered; }
    int abandoned() const { return m_abandoned; } // connections the client closed while a request waited

    // Successful replies in each provider's exact shape.
    static QJsonObject openAiReply(const QString &content, const QString &model, qint64 promptTokens,
                                   qint64 completionTokens, qint64 cachedTokens);
    static QJsonObject anthropicReply(const QString &content, const QString &model, qint64 inputTokens,
                                      qint64 outputTokens, qint64 cacheReadTokens);
    static QJsonObject ollamaReply(const QString &content, const QString &model, qint64 promptEvalCount,
                                   qint64 evalCount);
    // Error bodies in each provider's exact shape.
    static QJsonObject openAiError(const QString &message);
    static QJsonObject anthropicError(const QString &type, const QString &message);
    static QJsonObject ollamaError(const QString &message);

signals:
    void requestReceived();

private:
    struct Connection
    {
        QPointer<QTcpSocket> socket;
        QByteArray buffer;
        bool waiting = false; // a request on it has not been answered
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void onDisconnected(QTcpSocket *socket);
    void handle(QTcpSocket *socket, const FakeRequest &request);
    void answer(QTcpSocket *socket, const FakeRequest &request, const FakeResponse &response);
    FakeResponse next(const FakeRequest &request);
    FakeResponse defaultReply(const FakeRequest &request) const;

    Format m_format;
    QTcpServer *m_server = nullptr;
    QHash<QTcpSocket *, Connection> m_connections;
    std::deque<FakeResponse> m_script;
    QList<std::pair<QPointer<QTcpSocket>, FakeRequest>> m_held;
    QList<FakeRequest> m_requests;
    bool m_holding = false;
    int m_maxUnanswered = 0;
    int m_abandoned = 0;
};

} // namespace agentdesk
