#include "listeners/agentlistener.h"
#include "organism/budgetwarnings.h"
#include "schema/schemaregistry.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

class TestBudgetWarnings : public QObject
{
    Q_OBJECT

private slots:
    void everyOrganismHasTheBudgetWarningType()
    {
        PayloadTypeSpec text;
        text.name = u"Text"_s;
        const QList<PayloadTypeSpec> types = BudgetWarnings::withSystemTypes({text});
        QCOMPARE(types.size(), 2);
        QCOMPARE(types.last().name, AgentListener::kBudgetWarningType);
        QCOMPARE(types.last().fields.size(), 6);
        // Declared by the config already: kept as declared, not added twice.
        QCOMPARE(BudgetWarnings::withSystemTypes(types).size(), 2);
    }

    void aCrossingBecomesAMessageToTheAgentInItsThread()
    {
        QString error;
        const auto schemas = SchemaRegistry::build(BudgetWarnings::withSystemTypes({}), &error);
        QVERIFY2(schemas, qPrintable(error));
        BudgetThreshold threshold;
        threshold.percent = 75;
        threshold.severity = u"warning"_s;
        threshold.budget.threadId = u"t1"_s;
        threshold.budget.maxTokens = 1000;
        threshold.budget.promptTokens = 700;
        threshold.budget.completionTokens = 62;
        const std::optional<MessageRecord> warning = BudgetWarnings::message(*schemas, u"writer"_s, threshold, &error);
        QVERIFY2(warning, qPrintable(error));
        QCOMPARE(warning->threadId, u"t1"_s);
        QCOMPARE(warning->from, u"system.budget"_s);
        QCOMPARE(warning->to, u"writer"_s);
        QCOMPARE(warning->payloadType, AgentListener::kBudgetWarningType);
        QVERIFY(warning->xml.contains("<TokensRemaining>238</TokensRemaining>"));
        QVERIFY(warning->xml.contains("<PercentUsed>76.2</PercentUsed>"));
        QVERIFY(warning->xml.contains("<Severity>warning</Severity>"));
    }

    void withoutAnAgentItGoesToTheSystem()
    {
        QString error;
        const auto schemas = SchemaRegistry::build(BudgetWarnings::withSystemTypes({}), &error);
        BudgetThreshold threshold;
        threshold.severity = u"final"_s;
        threshold.budget.maxTokens = 10;
        QCOMPARE(BudgetWarnings::message(*schemas, {}, threshold, &error)->to, u"system"_s);
    }

    void aRegistryWithoutTheTypeSaysWhy()
    {
        QString error;
        const auto schemas = SchemaRegistry::build({}, &error);
        QVERIFY2(schemas, qPrintable(error));
        QVERIFY(!BudgetWarnings::message(*schemas, u"writer"_s, BudgetThreshold{}, &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBudgetWarnings)
#include "tst_budgetwarnings.moc"
