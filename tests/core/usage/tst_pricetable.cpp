#include "config/configloader.h"
#include "usage/pricetable.h"

#include <QDate>

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
        QTest::newRow("claude-opus-4 1M+1M")
            << u"claude-opus-4-20250514"_s << qint64(1000000) << qint64(1000000) << 90.0;
        QTest::newRow("gpt-4o 1M+1M") << u"gpt-4o"_s << qint64(1000000) << qint64(1000000) << 12.5;
        QTest::newRow("gpt-4o-mini is the longer prefix") << u"gpt-4o-mini"_s << qint64(1000) << qint64(500) << 0.00045;
        QTest::newRow("grok-3-beta matches grok-3") << u"grok-3-beta"_s << qint64(1000000) << qint64(0) << 3.0;
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
        QTest::newRow("a local model") << u"llama-3-70b"_s;
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
        overrides.insert(u"gpt-4o"_s, ModelPrice{5.0, 20.0, 1.25, std::nullopt});
        overrides.insert(u"Llama-3"_s, ModelPrice{0.1, 0.2, std::nullopt, std::nullopt});
        const PriceTable table = PriceTable::withOverrides(overrides);
        QCOMPARE(*table.cost(u"gpt-4o"_s, 1000000, 0), 5.0);
        QCOMPARE(*table.cost(u"llama-3-70b"_s, 1000000, 1000000), 0.3);
        QCOMPARE(*table.cost(u"grok-4.1"_s, 1000000, 1000000), 18.0);
        // 400k cached of 1M prompt tokens: 600k at 5.0 + 400k at 1.25
        QCOMPARE(*table.cost(u"gpt-4o"_s, 1000000, 0, 400000), 3.5);
        // Without a cached price the cached tokens cost the full prompt price.
        QCOMPARE(*table.cost(u"grok-4.1"_s, 1000000, 0, 400000), 3.0);
    }

    // The bundled list: it loads without a complaint, is dated, and prices the current models of
    // every provider agentdesk speaks to, by their real names.
    void bundledListPricesEveryProvider_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<double>("prompt");
        QTest::addColumn<double>("completion");
        QTest::newRow("openai dated snapshot") << u"gpt-4o-2024-08-06"_s << 2.5 << 10.0;
        QTest::newRow("openai gpt-4.1-mini") << u"gpt-4.1-mini"_s << 0.4 << 1.6;
        QTest::newRow("openai o4-mini") << u"o4-mini-2025-04-16"_s << 1.1 << 4.4;
        QTest::newRow("anthropic 3.5 naming") << u"claude-3-5-sonnet-20241022"_s << 3.0 << 15.0;
        QTest::newRow("anthropic sonnet 4") << u"claude-sonnet-4-20250514"_s << 3.0 << 15.0;
        QTest::newRow("anthropic haiku 4.5") << u"claude-haiku-4-5-20251001"_s << 1.0 << 5.0;
        QTest::newRow("xai grok-4") << u"grok-4-0709"_s << 3.0 << 15.0;
        QTest::newRow("xai grok-4-1-fast") << u"grok-4-1-fast-reasoning"_s << 0.2 << 0.5;
        QTest::newRow("xai grok-3-mini") << u"grok-3-mini-beta"_s << 0.3 << 0.5;
        QTest::newRow("gemini flash") << u"gemini-2.5-flash"_s << 0.3 << 2.5;
        QTest::newRow("gemini flash-lite beats flash") << u"gemini-2.5-flash-lite"_s << 0.1 << 0.4;
        QTest::newRow("mistral large") << u"mistral-large-latest"_s << 2.0 << 6.0;
        QTest::newRow("deepseek chat") << u"deepseek-chat"_s << 0.28 << 0.42;
    }
    void bundledListPricesEveryProvider()
    {
        QFETCH(QString, model);
        QFETCH(double, prompt);
        QFETCH(double, completion);
        const std::optional<ModelPrice> price = PriceTable().priceOf(model);
        QVERIFY2(price, qPrintable(model));
        QCOMPARE(price->promptPerMillion, prompt);
        QCOMPARE(price->completionPerMillion, completion);
    }

    void bundledListLoadsCleanlyWithItsDate()
    {
        const PriceListLoadResult loaded = ConfigLoader::loadPriceList(u":/agentdesk/llm/prices.yaml"_s);
        QVERIFY2(loaded.errors.isEmpty(), qPrintable(loaded.errors.value(0).toString()));
        QVERIFY(QDate::fromString(loaded.list.date, Qt::ISODate).isValid());
        QCOMPARE(PriceTable::bundled().date, loaded.list.date);
        QVERIFY(loaded.list.prices.size() > 60);
    }

    // Cache reads and cache writes are part of the prompt tokens and have their own prices.
    void cacheReadsAndWritesHaveTheirOwnPrices()
    {
        const PriceTable table;
        // claude-sonnet-4: 700k plain at 3.00, 200k cache reads at 0.30, 100k cache writes at 3.75.
        QCOMPARE(*table.cost(u"claude-sonnet-4-20250514"_s, 1000000, 0, 200000, 100000), 2.535);
        // Output at 15.00, reasoning included (it is part of the completion tokens).
        QCOMPARE(*table.cost(u"claude-sonnet-4-20250514"_s, 0, 1000000), 15.0);
        // OpenAI has no write premium: writes cost the prompt price.
        QCOMPARE(*table.cost(u"gpt-4o"_s, 1000000, 0, 0, 500000), 2.5);
    }

    void aFileAndLlmPricesOverrideTheBundledList()
    {
        LlmConfig config;
        config.filePrices.prices.insert(u"gpt-4o"_s, ModelPrice{1.0, 2.0, std::nullopt, std::nullopt});
        config.filePrices.prices.insert(u"my-model"_s, ModelPrice{4.0, 8.0, std::nullopt, std::nullopt});
        config.prices.insert(u"my-model"_s, ModelPrice{0.5, 0.5, std::nullopt, std::nullopt});
        const PriceTable table = PriceTable::forConfig(config);
        QCOMPARE(*table.cost(u"gpt-4o"_s, 1000000, 1000000), 3.0);      // the file over the bundled list
        QCOMPARE(*table.cost(u"my-model-7b"_s, 1000000, 1000000), 1.0); // llm.prices over the file
        QCOMPARE(*table.cost(u"gpt-4o-mini"_s, 1000000, 0), 0.15);      // the longer bundled prefix still wins
    }
};

QTEST_GUILESS_MAIN(TestPriceTable)
#include "tst_pricetable.moc"
