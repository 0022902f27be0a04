#pragma once

#include "domain/budgets.h"

namespace agentdesk {

// The marks at which a budget warns, for every scope (spec §8.5): 75 % warning, 90 % critical,
// 95 % final — each once per budget (per period for an agent's or the organism's).
struct BudgetLevel
{
    int percent;
    BudgetEventKind kind; // Warning, Critical or Final
};
inline constexpr BudgetLevel kBudgetLevels[] = {
    {75, BudgetEventKind::Warning}, {90, BudgetEventKind::Critical}, {95, BudgetEventKind::Final}};

} // namespace agentdesk
