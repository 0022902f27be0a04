// GET /metrics of a real organism behind its real server on 127.0.0.1: every scrape is read by the
// strict parser, and the figures are checked against what the test itself caused (injects, failures,
// refusals, LLM calls answered by a ScriptedLlm, budgets, HTTP requests, WebSocket clients).

#include "apiserver.h"
#include "config/configloader.h"
#include "organism.h"
#include "support/apitestclient.h"
#include "support/expositionparser.h"
#include "support/scriptedllm.h"
#include "support/wstestclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;
const QByteArray kKey = "metrics-secret-key-123";
const char kKeyEnv[] = "AGENTDESK_METRICS_TEST_API_KEY";

// greeter → shouter → response-handler (built-ins), calculator → answers, and `writer`, an LLM agent
// whose reply may ask itself again (which keeps its thread, and its budget, alive while a call is held).
const QByteArray kYaml = R"(
organism: {name: metrics-organism}
max_queue_depth: 10
max_tokens_per_thread: 10000
payloads:
  Greeting: {name: string}
  GreetingResponse: {message: string, original_sender: string}
  ShoutedResponse: {message: string}
  Sum: {expression: string}
  Answer: {expression: string, result: decimal}
  Question: {text: string}
  Done: {text: string}
listeners:
  - {name: greeter, description: greets, payload_class: Greeting, handler: "builtin:format", peers: [shouter],
     options: {message: "Hello, {name}!", original_sender: "{from}"}}
  - {name: shouter, description: shouts, payload_class: GreetingResponse, handler: "builtin:shout",
     peers: [response-handler]}
  - {name: response-handler, description: ends it, payload_class: ShoutedResponse, handler: "builtin:sink"}
  - {name: calculator, description: calculates, payload_class: Sum, handler: "builtin:calculate", peers: [answers]}
  - {name: answers, description: collects, payload_class: Answer, handler: "builtin:sink"}
  - {name: writer, description: writes, payload_class: Question, agent: true, model: grok-4.1, prompt: You write.,
     peers: [writer, done]}
  - {name: done, description: receives, payload_class: Done, handler: "builtin:sink"}
)";

const QString kDone = u"<Done><Text>ok</Text></Done>"_s;
const QString kAgain = u"<Question><Text>again</Text></Question>"_s;

ScriptedLlm::Step step(const QString &model, qint64 prompt, qint64 completion, const QString &reply = kDone,
                       qint64 cached = 0)
{
    ScriptedLlm::Step s;
    s.model = model;
    s.promptTokens = prompt;
    s.completionTokens = completion;
    s.cachedPromptTokens = cached;
    s.latencyMs = 1500;
    s.reply = reply;
    s.provider = u"xai"_s;
    return s;
}

Labels agentOutcome(const QString &agent, const QString &outcome)
{
    return {{u"agent"_s, agent}, {u"outcome"_s, outcome}};
}

} // namespace

class tst_OrganismMetrics : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void scrapeFollowsTheFormatAndTheNamingRules();
    void messagesAreCountedByAgentAndOutcome();
    void queueAndRefusalsShowSaturation();
    void llmCallsAreCountedByCategoryModelAndBackend();
    void threadBudgetsAreSummedUp();
    void httpRequestsAreCountedByRouteTemplate();
    void webSocketClientsAreCounted();
    void countersNeverGoDown();
    void scrapingKeepsTheResponseCache();
    void protectedLikeOtherReads();

private:
    void start(ApiServerOptions options = {});
    Exposition scrape(const Headers &headers = {});
    double value(const QString &name, const Labels &labels = {});
    HttpResult inject(const QString &to, const QJsonObject &payload, const QString &threadId = {});
    bool threadEnded(const QString &threadId);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ScriptedLlm> m_llm;
    std::unique_ptr<Organism> m_organism;
    std::unique_ptr<ApiServer> m_api;
    std::unique_ptr<ApiTestClient> m_client;
};

void tst_OrganismMetrics::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_llm = std::make_unique<ScriptedLlm>();
}

