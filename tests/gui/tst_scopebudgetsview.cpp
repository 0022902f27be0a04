// The window's agent and organism budgets (Usage page tab) and LLM backends (Agents page): the views
// over their models, the dialog that changes a budget, and what it asks the session to do.

#include "fakesession.h"
#include "llmbackendsview.h"
#include "scopebudgetdialog.h"
#include "scopebudgetmodel.h"
#include "scopebudgetsview.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::FakeSession;

namespace {

ScopeBudget writerBudget()
{
    ScopeBudget budget;
    budget.scope = u"agent:writer"_s;
    budget.agent = u"writer"_s;
    budget.period = BudgetPeriod::Day;
    budget.maxTokens = 1000;
    budget.usedTokens = 1000;
    budget.heldThreads = 1;
    return budget;
}

ScopeBudget organismBudget()
{
    ScopeBudget budget;
    budget.scope = u"organism"_s;
    budget.period = BudgetPeriod::Month;
    budget.maxCost = 50.0;
    budget.usedCost = 10.0;
    return budget;
}

} // namespace

class TestScopeBudgetsView : public QObject
{
    Q_OBJECT

private slots:
    void theDialogAsksForAValidChange()
    {
        ScopeBudgetDialog dialog(writerBudget());
        std::optional<ScopeBudgetChange> change = dialog.change();
        QVERIFY(change);
        QCOMPARE(change->maxTokens, std::optional<qint64>(2000)); // starts at double the limit
        QVERIFY(!change->maxCost && !change->period && !change->reset);

        dialog.setCost(true);
        dialog.setLimit(12.5);
        dialog.setPeriod(BudgetPeriod::Month);
        dialog.setReset(true);
        change = dialog.change();
        QVERIFY(change);
        QCOMPARE(change->maxCost, std::optional<double>(12.5));
        QVERIFY(!change->maxTokens);
        QVERIFY(change->period == BudgetPeriod::Month);
        QVERIFY(change->reset);

        dialog.setCost(false);
        dialog.findChild<QLineEdit *>()->setText(u"0"_s);
        QVERIFY(!dialog.change());
    }

    void changingTheSelectedBudgetGoesToTheSession()
    {
        FakeSession session;
        session.snapshot.scopeBudgets = {organismBudget(), writerBudget()};
        session.open();
        ScopeBudgetsView view;
        view.setSession(&session);
        view.show();
        QCOMPARE(view.table()->model()->rowCount(), 2);
        QCOMPARE(view.selectedScope(), u"organism"_s); // the first is selected
        QVERIFY(view.selectScope(u"agent:writer"_s));
        QPushButton *change = view.findChild<QPushButton *>(u"changeScopeBudgetButton"_s);
        QVERIFY(change && change->isEnabled());

        // The dialog is modal: accept it once it shows, raising the limit tenfold.
        QTimer::singleShot(0, this, [] {
            auto *dialog = qobject_cast<ScopeBudgetDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialog->setLimit(10000);
            dialog->accept();
        });
        change->click();
        QTRY_COMPARE(session.scopeBudgetChanges.size(), 1);
        QCOMPARE(session.scopeBudgetChanges.first().first, u"agent:writer"_s);
        QCOMPARE(session.scopeBudgetChanges.first().second.maxTokens, std::optional<qint64>(10000));

        view.setCommandsEnabled(false);
        QVERIFY(!change->isEnabled());
    }

    void aServerWithoutThemSaysSo()
    {
        FakeSession session;
        session.snapshot.abilities.scopeBudgets = false;
        session.open();
        ScopeBudgetsView view;
        view.setSession(&session);
        QCOMPARE(view.findChild<QLabel *>()->text(), u"This server has no agent or organism budgets."_s);
        QVERIFY(!view.findChild<QPushButton *>(u"changeScopeBudgetButton"_s)->isEnabled());
    }

    void backendsShowWhenThereAreAny()
    {
        FakeSession session;
        session.open();
        QWidget window;
        auto *view = new LlmBackendsView(&window);
        view->setSession(&session);
        window.show();
        QVERIFY(!view->isVisible()); // no backend
        LlmBackendState limited;
        limited.name = u"xai"_s;
        limited.maxConcurrent = 4;
        limited.health = LlmBackendState::Health::RateLimited;
        limited.rateLimitedForSeconds = 30;
        session.replaceLlmBackends({limited});
        QVERIFY(view->isVisible());
        QCOMPARE(view->table()->model()->rowCount(), 1);
        QVERIFY(view->findChild<QLabel *>()->text().startsWith(u"LLM backends — 1 holding"_s));
    }
};

QTEST_MAIN(TestScopeBudgetsView)
#include "tst_scopebudgetsview.moc"
