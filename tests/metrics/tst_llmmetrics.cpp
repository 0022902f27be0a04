// GET /metrics after LLM calls answered by a ScriptedLlm through a real organism and server: tokens by
// category, cost, unpriced calls, calls by backend and outcome, call durations, thread budgets and
// budget events, each checked against what the test caused and against the organism's own usage figures.

#include "support/expositionparser.h"
#include "support/metricsfixture.h"
#include "support/wstestclient.h"
#include "clearofmidnight.h"

#include "metricsregistry.h"
#include "organismeventmetrics.h"

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

} // namespace

class tst_LlmMetrics : public QObject
{
    Q_OBJECT

private slots:
    void init() { m_fixture = std::make_unique<MetricsFixture>(); }
    void cleanup() { m_fixture.reset(); }

    void llmCallsAreCountedByCategoryModelAndBackend();
    void everyBilledAttemptIsCountedWithItsOutcomeAndCategories();
    void agentAndOrganismBudgetsInTheirUnits();
    void threadBudgetsAreSummedUp();

private:
    std::unique_ptr<MetricsFixture> m_fixture;
};

// Retried, unusable and aborted attempts are usage events too (docs/llm.md, "What is metered"): each is a
// call with its own outcome, and cache writes and reasoning are their own categories within the total.
void tst_LlmMetrics::everyBilledAttemptIsCountedWithItsOutcomeAndCategories()
{
    QVERIFY(m_fixture->start());
    metrics::MetricsRegistry registry;
    metrics::OrganismEventMetrics counted(m_fixture->organism(), registry);
    const auto attempt = [](UsageOutcome outcome, qint64 prompt, qint64 completion) {
        UsageEvent event;
        event.agentId = u"writer"_s;
        event.model = u"claude-test"_s;
        event.metadata.insert(u"backend"_s, u"an"_s);
        event.outcome = outcome;
        event.promptTokens = prompt;
        event.completionTokens = completion;
        event.totalTokens = prompt + completion;
        return event;
    };
    UsageEvent whole = attempt(UsageOutcome::Ok, 1000, 400);
    whole.cachedPromptTokens = 300;
    whole.cacheWriteTokens = 500;
    whole.reasoningTokens = 150;
    whole.ttftMs = 420; // streamed
    counted.recordUsage(attempt(UsageOutcome::Unusable, 900, 20));
    counted.recordUsage(attempt(UsageOutcome::Error, 900, 12));
    counted.recordUsage(attempt(UsageOutcome::Aborted, 0, 0));
    counted.recordUsage(whole);

    const Exposition exposition = parseExposition(registry.exposition());
    QVERIFY(exposition.ok());
    const auto calls = [&](const QString &outcome) {
        return exposition.sum(u"agentdesk_llm_calls_total"_s, {{u"backend"_s, u"an"_s}, {u"outcome"_s, outcome}});
    };
    QCOMPARE(calls(u"ok"_s), 1.0);
    QCOMPARE(calls(u"unusable"_s), 1.0);
    QCOMPARE(calls(u"error"_s), 1.0);
    QCOMPARE(calls(u"aborted"_s), 1.0);
    const auto tokens = [&](const QString &category) {
        return exposition.sum(u"agentdesk_llm_tokens_total"_s, {{u"category"_s, category}});
    };
    QCOMPARE(tokens(u"input"_s), 200.0 + 900 + 900);
    QCOMPARE(tokens(u"input_cached"_s), 300.0);
    QCOMPARE(tokens(u"input_cache_write"_s), 500.0);
    QCOMPARE(tokens(u"output"_s), 250.0 + 20 + 12);
    QCOMPARE(tokens(u"output_reasoning"_s), 150.0);
    QCOMPARE(exposition.sum(u"agentdesk_llm_tokens_total"_s), 1400.0 + 920 + 912); // what was billed, all of it
    // Time to first token: the streamed attempt only, in its bucket.
    const Labels backend{{u"backend"_s, u"an"_s}};
    QCOMPARE(valueIn(exposition, u"agentdesk_llm_time_to_first_token_seconds_count"_s, backend), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_llm_time_to_first_token_seconds_sum"_s, backend), 0.42);
    QCOMPARE(valueIn(exposition, u"agentdesk_llm_time_to_first_token_seconds_bucket"_s,
                     {{u"backend"_s, u"an"_s}, {u"le"_s, u"0.25"_s}}),
             0.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_llm_time_to_first_token_seconds_bucket"_s,
                     {{u"backend"_s, u"an"_s}, {u"le"_s, u"0.5"_s}}),
             1.0);
}

