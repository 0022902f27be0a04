#include "jsonwriter.h"
#include "usagejson.h"
#include "usageparser.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::wire;

namespace {

// agentdesk's keys after the original's in every counter set (all zero, no streamed calls).
#define ZERO_EXTENSIONS                                                                                                \
    R"(,"unpricedRequests":0,"unpricedTokens":0,"cachedPromptTokens":0,"cacheWriteTokens":0,"reasoningTokens":0,"unusableRequests":0,"errorRequests":0,"abortedRequests":0,"avgTtftMs":null,"avgTokensPerSecond":null)"

UsageCounters counters(const QString &key, qint64 prompt, qint64 completion, qint64 requests, double cost,
                       double latency = 0)
{
    UsageCounters c;
    c.key = key;
    c.promptTokens = prompt;
    c.completionTokens = completion;
    c.totalTokens = prompt + completion;
    c.requestCount = requests;
    c.totalCost = cost;
    c.totalLatencyMs = latency;
    return c;
}

ThreadBudget budget(const QString &id, qint64 max, qint64 prompt, qint64 completion)
{
    ThreadBudget b;
    b.threadId = id;
    b.maxTokens = max;
    b.promptTokens = prompt;
    b.completionTokens = completion;
    return b;
}

UsageEvent sampleEvent()
{
    UsageEvent e;
    e.id = 7;
    e.timestamp = QDateTime(QDate(2026, 2, 10), QTime(12, 34, 56, 123), Qt::UTC);
    e.threadId = u"t1"_s;
    e.agentId = u"greeter"_s;
    e.model = u"gpt-4o-mini"_s;
    e.provider = u"openai"_s;
    e.promptTokens = 1000;
    e.completionTokens = 500;
    e.cachedPromptTokens = 200;
    e.totalTokens = 1500;
    e.latencyMs = 250;
    e.estimatedCost = 0.00045;
    e.metadata = {{u"org_id"_s, u"acme"_s}};
    e.orgId = u"acme"_s;
    return e;
}

QByteArray json(const QCborValue &value)
{
    return writeJson(value);
}

} // namespace

// The usage wire shapes (spec §3.6, §5.17–§5.24) byte for byte, the PUT body parser, the time
// filters, the CSV/JSON export and the WebSocket budget frames.
class tst_UsageJson : public QObject
{
    Q_OBJECT
private slots:
    void usageResponseIsTheSpecExample();
    void costsRoundLikePython_data();
    void costsRoundLikePython();
    void agentAndModelUsage();
    void threadBudgetIsTheSpecExample();
    void budgetListKeepsOrderAndDefault();
    void percentAndExhaustion_data();
    void percentAndExhaustion();
    void usageEventKeepsStoredTextAndNulls();
    void historyPage();
    void billingInnerMapsAreSnakeCase();
    void dailyPoints();
    void timeFilters_data();
    void timeFilters();
    void budgetUpdate_data();
    void budgetUpdate();
    void timeseries();
    void exportCsvQuotesAndKeepsEveryColumn();
    void exportJsonHasTheSameColumns();
    void budgetEvents_data();
    void budgetEvents();
    void scopeBudgetEvents();
};

void tst_UsageJson::usageResponseIsTheSpecExample()
{
    UsageSnapshot usage;
    usage.totals = counters({}, 100, 50, 1, 0.00105, 250);
    usage.byAgent = {counters(u"greeter"_s, 100, 50, 1, 0.00105)};
    usage.byModel = {counters(u"grok-4.1"_s, 100, 50, 1, 0.00105)};
    QCOMPARE(json(usageResponseJson(usage, 0)),
             QByteArray(R"({"usage":{"totals":{"totalTokens":150,"promptTokens":100,"completionTokens":50,)"
                        R"("requestCount":1,"totalCost":0.001,"avgLatencyMs":250.0)" ZERO_EXTENSIONS R"(},)"
                        R"("byAgent":[{"agentId":"greeter","totalTokens":150,"promptTokens":100,"completionTokens":50,)"
                        R"("requestCount":1,"totalCost":0.001)" ZERO_EXTENSIONS R"(}],)"
                        R"("byModel":[{"model":"grok-4.1","totalTokens":150,"promptTokens":100,"completionTokens":50,)"
                        R"("requestCount":1,"totalCost":0.001)" ZERO_EXTENSIONS R"(}],"activeThreads":0}})"));

    // Nothing recorded: zeros, floats stay floats, lists empty.
    QCOMPARE(json(usageResponseJson(UsageSnapshot{}, 3)),
             QByteArray(R"({"usage":{"totals":{"totalTokens":0,"promptTokens":0,"completionTokens":0,"requestCount":0,)"
                        R"("totalCost":0.0,"avgLatencyMs":0.0)" ZERO_EXTENSIONS
                        R"(},"byAgent":[],"byModel":[],"activeThreads":3}})"));

    // First-appearance order is kept, not sorted.
    usage.byAgent = {counters(u"zeta"_s, 1, 1, 1, 0), counters(u"alpha"_s, 1, 1, 1, 0)};
    const QCborMap overview = usageResponseJson(usage, 0).value(u"usage"_s).toMap();
    QCOMPARE(overview.value(u"byAgent"_s).toArray().at(0).toMap().value(u"agentId"_s).toString(), u"zeta"_s);
}

