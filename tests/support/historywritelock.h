#pragma once

#include <QString>

namespace agentdesk::test {

// Another connection to a store's history that can take its write lock: while it holds the lock the
// store's writer cannot commit (for tests of what waits for a commit, and of a history that cannot
// commit: the writer gives up a transaction after 5 s of waiting, says why, and retries). On SQLite
// the file's write lock (BEGIN IMMEDIATE); on PostgreSQL an exclusive lock on the organism's tables.
class HistoryWriteLock
{
public:
    // `databasePath`: HistoryStore::databasePath() of the store to block.
    explicit HistoryWriteLock(const QString &databasePath);
    ~HistoryWriteLock();
    HistoryWriteLock(const HistoryWriteLock &) = delete;
    HistoryWriteLock &operator=(const HistoryWriteLock &) = delete;

    bool take() const;
    bool release() const;

private:
    bool exec(const QString &sql) const;

    QString m_name;
    QString m_schema; // PostgreSQL: the organism's schema
};

} // namespace agentdesk::test
