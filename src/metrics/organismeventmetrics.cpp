#include "organismeventmetrics.h"

#include "metricsregistry.h"
#include "organism.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk::metrics {

namespace {

// LLM calls take from a fraction of a second (a cached local model) to minutes (long generations).
const prometheus::Histogram::BucketBoundaries kCallDurationBounds{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300};
// A first token comes after the prompt is read: tens of milliseconds for a cached prompt, seconds for a long one.
const prometheus::Histogram::BucketBoundaries kFirstTokenBounds{0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60};

std::string text(const QString &value)
{
    return value.toStdString();
}

} // namespace

OrganismEventMetrics::OrganismEventMetrics(Organism *organism, MetricsRegistry &registry, QObject *parent)
    : QObject(parent)
    , m_threadsStarted(registry.counters("agentdesk_threads_started_total", "Threads started (new injects)").Add({}))
    , m_budgetEvents(
          registry.counters("agentdesk_budget_events_total",
                            "Budget thresholds crossed (warning, critical, final), budgets exhausted and raised, "
                            "by scope"))
    , m_tokens(
          registry.counters("agentdesk_llm_tokens_total",
                            "LLM tokens by agent, model and category; the categories add up to the total: input "
                            "(neither read from nor written to the cache), input_cached, input_cache_write, output "
                            "(without reasoning), output_reasoning"))
    , m_cost(registry.counters("agentdesk_llm_cost_dollars_total",
                               "Estimated LLM cost in US dollars of the calls whose model has a price"))
    , m_unpriced(registry.counters("agentdesk_llm_unpriced_calls_total",
                                   "LLM calls whose model has no known price (not in the cost)"))
    , m_calls(registry.counters("agentdesk_llm_calls_total", "Metered LLM calls by agent, model, backend and outcome"))
    , m_callDuration(registry.histograms("agentdesk_llm_call_duration_seconds",
                                         "How long metered LLM calls took, retries and back-off included, by backend"))
    , m_firstToken(
          registry.histograms("agentdesk_llm_time_to_first_token_seconds",
                              "From sending a streamed LLM request to its first text or tool call, by backend"))
{
    auto &ended = registry.counters("agentdesk_threads_ended_total",
                                    "Threads that ended, by status (completed, error, killed)");
    m_threadsEnded = {&ended.Add({{"status", "completed"}}), &ended.Add({{"status", "error"}}),
                      &ended.Add({{"status", "killed"}})};
    if (!organism)
        return;
    connect(organism, &Organism::threadsCreated, this, &OrganismEventMetrics::onThreadsCreated);
    connect(organism, &Organism::threadsUpdated, this, &OrganismEventMetrics::onThreadsUpdated);
    connect(organism, &Organism::budgetEvents, this, &OrganismEventMetrics::onBudgetEvents);
    connect(organism, &Organism::usageRecorded, this, &OrganismEventMetrics::onUsage);
}

void OrganismEventMetrics::onThreadsCreated(const QList<ThreadInfo> &created)
{
    m_threadsStarted.Increment(double(created.size()));
}

void OrganismEventMetrics::onThreadsUpdated(const QList<ThreadInfo> &updated)
{
    std::array<int, 3> ended{};
    for (const ThreadInfo &thread : updated) {
        switch (thread.status) {
        case ThreadStatus::Completed:
            ++ended[0];
            break;
        case ThreadStatus::Error:
            ++ended[1];
            break;
        case ThreadStatus::Killed:
            ++ended[2];
            break;
        case ThreadStatus::Active:
            break;
        }
    }
    for (std::size_t i = 0; i < ended.size(); ++i) {
        if (ended[i] > 0)
            m_threadsEnded[i]->Increment(ended[i]);
    }
}

void OrganismEventMetrics::onBudgetEvents(const QList<BudgetEvent> &events)
{
    for (const BudgetEvent &event : events)
        m_budgetEvents.Add({{"scope", "thread"}, {"kind", text(toString(event.kind))}}).Increment();
}

void OrganismEventMetrics::onUsage(const QList<UsageEvent> &events)
{
    for (const UsageEvent &event : events)
        recordUsage(event);
}

void OrganismEventMetrics::recordUsage(const UsageEvent &event)
{
    const std::string agent = text(event.agentId);
    const std::string model = text(event.model);
    const std::string backend = text(event.metadata.value(u"backend"_s).toString());
    const auto addTokens = [&](const char *category, qint64 tokens) {
        if (tokens > 0)
            m_tokens.Add({{"agent", agent}, {"model", model}, {"category", category}}).Increment(double(tokens));
    };
    // The categories add up to the event's tokens: cache reads and writes are part of the prompt, reasoning
    // part of the completion (as the providers bill them, docs/llm.md).
    const qint64 cached = std::clamp<qint64>(event.cachedPromptTokens, 0, event.promptTokens);
    const qint64 written = std::clamp<qint64>(event.cacheWriteTokens, 0, event.promptTokens - cached);
    const qint64 reasoning = std::clamp<qint64>(event.reasoningTokens, 0, event.completionTokens);
    addTokens("input", event.promptTokens - cached - written);
    addTokens("input_cached", cached);
    addTokens("input_cache_write", written);
    addTokens("output", event.completionTokens - reasoning);
    addTokens("output_reasoning", reasoning);
    if (event.estimatedCost)
        m_cost.Add({{"agent", agent}, {"model", model}}).Increment(std::max(0.0, *event.estimatedCost));
    else
        m_unpriced.Add({{"agent", agent}, {"model", model}}).Increment();
    // Every attempt the provider may bill is an event: ok, unusable (a 2xx reply that could not be used),
    // error (a stream cut off after it began) or aborted (no answer came).
    m_calls.Add({{"agent", agent}, {"model", model}, {"backend", backend}, {"outcome", text(toString(event.outcome))}})
        .Increment();
    m_callDuration.Add({{"backend", backend}}, kCallDurationBounds).Observe(std::max(0.0, event.latencyMs / 1000.0));
    if (event.ttftMs) // streamed attempts only: a whole answer has no first token of its own
        m_firstToken.Add({{"backend", backend}}, kFirstTokenBounds).Observe(std::max(0.0, *event.ttftMs / 1000.0));
}

} // namespace agentdesk::metrics
