#pragma once

#include "domain/queries.h"
#include "domain/result.h"
#include "domain/usagequeries.h"
#include "domain/usagecounters.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>

#include <functional>

namespace agentdesk {

class RemoteHttp;

// Usage figures from a server that has fewer of them than agentdesk: what the original's /usage leaves
// out is marked unknown instead of read as zero, and usage over time is built from its history when it
// has no /usage/timeseries.
namespace remoteusage {

// The original sends no `unpricedRequests` and no per-agent or per-model latency. Read as zero they would
// show "$0.0000" for calls that have no price and "0.0 ms" for latencies nobody measured: unpriced calls
// are inferred (no cost at all means none was priced) and unknown latencies become NaN ("—").
UsageSnapshot completed(UsageSnapshot usage, const QJsonObject &json);

// Buckets of usage between since and until of one agent's or model's calls (the filter's outcome is not
// asked for: the original's history has none), built from GET /usage/history (newest first, at most 1000
// a page), the way the store builds them. Reads at most `maxEvents` events; `done` gets the buckets, or an
// error worded for the operator.
using BucketsDone = std::function<void(const Result<QList<UsageBucket>> &buckets)>;
void readBuckets(RemoteHttp *http, UsageBucketSize size, UsageGroupBy groupBy, const QDateTime &since,
                 const QDateTime &until, const UsageSeriesFilter &filter, BucketsDone done, qint64 maxEvents = 20000);

// The start of the bucket `time` falls in (UTC).
QDateTime bucketStart(const QDateTime &time, UsageBucketSize size);

} // namespace remoteusage

} // namespace agentdesk
