#include "threadmodel.h"

#include "cellchanges.h"
#include "modelformat.h"
#include "threadlabels.h"

#include "session.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

bool isNumeric(int column)
{
    return column == ThreadModel::MessagesColumn || column == ThreadModel::BudgetColumn;
}

} // namespace

ThreadModel::ThreadModel(Session *session, QObject *parent)
    : TableModel(ColumnCount, parent)
    , m_session(session)
    , m_labels(ThreadLabels::forSession(session))
    , m_rows(*this, [this](const Row &row, int column) { return rawValue(row, column); })
    , m_hold(m_rows,
             [session](Row &row) { // budgets moved on while it waited
                 if (const auto budget = session->budget(row.info.id))
                     row.spent.takeBudget(*budget);
             })
    , m_loader(session, m_rows, m_hold)
    , m_live(session, m_rows, m_hold, m_loader)
{
    connect(&m_hold, &ThreadHold::followingChanged, this, &ThreadModel::followingChanged);
    connect(&m_hold, &ThreadHold::pendingCountChanged, this, &ThreadModel::pendingCountChanged);
    connect(&m_loader, &ThreadLoader::loadingChanged, this, &ThreadModel::loadingChanged);
    connect(&m_loader, &ThreadLoader::totalCountChanged, this, &ThreadModel::totalCountChanged);
    connect(&m_live, &ThreadLiveUpdates::rowsChanged, this, &ThreadModel::emitChanges);
    connect(session, &Session::stateChanged, this, [this](Session::State state) {
        if (state == Session::State::Connected)
            reload();
    });
    connect(session, &Session::resynchronized, this, &ThreadModel::reload);
    connect(session, &Session::threadsCreated, &m_live, &ThreadLiveUpdates::onCreated);
    connect(session, &Session::threadsUpdated, &m_live, &ThreadLiveUpdates::onUpdated);
    connect(session, &Session::messagesRecorded, &m_live, &ThreadLiveUpdates::onMessages);
    connect(session, &Session::budgetEvents, &m_live, &ThreadLiveUpdates::onBudgetEvents);
    connect(session, &Session::budgetsChanged, &m_live, &ThreadLiveUpdates::onBudgets);
    connect(session, &Session::usageRecorded, &m_live, &ThreadLiveUpdates::onUsage);
    connect(session, &Session::agentsChanged, this, &ThreadModel::onAgents);
    connect(session, &Session::agentsReset, this, [this] { onAgents(m_session->agents()); });
    connect(m_labels, &ThreadLabels::labelsChanged, this, &ThreadModel::onLabels);
    if (session->isConnected())
        reload();
}

void ThreadModel::setPageSize(int rows)
{
    m_loader.setPageSize(rows);
}

void ThreadModel::setMaxLiveRows(int rows)
{
    m_rows.setLimit(rows);
    m_hold.trim();
}

void ThreadModel::setPauseHoldsWork(bool holds)
{
    if (m_pauseHolds == holds)
        return;
    m_pauseHolds = holds;
    onAgents(m_session->agents());
}

void ThreadModel::setFilter(const ThreadFilter &filter)
{
    if (filter == m_loader.filter())
        return;
    m_loader.setFilter(filter);
    reload();
}

void ThreadModel::setFollowing(bool following)
{
    m_hold.setFollowing(following);
}

void ThreadModel::setFrozen(bool frozen)
{
    m_hold.setFrozen(frozen);
}

int ThreadModel::rowOf(const QString &threadId) const
{
    return m_rows.rowOf(threadId);
}

ThreadInfo ThreadModel::thread(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).info : ThreadInfo();
}

QString ThreadModel::waitingOn(int row) const
{
    return row >= 0 && row < m_rows.size() ? waitingOn(m_rows.at(row)) : QString();
}

QString ThreadModel::waitingOn(const Row &row) const
{
    if (!m_pauseHolds || row.info.status != ThreadStatus::Active || row.lastTo.isEmpty())
        return {};
    const std::optional<AgentInfo> agent = m_session->agent(row.lastTo);
    return agent && agent->state == AgentState::Paused ? agent->name : QString();
}

QString ThreadModel::statusText(const Row &row) const
{
    const QString agent = waitingOn(row);
    return agent.isEmpty() ? modelformat::statusText(row.info.status) : tr("waiting on paused %1").arg(agent);
}

int ThreadModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ThreadModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const int column = index.column();
    if ((column == IdColumn || column == LabelColumn) && m_labels && !m_labels->isKnown(row.info.id))
        m_labels->request(row.info.id); // the rows a view shows: looked up once this turn ends
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(row, column);
    case RawValueRole:
        return rawValue(row, column);
    case ThreadIdRole:
        return row.info.id;
    case DescriptionRole:
        return m_labels ? m_labels->describe(row.info.id) : ThreadLabels::shortId(row.info.id);
    case WaitingOnRole:
        return waitingOn(row);
    case Qt::TextAlignmentRole:
        return isNumeric(column) ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::ToolTipRole:
        switch (column) {
        case IdColumn:
            return row.info.id; // the whole id, as Copy id puts it on the clipboard
        case LabelColumn:
            return displayValue(row, column);
        case ErrorColumn:
            return row.info.error;
        case ParticipantsColumn:
            return row.info.participants.join(u'\n');
        case BudgetColumn:
            return row.spent.toolTip(m_session->defaultThreadBudget());
        case StatusColumn:
            return waitingOn(row).isEmpty() ? QVariant()
                                            : QVariant(tr("Its last message is queued for %1, which is paused: "
                                                          "resume it to let the thread go on")
                                                           .arg(waitingOn(row)));
        default:
            return {};
        }
    case Qt::DecorationRole:
    case StatusColorRole:
        if (column != StatusColumn)
            return {};
        return waitingOn(row).isEmpty() ? modelformat::statusColor(row.info.status)
                                        : modelformat::stateColor(AgentState::Waiting);
    case StatusRole:
        return column == StatusColumn ? QVariant(int(row.info.status)) : QVariant();
    case ParticipantsRole:
        return column == ParticipantsColumn ? QVariant(row.info.participants) : QVariant();
    case BudgetPercentRole:
        return column == BudgetColumn && percentOf(row) ? QVariant(*percentOf(row)) : QVariant();
    default:
        return {};
    }
}

QString ThreadModel::columnTitle(int column) const
{
    switch (column) {
    case IdColumn:
        return tr("Thread");
    case LabelColumn:
        return tr("Started with");
    case StatusColumn:
        return tr("Status");
    case ParticipantsColumn:
        return tr("Participants");
    case MessagesColumn:
        return tr("Messages");
    case CreatedColumn:
        return tr("Created");
    case LastActivityColumn:
        return tr("Last activity");
    case ErrorColumn:
        return tr("Error");
    case BudgetColumn:
        return tr("Budget used");
    default:
        return {};
    }
}

QHash<int, QByteArray> ThreadModel::extraRoleNames() const
{
    QHash<int, QByteArray> names;
    names.insert(ThreadIdRole, "threadId");
    names.insert(StatusRole, "status");
    names.insert(StatusColorRole, "statusColor");
    names.insert(ParticipantsRole, "participants");
    names.insert(BudgetPercentRole, "budgetPercent");
    names.insert(WaitingOnRole, "waitingOn");
    names.insert(DescriptionRole, "description");
    return names;
}

QVariant ThreadModel::rawValue(const Row &row, int column) const
{
    switch (column) {
    case IdColumn:
        return row.info.id;
    case LabelColumn: {
        const std::optional<ThreadLabel> label = m_labels ? m_labels->label(row.info.id) : std::nullopt;
        return label ? ThreadLabels::labelText(*label) : QString();
    }
    case StatusColumn:
        return int(row.info.status);
    case ParticipantsColumn:
        return row.info.participants;
    case MessagesColumn:
        return row.info.messageCount;
    case CreatedColumn:
        return row.info.createdAt;
    case LastActivityColumn:
        return row.activity();
    case ErrorColumn:
        return row.info.error;
    case BudgetColumn:
        return percentOf(row) ? QVariant(*percentOf(row)) : QVariant();
    default:
        return {};
    }
}

QVariant ThreadModel::displayValue(const Row &row, int column) const
{
    switch (column) {
    case IdColumn:
        return ThreadLabels::shortId(row.info.id);
    case StatusColumn:
        return statusText(row);
    case ParticipantsColumn:
        return row.info.participants.join(u", "_s);
    case MessagesColumn:
        return modelformat::count(row.info.messageCount);
    case CreatedColumn:
        return modelformat::timestamp(row.info.createdAt);
    case LastActivityColumn:
        return modelformat::timestamp(row.activity());
    case BudgetColumn:
        return row.spent.text(m_session->defaultThreadBudget());
    default:
        return rawValue(row, column);
    }
}

