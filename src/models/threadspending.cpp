#include "threadspending.h"

#include "modelformat.h"

#include "domain/usage.h"

#include <QCoreApplication>

namespace agentdesk {

// The texts keep ThreadModel's translation context: they are the thread list's.

void ThreadSpending::takeBudget(const ThreadBudget &budget)
{
    if (budget.maxTokens > 0)
        m_maxTokens = budget.maxTokens;
    m_budgetTokens = std::max(m_budgetTokens, budget.totalTokens());
}

qint64 ThreadSpending::tokensOf(const UsageEvent &event)
{
    return std::max<qint64>(0, event.promptTokens) + std::max<qint64>(0, event.completionTokens);
}

std::optional<double> ThreadSpending::percent(qint64 defaultLimit) const
{
    const qint64 limit = m_maxTokens ? *m_maxTokens : defaultLimit;
    if (limit <= 0 || (!m_maxTokens && tokens() == 0))
        return std::nullopt;
    return double(tokens()) / double(limit) * 100.0;
}

QString ThreadSpending::text(qint64 defaultLimit) const
{
    if (const std::optional<double> spent = percent(defaultLimit))
        return modelformat::percent(*spent);
    if (tokens() > 0) // its limit is unknown (a server that does not say its default)
        return QCoreApplication::translate("agentdesk::ThreadModel", "%1 tokens").arg(modelformat::count(tokens()));
    return QString();
}

QString ThreadSpending::toolTip(qint64 defaultLimit) const
{
    const qint64 limit = m_maxTokens ? *m_maxTokens : (tokens() > 0 ? defaultLimit : 0);
    if (limit > 0)
        return QCoreApplication::translate("agentdesk::ThreadModel", "%1 of %2 tokens")
            .arg(modelformat::count(tokens()), modelformat::count(limit));
    if (tokens() > 0)
        return QCoreApplication::translate("agentdesk::ThreadModel",
                                           "%1 tokens; the thread's budget ended before the window saw its limit")
            .arg(modelformat::count(tokens()));
    return QCoreApplication::translate("agentdesk::ThreadModel", "No LLM call seen for this thread");
}

} // namespace agentdesk
