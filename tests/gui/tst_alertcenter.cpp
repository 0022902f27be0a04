// AlertCenter decides what becomes a desktop notification: a thread passing 90 % or 95 % of its budget
// or held at exhaustion, and an agent entering `error` — once per entry, not on every update while it
// stays there. Warnings at 75 % and raised budgets are not worth a notification.

#include "alertcenter.h"
#include "fakesession.h"
#include "organism.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::FakeSession;

namespace {

BudgetEvent budgetEvent(const QString &kind, qint64 used)
{
    BudgetEvent event;
    event.threadId = u"01a2420b-87cc-7081-81fb-282da7ed13b1"_s;
    event.agent = u"writer"_s;
    parseBudgetEventKind(kind, &event.kind);
    event.budget.threadId = event.threadId;
    event.budget.maxTokens = 1000;
    event.budget.promptTokens = used;
    event.timestamp = QDateTime::currentDateTimeUtc();
    return event;
}

AgentInfo agent(const QString &name, AgentState state, const QString &error = {})
{
    AgentInfo info;
    info.name = name;
    info.state = state;
    info.lastError = error;
    return info;
}

QStringList titles(const QSignalSpy &spy)
{
    QStringList out;
    for (const QList<QVariant> &arguments : spy)
        out << arguments.first().value<Alert>().title;
    return out;
}

} // namespace

class TestAlertCenter : public QObject
{
    Q_OBJECT

private slots:
    void budgetAlerts_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("title"); // empty: no alert
        QTest::newRow("warning (75 %)") << u"warning"_s << QString();
        QTest::newRow("critical (90 %)") << u"critical"_s << u"Thread 7ed13b1 passed 90 % of its budget"_s;
        QTest::newRow("final (95 %)") << u"final"_s << u"Thread 7ed13b1 passed 95 % of its budget"_s;
        QTest::newRow("exhausted") << u"exhausted"_s << u"Thread 7ed13b1 is held: budget exhausted"_s;
        QTest::newRow("raised") << u"raised"_s << QString();
    }
    void budgetAlerts()
    {
        QFETCH(QString, kind);
        QFETCH(QString, title);
        FakeSession session;
        session.open();
        AlertCenter alerts;
        alerts.setSession(&session);
        QSignalSpy raised(&alerts, &AlertCenter::alertRaised);
        emit session.budgetEvents({budgetEvent(kind, 960)});
        QCOMPARE(titles(raised), title.isEmpty() ? QStringList() : QStringList{title});
        if (!title.isEmpty()) {
            const Alert alert = raised.first().first().value<Alert>();
            QCOMPARE(alert.threadId, u"01a2420b-87cc-7081-81fb-282da7ed13b1"_s);
            QVERIFY2(alert.text.startsWith(u"960 of 1,000 tokens used"_s), qPrintable(alert.text));
            QCOMPARE(alerts.recent().size(), 1);
        }
    }

    // An agent's or the organism's budget: the same thresholds as a thread's, its amounts in its unit,
    // and exhaustion told once until it is raised (every call it holds reports it again).
    void scopeBudgetAlerts()
    {
        FakeSession session;
        session.open();
        AlertCenter alerts;
        alerts.setSession(&session);
        QSignalSpy raised(&alerts, &AlertCenter::alertRaised);
        ScopeBudget organism;
        organism.scope = u"organism"_s;
        organism.period = BudgetPeriod::Month;
        organism.maxCost = 50.0;
        organism.usedCost = 47.5;
        const auto event = [&](const QString &kind, const ScopeBudget &budget) {
            BudgetEvent scoped = budgetEvent(kind, 0);
            scoped.scope = budget.scope;
            scoped.scopeBudget = budget;
            return scoped;
        };
        emit session.budgetEvents({event(u"warning"_s, organism), event(u"final"_s, organism)});
        QCOMPARE(titles(raised), QStringList{u"The organism's budget passed 95 %"_s});
        QCOMPARE(raised.last().first().value<Alert>().text, u"$47.50 of $50.00 used, counted per month (UTC)"_s);

        ScopeBudget writer;
        writer.scope = u"agent:writer"_s;
        writer.agent = u"writer"_s;
        writer.period = BudgetPeriod::Day;
        writer.maxTokens = 1000;
        writer.usedTokens = 1000;
        emit session.budgetEvents({event(u"exhausted"_s, writer), event(u"exhausted"_s, writer)});
        QCOMPARE(raised.size(), 2);
        QCOMPARE(raised.last().first().value<Alert>().title, u"Agent writer's budget is used up: its calls are held"_s);
        QVERIFY(raised.last().first().value<Alert>().text.endsWith(u"Raise or reset it on the Usage page."_s));
        emit session.budgetEvents({event(u"raised"_s, writer), event(u"exhausted"_s, writer)});
        QCOMPARE(raised.size(), 3); // raised, then used up again
    }

    void anAgentEnteringErrorOnce()
    {
        FakeSession session;
        session.snapshot.agents = {agent(u"greeter"_s, AgentState::Idle),
                                   agent(u"broken"_s, AgentState::Error, u"old"_s)};
        session.open();
        AlertCenter alerts;
        alerts.setSession(&session);
        QSignalSpy raised(&alerts, &AlertCenter::alertRaised);

        session.applyAgentChanges({agent(u"greeter"_s, AgentState::Processing)});
        QVERIFY(raised.isEmpty());
        session.applyAgentChanges({agent(u"greeter"_s, AgentState::Error, u"handler timed out after 30 s"_s)});
        QCOMPARE(titles(raised), QStringList{u"Agent greeter failed"_s});
        QCOMPARE(raised.first().first().value<Alert>().text, u"handler timed out after 30 s"_s);

        // Still in error (another update): no second alert. An agent already failed at connect: none.
        session.applyAgentChanges(
            {agent(u"greeter"_s, AgentState::Error, u"again"_s), agent(u"broken"_s, AgentState::Error, u"still"_s)});
        QCOMPARE(raised.size(), 1);

        // Recovered, then failed again: a new alert.
        session.applyAgentChanges({agent(u"greeter"_s, AgentState::Idle)});
        session.applyAgentChanges({agent(u"greeter"_s, AgentState::Error)});
        QCOMPARE(raised.size(), 2);
        QCOMPARE(raised.last().first().value<Alert>().text, u"It is in the error state."_s);
    }

    void followsTheSessionItIsGiven()
    {
        FakeSession first;
        FakeSession second;
        first.open();
        second.open();
        AlertCenter alerts;
        alerts.setSession(&first);
        alerts.setSession(&second);
        QSignalSpy raised(&alerts, &AlertCenter::alertRaised);
        emit first.budgetEvents({budgetEvent(u"exhausted"_s, 1000)});
        QVERIFY(raised.isEmpty());
        emit second.budgetEvents({budgetEvent(u"exhausted"_s, 1000)});
        QCOMPARE(raised.size(), 1);
    }

    void staysSilentWithoutATray()
    {
        // Offscreen there is no system tray: the notifier says so and showing an alert does nothing.
        TrayNotifier tray;
        QVERIFY(!tray.isAvailable());
        tray.show(Alert{});
    }
};

QTEST_MAIN(TestAlertCenter)
#include "tst_alertcenter.moc"
