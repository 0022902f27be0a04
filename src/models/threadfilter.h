#pragma once

#include "domain/records.h"

#include <QString>

#include <optional>

namespace agentdesk {

// Which threads the list shows. Every field narrows; empty fields do not.
struct ThreadFilter
{
    std::optional<ThreadStatus> status;
    QString agent; // took part (sent or received)
    bool isEmpty() const { return !status && agent.isEmpty(); }
    bool matches(const ThreadInfo &thread) const;
    bool operator==(const ThreadFilter &other) const = default;
};

} // namespace agentdesk
