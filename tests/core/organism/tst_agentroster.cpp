#include "organism/agentroster.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {
AgentInfo agent(const QString &name, const QString &description = {})
{
    AgentInfo info;
    info.name = name;
    info.description = description;
    return info;
}
} // namespace

class TestAgentRoster : public QObject
{
    Q_OBJECT

private slots:
    void keepsRegistrationOrder()
    {
        AgentRoster roster;
        roster.add(agent(u"zeta"_s));
        roster.add(agent(u"alpha"_s));
        roster.add(agent(u"mid"_s));
        QCOMPARE(roster.order(), (QStringList{u"zeta"_s, u"alpha"_s, u"mid"_s}));
        roster.remove(u"alpha"_s);
        QCOMPARE(roster.order(), (QStringList{u"zeta"_s, u"mid"_s}));
        QVERIFY(!roster.contains(u"alpha"_s));
        roster.add(agent(u"alpha"_s));
        QCOMPARE(roster.order().last(), u"alpha"_s);
    }

    void replaceKeepsCountersAndPlace()
    {
        AgentRoster roster;
        roster.add(agent(u"a"_s, u"old"_s));
        roster.add(agent(u"b"_s));
        const QDateTime at = QDateTime::currentDateTimeUtc();
        QVERIFY(roster.noteSent(u"a"_s, at));
        QVERIFY(roster.noteSent(u"a"_s, at));
        QVERIFY(!roster.noteSent(u"nobody"_s, at));
        roster.replace(agent(u"a"_s, u"new"_s));
        const AgentInfo info = roster.snapshot(u"a"_s, {});
        QCOMPARE(info.description, u"new"_s);
        QCOMPARE(info.messageCount, 2);
        QCOMPARE(info.lastActivity, at);
        QCOMPARE(roster.order(), (QStringList{u"a"_s, u"b"_s}));
    }

    void restoresCountersFromTheHistory()
    {
        AgentRoster roster;
        roster.add(agent(u"a"_s));
        roster.add(agent(u"b"_s));
        const QDateTime at = QDateTime::fromString(u"2026-01-02T03:04:05Z"_s, Qt::ISODate);
        roster.restoreCounters({{u"a"_s, {41, at}}, {u"gone"_s, {7, at}}});
        QCOMPARE(roster.snapshot(u"a"_s, {}).messageCount, 41);
        QCOMPARE(roster.snapshot(u"a"_s, {}).lastActivity, at);
        QCOMPARE(roster.snapshot(u"b"_s, {}).messageCount, 0);
    }

    void stateFollowsLoadPauseAndFailure_data()
    {
        QTest::addColumn<int>("queued");
        QTest::addColumn<int>("inFlight");
        QTest::addColumn<bool>("paused");
        QTest::addColumn<bool>("failing");
        QTest::addColumn<int>("state");
        QTest::newRow("idle") << 0 << 0 << false << false << int(AgentState::Idle);
        QTest::newRow("waiting") << 3 << 0 << false << false << int(AgentState::Waiting);
        QTest::newRow("processing") << 3 << 1 << false << false << int(AgentState::Processing);
        QTest::newRow("processing beats a failure") << 0 << 1 << false << true << int(AgentState::Processing);
        QTest::newRow("error") << 2 << 0 << false << true << int(AgentState::Error);
        QTest::newRow("paused beats everything") << 2 << 1 << true << true << int(AgentState::Paused);
    }

    void stateFollowsLoadPauseAndFailure()
    {
        QFETCH(int, queued);
        QFETCH(int, inFlight);
        QFETCH(bool, paused);
        QFETCH(bool, failing);
        QFETCH(int, state);
        AgentRoster roster;
        roster.add(agent(u"a"_s));
        roster.setFailing(u"a"_s, failing);
        const AgentInfo info = roster.snapshot(u"a"_s, AgentLoad{queued, inFlight, paused, u"t1"_s});
        QCOMPARE(int(info.state), state);
        QCOMPARE(info.queueDepth, queued);
        QCOMPARE(info.inFlight, inFlight);
        QCOMPARE(info.currentThread, state == int(AgentState::Processing) ? u"t1"_s : QString());
    }

    void aFailureEndsWhenCleared()
    {
        AgentRoster roster;
        roster.add(agent(u"a"_s));
        roster.setLastError(u"a"_s, u"exit 1"_s);
        roster.setFailing(u"a"_s, true);
        QVERIFY(roster.snapshot(u"a"_s, {}).state == AgentState::Error);
        roster.setFailing(u"a"_s, false);
        QVERIFY(roster.snapshot(u"a"_s, {}).state == AgentState::Idle);
        QCOMPARE(roster.snapshot(u"a"_s, {}).lastError, u"exit 1"_s); // the last error stays on record
    }
};

QTEST_GUILESS_MAIN(TestAgentRoster)
#include "tst_agentroster.moc"
