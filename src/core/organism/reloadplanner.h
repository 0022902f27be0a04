#pragma once

#include "config/organismconfig.h"

#include <QStringList>

namespace agentdesk {

// What a reload changes: the listeners to build (new or changed in any way their behaviour depends
// on, their payload type's fields included), the ones to drop, and whether the LLM routing changed.
struct ReloadPlan
{
    QStringList added;   // in the new config's order
    QStringList updated; // in the new config's order
    QStringList removed; // in registration order
    bool llmChanged = false;

    bool builds(const QString &listener) const { return added.contains(listener) || updated.contains(listener); }
};

// Compares the running config with the one a reload read. Pure: it builds nothing.
class ReloadPlanner
{
public:
    // `registered`: the running listeners in registration order.
    static ReloadPlan plan(const OrganismConfig &current, const OrganismConfig &next, const QStringList &registered);
    static bool sameListener(const ListenerConfig &a, const ListenerConfig &b, const OrganismConfig &aConfig,
                             const OrganismConfig &bConfig);
    // Everything of `llm:` that decides where calls go (prices are applied on their own).
    static bool sameLlmRouting(const LlmConfig &a, const LlmConfig &b);
};

} // namespace agentdesk