QList<int> ThreadModel::rolesFor(int column)
{
    switch (column) {
    case IdColumn:
    case LabelColumn:
        return {Qt::DisplayRole, Qt::ToolTipRole, RawValueRole, DescriptionRole};
    case StatusColumn:
        return {Qt::DisplayRole, Qt::DecorationRole, Qt::ToolTipRole, RawValueRole,
                StatusRole,      StatusColorRole,    WaitingOnRole};
    case ParticipantsColumn:
        return {Qt::DisplayRole, Qt::ToolTipRole, RawValueRole, ParticipantsRole};
    case ErrorColumn:
        return {Qt::DisplayRole, Qt::ToolTipRole, RawValueRole};
    case BudgetColumn:
        return {Qt::DisplayRole, Qt::ToolTipRole, RawValueRole, BudgetPercentRole};
    default:
        return {Qt::DisplayRole, RawValueRole};
    }
}

// --- loading ------------------------------------------------------------------------------------------

void ThreadModel::reload()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
    m_hold.clear();
    m_live.clear();
    m_loader.reload();
}

bool ThreadModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_loader.canFetchMore();
}

void ThreadModel::fetchMore(const QModelIndex &parent)
{
    if (!parent.isValid())
        m_loader.fetchMore();
}

void ThreadModel::sort(int column, Qt::SortOrder order)
{
    m_rows.sort(column >= 0 && column < ColumnCount ? column : -1, order);
}

// --- what changed -------------------------------------------------------------------------------------

void ThreadModel::emitChanges(const QList<Row> &before, const QList<int> &rows)
{
    CellChanges cells;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const int row = rows.at(i);
        for (int column = 0; column < ColumnCount; ++column) {
            if (rawValue(before.at(i), column) != rawValue(m_rows.at(row), column))
                cells.add(row, column, rolesFor(column));
        }
        if (!(before.at(i).spent == m_rows.at(row).spent))
            cells.add(row, BudgetColumn, rolesFor(BudgetColumn)); // tokens without a known limit have no raw value
        if (waitingOn(before.at(i)) != waitingOn(m_rows.at(row)))
            cells.add(row, StatusColumn, rolesFor(StatusColumn)); // now waits on a paused agent, or no more
    }
    emitCellChanges(cells);
}

void ThreadModel::emitCellChanges(const CellChanges &cells)
{
    for (const CellChanges::Range &range : cells.ranges())
        emit dataChanged(index(range.firstRow, range.firstColumn), index(range.lastRow, range.lastColumn), range.roles);
}

// A thread whose budget came and went between two of the window's deliveries had the organism's budget
// for a new thread (a raise would have been seen): one unit in the column for every row.
std::optional<double> ThreadModel::percentOf(const Row &row) const
{
    return row.spent.percent(m_session->defaultThreadBudget());
}

// An agent paused or resumed: the active threads whose last message went to it wait on it, or no more.
void ThreadModel::onAgents(const QList<AgentInfo> &changed)
{
    if (m_rows.isEmpty() || changed.isEmpty())
        return;
    QSet<QString> names;
    for (const AgentInfo &agent : changed)
        names.insert(agent.name);
    CellChanges cells;
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).info.status == ThreadStatus::Active && names.contains(m_rows.at(row).lastTo))
            cells.add(row, StatusColumn, rolesFor(StatusColumn));
    }
    emitCellChanges(cells);
}

void ThreadModel::onLabels(const QStringList &threadIds)
{
    CellChanges cells;
    for (const QString &id : threadIds) {
        const int row = rowOf(id);
        if (row < 0)
            continue;
        cells.add(row, IdColumn, rolesFor(IdColumn));
        cells.add(row, LabelColumn, rolesFor(LabelColumn));
    }
    emitCellChanges(cells);
    if (m_rows.sortColumn() == LabelColumn && !cells.isEmpty())
        m_hold.orderChanged();
}

// --- structure, as the store changes it ---------------------------------------------------------------

void ThreadModel::beginInsert(int first, int last)
{
    beginInsertRows({}, first, last);
}

void ThreadModel::endInsert()
{
    endInsertRows();
}

void ThreadModel::beginRemove(int first, int last)
{
    beginRemoveRows({}, first, last);
}

void ThreadModel::endRemove()
{
    endRemoveRows();
}

void ThreadModel::beginMove(int from, int to)
{
    beginMoveRows({}, from, from, {}, to);
}

void ThreadModel::endMove()
{
    endMoveRows();
}

void ThreadModel::beginReorder()
{
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
}

void ThreadModel::endReorder(const QList<int> &newRowOf)
{
    const QModelIndexList from = persistentIndexList();
    QModelIndexList to;
    to.reserve(from.size());
    for (const QModelIndex &index : from)
        to.append(this->index(newRowOf.at(index.row()), index.column()));
    changePersistentIndexList(from, to);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

} // namespace agentdesk
