#include "scopebudgets.h"

#include "budgetlevels.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QString scopeName(const ScopeBudget &budget)
{
    return budget.agent.isEmpty() ? u"the organism's"_s : u"agent %1's"_s.arg(budget.agent);
}

QString amountText(const ScopeBudget &budget, double value)
{
    return budget.isCost() ? u"$%1"_s.arg(value, 0, 'f', 2) : QString::number(qint64(std::llround(value)));
}

QString periodText(BudgetPeriod period)
{
    switch (period) {
    case BudgetPeriod::Day:
        return u"today (UTC)"_s;
    case BudgetPeriod::Month:
        return u"this month (UTC)"_s;
    case BudgetPeriod::Total:
        break;
    }
    return u"in total"_s;
}

} // namespace

QString ScopeThreshold::message() const
{
    return u"%1% of %2 budget used %3: %4 of %5."_s.arg(
        QString::number(std::nearbyint(budget.percentUsed()), 'f', 0), scopeName(budget), periodText(budget.period),
        amountText(budget, budget.used()), amountText(budget, budget.limit()));
}

void ScopeBudgets::startPeriod(Entry &entry, const QDateTime &now)
{
    ScopeBudget &budget = entry.budget;
    const QDateTime day(now.date(), QTime(0, 0), Qt::UTC);
    switch (budget.period) {
    case BudgetPeriod::Day:
        budget.periodStart = day;
        budget.periodEnd = day.addDays(1);
        break;
    case BudgetPeriod::Month: {
        const QDateTime month(QDate(now.date().year(), now.date().month(), 1), QTime(0, 0), Qt::UTC);
        budget.periodStart = month;
        budget.periodEnd = month.addMonths(1);
        break;
    }
    case BudgetPeriod::Total:
        budget.periodStart = QDateTime();
        budget.periodEnd = QDateTime();
        break;
    }
    if (entry.resetAt.isValid() && (!budget.periodStart.isValid() || entry.resetAt > budget.periodStart))
        budget.periodStart = entry.resetAt;
    budget.usedTokens = 0;
    budget.usedCost = 0;
    budget.unpricedRequests = 0;
    entry.fired.clear();
}

ScopeBudgets::Configured ScopeBudgets::configure(const BudgetsConfig &config, const QDateTime &now)
{
    Configured result;
    QMap<QString, ScopeBudgetConfig> wanted;
    if (config.organism)
        wanted.insert(QString::fromLatin1(kOrganismScope), *config.organism);
    for (auto it = config.agents.cbegin(); it != config.agents.cend(); ++it)
        wanted.insert(agentScope(it.key()), it.value());

    QMap<QString, Entry> next;
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
        const ScopeBudgetConfig &given = it.value();
        const auto existing = m_budgets.constFind(it.key());
        const bool unchanged = existing != m_budgets.cend() && existing->configured.maxTokens == given.maxTokens
            && existing->configured.maxCost == given.maxCost && existing->configured.period == given.period;
        if (unchanged) { // keeps its usage, reservations, holds and the operator's changes
            next.insert(it.key(), *existing);
            continue;
        }
        Entry entry = existing != m_budgets.cend() ? *existing : Entry();
        entry.configured = given;
        entry.budget.scope = it.key();
        entry.budget.agent = it.key().startsWith(u"agent:"_s) ? it.key().mid(6) : QString();
        entry.budget.maxTokens = given.maxTokens;
        entry.budget.maxCost = given.maxCost;
        const bool samePeriod = existing != m_budgets.cend() && existing->budget.period == given.period;
        entry.budget.period = given.period;
        if (!samePeriod) {
            startPeriod(entry, now);
            result.fresh.append(it.key());
        } else {
            // The limit changed, not the period: usage stays; thresholds above it arm again.
            const double percent = entry.budget.percentUsed();
            entry.fired.removeIf([percent](int level) { return level > percent; });
        }
        next.insert(it.key(), entry);
    }
    for (auto it = m_budgets.cbegin(); it != m_budgets.cend(); ++it) {
        if (!next.contains(it.key()))
            result.released += QStringList(it->held.cbegin(), it->held.cend());
    }
    m_budgets = next;
    return result;
}

void ScopeBudgets::applyReset(const QString &scope, const QDateTime &resetAt)
{
    auto it = m_budgets.find(scope);
    if (it == m_budgets.end() || !resetAt.isValid())
        return;
    it->resetAt = resetAt;
    if (!it->budget.periodStart.isValid() || resetAt > it->budget.periodStart)
        it->budget.periodStart = resetAt;
}

void ScopeBudgets::restore(const QString &scope, qint64 tokens, double cost, qint64 unpriced)
{
    auto it = m_budgets.find(scope);
    if (it == m_budgets.end())
        return;
    it->budget.usedTokens = tokens;
    it->budget.usedCost = cost;
    it->budget.unpricedRequests = unpriced;
    // Thresholds already passed do not fire again after a restart.
    const double percent = it->budget.percentUsed();
    it->fired.clear();
    for (const BudgetLevel &level : kBudgetLevels) {
        if (percent >= level.percent)
            it->fired.append(level.percent);
    }
}

QList<ScopeBudget> ScopeBudgets::budgets() const
{
    QList<ScopeBudget> out;
    if (const auto organism = budget(QString::fromLatin1(kOrganismScope)))
        out.append(*organism);
    for (auto it = m_budgets.cbegin(); it != m_budgets.cend(); ++it) {
        if (!it->budget.agent.isEmpty())
            out.append(*budget(it.key()));
    }
    return out;
}

std::optional<ScopeBudget> ScopeBudgets::budget(const QString &scope) const
{
    const auto it = m_budgets.constFind(scope);
    if (it == m_budgets.cend())
        return std::nullopt;
    ScopeBudget budget = it->budget;
    budget.reserved = it->reservations.reserved;
    budget.heldThreads = int(it->held.size());
    return budget;
}

