// The usage ("gas") endpoints of spec §5.17–§5.24 and their agentdesk extensions (budget PUT, timeseries,
// export, WebSocket budget events) against a real Organism whose LLM agents are answered by a ScriptedLlm,
// over real sockets on 127.0.0.1.

#include "apiserver.h"
#include "organism.h"
#include "store/historystore.h"
#include "support/apitestclient.h"
#include "support/schemacheck.h"
#include "support/apifixture.h"
#include "support/wstestclient.h"
#include "injectandwait.h"
#include "organismhistory.h"

#include <QCborArray>
#include <QCborMap>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::ScriptedLlm;

namespace {

// agentdesk's keys after the original's in every counter set of the gauge (nothing unpriced, nothing
// streamed, every call ok).
#define ZERO_EXTENSIONS                                                                                                \
    R"(,"unpricedRequests":0,"unpricedTokens":0,"cachedPromptTokens":0,"cacheWriteTokens":0,"reasoningTokens":0,"unusableRequests":0,"errorRequests":0,"abortedRequests":0,"avgTtftMs":null,"avgTokensPerSecond":null)"

using Headers = QList<QPair<QByteArray, QByteArray>>;
const QByteArray kKey = "usage-secret-key-12345";
const char kKeyEnv[] = "AGENTDESK_USAGE_TEST_API_KEY";

// greeter and researcher are LLM agents; the reviewer's calls are held when the script is empty, which
// keeps a thread (and its budget) alive.
QByteArray organismYaml(qint64 maxTokensPerThread)
{
    return QByteArray(R"(
organism: {name: usage-organism}
max_tokens_per_thread: )")
        + QByteArray::number(maxTokensPerThread) + R"(
payloads:
  Question: {text: string}
  Review: {text: string}
  Done: {text: string}
listeners:
  - name: greeter
    description: Greets with an LLM
    payload_class: Question
    agent: true
    model: grok-4.1
    prompt: You greet.
    peers: [reviewer, done]
  - name: researcher
    description: Researches with an LLM
    payload_class: Question
    agent: true
    model: claude-sonnet-4
    prompt: You research.
    peers: [researcher, reviewer, done]
  - name: reviewer
    description: Reviews with an LLM
    payload_class: Review
    agent: true
    model: grok-4.1
    prompt: You review.
    peers: [done]
  - name: done
    description: Receives the result
    payload_class: Done
    handler: builtin:sink
)";
}

const QString kDone = u"<Done><Text>ok</Text></Done>"_s;
const QString kReview = u"<Review><Text>please</Text></Review>"_s;
const QString kAgain = u"<Question><Text>again</Text></Question>"_s;

ScriptedLlm::Step step(const QString &model, qint64 prompt, qint64 completion, const QString &reply = kDone,
                       double latencyMs = 100)
{
    ScriptedLlm::Step s;
    s.model = model;
    s.promptTokens = prompt;
    s.completionTokens = completion;
    s.latencyMs = latencyMs;
    s.reply = reply;
    s.provider = u"xai"_s;
    return s;
}

UsageEvent seeded(const QDateTime &time, const QString &thread, const QString &agent, const QString &model,
                  const QString &provider, qint64 prompt, qint64 completion, std::optional<double> cost,
                  const QString &org)
{
    UsageEvent e;
    e.timestamp = time;
    e.threadId = thread;
    e.agentId = agent;
    e.model = model;
    e.provider = provider;
    e.promptTokens = prompt;
    e.completionTokens = completion;
    e.totalTokens = prompt + completion;
    e.latencyMs = 200;
    e.estimatedCost = cost;
    if (!org.isEmpty()) {
        e.metadata.insert(u"org_id"_s, org);
        e.orgId = org;
    }
    return e;
}

QDateTime utc(int day, int hour, int minute, int second = 0, int ms = 0)
{
    return QDateTime(QDate(2026, 2, day), QTime(hour, minute, second, ms), Qt::UTC);
}

QString encoded(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

// RFC 4180 reader for checking the export: quoted fields may hold commas, quotes and line breaks.
QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row.append(std::exchange(field, {}));
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            row.append(std::exchange(field, {}));
            rows.append(std::exchange(row, {}));
            ++i;
        } else {
            field += c;
        }
    }
    return rows;
}

} // namespace

class tst_UsageRoutes : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    // §12 items 10–13
    void gaugeIsTheSpecExample();
    void costOfAMillionAndAMillion();
    void budgetsListAndDetail();
    void agentAndModelUsage();
    void resetZeroesCountersOnly();
    void readsFollowUsageRecordedOutsideTheApi();
    void readsFollowBudgetsAndResetsWithoutUsageEvents();

    // budgets: holds and the PUT extension
    void putReleasesAHeldThread();
    void aThreadHeldBeforeItsFirstCallIsExhausted();
    void putCreatesABudgetForAKnownThread();
    void webSocketBudgetEvents();
    void authOnPutAndReset();

    // the store-backed endpoints (S4) and extensions
    void historyOfRealCalls();
    void historyFiltersAndTotals_data();
    void historyFiltersAndTotals();
    void historyPaging();
    void billing();
    void daily();
    void timeseries_data();
    void timeseries();
    void exportCsv();
    void exportJson();

    // shapes, documentation, hardening
    void responsesMatchTheOpenApiSchemas();
    void openApiListsTheUsageRoutes();
    void badInput_data();
    void badInput();

private:
    void startOrganism(qint64 maxTokensPerThread = 100000, ApiServerOptions options = {});
    QString ask(const QString &agent, const QString &threadId = {});
    bool completed(const QString &thread);
    bool waitForBudgetEvent(QSignalSpy &spy, const QString &kind);
    void seedStore();
    HttpResult get(const QString &path, const Headers &headers = {}) { return m_client->get(path, headers); }
    HttpResult post(const QString &path, const QByteArray &body = {}, const Headers &headers = {})
    {
        return m_client->post(path, body, headers);
    }
    HttpResult put(const QString &path, const QByteArray &body, const Headers &headers = {})
    {
        return m_client->send("PUT", path, body, headers);
    }
    void verifyShape(const QJsonValue &value, const QString &schema);

    std::optional<ApiFixture> m_fixture;
    ScriptedLlm *m_llm = nullptr;   // the fixture's
    Organism *m_organism = nullptr; // the fixture's
    ApiServer *m_api = nullptr;     // the fixture's
    std::unique_ptr<ApiTestClient> m_client;
};

void tst_UsageRoutes::startOrganism(qint64 maxTokensPerThread, ApiServerOptions options)
{
    cleanup();
    m_fixture.emplace(organismYaml(maxTokensPerThread));
    m_llm = &m_fixture->llm();
    m_llm->defaultReply.reset(); // a call the test did not script is held: its thread and budget stay alive
    QString error;
    QVERIFY2(m_fixture->start(options, &error), qPrintable(error));
    m_organism = m_fixture->organism();
    m_api = m_fixture->api();
    m_client = std::make_unique<ApiTestClient>(m_api->port());
}

void tst_UsageRoutes::init()
{
    qunsetenv(kKeyEnv);
    startOrganism();
}

void tst_UsageRoutes::cleanup()
{
    m_client.reset();
    m_api = nullptr;
    m_organism = nullptr;
    m_llm = nullptr;
    m_fixture.reset();
    qunsetenv(kKeyEnv);
}

QString tst_UsageRoutes::ask(const QString &agent, const QString &threadId)
{
    InjectRequest request;
    request.to = agent;
    request.fields.insert(u"text"_s, u"hello"_s);
    request.threadId = threadId;
    const InjectResult result = test::injectAndWait(*m_organism, request);
    return result.has_value() ? result->threadId : QString();
}

bool tst_UsageRoutes::waitForBudgetEvent(QSignalSpy &spy, const QString &kind)
{
    return QTest::qWaitFor([&] {
        for (const QList<QVariant> &batch : std::as_const(spy)) {
            for (const BudgetEvent &event : batch.first().value<QList<BudgetEvent>>()) {
                if (toString(event.kind) == kind)
                    return true;
            }
        }
        return false;
    });
}

bool tst_UsageRoutes::completed(const QString &thread)
{
    return QTest::qWaitFor([&] {
        const auto info = m_organism->thread(thread);
        return info && info->status == ThreadStatus::Completed;
    });
}

// Five events written straight into the history, at known times, for the S4 endpoints.
//   e1 2026-02-10 09:15:30.250  t-a researcher grok-4.1        1000/500     0.0105   acme
//   e2 2026-02-10 09:45         t-a reviewer   claude-sonnet-4 2000/1000    0.021    acme
//   e3 2026-02-10 11:05         t-b researcher gpt-4o-mini     1000/500     0.00045  globex
//   e4 2026-02-11 08:00         t-c (none)     unknown-model    300/100     null     (none)
//   e5 2026-02-12 23:59:59.999  tricky id      researcher grok-4.1 1M/1M    18.0     acme
void tst_UsageRoutes::seedStore()
{
    HistoryStore *store = test::historyStoreOf(*m_organism);
    store->appendUsage(seeded(utc(10, 9, 15, 30, 250), u"t-a"_s, u"researcher"_s, u"grok-4.1"_s, u"xai"_s, 1000, 500,
                              0.0105, u"acme"_s));
    UsageEvent e2 = seeded(utc(10, 9, 45), u"t-a"_s, u"reviewer"_s, u"claude-sonnet-4"_s, u"anthropic"_s, 2000, 1000,
                           0.021, u"acme"_s);
    e2.cachedPromptTokens = 500;
    store->appendUsage(e2);
    store->appendUsage(seeded(utc(10, 11, 5), u"t-b"_s, u"researcher"_s, u"gpt-4o-mini"_s, u"openai"_s, 1000, 500,
                              0.00045, u"globex"_s));
    UsageEvent e4 = seeded(utc(11, 8, 0), u"t-c"_s, QString(), u"unknown-model"_s, u"ollama"_s, 300, 100, std::nullopt,
                           QString());
    e4.estimatedTokens = true;
    store->appendUsage(e4);
    store->appendUsage(seeded(utc(12, 23, 59, 59, 999), u"weird,\"id\"\nline"_s, u"researcher"_s, u"grok-4.1"_s,
                              u"xai"_s, 1000000, 1000000, 18.0, u"acme"_s));
    QVERIFY(store->sync());
}

