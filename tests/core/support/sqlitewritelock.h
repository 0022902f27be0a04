#pragma once

#include <QString>

// Another connection to a history database that can take its write lock: while it holds the lock,
// the store's writer cannot commit (for tests of what waits for a commit).
class SqliteWriteLock
{
public:
    explicit SqliteWriteLock(const QString &databasePath);
    ~SqliteWriteLock();
    SqliteWriteLock(const SqliteWriteLock &) = delete;
    SqliteWriteLock &operator=(const SqliteWriteLock &) = delete;

    bool take() const;    // BEGIN IMMEDIATE
    bool release() const; // ROLLBACK

private:
    bool exec(const QString &sql) const;

    QString m_name;
};