void tst_UsageJson::costsRoundLikePython_data()
{
    QTest::addColumn<double>("cost");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("18.0") << 18.0 << QByteArray("18.0");
    QTest::newRow("0.00105 -> 0.001") << 0.00105 << QByteArray("0.001");   // binary value is below the half
    QTest::newRow("0.00045 -> 0.0004") << 0.00045 << QByteArray("0.0004"); // half-even on the binary value
    QTest::newRow("0.00015 -> 0.0001") << 0.00015 << QByteArray("0.0001");
    QTest::newRow("12.34565 -> 12.3456") << 12.34565 << QByteArray("12.3456"); // binary value below the half
    QTest::newRow("1.23455 -> 1.2346") << 1.23455 << QByteArray("1.2346");     // binary value above the half
    QTest::newRow("tiny") << 0.00001 << QByteArray("0.0");
    QTest::newRow("big") << 123456.789012 << QByteArray("123456.789");
}

void tst_UsageJson::costsRoundLikePython()
{
    QFETCH(double, cost);
    QFETCH(QByteArray, expected);
    // Python: round(cost, 4); the repr of the result.
    const QCborMap agent = agentUsageJson(u"a"_s, counters(u"a"_s, 0, 0, 1, cost));
    QCOMPARE(json(agent.value(u"totalCost"_s)), expected);
}

void tst_UsageJson::agentAndModelUsage()
{
    QCOMPARE(json(agentUsageJson(u"researcher"_s, counters(u"researcher"_s, 3000, 1500, 2, 0))),
             QByteArray(R"({"agentId":"researcher","totalTokens":4500,"promptTokens":3000,"completionTokens":1500,)"
                        R"("requestCount":2,"totalCost":0.0)" ZERO_EXTENSIONS "}"));
    // Unknown ids echo what was asked for, with zeros.
    QCOMPARE(json(modelUsageJson(u"a/b ü"_s, UsageCounters{})),
             QString(uR"({"model":"a/b ü","totalTokens":0,"promptTokens":0,"completionTokens":0,"requestCount":0,)"
                     uR"("totalCost":0.0)" ZERO_EXTENSIONS "}"_s)
                 .toUtf8());
    QCOMPARE(json(usageResetJson()), QByteArray(R"({"success":true,"message":"Usage tracking reset"})"));
}

void tst_UsageJson::threadBudgetIsTheSpecExample()
{
    QCOMPARE(json(threadBudgetJson(budget(u"my-thread"_s, 100000, 3000, 1500))),
             QByteArray(R"({"threadId":"my-thread","maxTokens":100000,"promptTokens":3000,"completionTokens":1500,)"
                        R"("totalTokens":4500,"remaining":95500,"percentUsed":4.5,"isExhausted":false})"));
}

void tst_UsageJson::budgetListKeepsOrderAndDefault()
{
    const QList<ThreadBudget> budgets{budget(u"t2"_s, 100000, 10000, 5000), budget(u"t1"_s, 100000, 5000, 2000)};
    const QCborMap list = threadBudgetListJson(budgets, 100000);
    QCOMPARE(list.value(u"count"_s).toInteger(), 2);
    QCOMPARE(list.value(u"defaultMaxTokens"_s).toInteger(), 100000);
    QCOMPARE(list.value(u"threads"_s).toArray().at(0).toMap().value(u"threadId"_s).toString(), u"t2"_s);
    QCOMPARE(json(threadBudgetListJson({}, 250)), QByteArray(R"({"threads":[],"count":0,"defaultMaxTokens":250})"));
}

