// Budgets beyond the thread (issue 11 §4): the agent and organism budgets of `budgets:` through
// GET/PUT /api/v1/usage/budgets[/{scope}] and their WebSocket events, against a real Organism whose
// LLM agents are answered by a ScriptedLlm, over real sockets on 127.0.0.1.

#include "apiserver.h"
#include "organism.h"
#include "support/apitestclient.h"
#include "support/schemacheck.h"
#include "support/apifixture.h"
#include "support/wstestclient.h"
#include "injectandwait.h"
#include "clearofmidnight.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::ScriptedLlm;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;
const QByteArray kKey = "budget-secret-key-12345";
const char kKeyEnv[] = "AGENTDESK_BUDGET_TEST_API_KEY";

// The researcher asks itself again (kAgain), so a thread goes on until a budget stops it.
QByteArray organismYaml(const QByteArray &budgets)
{
    return R"(
organism: {name: budget-organism}
payloads:
  Question: {text: string}
  Done: {text: string}
)" + budgets
        + R"(
listeners:
  - {name: researcher, description: Researches, payload_class: Question, agent: true, model: grok-4.1, peers: [researcher, done]}
  - {name: greeter, description: Greets, payload_class: Question, agent: true, model: grok-4.1, peers: [done]}
  - {name: done, description: Receives the result, payload_class: Done, handler: builtin:sink}
)";
}

const QByteArray kAgentAndOrganism =
    "budgets: {agents: {researcher: {max_tokens: 1000, period: day}}, organism: {max_cost: 50.0, period: month}}";

const QString kDone = u"<Done><Text>ok</Text></Done>"_s;
const QString kAgain = u"<Question><Text>again</Text></Question>"_s;

ScriptedLlm::Step step(qint64 prompt, qint64 completion, const QString &reply)
{
    ScriptedLlm::Step s;
    s.model = u"grok-4.1"_s;
    s.promptTokens = prompt;
    s.completionTokens = completion;
    s.latencyMs = 10;
    s.reply = reply;
    return s;
}

} // namespace

class tst_BudgetRoutes : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void listsTheOrganismFirstThenTheAgents();
    void anExhaustedAgentBudgetHoldsUntilPutRaisesIt();
    void anOrganismCostBudgetHoldsEveryAgent();
    void putResetsChangesThePeriodOrCreates();
    void badPutsAreRefusedWithTheirReason_data();
    void badPutsAreRefusedWithTheirReason();
    void usageAndResetsSurviveARestart();
    void putNeedsTheKey();

private:
    void startOrganism(const QByteArray &budgets, ApiServerOptions options = {});
    void stopOrganism();
    QString ask(const QString &agent);
    bool completed(const QString &thread);
    HttpResult get(const QString &path) { return m_client->get(path); }
    HttpResult put(const QString &path, const QByteArray &body, const Headers &headers = {})
    {
        return m_client->send("PUT", path, body, headers);
    }
    void verifyShape(const QJsonValue &value, const QString &schema);

    std::unique_ptr<QTemporaryDir> m_dir; // kept across restarts: the history stays
    std::optional<ApiFixture> m_fixture;
    ScriptedLlm *m_llm = nullptr;   // the fixture's
    Organism *m_organism = nullptr; // the fixture's
    ApiServer *m_api = nullptr;     // the fixture's
    std::unique_ptr<ApiTestClient> m_client;
};

void tst_BudgetRoutes::startOrganism(const QByteArray &budgets, ApiServerOptions options)
{
    stopOrganism();
    if (!m_dir)
        m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_fixture.emplace(organismYaml(budgets), m_dir->path());
    m_llm = &m_fixture->llm();
    m_llm->defaultReply.reset(); // a call the test did not script is held: its thread and budget stay alive
    QString error;
    QVERIFY2(m_fixture->start(options, &error), qPrintable(error));
    m_organism = m_fixture->organism();
    m_api = m_fixture->api();
    m_client = std::make_unique<ApiTestClient>(m_api->port());
}

void tst_BudgetRoutes::stopOrganism()
{
    m_client.reset();
    m_api = nullptr;
    m_organism = nullptr;
    m_llm = nullptr;
    m_fixture.reset();
}

void tst_BudgetRoutes::init()
{
    qunsetenv(kKeyEnv);
    test::keepClearOfMidnightUtc();
    startOrganism(kAgentAndOrganism);
}

