#include "usage/scopebudgets.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QDateTime kNoon(QDate(2026, 3, 31), QTime(12, 0), Qt::UTC);

BudgetsConfig config(std::optional<qint64> agentTokens, BudgetPeriod agentPeriod, std::optional<double> organismCost,
                     BudgetPeriod organismPeriod)
{
    BudgetsConfig budgets;
    if (agentTokens) {
        ScopeBudgetConfig writer;
        writer.maxTokens = agentTokens;
        writer.period = agentPeriod;
        budgets.agents.insert(u"writer"_s, writer);
    }
    if (organismCost) {
        ScopeBudgetConfig organism;
        organism.maxCost = organismCost;
        organism.period = organismPeriod;
        budgets.organism = organism;
    }
    return budgets;
}

} // namespace

// Agent and organism budgets: their periods in UTC, usage per metered event, thresholds once per
// period, an operator's raise or reset, a new period.
class TestScopeBudgets : public QObject
{
    Q_OBJECT

private slots:
    void periodsAreUtcDaysAndMonths()
    {
        ScopeBudgets budgets;
        budgets.configure(config(1000, BudgetPeriod::Day, 5.0, BudgetPeriod::Month), kNoon);
        const ScopeBudget day = *budgets.budget(u"agent:writer"_s);
        QCOMPARE(day.periodStart, QDateTime(QDate(2026, 3, 31), QTime(0, 0), Qt::UTC));
        QCOMPARE(day.periodEnd, QDateTime(QDate(2026, 4, 1), QTime(0, 0), Qt::UTC));
        const ScopeBudget month = *budgets.budget(u"organism"_s);
        QCOMPARE(month.periodStart, QDateTime(QDate(2026, 3, 1), QTime(0, 0), Qt::UTC));
        QCOMPARE(month.periodEnd, QDateTime(QDate(2026, 4, 1), QTime(0, 0), Qt::UTC));
        QCOMPARE(budgets.nextRollOver(), day.periodEnd);
        QCOMPARE(budgets.budgets().first().scope, u"organism"_s); // the organism's first
        QCOMPARE(budgets.scopesOf(u"writer"_s), (QStringList{u"agent:writer"_s, u"organism"_s}));
        QCOMPARE(budgets.scopesOf(u"critic"_s), QStringList{u"organism"_s});
    }

    void usageAndThresholdsOncePerPeriod()
    {
        ScopeBudgets budgets;
        budgets.configure(config(1000, BudgetPeriod::Day, 1.0, BudgetPeriod::Total), kNoon);
        QList<ScopeThreshold> crossed = budgets.record(u"writer"_s, 760, 0.2);
        QCOMPARE(crossed.size(), 1);
        QCOMPARE(crossed.first().severity, u"warning"_s);
        QCOMPARE(crossed.first().budget.scope, u"agent:writer"_s);
        QCOMPARE(crossed.first().message(), u"76% of agent writer's budget used today (UTC): 760 of 1000."_s);
        crossed = budgets.record(u"writer"_s, 200, std::nullopt); // 960: critical and final at once
        QCOMPARE(crossed.size(), 2);
        QCOMPARE(budgets.budget(u"organism"_s)->unpricedRequests, 1);
        QVERIFY(budgets.budget(u"agent:writer"_s)->isExhausted() == false);
        QVERIFY(budgets.record(u"writer"_s, 100, 0.9).size() >= 1); // the organism's cost crosses too
        QVERIFY(budgets.budget(u"organism"_s)->isExhausted());
        QVERIFY(budgets.refusal(u"organism"_s).startsWith(u"Organism budget exhausted in total: $1.10/$1.00 USD"_s));

        // Midnight: the day budget starts again, the total one does not.
        const QStringList rolled = budgets.rollOver(kNoon.addDays(1));
        QCOMPARE(rolled, QStringList{u"agent:writer"_s});
        QCOMPARE(budgets.budget(u"agent:writer"_s)->usedTokens, 0);
        QCOMPARE(budgets.record(u"writer"_s, 800, 0).size(), 1 + 0); // the warning arms again
        QCOMPARE(budgets.budget(u"organism"_s)->usedCost, 1.1);
    }

