#include "threadmodel.h"

#include "cellchanges.h"
#include "modelformat.h"

#include "session.h"

#include <algorithm>
#include <numeric>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QDateTime activityOf(const ThreadInfo &thread)
{
    return thread.lastActivity.isValid() ? thread.lastActivity : thread.createdAt;
}

// Most recent first; an invalid time sorts last. Activity within the same millisecond is common at
// speed: the later created thread goes first (its id is a UUIDv7, ordered by creation time).
bool moreRecent(const ThreadInfo &a, const ThreadInfo &b)
{
    const QDateTime activityA = activityOf(a);
    const QDateTime activityB = activityOf(b);
    if (activityA != activityB)
        return activityA > activityB;
    return a.id > b.id;
}

bool isNumeric(int column)
{
    return column == ThreadModel::MessagesColumn || column == ThreadModel::BudgetColumn;
}

} // namespace

ThreadModel::ThreadModel(Session *session, QObject *parent)
    : QAbstractTableModel(parent)
    , m_session(session)
{
    connect(session, &Session::stateChanged, this, [this](Session::State state) {
        if (state == Session::State::Connected)
            reload();
    });
    connect(session, &Session::threadsCreated, this,
            [this](const QList<ThreadInfo> &created) { onThreads(created, Merge::Created); });
    connect(session, &Session::threadsUpdated, this,
            [this](const QList<ThreadInfo> &updated) { onThreads(updated, Merge::Update); });
    connect(session, &Session::messagesRecorded, this, &ThreadModel::onMessages);
    connect(session, &Session::budgetEvents, this, &ThreadModel::onBudgetEvents);
    connect(session, &Session::budgetsChanged, this, &ThreadModel::onBudgets);
    if (session->isConnected())
        reload();
}

void ThreadModel::setPageSize(int rows)
{
    m_pageSize = std::max(1, rows);
}

void ThreadModel::setMaxLiveRows(int rows)
{
    m_maxLiveRows = std::max(1, rows);
    trimToLimit();
}

int ThreadModel::rowOf(const QString &threadId) const
{
    return m_rowOf.value(threadId, -1);
}

ThreadInfo ThreadModel::thread(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).info : ThreadInfo();
}

int ThreadModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ThreadModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ThreadModel::data(const QModelIndex &index, int role) const
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
    case ThreadIdRole:
        return row.info.id;
    case Qt::TextAlignmentRole:
        return isNumeric(column) ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::ToolTipRole:
        if (column == ErrorColumn)
            return row.info.error;
        if (column == ParticipantsColumn)
            return row.info.participants.join(u'\n');
        return {};
    case Qt::DecorationRole:
    case StatusColorRole:
        return column == StatusColumn ? QVariant(modelformat::statusColor(row.info.status)) : QVariant();
    case StatusRole:
        return column == StatusColumn ? QVariant(int(row.info.status)) : QVariant();
    case ParticipantsRole:
        return column == ParticipantsColumn ? QVariant(row.info.participants) : QVariant();
    case BudgetPercentRole:
        return column == BudgetColumn && row.budgetPercent ? QVariant(*row.budgetPercent) : QVariant();
    default:
        return {};
    }
}

QVariant ThreadModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Thread");
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

QHash<int, QByteArray> ThreadModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(RawValueRole, "rawValue");
    names.insert(ThreadIdRole, "threadId");
    names.insert(StatusRole, "status");
    names.insert(StatusColorRole, "statusColor");
    names.insert(ParticipantsRole, "participants");
    names.insert(BudgetPercentRole, "budgetPercent");
    return names;
}

QVariant ThreadModel::rawValue(const Row &row, int column) const
{
    switch (column) {
    case IdColumn:
        return row.info.id;
    case StatusColumn:
        return int(row.info.status);
    case ParticipantsColumn:
        return row.info.participants;
    case MessagesColumn:
        return row.info.messageCount;
    case CreatedColumn:
        return row.info.createdAt;
    case LastActivityColumn:
        return activityOf(row.info);
    case ErrorColumn:
        return row.info.error;
    case BudgetColumn:
        return row.budgetPercent ? QVariant(*row.budgetPercent) : QVariant();
    default:
        return {};
    }
}

QVariant ThreadModel::displayValue(const Row &row, int column) const
{
    switch (column) {
    case StatusColumn:
        return modelformat::statusText(row.info.status);
    case ParticipantsColumn:
        return row.info.participants.join(u", "_s);
    case MessagesColumn:
        return modelformat::count(row.info.messageCount);
    case CreatedColumn:
        return modelformat::timestamp(row.info.createdAt);
    case LastActivityColumn:
        return modelformat::timestamp(activityOf(row.info));
    case BudgetColumn:
        return row.budgetPercent ? QVariant(modelformat::percent(*row.budgetPercent)) : QVariant(QString());
    default:
        return rawValue(row, column);
    }
}

