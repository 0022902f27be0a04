#include "usage/pricetable.h"
#include "usage/usagetracker.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {
UsageEvent usageEvent(const QString &agent, const QString &model, qint64 prompt, qint64 completion, double latency = 0)
{
    UsageEvent e;
    e.agentId = agent;
    e.model = model;
    e.promptTokens = prompt;
    e.completionTokens = completion;
    e.totalTokens = prompt + completion;
    e.latencyMs = latency;
    e.estimatedCost = PriceTable().cost(model, prompt, completion);
    return e;
}
} // namespace

class TestUsageTracker : public QObject
{
    Q_OBJECT

private slots:
    void oneCallIsCountedEverywhere()
    {
        UsageTracker tracker;
        tracker.record(usageEvent(u"greeter"_s, u"grok-4.1"_s, 100, 50, 250));
        const UsageSnapshot usage = tracker.snapshot();
        QCOMPARE(usage.totals.totalTokens, 150);
        QCOMPARE(usage.totals.promptTokens, 100);
        QCOMPARE(usage.totals.completionTokens, 50);
        QCOMPARE(usage.totals.requestCount, 1);
        QCOMPARE(usage.totals.totalCost, 0.00105);
        QCOMPARE(usage.totals.avgLatencyMs(), 250.0);
        QCOMPARE(usage.byAgent.size(), 1);
        QCOMPARE(usage.byAgent.first().key, u"greeter"_s);
        QCOMPARE(usage.byAgent.first().totalTokens, 150);
        QCOMPARE(usage.byModel.size(), 1);
        QCOMPARE(usage.byModel.first().key, u"grok-4.1"_s);
    }

    void millionTokensCostEighteenDollars()
    {
        UsageTracker tracker;
        tracker.record(usageEvent(u"a"_s, u"grok-4.1"_s, 1000000, 1000000));
        QCOMPARE(tracker.snapshot().totals.totalCost, 18.0);
    }

    void perAgentAndPerModelTotals()
    {
        UsageTracker tracker;
        tracker.record(usageEvent(u"researcher"_s, u"gpt-4o"_s, 1000, 500, 100));
        tracker.record(usageEvent(u"researcher"_s, u"gpt-4o"_s, 2000, 1000, 300));
        tracker.record(usageEvent(u"writer"_s, u"claude-sonnet-4"_s, 500, 200));
        const UsageCounters researcher = tracker.agent(u"researcher"_s);
        QCOMPARE(researcher.totalTokens, 4500);
        QCOMPARE(researcher.promptTokens, 3000);
        QCOMPARE(researcher.completionTokens, 1500);
        QCOMPARE(researcher.requestCount, 2);
        QCOMPARE(tracker.model(u"claude-sonnet-4"_s).totalTokens, 700);
        QCOMPARE(tracker.model(u"claude-sonnet-4"_s).requestCount, 1);
        QCOMPARE(tracker.snapshot().totals.avgLatencyMs(), 400.0 / 3.0);
        // Order of first appearance, not sorted.
        QCOMPARE(tracker.snapshot().byAgent.first().key, u"researcher"_s);
        QCOMPARE(tracker.snapshot().byModel.last().key, u"claude-sonnet-4"_s);
    }

    void unknownKeysAreZero()
    {
        UsageTracker tracker;
        const UsageCounters nobody = tracker.agent(u"nobody"_s);
        QCOMPARE(nobody.key, u"nobody"_s);
        QCOMPARE(nobody.totalTokens, 0);
        QCOMPARE(nobody.totalCost, 0.0);
        QCOMPARE(tracker.snapshot().totals.avgLatencyMs(), 0.0);
    }

    void eventsWithoutAgentCountOnlyInTotalsAndModel()
    {
        UsageTracker tracker;
        tracker.record(usageEvent({}, u"gpt-4o"_s, 10, 10));
        QVERIFY(tracker.snapshot().byAgent.isEmpty());
        QCOMPARE(tracker.snapshot().byModel.size(), 1);
    }

    void unpricedModelsAddNoCostButAreCounted()
    {
        UsageTracker tracker;
        tracker.record(usageEvent(u"a"_s, u"mystery"_s, 10, 10));
        QCOMPARE(tracker.snapshot().totals.totalCost, 0.0);
        QCOMPARE(tracker.snapshot().totals.unpricedRequests, 1);
    }

    void resetZeroesInPlace()
    {
        UsageTracker tracker;
        tracker.record(usageEvent(u"a"_s, u"gpt-4o"_s, 10, 10));
        tracker.reset();
        QCOMPARE(tracker.snapshot().totals.totalTokens, 0);
        QVERIFY(tracker.snapshot().byAgent.isEmpty());
        tracker.record(usageEvent(u"b"_s, u"gpt-4o"_s, 1, 1));
        QCOMPARE(tracker.snapshot().totals.totalTokens, 2);
        QCOMPARE(tracker.snapshot().byAgent.first().key, u"b"_s);
    }
};

QTEST_GUILESS_MAIN(TestUsageTracker)
#include "tst_usagetracker.moc"