void tst_OrganismMetrics::cleanup()
{
    m_client.reset();
    m_api.reset();
    m_organism.reset();
    m_llm.reset();
    m_dir.reset();
    qunsetenv(kKeyEnv);
}

void tst_OrganismMetrics::start(ApiServerOptions options)
{
    const ConfigLoadResult loaded = ConfigLoader::loadText(kYaml, m_dir->path() + u"/organism.yaml"_s);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.errors.first().toString()));
    m_organism = std::make_unique<Organism>();
    m_organism->setLlmClient(m_llm.get());
    QString error;
    QVERIFY2(m_organism->load(*loaded.config, m_dir->path() + u"/history"_s, &error), qPrintable(error));
    QVERIFY2(m_organism->start(&error), qPrintable(error));
    options.address = QHostAddress::LocalHost;
    options.port = 0;
    m_api = std::make_unique<ApiServer>(m_organism.get(), options);
    QVERIFY2(m_api->start(&error), qPrintable(error));
    m_client = std::make_unique<ApiTestClient>(m_api->port());
}

Exposition tst_OrganismMetrics::scrape(const Headers &headers)
{
    const HttpResult result = m_client->get(u"/metrics"_s, headers);
    if (result.status != 200)
        qWarning() << "GET /metrics:" << result.status << result.body;
    const Exposition parsed = parseExposition(result.body);
    if (!parsed.ok())
        qWarning().noquote() << parsed.errors.join(u'\n');
    return parsed;
}

double valueIn(const Exposition &exposition, const QString &name, const Labels &labels = {})
{
    return exposition.value(name, labels).value_or(-1);
}

double tst_OrganismMetrics::value(const QString &name, const Labels &labels)
{
    return valueIn(scrape(), name, labels);
}

HttpResult tst_OrganismMetrics::inject(const QString &to, const QJsonObject &payload, const QString &threadId)
{
    QJsonObject body{{u"to"_s, to}, {u"payload"_s, payload}};
    if (!threadId.isEmpty())
        body.insert(u"threadId"_s, threadId);
    return m_client->post(u"/api/v1/inject"_s, QJsonDocument(body).toJson(QJsonDocument::Compact),
                          {{"Content-Type", "application/json"}});
}

bool tst_OrganismMetrics::threadEnded(const QString &threadId)
{
    return QTest::qWaitFor(
        [&] {
            const std::optional<ThreadInfo> thread = m_organism->thread(threadId);
            return thread && thread->status != ThreadStatus::Active;
        },
        10000);
}

