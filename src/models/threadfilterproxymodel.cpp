#include "threadfilterproxymodel.h"

#include "threadmodel.h"

namespace agentdesk {

ThreadFilterProxyModel::ThreadFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ThreadModel::RawValueRole);
    setDynamicSortFilter(true);
}

void ThreadFilterProxyModel::setStatusFilter(std::optional<ThreadStatus> status)
{
    if (m_status == status)
        return;
    m_status = status;
    invalidateRowsFilter();
}

void ThreadFilterProxyModel::setAgentFilter(const QString &agent)
{
    if (m_agent == agent)
        return;
    m_agent = agent;
    invalidateRowsFilter();
}

bool ThreadFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *source = sourceModel();
    if (m_status) {
        const QModelIndex status = source->index(sourceRow, ThreadModel::StatusColumn, sourceParent);
        if (status.data(ThreadModel::StatusRole).toInt() != int(*m_status))
            return false;
    }
    if (!m_agent.isEmpty()) {
        const QModelIndex participants = source->index(sourceRow, ThreadModel::ParticipantsColumn, sourceParent);
        if (!participants.data(ThreadModel::ParticipantsRole).toStringList().contains(m_agent))
            return false;
    }
    return true;
}

} // namespace agentdesk
