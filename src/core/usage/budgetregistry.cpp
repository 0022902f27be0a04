#include "budgetregistry.h"

#include "budgetlevels.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// Python's "{:,}": comma thousands separators, whatever the user's locale.
QString withThousands(qint64 value)
{
    QString digits = QString::number(std::llabs(value));
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, u',');
    return value < 0 ? u'-' + digits : digits;
}

// Python's "{:.0f}" rounds half to even.
QString percentText(double percent)
{
    return QString::number(std::nearbyint(percent), 'f', 0);
}

} // namespace

QString BudgetThreshold::message() const
{
    const QString pct = percentText(budget.percentUsed());
    const QString remaining = withThousands(budget.remaining());
    if (kind == BudgetEventKind::Final)
        return u"CRITICAL: %1% of token budget used. Only %2 tokens remaining. Wrap up immediately or your next "
               "request may fail."_s.arg(pct, remaining);
    if (kind == BudgetEventKind::Critical)
        return u"WARNING: %1% of token budget used. %2 tokens remaining. Consider wrapping up your current task "
               "soon."_s.arg(pct, remaining);
    return u"Note: %1% of token budget used. %2 tokens remaining."_s.arg(pct, remaining);
}

BudgetRegistry::Entry &BudgetRegistry::ensure(const QString &threadId)
{
    auto it = m_budgets.find(threadId);
    if (it == m_budgets.end()) {
        Entry entry;
        entry.budget.threadId = threadId;
        entry.budget.maxTokens = m_defaultMax;
        entry.order = m_nextOrder++;
        it = m_budgets.insert(threadId, entry);
    }
    return *it;
}

std::optional<QString> BudgetRegistry::check(const QString &threadId, qint64 estimatedTokens)
{
    const ThreadBudget &budget = ensure(threadId).budget;
    if (budget.isExhausted() || budget.totalTokens() + estimatedTokens > budget.maxTokens)
        return refusal(threadId);
    return std::nullopt;
}

QString BudgetRegistry::refusal(const QString &threadId) const
{
    const ThreadBudget budget = m_budgets.value(threadId).budget;
    return u"Thread %1... budget exhausted: %2/%3 tokens used"_s.arg(threadId.left(8))
        .arg(budget.totalTokens())
        .arg(budget.maxTokens);
}

void BudgetRegistry::noteHeldCall(const QString &threadId, qint64 neededTokens)
{
    ensure(threadId).budget.heldCallTokens = std::max<qint64>(0, neededTokens);
}

ReservationState &BudgetRegistry::reservations(const QString &threadId)
{
    return ensure(threadId).reservations;
}

QList<BudgetThreshold> BudgetRegistry::consume(const QString &threadId, qint64 promptTokens, qint64 completionTokens)
{
    Entry &entry = ensure(threadId);
    entry.budget.promptTokens += std::max<qint64>(0, promptTokens);
    entry.budget.completionTokens += std::max<qint64>(0, completionTokens);
    entry.budget.requestCount += 1;
    QList<BudgetThreshold> crossed;
    const double percent = entry.budget.percentUsed();
    for (const BudgetLevel &level : kBudgetLevels) {
        if (percent >= level.percent && !entry.fired.contains(level.percent)) {
            entry.fired.append(level.percent);
            crossed.append(BudgetThreshold{level.percent, toString(level.kind), entry.budget, level.kind});
        }
    }
    return crossed;
}

ThreadBudget BudgetRegistry::setMaxTokens(const QString &threadId, qint64 maxTokens)
{
    Entry &entry = ensure(threadId);
    entry.budget.maxTokens = maxTokens;
    const double percent = entry.budget.percentUsed();
    entry.fired.removeIf([percent](int level) { return level > percent; });
    return entry.budget;
}

std::optional<ThreadBudget> BudgetRegistry::budget(const QString &threadId) const
{
    const auto it = m_budgets.constFind(threadId);
    if (it == m_budgets.cend())
        return std::nullopt;
    ThreadBudget budget = it->budget;
    budget.reservedTokens = qint64(it->reservations.reserved);
    return budget;
}

QList<ThreadBudget> BudgetRegistry::budgets() const
{
    QList<const Entry *> entries;
    for (const Entry &entry : m_budgets)
        entries.append(&entry);
    std::sort(entries.begin(), entries.end(), [](const Entry *a, const Entry *b) {
        const double pa = std::round(a->budget.percentUsed() * 10) / 10;
        const double pb = std::round(b->budget.percentUsed() * 10) / 10;
        return pa != pb ? pa > pb : a->order < b->order;
    });
    QList<ThreadBudget> out;
    for (const Entry *entry : std::as_const(entries)) {
        out.append(entry->budget);
        out.last().reservedTokens = qint64(entry->reservations.reserved);
    }
    return out;
}

void BudgetRegistry::remove(const QString &threadId)
{
    m_budgets.remove(threadId);
}

} // namespace agentdesk
