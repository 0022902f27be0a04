#pragma once

#include "domain/budgets.h"

#include <QString>

#include <algorithm>
#include <optional>

namespace agentdesk {

struct UsageEvent;

// What a thread spent, for the thread list's Budget column. Its budget's snapshots and its own usage
// events count the same calls, and either may be behind: a snapshot waits for the next delivery (and an
// ended thread's budget leaves the list, so its last snapshot may never come), an event may follow the
// snapshot that counted it. Each only ever grows, so the larger is what was spent — no call counted
// twice, none lost once its event arrived.
class ThreadSpending
{
public:
    // A budget snapshot: its limit is the limit now (raised or lowered), its total a lower bound.
    void takeBudget(const ThreadBudget &budget);
    // Tokens of the thread's usage events (tokensOf).
    void addUsage(qint64 tokens) { m_usageTokens += tokens; }
    static qint64 tokensOf(const UsageEvent &event); // prompt + completion; negative counts as none

    qint64 tokens() const { return std::max(m_budgetTokens, m_usageTokens); }
    std::optional<qint64> maxTokens() const { return m_maxTokens; }
    // Of the limit last seen, or else of `defaultLimit` (the organism's budget for a new thread; 0: none
    // known): a thread whose budget came and went between two deliveries had that budget (a raise would
    // have been seen). Unknown while nothing was spent against a default.
    std::optional<double> percent(qint64 defaultLimit = 0) const;
    // The column's text ("12.5 %", or "1,200 tokens" while no limit is known) and its tool tip.
    QString text(qint64 defaultLimit) const;
    QString toolTip(qint64 defaultLimit) const;

    bool operator==(const ThreadSpending &other) const = default;

private:
    std::optional<qint64> m_maxTokens; // the budget's limit, as last seen
    qint64 m_budgetTokens = 0;         // spent, as the latest budget snapshot said
    qint64 m_usageTokens = 0;          // spent, as the usage events seen say
};

} // namespace agentdesk
