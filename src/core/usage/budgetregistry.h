#pragma once

#include "domain/budgets.h"
#include "reservation.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace agentdesk {

// A threshold a budget crossed (spec §8.5): 75 % warning, 90 % critical, 95 % final — each once per budget.
struct BudgetThreshold
{
    int percent = 0;
    QString severity;        // toString(kind): warning | critical | final (the BudgetWarning payload's text)
    ThreadBudget budget;     // the budget right after the crossing
    QString message() const; // the original's text, e.g. "Note: 76% of token budget used. 24,000 tokens remaining."
    BudgetEventKind kind = BudgetEventKind::Warning;
};

// Per-thread token budgets (B2 semantics): created on the first check or consumption, gone when the
// thread ends. Enforcement is the caller's: check() before a call, consume() after it.
class BudgetRegistry
{
public:
    void setDefaultMaxTokens(qint64 maxTokens) { m_defaultMax = maxTokens; } // affects new budgets only
    qint64 defaultMaxTokens() const { return m_defaultMax; }

    // Empty when the call may go ahead; otherwise the refusal, e.g.
    // "Thread 1234abcd... budget exhausted: 1000/1000 tokens used".
    std::optional<QString> check(const QString &threadId, qint64 estimatedTokens);
    // Reservations of the thread's calls in flight (BudgetGate keeps them); creates the budget.
    ReservationState &reservations(const QString &threadId);
    QString refusal(const QString &threadId) const;
    // The thread's next call was held because its estimate does not fit (0: a call was admitted).
    void noteHeldCall(const QString &threadId, qint64 neededTokens);
    // Adds a call's tokens (negative counts clamp to 0) and returns the thresholds it crossed, lowest first.
    QList<BudgetThreshold> consume(const QString &threadId, qint64 promptTokens, qint64 completionTokens);
    // The operator raises (or lowers) a budget; thresholds above the new percentage arm again.
    ThreadBudget setMaxTokens(const QString &threadId, qint64 maxTokens);

    std::optional<ThreadBudget> budget(const QString &threadId) const;
    bool contains(const QString &threadId) const { return m_budgets.contains(threadId); }
    QList<ThreadBudget> budgets() const; // hottest first (percentUsed descending), ties in creation order
    int count() const { return int(m_budgets.size()); }
    void remove(const QString &threadId);

private:
    struct Entry
    {
        ThreadBudget budget;
        quint64 order = 0;
        QList<int> fired;
        ReservationState reservations;
    };
    Entry &ensure(const QString &threadId);

    qint64 m_defaultMax = 100000;
    quint64 m_nextOrder = 0;
    QHash<QString, Entry> m_budgets;
};

} // namespace agentdesk
