#include "agentmodel.h"

#include "cellchanges.h"
#include "llmbackendmodel.h"
#include "modelformat.h"
#include "threadlabels.h"

#include "session.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

UsageCounters usageOf(const UsageSnapshot &usage, const QString &agent)
{
    for (const UsageCounters &counters : usage.byAgent) {
        if (counters.key == agent)
            return counters;
    }
    return UsageCounters{agent};
}

bool isNumeric(int column)
{
    return column == AgentModel::QueueDepthColumn || column == AgentModel::MessagesColumn
        || column == AgentModel::TokensColumn || column == AgentModel::CostColumn;
}

} // namespace

AgentModel::AgentModel(Session *session, QObject *parent)
    : TableModel(ColumnCount, parent)
    , m_session(session)
    , m_labels(ThreadLabels::forSession(session))
{
    connect(m_labels, &ThreadLabels::labelsChanged, this, &AgentModel::onLabels);
    connect(session, &Session::agentsReset, this, &AgentModel::reload);
    connect(session, &Session::agentsChanged, this, &AgentModel::applyChanges);
    connect(session, &Session::usageChanged, this, &AgentModel::applyUsage);
    connect(session, &Session::llmBackendsChanged, this, &AgentModel::applyBackends);
    if (session->isConnected())
        reload();
}

int AgentModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AgentModel::rowOf(const QString &name) const
{
    return m_rowOf.value(name, -1);
}

QVariant AgentModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(row, column);
    case RawValueRole:
        return rawValue(row, column);
    case NameRole:
        return row.info.name;
    case Qt::TextAlignmentRole:
        return isNumeric(column) ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::ToolTipRole:
        if (column == NameColumn)
            return row.info.description;
        if (column == CurrentThreadColumn)
            return row.info.currentThread; // the whole id
        if (column == StateColumn && !row.info.lastError.isEmpty())
            return row.info.lastError;
        if (column == QueueDepthColumn && !row.waitDetail.isEmpty())
            return tr("Its LLM calls wait at %1").arg(row.waitDetail);
        if (column == CostColumn && row.usage.unpricedRequests > 0)
            return tr("%n call(s) without a known price: the cost is a lower bound", nullptr,
                      int(row.usage.unpricedRequests));
        return {};
    case Qt::DecorationRole:
    case StateColorRole:
        return column == StateColumn ? QVariant(modelformat::stateColor(row.info.state)) : QVariant();
    case StateRole:
        return column == StateColumn ? QVariant(int(row.info.state)) : QVariant();
    case StateIconNameRole:
        return column == StateColumn ? QVariant(modelformat::stateIconName(row.info.state)) : QVariant();
    case LastErrorRole:
        return column == StateColumn ? QVariant(row.info.lastError) : QVariant();
    case DescriptionRole:
        return column == NameColumn ? QVariant(row.info.description) : QVariant();
    default:
        return {};
    }
}

QString AgentModel::columnTitle(int column) const
{
    switch (column) {
    case NameColumn:
        return tr("Agent");
    case StateColumn:
        return tr("State");
    case CurrentThreadColumn:
        return tr("Current thread");
    case QueueDepthColumn:
        return tr("Queue");
    case MessagesColumn:
        return tr("Messages");
    case LastActivityColumn:
        return tr("Last activity");
    case TokensColumn:
        return tr("Tokens");
    case CostColumn:
        return tr("Cost");
    default:
        return {};
    }
}

QHash<int, QByteArray> AgentModel::extraRoleNames() const
{
    QHash<int, QByteArray> names;
    names.insert(NameRole, "name");
    names.insert(StateRole, "state");
    names.insert(StateColorRole, "stateColor");
    names.insert(StateIconNameRole, "stateIconName");
    names.insert(LastErrorRole, "lastError");
    names.insert(DescriptionRole, "description");
    return names;
}

QVariant AgentModel::rawValue(const Row &row, int column) const
{
    switch (column) {
    case NameColumn:
        return row.info.name;
    case StateColumn:
        return int(row.info.state);
    case CurrentThreadColumn:
        return row.info.currentThread;
    case QueueDepthColumn:
        return row.info.queueDepth;
    case MessagesColumn:
        return row.info.messageCount;
    case LastActivityColumn:
        return row.info.lastActivity;
    case TokensColumn:
        return row.usage.totalTokens;
    case CostColumn:
        return row.usage.totalCost;
    default:
        return {};
    }
}

QVariant AgentModel::displayValue(const Row &row, int column) const
{
    switch (column) {
    case StateColumn:
        return modelformat::stateText(row.info.state);
    case CurrentThreadColumn:
        if (row.info.currentThread.isEmpty())
            return QString();
        m_labels->request(row.info.currentThread);
        return m_labels->describe(row.info.currentThread);
    case QueueDepthColumn: // with the reason when a backend holds its calls up ("9,662 · xai: rate-limited …")
        return row.waitReason.isEmpty() ? modelformat::count(row.info.queueDepth)
                                        : u"%1 · %2"_s.arg(modelformat::count(row.info.queueDepth), row.waitReason);
    case MessagesColumn:
        return modelformat::count(row.info.messageCount);
    case LastActivityColumn:
        return modelformat::timestamp(row.info.lastActivity);
    case TokensColumn:
        return modelformat::count(row.usage.totalTokens);
    case CostColumn:
        return modelformat::cost(row.usage.totalCost);
    default:
        return rawValue(row, column);
    }
}