void tst_UsageRoutes::verifyShape(const QJsonValue &value, const QString &schema)
{
    // The schemas of the document the server serves, so the check covers what clients read.
    const QJsonObject schemas = QJsonDocument::fromJson(m_api->openApiDocument())
                                    .object()
                                    .value(u"components"_s)
                                    .toObject()
                                    .value(u"schemas"_s)
                                    .toObject();
    const QStringList errors = checkAgainstSchema(value, schema, QCborMap::fromJsonObject(schemas));
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u"\n"_s)));
}

// --- §12 item 10 ------------------------------------------------------------------------------------

void tst_UsageRoutes::gaugeIsTheSpecExample()
{
    // After a reset: every key present and zero.
    QCOMPARE(post(u"/api/v1/usage/reset"_s).status, 200);
    HttpResult empty = get(u"/api/v1/usage"_s);
    QCOMPARE(empty.status, 200);
    QCOMPARE(empty.body,
             QByteArray(R"({"usage":{"totals":{"totalTokens":0,"promptTokens":0,"completionTokens":0,)"
                        R"("requestCount":0,"totalCost":0.0,"avgLatencyMs":0.0)" ZERO_EXTENSIONS
                        R"(},"byAgent":[],"byModel":[],"activeThreads":0}})"));

    // One call of greeter on grok-4.1, 100 + 50 tokens in 250 ms: spec §5.17 byte for byte (the call costs
    // 0.00105 USD, read out rounded to 4 places).
    m_llm->script = {step(u"grok-4.1"_s, 100, 50, kDone, 250)};
    QVERIFY(completed(ask(u"greeter"_s)));
    const HttpResult usage = get(u"/api/v1/usage"_s);
    QCOMPARE(usage.status, 200);
    QCOMPARE(usage.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(
        usage.body,
        QByteArray(R"({"usage":{"totals":{"totalTokens":150,"promptTokens":100,"completionTokens":50,"requestCount":1,)"
                   R"("totalCost":0.001,"avgLatencyMs":250.0)" ZERO_EXTENSIONS R"(},)"
                   R"("byAgent":[{"agentId":"greeter","totalTokens":150,"promptTokens":100,"completionTokens":50,)"
                   R"("requestCount":1,"totalCost":0.001)" ZERO_EXTENSIONS R"(}],)"
                   R"("byModel":[{"model":"grok-4.1","totalTokens":150,"promptTokens":100,"completionTokens":50,)"
                   R"("requestCount":1,"totalCost":0.001)" ZERO_EXTENSIONS R"(}],"activeThreads":0}})"));

    // avgLatencyMs is the unrounded mean; the model key is the name the provider returned, agents and
    // models stay in order of first appearance.
    m_llm->script = {step(u"gpt-4o-mini-2026-01"_s, 10, 10, kDone, 100.25)};
    QVERIFY(completed(ask(u"researcher"_s)));
    const QJsonObject overview = get(u"/api/v1/usage"_s).object().value(u"usage"_s).toObject();
    QCOMPARE(overview.value(u"totals"_s).toObject().value(u"avgLatencyMs"_s).toDouble(), 175.125);
    QCOMPARE(overview.value(u"byAgent"_s).toArray().at(1).toObject().value(u"agentId"_s).toString(), u"researcher"_s);
    QCOMPARE(overview.value(u"byModel"_s).toArray().at(1).toObject().value(u"model"_s).toString(),
             u"gpt-4o-mini-2026-01"_s);
}

void tst_UsageRoutes::costOfAMillionAndAMillion()
{
    // grok-4.1, 1M prompt + 1M completion tokens: 18.0 USD (spec §8.3). The budget (100,000) is far
    // exceeded, but the reply ends the thread: no further call is needed.
    m_llm->script = {step(u"grok-4.1"_s, 1000000, 1000000)};
    const QString thread = ask(u"greeter"_s);
    QVERIFY(completed(thread));
    const HttpResult usage = get(u"/api/v1/usage"_s);
    QVERIFY2(usage.body.contains(R"("totals":{"totalTokens":2000000,"promptTokens":1000000,"completionTokens":1000000,)"
                                 R"("requestCount":1,"totalCost":18.0,)"),
             usage.body.constData());
    QVERIFY2(usage.body.contains(R"("byModel":[{"model":"grok-4.1","totalTokens":2000000,)"), usage.body.constData());
    // The thread is over: its budget is gone (B2), whatever it consumed.
    QCOMPARE(usage.object().value(u"usage"_s).toObject().value(u"activeThreads"_s).toInt(), 0);
    // The stored event carries the per-call cost (6 places).
    const QJsonObject event = get(u"/api/v1/usage/history"_s).object().value(u"events"_s).toArray().first().toObject();
    QCOMPARE(event.value(u"threadId"_s).toString(), thread);
    QVERIFY(get(u"/api/v1/usage/history"_s).body.contains(R"("estimatedCost":18.0)"));
}

// --- §12 item 11 ------------------------------------------------------------------------------------

void tst_UsageRoutes::budgetsListAndDetail()
{
    QCOMPARE(get(u"/api/v1/usage/threads"_s).body, QByteArray(R"({"threads":[],"count":0,"defaultMaxTokens":100000})"));

    // Each researcher call hands over to the reviewer, whose call is held: the thread stays active with
    // the researcher's consumption on its budget.
    m_llm->script = {step(u"claude-sonnet-4"_s, 5000, 2000, kReview)};
    ask(u"researcher"_s, u"t1"_s);
    QTRY_COMPARE(m_llm->pending.size(), 1);
    m_llm->script = {step(u"claude-sonnet-4"_s, 10000, 5000, kReview)};
    ask(u"researcher"_s, u"t2"_s);
    QTRY_VERIFY(m_organism->budget(u"t2"_s) && m_organism->budget(u"t2"_s)->totalTokens() == 15000);

    const HttpResult list = get(u"/api/v1/usage/threads"_s);
    QCOMPARE(list.status, 200);
    QCOMPARE(list.object().value(u"count"_s).toInt(), 2);
    QCOMPARE(list.object().value(u"defaultMaxTokens"_s).toInt(), 100000);
    const QJsonArray threads = list.object().value(u"threads"_s).toArray();
    QCOMPARE(threads.at(0).toObject().value(u"threadId"_s).toString(), u"t2"_s); // hottest first
    QCOMPARE(threads.at(0).toObject().value(u"totalTokens"_s).toInt(), 15000);
    QCOMPARE(threads.at(0).toObject().value(u"percentUsed"_s).toDouble(), 15.0);
    QCOMPARE(threads.at(1).toObject().value(u"threadId"_s).toString(), u"t1"_s);
    QCOMPARE(threads.at(1).toObject().value(u"remaining"_s).toInt(), 93000);

    // Spec §5.19's example, byte for byte.
    m_llm->script = {step(u"claude-sonnet-4"_s, 3000, 1500, kReview)};
    ask(u"researcher"_s, u"my-thread"_s);
    QTRY_VERIFY(m_organism->budget(u"my-thread"_s) && m_organism->budget(u"my-thread"_s)->totalTokens() == 4500);
    const HttpResult detail = get(u"/api/v1/usage/threads/my-thread"_s);
    QCOMPARE(detail.status, 200);
    QCOMPARE(detail.body,
             QByteArray(R"({"threadId":"my-thread","maxTokens":100000,"promptTokens":3000,)"
                        R"("completionTokens":1500,"totalTokens":4500,"remaining":95500,"percentUsed":4.5,)"
                        R"("isExhausted":false})"));
    QCOMPARE(get(u"/api/v1/usage"_s).object().value(u"usage"_s).toObject().value(u"activeThreads"_s).toInt(), 3);

    // B2: no budget, 404 — also for a thread that exists but finished (its budget is gone).
    const HttpResult unknown = get(u"/api/v1/usage/threads/nope"_s);
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.detail(), u"No budget found for thread: nope"_s);
    m_llm->script = {step(u"grok-4.1"_s, 10, 10)};
    const QString finished = ask(u"greeter"_s);
    QVERIFY(completed(finished));
    QCOMPARE(get(u"/api/v1/usage/threads/"_s + finished).detail(), u"No budget found for thread: "_s + finished);
}

// --- §12 item 12 ------------------------------------------------------------------------------------

void tst_UsageRoutes::agentAndModelUsage()
{
    m_llm->script = {step(u"gpt-4o"_s, 1000, 500), step(u"gpt-4o"_s, 2000, 1000)};
    QVERIFY(completed(ask(u"researcher"_s)));
    QVERIFY(completed(ask(u"researcher"_s)));
    m_llm->script = {step(u"claude-sonnet-4"_s, 500, 200)};
    QVERIFY(completed(ask(u"greeter"_s)));

    const HttpResult researcher = get(u"/api/v1/usage/agents/researcher"_s);
    QCOMPARE(researcher.status, 200);
    QCOMPARE(researcher.body,
             QByteArray(R"({"agentId":"researcher","totalTokens":4500,"promptTokens":3000,)"
                        R"("completionTokens":1500,"requestCount":2,"totalCost":0.0225)" ZERO_EXTENSIONS "}"));
    QCOMPARE(get(u"/api/v1/usage/agents/nobody"_s).body,
             QByteArray(R"({"agentId":"nobody","totalTokens":0,"promptTokens":0,"completionTokens":0,"requestCount":0,)"
                        R"("totalCost":0.0)" ZERO_EXTENSIONS "}"));
    QCOMPARE(get(u"/api/v1/usage/models/claude-sonnet-4"_s).body,
             QByteArray(R"({"model":"claude-sonnet-4","totalTokens":700,"promptTokens":500,"completionTokens":200,)"
                        R"("requestCount":1,"totalCost":0.0045)" ZERO_EXTENSIONS "}"));
    // A model name with a slash can be addressed percent-encoded (the original answered 404).
    QCOMPARE(get(u"/api/v1/usage/models/"_s + encoded(u"openai/gpt-4o"_s)).object().value(u"model"_s).toString(),
             u"openai/gpt-4o"_s);
}

// --- §12 item 13 ------------------------------------------------------------------------------------