QList<int> ThreadModel::rolesFor(int column)
{
    switch (column) {
    case StatusColumn:
        return {Qt::DisplayRole, Qt::DecorationRole, RawValueRole, StatusRole, StatusColorRole};
    case ParticipantsColumn:
        return {Qt::DisplayRole, Qt::ToolTipRole, RawValueRole, ParticipantsRole};
    case ErrorColumn:
        return {Qt::DisplayRole, Qt::ToolTipRole, RawValueRole};
    case BudgetColumn:
        return {Qt::DisplayRole, RawValueRole, BudgetPercentRole};
    default:
        return {Qt::DisplayRole, RawValueRole};
    }
}

// --- loading ------------------------------------------------------------------------------------------

void ThreadModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void ThreadModel::reload()
{
    const quint64 generation = ++m_generation;
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    m_hasMore = false;
    m_fetching = false;
    m_unknown.clear();
    m_resolving.clear();
    endResetModel();
    // Live batches are ignored until the page arrives: the answer already reflects them.
    setLoading(true);
    ThreadQuery query;
    query.limit = m_pageSize;
    m_session->fetchThreads(query, this, [this, generation](const ThreadPage &page, const QString &error) {
        if (generation != m_generation)
            return;
        if (error.isEmpty()) {
            QList<Row> rows;
            for (const ThreadInfo &info : page.items)
                rows.append(newRow(info, Merge::Replace));
            appendRows(rows);
            m_hasMore = page.offset + page.items.size() < page.total;
        }
        setLoading(false);
    });
}

bool ThreadModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_hasMore && !m_loading && !m_fetching;
}

void ThreadModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    ThreadQuery query;
    query.offset = m_rows.size();
    query.limit = m_pageSize;
    m_session->fetchThreads(query, this, [this, generation = m_generation](const ThreadPage &page, const QString &error) {
        if (generation != m_generation)
            return;
        if (error.isEmpty()) {
            QList<Row> rows;
            for (const ThreadInfo &info : page.items) {
                if (!m_rowOf.contains(info.id))
                    rows.append(newRow(info, Merge::Replace));
            }
            appendRows(rows);
            m_hasMore = page.offset + page.items.size() < page.total;
            restoreOrder();
        }
        m_fetching = false; // only now: a view asking again from inside the inserts is ignored
    });
}

// --- live updates -------------------------------------------------------------------------------------

ThreadModel::Row ThreadModel::newRow(const ThreadInfo &info, Merge merge) const
{
    Row row{info, std::nullopt};
    if (merge == Merge::Created) {
        // Its messages follow in messagesRecorded, which counts them.
        row.info.messageCount = 0;
        row.info.participants.clear();
    }
    if (const auto budget = m_session->budget(info.id))
        row.budgetPercent = budget->percentUsed();
    return row;
}

void ThreadModel::merge(Row &row, const ThreadInfo &info, Merge merge) const
{
    if (merge == Merge::Replace) {
        row.info = info;
        return;
    }
    row.info.status = info.status;
    row.info.error = info.error;
    if (info.createdAt.isValid() && !row.info.createdAt.isValid())
        row.info.createdAt = info.createdAt;
    if (info.lastActivity > row.info.lastActivity)
        row.info.lastActivity = info.lastActivity;
    row.info.messageCount = std::max(row.info.messageCount, info.messageCount);
    for (const QString &participant : info.participants) {
        if (!row.info.participants.contains(participant))
            row.info.participants.append(participant);
    }
}

void ThreadModel::emitChanges(const QList<Row> &before, const QList<int> &rows)
{
    CellChanges cells;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const int row = rows.at(i);
        for (int column = 0; column < ColumnCount; ++column) {
            if (rawValue(before.at(i), column) != rawValue(m_rows.at(row), column))
                cells.add(row, column, rolesFor(column));
        }
    }
    for (const CellChanges::Range &range : cells.ranges())
        emit dataChanged(index(range.firstRow, range.firstColumn), index(range.lastRow, range.lastColumn), range.roles);
}

void ThreadModel::onThreads(const QList<ThreadInfo> &threads, Merge how)
{
    if (m_loading)
        return;
    QList<Row> before;
    QList<int> touched;
    QList<Row> fresh;
    QHash<QString, qsizetype> freshAt;
    for (const ThreadInfo &info : threads) {
        const int row = rowOf(info.id);
        if (row >= 0) {
            if (!touched.contains(row)) {
                touched.append(row);
                before.append(m_rows.at(row));
            }
            merge(m_rows[row], info, how == Merge::Created ? Merge::Update : how);
            continue;
        }
        const auto again = freshAt.constFind(info.id);
        if (again != freshAt.cend()) {
            merge(fresh[*again], info, Merge::Update);
            continue;
        }
        freshAt.insert(info.id, fresh.size());
        fresh.append(newRow(info, how));
        m_unknown.remove(info.id);
    }
    emitChanges(before, touched);
    insertAtTop(fresh);
    restoreOrder();
    trimToLimit();
}

