#include "states.h"
#include "budgets.h"
#include "llmactivity.h"
#include "usage.h"

#include <array>
#include <utility>

namespace agentdesk {

namespace {
constexpr std::array kAgentStates{
    std::pair{AgentState::Idle, "idle"},       std::pair{AgentState::Processing, "processing"},
    std::pair{AgentState::Waiting, "waiting"}, std::pair{AgentState::Error, "error"},
    std::pair{AgentState::Paused, "paused"},
};
constexpr std::array kBackendHealths{
    std::pair{LlmBackendState::Health::Ok, "ok"},
    std::pair{LlmBackendState::Health::RateLimited, "rate-limited"},
    std::pair{LlmBackendState::Health::Failing, "failing"},
};
constexpr std::array kThreadStatuses{
    std::pair{ThreadStatus::Active, "active"},
    std::pair{ThreadStatus::Completed, "completed"},
    std::pair{ThreadStatus::Error, "error"},
    std::pair{ThreadStatus::Killed, "killed"},
};
constexpr std::array kOrganismStatuses{
    std::pair{OrganismStatus::Starting, "starting"},
    std::pair{OrganismStatus::Running, "running"},
    std::pair{OrganismStatus::Stopping, "stopping"},
    std::pair{OrganismStatus::Stopped, "stopped"},
};
constexpr std::array kUsageOutcomes{
    std::pair{UsageOutcome::Ok, "ok"},
    std::pair{UsageOutcome::Unusable, "unusable"},
    std::pair{UsageOutcome::Error, "error"},
    std::pair{UsageOutcome::Aborted, "aborted"},
};
constexpr std::array kBudgetPeriods{
    std::pair{BudgetPeriod::Day, "day"},
    std::pair{BudgetPeriod::Month, "month"},
    std::pair{BudgetPeriod::Total, "total"},
};
constexpr std::array kBudgetEventKinds{
    std::pair{BudgetEventKind::Warning, "warning"}, std::pair{BudgetEventKind::Critical, "critical"},
    std::pair{BudgetEventKind::Final, "final"},     std::pair{BudgetEventKind::Exhausted, "exhausted"},
    std::pair{BudgetEventKind::Raised, "raised"},
};

template <typename Table, typename Enum>
QString nameOf(const Table &table, Enum value)
{
    for (const auto &[candidate, name] : table) {
        if (candidate == value)
            return QString::fromLatin1(name);
    }
    return {};
}

template <typename Table, typename Enum>
bool valueOf(const Table &table, const QString &text, Enum *value)
{
    for (const auto &[candidate, name] : table) {
        if (text == QLatin1StringView(name)) {
            *value = candidate;
            return true;
        }
    }
    return false;
}
} // namespace

QString toString(AgentState state)
{
    return nameOf(kAgentStates, state);
}
QString toString(ThreadStatus status)
{
    return nameOf(kThreadStatuses, status);
}
QString toString(OrganismStatus status)
{
    return nameOf(kOrganismStatuses, status);
}

bool parseAgentState(const QString &text, AgentState *state)
{
    return valueOf(kAgentStates, text, state);
}
bool parseThreadStatus(const QString &text, ThreadStatus *status)
{
    return valueOf(kThreadStatuses, text, status);
}

QString toString(LlmBackendState::Health health)
{
    return nameOf(kBackendHealths, health);
}
bool parseBackendHealth(const QString &text, LlmBackendState::Health *health)
{
    return valueOf(kBackendHealths, text, health);
}

QString toString(UsageOutcome outcome)
{
    return nameOf(kUsageOutcomes, outcome);
}
bool parseUsageOutcome(const QString &text, UsageOutcome *outcome)
{
    return valueOf(kUsageOutcomes, text, outcome);
}

QString toString(BudgetPeriod period)
{
    return nameOf(kBudgetPeriods, period);
}
bool parseBudgetPeriod(const QString &text, BudgetPeriod *period)
{
    return valueOf(kBudgetPeriods, text, period);
}

QString toString(BudgetEventKind kind)
{
    return nameOf(kBudgetEventKinds, kind);
}
bool parseBudgetEventKind(const QString &text, BudgetEventKind *kind)
{
    return valueOf(kBudgetEventKinds, text, kind);
}

} // namespace agentdesk
