#pragma once

#include "domain/records.h"

#include <QAbstractTableModel>

namespace agentdesk {

class Session;

// Where the organism's work waits: one row per listener with queued or running work (the saturation's
// backlog), the longest queue first as the organism orders it, with how long an LLM agent's oldest call
// has waited for a backend's rate limit. Follows organismChanged; rows keep their place while their
// listener has work (changed cells are reported), listeners that finished are removed, new ones appended.
class BacklogModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { AgentColumn, QueuedColumn, InFlightColumn, RateLimitColumn, ColumnCount };
    Q_ENUM(Column)
    enum Role { RawValueRole = Qt::UserRole };

    explicit BacklogModel(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(BacklogModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    AgentBacklog backlog(int row) const { return m_rows.value(row); }

private:
    void refresh();

    Session *m_session;
    QList<AgentBacklog> m_rows;
};

} // namespace agentdesk
