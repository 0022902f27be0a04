// TokenRateSeries: tokens per bucket and per model over a range (the last 15 minutes, hour, 24 hours, 7
// days, or a fixed one), seeded from the usage history, kept current from usageRecorded without counting
// the seed twice, rolling forward with the clock (driven by the test, so nothing depends on real time),
// and the range's sums.

#include "fakesession.h"
#include "tokenrateseries.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

const QDateTime kNoon(QDate(2026, 2, 10), QTime(12, 0), Qt::UTC);

UsageEvent usage(const QString &model, qint64 tokens, const QDateTime &at, std::optional<double> cost = 0.001)
{
    UsageEvent event;
    event.model = model;
    event.promptTokens = tokens;
    event.totalTokens = tokens;
    event.timestamp = at;
    event.estimatedCost = cost;
    return event;
}

UsageBucket bucket(const QString &model, qint64 tokens, int minute, qint64 calls = 1, double cost = 0)
{
    UsageBucket b;
    b.key = model;
    b.totalTokens = tokens;
    b.start = kNoon.addSecs(minute * 60);
    b.requestCount = calls;
    b.totalCost = cost;
    return b;
}

// 15 values, `at` → value.
QList<qint64> minutes(std::initializer_list<std::pair<int, qint64>> at)
{
    QList<qint64> out(15, 0);
    for (const auto &[index, value] : at)
        out[index] = value;
    return out;
}

} // namespace

class TestTokenRateSeries : public QObject
{
    Q_OBJECT

private:
    void setNow(const QDateTime &time) { now = time; }

private slots:
    void init()
    {
        now = kNoon.addSecs(14 * 60 + 30); // 12:14:30
        session.emplace();
        session->open();
        series.emplace(&*session);
        series->setClock([this] { return now; });
        series->setRange(UsageRange::last(UsageRange::Preset::Last15Minutes)); // 12:00 .. 12:14
        session->bucketCalls.clear(); // the requests made before the clock and range were set
        series->reload();
    }
    void cleanup()
    {
        series.reset();
        session.reset();
    }

    void seedsFromTheHistory()
    {
        QCOMPARE(session->bucketCalls.size(), 1);
        QCOMPARE(session->bucketCalls.first().since, kNoon);
        QCOMPARE(session->bucketCalls.first().until, now);
        QVERIFY(series->isLoading());
        QSignalSpy changed(&*series, &TokenRateSeries::changed);
        QVERIFY(
            session->answerBuckets({bucket(u"m1"_s, 100, 0, 2, 0.5), bucket(u"m2"_s, 50, 3), bucket(u"m1"_s, 70, 14)}));
        QCOMPARE(changed.size(), 1);
        QVERIFY(!series->isLoading());
        QCOMPARE(series->bucketSize(), UsageBucketSize::Minute);
        QCOMPARE(series->bucketCount(), 15);
        QCOMPARE(series->windowStart(), kNoon);
        QCOMPARE(series->windowEnd(), kNoon.addSecs(14 * 60));
        QCOMPARE(series->models(), (QStringList{u"m1"_s, u"m2"_s}));
        QCOMPARE(series->tokensPerBucket(u"m1"_s), minutes({{0, 100}, {14, 70}}));
        QCOMPARE(series->tokensPerBucket(u"m2"_s), minutes({{3, 50}}));
        QCOMPARE(series->peakTokensPerBucket(), 100);
        const QList<TokenRatePoint> points = series->points();
        QCOMPARE(points.size(), 3);
        QCOMPARE(points.first(), (TokenRatePoint{kNoon, u"m1"_s, 100}));
        QCOMPARE(points.last(), (TokenRatePoint{kNoon.addSecs(14 * 60), u"m1"_s, 70}));
        QCOMPARE(series->totalTokens(), 220);
        QCOMPARE(series->requestCount(), 4);
        QCOMPARE(series->totalCost(), 0.5);
    }

    void liveEventsAddUpWithoutCountingTheSeedTwice()
    {
        // Arrives while the seed is on its way: 12:14:10 is in the seed (up to 12:14:30), 12:14:40 is not.
        emit session->usageRecorded(
            {usage(u"m1"_s, 5, kNoon.addSecs(14 * 60 + 10)), usage(u"m1"_s, 7, kNoon.addSecs(14 * 60 + 40))});
        QVERIFY(session->answerBuckets({bucket(u"m1"_s, 5, 14)}));
        QCOMPARE(series->tokensPerBucket(u"m1"_s).last(), 12);

        QSignalSpy changed(&*series, &TokenRateSeries::changed);
        emit session->usageRecorded({usage(u"m3"_s, 30, kNoon.addSecs(14 * 60 + 50), std::nullopt),
                                     usage(u"m1"_s, 1, kNoon.addSecs(14 * 60 + 55))});
        QCOMPARE(changed.size(), 1); // once per batch
        QCOMPARE(series->tokensPerBucket(u"m1"_s).last(), 13);
        QCOMPARE(series->tokensPerBucket(u"m3"_s).last(), 30);
        QCOMPARE(series->models(), (QStringList{u"m1"_s, u"m3"_s}));
        QCOMPARE(series->requestCount(), 4);
        QCOMPARE(series->unpricedRequests(), 1);

        // Events older than the range draw nothing; a call without tokens is counted, not drawn.
        changed.clear();
        emit session->usageRecorded({usage(u"m1"_s, 99, kNoon.addSecs(-60))});
        QCOMPARE(changed.size(), 0);
        emit session->usageRecorded({usage(u"m4"_s, 0, now.addSecs(20))});
        QCOMPARE(series->models(), (QStringList{u"m1"_s, u"m3"_s}));
        QCOMPARE(series->requestCount(), 5);
    }

