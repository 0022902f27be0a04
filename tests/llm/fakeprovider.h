#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>

#include <deque>
#include <functional>

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
        Stream, // send status and headers, then `chunks` one by one, `chunkIntervalMs` apart, then close
    };
    Mode mode = Mode::Answer;
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray contentType = "application/json";
    QList<QByteArray> chunks;     // Stream
    int chunkIntervalMs = 0;      // Stream: pause before each chunk after the first
    bool hangAfterChunks = false; // Stream: keep the connection open, silent, after the last chunk

    static FakeResponse json(int status, const QJsonObject &object);
    static FakeResponse raw(int status, const QByteArray &body);
    static FakeResponse hang();
    static FakeResponse close();
    // A streamed answer (200, the given content type, no Content-Length, the connection closes at the end).
    static FakeResponse stream(const QList<QByteArray> &chunks, const QByteArray &contentType = "text/event-stream");
    FakeResponse withHeader(const QByteArray &name, const QByteArray &value) const;
    FakeResponse spaced(int intervalMs) const;     // chunkIntervalMs
    FakeResponse cutAfter(int chunkCount) const;   // only the first chunks, then the connection closes
    FakeResponse stallAfter(int chunkCount) const; // only the first chunks, then silence
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
    // Answers every request the script does not (instead of the built-in "reply N").
    void setResponder(std::function<FakeResponse(const FakeRequest &request)> responder)
    {
        m_responder = std::move(responder);
    }
    // While holding, requests wait unanswered until release() (max_concurrent tests).
    void setHolding(bool holding);
    void release();

    QList<FakeRequest> requests() const { return m_requests; }
    int requestCount() const { return int(m_requests.size()); }
    FakeRequest lastRequest() const { return m_requests.isEmpty() ? FakeRequest{} : m_requests.last(); }
    int unanswered() const; // requests received and not yet answered on open connections
    int maxUnanswered() const { return m_maxUnanswered; }
    int abandoned() const { return m_abandoned; } // connections the client closed while a request waited

    // Usage the provider reports with a reply (what it bills); `reasoning` and `cacheWrite` only
    // where the format has them.
    struct Usage
    {
        qint64 prompt = 10;
        qint64 completion = 5;
        qint64 cached = 0;
        qint64 cacheWrite = 0;       // Anthropic cache_creation_input_tokens
        qint64 reasoning = 0;        // OpenAI/xAI completion_tokens_details.reasoning_tokens
        bool reasoningApart = false; // xAI: completion_tokens leaves reasoning out (total adds it)
    };
    struct ToolUse
    {
        QString id;
        QString name;
        QJsonObject arguments;
        QString rawArguments; // OpenAI: sent instead of `arguments` when not empty (e.g. broken JSON)
    };

    // Streamed replies in each provider's exact shape: the text in `pieces`, then the tool calls,
    // then the usage (OpenAI: a final chunk, as with stream_options.include_usage) and the end marker.
    static QList<QByteArray> openAiStream(const QStringList &pieces, const QString &model, const Usage &usage,
                                          const QList<ToolUse> &tools = {});
    static QList<QByteArray> anthropicStream(const QStringList &pieces, const QString &model, const Usage &usage,
                                             const QList<ToolUse> &tools = {});
    static QList<QByteArray> ollamaStream(const QStringList &pieces, const QString &model, const Usage &usage,
                                          const QList<ToolUse> &tools = {});
    // Replies with tool calls (and, optionally, text).
    static QJsonObject openAiToolReply(const QList<ToolUse> &tools, const QString &model, const Usage &usage,
                                       const QString &content = {});
    static QJsonObject anthropicToolReply(const QList<ToolUse> &tools, const QString &model, const Usage &usage,
                                          const QString &content = {});
    static QJsonObject ollamaToolReply(const QList<ToolUse> &tools, const QString &model, const Usage &usage);
    static QJsonObject openAiUsage(const Usage &usage);
    static QJsonObject anthropicUsage(const Usage &usage);

    // The tokens of every reply sent so far that reported usage, as the provider would bill them
    // (prompt + completion, reasoning included once).
    qint64 billedTokens() const { return m_billedTokens; }
    // Every reply's usage, for the billing comparison: sent (counts only answers that went out).
    QList<Usage> billed() const { return m_billed; }

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
    void streamChunks(QPointer<QTcpSocket> socket, FakeResponse response, int next);
    void noteBilled(const QByteArray &body);
    FakeResponse next(const FakeRequest &request);
    FakeResponse defaultReply(const FakeRequest &request) const;

    Format m_format;
    QTcpServer *m_server = nullptr;
    QHash<QTcpSocket *, Connection> m_connections;
    std::deque<FakeResponse> m_script;
    std::function<FakeResponse(const FakeRequest &request)> m_responder;
    QList<std::pair<QPointer<QTcpSocket>, FakeRequest>> m_held;
    QList<FakeRequest> m_requests;
    bool m_holding = false;
    int m_maxUnanswered = 0;
    int m_abandoned = 0;
    qint64 m_billedTokens = 0;
    qint64 m_streamedOutput = 0; // Anthropic: the output count of the stream being sent
    QList<Usage> m_billed;
};

} // namespace agentdesk
