#include "backlogmodel.h"

#include "modelformat.h"
#include "session.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace agentdesk {

BacklogModel::BacklogModel(Session *session, QObject *parent)
    : QAbstractTableModel(parent)
    , m_session(session)
{
    connect(session, &Session::organismChanged, this, &BacklogModel::refresh);
    connect(session, &Session::stateChanged, this, &BacklogModel::refresh);
    refresh();
}

void BacklogModel::refresh()
{
    const QList<AgentBacklog> next = m_session->isConnected() ? m_session->organism().saturation.backlog
                                                              : QList<AgentBacklog>();
    // Listeners whose work is done go, from the bottom up so the rows above keep their numbers.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        const QString agent = m_rows.at(row).agent;
        if (std::none_of(next.cbegin(), next.cend(), [&](const AgentBacklog &b) { return b.agent == agent; })) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    for (const AgentBacklog &entry : next) {
        const auto at = std::find_if(m_rows.begin(), m_rows.end(),
                                     [&](const AgentBacklog &b) { return b.agent == entry.agent; });
        if (at == m_rows.end()) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
            m_rows.append(entry);
            endInsertRows();
            continue;
        }
        if (at->queued == entry.queued && at->inFlight == entry.inFlight
            && at->rateLimitWaitSeconds == entry.rateLimitWaitSeconds)
            continue;
        *at = entry;
        const int row = int(at - m_rows.begin());
        emit dataChanged(index(row, QueuedColumn), index(row, RateLimitColumn), {Qt::DisplayRole, RawValueRole});
    }
}

int BacklogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BacklogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BacklogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const AgentBacklog &row = m_rows.at(index.row());
    if (role == Qt::TextAlignmentRole)
        return index.column() == AgentColumn ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == RawValueRole) {
        switch (index.column()) {
        case AgentColumn:
            return row.agent;
        case QueuedColumn:
            return row.queued;
        case InFlightColumn:
            return row.inFlight;
        case RateLimitColumn:
            return row.rateLimitWaitSeconds;
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case AgentColumn:
        return row.agent;
    case QueuedColumn:
        return modelformat::count(row.queued);
    case InFlightColumn:
        return modelformat::count(row.inFlight);
    case RateLimitColumn:
        return row.rateLimitWaitSeconds > 0 ? tr("%1 s").arg(QLocale().toString(row.rateLimitWaitSeconds, 'f', 1))
                                            : QString();
    default:
        return {};
    }
}

QVariant BacklogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case AgentColumn:
        return tr("Listener");
    case QueuedColumn:
        return tr("Queued");
    case InFlightColumn:
        return tr("Running");
    case RateLimitColumn:
        return tr("Waiting for a rate limit");
    default:
        return {};
    }
}

} // namespace agentdesk