void tst_UsageRoutes::resetZeroesCountersOnly()
{
    m_llm->script = {step(u"grok-4.1"_s, 100, 50, kReview)};
    const QString thread = ask(u"greeter"_s);
    QTRY_COMPARE(m_llm->pending.size(), 1); // the reviewer holds the thread open
    QCOMPARE(get(u"/api/v1/usage"_s)
                 .object()
                 .value(u"usage"_s)
                 .toObject()
                 .value(u"totals"_s)
                 .toObject()
                 .value(u"totalTokens"_s)
                 .toInt(),
             150);

    const HttpResult reset = post(u"/api/v1/usage/reset"_s);
    QCOMPARE(reset.status, 200);
    QCOMPARE(reset.body, QByteArray(R"({"success":true,"message":"Usage tracking reset"})"));
    const QJsonObject usage = get(u"/api/v1/usage"_s).object().value(u"usage"_s).toObject();
    QCOMPARE(usage.value(u"totals"_s).toObject().value(u"totalTokens"_s).toInt(), 0);
    QCOMPARE(usage.value(u"totals"_s).toObject().value(u"requestCount"_s).toInt(), 0);
    QCOMPARE(usage.value(u"byAgent"_s).toArray().size(), 0);
    // Budgets and the history are untouched (decision 9), and recording goes on.
    QCOMPARE(usage.value(u"activeThreads"_s).toInt(), 1);
    QCOMPARE(get(u"/api/v1/usage/threads/"_s + thread).object().value(u"totalTokens"_s).toInt(), 150);
    QCOMPARE(get(u"/api/v1/usage/history"_s).object().value(u"total"_s).toInt(), 1);
    QVERIFY(m_llm->release(step(u"grok-4.1"_s, 20, 10)));
    QVERIFY(completed(thread));
    QCOMPARE(get(u"/api/v1/usage"_s)
                 .object()
                 .value(u"usage"_s)
                 .toObject()
                 .value(u"totals"_s)
                 .toObject()
                 .value(u"totalTokens"_s)
                 .toInt(),
             30);
    QCOMPARE(get(u"/api/v1/usage/history"_s).object().value(u"total"_s).toInt(), 2);
}

void tst_UsageRoutes::readsFollowUsageRecordedOutsideTheApi()
{
    // The GET responses are cached until the organism reports a change: usage recorded by an agent and
    // a budget that comes and goes must show on the next read.
    QCOMPARE(get(u"/api/v1/usage"_s)
                 .object()
                 .value(u"usage"_s)
                 .toObject()
                 .value(u"totals"_s)
                 .toObject()
                 .value(u"requestCount"_s)
                 .toInt(),
             0);
    QCOMPARE(get(u"/api/v1/usage/threads"_s).object().value(u"count"_s).toInt(), 0);
    QCOMPARE(get(u"/api/v1/usage/history"_s).object().value(u"total"_s).toInt(), 0);
    m_llm->script = {step(u"grok-4.1"_s, 100, 50, kReview)};
    const QString thread = ask(u"greeter"_s);
    QTRY_COMPARE(m_llm->pending.size(), 1);
    QTRY_COMPARE(get(u"/api/v1/usage"_s)
                     .object()
                     .value(u"usage"_s)
                     .toObject()
                     .value(u"totals"_s)
                     .toObject()
                     .value(u"requestCount"_s)
                     .toInt(),
                 1);
    QCOMPARE(get(u"/api/v1/usage/threads"_s).object().value(u"count"_s).toInt(), 1);
    QCOMPARE(get(u"/api/v1/usage/history"_s).object().value(u"total"_s).toInt(), 1);
    QVERIFY(m_llm->release(step(u"grok-4.1"_s, 1, 1)));
    QVERIFY(completed(thread));
    QTRY_COMPARE(get(u"/api/v1/usage/threads"_s).object().value(u"count"_s).toInt(), 0);
}

void tst_UsageRoutes::readsFollowBudgetsAndResetsWithoutUsageEvents()
{
    // No usage event says that a budget began or that someone reset the counters: the cached gauge
    // and budget list must follow anyway.
    const auto activeThreads = [this] {
        return get(u"/api/v1/usage"_s).object().value(u"usage"_s).toObject().value(u"activeThreads"_s).toInt();
    };
    QCOMPARE(activeThreads(), 0);
    QCOMPARE(activeThreads(), 0); // now from the cache
    m_llm->script = {};           // the call is held: its budget exists, no usage yet
    const QString thread = ask(u"greeter"_s);
    QTRY_COMPARE(m_llm->pending.size(), 1);
    QTRY_COMPARE(activeThreads(), 1);
    QCOMPARE(get(u"/api/v1/usage/threads"_s).object().value(u"count"_s).toInt(), 1);

    QVERIFY(m_llm->release(step(u"grok-4.1"_s, 100, 50)));
    QTRY_COMPARE(get(u"/api/v1/usage"_s)
                     .object()
                     .value(u"usage"_s)
                     .toObject()
                     .value(u"totals"_s)
                     .toObject()
                     .value(u"totalTokens"_s)
                     .toInt(),
                 150);
    // A reset by another client of the organism (the window), not through this API.
    m_organism->resetUsage();
    QTRY_COMPARE(get(u"/api/v1/usage"_s)
                     .object()
                     .value(u"usage"_s)
                     .toObject()
                     .value(u"totals"_s)
                     .toObject()
                     .value(u"totalTokens"_s)
                     .toInt(),
                 0);
    Q_UNUSED(thread);
}

// --- budgets -------------------------------------------------------------------------------------------

void tst_UsageRoutes::putReleasesAHeldThread()
{
    startOrganism(1000);
    QSignalSpy budgetSpy(m_organism, &Organism::budgetEvents);
    // The first call uses the whole budget; the reply asks the researcher again, and that call is not
    // made: the thread is held, neither failed nor completed.
    m_llm->script = {step(u"claude-sonnet-4"_s, 1000, 0, kAgain)};
    const QString thread = ask(u"researcher"_s);
    QVERIFY(waitForBudgetEvent(budgetSpy, u"exhausted"_s));
    QCOMPARE(toString(m_organism->agent(u"researcher"_s)->state), u"waiting"_s);
    QCOMPARE(m_llm->requests.size(), 1);
    QCOMPARE(toString(m_organism->thread(thread)->status), u"active"_s);
    const HttpResult held = get(u"/api/v1/usage/threads/"_s + thread);
    QCOMPARE(held.status, 200);
    QCOMPARE(held.object().value(u"isExhausted"_s).toBool(), true);
    QCOMPARE(held.object().value(u"remaining"_s).toInt(), 0);
    QVERIFY(held.body.contains(R"("percentUsed":100.0)"));

    // Lowering or keeping the maximum below what was used changes nothing for the hold.
    const HttpResult still = put(u"/api/v1/usage/threads/"_s + thread, R"({"max_tokens": 900})");
    QCOMPARE(still.status, 200);
    QCOMPARE(still.object().value(u"maxTokens"_s).toInt(), 900);
    QCOMPARE(still.object().value(u"isExhausted"_s).toBool(), true);
    QTest::qWait(50);
    QCOMPARE(m_llm->requests.size(), 1);

    // Raising it releases the held call, which runs and finishes the thread.
    m_llm->script = {step(u"claude-sonnet-4"_s, 10, 10)};
    const HttpResult raised = put(u"/api/v1/usage/threads/"_s + thread, R"({"maxTokens": 100000})");
    QCOMPARE(raised.status, 200);
    QCOMPARE(raised.body,
             QString(uR"({"threadId":"%1","maxTokens":100000,"promptTokens":1000,"completionTokens":0,)"
                     uR"("totalTokens":1000,"remaining":99000,"percentUsed":1.0,"isExhausted":false})"_s)
                 .arg(thread)
                 .toUtf8());
    QVERIFY(completed(thread));
    QCOMPARE(m_llm->requests.size(), 2);
    // B2: the finished thread's budget is gone.
    QCOMPARE(get(u"/api/v1/usage/threads/"_s + thread).status, 404);

    const HttpResult unknown = put(u"/api/v1/usage/threads/no-such-thread"_s, R"({"maxTokens": 5})");
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.detail(), u"Thread not found: no-such-thread"_s);
}

// A budget smaller than the first call's prompt estimate holds the thread before any call is made:
// nothing is spent (0 %), and the budget says exhausted, because the next call does not fit.
void tst_UsageRoutes::aThreadHeldBeforeItsFirstCallIsExhausted()
{
    startOrganism(200);
    QSignalSpy budgetSpy(m_organism, &Organism::budgetEvents);
    const QString thread = ask(u"researcher"_s);
    QVERIFY(waitForBudgetEvent(budgetSpy, u"exhausted"_s));
    QCOMPARE(m_llm->requests.size(), 0);
    QCOMPARE(toString(m_organism->thread(thread)->status), u"active"_s);
    QCOMPARE(toString(m_organism->agent(u"researcher"_s)->state), u"waiting"_s);
    QString exhausted;
    for (const QList<QVariant> &batch : std::as_const(budgetSpy)) {
        for (const BudgetEvent &event : batch.first().value<QList<BudgetEvent>>()) {
            if (event.kind == BudgetEventKind::Exhausted)
                exhausted = event.message;
        }
    }
    const QRegularExpression why(
        u"^Thread .{8}\\.\\.\\. budget exhausted: 0/200 tokens used; the next call needs about "
        "(\\d+) tokens \\(estimated\\), more than the 200 left; the thread is held until the "
        "budget is raised or it is killed$"_s);
    const QRegularExpressionMatch said = why.match(exhausted);
    QVERIFY2(said.hasMatch(), qPrintable(exhausted));
    QVERIFY(said.captured(1).toInt() > 200);

    const HttpResult held = get(u"/api/v1/usage/threads/"_s + thread);
    QCOMPARE(held.status, 200);
    verifyShape(held.object(), u"ThreadBudgetInfo"_s);
    QCOMPARE(held.body,
             QString(uR"({"threadId":"%1","maxTokens":200,"promptTokens":0,"completionTokens":0,)"
                     uR"("totalTokens":0,"remaining":200,"percentUsed":0.0,"isExhausted":true})"_s)
                 .arg(thread)
                 .toUtf8());
    const QJsonArray listed = get(u"/api/v1/usage/threads"_s).object().value(u"threads"_s).toArray();
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed.at(0).toObject().value(u"isExhausted"_s).toBool(), true);

    // A raise that still leaves the call out keeps it held; one it fits in releases it.
    const HttpResult small = put(u"/api/v1/usage/threads/"_s + thread, R"({"maxTokens": 201})");
    QCOMPARE(small.status, 200);
    QCOMPARE(small.object().value(u"isExhausted"_s).toBool(), true);
    m_llm->script = {step(u"claude-sonnet-4"_s, 10, 10)};
    const HttpResult raised = put(u"/api/v1/usage/threads/"_s + thread, R"({"maxTokens": 100000})");
    QCOMPARE(raised.status, 200);
    QCOMPARE(raised.object().value(u"isExhausted"_s).toBool(), false);
    QVERIFY(completed(thread));
    QCOMPARE(m_llm->requests.size(), 1);
}