    void aFilterAsksTheHistoryAndSiftsLiveEvents()
    {
        QVERIFY(session->answerBuckets({bucket(u"m1"_s, 100, 0)}));
        const UsageSeriesFilter filter{u"greeter"_s, {}, UsageOutcome::Error};
        series->setFilter(filter);
        QCOMPARE(session->bucketCalls.size(), 1); // read again, with the filter
        QCOMPARE(session->bucketCalls.first().filter, filter);
        QVERIFY(session->answerBuckets({bucket(u"m1"_s, 40, 2)}));
        QCOMPARE(series->totalTokens(), 40);

        UsageEvent theirs = usage(u"m1"_s, 5, now.addSecs(10));
        theirs.agentId = u"greeter"_s;
        theirs.outcome = UsageOutcome::Error;
        UsageEvent ok = theirs; // the same agent's, but ok
        ok.outcome = UsageOutcome::Ok;
        UsageEvent other = theirs; // another agent's error
        other.agentId = u"shouter"_s;
        emit session->usageRecorded({theirs, ok, other});
        QCOMPARE(series->totalTokens(), 45);
        QCOMPARE(series->requestCount(), 2);

        series->setFilter(filter); // unchanged: not read again
        QVERIFY(session->bucketCalls.isEmpty());
        series->setFilter({});
        QCOMPARE(session->bucketCalls.size(), 1);
        QVERIFY(session->bucketCalls.first().filter.isEmpty());
    }

    void rollsForwardWithTheClock()
    {
        QVERIFY(session->answerBuckets({bucket(u"m1"_s, 100, 0), bucket(u"m2"_s, 50, 3)}));
        QSignalSpy changed(&*series, &TokenRateSeries::changed);
        series->advance(); // the same minute: nothing to drop
        QCOMPARE(changed.size(), 0);

        setNow(kNoon.addSecs(17 * 60)); // 12:17: the range is 12:03 .. 12:17
        series->advance();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(series->windowStart(), kNoon.addSecs(3 * 60));
        QCOMPARE(series->models(), QStringList{u"m2"_s}); // m1's only minute left the range
        QCOMPARE(series->tokensPerBucket(u"m2"_s), minutes({{0, 50}}));
        QCOMPARE(series->tokensPerBucket(u"m1"_s), QList<qint64>(15, 0));

        setNow(kNoon.addSecs(40 * 60));
        series->advance();
        QVERIFY(series->points().isEmpty());
        QVERIFY(series->models().isEmpty());
        QCOMPARE(series->peakTokensPerBucket(), 0);
        QCOMPARE(series->requestCount(), 0);
    }

    void longerRangesTakeLargerBuckets()
    {
        series->setRange(UsageRange::last(UsageRange::Preset::Last24Hours));
        QCOMPARE(series->bucketSize(), UsageBucketSize::Hour);
        QCOMPARE(series->bucketCount(), 24);
        QCOMPARE(series->windowStart(), QDateTime(QDate(2026, 2, 9), QTime(13, 0), Qt::UTC));
        QCOMPARE(session->bucketCalls.last().since, series->windowStart());
        series->setRange(UsageRange::last(UsageRange::Preset::Last7Days));
        QCOMPARE(series->bucketSize(), UsageBucketSize::Hour);
        QCOMPARE(series->bucketCount(), 168);
        series->setRange(UsageRange::last(UsageRange::Preset::LastHour));
        QCOMPARE(series->bucketCount(), 60);

        // A fixed range keeps still and chooses its buckets by its length.
        series->setRange(UsageRange::between(kNoon.addDays(-30), kNoon.addDays(-1)));
        QCOMPARE(series->bucketSize(), UsageBucketSize::Day);
        QCOMPARE(series->bucketCount(), 30);
        QCOMPARE(session->bucketCalls.last().until, kNoon.addDays(-1)); // not now: the range ended
        QVERIFY(session->answerBuckets({}));
        const QDateTime start = series->windowStart();
        setNow(now.addDays(2));
        series->advance();
        QCOMPARE(series->windowStart(), start);
        series->setRange(UsageRange::between(kNoon, kNoon.addSecs(90 * 60)));
        QCOMPARE(series->bucketSize(), UsageBucketSize::Minute);
        QCOMPARE(series->bucketCount(), 91);
        series->setRange(UsageRange::between(kNoon, kNoon.addDays(3)));
        QCOMPARE(series->bucketSize(), UsageBucketSize::Hour);
    }

private:
    QDateTime now;
    std::optional<FakeSession> session;
    std::optional<TokenRateSeries> series;
};

QTEST_GUILESS_MAIN(TestTokenRateSeries)
#include "tst_tokenrateseries.moc"