QList<int> AgentModel::rolesFor(int column)
{
    switch (column) {
    case StateColumn:
        return {Qt::DisplayRole, Qt::DecorationRole, RawValueRole, StateRole, StateColorRole, StateIconNameRole};
    case CurrentThreadColumn:
        return {Qt::DisplayRole, Qt::ToolTipRole, RawValueRole};
    case CostColumn:
        return {Qt::DisplayRole, Qt::ToolTipRole, RawValueRole};
    default:
        return {Qt::DisplayRole, RawValueRole};
    }
}

void AgentModel::onLabels(const QStringList &threadIds)
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (!m_rows.at(row).info.currentThread.isEmpty() && threadIds.contains(m_rows.at(row).info.currentThread)) {
            const QModelIndex cell = index(row, CurrentThreadColumn);
            emit dataChanged(cell, cell, {Qt::DisplayRole});
        }
    }
}

AgentModel::Row AgentModel::rowFor(const AgentInfo &info, const UsageSnapshot &usage) const
{
    const QList<LlmBackendState> backends = m_session->llmBackends();
    return Row{info, usageOf(usage, info.name),
               LlmBackendModel::waitReason(backends, info.name, LlmBackendModel::Wording::Brief),
               LlmBackendModel::waitReason(backends, info.name)};
}

void AgentModel::reload()
{
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    const UsageSnapshot usage = m_session->usage();
    for (const AgentInfo &info : m_session->agents()) {
        m_rowOf.insert(info.name, int(m_rows.size()));
        m_rows.append(rowFor(info, usage));
    }
    endResetModel();
}

void AgentModel::applyChanges(const QList<AgentInfo> &changed)
{
    CellChanges cells;
    QList<Row> added;
    QHash<QString, qsizetype> addedAt;
    const UsageSnapshot usage = m_session->usage();
    for (const AgentInfo &info : changed) {
        const auto existing = m_rowOf.constFind(info.name);
        if (existing == m_rowOf.cend()) {
            const auto again = addedAt.constFind(info.name);
            if (again != addedAt.cend()) {
                added[*again].info = info;
            } else {
                addedAt.insert(info.name, added.size());
                added.append(rowFor(info, usage));
            }
            continue;
        }
        Row &row = m_rows[*existing];
        const Row before = row;
        row.info = info;
        for (int column = 0; column < ColumnCount; ++column) {
            if (rawValue(before, column) != rawValue(row, column))
                cells.add(*existing, column, rolesFor(column));
        }
        if (before.info.lastError != row.info.lastError)
            cells.add(*existing, StateColumn, {Qt::ToolTipRole, LastErrorRole});
        if (before.info.description != row.info.description)
            cells.add(*existing, NameColumn, {Qt::ToolTipRole, DescriptionRole});
    }
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (const Row &row : std::as_const(added)) {
            m_rowOf.insert(row.info.name, int(m_rows.size()));
            m_rows.append(row);
        }
        endInsertRows();
    }
    for (const CellChanges::Range &range : cells.ranges())
        emit dataChanged(index(range.firstRow, range.firstColumn), index(range.lastRow, range.lastColumn), range.roles);
}

void AgentModel::applyUsage()
{
    CellChanges cells;
    const UsageSnapshot usage = m_session->usage();
    for (int row = 0; row < m_rows.size(); ++row) {
        Row &current = m_rows[row];
        const UsageCounters next = usageOf(usage, current.info.name);
        if (next.totalTokens != current.usage.totalTokens)
            cells.add(row, TokensColumn, rolesFor(TokensColumn));
        if (next.totalCost != current.usage.totalCost || next.unpricedRequests != current.usage.unpricedRequests)
            cells.add(row, CostColumn, rolesFor(CostColumn));
        current.usage = next;
    }
    for (const CellChanges::Range &range : cells.ranges())
        emit dataChanged(index(range.firstRow, range.firstColumn), index(range.lastRow, range.lastColumn), range.roles);
}

// A backend began or stopped holding an agent's calls up (or its figures moved): the queue says why.
void AgentModel::applyBackends()
{
    CellChanges cells;
    const QList<LlmBackendState> backends = m_session->llmBackends();
    for (int row = 0; row < m_rows.size(); ++row) {
        Row &current = m_rows[row];
        QString reason = LlmBackendModel::waitReason(backends, current.info.name, LlmBackendModel::Wording::Brief);
        QString detail = LlmBackendModel::waitReason(backends, current.info.name);
        if (reason != current.waitReason || detail != current.waitDetail)
            cells.add(row, QueueDepthColumn, {Qt::DisplayRole, Qt::ToolTipRole});
        current.waitReason = std::move(reason);
        current.waitDetail = std::move(detail);
    }
    for (const CellChanges::Range &range : cells.ranges())
        emit dataChanged(index(range.firstRow, range.firstColumn), index(range.lastRow, range.lastColumn), range.roles);
}

} // namespace agentdesk