void tst_BudgetRoutes::cleanup()
{
    stopOrganism();
    m_dir.reset();
    qunsetenv(kKeyEnv);
}

QString tst_BudgetRoutes::ask(const QString &agent)
{
    InjectRequest request;
    request.to = agent;
    request.fields.insert(u"text"_s, u"hello"_s);
    const InjectResult result = test::injectAndWait(*m_organism, request);
    return result.has_value() ? result->threadId : QString();
}

bool tst_BudgetRoutes::completed(const QString &thread)
{
    return QTest::qWaitFor([&] {
        const auto info = m_organism->thread(thread);
        return info && info->status == ThreadStatus::Completed;
    });
}

void tst_BudgetRoutes::verifyShape(const QJsonValue &value, const QString &schema)
{
    const QJsonObject schemas = QJsonDocument::fromJson(m_api->openApiDocument())
                                    .object()
                                    .value(u"components"_s)
                                    .toObject()
                                    .value(u"schemas"_s)
                                    .toObject();
    const QStringList errors = checkAgainstSchema(value, schema, QCborMap::fromJsonObject(schemas));
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u"\n"_s)));
}

void tst_BudgetRoutes::listsTheOrganismFirstThenTheAgents()
{
    const HttpResult list = get(u"/api/v1/usage/budgets"_s);
    QCOMPARE(list.status, 200);
    verifyShape(list.object(), u"ScopeBudgetList"_s);
    QCOMPARE(list.object().value(u"count"_s).toInt(), 2);
    const QJsonArray budgets = list.object().value(u"budgets"_s).toArray();
    const QJsonObject organism = budgets.at(0).toObject();
    QCOMPARE(organism.value(u"scope"_s).toString(), u"organism"_s);
    QVERIFY(organism.value(u"agent"_s).isNull());
    QCOMPARE(organism.value(u"unit"_s).toString(), u"cost"_s);
    QCOMPARE(organism.value(u"maxCost"_s).toDouble(), 50.0);
    QCOMPARE(organism.value(u"period"_s).toString(), u"month"_s);
    const QDate today = QDateTime::currentDateTimeUtc().date();
    QCOMPARE(
        organism.value(u"periodStart"_s).toString(),
        QDateTime(QDate(today.year(), today.month(), 1), QTime(0, 0), Qt::UTC).toString(u"yyyy-MM-ddTHH:mm:ss.zzzZ"_s));
    const QJsonObject researcher = budgets.at(1).toObject();
    QCOMPARE(researcher.value(u"scope"_s).toString(), u"agent:researcher"_s);
    QCOMPARE(researcher.value(u"agent"_s).toString(), u"researcher"_s);
    QCOMPARE(researcher.value(u"unit"_s).toString(), u"tokens"_s);
    QCOMPARE(researcher.value(u"maxTokens"_s).toInt(), 1000);
    QCOMPARE(researcher.value(u"remaining"_s).toInt(), 1000);
    QCOMPARE(researcher.value(u"period"_s).toString(), u"day"_s);
    QCOMPARE(researcher.value(u"periodEnd"_s).toString(),
             QDateTime(today.addDays(1), QTime(0, 0), Qt::UTC).toString(u"yyyy-MM-ddTHH:mm:ss.zzzZ"_s));

    const HttpResult one = get(u"/api/v1/usage/budgets/agent:researcher"_s);
    QCOMPARE(one.status, 200);
    verifyShape(one.object(), u"ScopeBudgetInfo"_s);
    QCOMPARE(one.object(), researcher);
    const HttpResult none = get(u"/api/v1/usage/budgets/agent:greeter"_s);
    QCOMPARE(none.status, 404);
    QCOMPARE(none.detail(), u"No budget for scope: agent:greeter"_s);
}

