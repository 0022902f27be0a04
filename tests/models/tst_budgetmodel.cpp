// BudgetModel: rows from the session's budget list keeping their place (new ones appended in one
// insert, ended ones removed per run, changes as coalesced dataChanged), and the 75/90/95 % marks,
// severity and exhaustion as roles.

#include "budgetmodel.h"
#include "fakesession.h"
#include "modelspies.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

ThreadBudget budget(const QString &thread, qint64 used, qint64 max = 1000)
{
    return ThreadBudget{thread, max, used, 0, 1};
}

QStringList threads(const QAbstractItemModel &model)
{
    return columnTexts(model, BudgetModel::ThreadColumn);
}

} // namespace

class TestBudgetModel : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        session.emplace();
        session->snapshot.budgets = {budget(u"a"_s, 500), budget(u"b"_s, 300), budget(u"c"_s, 200), budget(u"d"_s, 100),
                                     budget(u"e"_s, 0)};
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

    void startsWithTheSnapshot()
    {
        QCOMPARE(threads(*model), (QStringList{u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s}));
        QCOMPARE(model->rowOf(u"c"_s), 2);
        QCOMPARE(model->index(0, BudgetModel::UsedColumn).data(BudgetModel::RawValueRole).toLongLong(), 500);
        QCOMPARE(model->index(0, BudgetModel::MaxColumn).data(BudgetModel::RawValueRole).toLongLong(), 1000);
        QCOMPARE(model->index(0, BudgetModel::PercentColumn).data(BudgetModel::PercentRole).toDouble(), 50.0);
    }

    void changesKeepRowsInPlace()
    {
        QSignalSpy removed(&*model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&*model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&*model, &QAbstractItemModel::dataChanged);
        // b, c and e ended; a spent more; f and g are new. The snapshot comes hottest first.
        session->replaceBudgets({budget(u"a"_s, 800), budget(u"g"_s, 400), budget(u"d"_s, 100), budget(u"f"_s, 50)});
        QCOMPARE(rowRanges(removed), (QStringList{u"4,4"_s, u"1,2"_s})); // from the bottom up, one per run
        QCOMPARE(changedRanges(changed),
                 QStringList{u"0,%1-0,%2 [%3]"_s.arg(BudgetModel::UsedColumn)
                                 .arg(BudgetModel::PercentColumn)
                                 .arg(rolesText({Qt::DisplayRole, BudgetModel::RawValueRole, BudgetModel::PercentRole,
                                                 BudgetModel::WarningReachedRole, BudgetModel::CriticalReachedRole,
                                                 BudgetModel::FinalReachedRole, BudgetModel::SeverityRole}))});
        QCOMPARE(rowRanges(inserted), QStringList{u"2,3"_s});
        QCOMPARE(threads(*model), (QStringList{u"a"_s, u"d"_s, u"g"_s, u"f"_s}));
    }

    void marksAsRoles_data()
    {
        QTest::addColumn<qint64>("used");
        QTest::addColumn<bool>("warning");
        QTest::addColumn<bool>("critical");
        QTest::addColumn<bool>("final");
        QTest::addColumn<bool>("exhausted");
        QTest::addColumn<QString>("severity");
        QTest::newRow("under every mark") << qint64(749) << false << false << false << false << QString();
        QTest::newRow("at 75 %") << qint64(750) << true << false << false << false << u"warning"_s;
        QTest::newRow("at 90 %") << qint64(900) << true << true << false << false << u"critical"_s;
        QTest::newRow("just under 95 %") << qint64(949) << true << true << false << false << u"critical"_s;
        QTest::newRow("at 95 %") << qint64(950) << true << true << true << false << u"final"_s;
        QTest::newRow("spent") << qint64(1000) << true << true << true << true << u"exhausted"_s;
        QTest::newRow("overspent") << qint64(1200) << true << true << true << true << u"exhausted"_s;
    }
    void marksAsRoles()
    {
        QFETCH(qint64, used);
        QFETCH(bool, warning);
        QFETCH(bool, critical);
        QFETCH(bool, final);
        QFETCH(bool, exhausted);
        QFETCH(QString, severity);
        session->replaceBudgets({budget(u"a"_s, used)});
        const QModelIndex percent = model->index(0, BudgetModel::PercentColumn);
        QCOMPARE(percent.data(BudgetModel::WarningReachedRole).toBool(), warning);
        QCOMPARE(percent.data(BudgetModel::CriticalReachedRole).toBool(), critical);
        QCOMPARE(percent.data(BudgetModel::FinalReachedRole).toBool(), final);
        QCOMPARE(percent.data(BudgetModel::SeverityRole).toString(), severity);
        QCOMPARE(percent.data(BudgetModel::ThresholdsRole).toList(), (QVariantList{75, 90, 95}));
        const QModelIndex held = model->index(0, BudgetModel::ExhaustedColumn);
        QCOMPARE(held.data(BudgetModel::ExhaustedRole).toBool(), exhausted);
        QCOMPARE(held.data(BudgetModel::RawValueRole).toBool(), exhausted);
        QCOMPARE(held.data().toString().isEmpty(), !exhausted);
    }

private:
    std::optional<FakeSession> session;
    std::optional<BudgetModel> model;
    std::optional<QAbstractItemModelTester> tester;
};

QTEST_GUILESS_MAIN(TestBudgetModel)
#include "tst_budgetmodel.moc"