void tst_UsageRoutes::putCreatesABudgetForAKnownThread()
{
    m_llm->script = {step(u"grok-4.1"_s, 10, 10)};
    const QString thread = ask(u"greeter"_s);
    QVERIFY(completed(thread));
    QCOMPARE(get(u"/api/v1/usage/threads/"_s + thread).status, 404);
    const HttpResult created = put(u"/api/v1/usage/threads/"_s + thread, R"({"maxTokens": 2500})");
    QCOMPARE(created.status, 200);
    QCOMPARE(created.object().value(u"maxTokens"_s).toInt(), 2500);
    QCOMPARE(created.object().value(u"totalTokens"_s).toInt(), 0);
    // The PUT ran through the API: cached reads show the new budget at once.
    QCOMPARE(get(u"/api/v1/usage/threads/"_s + thread).object().value(u"maxTokens"_s).toInt(), 2500);
    QCOMPARE(get(u"/api/v1/usage/threads"_s).object().value(u"count"_s).toInt(), 1);
}

void tst_UsageRoutes::webSocketBudgetEvents()
{
    startOrganism(1000);
    const QUrl url(u"ws://127.0.0.1:%1/ws"_s.arg(m_api->port()));
    WsTestClient all;
    WsTestClient otherThread;
    WsTestClient onlyRaised;
    WsTestClient greeterOnly;
    for (WsTestClient *client : {&all, &otherThread, &onlyRaised, &greeterOnly}) {
        QVERIFY(client->open(url));
        QVERIFY(!client->waitForEvent(u"connected"_s).isEmpty());
    }
    otherThread.send(QJsonObject{{u"cmd"_s, u"subscribe"_s}, {u"threads"_s, QJsonArray{u"other"_s}}});
    onlyRaised.send(QJsonObject{{u"cmd"_s, u"subscribe"_s}, {u"events"_s, QJsonArray{u"budget_raised"_s}}});
    greeterOnly.send(QJsonObject{{u"cmd"_s, u"subscribe"_s}, {u"agents"_s, QJsonArray{u"greeter"_s}}});
    for (WsTestClient *client : {&otherThread, &onlyRaised, &greeterOnly})
        QVERIFY(!client->waitForEvent(u"subscribed"_s).isEmpty());

    m_llm->script = {step(u"claude-sonnet-4"_s, 1000, 0, kAgain)};
    const QString thread = ask(u"researcher"_s);
    const auto budgetEvent = [&](const QString &name) {
        return all.waitFor([&](const QJsonObject &frame) { return frame.value(u"event"_s).toString() == name; });
    };

    // 100 % at once: the three thresholds fire in ascending order, then the next call is held.
    const QStringList severities{u"warning"_s, u"critical"_s, u"final"_s};
    for (const QString &severity : severities) {
        const QJsonObject warning = budgetEvent(u"budget_warning"_s);
        QCOMPARE(warning.value(u"severity"_s).toString(), severity);
        QCOMPARE(warning.value(u"threadId"_s).toString(), thread);
        QCOMPARE(warning.value(u"agent"_s).toString(), u"researcher"_s);
        QCOMPARE(warning.value(u"percentUsed"_s).toDouble(), 100.0);
        QCOMPARE(warning.value(u"tokensUsed"_s).toInt(), 1000);
        QCOMPARE(warning.value(u"tokensRemaining"_s).toInt(), 0);
        QCOMPARE(warning.value(u"maxTokens"_s).toInt(), 1000);
        QVERIFY(QRegularExpression(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"_s)
                    .match(warning.value(u"timestamp"_s).toString())
                    .hasMatch());
        verifyShape(warning, u"BudgetEvent"_s);
        if (severity == u"final") {
            QCOMPARE(warning.value(u"message"_s).toString(),
                     u"CRITICAL: 100% of token budget used. Only 0 tokens remaining. Wrap up immediately or your "
                     u"next request may fail."_s);
        }
    }
    const QJsonObject exhausted = budgetEvent(u"budget_exhausted"_s);
    QCOMPARE(exhausted.value(u"threadId"_s).toString(), thread);
    QCOMPARE(exhausted.value(u"agent"_s).toString(), u"researcher"_s);
    QVERIFY(exhausted.value(u"severity"_s).isNull());
    QVERIFY(exhausted.value(u"message"_s).toString().contains(u"budget exhausted"_s));
    verifyShape(exhausted, u"BudgetEvent"_s);

    m_llm->script = {step(u"claude-sonnet-4"_s, 10, 10)};
    QCOMPARE(put(u"/api/v1/usage/threads/"_s + thread, R"({"maxTokens": 4000})").status, 200);
    const QJsonObject raised = budgetEvent(u"budget_raised"_s);
    QCOMPARE(raised.value(u"threadId"_s).toString(), thread);
    QVERIFY(raised.value(u"agent"_s).isNull());
    QVERIFY(raised.value(u"severity"_s).isNull());
    QCOMPARE(raised.value(u"maxTokens"_s).toInt(), 4000);
    QCOMPARE(raised.value(u"tokensRemaining"_s).toInt(), 3000);
    QCOMPARE(raised.value(u"percentUsed"_s).toDouble(), 25.0);
    verifyShape(raised, u"BudgetEvent"_s);
    QVERIFY(completed(thread));

    // Filters: a pong answers after every frame queued before it, so what has not arrived by then was
    // not sent.
    const auto budgetEventsOf = [](WsTestClient &client) {
        client.send(QJsonObject{{u"cmd"_s, u"ping"_s}});
        (void)client.waitForEvent(u"pong"_s);
        QStringList names;
        for (const QJsonObject &frame : std::as_const(client.frames)) {
            const QString name = frame.value(u"event"_s).toString();
            if (name.startsWith(u"budget_"_s))
                names.append(name + u':' + frame.value(u"severity"_s).toString());
        }
        return names;
    };
    QCOMPARE(budgetEventsOf(otherThread), QStringList());
    QCOMPARE(budgetEventsOf(onlyRaised), QStringList{u"budget_raised:"_s});
    QCOMPARE(budgetEventsOf(greeterOnly), QStringList{u"budget_raised:"_s}); // the raise names no agent
    QCOMPARE(budgetEventsOf(all),
             (QStringList{u"budget_warning:warning"_s, u"budget_warning:critical"_s, u"budget_warning:final"_s,
                          u"budget_exhausted:"_s, u"budget_raised:"_s}));
}

void tst_UsageRoutes::authOnPutAndReset()
{
    qputenv(kKeyEnv, kKey);
    OrganismConfig config;
    config.auth.apiKeyEnv = QString::fromLatin1(kKeyEnv);
    startOrganism(100000, ApiServerOptions::fromConfig(config));
    m_llm->script = {step(u"grok-4.1"_s, 10, 10)};
    const QString thread = ask(u"greeter"_s);
    QVERIFY(completed(thread));
    const QString path = u"/api/v1/usage/threads/"_s + thread;

    const HttpResult noKeyPut = put(path, R"({"maxTokens": 10})");
    QCOMPARE(noKeyPut.status, 401);
    QCOMPARE(noKeyPut.detail(), u"Authentication required"_s);
    QCOMPARE(noKeyPut.header("WWW-Authenticate"), QByteArray("Bearer"));
    const HttpResult noKeyReset = post(u"/api/v1/usage/reset"_s);
    QCOMPARE(noKeyReset.status, 401);
    QCOMPARE(noKeyReset.detail(), u"Authentication required"_s);
    const Headers wrong{{"Authorization", "Bearer wrong"}};
    QCOMPARE(put(path, R"({"maxTokens": 10})", wrong).status, 403);
    QCOMPARE(put(path, R"({"maxTokens": 10})", wrong).detail(), u"Invalid API key"_s);
    QCOMPARE(post(u"/api/v1/usage/reset"_s, {}, wrong).status, 403);
    // A valid body with a bad value is refused by auth first; malformed JSON is reported before auth (§2.3).
    QCOMPARE(put(path, R"({"maxTokens": 0})").status, 401);
    QCOMPARE(put(path, R"({"maxTokens": )").status, 422);
    // Nothing changed so far.
    QCOMPARE(get(path).status, 404);
    QCOMPARE(m_organism->usage().totals.requestCount, 1);

    const Headers key{{"Authorization", "Bearer " + kKey}};
    QCOMPARE(put(path, R"({"maxTokens": 10})", key).status, 200);
    QCOMPARE(post(u"/api/v1/usage/reset"_s, {}, key).status, 200);
    QCOMPARE(m_organism->usage().totals.requestCount, 0);
    // Reads stay open.
    for (const QString &read : {u"/api/v1/usage"_s, u"/api/v1/usage/threads"_s, path, u"/api/v1/usage/history"_s})
        QCOMPARE(get(read).status, 200);

    const QJsonObject paths = QJsonDocument::fromJson(m_api->openApiDocument()).object().value(u"paths"_s).toObject();
    QVERIFY(paths.value(u"/api/v1/usage/threads/{thread_id}"_s)
                .toObject()
                .value(u"put"_s)
                .toObject()
                .contains(u"security"_s));
    QVERIFY(paths.value(u"/api/v1/usage/reset"_s).toObject().value(u"post"_s).toObject().contains(u"security"_s));
    QVERIFY(!paths.value(u"/api/v1/usage/threads/{thread_id}"_s)
                 .toObject()
                 .value(u"get"_s)
                 .toObject()
                 .contains(u"security"_s));
}

// --- history, billing, daily, timeseries, export ----------------------------------------------------------

void tst_UsageRoutes::historyOfRealCalls()
{
    m_llm->script = {step(u"grok-4.1"_s, 100, 50, kDone, 250), step(u"gpt-4o-mini"_s, 1000, 500)};
    const QString first = ask(u"greeter"_s);
    QVERIFY(completed(first));
    const QString second = ask(u"researcher"_s);
    QVERIFY(completed(second));
    const HttpResult history = get(u"/api/v1/usage/history"_s);
    QCOMPARE(history.status, 200);
    const QJsonObject page = history.object();
    QCOMPARE(page.value(u"count"_s).toInt(), 2);
    QCOMPARE(page.value(u"total"_s).toInt(), 2);
    QCOMPARE(page.value(u"offset"_s).toInt(), 0);
    QCOMPARE(page.value(u"limit"_s).toInt(), 100);
    const QJsonArray events = page.value(u"events"_s).toArray();
    const QJsonObject newest = events.at(0).toObject();
    QCOMPARE(newest.value(u"threadId"_s).toString(), second);
    QCOMPARE(newest.value(u"agentId"_s).toString(), u"researcher"_s);
    QCOMPARE(newest.value(u"model"_s).toString(), u"gpt-4o-mini"_s);
    QCOMPARE(newest.value(u"provider"_s).toString(), u"xai"_s);
    QCOMPARE(newest.value(u"totalTokens"_s).toInt(), 1500);
    QCOMPARE(newest.value(u"metadata"_s).toObject().value(u"backend"_s).toString(), u"scripted"_s);
    // gpt-4o-mini 1000 + 500 tokens: 0.00045 USD (spec §8.3), written as Python would.
    QVERIFY2(history.body.contains(R"("estimatedCost":0.00045,)"), history.body.constData());
    QVERIFY2(history.body.contains(R"("latencyMs":250.0,"estimatedCost":0.00105,)"), history.body.constData());
    // The stored isoformat() text, with +00:00.
    QVERIFY(QRegularExpression(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00$"_s)
                .match(newest.value(u"timestamp"_s).toString())
                .hasMatch());
    QVERIFY(newest.value(u"id"_s).toInt() > events.at(1).toObject().value(u"id"_s).toInt());
}

void tst_UsageRoutes::historyFiltersAndTotals_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("threads"); // expected events, newest first
    QTest::addColumn<int>("total");
    const QString e5 = u"weird,\"id\"\nline"_s;
    QTest::newRow("all") << QString() << QStringList{e5, u"t-c"_s, u"t-b"_s, u"t-a"_s, u"t-a"_s} << 5;
    QTest::newRow("agent") << u"agent_id=researcher"_s << QStringList{e5, u"t-b"_s, u"t-a"_s} << 3;
    QTest::newRow("model") << u"model=grok-4.1"_s << QStringList{e5, u"t-a"_s} << 2;
    QTest::newRow("org") << u"org_id=acme"_s << QStringList{e5, u"t-a"_s, u"t-a"_s} << 3;
    QTest::newRow("agent and org") << u"agent_id=researcher&org_id=acme"_s << QStringList{e5, u"t-a"_s} << 2;
    QTest::newRow("start Z") << u"start_time=2026-02-10T10:00:00Z"_s << QStringList{e5, u"t-c"_s, u"t-b"_s} << 3;
    QTest::newRow("start other offset") << u"start_time=2026-02-10T11:00:00%2B01:00"_s
                                        << QStringList{e5, u"t-c"_s, u"t-b"_s} << 3;
    QTest::newRow("end bare date") << u"end_time=2026-02-11"_s << QStringList{u"t-b"_s, u"t-a"_s, u"t-a"_s} << 3;
    QTest::newRow("period") << u"start_time=2026-02-10T09:30:00Z&end_time=2026-02-11T08:00:00Z"_s
                            << QStringList{u"t-c"_s, u"t-b"_s, u"t-a"_s} << 3;
    QTest::newRow("stored form, equal") << u"start_time=2026-02-10T09:15:30.250000%2B00:00&model=grok-4.1"_s
                                        << QStringList{e5, u"t-a"_s} << 2;
    QTest::newRow("stored form, a microsecond later")
        << u"start_time=2026-02-10T09:15:30.250001%2B00:00&model=grok-4.1"_s << QStringList{e5} << 1;
    QTest::newRow("nothing") << u"agent_id=nobody"_s << QStringList() << 0;
    QTest::newRow("empty filters are no filters")
        << u"agent_id=&model=&org_id="_s << QStringList{e5, u"t-c"_s, u"t-b"_s, u"t-a"_s, u"t-a"_s} << 5;
}

void tst_UsageRoutes::historyFiltersAndTotals()
{
    QFETCH(QString, query);
    QFETCH(QStringList, threads);
    QFETCH(int, total);
    seedStore();
    const HttpResult result = get(u"/api/v1/usage/history?"_s + query);
    QCOMPARE(result.status, 200);
    QStringList got;
    const QJsonArray events = result.object().value(u"events"_s).toArray();
    for (const QJsonValue &event : events)
        got.append(event.toObject().value(u"threadId"_s).toString());
    QCOMPARE(got, threads);
    QCOMPARE(result.object().value(u"count"_s).toInt(), threads.size());
    QCOMPARE(result.object().value(u"total"_s).toInt(), total); // every filter counts (decision 9)
}

void tst_UsageRoutes::historyPaging()
{
    seedStore();
    const QJsonObject page = get(u"/api/v1/usage/history?limit=2&offset=1"_s).object();
    QCOMPARE(page.value(u"count"_s).toInt(), 2);
    QCOMPARE(page.value(u"total"_s).toInt(), 5);
    QCOMPARE(page.value(u"offset"_s).toInt(), 1);
    QCOMPARE(page.value(u"limit"_s).toInt(), 2);
    const QJsonArray events = page.value(u"events"_s).toArray();
    QCOMPARE(events.at(0).toObject().value(u"threadId"_s).toString(), u"t-c"_s);
    QCOMPARE(events.at(1).toObject().value(u"threadId"_s).toString(), u"t-b"_s);
    // e4: no agent, no price, estimated tokens.
    const QJsonObject e4 = events.at(0).toObject();
    QVERIFY(e4.value(u"agentId"_s).isNull());
    QVERIFY(e4.value(u"estimatedCost"_s).isNull());
    QCOMPARE(e4.value(u"timestamp"_s).toString(), u"2026-02-11T08:00:00+00:00"_s);
    QCOMPARE(get(u"/api/v1/usage/history?offset=5"_s).object().value(u"events"_s).toArray().size(), 0);
    QCOMPARE(get(u"/api/v1/usage/history?offset=5"_s).object().value(u"total"_s).toInt(), 5);
    QCOMPARE(get(u"/api/v1/usage/history?limit=1000"_s).object().value(u"count"_s).toInt(), 5);
    // e1 in full: the stored text keeps the microseconds, metadata is an object.
    const QJsonObject e1 =
        get(u"/api/v1/usage/history?offset=4"_s).object().value(u"events"_s).toArray().at(0).toObject();
    QCOMPARE(e1.value(u"timestamp"_s).toString(), u"2026-02-10T09:15:30.250000+00:00"_s);
    QCOMPARE(e1.value(u"metadata"_s).toObject(), (QJsonObject{{u"org_id"_s, u"acme"_s}}));
    QCOMPARE(e1.value(u"estimatedCost"_s).toDouble(), 0.0105);
}

void tst_UsageRoutes::billing()
{
    seedStore();
    const HttpResult all = get(u"/api/v1/usage/billing"_s);
    QCOMPARE(all.status, 200);
    const QJsonObject summary = all.object();
    QVERIFY(summary.value(u"orgId"_s).isNull());
    QCOMPARE(summary.value(u"startTime"_s).toString(), QString());
    // endTime defaults to now, in the original's isoformat() form.
    const QString end = summary.value(u"endTime"_s).toString();
    QVERIFY2(end.endsWith(u"+00:00"_s), qPrintable(end));
    const QDateTime endTime = QDateTime::fromString(end, Qt::ISODateWithMs);
    QVERIFY(endTime.isValid());
    QVERIFY(qAbs(endTime.secsTo(QDateTime::currentDateTimeUtc())) < 600);
    QCOMPARE(summary.value(u"totalTokens"_s).toInt(), 1500 + 3000 + 1500 + 400 + 2000000);
    QCOMPARE(summary.value(u"promptTokens"_s).toInt(), 1000 + 2000 + 1000 + 300 + 1000000);
    QCOMPARE(summary.value(u"completionTokens"_s).toInt(), 500 + 1000 + 500 + 100 + 1000000);
    QCOMPARE(summary.value(u"requestCount"_s).toInt(), 5);
    QCOMPARE(summary.value(u"totalCost"_s).toDouble(), 18.0319); // round(18.03195, 4), null costs left out
    const QJsonObject byModel = summary.value(u"byModel"_s).toObject();
    QCOMPARE(byModel.keys(), (QStringList{u"claude-sonnet-4"_s, u"gpt-4o-mini"_s, u"grok-4.1"_s, u"unknown-model"_s}));
    QCOMPARE(byModel.value(u"grok-4.1"_s).toObject(),
             (QJsonObject{{u"total_tokens"_s, 2001500},
                          {u"prompt_tokens"_s, 1001000},
                          {u"completion_tokens"_s, 1000500},
                          {u"request_count"_s, 2},
                          {u"total_cost"_s, 18.0105},
                          {u"unpriced_requests"_s, 0},
                          {u"unpriced_tokens"_s, 0}}));
    // Unpriced is not free: the cost stays 0.0 for the original's clients, and says why beside it.
    QCOMPARE(byModel.value(u"unknown-model"_s).toObject().value(u"total_cost"_s).toDouble(), 0.0);
    QCOMPARE(byModel.value(u"unknown-model"_s).toObject().value(u"unpriced_requests"_s).toInt(), 1);
    QCOMPARE(byModel.value(u"unknown-model"_s).toObject().value(u"unpriced_tokens"_s).toInt(), 400);
    QCOMPARE(summary.value(u"unpricedRequests"_s).toInt(), 1);
    QCOMPARE(summary.value(u"unpricedTokens"_s).toInt(), 400);
    // Events without an agent are not grouped.
    const QJsonObject byAgent = summary.value(u"byAgent"_s).toObject();
    QCOMPARE(byAgent.keys(), (QStringList{u"researcher"_s, u"reviewer"_s}));
    QCOMPARE(byAgent.value(u"researcher"_s).toObject().value(u"request_count"_s).toInt(), 3);
    QVERIFY2(all.body.contains(R"("reviewer":{"total_tokens":3000,"prompt_tokens":2000,"completion_tokens":1000,)"
                               R"("request_count":1,"total_cost":0.021,"unpriced_requests":0,"unpriced_tokens":0})"),
             all.body.constData());

    // Org and period: echoed as given; the filter compares chronologically whatever the offset form.
    const HttpResult acme = get(u"/api/v1/usage/billing?org_id=acme&start_time=2026-02-10T10:45:00%2B01:00"
                                u"&end_time=2026-02-11T00:00:00Z"_s);
    const QJsonObject period = acme.object();
    QCOMPARE(period.value(u"orgId"_s).toString(), u"acme"_s);
    QCOMPARE(period.value(u"startTime"_s).toString(), u"2026-02-10T10:45:00+01:00"_s);
    QCOMPARE(period.value(u"endTime"_s).toString(), u"2026-02-11T00:00:00Z"_s);
    QCOMPARE(period.value(u"requestCount"_s).toInt(), 1); // e2 only (09:45 ≥ 09:45Z)
    QCOMPARE(period.value(u"totalCost"_s).toDouble(), 0.021);
    QCOMPARE(period.value(u"byModel"_s).toObject().keys(), QStringList{u"claude-sonnet-4"_s});

    const QJsonObject none = get(u"/api/v1/usage/billing?org_id=initech"_s).object();
    QCOMPARE(none.value(u"requestCount"_s).toInt(), 0);
    QCOMPARE(none.value(u"totalCost"_s).toDouble(), 0.0);
    QCOMPARE(none.value(u"byModel"_s).toObject(), QJsonObject());
    QVERIFY(!none.contains(u"byOrganism"_s)); // the original's shape unless scope=all is asked for

    // scope=all (extension): every organism sharing the history, keyed by name (and instance, on
    // PostgreSQL, where this test process's earlier organisms share the database); it adds them up.
    const QJsonObject team = get(u"/api/v1/usage/billing?scope=all"_s).object();
    const QJsonObject byOrganism = team.value(u"byOrganism"_s).toObject();
    const QString instance = m_organism->config().history.instance;
    const QString self = instance.isEmpty() ? u"usage-organism"_s : u"usage-organism/"_s + instance;
    QCOMPARE(byOrganism.value(self).toObject().value(u"request_count"_s).toInt(), 5);
    int sum = 0;
    for (const QJsonValue &organism : byOrganism)
        sum += organism.toObject().value(u"request_count"_s).toInt();
    QCOMPARE(team.value(u"requestCount"_s).toInt(), sum);
    if (instance.isEmpty())
        QCOMPARE(byOrganism.size(), 1); // a SQLite history holds one organism
    QCOMPARE(get(u"/api/v1/usage/billing?scope=organism"_s).object().value(u"requestCount"_s).toInt(), 5);
    const HttpResult wrongScope = get(u"/api/v1/usage/billing?scope=everyone"_s);
    QCOMPARE(wrongScope.status, 422);
    QCOMPARE(wrongScope.detailList().first().toObject().value(u"type"_s).toString(), u"literal_error"_s);
}

void tst_UsageRoutes::daily()
{
    seedStore();
    const HttpResult result = get(u"/api/v1/usage/daily"_s);
    QCOMPARE(result.status, 200);
    // round(0.0105 + 0.021 + 0.00045, 4); a day of unpriced calls costs 0.0.
    QCOMPARE(result.body,
             QByteArray(R"({"days":[{"date":"2026-02-10","totalTokens":6000,"requestCount":3,"totalCost":0.0319,)"
                        R"("unpricedRequests":0,"unpricedTokens":0},)"
                        R"({"date":"2026-02-11","totalTokens":400,"requestCount":1,"totalCost":0.0,)"
                        R"("unpricedRequests":1,"unpricedTokens":400},)"
                        R"({"date":"2026-02-12","totalTokens":2000000,"requestCount":1,"totalCost":18.0,)"
                        R"("unpricedRequests":0,"unpricedTokens":0}],"count":3})"));
    const QJsonObject globex = get(u"/api/v1/usage/daily?org_id=globex"_s).object();
    QCOMPARE(globex.value(u"count"_s).toInt(), 1);
    QCOMPARE(globex.value(u"days"_s).toArray().at(0).toObject().value(u"totalCost"_s).toDouble(),
             0.0004); // round(0.00045, 4)
    const QJsonObject period =
        get(u"/api/v1/usage/daily?start_time=2026-02-11&end_time=2026-02-12T12:00:00Z"_s).object();
    QCOMPARE(period.value(u"count"_s).toInt(), 1);
    QCOMPARE(period.value(u"days"_s).toArray().at(0).toObject().value(u"date"_s).toString(), u"2026-02-11"_s);
}

void tst_UsageRoutes::timeseries_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("bucket");
    QTest::addColumn<QString>("groupBy");
    QTest::addColumn<QStringList>("points"); // "start key totalTokens requestCount"
    QTest::newRow("defaults: hour by model")
        << QString() << u"hour"_s << u"model"_s
        << QStringList{u"2026-02-10T09:00:00.000Z claude-sonnet-4 3000 1"_s,
                       u"2026-02-10T09:00:00.000Z grok-4.1 1500 1"_s, u"2026-02-10T11:00:00.000Z gpt-4o-mini 1500 1"_s,
                       u"2026-02-11T08:00:00.000Z unknown-model 400 1"_s,
                       u"2026-02-12T23:00:00.000Z grok-4.1 2000000 1"_s};
    QTest::newRow("day by agent") << u"bucket=day&groupBy=agent"_s << u"day"_s << u"agent"_s
                                  << QStringList{u"2026-02-10T00:00:00.000Z researcher 3000 2"_s,
                                                 u"2026-02-10T00:00:00.000Z reviewer 3000 1"_s,
                                                 u"2026-02-11T00:00:00.000Z  400 1"_s, // no agent: key ""
                                                 u"2026-02-12T00:00:00.000Z researcher 2000000 1"_s};
    QTest::newRow("minute, bounded") << u"bucket=minute&since=2026-02-10T10:00:00%2B01:00&until=2026-02-10T09:59:59Z"_s
                                     << u"minute"_s << u"model"_s
                                     << QStringList{u"2026-02-10T09:15:00.000Z grok-4.1 1500 1"_s,
                                                    u"2026-02-10T09:45:00.000Z claude-sonnet-4 3000 1"_s};
    QTest::newRow("since only, any form") << u"bucket=day&since=2026-02-12"_s << u"day"_s << u"model"_s
                                          << QStringList{u"2026-02-12T00:00:00.000Z grok-4.1 2000000 1"_s};
    QTest::newRow("one agent's, by model")
        << u"bucket=day&agent=researcher"_s << u"day"_s << u"model"_s
        << QStringList{u"2026-02-10T00:00:00.000Z gpt-4o-mini 1500 1"_s, u"2026-02-10T00:00:00.000Z grok-4.1 1500 1"_s,
                       u"2026-02-12T00:00:00.000Z grok-4.1 2000000 1"_s};
    QTest::newRow("one model's, by agent") << u"bucket=day&groupBy=agent&model=grok-4.1"_s << u"day"_s << u"agent"_s
                                           << QStringList{u"2026-02-10T00:00:00.000Z researcher 1500 1"_s,
                                                          u"2026-02-12T00:00:00.000Z researcher 2000000 1"_s};
    QTest::newRow("empty window") << u"since=2026-03-01T00:00:00Z"_s << u"hour"_s << u"model"_s << QStringList();
}

