#pragma once

#include "postgrestestserver.h"

#include <QStringList>

namespace agentdesk::test {

// The benchmarks' `--history sqlite|postgresql [--history-url URL]`: removes them from `arguments` and
// returns the PostgreSQL URL to use — URL, or a private server's that `server` starts (fsync on, as in
// production) — or "" for SQLite. On a server that does not start: "" and *error says why.
QString benchHistoryUrl(QStringList *arguments, PostgresTestServer *server, QString *error);

} // namespace agentdesk::test