// Spending crosses 75/90/95 % (WS budget_warning with the scope), the next call is held like a held
// thread (budget_exhausted), and a PUT raises the budget: budget_raised, the thread goes on.
void tst_BudgetRoutes::anExhaustedAgentBudgetHoldsUntilPutRaisesIt()
{
    WsTestClient ws;
    QVERIFY(ws.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_api->port()))));
    QVERIFY(!ws.waitForEvent(u"connected"_s).isEmpty());

    m_llm->script = {step(600, 400, kAgain)};
    const QString thread = ask(u"researcher"_s);
    for (const QString &severity : {u"warning"_s, u"critical"_s, u"final"_s}) {
        const QJsonObject warning = ws.waitFor([](const QJsonObject &frame) {
            return frame.value(u"event"_s).toString() == u"budget_warning"
                && frame.value(u"scope"_s).toString() == u"agent:researcher";
        });
        QCOMPARE(warning.value(u"severity"_s).toString(), severity);
        QCOMPARE(warning.value(u"threadId"_s).toString(), thread);
        QCOMPARE(warning.value(u"agent"_s).toString(), u"researcher"_s);
        QCOMPARE(warning.value(u"period"_s).toString(), u"day"_s);
        QCOMPARE(warning.value(u"tokensUsed"_s).toInt(), 1000);
        QCOMPARE(warning.value(u"maxTokens"_s).toInt(), 1000);
        QCOMPARE(warning.value(u"percentUsed"_s).toDouble(), 100.0);
        verifyShape(warning, u"BudgetEvent"_s);
    }
    const QJsonObject exhausted = ws.waitFor(
        [](const QJsonObject &frame) { return frame.value(u"event"_s).toString() == u"budget_exhausted"; });
    QCOMPARE(exhausted.value(u"scope"_s).toString(), u"agent:researcher"_s);
    QCOMPARE(exhausted.value(u"threadId"_s).toString(), thread);
    QVERIFY2(exhausted.value(u"message"_s)
                 .toString()
                 .startsWith(u"Agent researcher budget exhausted today (UTC): 1000/1000 tokens used"_s),
             qPrintable(exhausted.value(u"message"_s).toString()));
    verifyShape(exhausted, u"BudgetEvent"_s);
    // Held, not failed: one call made, the thread active, the agent's message waiting.
    QCOMPARE(m_llm->requests.size(), 1);
    QCOMPARE(toString(m_organism->thread(thread)->status), u"active"_s);
    QTRY_COMPARE(m_organism->agent(u"researcher"_s)->queueDepth, 1);
    const QJsonObject held = get(u"/api/v1/usage/budgets/agent:researcher"_s).object();
    QCOMPARE(held.value(u"isExhausted"_s).toBool(), true);
    QCOMPARE(held.value(u"heldThreads"_s).toInt(), 1);
    QCOMPARE(held.value(u"remaining"_s).toInt(), 0);
    // Another agent does not spend from it.
    m_llm->script = {step(10, 10, kDone)};
    QVERIFY(completed(ask(u"greeter"_s)));

    m_llm->script = {step(100, 50, kDone)};
    const HttpResult raised = put(u"/api/v1/usage/budgets/agent:researcher"_s, R"({"maxTokens": 5000})");
    QCOMPARE(raised.status, 200);
    verifyShape(raised.object(), u"ScopeBudgetInfo"_s);
    QCOMPARE(raised.object().value(u"maxTokens"_s).toInt(), 5000);
    QCOMPARE(raised.object().value(u"usedTokens"_s).toInt(), 1000);
    QCOMPARE(raised.object().value(u"period"_s).toString(), u"day"_s); // kept
    const QJsonObject event = ws.waitFor(
        [](const QJsonObject &frame) { return frame.value(u"event"_s).toString() == u"budget_raised"; });
    QCOMPARE(event.value(u"scope"_s).toString(), u"agent:researcher"_s);
    QCOMPARE(event.value(u"maxTokens"_s).toInt(), 5000);
    QVERIFY(event.value(u"threadId"_s).isNull());
    verifyShape(event, u"BudgetEvent"_s);
    QVERIFY(completed(thread));
    QCOMPARE(get(u"/api/v1/usage/budgets/agent:researcher"_s).object().value(u"usedTokens"_s).toInt(), 1150);
}