void tst_UsageJson::percentAndExhaustion_data()
{
    QTest::addColumn<qint64>("max");
    QTest::addColumn<qint64>("used");
    QTest::addColumn<QByteArray>("percent");
    QTest::addColumn<qint64>("remaining");
    QTest::addColumn<bool>("exhausted");
    QTest::newRow("third") << qint64(3) << qint64(1) << QByteArray("33.3") << qint64(2) << false;
    QTest::newRow("half up") << qint64(1000) << qint64(755) << QByteArray("75.5") << qint64(245) << false;
    QTest::newRow("exactly max") << qint64(1000) << qint64(1000) << QByteArray("100.0") << qint64(0) << true;
    QTest::newRow("overshoot") << qint64(1000) << qint64(1250) << QByteArray("125.0") << qint64(0) << true;
    QTest::newRow("zero max") << qint64(0) << qint64(0) << QByteArray("0.0") << qint64(0) << true;
    QTest::newRow("huge") << (qint64(1) << 53) << qint64(1) << QByteArray("0.0") << ((qint64(1) << 53) - 1) << false;
}

void tst_UsageJson::percentAndExhaustion()
{
    QFETCH(qint64, max);
    QFETCH(qint64, used);
    QFETCH(QByteArray, percent);
    QFETCH(qint64, remaining);
    QFETCH(bool, exhausted);
    const QCborMap json = threadBudgetJson(budget(u"t"_s, max, used, 0));
    QCOMPARE(writeJson(json.value(u"percentUsed"_s)), percent);
    QCOMPARE(json.value(u"remaining"_s).toInteger(), remaining);
    QCOMPARE(json.value(u"isExhausted"_s).toBool(), exhausted);
}

void tst_UsageJson::usageEventKeepsStoredTextAndNulls()
{
    QCOMPARE(json(usageEventJson(sampleEvent())),
             QByteArray(R"({"id":7,"timestamp":"2026-02-10T12:34:56.123000+00:00","threadId":"t1","agentId":"greeter",)"
                        R"("model":"gpt-4o-mini","provider":"openai","promptTokens":1000,"completionTokens":500,)"
                        R"("totalTokens":1500,"latencyMs":250.0,"estimatedCost":0.00045,"metadata":{"org_id":"acme"},)"
                        R"("outcome":"ok","cachedPromptTokens":200,"cacheWriteTokens":0,"reasoningTokens":0,)"
                        R"("estimatedTokens":false,"ttftMs":null,"tokensPerSecond":null})"));
    UsageEvent bare = sampleEvent();
    bare.agentId.clear();
    bare.estimatedCost.reset();
    bare.metadata.clear();
    bare.timestamp = QDateTime(QDate(2026, 2, 10), QTime(8, 0), Qt::UTC);
    const QCborMap json = usageEventJson(bare);
    QVERIFY(json.value(u"agentId"_s).isNull());
    QVERIFY(json.value(u"estimatedCost"_s).isNull());
    QCOMPARE(writeJson(json.value(u"metadata"_s)), QByteArray("{}"));
    QCOMPARE(json.value(u"timestamp"_s).toString(), u"2026-02-10T08:00:00+00:00"_s); // isoformat(): no zero fraction
}

void tst_UsageJson::historyPage()
{
    Page<UsageEvent> page;
    page.items = {sampleEvent(), sampleEvent()};
    page.total = 9;
    page.offset = 4;
    page.limit = 2;
    const QCborMap json = usageHistoryJson(page);
    QCOMPARE(json.keys(), (QList<QCborValue>{u"events"_s, u"count"_s, u"total"_s, u"offset"_s, u"limit"_s}));
    QCOMPARE(json.value(u"count"_s).toInteger(), 2);
    QCOMPARE(json.value(u"total"_s).toInteger(), 9);
    QCOMPARE(json.value(u"offset"_s).toInteger(), 4);
    QCOMPARE(json.value(u"limit"_s).toInteger(), 2);
    QCOMPARE(json.value(u"events"_s).toArray().size(), 2);
}

