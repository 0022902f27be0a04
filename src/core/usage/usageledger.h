#pragma once

#include "domain/budgets.h"
#include "budgetgate.h"
#include "budgetregistry.h"
#include "pricetable.h"
#include "scopebudgets.h"
#include "usagetracker.h"

#include "config/organismconfig.h"
#include "domain/trace.h"
#include "llm/llmclient.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

namespace agentdesk {

class HistoryStore;

// The organism's accounts of its LLM calls: prices, the usage gauge, the thread budgets, the agent and
// organism budgets, and the admission of calls against all of them (reserve before, settle after).
// Every attempt the provider may bill is metered here exactly once. The organism supplies the
// history and passes on what the ledger reports through Host.
class UsageLedger final : public QObject
{
    Q_OBJECT
public:
    class Host
    {
    public:
        virtual ~Host() = default;
        // A metered event, to record in the history (with what the attempt was sent and answered, for
        // the timeline) and announce.
        virtual void usageMetered(const UsageEvent &event, const LlmTranscript &transcript) = 0;
        // A thread budget crossed a threshold: the agent hears of it in its thread (and /ws).
        virtual void threadThresholdCrossed(const QString &agent, const BudgetThreshold &threshold) = 0;
        virtual void budgetChanged(const BudgetEvent &event) = 0;
        // Work held on a budget may go on (the pump re-checks it).
        virtual void releaseThread(const QString &threadId) = 0;
        // The gauge or the budget lists changed without an event.
        virtual void accountsChanged() = 0;
    };

    UsageLedger(Host *host, QObject *parent = nullptr);
    ~UsageLedger() override;

    // Prices, the default thread budget and the scope budgets of `config` (load and reload). At a
    // reload (`store` given) a new budget, or one with another period, counts its period's usage
    // from the history.
    void configure(const OrganismConfig &config, HistoryStore *store = nullptr);
    // At load: the gauge and the scope budgets' usage from the history, since their resets.
    void restore(HistoryStore *store);

    // --- metering ---------------------------------------------------------------------------------
    // One attempt the provider may bill (LlmResult::isMetered). `reservation` (0: none) is the call's.
    // A thread's budget is charged only while the thread has one or `threadLive`.
    void record(const QString &agent, const QString &threadId, const LlmResult &attempt, quint64 reservation,
                bool threadLive, const LlmTranscript &transcript);
    void resetGauge(HistoryStore *store); // the counters only; the time is kept in the history

    // --- admission --------------------------------------------------------------------------------
    BudgetGate::Admission admit(const QString &agent, const QString &threadId, const LlmRequest &request,
                                qint64 optimisticPrompt, qint64 conservativePrompt, qint64 maxCompletion);
    bool renew(quint64 reservation);
    void release(quint64 reservation);
    // `retry` runs (later, once) when a reservation ends or a budget gets room.
    void whenRoom(std::function<void()> retry);
    // The thread was held by admit(): the exhausted event, with the scope that held it.
    void noteHeld(const QString &threadId, const QString &agent, const QString &reason);

    // --- budgets ----------------------------------------------------------------------------------
    void endThread(const QString &threadId); // its budget goes; nothing of it stays held
    ThreadBudget setThreadBudget(const QString &threadId, qint64 maxTokens);
    // nullopt + error when the scope is not `organism` or `agent:<a known agent>`, or the change is
    // not usable.
    std::optional<ScopeBudget> setScopeBudget(const QString &scope, const ScopeBudgets::Change &change,
                                              HistoryStore *store);

    const UsageTracker &tracker() const { return m_tracker; }
    const BudgetRegistry &threadBudgets() const { return m_threads; }
    BudgetRegistry &threadBudgets() { return m_threads; }
    const ScopeBudgets &scopeBudgets() const { return m_scopes; }
    const PriceTable &prices() const { return m_prices; }

    static QString resetSettingOf(const QString &scope); // the history's settings row of a scope's reset

private:
    void restoreScope(HistoryStore *store, const QString &scope);
    void rollOver();
    void armRollOver();
    void wake();
    void releaseScope(const QString &scope, const QString &message);

    Host *m_host;
    PriceTable m_prices;
    UsageTracker m_tracker;
    BudgetRegistry m_threads;
    ScopeBudgets m_scopes;
    BudgetGate m_gate{m_threads, m_scopes};
    QDateTime m_resetAt;     // the gauge's last reset (invalid: never)
    QDateTime m_lastEventAt; // the newest event's timestamp
    QTimer m_rollOverTimer;
    QList<std::function<void()>> m_waiting;
};

} // namespace agentdesk
