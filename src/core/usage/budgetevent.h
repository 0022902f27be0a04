#pragma once

#include "budgetregistry.h"
#include "scopebudgets.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>

#include <optional>

namespace agentdesk {

// A budget crossed a threshold (warning 75 %, critical 90 %, final 95 %), was exhausted (the calls
// that would spend from it are held), or was raised or reset by an operator (or a new period began).
// A thread's budget has scope "thread" and `budget`; an agent's or the organism's has its scope
// ("agent:NAME", "organism") and `scopeBudget`, and `threadId` names the thread whose call crossed or
// was held (empty for a raise).
struct BudgetEvent
{
    QString threadId;
    QString agent;
    QString kind; // warning | critical | final | exhausted | raised
    ThreadBudget budget;
    QString message;
    QDateTime timestamp;
    QString scope = QStringLiteral("thread");
    std::optional<ScopeBudget> scopeBudget = std::nullopt;
};

} // namespace agentdesk

Q_DECLARE_METATYPE(agentdesk::BudgetEvent)
