#pragma once

#include "domain/states.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace agentdesk {

// Filters a ThreadModel by status and by participant, and sorts on the raw values (a count sorts as a
// number, a time as a time). Without a sort column it keeps the source order: most recent first.
class ThreadFilterProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ThreadFilterProxyModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ThreadFilterProxyModel)

    void setStatusFilter(std::optional<ThreadStatus> status); // nullopt: every status
    std::optional<ThreadStatus> statusFilter() const { return m_status; }
    void setAgentFilter(const QString &agent); // empty: every thread; otherwise threads it took part in
    QString agentFilter() const { return m_agent; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    std::optional<ThreadStatus> m_status;
    QString m_agent;
};

} // namespace agentdesk