void ThreadModel::onMessages(const QList<MessageRecord> &batch)
{
    if (m_loading)
        return;
    QList<Row> before;
    QList<int> touched;
    for (const MessageRecord &message : batch) {
        const int row = rowOf(message.threadId);
        if (row < 0) {
            if (!m_resolving.contains(message.threadId))
                m_unknown.insert(message.threadId);
            continue;
        }
        if (!touched.contains(row)) {
            touched.append(row);
            before.append(m_rows.at(row));
        }
        ThreadInfo &info = m_rows[row].info;
        ++info.messageCount;
        if (message.timestamp > info.lastActivity)
            info.lastActivity = message.timestamp;
        for (const QString &participant : {message.from, message.to}) {
            if (!info.participants.contains(participant))
                info.participants.append(participant);
        }
    }
    emitChanges(before, touched);
    restoreOrder();
    // A thread created in this tick is announced just before its messages, so by the time this turn of
    // the event loop ends, only threads outside the window are still unknown.
    if (!m_unknown.isEmpty() && !m_resolveQueued) {
        m_resolveQueued = true;
        QMetaObject::invokeMethod(this, &ThreadModel::resolveUnknown, Qt::QueuedConnection);
    }
}

void ThreadModel::resolveUnknown()
{
    m_resolveQueued = false;
    const QSet<QString> unknown = std::exchange(m_unknown, {});
    for (const QString &id : unknown) {
        if (m_rowOf.contains(id) || m_resolving.contains(id))
            continue;
        m_resolving.insert(id);
        m_session->fetchThread(id, this,
                               [this, id, generation = m_generation](const std::optional<ThreadInfo> &thread,
                                                                     const QString &) {
                                   if (generation != m_generation)
                                       return;
                                   m_resolving.remove(id);
                                   if (!thread || m_rowOf.contains(id))
                                       return;
                                   insertAtTop({newRow(*thread, Merge::Replace)});
                                   restoreOrder();
                                   trimToLimit();
                               });
    }
}

void ThreadModel::onBudgetEvents(const QList<BudgetEvent> &events)
{
    if (m_loading)
        return;
    QList<Row> before;
    QList<int> touched;
    for (const BudgetEvent &event : events) {
        const int row = rowOf(event.threadId);
        if (row < 0)
            continue;
        if (!touched.contains(row)) {
            touched.append(row);
            before.append(m_rows.at(row));
        }
        m_rows[row].budgetPercent = event.budget.percentUsed();
    }
    emitChanges(before, touched);
}

// A finished thread's budget disappears from the list; its row keeps the last percentage it reached.
void ThreadModel::onBudgets()
{
    if (m_loading)
        return;
    QList<Row> before;
    QList<int> touched;
    for (const ThreadBudget &budget : m_session->budgets()) {
        const int row = rowOf(budget.threadId);
        if (row < 0 || m_rows.at(row).budgetPercent == budget.percentUsed())
            continue;
        touched.append(row);
        before.append(m_rows.at(row));
        m_rows[row].budgetPercent = budget.percentUsed();
    }
    emitChanges(before, touched);
}

// --- structure ----------------------------------------------------------------------------------------

void ThreadModel::reindex()
{
    m_rowOf.clear();
    m_rowOf.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowOf.insert(m_rows.at(row).info.id, row);
}

void ThreadModel::insertAtTop(QList<Row> rows)
{
    if (rows.isEmpty())
        return;
    std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) { return moreRecent(a.info, b.info); });
    beginInsertRows({}, 0, int(rows.size()) - 1);
    m_rows = rows + m_rows;
    reindex();
    endInsertRows();
}

void ThreadModel::appendRows(const QList<Row> &rows)
{
    if (rows.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(rows.size()) - 1);
    m_rows.append(rows);
    reindex();
    endInsertRows();
}

void ThreadModel::trimToLimit()
{
    if (m_rows.size() <= m_maxLiveRows)
        return;
    beginRemoveRows({}, m_maxLiveRows, int(m_rows.size()) - 1);
    m_rows.resize(m_maxLiveRows);
    reindex();
    endRemoveRows();
    m_hasMore = true;
}

// Rows that became more recent move up: one layout change for the whole batch, as a sorting proxy does.
void ThreadModel::restoreOrder()
{
    QList<int> order(m_rows.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [this](int a, int b) { return moreRecent(m_rows.at(a).info, m_rows.at(b).info); });
    bool moved = false;
    for (int row = 0; row < order.size() && !moved; ++row)
        moved = order.at(row) != row;
    if (!moved)
        return;

    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    QList<int> newRowOf(order.size());
    QList<Row> sorted;
    sorted.reserve(m_rows.size());
    for (int row = 0; row < order.size(); ++row) {
        newRowOf[order.at(row)] = row;
        sorted.append(m_rows.at(order.at(row)));
    }
    const QModelIndexList from = persistentIndexList();
    QModelIndexList to;
    to.reserve(from.size());
    for (const QModelIndex &index : from)
        to.append(this->index(newRowOf.at(index.row()), index.column()));
    m_rows = std::move(sorted);
    reindex();
    changePersistentIndexList(from, to);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

} // namespace agentdesk
