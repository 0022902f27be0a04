// The cost-by-agent chart: a bar per agent with a price, the agents without one listed as such, nothing
// left behind when the counters are reset (no stale bar, no axis line), and hasPricedCosts() telling the
// page whether there is anything to show at all.

#include "costbyagentchart.h"
#include "fakesession.h"

#include <QBarCategoryAxis>
#include <QHorizontalBarSeries>
#include <QSignalSpy>
#include <QTest>
#include <QValueAxis>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::FakeSession;

namespace {

UsageCounters counters(const QString &agent, qint64 requests, qint64 unpriced, double cost)
{
    UsageCounters c;
    c.key = agent;
    c.requestCount = requests;
    c.unpricedRequests = unpriced;
    c.totalCost = cost;
    c.totalTokens = 100 * requests;
    return c;
}

} // namespace

class TestCostByAgentChart : public QObject
{
    Q_OBJECT

private slots:
    void barsForPricedAgentsAndNothingAfterAReset()
    {
        FakeSession session;
        session.snapshot.usage.byAgent = {counters(u"writer"_s, 2, 0, 0.25), counters(u"greeter"_s, 3, 3, 0)};
        session.open();
        CostByAgentChart chart;
        QSignalSpy priced(&chart, &CostByAgentChart::pricedChanged);
        chart.setSession(&session);
        QCOMPARE(chart.categories(), (QStringList{u"greeter — unpriced"_s, u"writer"_s}));
        QVERIFY(chart.hasPricedCosts());
        QCOMPARE(priced.size(), 1);
        auto *bars = qobject_cast<QHorizontalBarSeries *>(chart.chart()->series().value(0));
        QVERIFY(bars);
        QCOMPARE(bars->count(), 1);

        session.resetUsage(nullptr, [](const Result<> &) {});
        QTRY_VERIFY(chart.categories().isEmpty());
        QCOMPARE(bars->count(), 0);                                          // no bar set left to draw a stale bar
        QVERIFY(!chart.chart()->axes(Qt::Horizontal).value(0)->isVisible()); // nor an axis line
        QVERIFY(!chart.hasPricedCosts());
        QCOMPARE(priced.size(), 2);
        QCOMPARE(chart.chart()->title(), u"Cost by agent (USD) — no LLM calls yet"_s);
    }

    void onlyUnpricedCallsLeaveNothingToShow()
    {
        FakeSession session;
        session.snapshot.usage.byAgent = {counters(u"greeter"_s, 3, 3, 0)};
        session.open();
        CostByAgentChart chart;
        chart.setSession(&session);
        QVERIFY(!chart.hasPricedCosts());
        QCOMPARE(chart.chart()->title(), u"Cost by agent (USD) — no call has a known price"_s);
    }
};

QTEST_MAIN(TestCostByAgentChart)
#include "tst_costbyagentchart.moc"