void tst_OrganismMetrics::scrapeFollowsTheFormatAndTheNamingRules()
{
    start();
    const HttpResult result = m_client->get(u"/metrics"_s);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.header("Content-Type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    const Exposition exposition = parseExposition(result.body);
    QVERIFY2(exposition.ok(), qPrintable(exposition.errors.join(u'\n')));

    // Every family is documented and typed, named agentdesk_…, counters end in _total, and units are
    // the base ones (seconds, dollars), spelled out in the name.
    const QRegularExpression name(u"^agentdesk_[a-z0-9_]+$"_s);
    for (const ExpositionFamily &family : exposition.families) {
        QVERIFY2(name.match(family.name).hasMatch(), qPrintable(family.name));
        QVERIFY2(!family.help.isEmpty(), qPrintable(family.name));
        QVERIFY2(family.type != u"untyped", qPrintable(family.name));
        QCOMPARE(family.type == u"counter", family.name.endsWith(u"_total"));
        QVERIFY2(!family.name.contains(u"_ms") && !family.name.contains(u"milli"), qPrintable(family.name));
    }
    // The families the dashboard and the documentation name are there before anything happened.
    const QStringList names = exposition.familyNames();
    for (const QString &expected :
         {u"agentdesk_messages_handled_total"_s, u"agentdesk_handler_duration_seconds"_s, u"agentdesk_queue_depth"_s,
          u"agentdesk_queue_limit"_s, u"agentdesk_injects_refused_total"_s, u"agentdesk_threads_active"_s,
          u"agentdesk_threads_ended_total"_s, u"agentdesk_llm_tokens_total"_s, u"agentdesk_llm_cost_dollars_total"_s,
          u"agentdesk_llm_calls_total"_s, u"agentdesk_llm_call_duration_seconds"_s, u"agentdesk_thread_budgets"_s,
          u"agentdesk_budget_events_total"_s, u"agentdesk_http_requests_total"_s,
          u"agentdesk_http_request_duration_seconds"_s, u"agentdesk_websocket_clients"_s}) {
        QVERIFY2(names.contains(expected), qPrintable(expected));
    }
    QCOMPARE(valueIn(exposition, u"agentdesk_organism_info"_s, {{u"organism"_s, u"metrics-organism"_s}}), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_organism_status"_s, {{u"status"_s, u"running"_s}}), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_organism_status"_s, {{u"status"_s, u"stopped"_s}}), 0.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_history_healthy"_s), 1.0);
}

void tst_OrganismMetrics::messagesAreCountedByAgentAndOutcome()
{
    start();
    QStringList threads;
    for (int i = 0; i < 3; ++i) {
        const HttpResult accepted = inject(u"greeter"_s, {{u"name"_s, u"user%1"_s.arg(i)}});
        QCOMPARE(accepted.status, 200);
        threads << accepted.object().value(u"threadId"_s).toString();
    }
    const HttpResult failing = inject(u"calculator"_s, {{u"expression"_s, u"1 +"_s}});
    QCOMPARE(failing.status, 200);
    threads << failing.object().value(u"threadId"_s).toString();
    for (const QString &thread : std::as_const(threads))
        QVERIFY(threadEnded(thread));

    QTRY_COMPARE(value(u"agentdesk_threads_ended_total"_s, {{u"status"_s, u"completed"_s}}), 3.0);
    const Exposition exposition = scrape();
    QVERIFY(exposition.ok());
    for (const QString &agent : {u"greeter"_s, u"shouter"_s, u"response-handler"_s}) {
        QCOMPARE(valueIn(exposition, u"agentdesk_messages_handled_total"_s, agentOutcome(agent, u"ok"_s)), 3.0);
        QCOMPARE(valueIn(exposition, u"agentdesk_messages_handled_total"_s, agentOutcome(agent, u"error"_s)), 0.0);
        // Every handled call is timed: the histogram counts them, and its buckets end at +Inf with them all.
        QCOMPARE(valueIn(exposition, u"agentdesk_handler_duration_seconds_count"_s, {{u"agent"_s, agent}}), 3.0);
        QCOMPARE(valueIn(exposition, u"agentdesk_handler_duration_seconds_bucket"_s,
                       {{u"agent"_s, agent}, {u"le"_s, u"+Inf"_s}}),
                 3.0);
        QVERIFY(valueIn(exposition, u"agentdesk_handler_duration_seconds_sum"_s, {{u"agent"_s, agent}}) > 0);
    }
    QCOMPARE(valueIn(exposition, u"agentdesk_messages_sent_total"_s, {{u"agent"_s, u"greeter"_s}}), 3.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_messages_sent_total"_s, {{u"agent"_s, u"response-handler"_s}}), 0.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_messages_handled_total"_s, agentOutcome(u"calculator"_s, u"error"_s)), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_messages_handled_total"_s, agentOutcome(u"answers"_s, u"ok"_s)), 0.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_threads_started_total"_s), 4.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_threads_ended_total"_s, {{u"status"_s, u"error"_s}}), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_threads_ended_total"_s, {{u"status"_s, u"killed"_s}}), 0.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_threads_active"_s), 0.0);
}