void tst_UsageJson::billingInnerMapsAreSnakeCase()
{
    BillingSummary summary;
    summary.totals = {1500, 1000, 500, 1, 0.0105, 0, 0};
    summary.byModel.insert(u"grok-4.1"_s, {1500, 1000, 500, 1, 0.0105, 0, 0});
    summary.byAgent.insert(u"greeter"_s, {1500, 1000, 500, 1, 0.0105, 0, 0});
    QCOMPARE(json(billingJson(summary, std::nullopt, QString(), u"2026-02-10T12:00:00+00:00"_s)),
             QByteArray(R"({"orgId":null,"startTime":"","endTime":"2026-02-10T12:00:00+00:00","totalTokens":1500,)"
                        R"("promptTokens":1000,"completionTokens":500,"requestCount":1,"totalCost":0.0105,)"
                        R"("unpricedRequests":0,"unpricedTokens":0,)"
                        R"("byModel":{"grok-4.1":{"total_tokens":1500,"prompt_tokens":1000,"completion_tokens":500,)"
                        R"("request_count":1,"total_cost":0.0105,"unpriced_requests":0,"unpriced_tokens":0}},)"
                        R"("byAgent":{"greeter":{"total_tokens":1500,"prompt_tokens":1000,"completion_tokens":500,)"
                        R"("request_count":1,"total_cost":0.0105,"unpriced_requests":0,"unpriced_tokens":0}}})"));
    const QCborMap withOrg = billingJson(BillingSummary{}, u"acme"_s, u"2026-01-01"_s, u"2026-02-01"_s);
    QCOMPARE(withOrg.value(u"orgId"_s).toString(), u"acme"_s);
    QCOMPARE(writeJson(withOrg.value(u"byModel"_s)), QByteArray("{}"));
    QCOMPARE(writeJson(withOrg.value(u"totalCost"_s)), QByteArray("0.0"));
}

void tst_UsageJson::dailyPoints()
{
    DailyUsage day;
    day.date = u"2026-02-10"_s;
    day.totalTokens = 6000;
    day.promptTokens = 4000;
    day.completionTokens = 2000;
    day.requestCount = 3;
    day.totalCost = 0.0319;
    day.unpricedRequests = 1;
    day.unpricedTokens = 400;
    QCOMPARE(json(dailyUsageJson({day})),
             QByteArray(R"({"days":[{"date":"2026-02-10","totalTokens":6000,"requestCount":3,"totalCost":0.0319,)"
                        R"("unpricedRequests":1,"unpricedTokens":400}],"count":1})"));
    QCOMPARE(json(dailyUsageJson({})), QByteArray(R"({"days":[],"count":0})"));
}

void tst_UsageJson::timeFilters_data()
{
    QTest::addColumn<QString>("given");
    QTest::addColumn<QString>("compared");
    QTest::newRow("absent") << QString() << QString();
    QTest::newRow("stored form kept (microseconds)")
        << u"2026-02-10T09:15:30.250001+00:00"_s << u"2026-02-10T09:15:30.250001+00:00"_s;
    QTest::newRow("stored form, whole second") << u"2026-02-10T09:15:30+00:00"_s << u"2026-02-10T09:15:30+00:00"_s;
    QTest::newRow("Z") << u"2026-02-10T10:00:00Z"_s << u"2026-02-10T10:00:00+00:00"_s;
    QTest::newRow("Z with millis") << u"2026-02-10T10:00:00.5Z"_s << u"2026-02-10T10:00:00.500000+00:00"_s;
    QTest::newRow("other offset") << u"2026-02-10T11:00:00+01:00"_s << u"2026-02-10T10:00:00+00:00"_s;
    QTest::newRow("negative offset") << u"2026-02-09T23:30:00-01:30"_s << u"2026-02-10T01:00:00+00:00"_s;
    QTest::newRow("no offset = UTC") << u"2026-02-10 10:00"_s << u"2026-02-10T10:00:00+00:00"_s;
    QTest::newRow("bare date") << u"2026-02-11"_s << u"2026-02-11T00:00:00+00:00"_s;
    QTest::newRow("not a timestamp: text as given") << u"2026"_s << u"2026"_s;
    QTest::newRow("garbage as given") << u"last tuesday"_s << u"last tuesday"_s;
}

void tst_UsageJson::timeFilters()
{
    QFETCH(QString, given);
    QFETCH(QString, compared);
    QCOMPARE(usageTimeFilter(given), compared);
}