void tst_UsageRoutes::timeseries()
{
    QFETCH(QString, query);
    QFETCH(QString, bucket);
    QFETCH(QString, groupBy);
    QFETCH(QStringList, points);
    seedStore();
    const HttpResult result = get(u"/api/v1/usage/timeseries?"_s + query);
    QCOMPARE(result.status, 200);
    const QJsonObject series = result.object();
    QCOMPARE(series.value(u"bucket"_s).toString(), bucket);
    QCOMPARE(series.value(u"groupBy"_s).toString(), groupBy);
    QStringList got;
    const QJsonArray list = series.value(u"points"_s).toArray();
    for (const QJsonValue &value : list) {
        const QJsonObject point = value.toObject();
        got.append(u"%1 %2 %3 %4"_s.arg(point.value(u"start"_s).toString(), point.value(u"key"_s).toString())
                       .arg(point.value(u"totalTokens"_s).toInteger())
                       .arg(point.value(u"requestCount"_s).toInteger()));
    }
    QCOMPARE(got, points);
    verifyShape(series, u"UsageTimeseries"_s);
}

void tst_UsageRoutes::exportCsv()
{
    seedStore();
    const HttpResult result = get(u"/api/v1/usage/export"_s);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.header("Content-Type"), QByteArray("text/csv; charset=utf-8"));
    QCOMPARE(result.header("Content-Disposition"), QByteArray("attachment; filename=\"usage-events.csv\""));
    const QList<QStringList> rows = parseCsv(QString::fromUtf8(result.body));
    QCOMPARE(rows.size(), 6);
    QCOMPARE(rows.at(0),
             (QStringList{u"id"_s,
                          u"timestamp"_s,
                          u"threadId"_s,
                          u"agentId"_s,
                          u"model"_s,
                          u"provider"_s,
                          u"outcome"_s,
                          u"promptTokens"_s,
                          u"completionTokens"_s,
                          u"cachedPromptTokens"_s,
                          u"cacheWriteTokens"_s,
                          u"reasoningTokens"_s,
                          u"totalTokens"_s,
                          u"estimatedTokens"_s,
                          u"estimatedCost"_s,
                          u"latencyMs"_s,
                          u"ttftMs"_s,
                          u"tokensPerSecond"_s,
                          u"orgId"_s,
                          u"userId"_s,
                          u"metadata"_s}));
    // Newest first; the thread id with a comma, quotes and a line break survives the round trip.
    const QStringList e5 = rows.at(1);
    QCOMPARE(e5.size(), 21);
    QCOMPARE(e5.at(2), u"weird,\"id\"\nline"_s);
    QCOMPARE(e5.at(1), u"2026-02-12T23:59:59.999000+00:00"_s);
    const auto column = [&rows](const QStringList &row, const QString &name) {
        return row.value(rows.at(0).indexOf(name));
    };
    QCOMPARE(column(e5, u"promptTokens"_s), u"1000000"_s);
    QCOMPARE(column(e5, u"estimatedCost"_s), u"18.0"_s);
    QCOMPARE(column(e5, u"metadata"_s), uR"({"org_id":"acme"})"_s);
    QCOMPARE(column(e5, u"outcome"_s), u"ok"_s);
    QCOMPARE(column(e5, u"ttftMs"_s), QString()); // not streamed
    const QStringList e4 = rows.at(2);
    QCOMPARE(e4.at(3), QString()); // no agent
    QCOMPARE(column(e4, u"estimatedTokens"_s), u"true"_s);
    QCOMPARE(column(e4, u"estimatedCost"_s), QString()); // no price
    const QStringList e2 = rows.at(4);
    QCOMPARE(column(e2, u"cachedPromptTokens"_s), u"500"_s);
    QCOMPARE(column(e2, u"latencyMs"_s), u"200.0"_s);
    QCOMPARE(column(rows.at(3), u"estimatedCost"_s), u"0.00045"_s);

    // The history filters apply; no paging.
    const QList<QStringList> researcher = parseCsv(
        QString::fromUtf8(get(u"/api/v1/usage/export?format=csv&agent_id=researcher&end_time=2026-02-11"_s).body));
    QCOMPARE(researcher.size(), 3);
    QCOMPARE(researcher.at(1).at(2), u"t-b"_s);
    QCOMPARE(researcher.at(2).at(2), u"t-a"_s);
    QCOMPARE(parseCsv(QString::fromUtf8(get(u"/api/v1/usage/export?model=none"_s).body)).size(), 1); // header only
}

