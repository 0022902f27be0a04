#include "historyreader.h"

#include "historycodec.h"
#include "storelogging.h"
#include "readsnapshot.h"
#include "readquery.h"
#include "sqlfilter.h"
#include "sqlitestatement.h"

#include <QSqlDriver>

#include <sqlite3.h>

#include <algorithm>

namespace agentdesk {

using namespace Qt::StringLiterals;

namespace {

const QString kMessageColumns =
    u"seq, id, thread_id, from_agent, to_agent, payload_type, payload_xml, payload_fields, ts, depth"_s;
const QString kThreadColumns = u"id, status, participants, message_count, created_at, last_activity, error"_s;
const QString kThreadOrder = u" ORDER BY COALESCE(last_activity, created_at) DESC, created_seq ASC"_s;

MessageRecord readMessage(const ReadQuery &query)
{
    MessageRecord message;
    message.seq = query.value(0).toLongLong();
    message.id = query.value(1).toString();
    message.threadId = query.value(2).toString();
    message.from = query.value(3).toString();
    message.to = query.value(4).toString();
    message.payloadType = query.value(5).toString();
    message.xml = query.value(6).toString().toUtf8();
    message.fields = HistoryCodec::decodeMap(query.value(7).toString());
    message.timestamp = HistoryCodec::decodeTime(query.value(8));
    message.depth = query.value(9).toInt();
    return message;
}

ThreadInfo readThread(const ReadQuery &query)
{
    ThreadInfo thread;
    thread.id = query.value(0).toString();
    if (!parseThreadStatus(query.value(1).toString(), &thread.status))
        thread.status = ThreadStatus::Error;
    thread.participants = HistoryCodec::decodeList(query.value(2).toString());
    thread.messageCount = query.value(3).toLongLong();
    thread.createdAt = HistoryCodec::decodeTime(query.value(4));
    thread.lastActivity = HistoryCodec::decodeTime(query.value(5));
    thread.error = query.value(6).toString();
    return thread;
}

bool isAscii(const QString &text)
{
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x80; });
}

bool isPostgres(const QSqlDatabase &db)
{
    return db.driver() && db.driver()->dbmsType() == QSqlDriver::PostgreSQL;
}

// SQLite's LIKE ignores case for ASCII letters only; the registered function handles the rest.
// PostgreSQL's ILIKE folds case as the database's locale does (Unicode in a UTF-8 locale).
void addTextFilter(SqlFilter *filter, const QString &text, bool postgres)
{
    if (!isAscii(text) && !postgres) {
        filter->add(u"agentdesk_icontains(payload_xml, ?)"_s, {text});
        return;
    }
    QString pattern = text;
    pattern.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    filter->add(postgres ? u"payload_xml ILIKE ? ESCAPE '\\'"_s : u"payload_xml LIKE ? ESCAPE '\\'"_s,
                {QString(u'%' + pattern + u'%')});
}

void containsIgnoringCase(sqlite3_context *context, int, sqlite3_value **values)
{
    // text16 first, then bytes16: the documented order for getting both.
    const auto *haystack = static_cast<const QChar *>(sqlite3_value_text16(values[0]));
    const int haystackBytes = sqlite3_value_bytes16(values[0]);
    const auto *needle = static_cast<const QChar *>(sqlite3_value_text16(values[1]));
    const int needleBytes = sqlite3_value_bytes16(values[1]);
    if (!haystack || !needle) {
        sqlite3_result_int(context, 0);
        return;
    }
    const QStringView text(haystack, haystackBytes / 2);
    sqlite3_result_int(context, text.contains(QStringView(needle, needleBytes / 2), Qt::CaseInsensitive) ? 1 : 0);
}

} // namespace

HistoryReader::HistoryReader(const QSqlDatabase &db)
    : m_db(db)
{ }

bool HistoryReader::registerFunctions(const QSqlDatabase &db, QString *error)
{
    sqlite3 *connection = sqliteHandle(db);
    if (!connection) {
        *error = u"the SQL driver does not expose an SQLite handle"_s;
        return false;
    }
    const int rc = sqlite3_create_function_v2(connection, "agentdesk_icontains", 2, SQLITE_UTF16 | SQLITE_DETERMINISTIC,
                                              nullptr, containsIgnoringCase, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        *error = u"cannot register the text search function: "_s + QString::fromUtf8(sqlite3_errstr(rc));
        return false;
    }
    return true;
}

