// Costs are shown honestly: an unknown price reads "unpriced" (the offline demo provider "demo"), never
// $0; a cost that leaves some calls out is a lower bound ("≥ $x"); a row without LLM calls shows none;
// demo models are labelled.

#include "costdisplayproxy.h"
#include "fakesession.h"
#include "providerdirectory.h"
#include "usagebymodelmodel.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::FakeSession;

namespace {

UsageCounters counters(const QString &key, qint64 requests, qint64 unpriced, double cost)
{
    UsageCounters c;
    c.key = key;
    c.requestCount = requests;
    c.unpricedRequests = unpriced;
    c.totalCost = cost;
    c.totalTokens = requests * 100;
    return c;
}

} // namespace

class TestCostDisplayProxy : public QObject
{
    Q_OBJECT

private slots:
    void costText_data()
    {
        QTest::addColumn<qint64>("requests");
        QTest::addColumn<qint64>("unpriced");
        QTest::addColumn<double>("cost");
        QTest::addColumn<bool>("demo");
        QTest::addColumn<QString>("text");
        QTest::newRow("priced") << qint64(3) << qint64(0) << 0.0123 << false << u"$0.0123"_s;
        QTest::newRow("priced, free") << qint64(3) << qint64(0) << 0.0 << false << u"$0.0000"_s;
        QTest::newRow("partly priced") << qint64(3) << qint64(1) << 0.01 << false << u"≥ $0.0100"_s;
        QTest::newRow("unpriced") << qint64(3) << qint64(3) << 0.0 << false << u"unpriced"_s;
        // The demo has no price: no word in a money column (its model says "(demo)" in the key column).
        QTest::newRow("demo") << qint64(3) << qint64(3) << 0.0 << true << u"—"_s;
        QTest::newRow("no calls") << qint64(0) << qint64(0) << 0.0 << false << QString();
    }
    void costText()
    {
        QFETCH(qint64, requests);
        QFETCH(qint64, unpriced);
        QFETCH(double, cost);
        QFETCH(bool, demo);
        QFETCH(QString, text);
        QLocale::setDefault(QLocale::c());
        QCOMPARE(CostDisplayProxy::costText(counters(u"m"_s, requests, unpriced, cost), demo), text);
    }

    void rewritesTheUsageTable()
    {
        QLocale::setDefault(QLocale::c());
        FakeSession session;
        session.snapshot.usage.byModel = {counters(u"gpt-4o"_s, 2, 0, 0.5), counters(u"demo-1"_s, 4, 4, 0),
                                          counters(u"llama3"_s, 1, 1, 0)};
        session.open();
        UsageByModelModel source(&session);
        ProviderDirectory providers;
        providers.setSession(&session);
        providers.setKnownModels({{u"demo-1"_s, u"demo"_s}});
        CostDisplayProxy proxy(CostDisplayProxy::Keys::Models, UsageCountersModel::KeyColumn,
                               UsageCountersModel::KeyRole, UsageCountersModel::CostColumn);
        proxy.setSourceModel(&source);
        proxy.setSession(&session);
        proxy.setProviders(&providers);
        const auto cell = [&](int row, int column) { return proxy.index(row, column).data().toString(); };
        QCOMPARE(cell(0, UsageCountersModel::KeyColumn), u"gpt-4o"_s);
        QCOMPARE(cell(0, UsageCountersModel::CostColumn), u"$0.5000"_s);
        QCOMPARE(cell(1, UsageCountersModel::KeyColumn), u"demo-1 (demo)"_s);
        QCOMPARE(cell(1, UsageCountersModel::CostColumn), u"—"_s);
        QCOMPARE(cell(2, UsageCountersModel::CostColumn), u"unpriced"_s);
        QVERIFY(!proxy.index(2, UsageCountersModel::CostColumn).data(Qt::ToolTipRole).toString().isEmpty());
        QCOMPARE(cell(2, UsageCountersModel::TokensColumn), u"100"_s); // other cells pass through

        // A provider learned from the calls themselves.
        UsageEvent event;
        event.model = u"llama3"_s;
        event.provider = u"demo"_s;
        emit session.usageRecorded({event});
        QCOMPARE(cell(2, UsageCountersModel::KeyColumn), u"llama3 (demo)"_s);
        QCOMPARE(cell(2, UsageCountersModel::CostColumn), u"—"_s);
    }
};

QTEST_MAIN(TestCostDisplayProxy)
#include "tst_costdisplayproxy.moc"