void tst_UsageJson::budgetUpdate_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("maxTokens"); // 0: an error is expected
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("loc");

    QTest::newRow("camelCase") << QByteArray(R"({"maxTokens": 5000})") << qint64(5000) << QString() << QByteArray();
    QTest::newRow("snake_case") << QByteArray(R"({"max_tokens": 7})") << qint64(7) << QString() << QByteArray();
    QTest::newRow("alias wins") << QByteArray(R"({"max_tokens": 7, "maxTokens": 9})") << qint64(9) << QString()
                                << QByteArray();
    QTest::newRow("integral float") << QByteArray(R"({"maxTokens": 5000.0})") << qint64(5000) << QString()
                                    << QByteArray();
    QTest::newRow("extra keys ignored") << QByteArray(R"({"maxTokens": 1, "why": "x"})") << qint64(1) << QString()
                                        << QByteArray();
    QTest::newRow("largest") << QByteArray(R"({"maxTokens": 9007199254740992})") << (qint64(1) << 53) << QString()
                             << QByteArray();

    QTest::newRow("empty") << QByteArray("  ") << qint64(0) << u"missing"_s << QByteArray(R"(["body"])");
    QTest::newRow("malformed") << QByteArray(R"({"maxTokens": )") << qint64(0) << u"json_invalid"_s
                               << QByteArray(); // loc ["body", <offset>]
    QTest::newRow("array") << QByteArray("[5000]") << qint64(0) << u"model_attributes_type"_s
                           << QByteArray(R"(["body"])");
    QTest::newRow("scalar") << QByteArray("5000") << qint64(0) << u"model_attributes_type"_s
                            << QByteArray(R"(["body"])");
    QTest::newRow("missing") << QByteArray("{}") << qint64(0) << u"missing"_s << QByteArray(R"(["body","maxTokens"])");
    QTest::newRow("zero") << QByteArray(R"({"maxTokens": 0})") << qint64(0) << u"greater_than_equal"_s
                          << QByteArray(R"(["body","maxTokens"])");
    QTest::newRow("negative snake") << QByteArray(R"({"max_tokens": -5})") << qint64(0) << u"greater_than_equal"_s
                                    << QByteArray(R"(["body","max_tokens"])");
    QTest::newRow("fraction") << QByteArray(R"({"maxTokens": 2.5})") << qint64(0) << u"int_from_float"_s
                              << QByteArray(R"(["body","maxTokens"])");
    QTest::newRow("string") << QByteArray(R"({"maxTokens": "5000"})") << qint64(0) << u"int_type"_s
                            << QByteArray(R"(["body","maxTokens"])");
    QTest::newRow("boolean") << QByteArray(R"({"maxTokens": true})") << qint64(0) << u"int_type"_s
                             << QByteArray(R"(["body","maxTokens"])");
    QTest::newRow("null") << QByteArray(R"({"maxTokens": null})") << qint64(0) << u"int_type"_s
                          << QByteArray(R"(["body","maxTokens"])");
    QTest::newRow("object") << QByteArray(R"({"maxTokens": {"n": 1}})") << qint64(0) << u"int_type"_s
                            << QByteArray(R"(["body","maxTokens"])");
    QTest::newRow("2^53 + 1") << QByteArray(R"({"maxTokens": 9007199254740993})") << qint64(0) << u"less_than_equal"_s
                              << QByteArray(R"(["body","maxTokens"])");
    QTest::newRow("beyond 64 bits") << QByteArray(R"({"maxTokens": 99999999999999999999999})") << qint64(0)
                                    << u"less_than_equal"_s << QByteArray(R"(["body","maxTokens"])");
    QTest::newRow("1e300") << QByteArray(R"({"maxTokens": 1e300})") << qint64(0) << u"less_than_equal"_s
                           << QByteArray(R"(["body","maxTokens"])");
    QTest::newRow("-1e300") << QByteArray(R"({"maxTokens": -1e300})") << qint64(0) << u"greater_than_equal"_s
                            << QByteArray(R"(["body","maxTokens"])");
}

void tst_UsageJson::budgetUpdate()
{
    QFETCH(QByteArray, body);
    QFETCH(qint64, maxTokens);
    QFETCH(QString, type);
    QFETCH(QByteArray, loc);
    const BudgetUpdateParse parse = parseBudgetUpdate(body);
    if (maxTokens > 0) {
        QVERIFY2(parse.ok(), parse.ok() ? "" : qPrintable(parse.errors.first().msg));
        QCOMPARE(parse.maxTokens, maxTokens);
        return;
    }
    QCOMPARE(parse.errors.size(), 1);
    QCOMPARE(parse.errors.first().type, type);
    if (!loc.isEmpty())
        QCOMPARE(writeJson(parse.errors.first().loc), loc);
    else
        QCOMPARE(parse.errors.first().loc.first().toString(), u"body"_s);
    QVERIFY(!parse.errors.first().msg.isEmpty());
}