void tst_BudgetRoutes::anOrganismCostBudgetHoldsEveryAgent()
{
    startOrganism("budgets: {organism: {max_cost: 0.005, period: total}}");
    m_llm->script = {step(1000, 1000, kDone)}; // grok-4.1 at list prices: more than $0.005
    const QString first = ask(u"greeter"_s);
    QVERIFY(completed(first));
    const QJsonObject organism = get(u"/api/v1/usage/budgets/organism"_s).object();
    QVERIFY(organism.value(u"usedCost"_s).toDouble() > 0.005);
    QCOMPARE(organism.value(u"isExhausted"_s).toBool(), true);
    QCOMPARE(organism.value(u"usedTokens"_s).toInt(), 2000);

    const QString second = ask(u"researcher"_s);
    QTRY_COMPARE(m_organism->agent(u"researcher"_s)->queueDepth, 1);
    QCOMPARE(m_llm->requests.size(), 1);
    QTRY_COMPARE(get(u"/api/v1/usage/budgets/organism"_s).object().value(u"heldThreads"_s).toInt(), 1);

    // Resetting the usage lets it go on.
    m_llm->script = {step(1, 1, kDone)};
    const HttpResult reset = put(u"/api/v1/usage/budgets/organism"_s, R"({"reset": true})");
    QCOMPARE(reset.status, 200);
    QCOMPARE(reset.object().value(u"usedCost"_s).toDouble(), 0.0);
    QVERIFY(completed(second));
}

void tst_BudgetRoutes::putResetsChangesThePeriodOrCreates()
{
    m_llm->script = {step(100, 100, kDone)};
    QVERIFY(completed(ask(u"researcher"_s)));
    QCOMPARE(get(u"/api/v1/usage/budgets/agent:researcher"_s).object().value(u"usedTokens"_s).toInt(), 200);

    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const QJsonObject reset = put(u"/api/v1/usage/budgets/agent:researcher"_s, R"({"reset": true})").object();
    QCOMPARE(reset.value(u"usedTokens"_s).toInt(), 0);
    QCOMPARE(reset.value(u"maxTokens"_s).toInt(), 1000);
    QVERIFY(QDateTime::fromString(reset.value(u"periodStart"_s).toString(), Qt::ISODateWithMs) >= before);

    const QJsonObject total =
        put(u"/api/v1/usage/budgets/agent:researcher"_s, R"({"period": "total", "max_cost": 2.5})").object();
    QCOMPARE(total.value(u"period"_s).toString(), u"total"_s);
    QCOMPARE(total.value(u"unit"_s).toString(), u"cost"_s);
    QCOMPARE(total.value(u"maxCost"_s).toDouble(), 2.5);
    QVERIFY(total.value(u"maxTokens"_s).isNull());
    QVERIFY(total.value(u"periodEnd"_s).isNull());

    // A known agent without a budget gets one when a limit is given.
    const HttpResult created = put(u"/api/v1/usage/budgets/agent:greeter"_s, R"({"maxTokens": 300, "period": "day"})");
    QCOMPARE(created.status, 200);
    QCOMPARE(created.object().value(u"scope"_s).toString(), u"agent:greeter"_s);
    QCOMPARE(created.object().value(u"period"_s).toString(), u"day"_s);
    QCOMPARE(get(u"/api/v1/usage/budgets"_s).object().value(u"count"_s).toInt(), 3);
}

void tst_BudgetRoutes::badPutsAreRefusedWithTheirReason_data()
{
    QTest::addColumn<QString>("scope");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("expected"); // the detail (404) or the first error's loc and msg (422)
    QTest::newRow("unknown agent") << u"agent:nobody"_s << QByteArray(R"({"maxTokens": 5})") << 404
                                   << u"Unknown budget scope: agent:nobody (use organism or agent:<name>)"_s;
    QTest::newRow("a thread is not a scope") << u"thread"_s << QByteArray(R"({"maxTokens": 5})") << 404
                                             << u"Unknown budget scope: thread (use organism or agent:<name>)"_s;
    QTest::newRow("no limit for a new one") << u"agent:greeter"_s << QByteArray(R"({"period": "day"})") << 404
                                            << u"No budget for agent:greeter yet: give maxTokens or maxCost"_s;
    QTest::newRow("both limits") << u"organism"_s << QByteArray(R"({"maxTokens": 5, "maxCost": 1})") << 422
                                 << u"body.maxCost: Value error, give either maxTokens or maxCost, not both"_s;
    QTest::newRow("zero tokens") << u"organism"_s << QByteArray(R"({"maxTokens": 0})") << 422
                                 << u"body.maxTokens: Input should be greater than or equal to 1"_s;
    QTest::newRow("fractional tokens") << u"organism"_s << QByteArray(R"({"max_tokens": 1.5})") << 422
                                       << u"body.max_tokens: Input should be a valid integer"_s;
    QTest::newRow("negative cost") << u"organism"_s << QByteArray(R"({"maxCost": -1})") << 422
                                   << u"body.maxCost: Input should be a number greater than 0"_s;
    QTest::newRow("unknown period") << u"organism"_s << QByteArray(R"({"period": "week"})") << 422
                                    << u"body.period: Input should be 'day', 'month' or 'total'"_s;
    QTest::newRow("reset not a boolean") << u"organism"_s << QByteArray(R"({"reset": "yes"})") << 422
                                         << u"body.reset: Input should be a valid boolean"_s;
    QTest::newRow("nothing to change") << u"organism"_s << QByteArray(R"({})") << 422
                                       << u"body.maxTokens: Field required"_s;
    QTest::newRow("not json") << u"organism"_s << QByteArray("{") << 422 << u"body.1: JSON decode error"_s;
}

