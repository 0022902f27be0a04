#include "usageledger.h"

#include "store/historystore.h"

#include <chrono>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

const QString kGaugeResetSetting = QStringLiteral("usage_reset_at");

QDateTime settingTime(HistoryStore *store, const QString &name)
{
    return QDateTime::fromString(store->setting(name), Qt::ISODateWithMs);
}

} // namespace

UsageLedger::UsageLedger(Host *host, QObject *parent)
    : QObject(parent)
    , m_host(host)
{
    m_rollOverTimer.setSingleShot(true);
    connect(&m_rollOverTimer, &QTimer::timeout, this, &UsageLedger::rollOver);
}

UsageLedger::~UsageLedger() = default;

QString UsageLedger::resetSettingOf(const QString &scope)
{
    return u"budget_reset_at:"_s + scope;
}

void UsageLedger::configure(const OrganismConfig &config, HistoryStore *store)
{
    m_prices = PriceTable::forConfig(config.llm);
    m_threads.setDefaultMaxTokens(config.maxTokensPerThread);
    const ScopeBudgets::Configured configured = m_scopes.configure(config.budgets, QDateTime::currentDateTimeUtc());
    if (store) {
        for (const QString &scope : configured.fresh)
            restoreScope(store, scope);
    }
    // A budget the reload removed or raised lets its held threads and its waiting calls go.
    QStringList released = configured.released + m_scopes.takeHeldWithRoom();
    for (const QString &threadId : std::as_const(released))
        m_host->releaseThread(threadId);
    armRollOver();
    wake();
}

// Reads what the history has committed, without waiting for its writer (the engine thread never
// waits on a disk): at load nothing of this run is pending yet.
void UsageLedger::restore(HistoryStore *store)
{
    m_resetAt = settingTime(store, kGaugeResetSetting);
    m_tracker.restore(store->usageGroupSums(m_resetAt));
    for (const ScopeBudget &budget : m_scopes.budgets())
        restoreScope(store, budget.scope);
}

// A scope budget's usage in its period, since its last reset, from the history.
void UsageLedger::restoreScope(HistoryStore *store, const QString &scope)
{
    m_scopes.applyReset(scope, settingTime(store, resetSettingOf(scope)));
    const ScopeBudget current = *m_scopes.budget(scope);
    const UsageAggregate spent = store->usageSums(current.periodStart, current.agent);
    m_scopes.restore(scope, spent.totalTokens, spent.totalCost, spent.unpricedRequests);
}

void UsageLedger::record(const QString &agent, const QString &threadId, const LlmResult &attempt, quint64 reservation,
                         bool threadLive, const LlmTranscript &transcript)
{
    UsageEvent event;
    // Events after a reset sort after it, even within the clock's millisecond (the gauge is rebuilt
    // from the events later than the reset time).
    event.timestamp = std::max(QDateTime::currentDateTimeUtc(), m_resetAt.addMSecs(1));
    event.threadId = threadId;
    event.agentId = agent;
    event.model = attempt.model;
    event.provider = attempt.provider;
    event.promptTokens = attempt.promptTokens;
    event.completionTokens = attempt.completionTokens;
    event.cachedPromptTokens = attempt.cachedPromptTokens;
    event.cacheWriteTokens = attempt.cacheWriteTokens;
    event.reasoningTokens = attempt.reasoningTokens;
    event.totalTokens = attempt.totalTokens();
    event.latencyMs = attempt.latencyMs;
    event.ttftMs = attempt.ttftMs;
    event.tokensPerSecond = attempt.tokensPerSecond;
    event.outcome = attempt.ok ? UsageOutcome::Ok : attempt.outcome;
    event.estimatedCost = m_prices.cost(attempt.model, attempt.promptTokens, attempt.completionTokens,
                                        attempt.cachedPromptTokens, attempt.cacheWriteTokens);
    event.estimatedTokens = attempt.estimatedTokens;
    event.metadata.insert(u"backend"_s, attempt.backend);
    if (attempt.estimatedTokens)
        event.metadata.insert(u"estimated_tokens"_s, true);
    if (!attempt.ok && !attempt.error.isEmpty())
        event.metadata.insert(u"error"_s, attempt.error.left(500));
    m_lastEventAt = event.timestamp;

    m_tracker.record(event);
    m_host->usageMetered(event, transcript);
    m_gate.charge(reservation, event.totalTokens, event.estimatedCost);
    if (m_threads.contains(threadId) || threadLive) {
        for (const BudgetThreshold &threshold :
             m_threads.consume(threadId, attempt.promptTokens, attempt.completionTokens))
            m_host->threadThresholdCrossed(agent, threshold);
    }
    for (const ScopeThreshold &threshold : m_scopes.record(agent, event.totalTokens, event.estimatedCost)) {
        BudgetEvent crossed{threadId,
                            agent,
                            threshold.kind,
                            {},
                            threshold.message(),
                            QDateTime::currentDateTimeUtc(),
                            threshold.budget.scope,
                            threshold.budget};
        m_host->budgetChanged(crossed);
    }
}

