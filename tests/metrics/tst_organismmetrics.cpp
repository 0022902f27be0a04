// GET /metrics of a real organism behind its real server on 127.0.0.1: every scrape is read by the
// strict parser, and the figures are checked against what the test itself caused (injects, failures,
// refusals, HTTP requests, WebSocket clients). tst_llmmetrics covers LLM calls and budgets.

#include "support/expositionparser.h"
#include "support/metricsfixture.h"
#include "support/wstestclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::ScriptedLlm;

namespace {

const QByteArray kKey = "metrics-secret-key-123";
const char kKeyEnv[] = "AGENTDESK_METRICS_TEST_API_KEY";

} // namespace

class tst_OrganismMetrics : public QObject
{
    Q_OBJECT

private slots:
    void init() { m_fixture = std::make_unique<MetricsFixture>(); }
    void cleanup()
    {
        m_fixture.reset();
        qunsetenv(kKeyEnv);
    }

    void scrapeFollowsTheFormatAndTheNamingRules();
    void messagesAreCountedByAgentAndOutcome();
    void queueAndRefusalsShowSaturation();
    void httpRequestsAreCountedByRouteTemplate();
    void webSocketClientsAreCounted();
    void countersNeverGoDown();
    void scrapingKeepsTheResponseCache();
    void protectedLikeOtherReads();

private:
    std::unique_ptr<MetricsFixture> m_fixture;
};

void tst_OrganismMetrics::scrapeFollowsTheFormatAndTheNamingRules()
{
    QVERIFY(m_fixture->start());
    const HttpResult result = m_fixture->client().get(u"/metrics"_s);
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
          u"agentdesk_llm_calls_total"_s, u"agentdesk_llm_call_duration_seconds"_s,
          u"agentdesk_llm_time_to_first_token_seconds"_s, u"agentdesk_thread_budgets"_s,
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
    QVERIFY(m_fixture->start());
    QStringList threads;
    for (int i = 0; i < 3; ++i) {
        const HttpResult accepted = m_fixture->inject(u"greeter"_s, {{u"name"_s, u"user%1"_s.arg(i)}});
        QCOMPARE(accepted.status, 200);
        threads << accepted.object().value(u"threadId"_s).toString();
    }
    const HttpResult failing = m_fixture->inject(u"calculator"_s, {{u"expression"_s, u"1 +"_s}});
    QCOMPARE(failing.status, 200);
    threads << failing.object().value(u"threadId"_s).toString();
    for (const QString &thread : std::as_const(threads))
        QVERIFY(m_fixture->waitThreadEnded(thread));

    QTRY_COMPARE(m_fixture->value(u"agentdesk_threads_ended_total"_s, {{u"status"_s, u"completed"_s}}), 3.0);
    const Exposition exposition = m_fixture->scrape();
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
    QCOMPARE(valueIn(exposition, u"agentdesk_messages_handled_total"_s, agentOutcome(u"calculator"_s, u"error"_s)),
             1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_messages_handled_total"_s, agentOutcome(u"answers"_s, u"ok"_s)), 0.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_threads_started_total"_s), 4.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_threads_ended_total"_s, {{u"status"_s, u"error"_s}}), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_threads_ended_total"_s, {{u"status"_s, u"killed"_s}}), 0.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_threads_active"_s), 0.0);
}

void tst_OrganismMetrics::queueAndRefusalsShowSaturation()
{
    QVERIFY(m_fixture->start());
    QCOMPARE(m_fixture->client().post(u"/api/v1/agents/greeter/pause"_s).status, 200);
    // max_queue_depth 10 admits new injects while fewer than 8 wait.
    for (int i = 0; i < 8; ++i)
        QCOMPARE(m_fixture->inject(u"greeter"_s, {{u"name"_s, u"n%1"_s.arg(i)}}).status, 200);
    QCOMPARE(m_fixture->inject(u"greeter"_s, {{u"name"_s, u"one too many"_s}}).status, 503);
    QCOMPARE(m_fixture->inject(u"greeter"_s, {{u"nickname"_s, u"wrong field"_s}}).status, 422);
    QCOMPARE(m_fixture->inject(u"nobody"_s, {{u"name"_s, u"x"_s}}).status, 400);

    const Exposition exposition = m_fixture->scrape();
    QVERIFY(exposition.ok());
    QCOMPARE(valueIn(exposition, u"agentdesk_queue_depth"_s), 8.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_queue_limit"_s), 10.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_queue_admission_limit"_s), 8.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_saturated"_s), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_agent_queue_depth"_s, {{u"agent"_s, u"greeter"_s}}), 8.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_agent_in_flight"_s, {{u"agent"_s, u"greeter"_s}}), 0.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_agent_state"_s, {{u"agent"_s, u"greeter"_s}, {u"state"_s, u"paused"_s}}),
             1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_agent_state"_s, {{u"agent"_s, u"greeter"_s}, {u"state"_s, u"idle"_s}}),
             0.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_threads_active"_s), 8.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_injects_refused_total"_s, {{u"reason"_s, u"queue_full"_s}}), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_injects_refused_total"_s, {{u"reason"_s, u"invalid_payload"_s}}), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_injects_refused_total"_s, {{u"reason"_s, u"unknown_target"_s}}), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_injects_refused_total"_s, {{u"reason"_s, u"not_running"_s}}), 0.0);
    // The same figure the API's organism info calls injectsRefused.
    QCOMPARE(double(m_fixture->organism()->info().saturation.injectsRefused), 1.0);

    QCOMPARE(m_fixture->client().post(u"/api/v1/agents/greeter/resume"_s).status, 200);
    QTRY_COMPARE(m_fixture->value(u"agentdesk_threads_ended_total"_s, {{u"status"_s, u"completed"_s}}), 8.0);
    QCOMPARE(m_fixture->value(u"agentdesk_saturated"_s), 0.0);
}

