// TokenRateSeries: tokens per minute and per model over the last N minutes, seeded from the usage
// history, kept current from usageRecorded without counting the seed twice, and rolling forward with
// the clock (driven by the test, so nothing depends on real time).

#include "fakesession.h"
#include "tokenrateseries.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

const QDateTime kNoon(QDate(2026, 2, 10), QTime(12, 0), Qt::UTC);

UsageEvent usage(const QString &model, qint64 tokens, const QDateTime &at)
{
    UsageEvent event;
    event.model = model;
    event.promptTokens = tokens;
    event.totalTokens = tokens;
    event.timestamp = at;
    return event;
}

UsageBucket bucket(const QString &model, qint64 tokens, int minute)
{
    UsageBucket b;
    b.key = model;
    b.totalTokens = tokens;
    b.start = kNoon.addSecs(minute * 60);
    return b;
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
        now = kNoon.addSecs(9 * 60 + 30); // 12:09:30
        session.emplace();
        session->open();
        series.emplace(&*session);
        series->setClock([this] { return now; });
        series->setWindowMinutes(10); // 12:00 .. 12:09
        session->bucketCalls.clear(); // the requests made before the clock and window were set
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
        QVERIFY(session->answerBuckets({bucket(u"m1"_s, 100, 0), bucket(u"m2"_s, 50, 3), bucket(u"m1"_s, 70, 9)}));
        QCOMPARE(changed.size(), 1);
        QVERIFY(!series->isLoading());
        QCOMPARE(series->windowStart(), kNoon);
        QCOMPARE(series->windowEnd(), kNoon.addSecs(9 * 60));
        QCOMPARE(series->models(), (QStringList{u"m1"_s, u"m2"_s}));
        QCOMPARE(series->tokensPerMinute(u"m1"_s), (QList<qint64>{100, 0, 0, 0, 0, 0, 0, 0, 0, 70}));
        QCOMPARE(series->tokensPerMinute(u"m2"_s), (QList<qint64>{0, 0, 0, 50, 0, 0, 0, 0, 0, 0}));
        QCOMPARE(series->peakTokensPerMinute(), 100);
        const QList<TokenRatePoint> points = series->points();
        QCOMPARE(points.size(), 3);
        QCOMPARE(points.first(), (TokenRatePoint{kNoon, u"m1"_s, 100}));
        QCOMPARE(points.last(), (TokenRatePoint{kNoon.addSecs(9 * 60), u"m1"_s, 70}));
    }

    void liveEventsAddUpWithoutCountingTheSeedTwice()
    {
        // Arrives while the seed is on its way: 12:09:10 is in the seed (up to 12:09:30), 12:09:40 is not.
        emit session->usageRecorded({usage(u"m1"_s, 5, kNoon.addSecs(9 * 60 + 10)),
                                     usage(u"m1"_s, 7, kNoon.addSecs(9 * 60 + 40))});
        QVERIFY(session->answerBuckets({bucket(u"m1"_s, 5, 9)}));
        QCOMPARE(series->tokensPerMinute(u"m1"_s).last(), 12);

        QSignalSpy changed(&*series, &TokenRateSeries::changed);
        emit session->usageRecorded({usage(u"m3"_s, 30, kNoon.addSecs(9 * 60 + 50)), usage(u"m1"_s, 1, kNoon.addSecs(9 * 60 + 55))});
        QCOMPARE(changed.size(), 1); // once per batch
        QCOMPARE(series->tokensPerMinute(u"m1"_s).last(), 13);
        QCOMPARE(series->tokensPerMinute(u"m3"_s).last(), 30);
        QCOMPARE(series->models(), (QStringList{u"m1"_s, u"m3"_s}));

        // Events older than the window, or with no tokens, draw nothing.
        changed.clear();
        emit session->usageRecorded({usage(u"m1"_s, 99, kNoon.addSecs(-60)), usage(u"m4"_s, 0, now.addSecs(20))});
        QCOMPARE(changed.size(), 0);
        QCOMPARE(series->models(), (QStringList{u"m1"_s, u"m3"_s}));
    }

    void rollsForwardWithTheClock()
    {
        QVERIFY(session->answerBuckets({bucket(u"m1"_s, 100, 0), bucket(u"m2"_s, 50, 3)}));
        QSignalSpy changed(&*series, &TokenRateSeries::changed);
        series->advance(); // the same minute: nothing to drop
        QCOMPARE(changed.size(), 0);

        setNow(kNoon.addSecs(12 * 60)); // 12:12: the window is 12:03 .. 12:12
        series->advance();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(series->windowStart(), kNoon.addSecs(3 * 60));
        QCOMPARE(series->models(), QStringList{u"m2"_s}); // m1's only minute left the window
        QCOMPARE(series->tokensPerMinute(u"m2"_s), (QList<qint64>{50, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
        QCOMPARE(series->tokensPerMinute(u"m1"_s), QList<qint64>(10, 0));

        setNow(kNoon.addSecs(30 * 60));
        series->advance();
        QVERIFY(series->points().isEmpty());
        QVERIFY(series->models().isEmpty());
        QCOMPARE(series->peakTokensPerMinute(), 0);
    }

private:
    QDateTime now;
    std::optional<FakeSession> session;
    std::optional<TokenRateSeries> series;
};

QTEST_GUILESS_MAIN(TestTokenRateSeries)
#include "tst_tokenrateseries.moc"
