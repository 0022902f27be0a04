#include "tracereader.h"

#include "historycodec.h"
#include "readquery.h"
#include "storelogging.h"
#include "historyreader.h"
#include "readsnapshot.h"
#include "usagereader.h"

namespace agentdesk {

using namespace Qt::StringLiterals;

TraceReader::TraceReader(const QSqlDatabase &db)
    : m_db(db)
{ }

std::optional<ThreadTrace> TraceReader::trace(const QString &threadId, int limit) const
{
    const ReadSnapshot snapshot(m_db);
    const HistoryReader history(m_db);
    std::optional<ThreadInfo> thread = history.thread(threadId);
    if (!thread)
        return std::nullopt;
    ThreadTrace trace;
    trace.thread = *thread;
    trace.origin = origin(threadId);

    MessageQuery query;
    query.threadId = threadId;
    query.limit = std::max(limit, 0);
    query.newestFirst = true;
    MessagePage page = history.messages(query);
    trace.totalHops = page.total;
    if (page.items.isEmpty())
        return trace;
    const QHash<qint64, HandlerRun> handled = runs(threadId, page.items.constLast().seq);
    QHash<qint64, QList<LlmExchange>> calls;
    for (const auto &[seq, exchange] : UsageReader(m_db).exchanges(threadId, page.items.constLast().seq))
        calls[seq].append(exchange);
    trace.hops.reserve(page.items.size());
    for (auto it = page.items.crbegin(); it != page.items.crend(); ++it) {
        TraceHop hop;
        hop.message = *it;
        if (const auto found = handled.constFind(it->seq); found != handled.cend())
            hop.run = *found;
        hop.llm = calls.value(it->seq);
        hop.copied = trace.origin && it->seq < trace.origin->firstSeq;
        trace.hops.append(std::move(hop));
    }
    return trace;
}

std::optional<ThreadOrigin> TraceReader::origin(const QString &threadId) const
{
    ReadQuery select(m_db);
    select.prepare(u"SELECT kind, source_thread, source_message, first_seq FROM thread_origins WHERE thread_id = ?"_s);
    select.addBindValue(threadId);
    if (!select.exec() || !select.next())
        return std::nullopt;
    ThreadOrigin origin;
    if (!parseThreadOriginKind(select.value(0).toString(), &origin.kind))
        return std::nullopt;
    origin.threadId = select.value(1).toString();
    origin.messageId = select.value(2).toString();
    origin.firstSeq = select.value(3).toLongLong();
    return origin;
}

// Through the thread's messages (its index) to their runs: the seqs of one thread are scattered among
// every other thread's, so a range of handler_runs would read theirs too.
QHash<qint64, HandlerRun> TraceReader::runs(const QString &threadId, qint64 fromSeq) const
{
    QHash<qint64, HandlerRun> out;
    ReadQuery select(m_db);
    select.prepare(u"SELECT r.seq, r.started, r.ended, r.error FROM messages m JOIN handler_runs r ON r.seq = m.seq"
                   " WHERE m.thread_id = ? AND m.seq >= ?"_s);
    select.addBindValue(threadId);
    select.addBindValue(fromSeq);
    if (!select.exec())
        return out;
    while (select.next()) {
        HandlerRun handled;
        handled.seq = select.value(0).toLongLong();
        handled.started = HistoryCodec::decodeTime(select.value(1));
        handled.ended = HistoryCodec::decodeTime(select.value(2));
        handled.error = select.value(3).toString();
        out.insert(handled.seq, handled);
    }
    return out;
}

} // namespace agentdesk
