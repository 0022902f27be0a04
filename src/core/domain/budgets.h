#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

#include <algorithm>
#include <optional>

namespace agentdesk {

// What the outer layers see of token and cost budgets: a thread's, an agent's or the organism's, and
// what happened to one. (The accounting itself is core/usage's.)

// budgets: per-agent and organism-wide limits over a UTC period.
enum class BudgetPeriod { Day, Month, Total };
QString toString(BudgetPeriod period);
bool parseBudgetPeriod(const QString &text, BudgetPeriod *period);

// A thread's token budget (spec §8.4).
struct ThreadBudget
{
    QString threadId;
    qint64 maxTokens = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 requestCount = 0;
    qint64 reservedTokens = 0; // promised to the thread's calls in flight (reserve before, settle after)
    // The prompt estimate of the thread's next call when this budget held it because it does not fit
    // in what is left (spec §8.4); 0 when no call is held on this budget.
    qint64 heldCallTokens = 0;
    qint64 totalTokens() const { return promptTokens + completionTokens; }
    qint64 remaining() const { return std::max<qint64>(0, maxTokens - totalTokens()); }
    // Spent, or held: the next call does not fit (possibly before anything was spent).
    bool isExhausted() const
    {
        return totalTokens() >= maxTokens || (heldCallTokens > 0 && totalTokens() + heldCallTokens > maxTokens);
    }
    double percentUsed() const { return maxTokens > 0 ? double(totalTokens()) / double(maxTokens) * 100.0 : 0.0; }
};

// One budget beyond the thread: an agent's (scope "agent:NAME") or the organism's ("organism"), in
// tokens or in USD, over a UTC day, a UTC month or since its last reset ("total").
struct ScopeBudget
{
    QString scope;
    QString agent; // empty for the organism
    BudgetPeriod period = BudgetPeriod::Total;
    std::optional<qint64> maxTokens;
    std::optional<double> maxCost;
    QDateTime periodStart; // the start of the period (day, month), or the last reset (total; invalid: never)
    QDateTime periodEnd;   // when the next period starts; invalid for total
    qint64 usedTokens = 0; // in the period, since the last reset
    double usedCost = 0;
    qint64 unpricedRequests = 0; // events without a price: a cost budget counts them as 0
    double reserved = 0;         // promised to calls in flight, in the budget's unit
    int heldThreads = 0;         // threads held because this budget is exhausted

    bool isCost() const { return maxCost.has_value(); }
    double used() const { return isCost() ? usedCost : double(usedTokens); }
    double limit() const { return isCost() ? *maxCost : double(maxTokens.value_or(0)); }
    double remaining() const { return std::max(0.0, limit() - used()); }
    double percentUsed() const { return limit() > 0 ? used() / limit() * 100.0 : 0.0; }
    bool isExhausted() const { return used() >= limit(); }
    bool operator==(const ScopeBudget &other) const = default;
};

// What an operator changes of a scope budget: a limit (in tokens or USD), a period, or a reset of its
// usage. Thresholds above the new percentage arm again.
struct ScopeBudgetChange
{
    std::optional<qint64> maxTokens;
    std::optional<double> maxCost;
    std::optional<BudgetPeriod> period;
    bool reset = false;
};

// What happened to a budget; the names are the API's: warning, critical, final (thresholds, 75, 90 and
// 95 %), exhausted (calls held), raised (an operator raised or reset it, or a new period began).
enum class BudgetEventKind { Warning, Critical, Final, Exhausted, Raised };
QString toString(BudgetEventKind kind);
bool parseBudgetEventKind(const QString &text, BudgetEventKind *kind);
// Warning, critical and final are thresholds (the events the API calls budget_warning).
inline bool isThreshold(BudgetEventKind kind)
{
    return kind <= BudgetEventKind::Final;
}

// A budget crossed a threshold (warning 75 %, critical 90 %, final 95 %), was exhausted (the calls
// that would spend from it are held), or was raised or reset by an operator (or a new period began).
// A thread's budget has scope "thread" and `budget`; an agent's or the organism's has its scope
// ("agent:NAME", "organism") and `scopeBudget`, and `threadId` names the thread whose call crossed or
// was held (empty for a raise).
struct BudgetEvent
{
    QString threadId;
    QString agent;
    BudgetEventKind kind = BudgetEventKind::Warning;
    ThreadBudget budget;
    QString message;
    QDateTime timestamp;
    QString scope = QStringLiteral("thread");
    std::optional<ScopeBudget> scopeBudget = std::nullopt;
};

} // namespace agentdesk

Q_DECLARE_METATYPE(agentdesk::ScopeBudget)
Q_DECLARE_METATYPE(agentdesk::BudgetEvent)
