// agentdesk's issue-11 extensions on the wire: the LLM backends (GET /llm/backends) and the agent and
// organism budgets (GET/PUT /usage/budgets). RemoteSession reads back exactly what the server wrote.

#include "budgetjson.h"
#include "jsonwriter.h"
#include "llmjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::wire;

namespace {

QJsonObject reparsed(const QCborMap &json)
{
    return QJsonDocument::fromJson(writeJson(json)).object();
}

} // namespace

class tst_ExtensionJson : public QObject
{
    Q_OBJECT
private slots:
    void backendsRoundTrip();
    void scopeBudgetsRoundTrip();
    void scopeBudgetUpdateRoundTrip();
};

void tst_ExtensionJson::backendsRoundTrip()
{
    LlmBackendState limited;
    limited.name = u"xai"_s;
    limited.provider = u"xai"_s;
    limited.models = {u"grok-4"_s, u"grok-4.1"_s};
    limited.endpoint = u"https://api.x.ai/v1/chat/completions"_s;
    limited.streaming = true;
    limited.nativeTools = true;
    limited.health = LlmBackendState::Health::RateLimited;
    limited.rateLimitedForSeconds = 12.5;
    limited.rateLimitTpm = 100000;
    limited.tokensLeft = 420;
    limited.active = 4;
    limited.queued = 9662;
    limited.maxConcurrent = 4;
    limited.waitingForTokens = true;
    limited.agents = {u"researcher"_s, u"writer"_s};
    limited.calls = 1234;
    limited.latencyP50Ms = 800.0;
    limited.latencyP95Ms = 2400.5;
    limited.ttftP50Ms = 210.0;
    limited.ttftP95Ms = 650.0;
    LlmBackendState failing;
    failing.name = u"local"_s;
    failing.provider = u"ollama"_s;
    failing.health = LlmBackendState::Health::Failing;
    failing.lastError = u"no HTTP answer from http://127.0.0.1:11434/api/chat: Connection refused"_s;
    failing.failingSince = QDateTime(QDate(2026, 2, 10), QTime(12, 0, 0, 250), Qt::UTC);
    failing.maxConcurrent = 1;

    const QCborMap json = llmBackendsJson({limited, failing});
    const QJsonObject object = reparsed(json);
    QCOMPARE(object.value(u"count"_s).toInt(), 2);
    const QJsonObject first = object.value(u"backends"_s).toArray().first().toObject();
    QCOMPARE(first.value(u"state"_s).toString(), u"rate-limited"_s);
    QCOMPARE(first.value(u"waitSeconds"_s).toDouble(), 12.5);
    QCOMPARE(first.value(u"toolMode"_s).toString(), u"native"_s);
    const QJsonObject second = object.value(u"backends"_s).toArray().last().toObject();
    QVERIFY(second.value(u"endpoint"_s).isNull());
    QVERIFY(second.value(u"waitSeconds"_s).isNull());
    QVERIFY(second.value(u"rateLimitTpm"_s).isNull());
    QVERIFY(second.value(u"latencyP50Ms"_s).isNull());
    QCOMPARE(second.value(u"failingSince"_s).toString(), u"2026-02-10T12:00:00.250Z"_s);

    const std::optional<QList<LlmBackendState>> parsed = parseLlmBackends(object);
    QVERIFY(parsed && parsed->size() == 2);
    const LlmBackendState &a = parsed->first();
    QCOMPARE(a.name, limited.name);
    QCOMPARE(a.models, limited.models);
    QCOMPARE(a.endpoint, limited.endpoint);
    QVERIFY(a.streaming && a.nativeTools && a.waitingForTokens);
    QVERIFY(a.health == LlmBackendState::Health::RateLimited);
    QCOMPARE(a.rateLimitedForSeconds, 12.5);
    QCOMPARE(a.tokensLeft, 420);
    QCOMPARE(a.active, 4);
    QCOMPARE(a.queued, 9662);
    QCOMPARE(a.calls, 1234);
    QCOMPARE(a.agents, limited.agents);
    QVERIFY(a == limited);
    QCOMPARE(a.latencyP95Ms, std::optional<double>(2400.5));
    QCOMPARE(a.ttftP50Ms, std::optional<double>(210.0));
    const LlmBackendState &b = parsed->last();
    QVERIFY(b.health == LlmBackendState::Health::Failing);
    QCOMPARE(b.lastError, failing.lastError);
    QCOMPARE(b.failingSince, failing.failingSince);
    QVERIFY(!b.latencyP50Ms && !b.nativeTools);
    QVERIFY(!parseLlmBackends(QJsonObject{{u"detail"_s, u"Not Found"_s}})); // the original has no such list
}

