#include "usage/budgetgate.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

BudgetGate::Estimate call(qint64 optimistic, qint64 conservative, const QString &agent = u"writer"_s)
{
    BudgetGate::Estimate estimate;
    estimate.agent = agent;
    estimate.threadId = u"t"_s;
    estimate.promptTokens = optimistic; // no reply tokens in these cases: the prompt is the estimate
    estimate.optimisticTokens = optimistic;
    estimate.conservativeTokens = conservative;
    return estimate;
}

QString kindOf(const BudgetGate::Admission &admission)
{
    switch (admission.kind) {
    case BudgetGate::Admission::Kind::Granted:
        return u"granted"_s;
    case BudgetGate::Admission::Kind::Wait:
        return u"wait"_s;
    case BudgetGate::Admission::Kind::Held:
        return u"held"_s;
    }
    return {};
}

} // namespace

// Reserve before a call, settle after: one optimistic reservation at a time, the others conservative,
// a call that does not fit beside the others waits, an exhausted budget holds.
class TestBudgetGate : public QObject
{
    Q_OBJECT

private slots:
    void aLoneCallReservesTheUsualEstimate()
    {
        BudgetRegistry threads;
        threads.setDefaultMaxTokens(1000);
        ScopeBudgets scopes;
        BudgetGate gate(threads, scopes);
        const BudgetGate::Admission first = gate.admit(call(600, 3000)); // the bound alone would not fit
        QCOMPARE(kindOf(first), u"granted"_s);
        QCOMPARE(threads.budget(u"t"_s)->reservedTokens, 600);
        // A second call at once must fit with its upper bound beside the first.
        QCOMPARE(kindOf(gate.admit(call(100, 450))), u"wait"_s);
        const BudgetGate::Admission second = gate.admit(call(100, 400));
        QCOMPARE(kindOf(second), u"granted"_s);
        QCOMPARE(threads.budget(u"t"_s)->reservedTokens, 1000);

        // Settling: the first spent 700 (100 over its estimate), what it reserved is free again.
        threads.consume(u"t"_s, 650, 50);
        gate.charge(first.reservation, 700, std::nullopt);
        QCOMPARE(threads.budget(u"t"_s)->reservedTokens, 400);
        gate.release(first.reservation);
        QCOMPARE(threads.budget(u"t"_s)->reservedTokens, 400);
        // 700 spent + 400 reserved: a new optimistic call needs room for its estimate.
        QCOMPARE(kindOf(gate.admit(call(250, 250))), u"wait"_s);
        gate.release(second.reservation);
        QCOMPARE(threads.budget(u"t"_s)->reservedTokens, 0);
        QCOMPARE(kindOf(gate.admit(call(300, 900))), u"granted"_s);
    }

    // A call alone goes whenever the budget is not exhausted, even when max_tokens is more than is
    // left; nothing else is admitted beside it.
    void aCallAloneGoesEvenWhenItsReplyMightNotFit()
    {
        BudgetRegistry threads;
        threads.setDefaultMaxTokens(1000);
        ScopeBudgets scopes;
        BudgetGate gate(threads, scopes);
        BudgetGate::Estimate big = call(4296, 4500);
        big.promptTokens = 200; // 200 prompt + 4096 max_tokens
        QCOMPARE(kindOf(gate.admit(big)), u"granted"_s);
        QCOMPARE(kindOf(gate.admit(call(100, 100))), u"wait"_s);
    }

    void anExhaustedBudgetHoldsWithTheOriginalWords()
    {
        BudgetRegistry threads;
        threads.setDefaultMaxTokens(1000);
        ScopeBudgets scopes;
        BudgetGate gate(threads, scopes);
        threads.consume(u"t"_s, 800, 0);
        const BudgetGate::Admission held = gate.admit(call(201, 201));
        QCOMPARE(kindOf(held), u"held"_s);
        QCOMPARE(held.scope, u"thread"_s);
        QCOMPARE(held.reason, u"Thread t... budget exhausted: 800/1000 tokens used"_s);
    }