QStringList ScopeBudgets::scopesOf(const QString &agent) const
{
    QStringList scopes;
    if (m_budgets.contains(agentScope(agent)))
        scopes.append(agentScope(agent));
    if (m_budgets.contains(QString::fromLatin1(kOrganismScope)))
        scopes.append(QString::fromLatin1(kOrganismScope));
    return scopes;
}

ReservationState &ScopeBudgets::reservations(const QString &scope)
{
    return m_budgets[scope].reservations;
}

QString ScopeBudgets::refusal(const QString &scope) const
{
    const std::optional<ScopeBudget> found = budget(scope);
    if (!found)
        return {};
    const QString whose = found->agent.isEmpty() ? u"Organism"_s : u"Agent %1"_s.arg(found->agent);
    return u"%1 budget exhausted %2: %3/%4 %5 used"_s.arg(
        whose, periodText(found->period), amountText(*found, found->used()), amountText(*found, found->limit()),
        found->isCost() ? u"USD"_s : u"tokens"_s);
}

QList<ScopeThreshold> ScopeBudgets::add(Entry &entry, qint64 tokens, std::optional<double> cost)
{
    entry.budget.usedTokens += std::max<qint64>(0, tokens);
    if (cost)
        entry.budget.usedCost += std::max(0.0, *cost);
    else
        ++entry.budget.unpricedRequests;
    QList<ScopeThreshold> crossed;
    const double percent = entry.budget.percentUsed();
    for (const BudgetLevel &level : kBudgetLevels) {
        if (percent >= level.percent && !entry.fired.contains(level.percent)) {
            entry.fired.append(level.percent);
            crossed.append(
                ScopeThreshold{level.percent, toString(level.kind), *budget(entry.budget.scope), level.kind});
        }
    }
    return crossed;
}

QList<ScopeThreshold> ScopeBudgets::record(const QString &agent, qint64 tokens, std::optional<double> cost)
{
    QList<ScopeThreshold> crossed;
    for (const QString &scope : scopesOf(agent))
        crossed += add(m_budgets[scope], tokens, cost);
    return crossed;
}

std::optional<ScopeBudget> ScopeBudgets::set(const QString &scope, const Change &change, const QDateTime &now)
{
    auto it = m_budgets.find(scope);
    if (it == m_budgets.end()) {
        const bool known = scope == QLatin1StringView(kOrganismScope) || scope.startsWith(u"agent:"_s);
        if (!known || (!change.maxTokens && !change.maxCost))
            return std::nullopt;
        Entry entry;
        entry.budget.scope = scope;
        entry.budget.agent = scope.startsWith(u"agent:"_s) ? scope.mid(6) : QString();
        entry.budget.period = change.period.value_or(BudgetPeriod::Total);
        startPeriod(entry, now);
        it = m_budgets.insert(scope, entry);
    }
    Entry &entry = *it;
    if (change.maxTokens) {
        entry.budget.maxTokens = change.maxTokens;
        entry.budget.maxCost.reset();
    } else if (change.maxCost) {
        entry.budget.maxCost = change.maxCost;
        entry.budget.maxTokens.reset();
    }
    if (change.period && *change.period != entry.budget.period) {
        entry.budget.period = *change.period;
        startPeriod(entry, now); // the usage counted for another period does not apply
    }
    if (change.reset) {
        entry.resetAt = now;
        entry.budget.periodStart = now;
        entry.budget.usedTokens = 0;
        entry.budget.usedCost = 0;
        entry.budget.unpricedRequests = 0;
    }
    const double percent = entry.budget.percentUsed();
    entry.fired.removeIf([percent](int level) { return level > percent; });
    return budget(scope);
}

QStringList ScopeBudgets::rollOver(const QDateTime &now)
{
    QStringList rolled;
    for (auto it = m_budgets.begin(); it != m_budgets.end(); ++it) {
        if (it->budget.periodEnd.isValid() && now >= it->budget.periodEnd) {
            startPeriod(*it, now);
            rolled.append(it.key());
        }
    }
    return rolled;
}

QDateTime ScopeBudgets::nextRollOver() const
{
    QDateTime next;
    for (const Entry &entry : m_budgets) {
        if (entry.budget.periodEnd.isValid() && (!next.isValid() || entry.budget.periodEnd < next))
            next = entry.budget.periodEnd;
    }
    return next;
}

void ScopeBudgets::noteHeld(const QString &scope, const QString &threadId)
{
    auto it = m_budgets.find(scope);
    if (it != m_budgets.end())
        it->held.insert(threadId);
}

QStringList ScopeBudgets::takeHeld(const QString &scope)
{
    auto it = m_budgets.find(scope);
    if (it == m_budgets.end())
        return {};
    const QStringList held(it->held.cbegin(), it->held.cend());
    it->held.clear();
    return held;
}

QStringList ScopeBudgets::takeHeldWithRoom()
{
    QStringList released;
    for (Entry &entry : m_budgets) {
        if (!entry.budget.isExhausted() && !entry.held.isEmpty()) {
            released += QStringList(entry.held.cbegin(), entry.held.cend());
            entry.held.clear();
        }
    }
    return released;
}

QString ScopeBudgets::scopeHolding(const QString &threadId) const
{
    for (auto it = m_budgets.cbegin(); it != m_budgets.cend(); ++it) {
        if (it->held.contains(threadId))
            return it.key();
    }
    return {};
}

void ScopeBudgets::forgetThread(const QString &threadId)
{
    for (Entry &entry : m_budgets)
        entry.held.remove(threadId);
}

} // namespace agentdesk