void tst_UsageRoutes::exportJson()
{
    seedStore();
    const HttpResult result = get(u"/api/v1/usage/export?format=json"_s);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(result.header("Content-Disposition"), QByteArray("attachment; filename=\"usage-events.json\""));
    const QJsonArray events = QJsonDocument::fromJson(result.body).array();
    QCOMPARE(events.size(), 5);
    for (const QJsonValue &event : events)
        verifyShape(event, u"UsageExportRecord"_s);
    const QJsonObject e2 = events.at(3).toObject();
    QCOMPARE(e2.value(u"agentId"_s).toString(), u"reviewer"_s);
    QCOMPARE(e2.value(u"cachedPromptTokens"_s).toInt(), 500);
    QCOMPARE(e2.value(u"totalTokens"_s).toInt(), 3000);
    QCOMPARE(e2.value(u"estimatedTokens"_s).toBool(), false);
    QCOMPARE(e2.value(u"orgId"_s).toString(), u"acme"_s);
    QCOMPARE(e2.value(u"provider"_s).toString(), u"anthropic"_s);
    QCOMPARE(e2.value(u"latencyMs"_s).toDouble(), 200.0);
    QCOMPARE(e2.value(u"estimatedCost"_s).toDouble(), 0.021);
    QCOMPARE(events.at(1).toObject().value(u"estimatedTokens"_s).toBool(), true);
    QVERIFY(events.at(1).toObject().value(u"estimatedCost"_s).isNull());
    const QJsonArray acme =
        QJsonDocument::fromJson(get(u"/api/v1/usage/export?format=json&org_id=acme"_s).body).array();
    QCOMPARE(acme.size(), 3);
}

