#include "remoteusage.h"

#include "remotehttp.h"

#include "usageparser.h"

#include "domain/timestamps.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QMap>
#include <QUrlQuery>

#include <cmath>
#include <limits>
#include <memory>

using namespace Qt::StringLiterals;

namespace agentdesk::remoteusage {

namespace {

constexpr int kHistoryPage = 1000; // the API's bound for /usage/history

void complete(UsageCounters &counters, const QJsonObject &json)
{
    if (!json.contains(u"unpricedRequests"_s) && counters.requestCount > 0 && counters.totalCost == 0)
        counters.unpricedRequests = counters.requestCount;
    if (!json.contains(u"avgLatencyMs"_s))
        counters.totalLatencyMs = std::numeric_limits<double>::quiet_NaN();
}

void completeList(QList<UsageCounters> &list, const QJsonArray &array)
{
    for (qsizetype i = 0; i < list.size() && i < array.size(); ++i)
        complete(list[i], array.at(i).toObject());
}

// The history's timestamps are compared as text; this is the form the original stores, at whole seconds.
QString historyTime(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    return formatTimestamp(utc.addMSecs(-utc.time().msec()), TimestampForm::PythonIsoformat);
}

struct Read
{
    RemoteHttp *http = nullptr;
    UsageBucketSize size = UsageBucketSize::Minute;
    UsageGroupBy groupBy = UsageGroupBy::Model;
    QUrlQuery filter;
    UsageSeriesFilter series; // checked here too: a server that ignores a filter must not widen the chart
    QDateTime since;
    QDateTime until;
    qint64 maxEvents = 0;
    qint64 offset = 0;
    QMap<std::pair<qint64, QString>, UsageBucket> buckets;
    BucketsDone done;
};

void readPage(const std::shared_ptr<Read> &read)
{
    QUrlQuery query = read->filter;
    query.addQueryItem(u"limit"_s, QString::number(kHistoryPage));
    query.addQueryItem(u"offset"_s, QString::number(read->offset));
    read->http->get(u"/api/v1/usage/history"_s, query, [read](const RemoteHttp::Response &response) {
        const auto page = response.ok() && response.json ? wire::parseUsageHistory(*response.json) : std::nullopt;
        if (!page) {
            read->done(fail(response.status == 404 ? QCoreApplication::translate("agentdesk::RemoteSession",
                                                                                 "this server keeps no usage history")
                                                   : response.detailText()));
            return;
        }
        for (const UsageEvent &event : page->items) {
            if ((read->since.isValid() && event.timestamp < read->since)
                || (read->until.isValid() && event.timestamp > read->until) || !read->series.matches(event))
                continue;
            const QDateTime start = bucketStart(event.timestamp, read->size);
            const QString key = read->groupBy == UsageGroupBy::Model ? event.model : event.agentId;
            UsageBucket &bucket = read->buckets[{start.toMSecsSinceEpoch(), key}];
            bucket.start = start;
            bucket.key = key;
            bucket.promptTokens += event.promptTokens;
            bucket.completionTokens += event.completionTokens;
            bucket.cachedPromptTokens += event.cachedPromptTokens;
            bucket.totalTokens += event.totalTokens;
            bucket.requestCount += 1;
            bucket.totalCost += event.estimatedCost.value_or(0.0);
        }
        read->offset += page->items.size();
        if (page->items.size() == kHistoryPage && read->offset < read->maxEvents) {
            readPage(read);
            return;
        }
        read->done(read->buckets.values()); // ordered by start, then key
    });
}

} // namespace

UsageSnapshot completed(UsageSnapshot usage, const QJsonObject &json)
{
    const QJsonObject overview = json.value(u"usage"_s).toObject();
    complete(usage.totals, overview.value(u"totals"_s).toObject());
    completeList(usage.byAgent, overview.value(u"byAgent"_s).toArray());
    completeList(usage.byModel, overview.value(u"byModel"_s).toArray());
    return usage;
}

QDateTime bucketStart(const QDateTime &time, UsageBucketSize size)
{
    const qint64 seconds = time.toSecsSinceEpoch();
    const qint64 width = size == UsageBucketSize::Minute ? 60 : size == UsageBucketSize::Hour ? 3600 : 86400;
    return QDateTime::fromSecsSinceEpoch(seconds - ((seconds % width) + width) % width, Qt::UTC);
}

void readBuckets(RemoteHttp *http, UsageBucketSize size, UsageGroupBy groupBy, const QDateTime &since,
                 const QDateTime &until, const UsageSeriesFilter &filter, BucketsDone done, qint64 maxEvents)
{
    auto read = std::make_shared<Read>();
    read->http = http;
    read->size = size;
    read->groupBy = groupBy;
    read->since = since;
    read->until = until;
    read->maxEvents = maxEvents;
    read->series = UsageSeriesFilter{filter.agent, filter.model, std::nullopt};
    read->done = std::move(done);
    if (since.isValid())
        read->filter.addQueryItem(u"start_time"_s, historyTime(since));
    if (until.isValid())
        read->filter.addQueryItem(u"end_time"_s, historyTime(until.addSecs(1)));
    if (!filter.agent.isEmpty())
        read->filter.addQueryItem(u"agent_id"_s, filter.agent);
    if (!filter.model.isEmpty())
        read->filter.addQueryItem(u"model"_s, filter.model);
    readPage(read);
}

} // namespace agentdesk::remoteusage
