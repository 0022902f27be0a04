#include "budgetsreader.h"

namespace agentdesk {

using namespace Qt::StringLiterals;
using Value = YamlReader::Value;
using MapView = YamlReader::MapView;

void BudgetsReader::read(const MapView &top, const QStringList &listenerNames, BudgetsConfig *budgets)
{
    const Value *section = top.given(u"budgets"_s);
    if (!section)
        return;
    const std::optional<MapView> map = m_yaml.mapOf(*section, {u"agents"_s, u"organism"_s});
    if (!map)
        return;
    if (const Value *organism = map->given(u"organism"_s))
        budgets->organism = readScopeBudget(*organism);
    const Value *agents = map->given(u"agents"_s);
    if (!agents)
        return;
    const std::optional<MapView> byName = m_yaml.mapOf(*agents, {});
    if (!byName)
        return;
    for (const auto &[name, entry] : byName->entries()) {
        if (!listenerNames.contains(name))
            m_yaml.error(
                entry.line, entry.path,
                u"no listener is named `%1`; a budget belongs to one of: %2"_s.arg(name, listenerNames.join(u", "_s)));
        else if (std::optional<ScopeBudgetConfig> budget = readScopeBudget(entry))
            budgets->agents.insert(name, *budget);
    }
}

std::optional<ScopeBudgetConfig> BudgetsReader::readScopeBudget(const Value &value)
{
    const std::optional<MapView> map = m_yaml.mapOf(value, {u"max_tokens"_s, u"max_cost"_s, u"period"_s});
    if (!map)
        return std::nullopt;
    const qsizetype errorsBefore = m_yaml.errorCount();
    ScopeBudgetConfig budget;
    budget.line = value.line;
    const Value *tokens = map->given(u"max_tokens"_s);
    const Value *cost = map->given(u"max_cost"_s);
    if (tokens && cost) {
        m_yaml.error(cost->line, cost->path, u"give either max_tokens or max_cost, not both"_s);
    } else if (!tokens && !cost) {
        m_yaml.error(value.line, value.path, u"needs max_tokens (tokens) or max_cost (USD)"_s);
    } else if (tokens) {
        budget.maxTokens = m_yaml.integer(*tokens, 1, std::numeric_limits<qint64>::max());
    } else if (const auto amount = m_yaml.decimal(*cost, 0, true)) {
        budget.maxCost = *amount;
    }
    m_yaml.readChoice(*map, u"period"_s, &budget.period, &parseBudgetPeriod, {u"day"_s, u"month"_s, u"total"_s});
    if (m_yaml.errorCount() > errorsBefore)
        return std::nullopt;
    return budget;
}

} // namespace agentdesk
