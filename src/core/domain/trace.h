#pragma once

#include "records.h"
#include "usage.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace agentdesk {

// What a thread's timeline is made of: each message with how its handler ran, the LLM calls made for
// it, and where the thread came from when an operator replayed or forked another thread's message.

// How one message's handler ran: queue wait is `started` minus the message's timestamp, handler time
// `ended` minus `started`. Recorded when the handler ends, with the replies it sent (one transaction).
struct HandlerRun
{
    qint64 seq = 0; // the handled message
    QDateTime started;
    QDateTime ended;
    QString error; // empty: the handler finished; otherwise why it failed (time-out, invalid reply, …)

    bool failed() const { return !error.isEmpty(); }
};

// Replay: the same (or an edited) payload sent to the same listener in a new thread.
// Fork: a new thread whose history is the source thread's up to the message, then that message again
// (as it was, or edited) — the listener handles it with the same history behind it.
enum class ThreadOriginKind { Replay, Fork };

QString toString(ThreadOriginKind kind);
bool parseThreadOriginKind(const QString &text, ThreadOriginKind *kind);

struct ThreadOrigin
{
    ThreadOriginKind kind = ThreadOriginKind::Replay;
    QString threadId;    // the source thread
    QString messageId;   // the source message
    qint64 firstSeq = 0; // the new thread's first message of its own; before it: copies (Fork)
};

// One message of an LLM conversation as it was sent.
struct PromptMessage
{
    QString role; // system | user | assistant | tool
    QString content;
};

// What an LLM attempt was sent and what came back, for the message whose handler made it. Stored beside
// the attempt's usage event (which has the tokens, cost, latency and outcome).
struct LlmTranscript
{
    qint64 messageSeq = 0; // the handled message
    QList<PromptMessage> prompt;
    QString response;
};

// One metered LLM attempt made while a message was handled: its usage (model, tokens, cost, latency,
// time to first token, outcome), what was sent and what came back.
struct LlmExchange
{
    UsageEvent usage;
    QList<PromptMessage> prompt;
    QString response;
};

struct TraceHop
{
    MessageRecord message;
    std::optional<HandlerRun> run; // none: not handled (yet, or dropped with its thread)
    QList<LlmExchange> llm;        // in the order they were made
    bool copied = false;           // Fork: history copied from the source thread, never run in this one
};

struct ThreadTrace
{
    ThreadInfo thread;
    std::optional<ThreadOrigin> origin;
    QList<TraceHop> hops; // oldest first: the thread's newest hops, at most the limit asked for
    qint64 totalHops = 0; // every message the thread's history holds
};

} // namespace agentdesk

Q_DECLARE_METATYPE(agentdesk::ThreadTrace)