void tst_OrganismMetrics::queueAndRefusalsShowSaturation()
{
    start();
    QCOMPARE(m_client->post(u"/api/v1/agents/greeter/pause"_s).status, 200);
    // max_queue_depth 10 admits new injects while fewer than 8 wait.
    for (int i = 0; i < 8; ++i)
        QCOMPARE(inject(u"greeter"_s, {{u"name"_s, u"n%1"_s.arg(i)}}).status, 200);
    QCOMPARE(inject(u"greeter"_s, {{u"name"_s, u"one too many"_s}}).status, 503);
    QCOMPARE(inject(u"greeter"_s, {{u"nickname"_s, u"wrong field"_s}}).status, 422);
    QCOMPARE(inject(u"nobody"_s, {{u"name"_s, u"x"_s}}).status, 400);

    const Exposition exposition = scrape();
    QVERIFY(exposition.ok());
    QCOMPARE(valueIn(exposition, u"agentdesk_queue_depth"_s), 8.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_queue_limit"_s), 10.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_queue_admission_limit"_s), 8.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_saturated"_s), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_agent_queue_depth"_s, {{u"agent"_s, u"greeter"_s}}), 8.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_agent_in_flight"_s, {{u"agent"_s, u"greeter"_s}}), 0.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_agent_state"_s, {{u"agent"_s, u"greeter"_s}, {u"state"_s, u"paused"_s}}), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_agent_state"_s, {{u"agent"_s, u"greeter"_s}, {u"state"_s, u"idle"_s}}), 0.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_threads_active"_s), 8.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_injects_refused_total"_s, {{u"reason"_s, u"queue_full"_s}}), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_injects_refused_total"_s, {{u"reason"_s, u"invalid_payload"_s}}), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_injects_refused_total"_s, {{u"reason"_s, u"unknown_target"_s}}), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_injects_refused_total"_s, {{u"reason"_s, u"not_running"_s}}), 0.0);
    // The same figure the API's organism info calls injectsRefused.
    QCOMPARE(double(m_organism->info().saturation.injectsRefused), 1.0);

    QCOMPARE(m_client->post(u"/api/v1/agents/greeter/resume"_s).status, 200);
    QTRY_COMPARE(value(u"agentdesk_threads_ended_total"_s, {{u"status"_s, u"completed"_s}}), 8.0);
    QCOMPARE(value(u"agentdesk_saturated"_s), 0.0);
}

void tst_OrganismMetrics::llmCallsAreCountedByCategoryModelAndBackend()
{
    start();
    m_llm->script = {step(u"grok-4.1"_s, 1200, 300, kAgain, 200), step(u"mystery-model"_s, 100, 50)};
    const QString thread = inject(u"writer"_s, {{u"text"_s, u"go"_s}}).object().value(u"threadId"_s).toString();
    QVERIFY(threadEnded(thread));
    QTRY_COMPARE(value(u"agentdesk_llm_calls_total"_s, {{u"agent"_s, u"writer"_s},
                                                          {u"model"_s, u"mystery-model"_s},
                                                          {u"backend"_s, u"scripted"_s},
                                                          {u"outcome"_s, u"ok"_s}}),
                 1.0);
    const Exposition exposition = scrape();
    QVERIFY(exposition.ok());
    const Labels grok{{u"agent"_s, u"writer"_s}, {u"model"_s, u"grok-4.1"_s}};
    const auto tokens = [&](const Labels &model, const QString &category) {
        Labels labels = model;
        labels.insert(u"category"_s, category);
        return valueIn(exposition, u"agentdesk_llm_tokens_total"_s, labels);
    };
    // The categories add up to the call's tokens: 1,200 prompt (200 of them from the cache) + 300.
    QCOMPARE(tokens(grok, u"input"_s), 1000.0);
    QCOMPARE(tokens(grok, u"input_cached"_s), 200.0);
    QCOMPARE(tokens(grok, u"output"_s), 300.0);
    QCOMPARE(exposition.sum(u"agentdesk_llm_tokens_total"_s), 1500.0 + 150.0);
    QCOMPARE(exposition.sum(u"agentdesk_llm_tokens_total"_s), double(m_organism->usage().totals.totalTokens));
    // The cost is the window's and /usage's figure; the unpriced model is counted apart.
    const double cost = valueIn(exposition, u"agentdesk_llm_cost_dollars_total"_s, grok);
    QVERIFY(cost > 0);
    QCOMPARE(cost, m_organism->usage().totals.totalCost);
    const Labels mystery{{u"agent"_s, u"writer"_s}, {u"model"_s, u"mystery-model"_s}};
    QVERIFY(!exposition.value(u"agentdesk_llm_cost_dollars_total"_s, mystery));
    QCOMPARE(valueIn(exposition, u"agentdesk_llm_unpriced_calls_total"_s, mystery), 1.0);
    QCOMPARE(exposition.sum(u"agentdesk_llm_calls_total"_s, {{u"backend"_s, u"scripted"_s}, {u"outcome"_s, u"ok"_s}}),
             2.0);
    // 1.5 s each: both in the bucket up to 2.5 s, none up to 1 s.
    const Labels backend{{u"backend"_s, u"scripted"_s}};
    QCOMPARE(valueIn(exposition, u"agentdesk_llm_call_duration_seconds_count"_s, backend), 2.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_llm_call_duration_seconds_sum"_s, backend), 3.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_llm_call_duration_seconds_bucket"_s, {{u"backend"_s, u"scripted"_s}, {u"le"_s, u"1"_s}}),
             0.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_llm_call_duration_seconds_bucket"_s,
                   {{u"backend"_s, u"scripted"_s}, {u"le"_s, u"2.5"_s}}),
             2.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_messages_handled_total"_s, agentOutcome(u"writer"_s, u"ok"_s)), 2.0);

    // Resetting the usage counters (window, API) leaves the Prometheus counters alone.
    QCOMPARE(m_client->post(u"/api/v1/usage/reset"_s).status, 200);
    QCOMPARE(value(u"agentdesk_llm_cost_dollars_total"_s, grok), cost);
}

