#pragma once

#include "llm/llmclient.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace agentdesk {

// What a provider's reply (a 2xx body, or a stream so far) says: content, tool calls, model and usage.
// `error` non-empty: the reply cannot be used — its usage still counts, the provider bills it.
struct ParsedReply
{
    QString error;
    QString content;
    QList<LlmToolCall> toolCalls;
    QString model;
    std::optional<qint64> promptTokens;     // every input token: cache reads and writes included
    std::optional<qint64> completionTokens; // every output token: reasoning included
    qint64 cachedPromptTokens = 0;
    qint64 cacheWriteTokens = 0;
    qint64 reasoningTokens = 0;

    bool hasUsage() const { return promptTokens.has_value() || completionTokens.has_value(); }
};

// Reads an optional non-negative integer member (usage counters).
std::optional<qint64> usageCounter(const QJsonObject &object, QLatin1StringView key);

// A tool call's arguments, given as JSON text (OpenAI) or as an object (Anthropic, Ollama).
void setToolArguments(LlmToolCall *call, const QString &text);

// Decodes a streamed reply chunk by chunk: Server-Sent Events (OpenAI, Anthropic) or one JSON object
// per line (Ollama). Subclasses read each event into `reply`; `complete` marks the provider's end of
// stream ([DONE], message_stop, done:true) — a stream that ends without it was cut off.
class StreamDecoder
{
public:
    enum class Framing { ServerSentEvents, JsonLines };

    explicit StreamDecoder(Framing framing)
        : m_framing(framing)
    { }
    virtual ~StreamDecoder() = default;

    void feed(const QByteArray &bytes);
    // The end of the body: a last line without its newline is still read.
    void close();

    const ParsedReply &reply() const { return m_reply; }
    bool isComplete() const { return m_complete; }
    // An error the stream itself reported (an SSE `error` event, an {"error": …} line).
    const QString &streamError() const { return m_streamError; }
    // Something arrived that is output (text or a tool call): the first token.
    bool hasOutput() const { return !m_reply.content.isEmpty() || !m_reply.toolCalls.isEmpty(); }

protected:
    virtual void event(const QByteArray &name, const QJsonObject &data) = 0;
    // SSE data that is not a JSON object ([DONE]); ignored by default.
    virtual void rawData(const QByteArray &data) { Q_UNUSED(data); }

    ParsedReply m_reply;
    bool m_complete = false;
    QString m_streamError;

private:
    void frame(const QByteArray &block);
    void line(const QByteArray &text);

    Framing m_framing;
    QByteArray m_buffer;
};

} // namespace agentdesk
