// ScopeBudgetModel: the agent and organism budgets from the session, their amounts in tokens or USD,
// the gauge roles, values changing in place and a reset when the set of budgets changes.

#include "fakesession.h"
#include "modelspies.h"
#include "scopebudgetmodel.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

ScopeBudget organism(double used, double limit)
{
    ScopeBudget budget;
    budget.scope = u"organism"_s;
    budget.period = BudgetPeriod::Month;
    budget.maxCost = limit;
    budget.usedCost = used;
    budget.usedTokens = 123456;
    budget.periodEnd = QDateTime(QDate(2026, 4, 1), QTime(0, 0), Qt::UTC);
    return budget;
}

ScopeBudget agent(const QString &name, qint64 used, qint64 limit)
{
    ScopeBudget budget;
    budget.scope = u"agent:"_s + name;
    budget.agent = name;
    budget.period = BudgetPeriod::Day;
    budget.maxTokens = limit;
    budget.usedTokens = used;
    return budget;
}

} // namespace

class TestScopeBudgetModel : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        session.emplace();
        session->snapshot.scopeBudgets = {organism(12.5, 50.0), agent(u"writer"_s, 760, 1000)};
        session->open();
        model.emplace(&*session);
        tester.emplace(&*model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    }
    void cleanup()
    {
        tester.reset();
        model.reset();
        session.reset();
    }

    void showsEachBudgetInItsUnit()
    {
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(columnTexts(*model, ScopeBudgetModel::ScopeColumn), (QStringList{u"Organism"_s, u"Agent writer"_s}));
        QCOMPARE(model->index(0, ScopeBudgetModel::UsedColumn).data().toString(), u"$12.50"_s);
        QCOMPARE(model->index(0, ScopeBudgetModel::LimitColumn).data().toString(), u"$50.00"_s);
        QCOMPARE(model->index(0, ScopeBudgetModel::PeriodColumn).data().toString(), u"month (UTC)"_s);
        QCOMPARE(model->index(1, ScopeBudgetModel::UsedColumn).data().toString(), u"760 tokens"_s);
        QCOMPARE(model->index(1, ScopeBudgetModel::LimitColumn).data().toString(), u"1,000 tokens"_s);
        QCOMPARE(model->index(1, ScopeBudgetModel::PeriodEndColumn).data().toString(), u"never"_s);
        QCOMPARE(model->index(1, ScopeBudgetModel::PercentColumn).data(ScopeBudgetModel::PercentRole).toDouble(), 76.0);
        QCOMPARE(model->index(1, ScopeBudgetModel::PercentColumn).data(ScopeBudgetModel::SeverityRole).toString(),
                 u"warning"_s);
        QCOMPARE(model->index(1, ScopeBudgetModel::ScopeColumn).data(ScopeBudgetModel::ScopeRole).toString(),
                 u"agent:writer"_s);
        QCOMPARE(model->rowOf(u"organism"_s), 0);
        QCOMPARE(model->rowOf(u"agent:critic"_s), -1);
        QVERIFY(model->index(1, ScopeBudgetModel::HeldColumn).data().toString().isEmpty());
    }

    void usageChangesCellsInPlace()
    {
        QSignalSpy reset(&*model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&*model, &QAbstractItemModel::dataChanged);
        ScopeBudget exhausted = agent(u"writer"_s, 1000, 1000);
        exhausted.heldThreads = 2;
        session->replaceScopeBudgets({organism(12.5, 50.0), exhausted});
        QCOMPARE(reset.size(), 0);
        QCOMPARE(changed.size(), 1);
        const QStringList ranges = changedRanges(changed);
        QVERIFY2(ranges.first().startsWith(
                     u"1,%1-1,%2 "_s.arg(ScopeBudgetModel::UsedColumn).arg(ScopeBudgetModel::HeldColumn)),
                 qPrintable(ranges.first()));
        QCOMPARE(model->index(1, ScopeBudgetModel::PercentColumn).data(ScopeBudgetModel::ExhaustedRole).toBool(), true);
        QCOMPARE(model->index(1, ScopeBudgetModel::PercentColumn).data(ScopeBudgetModel::SeverityRole).toString(),
                 u"exhausted"_s);
        QVERIFY(model->index(1, ScopeBudgetModel::HeldColumn).data().toString().startsWith(u"2 thread"_s));

        // The same number in another unit is a change too.
        ScopeBudget inDollars = exhausted;
        inDollars.maxTokens.reset();
        inDollars.maxCost = 1000.0;
        inDollars.usedCost = 1000.0;
        session->replaceScopeBudgets({organism(12.5, 50.0), inDollars});
        QCOMPARE(model->index(1, ScopeBudgetModel::LimitColumn).data().toString(), u"$1,000.00"_s);
    }

    void aNewSetOfBudgetsResets()
    {
        QSignalSpy reset(&*model, &QAbstractItemModel::modelReset);
        session->replaceScopeBudgets({organism(1, 50.0), agent(u"critic"_s, 0, 10), agent(u"writer"_s, 0, 10)});
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(model->rowOf(u"agent:writer"_s), 2);
    }

    void unpricedCallsAreSaid()
    {
        ScopeBudget withUnpriced = organism(12.5, 50.0);
        withUnpriced.unpricedRequests = 3;
        session->replaceScopeBudgets({withUnpriced, agent(u"writer"_s, 760, 1000)});
        const QString tip = model->index(0, ScopeBudgetModel::UsedColumn).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.startsWith(u"3 call"_s) && tip.endsWith(u"count as $0 here"_s), qPrintable(tip));
    }

private:
    std::optional<FakeSession> session;
    std::optional<ScopeBudgetModel> model;
    std::optional<QAbstractItemModelTester> tester;
};

QTEST_GUILESS_MAIN(TestScopeBudgetModel)
#include "tst_scopebudgetmodel.moc"