void tst_OrganismMetrics::threadBudgetsAreSummedUp()
{
    start();
    // 8,000 of the thread's 10,000 tokens; the reply asks the writer again, and that call waits (no step
    // left), keeping the thread and its budget alive.
    m_llm->script = {step(u"grok-4.1"_s, 6000, 2000, kAgain)};
    const QString thread = inject(u"writer"_s, {{u"text"_s, u"go"_s}}).object().value(u"threadId"_s).toString();
    QTRY_COMPARE(m_llm->pending.size(), 1);
    QTRY_COMPARE(value(u"agentdesk_budget_events_total"_s, {{u"scope"_s, u"thread"_s}, {u"kind"_s, u"warning"_s}}), 1.0);
    Exposition exposition = scrape();
    QCOMPARE(valueIn(exposition, u"agentdesk_thread_budgets"_s), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_thread_budgets_exhausted"_s), 0.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_thread_budget_max_used_ratio"_s), 0.8);
    QCOMPARE(valueIn(exposition, u"agentdesk_agent_in_flight"_s, {{u"agent"_s, u"writer"_s}}), 1.0);

    // The held call uses the rest and asks again: that call is held at exhaustion.
    QVERIFY(m_llm->release(step(u"grok-4.1"_s, 1500, 1000, kAgain)));
    QTRY_COMPARE(value(u"agentdesk_budget_events_total"_s, {{u"scope"_s, u"thread"_s}, {u"kind"_s, u"exhausted"_s}}), 1.0);
    exposition = scrape();
    QCOMPARE(valueIn(exposition, u"agentdesk_thread_budgets_exhausted"_s), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_thread_budget_max_used_ratio"_s), 1.05);
    QCOMPARE(valueIn(exposition, u"agentdesk_messages_handled_total"_s, agentOutcome(u"writer"_s, u"held"_s)), 1.0);
    QVERIFY(valueIn(exposition, u"agentdesk_budget_events_total"_s, {{u"scope"_s, u"thread"_s}, {u"kind"_s, u"critical"_s}}) == 1.0);

    QCOMPARE(m_client->post(u"/api/v1/threads/"_s + thread + u"/kill"_s).status, 200);
    QTRY_COMPARE(value(u"agentdesk_threads_ended_total"_s, {{u"status"_s, u"killed"_s}}), 1.0);
    QCOMPARE(value(u"agentdesk_thread_budgets"_s), 0.0);
}