void UsageLedger::resetGauge(HistoryStore *store)
{
    // Later than every event recorded so far, so the rebuild after a restart starts exactly here.
    m_resetAt = std::max(QDateTime::currentDateTimeUtc(), m_lastEventAt);
    store->saveSetting(kGaugeResetSetting, m_resetAt.toString(Qt::ISODateWithMs));
    m_tracker.reset();
    m_host->accountsChanged();
}

BudgetGate::Admission UsageLedger::admit(const QString &agent, const QString &threadId, const LlmRequest &request,
                                         qint64 optimisticPrompt, qint64 conservativePrompt, qint64 maxCompletion)
{
    // The call's own limit, when it has one, is part of what must fit; without one the reply's size is
    // unknown and only the prompt decides exhaustion (spec §8.4), the assumed size what is reserved.
    const qint64 declaredCompletion = request.maxTokens ? qint64(*request.maxTokens) : 0;
    if (!m_threads.contains(threadId))
        m_host->accountsChanged(); // the thread's budget starts with its first call
    BudgetGate::Estimate estimate;
    estimate.agent = agent;
    estimate.threadId = threadId;
    estimate.promptTokens = optimisticPrompt + declaredCompletion;
    estimate.promptCost = m_prices.cost(request.model, optimisticPrompt, declaredCompletion);
    estimate.optimisticTokens = optimisticPrompt + maxCompletion;
    estimate.conservativeTokens = conservativePrompt + maxCompletion;
    estimate.optimisticCost = m_prices.cost(request.model, optimisticPrompt, maxCompletion);
    estimate.conservativeCost = m_prices.cost(request.model, conservativePrompt, maxCompletion);
    const BudgetGate::Admission admission = m_gate.admit(estimate);
    if (admission.kind == BudgetGate::Admission::Kind::Held && admission.scope != u"thread")
        m_scopes.noteHeld(admission.scope, threadId);
    return admission;
}

bool UsageLedger::renew(quint64 reservation)
{
    return m_gate.renew(reservation);
}

void UsageLedger::release(quint64 reservation)
{
    if (reservation == 0)
        return;
    m_gate.release(reservation);
    wake();
}

void UsageLedger::whenRoom(std::function<void()> retry)
{
    m_waiting.append(std::move(retry));
}

// Runs the waiting admissions again, later: each either goes, waits again or is held.
void UsageLedger::wake()
{
    if (m_waiting.isEmpty())
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            const QList<std::function<void()>> waiting = std::exchange(m_waiting, {});
            for (const std::function<void()> &retry : waiting)
                retry();
        },
        Qt::QueuedConnection);
}