void tst_OrganismMetrics::httpRequestsAreCountedByRouteTemplate()
{
    QVERIFY(m_fixture->start());
    const QString thread = m_fixture->injectThread(u"greeter"_s, {{u"name"_s, u"x"_s}});
    QVERIFY(m_fixture->waitThreadEnded(thread));
    QCOMPARE(m_fixture->client().get(u"/api/v1/threads/"_s + thread).status, 200);
    QCOMPARE(m_fixture->client().get(u"/api/v1/threads/"_s + thread).status, 200); // answered from the response cache
    QCOMPARE(m_fixture->client().get(u"/api/v1/threads/no-such-thread"_s).status, 404);
    QCOMPARE(m_fixture->client().get(u"/no/such/path/"_s + thread).status, 404);
    QCOMPARE(m_fixture->client().send("BREW", u"/api/v1/threads"_s).status, 405);

    const Exposition exposition = m_fixture->scrape();
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
    QVERIFY(m_fixture->start());
    QCOMPARE(m_fixture->value(u"agentdesk_websocket_clients"_s, {{u"endpoint"_s, u"/ws"_s}}), 0.0);
    WsTestClient control;
    WsTestClient messages;
    QVERIFY(control.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_fixture->api()->port()))));
    QVERIFY(messages.open(QUrl(u"ws://127.0.0.1:%1/ws/messages"_s.arg(m_fixture->api()->port()))));
    QTRY_COMPARE(m_fixture->value(u"agentdesk_websocket_clients"_s, {{u"endpoint"_s, u"/ws"_s}}), 1.0);
    QCOMPARE(m_fixture->value(u"agentdesk_websocket_clients"_s, {{u"endpoint"_s, u"/ws/messages"_s}}), 1.0);
    QCOMPARE(m_fixture->value(u"agentdesk_http_requests_total"_s,
                              {{u"route"_s, u"/ws/messages"_s}, {u"method"_s, u"GET"_s}, {u"status"_s, u"101"_s}}),
             1.0);
    messages.socket.close();
    QTRY_COMPARE(m_fixture->value(u"agentdesk_websocket_clients"_s, {{u"endpoint"_s, u"/ws/messages"_s}}), 0.0);
    QCOMPARE(m_fixture->value(u"agentdesk_websocket_clients"_s, {{u"endpoint"_s, u"/ws"_s}}), 1.0);
}

void tst_OrganismMetrics::countersNeverGoDown()
{
    QVERIFY(m_fixture->start());
    ScriptedLlm::Step answer;
    answer.promptTokens = 10;
    answer.completionTokens = 10;
    answer.reply = u"<Done><Text>ok</Text></Done>"_s;
    m_fixture->llm().script = {answer};
    QVERIFY(m_fixture->waitThreadEnded(m_fixture->injectThread(u"writer"_s, {{u"text"_s, u"go"_s}})));
    const Exposition before = m_fixture->scrape();
    QVERIFY(before.ok());
    for (int i = 0; i < 5; ++i)
        m_fixture->inject(u"greeter"_s, {{u"name"_s, u"again"_s}});
    QTRY_COMPARE(m_fixture->value(u"agentdesk_threads_ended_total"_s, {{u"status"_s, u"completed"_s}}), 6.0);
    const Exposition after = m_fixture->scrape();
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
    QVERIFY(m_fixture->start());
    QCOMPARE(m_fixture->client().get(u"/api/v1/threads"_s).status, 200);
    QCOMPARE(m_fixture->client().get(u"/api/v1/threads"_s).status, 200);
    const quint64 cached = m_fixture->api()->http()->cachedAnswerCount();
    QVERIFY(m_fixture->scrape().ok());
    QCOMPARE(m_fixture->client().get(u"/api/v1/threads"_s).status, 200);
    QCOMPARE(m_fixture->api()->http()->cachedAnswerCount(), cached + 1);
}

void tst_OrganismMetrics::protectedLikeOtherReads()
{
    qputenv(kKeyEnv, kKey);
    OrganismConfig config;
    config.auth.apiKeyEnv = QString::fromLatin1(kKeyEnv);
    config.auth.protectReads = true;
    QVERIFY(m_fixture->start(ApiServerOptions::fromConfig(config)));
    QCOMPARE(m_fixture->client().get(u"/metrics"_s).status, 401);
    QCOMPARE(m_fixture->client().get(u"/metrics"_s, {{"Authorization", "Bearer wrong-key-wrong-key"}}).status, 403);
    const Exposition exposition = m_fixture->scrape({{"Authorization", "Bearer " + kKey}});
    QVERIFY(exposition.ok());
    QCOMPARE(valueIn(exposition, u"agentdesk_http_requests_total"_s,
                     {{u"route"_s, u"/metrics"_s}, {u"method"_s, u"GET"_s}, {u"status"_s, u"401"_s}}),
             1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_http_requests_total"_s,
                     {{u"route"_s, u"/metrics"_s}, {u"method"_s, u"GET"_s}, {u"status"_s, u"403"_s}}),
             1.0);
    // The OpenAPI document says so.
    const QJsonObject openApi = QJsonDocument::fromJson(m_fixture->client().get(u"/openapi.json"_s).body).object();
    const QJsonObject operation =
        openApi.value(u"paths"_s).toObject().value(u"/metrics"_s).toObject().value(u"get"_s).toObject();
    QVERIFY(operation.value(u"x-agentdesk-extension"_s).toBool());
    QVERIFY(!operation.value(u"security"_s).toArray().isEmpty());
}

QTEST_GUILESS_MAIN(tst_OrganismMetrics)
#include "tst_organismmetrics.moc"
