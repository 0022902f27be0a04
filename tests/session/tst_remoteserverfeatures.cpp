// RemoteServerFeatures: what the window may offer follows from what the server is — agentdesk really
// pauses, kills and stops, the original only changes labels — and from the endpoints it has.

#include "remoteserverfeatures.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

class TestRemoteServerFeatures : public QObject
{
    Q_OBJECT

private slots:
    void theOriginalOnlyPretends()
    {
        RemoteServerFeatures original;
        original.api.known = true;
        original.api.operations = {u"GET /api/v1/usage"_s, u"GET /api/v1/usage/history"_s};
        original.usage = true;
        original.usageHistory = true;
        const ServerAbilities abilities = original.abilities();
        QVERIFY(!abilities.pauseHoldsWork);
        QVERIFY(!abilities.killCancelsWork);
        QVERIFY(!abilities.stopStopsWork);
        QVERIFY(!abilities.setsBudgets);
        QVERIFY(abilities.tracksUsage);
        QVERIFY(!abilities.bucketsUsage);
        QVERIFY(!abilities.filtersUsageOutcome);
        QVERIFY(!abilities.scopeBudgets);
        QVERIFY(!abilities.reportsBackends);
        QVERIFY(!abilities.tracesThreads);
        QVERIFY(!abilities.branchesThreads);
        QVERIFY(!abilities.retriesThreads);
        QVERIFY(!abilities.reportsLoad);
        QVERIFY(!abilities.sharesHistory); // no /history/organisms, no billing scope
    }

    void agentdeskDoesEverythingItDescribes()
    {
        RemoteServerFeatures agentdesk;
        agentdesk.api.known = true;
        agentdesk.api.agentdesk = true;
        agentdesk.api.operations = {
            u"PUT /api/v1/usage/threads/{thread_id}"_s, u"GET /api/v1/usage/timeseries"_s,
            u"PUT /api/v1/usage/budgets/{scope}"_s,     u"GET /api/v1/threads/{thread_id}/timeline"_s,
            u"POST /api/v1/threads/{thread_id}/fork"_s, u"POST /api/v1/threads/{thread_id}/retry"_s,
            u"GET /api/v1/history/organisms"_s,         u"GET /api/v1/usage/billing"_s,
        };
        agentdesk.api.queryNames.insert(u"GET /api/v1/usage/billing"_s, {u"scope"_s});
        agentdesk.usage = agentdesk.threadBudgets = agentdesk.scopeBudgets = agentdesk.backends = true;
        agentdesk.usageHistory = true;
        QCOMPARE(agentdesk.abilities(), ServerAbilities());
    }

    void scopeBudgetsNeedBothTheListAndTheChange()
    {
        RemoteServerFeatures features;
        features.scopeBudgets = true; // GET /usage/budgets answered, but no PUT is described
        QVERIFY(!features.abilities().scopeBudgets);
        features.api.operations.insert(u"PUT /api/v1/usage/budgets/{scope}"_s);
        QVERIFY(features.abilities().scopeBudgets);
        features.scopeBudgets = false;
        QVERIFY(!features.abilities().scopeBudgets);
    }
};

QTEST_GUILESS_MAIN(TestRemoteServerFeatures)
#include "tst_remoteserverfeatures.moc"
