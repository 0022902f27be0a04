// The token-rate chart adapter: one stacked layer per model of TokenRateSeries, in first-seen order, the
// demo provider labelled, the stack's peak equal to the busiest minute of all models together, layers
// dropped when their model leaves the window, and live usage reaching the chart.

#include "fakesession.h"
#include "providerdirectory.h"
#include "tokenratechart.h"
#include "tokenrateseries.h"

#include <QAreaSeries>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::FakeSession;

namespace {

const QDateTime kNow = QDateTime(QDate(2026, 3, 1), QTime(12, 30, 20), Qt::UTC);

UsageBucket bucket(int minutesAgo, const QString &model, qint64 tokens)
{
    UsageBucket b;
    b.start = QDateTime(QDate(2026, 3, 1), QTime(12, 30), Qt::UTC).addSecs(-60 * minutesAgo);
    b.key = model;
    b.totalTokens = tokens;
    b.requestCount = 1;
    return b;
}

UsageEvent usageEvent(const QString &model, const QString &provider, qint64 tokens)
{
    UsageEvent e;
    e.timestamp = kNow.addSecs(5); // after the seed was read (at kNow)
    e.model = model;
    e.provider = provider;
    e.agentId = u"writer"_s;
    e.totalTokens = tokens;
    return e;
}

} // namespace

class TestTokenRateChart : public QObject
{
    Q_OBJECT

private:
    // The series asks again whenever its window or clock changes: answer the latest question.
    static bool answerLatest(FakeSession &session, const QList<UsageBucket> &buckets, const QString &error = {})
    {
        while (session.bucketCalls.size() > 1)
            session.bucketCalls.removeFirst();
        return session.answerBuckets(buckets, error);
    }
    QAreaSeries *layer(TokenRateChart &chart, int index)
    {
        const QList<QAbstractSeries *> series = chart.chart()->series();
        return index < series.size() ? qobject_cast<QAreaSeries *>(series.at(index)) : nullptr;
    }

private slots:
    void stacksModelsAndLabelsTheDemo()
    {
        FakeSession session;
        session.open();
        TokenRateSeries series(&session);
        series.setRange(UsageRange::last(UsageRange::Preset::Last15Minutes));
        series.setClock([] { return kNow; });
        ProviderDirectory providers;
        providers.setKnownModels({{u"demo-1"_s, u"demo"_s}});
        TokenRateChart chart;
        chart.setProviders(&providers);
        chart.setSeries(&series);
        QVERIFY(chart.layerNames().isEmpty());

        QVERIFY(answerLatest(session,
                             {bucket(2, u"gpt-4o"_s, 300), bucket(2, u"demo-1"_s, 200), bucket(0, u"demo-1"_s, 50)}));
        QCOMPARE(chart.layerNames(), (QStringList{u"gpt-4o"_s, u"demo-1 (demo)"_s}));
        QCOMPARE(chart.stackedPeak(), 500);
        // The second layer sits on the first: its lower edge is the first layer's upper edge.
        QAreaSeries *bottom = layer(chart, 0);
        QAreaSeries *top = layer(chart, 1);
        QVERIFY(bottom && top);
        QCOMPARE(bottom->upperSeries()->points(), top->lowerSeries()->points());
        QCOMPARE(top->upperSeries()->count(), 2 * 15); // a step per minute of the range

        // Live usage lands in the current minute.
        emit session.usageRecorded({usageEvent(u"gpt-4o"_s, u"openai"_s, 700)});
        QTRY_COMPARE(chart.stackedPeak(), 750);

        // For looking at it: AGENTDESK_TEST_PNG_DIR=/tmp tst_tokenratechart
        if (qEnvironmentVariableIsSet("AGENTDESK_TEST_PNG_DIR")) {
            chart.resize(700, 300);
            chart.grab().save(qEnvironmentVariable("AGENTDESK_TEST_PNG_DIR") + u"/tokenratechart.png"_s);
        }
    }

    // No calls: whole-number ticks (0, 2 … 10, not 0, 2, 5, 7, 10). A server that keeps no usage over
    // time: said in the title, no axes, no plot that looks like "no calls".
    void anEmptyChartAndAnUnavailableOne()
    {
        FakeSession session;
        session.open();
        TokenRateSeries series(&session);
        series.setClock([] { return kNow; });
        TokenRateChart chart;
        chart.setSeries(&series);
        QVERIFY(answerLatest(session, {}));
        auto *y = qobject_cast<QValueAxis *>(chart.chart()->axes(Qt::Vertical).value(0));
        QVERIFY(y);
        QCOMPARE(y->max(), 10.0);
        QCOMPARE(y->tickCount(), 6);
        QVERIFY(y->isVisible());

        series.reload();
        QVERIFY(answerLatest(session, {}, u"this server keeps no usage over time"_s));
        QCOMPARE(series.unavailableReason(), u"this server keeps no usage over time"_s);
        QCOMPARE(chart.chart()->title(), u"Tokens per minute by model: this server keeps no usage over time"_s);
        QVERIFY(!y->isVisible());
        QVERIFY(chart.chart()->series().isEmpty());
    }

    void dropsModelsThatLeftTheWindow()
    {
        FakeSession session;
        session.open();
        QDateTime now = kNow;
        TokenRateSeries series(&session);
        series.setRange(UsageRange::last(UsageRange::Preset::Last15Minutes));
        series.setClock([&now] { return now; });
        TokenRateChart chart;
        chart.setSeries(&series);
        QVERIFY(answerLatest(session, {bucket(14, u"old-model"_s, 100), bucket(0, u"new-model"_s, 10)}));
        QCOMPARE(chart.layerNames(), (QStringList{u"old-model"_s, u"new-model"_s}));

        now = kNow.addSecs(60);
        series.advance();
        QTRY_COMPARE(chart.layerNames(), QStringList{u"new-model"_s});
        QCOMPARE(chart.chart()->series().size(), 1);
    }
};

QTEST_MAIN(TestTokenRateChart)
#include "tst_tokenratechart.moc"
