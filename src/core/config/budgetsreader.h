#pragma once

#include "yamlreader.h"

namespace agentdesk {

// The `budgets:` section: {agents: {NAME: {max_tokens|max_cost, period}}, organism: {max_tokens|max_cost, period}}.
class BudgetsReader
{
public:
    explicit BudgetsReader(YamlReader &yaml)
        : m_yaml(yaml)
    { }

    // `listenerNames`: the listeners an agent's budget may name.
    void read(const YamlReader::MapView &top, const QStringList &listenerNames, BudgetsConfig *budgets);

private:
    std::optional<ScopeBudgetConfig> readScopeBudget(const YamlReader::Value &value);

    YamlReader &m_yaml;
};

} // namespace agentdesk
