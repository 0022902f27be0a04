#pragma once

#include "domain/result.h"
#include "domain/trace.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace agentdesk {

// What an inject asks for: a payload for `to`, given as a field tree (JSON object keys, snake_case or
// PascalCase) or as raw XML.
struct InjectRequest
{
    QString to;
    QVariantMap fields;
    QByteArray xml;   // used instead of fields when not empty
    QString threadId; // empty = a new thread
    QString from = QStringLiteral("api");
};

// Replay or fork one message of a thread into a new thread (see ThreadOriginKind).
struct BranchRequest
{
    ThreadOriginKind kind = ThreadOriginKind::Replay;
    QString threadId;  // the source thread
    QString messageId; // the message in it
    // What to send instead of the message's own payload, in an inject's forms; both empty: as it was.
    QVariantMap fields;
    QByteArray xml;
    QString from = QStringLiteral("api"); // Replay: who sends it. A fork keeps the message's sender.
};

// Where an accepted inject (or replay, or fork) went.
struct InjectedMessage
{
    QString threadId;
    QString messageId;
    bool operator==(const InjectedMessage &other) const = default;
};

// Why an inject was refused.
// QueueFull: the organism is saturated (see Saturation), try again after retryAfterSeconds.
// HistoryUnavailable: the history cannot commit (a full disk, an I/O error, a read-only file system), or did
// not commit this message before the organism stopped: nothing was acknowledged.
// UnknownMessage: a replay or fork names a thread or message the history does not hold.
enum class InjectError { UnknownTarget, InvalidPayload, QueueFull, NotRunning, HistoryUnavailable, UnknownMessage };
inline constexpr int kInjectErrorCount = 6;

struct InjectFailure
{
    InjectError kind = InjectError::NotRunning;
    QString message;           // human-readable reason
    QStringList fieldPath;     // InvalidPayload: path of the offending field (snake_case), if known
    int retryAfterSeconds = 0; // QueueFull: when the queue is expected to admit again
    bool operator==(const InjectFailure &other) const = default;
};

using InjectResult = Result<InjectedMessage, InjectFailure>;

inline tl::unexpected<InjectFailure> injectRefused(InjectError kind, QString message, int retryAfterSeconds = 0)
{
    return tl::unexpected<InjectFailure>(InjectFailure{kind, std::move(message), {}, retryAfterSeconds});
}

// What POST /threads/{id}/retry did: a thread in error runs again from the deliveries that failed.
struct RetriedThread
{
    QString threadId;
    int deliveries = 0; // messages queued again
    bool operator==(const RetriedThread &other) const = default;
};

// UnknownThread: no such thread. NotInError: the thread is active, completed or killed. NothingLeft: no failed
// delivery of it is kept (it failed before agentdesk kept them). ListenerGone: a failed delivery's listener no
// longer exists. The rest as for InjectError.
enum class RetryError {
    UnknownThread,
    NotInError,
    NothingLeft,
    ListenerGone,
    NotRunning,
    QueueFull,
    HistoryUnavailable
};

struct RetryFailure
{
    RetryError kind = RetryError::NotRunning;
    QString message;
    int retryAfterSeconds = 0; // QueueFull
    bool operator==(const RetryFailure &other) const = default;
};

using RetryResult = Result<RetriedThread, RetryFailure>;

inline tl::unexpected<RetryFailure> retryRefused(RetryError kind, QString message, int retryAfterSeconds = 0)
{
    return tl::unexpected<RetryFailure>(RetryFailure{kind, std::move(message), retryAfterSeconds});
}

} // namespace agentdesk