void tst_LlmMetrics::agentAndOrganismBudgetsInTheirUnits()
{
    test::keepClearOfMidnightUtc(); // a day and a month budget
    QVERIFY(m_fixture->start({},
                             MetricsFixture::defaultYaml()
                                 + "budgets: {agents: {writer: {max_tokens: 5000, period: day}},"
                                   " organism: {max_cost: 50.0, period: month}}\n"));
    const Labels writer{{u"scope"_s, u"agent:writer"_s}};
    const Labels organism{{u"scope"_s, u"organism"_s}};
    Exposition exposition = m_fixture->scrape();
    QVERIFY(exposition.ok());
    QCOMPARE(
        valueIn(exposition, u"agentdesk_budget_limit"_s, {{u"scope"_s, u"agent:writer"_s}, {u"unit"_s, u"tokens"_s}}),
        5000.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_budget_limit"_s, {{u"scope"_s, u"organism"_s}, {u"unit"_s, u"dollars"_s}}),
             50.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_budget_used_ratio"_s, writer), 0.0);

    m_fixture->llm().script = {step(u"grok-4.1"_s, 1200, 300)};
    const QString thread = m_fixture->injectThread(u"writer"_s, {{u"text"_s, u"go"_s}});
    QVERIFY(m_fixture->waitThreadEnded(thread));
    exposition = m_fixture->scrape();
    QCOMPARE(
        valueIn(exposition, u"agentdesk_budget_used"_s, {{u"scope"_s, u"agent:writer"_s}, {u"unit"_s, u"tokens"_s}}),
        1500.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_budget_used_ratio"_s, writer), 0.3);
    const double cost = m_fixture->organism()->usage().totals.totalCost;
    QVERIFY(cost > 0);
    QCOMPARE(valueIn(exposition, u"agentdesk_budget_used"_s, {{u"scope"_s, u"organism"_s}, {u"unit"_s, u"dollars"_s}}),
             cost);
    QCOMPARE(valueIn(exposition, u"agentdesk_budget_held_threads"_s, organism), 0.0);
}

void tst_LlmMetrics::llmCallsAreCountedByCategoryModelAndBackend()
{
    QVERIFY(m_fixture->start());
    m_fixture->llm().script = {step(u"grok-4.1"_s, 1200, 300, kAgain, 200), step(u"mystery-model"_s, 100, 50)};
    const QString thread = m_fixture->injectThread(u"writer"_s, {{u"text"_s, u"go"_s}});
    QVERIFY(m_fixture->waitThreadEnded(thread));
    QTRY_COMPARE(m_fixture->value(u"agentdesk_llm_calls_total"_s,
                                  {{u"agent"_s, u"writer"_s},
                                   {u"model"_s, u"mystery-model"_s},
                                   {u"backend"_s, u"scripted"_s},
                                   {u"outcome"_s, u"ok"_s}}),
                 1.0);
    const Exposition exposition = m_fixture->scrape();
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
    QCOMPARE(exposition.sum(u"agentdesk_llm_tokens_total"_s),
             double(m_fixture->organism()->usage().totals.totalTokens));
    // The cost is the window's and /usage's figure; the unpriced model is counted apart.
    const double cost = valueIn(exposition, u"agentdesk_llm_cost_dollars_total"_s, grok);
    QVERIFY(cost > 0);
    QCOMPARE(cost, m_fixture->organism()->usage().totals.totalCost);
    const Labels mystery{{u"agent"_s, u"writer"_s}, {u"model"_s, u"mystery-model"_s}};
    QVERIFY(!exposition.value(u"agentdesk_llm_cost_dollars_total"_s, mystery));
    QCOMPARE(valueIn(exposition, u"agentdesk_llm_unpriced_calls_total"_s, mystery), 1.0);
    QCOMPARE(exposition.sum(u"agentdesk_llm_calls_total"_s, {{u"backend"_s, u"scripted"_s}, {u"outcome"_s, u"ok"_s}}),
             2.0);
    // 1.5 s each: both in the bucket up to 2.5 s, none up to 1 s.
    const Labels backend{{u"backend"_s, u"scripted"_s}};
    QCOMPARE(valueIn(exposition, u"agentdesk_llm_call_duration_seconds_count"_s, backend), 2.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_llm_call_duration_seconds_sum"_s, backend), 3.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_llm_call_duration_seconds_bucket"_s,
                     {{u"backend"_s, u"scripted"_s}, {u"le"_s, u"1"_s}}),
             0.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_llm_call_duration_seconds_bucket"_s,
                     {{u"backend"_s, u"scripted"_s}, {u"le"_s, u"2.5"_s}}),
             2.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_messages_handled_total"_s, agentOutcome(u"writer"_s, u"ok"_s)), 2.0);

    // Resetting the usage counters (window, API) leaves the Prometheus counters alone.
    QCOMPARE(m_fixture->client().post(u"/api/v1/usage/reset"_s).status, 200);
    QCOMPARE(m_fixture->value(u"agentdesk_llm_cost_dollars_total"_s, grok), cost);
}

void tst_LlmMetrics::threadBudgetsAreSummedUp()
{
    QVERIFY(m_fixture->start());
    // 8,000 of the thread's 10,000 tokens; the reply asks the writer again, and that call waits (no step
    // left), keeping the thread and its budget alive.
    m_fixture->llm().script = {step(u"grok-4.1"_s, 6000, 2000, kAgain)};
    const QString thread = m_fixture->injectThread(u"writer"_s, {{u"text"_s, u"go"_s}});
    QTRY_COMPARE(m_fixture->llm().pending.size(), 1);
    QTRY_COMPARE(
        m_fixture->value(u"agentdesk_budget_events_total"_s, {{u"scope"_s, u"thread"_s}, {u"kind"_s, u"warning"_s}}),
        1.0);
    Exposition exposition = m_fixture->scrape();
    QCOMPARE(valueIn(exposition, u"agentdesk_thread_budgets"_s), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_thread_budgets_exhausted"_s), 0.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_thread_budget_max_used_ratio"_s), 0.8);
    QCOMPARE(valueIn(exposition, u"agentdesk_agent_in_flight"_s, {{u"agent"_s, u"writer"_s}}), 1.0);

    // The held call uses the rest and asks again: that call is held at exhaustion.
    QVERIFY(m_fixture->llm().release(step(u"grok-4.1"_s, 1500, 1000, kAgain)));
    QTRY_COMPARE(
        m_fixture->value(u"agentdesk_budget_events_total"_s, {{u"scope"_s, u"thread"_s}, {u"kind"_s, u"exhausted"_s}}),
        1.0);
    exposition = m_fixture->scrape();
    QCOMPARE(valueIn(exposition, u"agentdesk_thread_budgets_exhausted"_s), 1.0);
    QCOMPARE(valueIn(exposition, u"agentdesk_thread_budget_max_used_ratio"_s), 1.05);
    QCOMPARE(valueIn(exposition, u"agentdesk_messages_handled_total"_s, agentOutcome(u"writer"_s, u"held"_s)), 1.0);
    QVERIFY(
        valueIn(exposition, u"agentdesk_budget_events_total"_s, {{u"scope"_s, u"thread"_s}, {u"kind"_s, u"critical"_s}})
        == 1.0);

    QCOMPARE(m_fixture->client().post(u"/api/v1/threads/"_s + thread + u"/kill"_s).status, 200);
    QTRY_COMPARE(m_fixture->value(u"agentdesk_threads_ended_total"_s, {{u"status"_s, u"killed"_s}}), 1.0);
    QCOMPARE(m_fixture->value(u"agentdesk_thread_budgets"_s), 0.0);
}

QTEST_GUILESS_MAIN(tst_LlmMetrics)
#include "tst_llmmetrics.moc"
