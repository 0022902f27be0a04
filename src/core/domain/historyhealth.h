#pragma once

#include <QString>

namespace agentdesk {

// Whether the history commits: while its writer fails, why (SQLite's or PostgreSQL's error and the
// file system's).
struct HistoryHealth
{
    bool failing = false;
    QString reason; // when failing: why the latest commit failed
};

} // namespace agentdesk
