#pragma once

#include "postgrestestserver.h"

#include "config/organismconfig.h"

namespace agentdesk::test {

// The history engine this test process runs on: SQLite (the default) or, when the environment says
// AGENTDESK_TEST_HISTORY=postgresql (ctest's *_postgresql entries), a private PostgreSQL server
// started on first use and stopped when the process ends. One suite, both engines.
bool historyOnPostgres();
// The server (started on first call; a failure to start aborts the test process, saying why), or
// nullptr on SQLite. Its URL is put in the environment (AGENTDESK_TEST_HISTORY_URL), so that the
// test's child processes (an organism killed with SIGKILL …) write to the same server.
PostgresTestServer *testPostgresServer();
// The URL of the test server: a child process's parent's, or this process's own ("" on SQLite).
QString testHistoryUrl();
// Points `history` at this process's engine. On PostgreSQL the instance is named after `directory`
// (the test's data directory): the organisms of one directory — a process and its restart — share
// their rows, those of different directories never do.
void useTestHistory(HistoryConfig *history, const QString &directory);

} // namespace agentdesk::test
