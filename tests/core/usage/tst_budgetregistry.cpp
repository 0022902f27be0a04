#include "usage/budgetregistry.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

class TestBudgetRegistry : public QObject
{
    Q_OBJECT

private slots:
    void checkAllowsUpToTheLimit()
    {
        BudgetRegistry budgets;
        budgets.setDefaultMaxTokens(1000);
        budgets.consume(u"t"_s, 400, 0);
        QVERIFY(!budgets.check(u"t"_s, 600));
        const std::optional<QString> refused = budgets.check(u"t"_s, 601);
        QVERIFY(refused);
        QCOMPARE(*refused, u"Thread t... budget exhausted: 400/1000 tokens used"_s);
    }

    void exhaustedExactlyAtTheMaximumAndRemainingNeverNegative()
    {
        BudgetRegistry budgets;
        budgets.setDefaultMaxTokens(1000);
        budgets.consume(u"thread-123456789"_s, 600, 400);
        ThreadBudget budget = *budgets.budget(u"thread-123456789"_s);
        QVERIFY(budget.isExhausted());
        QCOMPARE(budget.remaining(), 0);
        QCOMPARE(*budgets.check(u"thread-123456789"_s, 1),
                 u"Thread thread-1... budget exhausted: 1000/1000 tokens used"_s);
        budgets.consume(u"thread-123456789"_s, 500, 0); // overshoot is allowed
        budget = *budgets.budget(u"thread-123456789"_s);
        QCOMPARE(budget.totalTokens(), 1500);
        QCOMPARE(budget.remaining(), 0);
        QCOMPARE(budget.percentUsed(), 150.0);
    }

    void negativeCountsClampToZero()
    {
        BudgetRegistry budgets;
        budgets.consume(u"t"_s, -50, -10);
        QCOMPARE(budgets.budget(u"t"_s)->totalTokens(), 0);
        QCOMPARE(budgets.budget(u"t"_s)->requestCount, 1);
    }

    void defaultAffectsOnlyNewBudgets()
    {
        BudgetRegistry budgets;
        budgets.consume(u"old"_s, 1, 1);
        budgets.setDefaultMaxTokens(500);
        budgets.consume(u"new"_s, 1, 1);
        QCOMPARE(budgets.budget(u"old"_s)->maxTokens, 100000);
        QCOMPARE(budgets.budget(u"new"_s)->maxTokens, 500);
    }

    void thresholdsFireOnceEachInOrder()
    {
        BudgetRegistry budgets;
        budgets.setDefaultMaxTokens(1000);
        QVERIFY(budgets.consume(u"t"_s, 700, 0).isEmpty());
        QList<BudgetThreshold> crossed = budgets.consume(u"t"_s, 60, 0);
        QCOMPARE(crossed.size(), 1);
        QCOMPARE(crossed.first().severity, u"warning"_s);
        QCOMPARE(crossed.first().message(), u"Note: 76% of token budget used. 240 tokens remaining."_s);
        QVERIFY(budgets.consume(u"t"_s, 10, 0).isEmpty());
        crossed = budgets.consume(u"t"_s, 200, 0); // 970: critical and final in one call
        QCOMPARE(crossed.size(), 2);
        QCOMPARE(crossed[0].severity, u"critical"_s);
        QCOMPARE(crossed[1].severity, u"final"_s);
        QCOMPARE(crossed[1].message(),
                 u"CRITICAL: 97% of token budget used. Only 30 tokens remaining. Wrap up "
                 "immediately or your next request may fail."_s);
        QVERIFY(budgets.consume(u"t"_s, 10, 0).isEmpty());
    }

    void messagesUseThousandsSeparatorsAndHalfEvenRounding()
    {
        BudgetRegistry budgets;
        budgets.setDefaultMaxTokens(200000);
        const QList<BudgetThreshold> crossed = budgets.consume(u"t"_s, 181000, 0); // 90.5 %
        QCOMPARE(crossed.size(), 2);
        QCOMPARE(crossed[1].message(),
                 u"WARNING: 90% of token budget used. 19,000 tokens remaining. Consider "
                 "wrapping up your current task soon."_s);
    }

    void raisingRearmsThresholdsAboveTheNewPercentage()
    {
        BudgetRegistry budgets;
        budgets.setDefaultMaxTokens(1000);
        QCOMPARE(budgets.consume(u"t"_s, 1000, 0).size(), 3);
        const ThreadBudget raised = budgets.setMaxTokens(u"t"_s, 2000);
        QVERIFY(!raised.isExhausted());
        QCOMPARE(raised.remaining(), 1000);
        const QList<BudgetThreshold> again = budgets.consume(u"t"_s, 600, 0);
        QCOMPARE(again.size(), 1);
        QCOMPARE(again.first().percent, 75);
    }

    void listIsHottestFirstWithTiesInCreationOrder()
    {
        BudgetRegistry budgets;
        budgets.consume(u"t1"_s, 5000, 2000);
        budgets.consume(u"t2"_s, 10000, 5000);
        budgets.consume(u"t3"_s, 5000, 2000);
        const QList<ThreadBudget> list = budgets.budgets();
        QCOMPARE(list.size(), 3);
        QCOMPARE(list[0].threadId, u"t2"_s);
        QCOMPARE(list[0].totalTokens(), 15000);
        QCOMPARE(list[1].threadId, u"t1"_s);
        QCOMPARE(list[2].threadId, u"t3"_s);
        budgets.remove(u"t2"_s);
        QCOMPARE(budgets.count(), 2);
        QVERIFY(!budgets.budget(u"t2"_s));
    }

    void specExampleBudget()
    {
        BudgetRegistry budgets;
        budgets.consume(u"my-thread"_s, 3000, 1500);
        const ThreadBudget budget = *budgets.budget(u"my-thread"_s);
        QCOMPARE(budget.maxTokens, 100000);
        QCOMPARE(budget.totalTokens(), 4500);
        QCOMPARE(budget.remaining(), 95500);
        QCOMPARE(budget.percentUsed(), 4.5);
        QVERIFY(!budget.isExhausted());
    }
};

QTEST_GUILESS_MAIN(TestBudgetRegistry)
#include "tst_budgetregistry.moc"
