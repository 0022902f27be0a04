#pragma once

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
    QByteArray xml;     // used instead of fields when not empty
    QString threadId;   // empty = a new thread
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

struct InjectResult
{
    // QueueFull: the organism is saturated (see Saturation), try again after retryAfterSeconds.
    // HistoryUnavailable: the history cannot commit (a full disk, an I/O error, a read-only file
    // system), or did not commit this message before the organism stopped: nothing was acknowledged.
    // UnknownMessage: a replay or fork names a thread or message the history does not hold.
    enum class Error { None, UnknownTarget, InvalidPayload, QueueFull, NotRunning, HistoryUnavailable, UnknownMessage };
    static constexpr int kErrorCount = 7;
    Error error = Error::None;
    QString message;         // human-readable reason
    QStringList fieldPath;   // InvalidPayload: path of the offending field (snake_case), if known
    QString threadId;
    QString messageId;
    int retryAfterSeconds = 0; // QueueFull: when the queue is expected to admit again
    bool ok() const { return error == Error::None; }
};

// What POST /threads/{id}/retry did: a thread in error runs again from the deliveries that failed.
struct RetryResult
{
    // UnknownThread: no such thread. NotInError: the thread is active, completed or killed. NothingLeft:
    // no failed delivery of it is kept (it failed before agentdesk kept them). ListenerGone: a failed
    // delivery's listener no longer exists. The rest as for InjectResult.
    enum class Error { None, UnknownThread, NotInError, NothingLeft, ListenerGone, NotRunning, QueueFull, HistoryUnavailable };
    Error error = Error::None;
    QString message;
    QString threadId;
    int deliveries = 0;        // messages queued again
    int retryAfterSeconds = 0; // QueueFull
    bool ok() const { return error == Error::None; }
};

} // namespace agentdesk