void UsageLedger::noteHeld(const QString &threadId, const QString &agent, const QString &reason)
{
    const QString scope = m_scopes.scopeHolding(threadId);
    const ThreadBudget budget = m_threads.budget(threadId).value_or(ThreadBudget{threadId});
    QString message = reason;
    // Held before the budget is spent: "0/200 tokens used" alone does not say why.
    if (scope.isEmpty() && budget.heldCallTokens > 0 && budget.totalTokens() < budget.maxTokens)
        message += u"; the next call needs about %1 tokens (estimated), more than the %2 left"_s
                       .arg(budget.heldCallTokens)
                       .arg(budget.remaining());
    message += u"; the thread is held until the budget is raised or it is killed"_s;
    BudgetEvent held{threadId, agent, BudgetEventKind::Exhausted, budget, message, QDateTime::currentDateTimeUtc()};
    if (!scope.isEmpty()) {
        held.scope = scope;
        held.scopeBudget = m_scopes.budget(scope);
    }
    m_host->budgetChanged(held);
}

void UsageLedger::endThread(const QString &threadId)
{
    m_scopes.forgetThread(threadId);
    if (m_threads.contains(threadId)) {
        m_threads.remove(threadId);
        m_host->accountsChanged();
    }
}

ThreadBudget UsageLedger::setThreadBudget(const QString &threadId, qint64 maxTokens)
{
    const ThreadBudget budget = m_threads.setMaxTokens(threadId, maxTokens);
    m_host->budgetChanged(BudgetEvent{threadId,
                                      {},
                                      BudgetEventKind::Raised,
                                      budget,
                                      u"budget set to %1 tokens"_s.arg(maxTokens),
                                      QDateTime::currentDateTimeUtc()});
    if (!budget.isExhausted())
        m_host->releaseThread(threadId);
    wake();
    return budget;
}

std::optional<ScopeBudget> UsageLedger::setScopeBudget(const QString &scope, const ScopeBudgets::Change &change,
                                                       HistoryStore *store)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const std::optional<ScopeBudget> budget = m_scopes.set(scope, change, now);
    if (!budget)
        return std::nullopt;
    if (change.reset && store)
        store->saveSetting(resetSettingOf(scope), now.toString(Qt::ISODateWithMs));
    QStringList what;
    if (budget->isCost())
        what << u"limit $%1"_s.arg(budget->limit(), 0, 'f', 2);
    else
        what << u"limit %1 tokens"_s.arg(qint64(budget->limit()));
    what << u"period %1"_s.arg(toString(budget->period));
    if (change.reset)
        what << u"usage reset"_s;
    releaseScope(scope, u"budget set: "_s + what.join(u", "_s));
    armRollOver();
    m_host->accountsChanged();
    return m_scopes.budget(scope);
}

// The scope has room again (raised, reset, a new period): its held threads go on.
void UsageLedger::releaseScope(const QString &scope, const QString &message)
{
    const std::optional<ScopeBudget> budget = m_scopes.budget(scope);
    m_host->budgetChanged(BudgetEvent{{},
                                      budget ? budget->agent : QString(),
                                      BudgetEventKind::Raised,
                                      {},
                                      message,
                                      QDateTime::currentDateTimeUtc(),
                                      scope,
                                      budget});
    if (budget && !budget->isExhausted()) {
        for (const QString &threadId : m_scopes.takeHeld(scope))
            m_host->releaseThread(threadId);
    }
    wake();
}

void UsageLedger::rollOver()
{
    for (const QString &scope : m_scopes.rollOver(QDateTime::currentDateTimeUtc()))
        releaseScope(scope, u"a new period began"_s);
    armRollOver();
    m_host->accountsChanged();
}

void UsageLedger::armRollOver()
{
    const QDateTime next = m_scopes.nextRollOver();
    if (!next.isValid()) {
        m_rollOverTimer.stop();
        return;
    }
    const qint64 ms = std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(next)) + 1;
    m_rollOverTimer.start(std::chrono::milliseconds(std::min<qint64>(ms, 24 * 3600 * 1000))); // re-armed daily at worst
}

} // namespace agentdesk