    // Held by the estimate before anything is spent: the budget says exhausted (the next call does not
    // fit) at 0 % used, until a call of the thread is admitted again.
    void aCallHeldBeforeAnySpendingShowsTheBudgetExhausted()
    {
        BudgetRegistry threads;
        threads.setDefaultMaxTokens(200);
        ScopeBudgets scopes;
        BudgetGate gate(threads, scopes);
        QCOMPARE(kindOf(gate.admit(call(523, 600))), u"held"_s);
        ThreadBudget budget = *threads.budget(u"t"_s);
        QCOMPARE(budget.totalTokens(), 0);
        QCOMPARE(budget.heldCallTokens, 523);
        QVERIFY(budget.isExhausted());
        QCOMPARE(budget.percentUsed(), 0.0);
        QCOMPARE(budget.remaining(), 200);

        threads.setMaxTokens(u"t"_s, 500); // still too small for the held call
        QVERIFY(threads.budget(u"t"_s)->isExhausted());
        threads.setMaxTokens(u"t"_s, 10000);
        QVERIFY(!threads.budget(u"t"_s)->isExhausted());
        QCOMPARE(kindOf(gate.admit(call(523, 600))), u"granted"_s);
        budget = *threads.budget(u"t"_s);
        QCOMPARE(budget.heldCallTokens, 0);
        QVERIFY(!budget.isExhausted());
    }

    void agentAndOrganismBudgetsAdmitToo()
    {
        BudgetRegistry threads;
        ScopeBudgets scopes;
        BudgetsConfig config;
        ScopeBudgetConfig writer;
        writer.maxTokens = 1000;
        writer.period = BudgetPeriod::Day;
        config.agents.insert(u"writer"_s, writer);
        ScopeBudgetConfig organism;
        organism.maxCost = 1.0;
        config.organism = organism;
        scopes.configure(config, QDateTime::currentDateTimeUtc());
        BudgetGate gate(threads, scopes);

        scopes.record(u"writer"_s, 900, 0.5);
        const BudgetGate::Admission held = gate.admit(call(200, 200));
        QCOMPARE(kindOf(held), u"held"_s);
        QCOMPARE(held.scope, u"agent:writer"_s);
        QVERIFY2(held.reason.startsWith(u"Agent writer budget exhausted today (UTC): 900/1000 tokens"_s),
                 qPrintable(held.reason));
        // Another agent spends from the organism's budget only, in USD.
        BudgetGate::Estimate other = call(200, 200, u"critic"_s);
        other.promptCost = 0.6;
        other.optimisticCost = 0.6;
        other.conservativeCost = 0.6;
        const BudgetGate::Admission costly = gate.admit(other);
        QCOMPARE(kindOf(costly), u"held"_s);
        QCOMPARE(held.scope, u"agent:writer"_s);
        QCOMPARE(costly.scope, u"organism"_s);
        other.promptCost = 0.4;
        other.optimisticCost = 0.4;
        other.conservativeCost = 0.4;
        const BudgetGate::Admission fits = gate.admit(other);
        QCOMPARE(kindOf(fits), u"granted"_s);
        QCOMPARE(scopes.budget(u"organism"_s)->reserved, 0.4);
        gate.release(fits.reservation);
        QCOMPARE(scopes.budget(u"organism"_s)->reserved, 0.0);
    }

    void aRetryReservesTheEstimateAgain()
    {
        BudgetRegistry threads;
        threads.setDefaultMaxTokens(1000);
        ScopeBudgets scopes;
        BudgetGate gate(threads, scopes);
        const BudgetGate::Admission admitted = gate.admit(call(400, 400));
        threads.consume(u"t"_s, 400, 0); // an unusable reply, billed
        gate.charge(admitted.reservation, 400, std::nullopt);
        QVERIFY(gate.renew(admitted.reservation)); // 400 spent + 400 again fits in 1000
        threads.consume(u"t"_s, 400, 0);
        gate.charge(admitted.reservation, 400, std::nullopt);
        QVERIFY(!gate.renew(admitted.reservation)); // 800 spent: no room for another 400
        gate.release(admitted.reservation);
        QCOMPARE(threads.budget(u"t"_s)->reservedTokens, 0);
    }

    void aFinishedThreadsReservationLeavesNoBudgetBehind()
    {
        BudgetRegistry threads;
        ScopeBudgets scopes;
        BudgetGate gate(threads, scopes);
        const BudgetGate::Admission admitted = gate.admit(call(100, 100));
        threads.remove(u"t"_s);
        gate.charge(admitted.reservation, 50, std::nullopt);
        gate.release(admitted.reservation);
        QVERIFY(!threads.contains(u"t"_s));
    }
};

QTEST_GUILESS_MAIN(TestBudgetGate)
#include "tst_budgetgate.moc"