void tst_OrganismMetrics::httpRequestsAreCountedByRouteTemplate()
{
    start();
    const QString thread = inject(u"greeter"_s, {{u"name"_s, u"x"_s}}).object().value(u"threadId"_s).toString();
    QVERIFY(threadEnded(thread));
    QCOMPARE(m_client->get(u"/api/v1/threads/"_s + thread).status, 200);
    QCOMPARE(m_client->get(u"/api/v1/threads/"_s + thread).status, 200); // answered from the response cache
    QCOMPARE(m_client->get(u"/api/v1/threads/no-such-thread"_s).status, 404);
    QCOMPARE(m_client->get(u"/no/such/path/"_s + thread).status, 404);
    QCOMPARE(m_client->send("BREW", u"/api/v1/threads"_s).status, 405);

    const Exposition exposition = scrape();
    QVERIFY(exposition.ok());
    const QString route = u"/api/v1/threads/{thread_id}"_s;
    const Labels ok{{u"route"_s, route}, {u"method"_s, u"GET"_s}, {u"status"_s, u"200"_s}};
    QCOMPARE(valueIn(exposition, u"agentdesk_http_requests_total"_s, ok), 2.0);
    const Labels missing{{u"route"_s, route}, {u"method"_s, u"GET"_s}, {u"status"_s, u"404"_s}};
    QCOMPARE(valueIn(exposition, u"agentdesk_http_requests_total"_s, missing), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_http_requests_total"_s,
                   {{u"route"_s, u"/api/v1/inject"_s}, {u"method"_s, u"POST"_s}, {u"status"_s, u"200"_s}}),
             1.0);
    QCOMPARE(exposition.sum(u"agentdesk_http_requests_total"_s, {{u"route"_s, u"unmatched"_s}}), 2.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_http_requests_total"_s,
                   {{u"route"_s, u"unmatched"_s}, {u"method"_s, u"other"_s}, {u"status"_s, u"405"_s}}),
             1.0);
    // No raw path made it into a label: one series per template, whatever the ids.
    for (const ExpositionSample &sample : exposition.samples(u"agentdesk_http_requests_total"_s))
        QVERIFY2(!sample.labels.value(u"route"_s).contains(thread), qPrintable(sample.labels.value(u"route"_s)));
    QCOMPARE(valueIn(exposition, u"agentdesk_http_request_duration_seconds_count"_s,
                   {{u"route"_s, route}, {u"method"_s, u"GET"_s}}),
             3.0);
    QVERIFY(valueIn(exposition, u"agentdesk_http_connections"_s) >= 1);
}

void tst_OrganismMetrics::webSocketClientsAreCounted()
{
    start();
    QCOMPARE(value(u"agentdesk_websocket_clients"_s, {{u"endpoint"_s, u"/ws"_s}}), 0.0);
    WsTestClient control;
    WsTestClient messages;
    QVERIFY(control.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_api->port()))));
    QVERIFY(messages.open(QUrl(u"ws://127.0.0.1:%1/ws/messages"_s.arg(m_api->port()))));
    QTRY_COMPARE(value(u"agentdesk_websocket_clients"_s, {{u"endpoint"_s, u"/ws"_s}}), 1.0);
    QCOMPARE(value(u"agentdesk_websocket_clients"_s, {{u"endpoint"_s, u"/ws/messages"_s}}), 1.0);
    QCOMPARE(value(u"agentdesk_http_requests_total"_s,
                   {{u"route"_s, u"/ws/messages"_s}, {u"method"_s, u"GET"_s}, {u"status"_s, u"101"_s}}),
             1.0);
    messages.socket.close();
    QTRY_COMPARE(value(u"agentdesk_websocket_clients"_s, {{u"endpoint"_s, u"/ws/messages"_s}}), 0.0);
    QCOMPARE(value(u"agentdesk_websocket_clients"_s, {{u"endpoint"_s, u"/ws"_s}}), 1.0);
}

