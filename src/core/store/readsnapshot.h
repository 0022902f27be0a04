#pragma once

#include <QSqlDatabase>

namespace agentdesk {

// A read transaction for the lifetime of the object, so that a page and its total come from the
// same committed state even while the writer commits between the two statements.
class ReadSnapshot
{
public:
    explicit ReadSnapshot(const QSqlDatabase &db);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot &) = delete;
    ReadSnapshot &operator=(const ReadSnapshot &) = delete;

private:
    QSqlDatabase m_db;
    bool m_active = false;
};

} // namespace agentdesk
