#pragma once

#include "config/organismconfig.h"
#include "domain/budgets.h"
#include "reservation.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QSet>
#include <QString>

#include <optional>

namespace agentdesk {

// A scope budget crossed 75 % (warning), 90 % (critical) or 95 % (final): once each per period.
struct ScopeThreshold
{
    int percent = 0;
    QString severity; // toString(kind)
    ScopeBudget budget;
    QString message() const;
    BudgetEventKind kind = BudgetEventKind::Warning;
};

// The agent and organism budgets of `budgets:` (BudgetGate admits calls against them with the thread
// budgets). Usage is added per metered event; a new day or month starts them again (rollOver()); an
// operator may raise, lower or reset one (set()). At start-up the organism restores each budget's
// usage from the history.
class ScopeBudgets
{
public:
    static QString agentScope(const QString &agent) { return QStringLiteral("agent:") + agent; }
    static constexpr const char *kOrganismScope = "organism";

    // The budgets of `config`. A budget that keeps its scope and period keeps its usage and the
    // operator's changes are dropped for it only when its configuration changed.
    struct Configured
    {
        QStringList fresh;    // new budgets and budgets with another period: their usage is 0 until restored
        QStringList released; // threads held on budgets that are gone: they may go on
    };
    Configured configure(const BudgetsConfig &config, const QDateTime &now);
    // A reset remembered from an earlier run: usage counts from there when it is inside the period.
    void applyReset(const QString &scope, const QDateTime &resetAt);
    // Replaces a budget's usage (from the history: events after periodStart).
    void restore(const QString &scope, qint64 tokens, double cost, qint64 unpriced);

    QList<ScopeBudget> budgets() const; // the organism's first, then the agents' by name
    std::optional<ScopeBudget> budget(const QString &scope) const;
    bool contains(const QString &scope) const { return m_budgets.contains(scope); }
    // The scopes that a call of `agent` spends from.
    QStringList scopesOf(const QString &agent) const;

    ReservationState &reservations(const QString &scope);
    QString refusal(const QString &scope) const;

    // A metered event of `agent`: its tokens and cost (nullopt: unpriced). The thresholds it crossed.
    QList<ScopeThreshold> record(const QString &agent, qint64 tokens, std::optional<double> cost);

    // The operator sets a limit (in tokens or USD), a period, or resets the usage (resetAt: now).
    // Thresholds above the new percentage arm again. nullopt: no such scope and none can be made
    // (agent scopes need `isAgent`).
    using Change = ScopeBudgetChange;
    std::optional<ScopeBudget> set(const QString &scope, const Change &change, const QDateTime &now);

    // Budgets whose day or month ended: usage zeroed, thresholds armed again. Their scopes.
    QStringList rollOver(const QDateTime &now);
    QDateTime nextRollOver() const; // invalid: no day or month budget

    // Threads held because a scope is exhausted, released when it gets room.
    void noteHeld(const QString &scope, const QString &threadId);
    QStringList takeHeld(const QString &scope);
    // The threads held on budgets that have room again (a reload raised them): no longer held here.
    QStringList takeHeldWithRoom();
    QString scopeHolding(const QString &threadId) const;
    void forgetThread(const QString &threadId);

private:
    struct Entry
    {
        ScopeBudget budget;
        ScopeBudgetConfig configured;
        QDateTime resetAt; // the operator's last reset (invalid: none)
        ReservationState reservations;
        QList<int> fired;
        QSet<QString> held;
    };
    static void startPeriod(Entry &entry, const QDateTime &now);
    QList<ScopeThreshold> add(Entry &entry, qint64 tokens, std::optional<double> cost);

    QMap<QString, Entry> m_budgets;
};

} // namespace agentdesk