MessagePage HistoryReader::messages(const MessageQuery &query) const
{
    MessagePage page;
    page.offset = query.offset;
    page.limit = query.limit;

    SqlFilter filter; // every filter but the agent, which is counted in two halves
    if (!query.threadId.isEmpty())
        filter.add(u"thread_id = ?"_s, {query.threadId});
    if (!query.payloadType.isEmpty())
        filter.add(u"payload_type = ?"_s, {query.payloadType});
    if (!query.text.isEmpty())
        addTextFilter(&filter, query.text, isPostgres(m_db));
    if (query.since.isValid())
        filter.add(u"ts >= ?"_s, {query.since.toMSecsSinceEpoch()});
    if (query.until.isValid())
        filter.add(u"ts <= ?"_s, {query.until.toMSecsSinceEpoch()});
    SqlFilter matching = filter;
    if (!query.agent.isEmpty())
        matching.add(u"(from_agent = ? OR to_agent = ?)"_s, {query.agent, query.agent});

    const ReadSnapshot snapshot(m_db);
    // The unfiltered total is the writer's exact counter: O(1) however long the history.
    const qint64 stored = counter(u"messages"_s);
    if (matching.isEmpty()) {
        page.total = stored;
    } else if (query.agent.isEmpty()) {
        page.total = count(u"messages"_s, filter);
    } else {
        // Sent plus received-but-not-sent: two index-only counts instead of a row-set union.
        SqlFilter sent = filter;
        sent.add(u"from_agent = ?"_s, {query.agent});
        SqlFilter received = filter;
        received.add(u"to_agent = ? AND from_agent <> ?"_s, {query.agent, query.agent});
        page.total = count(u"messages"_s, sent) + count(u"messages"_s, received);
    }
    if (query.limit == 0)
        return page;

    SqlFilter paged = matching;
    if (query.beforeSeq > 0)
        paged.add(u"seq < ?"_s, {query.beforeSeq});
    if (query.afterSeq > 0)
        paged.add(u"seq > ?"_s, {query.afterSeq});
    ReadQuery select(m_db);
    // PostgreSQL's planner has statistics; SQLite's needs the hints.
    const auto [source, order] = isPostgres(m_db)
        ? std::pair(u"messages"_s, u" ORDER BY seq"_s + (query.newestFirst ? u" DESC"_s : u" ASC"_s))
        : pagePlan(query, page.total, stored);
    select.prepare(u"SELECT "_s + kMessageColumns + u" FROM "_s + source + paged.where() + order
                   + u" LIMIT ? OFFSET ?"_s);
    paged.bind(&select);
    select.bindPage(query.limit, query.offset);
    if (!select.exec())
        return page;
    while (select.next())
        page.items.append(readMessage(select));
    return page;
}

std::pair<QString, QString> HistoryReader::pagePlan(const MessageQuery &query, qint64 matching, qint64 stored)
{
    const QString direction = query.newestFirst ? u" DESC"_s : u" ASC"_s;
    const bool filtered = !query.agent.isEmpty() || !query.text.isEmpty() || query.since.isValid()
        || query.until.isValid();
    // Thread and payload-type indexes already yield rows in seq order; so does the table itself.
    if (!filtered || !query.threadId.isEmpty() || !query.payloadType.isEmpty())
        return {u"messages"_s, u" ORDER BY seq"_s + direction};
    // Without statistics SQLite guesses badly between walking the table in seq order until the page is
    // full and sorting what an index finds. The exact count decides: a walk visits about
    // wanted * stored / matching rows, a sort handles `matching` rows.
    const double wanted = double(std::max<qint64>(query.offset, 0)) + double(query.limit < 0 ? matching : query.limit);
    if (double(matching) * double(matching) >= wanted * double(stored))
        return {u"messages NOT INDEXED"_s, u" ORDER BY seq"_s + direction};
    return {u"messages"_s, u" ORDER BY +seq"_s + direction}; // unary +: not the rowid order, so the best index
}

std::optional<MessageRecord> HistoryReader::message(const QString &id) const
{
    ReadQuery select(m_db);
    select.prepare(u"SELECT "_s + kMessageColumns + u" FROM messages WHERE id = ?"_s);
    select.addBindValue(id);
    if (!select.exec() || !select.next())
        return std::nullopt;
    return readMessage(select);
}