void tst_ExtensionJson::scopeBudgetsRoundTrip()
{
    ScopeBudget organism;
    organism.scope = u"organism"_s;
    organism.period = BudgetPeriod::Month;
    organism.maxCost = 50.0;
    organism.usedCost = 12.345678;
    organism.usedTokens = 1000000;
    organism.unpricedRequests = 3;
    organism.reserved = 0.25;
    organism.periodStart = QDateTime(QDate(2026, 2, 1), QTime(0, 0), Qt::UTC);
    organism.periodEnd = QDateTime(QDate(2026, 3, 1), QTime(0, 0), Qt::UTC);
    ScopeBudget writer;
    writer.scope = u"agent:writer"_s;
    writer.agent = u"writer"_s;
    writer.maxTokens = 2000;
    writer.usedTokens = 2500;
    writer.heldThreads = 2;
    const QJsonObject object = reparsed(scopeBudgetListJson({organism, writer}));
    QCOMPARE(object.value(u"count"_s).toInt(), 2);
    const QJsonObject second = object.value(u"budgets"_s).toArray().last().toObject();
    QCOMPARE(second.value(u"remaining"_s).toInt(), 0);
    QCOMPARE(second.value(u"isExhausted"_s).toBool(), true);
    QCOMPARE(second.value(u"percentUsed"_s).toDouble(), 125.0);
    QVERIFY(second.value(u"periodStart"_s).isNull()); // never reset

    const std::optional<QList<ScopeBudget>> parsed = parseScopeBudgetList(object);
    QVERIFY(parsed && parsed->size() == 2);
    const ScopeBudget &a = parsed->first();
    QCOMPARE(a.scope, u"organism"_s);
    QVERIFY(a.agent.isEmpty() && a.isCost());
    QVERIFY(a.period == BudgetPeriod::Month);
    QCOMPARE(a.maxCost, std::optional<double>(50.0));
    QCOMPARE(a.usedCost, 12.345678);
    QCOMPARE(a.usedTokens, 1000000);
    QCOMPARE(a.unpricedRequests, 3);
    QCOMPARE(a.reserved, 0.25);
    QCOMPARE(a.periodEnd, organism.periodEnd);
    const ScopeBudget &b = parsed->last();
    QCOMPARE(b.agent, u"writer"_s);
    QCOMPARE(b.maxTokens, std::optional<qint64>(2000));
    QVERIFY(!b.isCost() && b.isExhausted());
    QCOMPARE(b.heldThreads, 2);
}

void tst_ExtensionJson::scopeBudgetUpdateRoundTrip()
{
    ScopeBudgetChange change;
    change.maxCost = 75.5;
    change.period = BudgetPeriod::Day;
    change.reset = true;
    const QByteArray body = scopeBudgetUpdateJson(change);
    QCOMPARE(body, QByteArray(R"({"maxCost":75.5,"period":"day","reset":true})"));
    const ScopeBudgetUpdateParse parse = parseScopeBudgetUpdate(body);
    QVERIFY(parse.ok());
    QCOMPARE(parse.change.maxCost, std::optional<double>(75.5));
    QVERIFY(!parse.change.maxTokens);
    QVERIFY(parse.change.period == BudgetPeriod::Day);
    QVERIFY(parse.change.reset);
}

QTEST_GUILESS_MAIN(tst_ExtensionJson)
#include "tst_extensionjson.moc"
