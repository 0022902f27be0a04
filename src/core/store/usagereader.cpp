#include "usagereader.h"

#include "historycodec.h"
#include "storelogging.h"
#include "readsnapshot.h"
#include "readquery.h"
#include "sqlfilter.h"

#include <QRegularExpression>
#include <QSqlDriver>

#include <optional>

namespace agentdesk {

using namespace Qt::StringLiterals;

namespace {

constexpr int kCostPlaces = 4;

SqlFilter periodFilter(const QString &startTime, const QString &endTime, const QString &orgId)
{
    SqlFilter filter;
    if (!startTime.isEmpty())
        filter.add(u"timestamp >= ?"_s, {startTime});
    if (!endTime.isEmpty())
        filter.add(u"timestamp <= ?"_s, {endTime});
    if (!orgId.isEmpty())
        filter.add(u"org_id = ?"_s, {orgId});
    return filter;
}

// The columns readEvent() reads, in its order.
const QString kEventColumns =
    u"id, timestamp, thread_id, agent_id, model, provider, prompt_tokens, completion_tokens,"
    " total_tokens, latency_ms, estimated_cost, metadata, org_id, user_id, cached_prompt_tokens,"
    " estimated_tokens, outcome, cache_write_tokens, reasoning_tokens, ttft_ms, tokens_per_second"_s;
constexpr int kEventColumnCount = 21;

UsageEvent readEvent(const ReadQuery &query)
{
    UsageEvent event;
    event.id = query.value(0).toLongLong();
    event.timestamp = HistoryCodec::parseIsoTimestamp(query.value(1).toString());
    event.threadId = query.value(2).toString();
    event.agentId = query.value(3).toString();
    event.model = query.value(4).toString();
    event.provider = query.value(5).toString();
    event.promptTokens = query.value(6).toLongLong();
    event.completionTokens = query.value(7).toLongLong();
    event.totalTokens = query.value(8).toLongLong();
    event.latencyMs = query.value(9).toDouble();
    if (!query.value(10).isNull())
        event.estimatedCost = query.value(10).toDouble();
    event.metadata = HistoryCodec::decodeMap(query.value(11).toString());
    event.orgId = query.value(12).toString();
    event.userId = query.value(13).toString();
    event.cachedPromptTokens = query.value(14).toLongLong();
    event.estimatedTokens = query.value(15).toInt() != 0;
    parseUsageOutcome(query.value(16).toString(), &event.outcome);
    event.cacheWriteTokens = query.value(17).toLongLong();
    event.reasoningTokens = query.value(18).toLongLong();
    if (!query.value(19).isNull())
        event.ttftMs = query.value(19).toDouble();
    if (!query.value(20).isNull())
        event.tokensPerSecond = query.value(20).toDouble();
    return event;
}

// The unpriced events of a group: their count and their tokens (cost NULL = no known price).
constexpr const char *kUnpricedSums = "SUM(CASE WHEN estimated_cost IS NULL THEN 1 ELSE 0 END),"
                                      " SUM(CASE WHEN estimated_cost IS NULL THEN total_tokens ELSE 0 END)";

void addOutcomeFilter(SqlFilter &filter, const std::optional<UsageOutcome> &outcome)
{
    if (outcome)
        filter.add(u"outcome = ?"_s, {toString(*outcome)});
}

// The bucket's start as ISO text, cut from the stored timestamp (always UTC, isoformat()): the same SQL
// on SQLite and PostgreSQL.
const char *bucketStart(UsageBucketSize bucket)
{
    switch (bucket) {
    case UsageBucketSize::Minute:
        return "substr(timestamp, 1, 16) || ':00Z'";
    case UsageBucketSize::Hour:
        return "substr(timestamp, 1, 13) || ':00:00Z'";
    case UsageBucketSize::Day:
        break;
    }
    return "substr(timestamp, 1, 10) || 'T00:00:00Z'";
}

} // namespace

UsageReader::UsageReader(const QSqlDatabase &db)
    : m_db(db)
{ }

Page<UsageEvent> UsageReader::events(const UsageQuery &query) const
{
    Page<UsageEvent> page;
    page.offset = query.offset;
    page.limit = query.limit;
    SqlFilter filter = periodFilter(query.startTime, query.endTime, query.orgId);
    if (!query.agentId.isEmpty())
        filter.add(u"agent_id = ?"_s, {query.agentId});
    if (!query.model.isEmpty())
        filter.add(u"model = ?"_s, {query.model});
    addOutcomeFilter(filter, query.outcome);

    const ReadSnapshot snapshot(m_db);
    ReadQuery count(m_db);
    count.prepare(u"SELECT COUNT(*) FROM usage_events"_s + filter.where());
    filter.bind(&count);
    if (!count.exec() || !count.next())
        return page;
    page.total = count.value(0).toLongLong();
    if (query.limit == 0)
        return page;

    ReadQuery select(m_db);
    select.prepare(u"SELECT "_s + kEventColumns + u" FROM usage_events"_s + filter.where()
                   + u" ORDER BY timestamp DESC, id DESC LIMIT ? OFFSET ?"_s);
    filter.bind(&select);
    select.bindPage(query.limit, query.offset);
    if (!select.exec())
        return page;
    while (select.next())
        page.items.append(readEvent(select));
    return page;
}

QList<QPair<qint64, LlmExchange>> UsageReader::exchanges(const QString &threadId, qint64 fromSeq) const
{
    QList<QPair<qint64, LlmExchange>> out;
    ReadQuery select(m_db);
    // Through the transcripts' (thread, seq) index to the usage events they describe, in the order made.
    QString columns = kEventColumns;
    columns.replace(QRegularExpression(u"(^|, )"_s), u"\\1u."_s);
    select.prepare(
        u"SELECT "_s + columns
        + u", t.message_seq, t.prompt, t.response FROM llm_transcripts t"
          " JOIN usage_events u ON u.id = t.id WHERE t.thread_id = ? AND t.message_seq >= ? ORDER BY t.id"_s);
    select.addBindValue(threadId);
    select.addBindValue(fromSeq);
    if (!select.exec())
        return out;
    while (select.next()) {
        LlmExchange exchange;
        exchange.usage = readEvent(select);
        exchange.prompt = HistoryCodec::decodePrompt(select.value(kEventColumnCount + 1).toByteArray());
        exchange.response = select.value(kEventColumnCount + 2).toString();
        out.append({select.value(kEventColumnCount).toLongLong(), exchange});
    }
    return out;
}

BillingSummary UsageReader::billing(const QString &startTime, const QString &endTime, const QString &orgId,
                                    UsageScope scope) const
{
    BillingSummary summary;
    const SqlFilter filter = periodFilter(startTime, endTime, orgId);
    const ReadSnapshot snapshot(m_db);
    const bool everyInstance = scope == UsageScope::All && m_db.driver()->dbmsType() == QSqlDriver::PostgreSQL;
    const QString source = everyInstance ? allInstancesSource() : u"usage_events"_s;
    if (source.isEmpty())
        return summary;
    const auto totals = aggregate(QString(), filter, source);
    if (!totals.isEmpty())
        summary.totals = totals.first().second;
    for (const auto &[model, usage] : aggregate(u"model"_s, filter, source))
        summary.byModel.insert(model, usage);
    SqlFilter withAgent = filter;
    withAgent.add(u"agent_id IS NOT NULL"_s);
    for (const auto &[agent, usage] : aggregate(u"agent_id"_s, withAgent, source))
        summary.byAgent.insert(agent, usage);
    if (everyInstance) {
        for (const auto &[organism, usage] : aggregate(u"organism"_s, filter, source))
            summary.byOrganism.insert(organism, usage);
    }
    return summary;
}

QString UsageReader::allInstancesSource() const
{
    // Names quoted by the server (format's %L and %I), whatever an organism is called.
    ReadQuery select(m_db);
    select.prepare(u"SELECT string_agg(format('SELECT %L AS organism, * FROM %I.usage_events',"
                   " organism || '/' || instance, schema_name), ' UNION ALL ' ORDER BY id)"
                   " FROM agentdesk.instances WHERE schema_version > 0"_s);
    if (!select.exec() || !select.next() || select.value(0).isNull()) {
        qCWarning(lcStore) << "cannot list the organisms of the history";
        return {};
    }
    return u"("_s + select.value(0).toString() + u") AS usage_events"_s;
}

QList<DailyUsage> UsageReader::daily(const QString &startTime, const QString &endTime, const QString &orgId) const
{
    QList<DailyUsage> days;
    const SqlFilter filter = periodFilter(startTime, endTime, orgId);
    ReadQuery select(m_db);
    select.prepare(
        u"SELECT substr(timestamp, 1, 10) AS day, SUM(total_tokens), SUM(prompt_tokens), SUM(completion_tokens),"
        " COUNT(*), SUM(estimated_cost), %1 FROM usage_events"_s.arg(QLatin1StringView(kUnpricedSums))
        + filter.where() + u" GROUP BY day ORDER BY day ASC"_s);
    filter.bind(&select);
    if (!select.exec())
        return days;
    while (select.next()) {
        DailyUsage day;
        day.date = select.value(0).toString();
        day.totalTokens = select.value(1).toLongLong();
        day.promptTokens = select.value(2).toLongLong();
        day.completionTokens = select.value(3).toLongLong();
        day.requestCount = select.value(4).toLongLong();
        day.totalCost = HistoryCodec::roundTo(select.value(5).toDouble(), kCostPlaces);
        day.unpricedRequests = select.value(6).toLongLong();
        day.unpricedTokens = select.value(7).toLongLong();
        days.append(day);
    }
    return days;
}

QList<UsageBucket> UsageReader::timeseries(UsageBucketSize bucket, UsageGroupBy groupBy, const QDateTime &since,
                                           const QDateTime &until, const UsageSeriesFilter &series) const
{
    QList<UsageBucket> buckets;
    SqlFilter filter;
    if (since.isValid())
        filter.add(u"timestamp >= ?"_s, {HistoryCodec::isoTimestamp(since)});
    if (until.isValid())
        filter.add(u"timestamp <= ?"_s, {HistoryCodec::isoTimestamp(until)});
    if (!series.agent.isEmpty())
        filter.add(u"agent_id = ?"_s, {series.agent});
    if (!series.model.isEmpty())
        filter.add(u"model = ?"_s, {series.model});
    addOutcomeFilter(filter, series.outcome);
    const QString key = groupBy == UsageGroupBy::Model ? u"COALESCE(model, '')"_s : u"COALESCE(agent_id, '')"_s;
    ReadQuery select(m_db);
    select.prepare(u"SELECT %1 AS bucket, %2 AS key, SUM(prompt_tokens),"
                   " SUM(completion_tokens), SUM(cached_prompt_tokens), SUM(total_tokens), COUNT(*),"
                   " SUM(estimated_cost), SUM(cache_write_tokens), SUM(reasoning_tokens), %3 FROM usage_events"_s.arg(
                       QLatin1StringView(bucketStart(bucket)), key, QLatin1StringView(kUnpricedSums))
                   + filter.where() + u" GROUP BY bucket, key ORDER BY bucket ASC, key ASC"_s);
    filter.bind(&select);
    if (!select.exec())
        return buckets;
    while (select.next()) {
        UsageBucket entry;
        entry.start = QDateTime::fromString(select.value(0).toString(), Qt::ISODate);
        entry.key = select.value(1).toString();
        entry.promptTokens = select.value(2).toLongLong();
        entry.completionTokens = select.value(3).toLongLong();
        entry.cachedPromptTokens = select.value(4).toLongLong();
        entry.totalTokens = select.value(5).toLongLong();
        entry.requestCount = select.value(6).toLongLong();
        entry.totalCost = select.value(7).toDouble();
        entry.cacheWriteTokens = select.value(8).toLongLong();
        entry.reasoningTokens = select.value(9).toLongLong();
        entry.unpricedRequests = select.value(10).toLongLong();
        entry.unpricedTokens = select.value(11).toLongLong();
        buckets.append(entry);
    }
    return buckets;
}

QList<UsageGroupSums> UsageReader::groupSums(const QDateTime &after) const
{
    QList<UsageGroupSums> groups;
    SqlFilter filter;
    if (after.isValid())
        filter.add(u"timestamp > ?"_s, {HistoryCodec::isoTimestamp(after)});
    ReadQuery select(m_db);
    select.prepare(
        u"SELECT COALESCE(agent_id, ''), COALESCE(model, ''), outcome, MIN(id), COUNT(*), SUM(prompt_tokens),"
        " SUM(completion_tokens), SUM(cached_prompt_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens),"
        " SUM(latency_ms), SUM(CASE WHEN estimated_cost <> 0 THEN estimated_cost ELSE 0 END), %1,"
        " SUM(COALESCE(ttft_ms, 0)), COUNT(ttft_ms), SUM(COALESCE(tokens_per_second, 0)),"
        " COUNT(tokens_per_second) FROM usage_events"_s.arg(QLatin1StringView(kUnpricedSums))
        + filter.where() + u" GROUP BY 1, 2, 3 ORDER BY 4"_s);
    filter.bind(&select);
    if (!select.exec())
        return groups;
    while (select.next()) {
        UsageGroupSums group;
        group.agentId = select.value(0).toString();
        group.model = select.value(1).toString();
        parseUsageOutcome(select.value(2).toString(), &group.outcome);
        group.firstId = select.value(3).toLongLong();
        group.requestCount = select.value(4).toLongLong();
        group.promptTokens = select.value(5).toLongLong();
        group.completionTokens = select.value(6).toLongLong();
        group.cachedPromptTokens = select.value(7).toLongLong();
        group.cacheWriteTokens = select.value(8).toLongLong();
        group.reasoningTokens = select.value(9).toLongLong();
        group.latencyMs = select.value(10).toDouble();
        group.cost = select.value(11).toDouble();
        group.unpricedRequests = select.value(12).toLongLong();
        group.unpricedTokens = select.value(13).toLongLong();
        group.ttftSumMs = select.value(14).toDouble();
        group.ttftCount = select.value(15).toLongLong();
        group.tokensPerSecondSum = select.value(16).toDouble();
        group.tokensPerSecondCount = select.value(17).toLongLong();
        groups.append(group);
    }
    return groups;
}

QList<QPair<QString, UsageAggregate>> UsageReader::aggregate(const QString &groupColumn, const SqlFilter &filter,
                                                             const QString &source) const
{
    QList<QPair<QString, UsageAggregate>> groups;
    const QString key = groupColumn.isEmpty() ? u"''"_s : groupColumn;
    ReadQuery select(m_db);
    select.prepare(u"SELECT %1, SUM(total_tokens), SUM(prompt_tokens), SUM(completion_tokens), COUNT(*),"
                   " SUM(estimated_cost), %2 FROM %3"_s.arg(key, QLatin1StringView(kUnpricedSums), source)
                   + filter.where() + (groupColumn.isEmpty() ? QString() : u" GROUP BY "_s + groupColumn));
    filter.bind(&select);
    if (!select.exec())
        return groups;
    while (select.next()) {
        UsageAggregate usage;
        usage.totalTokens = select.value(1).toLongLong();
        usage.promptTokens = select.value(2).toLongLong();
        usage.completionTokens = select.value(3).toLongLong();
        usage.requestCount = select.value(4).toLongLong();
        usage.totalCost = HistoryCodec::roundTo(select.value(5).toDouble(), kCostPlaces);
        usage.unpricedRequests = select.value(6).toLongLong();
        usage.unpricedTokens = select.value(7).toLongLong();
        groups.append({select.value(0).toString(), usage});
    }
    return groups;
}

UsageAggregate UsageReader::sums(const QDateTime &after, const QString &agent) const
{
    UsageAggregate sums;
    SqlFilter filter;
    if (after.isValid())
        filter.add(u"timestamp > ?"_s, {HistoryCodec::isoTimestamp(after)});
    if (!agent.isEmpty())
        filter.add(u"agent_id = ?"_s, {agent});
    ReadQuery select(m_db);
    select.prepare(u"SELECT COALESCE(SUM(total_tokens), 0), COUNT(*), COALESCE(SUM(estimated_cost), 0), %1"
                   " FROM usage_events"_s.arg(QLatin1StringView(kUnpricedSums))
                   + filter.where());
    filter.bind(&select);
    if (!select.exec() || !select.next())
        return sums;
    sums.totalTokens = select.value(0).toLongLong();
    sums.requestCount = select.value(1).toLongLong();
    sums.totalCost = select.value(2).toDouble();
    sums.unpricedRequests = select.value(3).toLongLong();
    sums.unpricedTokens = select.value(4).toLongLong();
    return sums;
}

QString UsageReader::setting(const QString &name) const
{
    ReadQuery select(m_db);
    select.prepare(u"SELECT value FROM settings WHERE name = ?"_s);
    select.addBindValue(name);
    if (!select.exec() || !select.next())
        return {};
    return select.value(0).toString();
}

} // namespace agentdesk