    void anOperatorRaisesResetsOrCreates()
    {
        ScopeBudgets budgets;
        budgets.configure(config(1000, BudgetPeriod::Total, std::nullopt, BudgetPeriod::Total), kNoon);
        budgets.record(u"writer"_s, 1000, 0);
        QVERIFY(budgets.budget(u"agent:writer"_s)->isExhausted());
        budgets.noteHeld(u"agent:writer"_s, u"t1"_s);
        QCOMPARE(budgets.scopeHolding(u"t1"_s), u"agent:writer"_s);

        ScopeBudgets::Change raise;
        raise.maxTokens = 5000;
        const ScopeBudget raised = *budgets.set(u"agent:writer"_s, raise, kNoon);
        QCOMPARE(raised.maxTokens, std::optional<qint64>(5000));
        QCOMPARE(raised.usedTokens, 1000);
        QCOMPARE(budgets.takeHeld(u"agent:writer"_s), QStringList{u"t1"_s});

        ScopeBudgets::Change reset;
        reset.reset = true;
        const ScopeBudget fresh = *budgets.set(u"agent:writer"_s, reset, kNoon.addSecs(60));
        QCOMPARE(fresh.usedTokens, 0);
        QCOMPARE(fresh.periodStart, kNoon.addSecs(60)); // what a restart rebuilds from

        ScopeBudgets::Change cost;
        cost.maxCost = 20.0;
        cost.period = BudgetPeriod::Month;
        const ScopeBudget organism = *budgets.set(u"organism"_s, cost, kNoon);
        QVERIFY(organism.isCost());
        QCOMPARE(toString(organism.period), u"month"_s);
        QVERIFY(!budgets.set(u"thread:x"_s, cost, kNoon));
        QVERIFY(!budgets.set(u"agent:critic"_s, ScopeBudgets::Change{}, kNoon)); // none yet, and no limit given
    }

    void aReloadKeepsTheUsageOfUnchangedBudgets()
    {
        ScopeBudgets budgets;
        budgets.configure(config(1000, BudgetPeriod::Day, 2.0, BudgetPeriod::Month), kNoon);
        budgets.record(u"writer"_s, 300, 0.5);
        budgets.configure(config(2000, BudgetPeriod::Day, 2.0, BudgetPeriod::Month), kNoon.addSecs(5));
        QCOMPARE(budgets.budget(u"agent:writer"_s)->usedTokens, 300); // the limit changed, not the period
        QCOMPARE(budgets.budget(u"agent:writer"_s)->maxTokens, std::optional<qint64>(2000));
        QCOMPARE(budgets.budget(u"organism"_s)->usedCost, 0.5);
        QVERIFY(
            budgets.configure(config(std::nullopt, BudgetPeriod::Day, 2.0, BudgetPeriod::Day), kNoon.addSecs(9)).fresh
            == QStringList{u"organism"_s});
        QVERIFY(!budgets.contains(u"agent:writer"_s));
        QCOMPARE(budgets.budget(u"organism"_s)->usedCost, 0.0); // a new period: counted again from the history
    }

    // A reload that raises an exhausted budget, or removes it, lets the threads it held go on.
    void aReloadReleasesWhatItRaisesOrRemoves()
    {
        ScopeBudgets budgets;
        QCOMPARE(budgets.configure(config(1000, BudgetPeriod::Total, 1.0, BudgetPeriod::Total), kNoon).fresh,
                 (QStringList{u"agent:writer"_s, u"organism"_s}));
        budgets.record(u"writer"_s, 1000, 1.0);
        budgets.noteHeld(u"agent:writer"_s, u"t1"_s);
        budgets.noteHeld(u"organism"_s, u"t2"_s);
        ScopeBudgets::Configured raised = budgets.configure(config(2000, BudgetPeriod::Total, 1.0, BudgetPeriod::Total),
                                                            kNoon);
        QVERIFY(raised.fresh.isEmpty() && raised.released.isEmpty());
        QCOMPARE(budgets.takeHeldWithRoom(), QStringList{u"t1"_s}); // the organism's is still exhausted
        QCOMPARE(budgets.scopeHolding(u"t2"_s), u"organism"_s);
        const ScopeBudgets::Configured removed = budgets.configure(
            config(2000, BudgetPeriod::Total, std::nullopt, BudgetPeriod::Total), kNoon);
        QCOMPARE(removed.released, QStringList{u"t2"_s});
        QVERIFY(budgets.scopeHolding(u"t2"_s).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestScopeBudgets)
#include "tst_scopebudgets.moc"
