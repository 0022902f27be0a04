#include "readsnapshot.h"

namespace agentdesk {

ReadSnapshot::ReadSnapshot(const QSqlDatabase &db)
    : m_db(db)
{
    m_active = m_db.isOpen() && m_db.transaction();
}

ReadSnapshot::~ReadSnapshot()
{
    if (m_active)
        m_db.commit();
}

} // namespace agentdesk
