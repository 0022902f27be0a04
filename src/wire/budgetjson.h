#pragma once

#include "errorjson.h"

#include "domain/budgets.h"

#include <QByteArray>
#include <QCborMap>
#include <QJsonObject>
#include <QList>

#include <optional>

namespace agentdesk::wire {

// agentdesk's agent and organism budgets (issue 11 §4).

// ScopeBudgetInfo: {"scope", "agent", "period", "unit" (tokens|cost), "maxTokens", "maxCost",
// "usedTokens", "usedCost", "remaining", "percentUsed" (1 place), "isExhausted", "reserved",
// "heldThreads", "unpricedRequests", "periodStart", "periodEnd"}.
QCborMap scopeBudgetJson(const ScopeBudget &budget);
QCborMap scopeBudgetListJson(const QList<ScopeBudget> &budgets); // {"budgets": [...], "count"}
std::optional<ScopeBudget> parseScopeBudget(const QJsonObject &json);
std::optional<QList<ScopeBudget>> parseScopeBudgetList(const QJsonObject &json);

// PUT /usage/budgets/{scope}: {"maxTokens": N} or {"maxCost": X} (also max_tokens, max_cost), and
// optionally "period" (day|month|total) and "reset" (true: the usage starts again now). At least one
// of them; not both limits.
struct ScopeBudgetUpdateParse
{
    ScopeBudgetChange change;
    QList<ValidationError> errors;
    bool ok() const { return errors.isEmpty(); }
};
ScopeBudgetUpdateParse parseScopeBudgetUpdate(const QByteArray &body);
QByteArray scopeBudgetUpdateJson(const ScopeBudgetChange &change); // the request RemoteSession sends

// The scope keys every budget_* WebSocket frame carries besides the original's: "scope" ("thread",
// "agent:NAME", "organism"), "period", "maxCost", "costUsed" (null for thread budgets).
void appendBudgetScope(QCborMap &json, const BudgetEvent &event);
void readBudgetScope(const QJsonObject &json, BudgetEvent *event);

} // namespace agentdesk::wire