void tst_UsageJson::timeseries()
{
    UsageBucket point;
    point.start = QDateTime(QDate(2026, 2, 10), QTime(9, 0), Qt::UTC);
    point.key = u"grok-4.1"_s;
    point.promptTokens = 1000;
    point.completionTokens = 500;
    point.cachedPromptTokens = 100;
    point.totalTokens = 1500;
    point.requestCount = 2;
    point.totalCost = 0.1 + 0.2; // sums carry binary noise; points are rounded to 6 places
    const QDateTime since(QDate(2026, 2, 10), QTime(9, 0), Qt::UTC);
    QCOMPARE(json(usageTimeseriesJson(UsageBucketSize::Hour, UsageGroupBy::Model, since, QDateTime(), {point})),
             QByteArray(
                 R"({"bucket":"hour","groupBy":"model","since":"2026-02-10T09:00:00.000Z","until":null,)"
                 R"("points":[{"start":"2026-02-10T09:00:00.000Z","key":"grok-4.1","promptTokens":1000,)"
                 R"("completionTokens":500,"cachedPromptTokens":100,"cacheWriteTokens":0,"reasoningTokens":0,)"
                 R"("totalTokens":1500,"requestCount":2,"totalCost":0.3,"unpricedRequests":0,"unpricedTokens":0}]})"));
    for (const QString &name : usageBucketNames())
        QCOMPARE(usageBucketName(*parseUsageBucket(name)), name);
    for (const QString &name : usageGroupByNames())
        QCOMPARE(usageGroupByName(*parseUsageGroupBy(name)), name);
    QVERIFY(!parseUsageBucket(u"Hour"_s));
    QVERIFY(!parseUsageBucket(u"week"_s));
    QVERIFY(!parseUsageGroupBy(u"thread"_s));
}

void tst_UsageJson::exportCsvQuotesAndKeepsEveryColumn()
{
    UsageEvent tricky = sampleEvent();
    tricky.threadId = u"a,\"b\"\r\nc"_s;
    tricky.agentId.clear();
    tricky.estimatedCost.reset();
    tricky.estimatedTokens = true;
    tricky.metadata = {{u"note"_s, u"x,y"_s}};
    tricky.model = u"modèle"_s;
    tricky.outcome = UsageOutcome::Aborted;
    const QByteArray csv = usageExportCsv({sampleEvent(), tricky});
    const QList<QByteArray> lines = csv.split('\n');
    QCOMPARE(lines.first(),
             QByteArray("id,timestamp,threadId,agentId,model,provider,outcome,promptTokens,completionTokens,"
                        "cachedPromptTokens,cacheWriteTokens,reasoningTokens,totalTokens,estimatedTokens,estimatedCost,"
                        "latencyMs,ttftMs,tokensPerSecond,orgId,userId,metadata\r"));
    QCOMPARE(lines.at(1),
             QByteArray(R"(7,2026-02-10T12:34:56.123000+00:00,t1,greeter,gpt-4o-mini,openai,ok,1000,500,200,)"
                        R"(0,0,1500,false,0.00045,250.0,,,acme,,"{""org_id"":""acme""}")"
                        "\r"));
    // The line break inside the quoted thread id splits the raw text; the record is whole.
    const QString record = uR"(7,2026-02-10T12:34:56.123000+00:00,"a,""b"")"_s + u"\r\n"_s
        + uR"(c",,modèle,openai,aborted,1000,500,200,0,0,1500,true,,250.0,,,acme,,"{""note"":""x,y""}")"_s + u"\r\n"_s;
    QVERIFY2(csv.endsWith(record.toUtf8()), csv.constData());
    QVERIFY(csv.endsWith("\r\n"));
    QCOMPARE(usageExportCsv({}), lines.first() + '\n');
}