ThreadPage HistoryReader::threads(const ThreadQuery &query) const
{
    ThreadPage page;
    page.offset = query.offset;
    page.limit = query.limit;

    SqlFilter filter;
    if (query.status)
        filter.add(u"status = ?"_s, {toString(*query.status)});
    if (!query.agent.isEmpty())
        filter.add(u"id IN (SELECT thread_id FROM thread_participants WHERE agent = ?)"_s, {query.agent});

    const ReadSnapshot snapshot(m_db);
    page.total = count(u"threads"_s, filter);
    if (query.limit == 0)
        return page;
    ReadQuery select(m_db);
    select.prepare(u"SELECT "_s + kThreadColumns + u" FROM threads"_s + filter.where() + kThreadOrder
                   + u" LIMIT ? OFFSET ?"_s);
    filter.bind(&select);
    select.bindPage(query.limit, query.offset);
    if (!select.exec())
        return page;
    while (select.next())
        page.items.append(readThread(select));
    return page;
}

std::optional<ThreadInfo> HistoryReader::thread(const QString &id) const
{
    ReadQuery select(m_db);
    select.prepare(u"SELECT "_s + kThreadColumns + u" FROM threads WHERE id = ?"_s);
    select.addBindValue(id);
    if (!select.exec() || !select.next())
        return std::nullopt;
    return readThread(select);
}

QList<ThreadInfo> HistoryReader::threadsWithStatus(ThreadStatus status) const
{
    QList<ThreadInfo> threads;
    ReadQuery select(m_db);
    select.prepare(u"SELECT "_s + kThreadColumns + u" FROM threads WHERE status = ? ORDER BY created_seq"_s);
    select.addBindValue(toString(status));
    if (!select.exec())
        return threads;
    while (select.next())
        threads.append(readThread(select));
    return threads;
}

QList<MessageRecord> HistoryReader::undeliveredMessages(const QString &threadId) const
{
    QList<MessageRecord> messages;
    ReadQuery select(m_db);
    select.prepare(u"SELECT "_s + kMessageColumns + u" FROM messages WHERE seq IN (SELECT seq FROM undelivered)"_s
                   + (threadId.isEmpty() ? QString() : u" AND thread_id = ?"_s) + u" ORDER BY seq"_s);
    if (!threadId.isEmpty())
        select.addBindValue(threadId);
    if (!select.exec())
        return messages;
    while (select.next())
        messages.append(readMessage(select));
    return messages;
}

QList<ThreadInfo> HistoryReader::threadsWithoutRow(qint64 afterSeq) const
{
    // Rebuilt from their messages, in the order they started: participants in first-seen order.
    QList<ThreadInfo> threads;
    QHash<QString, qsizetype> indexOf;
    ReadQuery select(m_db);
    select.prepare(u"SELECT thread_id, from_agent, to_agent, ts FROM messages m WHERE seq > ?"
                   " AND NOT EXISTS (SELECT 1 FROM threads t WHERE t.id = m.thread_id) ORDER BY seq"_s);
    select.addBindValue(afterSeq);
    if (!select.exec())
        return threads;
    while (select.next()) {
        const QString id = select.value(0).toString();
        auto found = indexOf.constFind(id);
        if (found == indexOf.cend()) {
            found = indexOf.insert(id, threads.size());
            ThreadInfo thread;
            thread.id = id;
            thread.createdAt = HistoryCodec::decodeTime(select.value(3));
            threads.append(thread);
        }
        ThreadInfo &thread = threads[*found];
        for (int column : {1, 2}) {
            const QString agent = select.value(column).toString();
            if (!thread.participants.contains(agent))
                thread.participants.append(agent);
        }
        ++thread.messageCount;
        thread.lastActivity = HistoryCodec::decodeTime(select.value(3));
    }
    return threads;
}

QHash<QString, QPair<qint64, QDateTime>> HistoryReader::agentCounters() const
{
    QHash<QString, QPair<qint64, QDateTime>> counters;
    ReadQuery select(m_db);
    select.prepare(u"SELECT name, message_count, last_activity FROM agents"_s);
    if (!select.exec())
        return counters;
    while (select.next()) {
        counters.insert(select.value(0).toString(),
                        {select.value(1).toLongLong(), HistoryCodec::decodeTime(select.value(2))});
    }
    return counters;
}

qint64 HistoryReader::counter(const QString &name) const
{
    ReadQuery select(m_db);
    select.prepare(u"SELECT value FROM counters WHERE name = ?"_s);
    select.addBindValue(name);
    if (!select.exec() || !select.next())
        return 0;
    return select.value(0).toLongLong();
}

qint64 HistoryReader::count(const QString &table, const SqlFilter &filter) const
{
    ReadQuery select(m_db);
    select.prepare(u"SELECT COUNT(*) FROM "_s + table + filter.where());
    filter.bind(&select);
    if (!select.exec() || !select.next())
        return 0;
    return select.value(0).toLongLong();
}

} // namespace agentdesk