void tst_OrganismMetrics::countersNeverGoDown()
{
    start();
    m_llm->script = {step(u"grok-4.1"_s, 10, 10)};
    inject(u"writer"_s, {{u"text"_s, u"go"_s}});
    const Exposition before = scrape();
    QVERIFY(before.ok());
    for (int i = 0; i < 5; ++i)
        inject(u"greeter"_s, {{u"name"_s, u"again"_s}});
    QTRY_COMPARE(value(u"agentdesk_threads_ended_total"_s, {{u"status"_s, u"completed"_s}}), 6.0);
    const Exposition after = scrape();
    QVERIFY(after.ok());
    int compared = 0;
    for (const ExpositionFamily &family : before.families) {
        if (family.type != u"counter" && family.type != u"histogram")
            continue;
        for (const ExpositionSample &sample : family.samples) {
            if (sample.name.endsWith(u"_sum"))
                continue; // a sum of durations grows too, but is not a count
            const std::optional<double> later = after.value(sample.name, sample.labels);
            QVERIFY2(later, qPrintable(sample.name + u" disappeared"_s));
            QVERIFY2(*later >= sample.value, qPrintable(sample.name));
            ++compared;
        }
    }
    QVERIFY(compared > 50);
    // A scrape is a request too: a later one counts the earlier ones.
    const Labels scrapes{{u"route"_s, u"/metrics"_s}, {u"method"_s, u"GET"_s}, {u"status"_s, u"200"_s}};
    QVERIFY(valueIn(after, u"agentdesk_http_requests_total"_s, scrapes)
            > valueIn(before, u"agentdesk_http_requests_total"_s, scrapes));
}

void tst_OrganismMetrics::scrapingKeepsTheResponseCache()
{
    // A scrape is a read: the API's cached reads stay valid across it (a dashboard polling /threads
    // and Prometheus scraping do not make each other's work).
    start();
    QCOMPARE(m_client->get(u"/api/v1/threads"_s).status, 200);
    QCOMPARE(m_client->get(u"/api/v1/threads"_s).status, 200);
    const quint64 cached = m_api->http()->cachedAnswerCount();
    QVERIFY(scrape().ok());
    QCOMPARE(m_client->get(u"/api/v1/threads"_s).status, 200);
    QCOMPARE(m_api->http()->cachedAnswerCount(), cached + 1);
}

void tst_OrganismMetrics::protectedLikeOtherReads()
{
    qputenv(kKeyEnv, kKey);
    OrganismConfig config;
    config.auth.apiKeyEnv = QString::fromLatin1(kKeyEnv);
    config.auth.protectReads = true;
    start(ApiServerOptions::fromConfig(config));
    QCOMPARE(m_client->get(u"/metrics"_s).status, 401);
    QCOMPARE(m_client->get(u"/metrics"_s, {{"Authorization", "Bearer wrong-key-wrong-key"}}).status, 403);
    const Exposition exposition = scrape({{"Authorization", "Bearer " + kKey}});
    QVERIFY(exposition.ok());
    QCOMPARE(valueIn(exposition, u"agentdesk_http_requests_total"_s,
                   {{u"route"_s, u"/metrics"_s}, {u"method"_s, u"GET"_s}, {u"status"_s, u"401"_s}}),
             1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_http_requests_total"_s,
                     {{u"route"_s, u"/metrics"_s}, {u"method"_s, u"GET"_s}, {u"status"_s, u"403"_s}}),
             1.0);
    // The OpenAPI document says so.
    const QJsonObject openApi = QJsonDocument::fromJson(m_client->get(u"/openapi.json"_s).body).object();
    const QJsonObject operation = openApi.value(u"paths"_s).toObject().value(u"/metrics"_s).toObject().value(u"get"_s).toObject();
    QVERIFY(operation.value(u"x-agentdesk-extension"_s).toBool());
    QVERIFY(!operation.value(u"security"_s).toArray().isEmpty());
}

QTEST_GUILESS_MAIN(tst_OrganismMetrics)
#include "tst_organismmetrics.moc"