void tst_UsageJson::exportJsonHasTheSameColumns()
{
    const QCborArray list = usageExportJson({sampleEvent()});
    QCOMPARE(list.size(), 1);
    const QCborMap record = list.first().toMap();
    QStringList keys;
    for (const QCborValue &key : record.keys())
        keys.append(key.toString());
    QCOMPARE(keys, usageExportColumns());
    QCOMPARE(record.value(u"cachedPromptTokens"_s).toInteger(), 200);
    QCOMPARE(record.value(u"estimatedTokens"_s).toBool(), false);
    QCOMPARE(record.value(u"userId"_s), QCborValue(nullptr));
    QCOMPARE(writeJson(record.value(u"estimatedCost"_s)), QByteArray("0.00045"));
}

void tst_UsageJson::budgetEvents_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("agent");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray tail = R"("percentUsed":80.0,"tokensUsed":800,"tokensRemaining":200,"maxTokens":1000,)"
                            R"("message":"m","timestamp":"2026-02-10T12:34:56.123Z",)"
                            R"("scope":"thread","period":null,"maxCost":null,"costUsed":null})";
    QTest::newRow("warning") << u"warning"_s << u"writer"_s
                             << R"({"event":"budget_warning","threadId":"t1","agent":"writer","severity":"warning",)"
            + tail;
    QTest::newRow("critical") << u"critical"_s << u"writer"_s
                              << R"({"event":"budget_warning","threadId":"t1","agent":"writer","severity":"critical",)"
            + tail;
    QTest::newRow("final") << u"final"_s << u"writer"_s
                           << R"({"event":"budget_warning","threadId":"t1","agent":"writer","severity":"final",)"
            + tail;
    QTest::newRow("exhausted") << u"exhausted"_s << u"writer"_s
                               << R"({"event":"budget_exhausted","threadId":"t1","agent":"writer","severity":null,)"
            + tail;
    QTest::newRow("raised, no agent") << u"raised"_s << QString()
                                      << R"({"event":"budget_raised","threadId":"t1","agent":null,"severity":null,)"
            + tail;
}

void tst_UsageJson::budgetEvents()
{
    QFETCH(QString, kind);
    QFETCH(QString, agent);
    QFETCH(QByteArray, expected);
    BudgetEvent event;
    event.threadId = u"t1"_s;
    event.agent = agent;
    parseBudgetEventKind(kind, &event.kind);
    event.budget = budget(u"t1"_s, 1000, 600, 200);
    event.message = u"m"_s;
    event.timestamp = QDateTime(QDate(2026, 2, 10), QTime(12, 34, 56, 123), Qt::UTC);
    QCOMPARE(json(budgetEventJson(event)), expected);
}

// An agent's or the organism's budget: its scope and period, and for a cost budget its USD figures
// (tokens remaining and max tokens are null); the parser reads back what the window shows.
void tst_UsageJson::scopeBudgetEvents()
{
    ScopeBudget organism;
    organism.scope = u"organism"_s;
    organism.period = BudgetPeriod::Month;
    organism.maxCost = 50.0;
    organism.usedCost = 40.0;
    organism.usedTokens = 123456;
    BudgetEvent event;
    event.threadId = u"t1"_s;
    event.agent = u"writer"_s;
    event.kind = BudgetEventKind::Warning;
    event.message = u"m"_s;
    event.timestamp = QDateTime(QDate(2026, 2, 10), QTime(12, 34, 56, 123), Qt::UTC);
    event.scope = organism.scope;
    event.scopeBudget = organism;
    const QByteArray text = json(budgetEventJson(event));
    QCOMPARE(text,
             QByteArray(R"({"event":"budget_warning","threadId":"t1","agent":"writer","severity":"warning",)"
                        R"("percentUsed":80.0,"tokensUsed":123456,"tokensRemaining":null,"maxTokens":null,)"
                        R"("message":"m","timestamp":"2026-02-10T12:34:56.123Z",)"
                        R"("scope":"organism","period":"month","maxCost":50.0,"costUsed":40.0})"));
    const std::optional<BudgetEvent> parsed = parseBudgetEvent(QJsonDocument::fromJson(text).object());
    QVERIFY(parsed);
    QCOMPARE(parsed->scope, u"organism"_s);
    QVERIFY(parsed->scopeBudget);
    QVERIFY(parsed->scopeBudget->period == BudgetPeriod::Month);
    QCOMPARE(parsed->scopeBudget->maxCost, std::optional<double>(50.0));
    QCOMPARE(parsed->scopeBudget->usedCost, 40.0);
    QCOMPARE(parsed->scopeBudget->percentUsed(), 80.0);
}

QTEST_GUILESS_MAIN(tst_UsageJson)
#include "tst_usagejson.moc"
