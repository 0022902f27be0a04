// What the thread list says a thread spent: the larger of its budget's snapshot and its own usage events
// (either may lag), as a share of the limit last seen or of the organism's default, and in words when
// no limit is known.

#include "modelformat.h"
#include "threadspending.h"

#include "domain/usage.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

ThreadBudget budget(qint64 maxTokens, qint64 prompt, qint64 completion)
{
    return ThreadBudget{u"t"_s, maxTokens, prompt, completion, 1};
}

} // namespace

class TestThreadSpending : public QObject
{
    Q_OBJECT

private slots:
    void theLargerCountIsWhatWasSpent()
    {
        ThreadSpending spending;
        spending.takeBudget(budget(1000, 300, 100));
        QCOMPARE(spending.tokens(), 400);
        spending.addUsage(350); // the events lag behind the snapshot
        QCOMPARE(spending.tokens(), 400);
        spending.addUsage(150); // now they are ahead (the snapshot that counts them has not come)
        QCOMPARE(spending.tokens(), 500);
        spending.takeBudget(budget(1000, 100, 0)); // a snapshot never takes back what was spent
        QCOMPARE(spending.tokens(), 500);
    }

    void usageEventsCountPromptAndCompletion()
    {
        UsageEvent event;
        event.promptTokens = 400;
        event.completionTokens = 69;
        event.totalTokens = 999; // not what the budget counts
        QCOMPARE(ThreadSpending::tokensOf(event), 469);
        event.completionTokens = -5;
        QCOMPARE(ThreadSpending::tokensOf(event), 400);
    }

    void percentOfTheLimitOrTheDefault()
    {
        ThreadSpending spending;
        QVERIFY(!spending.percent(1000)); // nothing spent, no limit seen: unknown
        spending.addUsage(469);
        QCOMPARE(*spending.percent(100000), 0.469);
        QVERIFY(!spending.percent(0));
        spending.takeBudget(budget(2000, 469, 0));
        QCOMPARE(*spending.percent(100000), 469.0 / 2000.0 * 100.0); // the thread's own limit wins
        spending.takeBudget(budget(0, 469, 0));                      // a snapshot without a limit keeps the one seen
        QCOMPARE(spending.maxTokens(), std::optional<qint64>(2000));
    }

    void textsForTheColumn()
    {
        ThreadSpending spending;
        QCOMPARE(spending.text(0), QString());
        QCOMPARE(spending.toolTip(0), u"No LLM call seen for this thread"_s);
        spending.addUsage(1200);
        QCOMPARE(spending.text(0), u"%1 tokens"_s.arg(modelformat::count(1200)));
        QCOMPARE(
            spending.toolTip(0),
            u"%1 tokens; the thread's budget ended before the window saw its limit"_s.arg(modelformat::count(1200)));
        QCOMPARE(spending.text(10000), modelformat::percent(12.0));
        QCOMPARE(spending.toolTip(10000),
                 u"%1 of %2 tokens"_s.arg(modelformat::count(1200), modelformat::count(10000)));
        spending.takeBudget(budget(4800, 1200, 0));
        QCOMPARE(spending.text(10000), modelformat::percent(25.0));
        QCOMPARE(spending.toolTip(10000), u"%1 of %2 tokens"_s.arg(modelformat::count(1200), modelformat::count(4800)));
    }
};

QTEST_GUILESS_MAIN(TestThreadSpending)
#include "tst_threadspending.moc"