void tst_BudgetRoutes::badPutsAreRefusedWithTheirReason()
{
    QFETCH(QString, scope);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, expected);
    const HttpResult result = put(u"/api/v1/usage/budgets/"_s + scope, body);
    QCOMPARE(result.status, status);
    if (status == 404) {
        QCOMPARE(result.detail(), expected);
        return;
    }
    const QJsonObject first = result.object().value(u"detail"_s).toArray().first().toObject();
    QStringList loc;
    for (const QJsonValue &part : first.value(u"loc"_s).toArray())
        loc.append(part.isDouble() ? QString::number(part.toInt()) : part.toString());
    QCOMPARE(loc.join(u'.') + u": "_s + first.value(u"msg"_s).toString(), expected);
    // Nothing changed.
    QCOMPARE(get(u"/api/v1/usage/budgets/organism"_s).object().value(u"maxCost"_s).toDouble(), 50.0);
}

// The budgets' usage is rebuilt from the history at start-up, from the start of their period or
// their last reset, whichever is later.
void tst_BudgetRoutes::usageAndResetsSurviveARestart()
{
    m_llm->script = {step(100, 100, kDone)};
    QVERIFY(completed(ask(u"researcher"_s)));
    m_llm->script = {step(30, 20, kDone)};
    QVERIFY(completed(ask(u"greeter"_s)));
    QCOMPARE(put(u"/api/v1/usage/budgets/organism"_s, R"({"reset": true})").status, 200);
    m_llm->script = {step(5, 5, kDone)};
    QVERIFY(completed(ask(u"greeter"_s)));
    const QJsonObject organismBefore = get(u"/api/v1/usage/budgets/organism"_s).object();
    QCOMPARE(organismBefore.value(u"usedTokens"_s).toInt(), 10);

    startOrganism(kAgentAndOrganism); // the same history
    const QJsonObject researcher = get(u"/api/v1/usage/budgets/agent:researcher"_s).object();
    QCOMPARE(researcher.value(u"usedTokens"_s).toInt(), 200);
    QCOMPARE(researcher.value(u"percentUsed"_s).toDouble(), 20.0);
    const QJsonObject organism = get(u"/api/v1/usage/budgets/organism"_s).object();
    QCOMPARE(organism.value(u"usedTokens"_s).toInt(), 10); // since its reset
    QCOMPARE(organism.value(u"usedCost"_s).toDouble(), organismBefore.value(u"usedCost"_s).toDouble());
    QCOMPARE(organism.value(u"periodStart"_s).toString(), organismBefore.value(u"periodStart"_s).toString());
}

void tst_BudgetRoutes::putNeedsTheKey()
{
    qputenv(kKeyEnv, kKey);
    OrganismConfig config;
    config.auth.apiKeyEnv = QString::fromLatin1(kKeyEnv);
    startOrganism(kAgentAndOrganism, ApiServerOptions::fromConfig(config));
    const HttpResult noKey = put(u"/api/v1/usage/budgets/organism"_s, R"({"maxCost": 100})");
    QCOMPARE(noKey.status, 401);
    QCOMPARE(noKey.detail(), u"Authentication required"_s);
    const HttpResult withKey = put(u"/api/v1/usage/budgets/organism"_s, R"({"maxCost": 100})",
                                   {{"Authorization", "Bearer " + kKey}});
    QCOMPARE(withKey.status, 200);
    QCOMPARE(withKey.object().value(u"maxCost"_s).toDouble(), 100.0);
}

QTEST_GUILESS_MAIN(tst_BudgetRoutes)
#include "tst_budgetroutes.moc"
