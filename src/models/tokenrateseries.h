#pragma once

#include "domain/queries.h"
#include "domain/usage.h"
#include "domain/usagequeries.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <map>
#include <optional>

namespace agentdesk {

class Session;

// One bar of the token-rate chart: the tokens a model used in one bucket (a minute, an hour or a day).
struct TokenRatePoint
{
    QDateTime bucketStart; // UTC, on the bucket's boundary
    QString model;
    qint64 tokens = 0;
    bool operator==(const TokenRatePoint &other) const = default;
};

// The time range the Usage page shows: the last 15 minutes, hour, 24 hours or 7 days (following the
// clock), or a fixed one. Each has its bucket size: minutes up to an hour, hours up to a week, days beyond.
struct UsageRange
{
    enum class Preset { Last15Minutes, LastHour, Last24Hours, Last7Days, Custom };
    Preset preset = Preset::LastHour;
    QDateTime from; // Custom: inclusive
    QDateTime to;   // Custom: inclusive (may lie in the future: calls still arriving count)

    static UsageRange last(Preset preset) { return UsageRange{preset, {}, {}}; }
    static UsageRange between(const QDateTime &from, const QDateTime &to)
    {
        return UsageRange{Preset::Custom, from, to};
    }
    bool follows() const { return preset != Preset::Custom; } // moves on with the clock
};

// Tokens per bucket and per model over a range, of the calls a filter lets through (one agent's, one
// model's, one outcome's; all by default), as plain data for the window's chart adapter (charts
// live in src/gui; this knows nothing of them), with the range's totals. Read from the usage history
// (Session::fetchUsageBuckets) when the session connects or the range changes, then kept current from
// usageRecorded; buckets that fall out of a following range are dropped as the clock moves on.
class TokenRateSeries final : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;

    explicit TokenRateSeries(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(TokenRateSeries)

    void setRange(const UsageRange &range); // default: the last hour; reloads from the history
    UsageRange range() const { return m_range; }
    void setFilter(const UsageSeriesFilter &filter); // reloads from the history when it changes
    UsageSeriesFilter filter() const { return m_filter; }
    void setClock(Clock clock); // the current UTC time (tests drive it); reloads from the history

    UsageBucketSize bucketSize() const { return m_size; }
    qint64 bucketSeconds() const;
    int bucketCount() const;                                   // buckets in the range
    QDateTime windowStart() const;                             // start of the oldest bucket in the range
    QDateTime windowEnd() const;                               // start of the newest bucket
    QList<TokenRatePoint> points() const;                      // buckets with tokens, by time, then by model
    QStringList models() const;                                // models with tokens in the range, first seen first
    QList<qint64> tokensPerBucket(const QString &model) const; // bucketCount() values, oldest first
    qint64 peakTokensPerBucket() const;                        // the largest bucket of any model (for an axis range)
    // The range's sums: tokens, calls, and the cost of the priced ones (unpriced calls are counted apart).
    qint64 totalTokens() const;
    qint64 requestCount() const;
    double totalCost() const;
    qint64 unpricedRequests() const;
    bool isLoading() const { return m_loading; }
    // Why the session cannot say (a server that keeps no usage over time), or empty.
    QString unavailableReason() const { return m_unavailable; }

    void advance(); // drops buckets that left a following range; the series calls it every few seconds
    void reload();

signals:
    void changed();

private:
    qint64 bucketOf(const QDateTime &time) const { return time.toSecsSinceEpoch() / bucketSeconds(); }
    qint64 firstBucket() const;
    qint64 lastBucket() const;
    QDateTime bucketStart(qint64 bucket) const;
    void onUsage(const QList<UsageEvent> &events);
    bool add(const UsageEvent &event);
    void prune();

    Session *m_session;
    Clock m_clock;
    UsageRange m_range;
    UsageSeriesFilter m_filter;
    UsageBucketSize m_size = UsageBucketSize::Minute;
    int m_count = 60;                                   // following ranges: buckets up to and including the current one
    std::map<qint64, QHash<QString, qint64>> m_buckets; // bucket → model → tokens
    struct Calls
    {
        qint64 count = 0;
        double cost = 0; // of the priced ones
        qint64 unpriced = 0;
    };
    std::map<qint64, Calls> m_calls; // bucket → the calls in it, for the range's sums
    QStringList m_models;
    QDateTime m_cut; // events at or before it are in the seed from the history
    bool m_loading = false;
    QList<UsageEvent> m_early; // arrived while the seed was on its way
    QString m_unavailable;
    quint64 m_generation = 0;
    qint64 m_prunedAt = 0;
    QTimer m_tick;
};

} // namespace agentdesk
