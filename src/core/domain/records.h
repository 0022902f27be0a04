#pragma once

#include "payload.h"
#include "result.h"
#include "states.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace agentdesk {

// Value types that the Organism facade hands to the API, the session and the window. Plain, copyable,
// cheap to copy (every member is implicitly shared).

// One listener's share of the work in the organism: what waits for it, what it runs, and for an LLM
// agent how long its oldest call has been waiting for a backend's rate limit (rate_limit_tpm).
struct AgentBacklog
{
    QString agent;
    int queued = 0;
    int inFlight = 0;
    double rateLimitWaitSeconds = 0;
};

// How full the organism is. New injects are admitted while queueDepth is below admissionLimit; the
// room between that and queueLimit (max_queue_depth) is kept for the hops of threads already admitted,
// which are never refused.
struct Saturation
{
    int queueDepth = 0;          // messages waiting for a handler
    int queueLimit = 0;          // max_queue_depth
    int admissionLimit = 0;      // below this, a new inject is admitted
    qint64 injectsRefused = 0;   // since start-up
    bool saturated = false;      // a new inject would be refused now
    QString cause;               // when saturated: the queue and its limits, and the bottleneck agent
    QList<AgentBacklog> backlog; // listeners with queued or running work, the longest queue first
    // Throughput (LoadMeter): what fills or drains the queue.
    double messagesPerSecond = 0;       // messages recorded, over the last 10 s
    qint64 handledLastMinute = 0;       // handler calls that ended in the last 60 s
    qint64 threadErrorsLastMinute = 0;  // threads that ended in error in the last 60 s
    std::optional<double> handlerP50Ms; // those calls' durations; none without a call
    std::optional<double> handlerP95Ms;
};

struct OrganismInfo
{
    QString name;
    OrganismStatus status = OrganismStatus::Starting;
    double uptimeSeconds = 0;
    int agentCount = 0;
    int activeThreads = 0;
    qint64 totalMessages = 0;
    bool identityConfigured = false;
    Saturation saturation;
    QString historyProblem; // empty while the history commits; otherwise why it cannot
};

struct AgentInfo
{
    QString name;
    QString description;
    bool isAgent = false;
    QStringList peers;
    QString payloadClass; // as written in the config (dotted original path or the type name)
    QString payloadType;  // resolved declared type
    QString rootTag;
    QString handler; // "builtin:shout", "exec: python3 …", "agent"
    AgentState state = AgentState::Idle;
    QString currentThread;
    int queueDepth = 0;
    int inFlight = 0;
    QDateTime lastActivity;
    qint64 messageCount = 0; // messages this listener sent (spec §7.3: sender-side count)
    QString lastError;
};

struct ThreadInfo
{
    QString id;
    ThreadStatus status = ThreadStatus::Active;
    QStringList participants; // every from and to seen, in first-seen order
    qint64 messageCount = 0;
    QDateTime createdAt;
    QDateTime lastActivity;
    QString error;
};

struct MessageRecord
{
    qint64 seq = 0; // global 1-based sequence number (the API's slotIndex)
    QString id;     // UUID
    QString threadId;
    QString from;
    QString to;
    QString payloadType;
    QVariantMap fields;
    QByteArray xml;
    QDateTime timestamp;
    int depth = 0; // hops since the message that started the thread
};

struct Capability
{
    QString name;
    QString description;
    bool isAgent = false;
    QStringList peers;
    QString rootTag;
    QString payloadClass;
    QString payloadType;
    QString schemaXsd;
    QString exampleXml;
};

// A failure the operator must see: a handler error or time-out, an unroutable or invalid message.
struct ErrorEvent
{
    QString threadId;
    QString agent;
    QString error;
    QDateTime timestamp;
};

// What a reload changed: listeners by name, and the file's warnings ("file:line: key: message").
struct ConfigChanges
{
    QStringList added;
    QStringList removed;
    QStringList updated;
    QStringList warnings;
    bool operator==(const ConfigChanges &other) const = default;
};

// Why a reload changed nothing, with the file's warnings: a misspelt key must not pass in silence (an
// agentdesk extension on the wire).
struct ReloadFailure
{
    QString message;
    QStringList warnings;
    bool operator==(const ReloadFailure &other) const = default;
};

using ReloadResult = Result<ConfigChanges, ReloadFailure>;

// The file's warnings, whether the reload went ahead or not.
inline QStringList warningsOf(const ReloadResult &result)
{
    return result ? result->warnings : result.error().warnings;
}

template <typename T>
struct Page
{
    QList<T> items;
    qint64 total = 0; // matching rows before paging
    qint64 offset = 0;
    qint64 limit = 0;
};

using MessagePage = Page<MessageRecord>;
using ThreadPage = Page<ThreadInfo>;

} // namespace agentdesk

Q_DECLARE_METATYPE(agentdesk::MessageRecord)
Q_DECLARE_METATYPE(agentdesk::AgentInfo)
Q_DECLARE_METATYPE(agentdesk::ThreadInfo)
Q_DECLARE_METATYPE(agentdesk::ErrorEvent)