// --- shapes, documentation, hardening ---------------------------------------------------------------

void tst_UsageRoutes::responsesMatchTheOpenApiSchemas()
{
    seedStore();
    m_llm->script = {step(u"grok-4.1"_s, 100, 50, kReview)};
    const QString thread = ask(u"greeter"_s);
    QTRY_COMPARE(m_llm->pending.size(), 1);
    int checked = 0;
    for (const Route &route : m_api->routes().routes()) {
        if (!route.path.startsWith(u"/api/v1/usage"_s) || route.method != HttpMethod::Get
            || route.responseSchema.isEmpty())
            continue;
        if (route.path.startsWith(u"/api/v1/usage/budgets"_s))
            continue; // the agent and organism budgets: tst_budgetroutes
        QString path = route.path;
        path.replace(u"{thread_id}"_s, thread)
            .replace(u"{agent_id}"_s, u"greeter"_s)
            .replace(u"{model}"_s, u"grok-4.1"_s);
        const HttpResult result = get(path);
        QVERIFY2(result.status == 200, qPrintable(path));
        verifyShape(result.object(), route.responseSchema);
        ++checked;
    }
    QCOMPARE(checked, 9);
    const HttpResult updated = put(u"/api/v1/usage/threads/"_s + thread, R"({"maxTokens": 5000})");
    QCOMPARE(updated.status, 200);
    verifyShape(updated.object(), u"ThreadBudgetInfo"_s);
    verifyShape(post(u"/api/v1/usage/reset"_s).object(), u"UsageResetResult"_s);
}

void tst_UsageRoutes::openApiListsTheUsageRoutes()
{
    const QJsonObject document = QJsonDocument::fromJson(get(u"/openapi.json"_s).body).object();
    const QJsonObject paths = document.value(u"paths"_s).toObject();
    const QJsonObject schemas = document.value(u"components"_s).toObject().value(u"schemas"_s).toObject();
    const QList<QPair<QString, QString>> operations{
        {u"/api/v1/usage"_s, u"get"_s},
        {u"/api/v1/usage/threads"_s, u"get"_s},
        {u"/api/v1/usage/threads/{thread_id}"_s, u"get"_s},
        {u"/api/v1/usage/threads/{thread_id}"_s, u"put"_s},
        {u"/api/v1/usage/agents/{agent_id}"_s, u"get"_s},
        {u"/api/v1/usage/models/{model}"_s, u"get"_s},
        {u"/api/v1/usage/reset"_s, u"post"_s},
        {u"/api/v1/usage/history"_s, u"get"_s},
        {u"/api/v1/usage/billing"_s, u"get"_s},
        {u"/api/v1/usage/daily"_s, u"get"_s},
        {u"/api/v1/usage/timeseries"_s, u"get"_s},
        {u"/api/v1/usage/export"_s, u"get"_s},
    };
    const QStringList extensions{u"/api/v1/usage/timeseries"_s, u"/api/v1/usage/export"_s};
    for (const auto &[path, method] : operations) {
        const QJsonObject op = paths.value(path).toObject().value(method).toObject();
        QVERIFY2(!op.isEmpty(), qPrintable(path + u' ' + method));
        QCOMPARE(op.value(u"tags"_s).toArray().first().toString(), u"usage"_s);
        const bool extension = extensions.contains(path) || method == u"put";
        QCOMPARE(op.value(u"x-agentdesk-extension"_s).toBool(), extension);
    }
    const QJsonObject raise = paths.value(u"/api/v1/usage/threads/{thread_id}"_s).toObject().value(u"put"_s).toObject();
    QCOMPARE(raise.value(u"requestBody"_s)
                 .toObject()
                 .value(u"content"_s)
                 .toObject()
                 .value(u"application/json"_s)
                 .toObject()
                 .value(u"schema"_s)
                 .toObject()
                 .value(u"$ref"_s)
                 .toString(),
             u"#/components/schemas/ThreadBudgetUpdate"_s);
    QVERIFY(raise.value(u"responses"_s).toObject().contains(u"404"_s));
    QVERIFY(raise.value(u"responses"_s).toObject().contains(u"422"_s));
    // History paging: limit 100 in 1..1000, snake_case filters.
    const QJsonArray parameters =
        paths.value(u"/api/v1/usage/history"_s).toObject().value(u"get"_s).toObject().value(u"parameters"_s).toArray();
    QStringList names;
    for (const QJsonValue &parameter : parameters) {
        names.append(parameter.toObject().value(u"name"_s).toString());
        if (names.last() == u"limit") {
            const QJsonObject schema = parameter.toObject().value(u"schema"_s).toObject();
            QCOMPARE(schema.value(u"default"_s).toInt(), 100);
            QCOMPARE(schema.value(u"minimum"_s).toInt(), 1);
            QCOMPARE(schema.value(u"maximum"_s).toInt(), 1000);
        }
    }
    QCOMPARE(names,
             (QStringList{u"start_time"_s, u"end_time"_s, u"org_id"_s, u"agent_id"_s, u"model"_s, u"outcome"_s,
                          u"limit"_s, u"offset"_s}));
    // Every reference resolves, the usage shapes and the WebSocket frame included.
    for (const QString &name :
         {u"UsageResponse"_s, u"ThreadBudgetList"_s, u"ThreadBudgetInfo"_s, u"UsageHistory"_s, u"BillingSummary"_s,
          u"DailyUsage"_s, u"UsageTimeseries"_s, u"UsageExportRecord"_s, u"BudgetEvent"_s, u"ThreadBudgetUpdate"_s}) {
        QVERIFY2(schemas.contains(name), qPrintable(name));
    }
    const QRegularExpression reference(u"\"\\$ref\":\"#/components/schemas/([^\"]+)\""_s);
    const QByteArray text = get(u"/openapi.json"_s).body;
    for (auto it = reference.globalMatch(QString::fromUtf8(text)); it.hasNext();) {
        const QString name = it.next().captured(1);
        QVERIFY2(schemas.contains(name), qPrintable(name));
    }
    const HttpResult docs = get(u"/docs"_s);
    QVERIFY(docs.body.contains("/api/v1/usage/timeseries"));
}

