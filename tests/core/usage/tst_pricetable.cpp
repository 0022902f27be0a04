#include "usage/pricetable.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

class TestPriceTable : public QObject
{
    Q_OBJECT

private slots:
    void originalCostCases_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<qint64>("prompt");
        QTest::addColumn<qint64>("completion");
        QTest::addColumn<double>("cost");
        QTest::newRow("grok-4.1 1M+1M") << u"grok-4.1"_s << qint64(1000000) << qint64(1000000) << 18.0;
        QTest::newRow("claude-opus-4 1M+1M") << u"claude-opus-4-20250514"_s << qint64(1000000) << qint64(1000000) << 90.0;
        QTest::newRow("gpt-4o 1M+1M") << u"gpt-4o"_s << qint64(1000000) << qint64(1000000) << 12.5;
        QTest::newRow("gpt-4o-mini is the longer prefix") << u"gpt-4o-mini"_s << qint64(1000) << qint64(500) << 0.00045;
        QTest::newRow("grok-3-mini-beta matches grok-3") << u"grok-3-mini-beta"_s << qint64(1000000) << qint64(0) << 3.0;
        QTest::newRow("case-insensitive") << u"GPT-4o"_s << qint64(1000000) << qint64(0) << 2.5;
        QTest::newRow("100+50 on grok-4.1") << u"grok-4.1"_s << qint64(100) << qint64(50) << 0.00105;
        QTest::newRow("rounded to 6 decimals") << u"o3-mini"_s << qint64(1) << qint64(1) << 0.000006;
    }
    void originalCostCases()
    {
        QFETCH(QString, model);
        QFETCH(qint64, prompt);
        QFETCH(qint64, completion);
        QFETCH(double, cost);
        const std::optional<double> actual = PriceTable().cost(model, prompt, completion);
        QVERIFY(actual);
        QCOMPARE(*actual, cost);
    }

    void unknownModelsHaveNoPrice_data()
    {
        QTest::addColumn<QString>("model");
        QTest::newRow("unknown") << u"unknown-model"_s;
        QTest::newRow("claude-3-5-sonnet is not claude-sonnet-3-5") << u"claude-3-5-sonnet-20241022"_s;
        QTest::newRow("grok-4 without .1") << u"grok-4-0709"_s;
        QTest::newRow("demo") << u"demo-1"_s;
    }
    void unknownModelsHaveNoPrice()
    {
        QFETCH(QString, model);
        QVERIFY(!PriceTable().cost(model, 1000, 1000));
    }

    void overridesReplaceAndExtendTheTable()
    {
        QMap<QString, ModelPrice> overrides;
        overrides.insert(u"gpt-4o"_s, ModelPrice{5.0, 20.0, 1.25});
        overrides.insert(u"Llama-3"_s, ModelPrice{0.1, 0.2, std::nullopt});
        const PriceTable table = PriceTable::withOverrides(overrides);
        QCOMPARE(*table.cost(u"gpt-4o"_s, 1000000, 0), 5.0);
        QCOMPARE(*table.cost(u"llama-3-70b"_s, 1000000, 1000000), 0.3);
        QCOMPARE(*table.cost(u"grok-4.1"_s, 1000000, 1000000), 18.0);
        // 400k cached of 1M prompt tokens: 600k at 5.0 + 400k at 1.25
        QCOMPARE(*table.cost(u"gpt-4o"_s, 1000000, 0, 400000), 3.5);
        // Without a cached price the cached tokens cost the full prompt price.
        QCOMPARE(*table.cost(u"grok-4.1"_s, 1000000, 0, 400000), 3.0);
    }
};

QTEST_GUILESS_MAIN(TestPriceTable)
#include "tst_pricetable.moc"
