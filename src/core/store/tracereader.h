#pragma once

#include "domain/trace.h"

#include <QSqlDatabase>

#include <optional>

QT_BEGIN_NAMESPACE
QT_END_NAMESPACE

namespace agentdesk {

// A thread's timeline from the history, on one (the calling thread's) read connection: its newest
// messages with how their handlers ran and where the thread came from, read in one snapshot.
class TraceReader
{
public:
    explicit TraceReader(const QSqlDatabase &db);

    // nullopt when the history has no such thread. At most `limit` hops (the newest), oldest first.
    std::optional<ThreadTrace> trace(const QString &threadId, int limit) const;
    std::optional<ThreadOrigin> origin(const QString &threadId) const;

private:
    QHash<qint64, HandlerRun> runs(const QString &threadId, qint64 fromSeq) const;

    QSqlDatabase m_db;
};

} // namespace agentdesk