void tst_UsageRoutes::badInput_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("expect"); // detail text, or the 422 type of the first entry
    QTest::addColumn<QString>("loc");    // the 422 loc, compact JSON (empty: not checked)

    const auto row = [](const char *name, const QByteArray &verb, const QString &path, const QByteArray &body,
                        int status, const QString &expect, const QString &loc = {}) {
        QTest::newRow(name) << verb << path << body << status << expect << loc;
    };
    // wrong methods
    row("POST /usage", "POST", u"/api/v1/usage"_s, {}, 405, u"Method Not Allowed"_s);
    row("GET /usage/reset", "GET", u"/api/v1/usage/reset"_s, {}, 405, u"Method Not Allowed"_s);
    row("PUT /usage/threads", "PUT", u"/api/v1/usage/threads"_s, "{}", 405, u"Method Not Allowed"_s);
    row("DELETE budget", "DELETE", u"/api/v1/usage/threads/t"_s, {}, 405, u"Method Not Allowed"_s);
    row("POST budget", "POST", u"/api/v1/usage/threads/t"_s, R"({"maxTokens":5})", 405, u"Method Not Allowed"_s);
    row("PATCH history", "PATCH", u"/api/v1/usage/history"_s, "{}", 405, u"Method Not Allowed"_s);
    row("unknown usage route", "GET", u"/api/v1/usage/nothing"_s, {}, 404, u"Not Found"_s);
    row("models with a raw slash", "GET", u"/api/v1/usage/models/openai/gpt-4o"_s, {}, 404, u"Not Found"_s);
    // budget reads
    row("unknown budget", "GET", u"/api/v1/usage/threads/nope"_s, {}, 404, u"No budget found for thread: nope"_s);
    row("unicode budget", "GET", u"/api/v1/usage/threads/"_s + encoded(u"日本✓"_s), {}, 404,
        u"No budget found for thread: 日本✓"_s);
    row("encoded slash budget", "GET", u"/api/v1/usage/threads/a%2Fb"_s, {}, 404, u"No budget found for thread: a/b"_s);
    row("long budget id", "GET", u"/api/v1/usage/threads/"_s + QString(4000, u'x'), {}, 422, u"string_too_long"_s,
        uR"(["path","thread_id"])"_s);
    row("budget id at the bound", "GET", u"/api/v1/usage/threads/"_s + QString(128, u'x'), {}, 404,
        QString(u"No budget found for thread: "_s + QString(128, u'x')));
    row("budget id with a space", "GET", u"/api/v1/usage/threads/a%20b"_s, {}, 422, u"string_pattern_mismatch"_s,
        uR"(["path","thread_id"])"_s);
    row("raise long budget id", "PUT", u"/api/v1/usage/threads/"_s + QString(129, u'x'), R"({"maxTokens":5})", 422,
        u"string_too_long"_s, uR"(["path","thread_id"])"_s);
    row("long agent usage id", "GET", u"/api/v1/usage/agents/"_s + QString(129, u'a'), {}, 422, u"string_too_long"_s,
        uR"(["path","agent_id"])"_s);
    row("long model usage name", "GET", u"/api/v1/usage/models/"_s + QString(129, u'm'), {}, 422, u"string_too_long"_s,
        uR"(["path","model"])"_s);
    // history paging and filters
    row("history limit=0", "GET", u"/api/v1/usage/history?limit=0"_s, {}, 422, u"greater_than_equal"_s,
        uR"(["query","limit"])"_s);
    row("history limit=1001", "GET", u"/api/v1/usage/history?limit=1001"_s, {}, 422, u"less_than_equal"_s);
    row("history limit=abc", "GET", u"/api/v1/usage/history?limit=abc"_s, {}, 422, u"int_parsing"_s);
    row("history limit=-5", "GET", u"/api/v1/usage/history?limit=-5"_s, {}, 422, u"greater_than_equal"_s);
    row("history limit huge", "GET", u"/api/v1/usage/history?limit=99999999999999999999999"_s, {}, 422,
        u"less_than_equal"_s);
    row("history offset=-1", "GET", u"/api/v1/usage/history?offset=-1"_s, {}, 422, u"greater_than_equal"_s,
        uR"(["query","offset"])"_s);
    row("history offset=1.5", "GET", u"/api/v1/usage/history?offset=1.5"_s, {}, 422, u"int_parsing"_s);
    row("history offset huge", "GET", u"/api/v1/usage/history?offset=9223372036854775807"_s, {}, 200, {});
    row("history offset beyond 64 bits", "GET", u"/api/v1/usage/history?offset=99999999999999999999999"_s, {}, 200, {});
    row("history garbage time is text", "GET", u"/api/v1/usage/history?start_time=last%20tuesday"_s, {}, 200, {});
    row("history unicode filter", "GET", u"/api/v1/usage/history?agent_id="_s + encoded(u"ü✓"_s), {}, 200, {});
    row("history sql-ish filter", "GET", u"/api/v1/usage/history?model="_s + encoded(u"x' OR '1'='1"_s), {}, 200, {});
    row("billing garbage times", "GET", u"/api/v1/usage/billing?start_time=%00&end_time=zzz"_s, {}, 200, {});
    row("daily long org", "GET", u"/api/v1/usage/daily?org_id="_s + QString(2000, u'o'), {}, 422, u"string_too_long"_s,
        uR"(["query","org_id"])"_s);
    row("daily org at the bound", "GET", u"/api/v1/usage/daily?org_id="_s + QString(128, u'o'), {}, 200, {});
    row("history long model filter", "GET", u"/api/v1/usage/history?model="_s + QString(129, u'm'), {}, 422,
        u"string_too_long"_s, uR"(["query","model"])"_s);
    row("history long agent filter", "GET", u"/api/v1/usage/history?agent_id="_s + QString(129, u'a'), {}, 422,
        u"string_too_long"_s, uR"(["query","agent_id"])"_s);
    row("billing long start", "GET", u"/api/v1/usage/billing?start_time="_s + QString(129, u'1'), {}, 422,
        u"string_too_long"_s, uR"(["query","start_time"])"_s);
    row("export long format", "GET", u"/api/v1/usage/export?format="_s + QString(129, u'c'), {}, 422,
        u"string_too_long"_s, uR"(["query","format"])"_s);
    // timeseries
    row("bucket=week", "GET", u"/api/v1/usage/timeseries?bucket=week"_s, {}, 422, u"literal_error"_s,
        uR"(["query","bucket"])"_s);
    row("bucket case", "GET", u"/api/v1/usage/timeseries?bucket=Hour"_s, {}, 422, u"literal_error"_s);
    row("bucket empty", "GET", u"/api/v1/usage/timeseries?bucket="_s, {}, 422, u"literal_error"_s);
    row("groupBy=thread", "GET", u"/api/v1/usage/timeseries?groupBy=thread"_s, {}, 422, u"literal_error"_s,
        uR"(["query","groupBy"])"_s);
    row("since garbage", "GET", u"/api/v1/usage/timeseries?since=yesterday"_s, {}, 422, u"datetime_parsing"_s,
        uR"(["query","since"])"_s);
    row("until bad month", "GET", u"/api/v1/usage/timeseries?until=2026-13-45T00:00:00Z"_s, {}, 422,
        u"datetime_parsing"_s, uR"(["query","until"])"_s);
    row("since huge year", "GET", u"/api/v1/usage/timeseries?since=99999-01-01"_s, {}, 422, u"datetime_parsing"_s);
    row("since after until", "GET", u"/api/v1/usage/timeseries?since=2026-03-01&until=2026-01-01"_s, {}, 200, {});
    // export
    row("format=xml", "GET", u"/api/v1/usage/export?format=xml"_s, {}, 422, u"literal_error"_s,
        uR"(["query","format"])"_s);
    row("format case", "GET", u"/api/v1/usage/export?format=CSV"_s, {}, 422, u"literal_error"_s);
    // PUT bodies (the thread is unknown: a valid body is a 404, an invalid one a 422 first)
    const QString budget = u"/api/v1/usage/threads/unknown"_s;
    row("put valid, unknown thread", "PUT", budget, R"({"maxTokens":5})", 404, u"Thread not found: unknown"_s);
    row("put empty", "PUT", budget, {}, 422, u"missing"_s, uR"(["body"])"_s);
    row("put malformed", "PUT", budget, R"({"maxTokens":)", 422, u"json_invalid"_s);
    row("put not json", "PUT", budget, "maxTokens=5", 422, u"json_invalid"_s);
    row("put array", "PUT", budget, "[5]", 422, u"model_attributes_type"_s, uR"(["body"])"_s);
    row("put number", "PUT", budget, "5", 422, u"model_attributes_type"_s);
    row("put missing key", "PUT", budget, R"({"tokens":5})", 422, u"missing"_s, uR"(["body","maxTokens"])"_s);
    row("put zero", "PUT", budget, R"({"maxTokens":0})", 422, u"greater_than_equal"_s, uR"(["body","maxTokens"])"_s);
    row("put negative snake", "PUT", budget, R"({"max_tokens":-1})", 422, u"greater_than_equal"_s,
        uR"(["body","max_tokens"])"_s);
    row("put fraction", "PUT", budget, R"({"maxTokens":1.5})", 422, u"int_from_float"_s);
    row("put string", "PUT", budget, R"({"maxTokens":"5000"})", 422, u"int_type"_s);
    row("put null", "PUT", budget, R"({"maxTokens":null})", 422, u"int_type"_s);
    row("put boolean", "PUT", budget, R"({"maxTokens":true})", 422, u"int_type"_s);
    row("put huge", "PUT", budget, R"({"maxTokens":1e300})", 422, u"less_than_equal"_s);
    row("put beyond 64 bits", "PUT", budget, R"({"maxTokens":123456789012345678901234567890})", 422,
        u"less_than_equal"_s);
    row("put deep nesting", "PUT", budget, QByteArray(2000, '[') + QByteArray(2000, ']'), 422, QString());
    row("put unicode thread", "PUT", u"/api/v1/usage/threads/"_s + encoded(u"ü"_s), R"({"maxTokens":5})", 404,
        u"Thread not found: ü"_s);
    // reset ignores a body, as the original's other POSTs do
    row("reset with a body", "POST", u"/api/v1/usage/reset"_s, "not json at all", 200, {});
}

void tst_UsageRoutes::badInput()
{
    QFETCH(QByteArray, verb);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, expect);
    QFETCH(QString, loc);
    const HttpResult result = m_client->send(verb, path, body);
    QCOMPARE(result.status, status);
    QVERIFY(QJsonDocument::fromJson(result.body).isObject() || result.header("Content-Type").startsWith("text/csv"));
    if (status == 422) {
        const QJsonObject first = result.detailList().first().toObject();
        if (!expect.isEmpty())
            QCOMPARE(first.value(u"type"_s).toString(), expect);
        QVERIFY(!first.value(u"msg"_s).toString().isEmpty());
        if (!loc.isEmpty())
            QCOMPARE(QString::fromUtf8(QJsonDocument(first.value(u"loc"_s).toArray()).toJson(QJsonDocument::Compact)),
                     loc);
    } else if (status != 200) {
        QCOMPARE(result.detail(), expect);
    }
    if (status == 405)
        QVERIFY(!result.header("Allow").isEmpty());
}

QTEST_GUILESS_MAIN(tst_UsageRoutes)
#include "tst_usageroutes.moc"
