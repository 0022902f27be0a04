#include "threadmodel.h"

#include "cellchanges.h"
#include "modelformat.h"
#include "modelslogging.h"
#include "threadlabels.h"

#include "session.h"

#include <algorithm>
#include <numeric>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// A filtered total is counted again from the store at most this often while live changes may move it.
constexpr int kRecountDelayMs = 2000;
// Beyond this many single moves, one layout change is cheaper for every view.
constexpr int kMaxSingleMoves = 64;
constexpr qsizetype kMaxCandidates = 5000;

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

bool ThreadFilter::matches(const ThreadInfo &thread) const
{
    if (status && thread.status != *status)
        return false;
    return agent.isEmpty() || thread.participants.contains(agent);
}

ThreadModel::ThreadModel(Session *session, QObject *parent)
    : TableModel(ColumnCount, parent)
    , m_session(session)
    , m_labels(ThreadLabels::forSession(session))
{
    m_recount.setSingleShot(true);
    m_recount.setInterval(kRecountDelayMs);
    connect(&m_recount, &QTimer::timeout, this, &ThreadModel::recount);
    connect(session, &Session::stateChanged, this, [this](Session::State state) {
        if (state == Session::State::Connected)
            reload();
    });
    connect(session, &Session::resynchronized, this, &ThreadModel::reload);
    connect(session, &Session::threadsCreated, this, &ThreadModel::onCreated);
    connect(session, &Session::threadsUpdated, this, &ThreadModel::onUpdated);
    connect(session, &Session::messagesRecorded, this, &ThreadModel::onMessages);
    connect(session, &Session::budgetEvents, this, &ThreadModel::onBudgetEvents);
    connect(session, &Session::budgetsChanged, this, &ThreadModel::onBudgets);
    connect(session, &Session::usageRecorded, this, &ThreadModel::onUsage);
    connect(session, &Session::agentsChanged, this, &ThreadModel::onAgents);
    connect(session, &Session::agentsReset, this, [this] { onAgents(m_session->agents()); });
    connect(m_labels, &ThreadLabels::labelsChanged, this, &ThreadModel::onLabels);
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

void ThreadModel::setPauseHoldsWork(bool holds)
{
    if (m_pauseHolds == holds)
        return;
    m_pauseHolds = holds;
    onAgents(m_session->agents());
}

void ThreadModel::setFilter(const ThreadFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    reload();
}

int ThreadModel::rowOf(const QString &threadId) const
{
    return m_rowOf.value(threadId, -1);
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
        return activityOf(row.info);
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
        return modelformat::timestamp(activityOf(row.info));
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
        return {Qt::DisplayRole, Qt::DecorationRole, Qt::ToolTipRole, RawValueRole, StatusRole, StatusColorRole,
                WaitingOnRole};
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

void ThreadModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void ThreadModel::setTotal(qint64 total)
{
    total = std::max<qint64>(total, 0);
    if (m_total == total)
        return;
    m_total = total;
    emit totalCountChanged(total);
}

void ThreadModel::reload()
{
    const quint64 generation = ++m_generation;
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    endResetModel();
    const bool hadHeld = !m_held.isEmpty();
    m_held.clear();
    m_candidates.clear();
    m_leaving.clear();
    m_orderStale = false;
    m_hasMore = false;
    m_fetching = false;
    m_unknown.clear();
    m_resolving.clear();
    m_usageWhileLoading.clear();
    m_recount.stop();
    if (hadHeld)
        emit pendingCountChanged(0);
    setTotal(0);
    if (!m_session->isConnected()) {
        setLoading(false);
        return; // reloads when the session connects
    }
    // Live batches are ignored until the page arrives: the answer already reflects them.
    setLoading(true);
    ThreadQuery query;
    query.status = m_filter.status;
    query.agent = m_filter.agent;
    query.limit = m_pageSize;
    m_session->fetchThreads(query, this, [this, generation](const ThreadPage &page, const QString &error) {
        if (generation != m_generation)
            return;
        if (error.isEmpty()) {
            QList<Row> rows;
            for (const ThreadInfo &info : page.items) {
                rows.append(newRow(info, Merge::Replace));
                rows.last().spent.addUsage(m_usageWhileLoading.value(info.id));
            }
            m_usageWhileLoading.clear();
            appendRows(rows);
            restoreOrder();
            m_hasMore = page.offset + page.items.size() < page.total;
            setTotal(page.total);
        } else {
            qCWarning(lcModels) << "ThreadModel: could not read the threads:" << error;
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
    query.status = m_filter.status;
    query.agent = m_filter.agent;
    query.offset = m_rows.size() + m_held.size(); // the held threads are the newest in the store
    query.limit = m_pageSize;
    m_session->fetchThreads(query, this, [this, generation = m_generation](const ThreadPage &page, const QString &error) {
        if (generation != m_generation)
            return;
        if (error.isEmpty()) {
            QList<Row> rows;
            for (const ThreadInfo &info : page.items) {
                if (!m_rowOf.contains(info.id) && !m_leaving.contains(info.id))
                    rows.append(newRow(info, Merge::Replace));
            }
            appendRows(rows);
            m_hasMore = page.offset + page.items.size() < page.total;
            if (!isHolding())
                restoreOrder();
        } else {
            qCWarning(lcModels) << "ThreadModel: could not read more threads:" << error;
        }
        m_fetching = false; // only now: a view asking again from inside the inserts is ignored
    });
}

void ThreadModel::scheduleRecount()
{
    if (!m_filter.isEmpty() && !m_recount.isActive())
        m_recount.start();
}

// With a filter, live events cannot always tell whether a thread was counted (did it already include
// the agent?): the store can.
void ThreadModel::recount()
{
    if (m_loading || !m_session->isConnected())
        return;
    ThreadQuery query;
    query.status = m_filter.status;
    query.agent = m_filter.agent;
    query.limit = 0;
    m_session->fetchThreads(query, this, [this, generation = m_generation](const ThreadPage &page, const QString &error) {
        if (generation == m_generation && error.isEmpty())
            setTotal(page.total);
    });
}

// --- live updates -------------------------------------------------------------------------------------

ThreadModel::Row ThreadModel::newRow(const ThreadInfo &info, Merge merge) const
{
    Row row{info, {}, {}};
    if (merge == Merge::Created) {
        // Its messages follow in messagesRecorded, which counts them.
        row.info.messageCount = 0;
        row.info.participants.clear();
    }
    if (const auto budget = m_session->budget(info.id))
        row.spent.takeBudget(*budget);
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

void ThreadModel::apply(Row &row, const MessageRecord &message) const
{
    ThreadInfo &info = row.info;
    ++info.messageCount;
    if (message.timestamp > info.lastActivity)
        info.lastActivity = message.timestamp;
    for (const QString &participant : {message.from, message.to}) {
        if (!info.participants.contains(participant))
            info.participants.append(participant);
    }
    row.lastTo = message.to;
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
        if (!(before.at(i).spent == m_rows.at(row).spent))
            cells.add(row, BudgetColumn, rolesFor(BudgetColumn)); // tokens without a known limit have no raw value
        if (waitingOn(before.at(i)) != waitingOn(m_rows.at(row)))
            cells.add(row, StatusColumn, rolesFor(StatusColumn)); // now waits on a paused agent, or no more
    }
    for (const CellChanges::Range &range : cells.ranges())
        emit dataChanged(index(range.firstRow, range.firstColumn), index(range.lastRow, range.lastColumn), range.roles);
}

void ThreadModel::emitColumnChanged(int row, int column)
{
    const QModelIndex cell = index(row, column);
    emit dataChanged(cell, cell, rolesFor(column));
}

void ThreadModel::onCreated(const QList<ThreadInfo> &created)
{
    if (m_loading)
        return;
    QList<Row> fresh;
    for (const ThreadInfo &info : created) {
        if (m_rowOf.contains(info.id) || m_candidates.contains(info.id))
            continue;
        const auto held = std::find_if(m_held.begin(), m_held.end(),
                                       [&info](const Row &other) { return other.info.id == info.id; });
        if (held != m_held.end() || std::any_of(fresh.cbegin(), fresh.cend(),
                                                [&info](const Row &other) { return other.info.id == info.id; }))
            continue;
        Row row = newRow(info, Merge::Created);
        if (!m_filter.agent.isEmpty()) {
            // It takes part once its messages say so.
            if (m_candidates.size() >= kMaxCandidates)
                m_candidates.clear();
            m_candidates.insert(info.id, row);
            continue;
        }
        if (m_filter.matches(row.info))
            fresh.append(row);
    }
    if (fresh.isEmpty())
        return;
    setTotal(m_total + fresh.size());
    if (isHolding()) {
        hold(fresh);
        return;
    }
    insertRows(fresh);
    trimToLimit();
}

void ThreadModel::onMessages(const QList<MessageRecord> &batch)
{
    if (m_loading)
        return;
    QList<Row> before;
    QList<int> touched;
    QList<Row> promoted;
    QHash<QString, qsizetype> heldAt;
    for (qsizetype i = 0; i < m_held.size(); ++i)
        heldAt.insert(m_held.at(i).info.id, i);
    for (const MessageRecord &message : batch) {
        const int row = rowOf(message.threadId);
        if (row >= 0) {
            if (!touched.contains(row)) {
                touched.append(row);
                before.append(m_rows.at(row));
            }
            apply(m_rows[row], message);
            continue;
        }
        if (const auto held = heldAt.constFind(message.threadId); held != heldAt.cend()) {
            apply(m_held[*held], message);
            continue;
        }
        if (auto candidate = m_candidates.find(message.threadId); candidate != m_candidates.end()) {
            apply(*candidate, message);
            if (m_filter.matches(candidate->info)) {
                promoted.append(*candidate);
                m_candidates.erase(candidate);
            }
            continue;
        }
        if (std::any_of(promoted.cbegin(), promoted.cend(),
                        [&message](const Row &fresh) { return fresh.info.id == message.threadId; }))
            continue; // counted from the candidate's messages already
        if (!m_resolving.contains(message.threadId) && !m_leaving.contains(message.threadId))
            m_unknown.insert(message.threadId);
    }
    emitChanges(before, touched);
    if (!promoted.isEmpty()) {
        setTotal(m_total + promoted.size());
        if (isHolding()) {
            hold(promoted);
        } else {
            insertRows(promoted);
        }
    }
    if (isHolding())
        m_orderStale = m_orderStale || !touched.isEmpty();
    else
        restoreOrder();
    trimToLimit();
    // A thread created in this tick is announced just before its messages, so by the time this turn of
    // the event loop ends, only threads outside the window are still unknown.
    if (!m_unknown.isEmpty() && !m_resolveQueued) {
        m_resolveQueued = true;
        QMetaObject::invokeMethod(this, &ThreadModel::resolveUnknown, Qt::QueuedConnection);
    }
}

void ThreadModel::onUpdated(const QList<ThreadInfo> &updated)
{
    if (m_loading)
        return;
    QList<Row> before;
    QList<int> touched;
    QList<QString> leavers;
    qint64 total = m_total;
    for (const ThreadInfo &info : updated) {
        const int row = rowOf(info.id);
        if (row >= 0) {
            if (!touched.contains(row)) {
                touched.append(row);
                before.append(m_rows.at(row));
            }
            const bool matched = m_filter.matches(m_rows.at(row).info);
            merge(m_rows[row], info, Merge::Update);
            if (matched && !m_filter.matches(m_rows.at(row).info) && !leavers.contains(info.id)) {
                leavers.append(info.id);
                --total;
            }
            continue;
        }
        const auto held = std::find_if(m_held.begin(), m_held.end(),
                                       [&info](const Row &other) { return other.info.id == info.id; });
        if (held != m_held.end()) {
            merge(*held, info, Merge::Update);
            if (!m_filter.matches(held->info)) {
                m_held.erase(held);
                --total;
                emit pendingCountChanged(pendingCount());
            }
            continue;
        }
        if (auto candidate = m_candidates.find(info.id); candidate != m_candidates.end()) {
            merge(*candidate, info, Merge::Update);
            continue;
        }
        if (m_leaving.contains(info.id))
            continue;
        // Outside the window. Threads only ever leave `active`: with a status filter that tells whether
        // this one just arrived in the filter or just left it.
        if (m_filter.status) {
            if (info.status == *m_filter.status)
                ++total;
            else if (*m_filter.status == ThreadStatus::Active)
                --total;
            if (!m_filter.agent.isEmpty())
                scheduleRecount(); // whether it took part is not known here
        }
        if (!m_resolving.contains(info.id))
            m_unknown.insert(info.id);
    }
    emitChanges(before, touched);
    setTotal(total);
    if (isHolding()) {
        for (const QString &id : std::as_const(leavers))
            m_leaving.insert(id);
        m_orderStale = m_orderStale || !touched.isEmpty();
    } else {
        for (const QString &id : std::as_const(leavers))
            removeRow(rowOf(id));
        restoreOrder();
    }
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
                                   if (!thread || m_rowOf.contains(id) || !m_filter.matches(*thread))
                                       return;
                                   if (std::any_of(m_held.cbegin(), m_held.cend(),
                                                   [&id](const Row &other) { return other.info.id == id; }))
                                       return;
                                   if (!m_filter.agent.isEmpty())
                                       scheduleRecount(); // it may have just joined the agent's threads
                                   admit(newRow(*thread, Merge::Replace));
                               });
    }
}

void ThreadModel::admit(const Row &row)
{
    if (isHolding()) {
        hold({row});
        return;
    }
    insertRows({row});
    trimToLimit();
}

void ThreadModel::onBudgetEvents(const QList<BudgetEvent> &events)
{
    if (m_loading)
        return;
    QList<Row> before;
    QList<int> touched;
    for (const BudgetEvent &event : events) {
        const int row = rowOf(event.threadId);
        if (row < 0 || event.scope != u"thread"_s) // an agent's or the organism's budget: not the thread's
            continue;
        if (!touched.contains(row)) {
            touched.append(row);
            before.append(m_rows.at(row));
        }
        m_rows[row].spent.takeBudget(event.budget);
    }
    emitChanges(before, touched);
}

// A finished thread's budget disappears from the list; its row keeps what it spent.
void ThreadModel::onBudgets()
{
    if (m_loading)
        return;
    QList<Row> before;
    QList<int> touched;
    for (const ThreadBudget &budget : m_session->budgets()) {
        const int row = rowOf(budget.threadId);
        if (row < 0 || touched.contains(row))
            continue;
        touched.append(row);
        before.append(m_rows.at(row));
        m_rows[row].spent.takeBudget(budget);
    }
    emitChanges(before, touched);
}

// Every metered call of a thread, also the last one before it ended, whose budget snapshot may never
// be delivered: the window batches snapshots, and an ended thread's budget leaves the list.
void ThreadModel::onUsage(const QList<UsageEvent> &events)
{
    if (m_loading) {
        // The page on its way lists these threads without what they spent: kept for its rows.
        for (const UsageEvent &event : events) {
            if (m_usageWhileLoading.size() < kMaxCandidates || m_usageWhileLoading.contains(event.threadId))
                m_usageWhileLoading[event.threadId] += ThreadSpending::tokensOf(event);
        }
        return;
    }
    QList<Row> before;
    QList<int> touched;
    QHash<QString, qint64> heldTokens;
    for (const UsageEvent &event : events) {
        const qint64 tokens = ThreadSpending::tokensOf(event);
        if (tokens == 0 || event.threadId.isEmpty())
            continue;
        const int row = rowOf(event.threadId);
        if (row >= 0) {
            if (!touched.contains(row)) {
                touched.append(row);
                before.append(m_rows.at(row));
            }
            m_rows[row].spent.addUsage(tokens);
        } else if (auto candidate = m_candidates.find(event.threadId); candidate != m_candidates.end()) {
            candidate->spent.addUsage(tokens);
        } else {
            heldTokens[event.threadId] += tokens;
        }
    }
    if (!heldTokens.isEmpty()) {
        for (Row &held : m_held)
            held.spent.addUsage(heldTokens.value(held.info.id));
    }
    emitChanges(before, touched);
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
    for (const CellChanges::Range &range : cells.ranges())
        emit dataChanged(index(range.firstRow, range.firstColumn), index(range.lastRow, range.lastColumn), range.roles);
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
    for (const CellChanges::Range &range : cells.ranges())
        emit dataChanged(index(range.firstRow, range.firstColumn), index(range.lastRow, range.lastColumn), range.roles);
    if (m_sortColumn == LabelColumn && !cells.isEmpty()) {
        if (isHolding())
            m_orderStale = true;
        else
            restoreOrder();
    }
}

// --- follow, hold, freeze -----------------------------------------------------------------------------

void ThreadModel::setFollowing(bool following)
{
    if (following == m_following)
        return;
    m_following = following;
    emit followingChanged(following);
    if (!isHolding())
        release();
}

void ThreadModel::setFrozen(bool frozen)
{
    if (frozen == m_frozen)
        return;
    m_frozen = frozen;
    if (!isHolding())
        release();
}

// Held threads wait in order of arrival; beyond maxLiveRows only the newest are kept (the others are
// in the store, a fetchMore away, and still counted).
void ThreadModel::hold(const QList<Row> &rows)
{
    m_held.append(rows);
    if (m_held.size() > m_maxLiveRows) {
        m_held.remove(0, m_held.size() - m_maxLiveRows);
        m_hasMore = true;
    }
    emit pendingCountChanged(pendingCount());
}

void ThreadModel::release()
{
    for (const QString &id : std::exchange(m_leaving, {})) {
        const int row = rowOf(id);
        if (row >= 0)
            removeRow(row);
    }
    QList<Row> held = std::exchange(m_held, {});
    if (!held.isEmpty()) {
        for (Row &row : held) { // budgets moved on while they waited
            if (const auto budget = m_session->budget(row.info.id))
                row.spent.takeBudget(*budget);
        }
        insertRows(held);
        emit pendingCountChanged(0);
    }
    if (std::exchange(m_orderStale, false))
        restoreOrder();
    trimToLimit();
}

// --- structure ----------------------------------------------------------------------------------------

bool ThreadModel::before(const Row &a, const Row &b) const
{
    if (m_sortColumn >= 0) {
        const QVariant left = rawValue(a, m_sortColumn);
        const QVariant right = rawValue(b, m_sortColumn);
        QPartialOrdering order = QVariant::compare(left, right);
        if (left.typeId() == QMetaType::QStringList)
            order = QVariant::compare(left.toStringList().join(u','), right.toStringList().join(u','));
        if (order == QPartialOrdering::Less || order == QPartialOrdering::Greater) {
            const bool less = order == QPartialOrdering::Less;
            return m_sortOrder == Qt::AscendingOrder ? less : !less;
        }
        if (left.isNull() != right.isNull()) // no value last, either way
            return right.isNull();
    }
    return moreRecent(a.info, b.info);
}

void ThreadModel::sort(int column, Qt::SortOrder order)
{
    m_sortColumn = column >= 0 && column < ColumnCount ? column : -1;
    m_sortOrder = order;
    if (m_rows.isEmpty())
        return;
    // A new order for everything: one layout change, as a sorting proxy does.
    QList<int> sorted(m_rows.size());
    std::iota(sorted.begin(), sorted.end(), 0);
    std::stable_sort(sorted.begin(), sorted.end(), [this](int a, int b) { return before(m_rows.at(a), m_rows.at(b)); });
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    QList<int> newRowOf(sorted.size());
    QList<Row> rows;
    rows.reserve(m_rows.size());
    for (int row = 0; row < sorted.size(); ++row) {
        newRowOf[sorted.at(row)] = row;
        rows.append(m_rows.at(sorted.at(row)));
    }
    const QModelIndexList from = persistentIndexList();
    QModelIndexList to;
    to.reserve(from.size());
    for (const QModelIndex &index : from)
        to.append(this->index(newRowOf.at(index.row()), index.column()));
    m_rows = std::move(rows);
    reindex();
    changePersistentIndexList(from, to);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    m_orderStale = false;
}

void ThreadModel::reindex()
{
    m_rowOf.clear();
    m_rowOf.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowOf.insert(m_rows.at(row).info.id, row);
}

// New rows go on top in one insert (in the default order that is where they belong), then move to their
// place if a column sort says otherwise.
void ThreadModel::insertRows(QList<Row> rows)
{
    if (rows.isEmpty())
        return;
    std::stable_sort(rows.begin(), rows.end(), [this](const Row &a, const Row &b) { return before(a, b); });
    beginInsertRows({}, 0, int(rows.size()) - 1);
    m_rows = rows + m_rows;
    reindex();
    endInsertRows();
    restoreOrder();
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

void ThreadModel::removeRow(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    reindex();
    endRemoveRows();
}

void ThreadModel::trimToLimit()
{
    if (isHolding() || m_rows.size() <= m_maxLiveRows)
        return;
    beginRemoveRows({}, m_maxLiveRows, int(m_rows.size()) - 1);
    m_rows.resize(m_maxLiveRows);
    reindex();
    endRemoveRows();
    m_hasMore = true;
}

// Rows that became more recent move up, each with its own beginMoveRows: a view keeps its selection,
// its current row and what is under the pointer exactly, and repaints only what moved. A wholesale
// reorder (more than a few dozen moves) is one layout change instead.
void ThreadModel::restoreOrder()
{
    const int count = int(m_rows.size());
    QList<int> desired(count);
    std::iota(desired.begin(), desired.end(), 0);
    std::stable_sort(desired.begin(), desired.end(), [this](int a, int b) { return before(m_rows.at(a), m_rows.at(b)); });

    // Dry run on positions: how many single moves would it take?
    QList<int> current(count);
    std::iota(current.begin(), current.end(), 0);
    int moves = 0;
    for (int i = 0; i < count && moves <= kMaxSingleMoves; ++i) {
        if (current.at(i) == desired.at(i))
            continue;
        const auto from = std::find(current.begin() + i + 1, current.end(), desired.at(i));
        current.move(int(from - current.begin()), i);
        ++moves;
    }
    if (moves == 0)
        return;
    if (moves > kMaxSingleMoves) {
        sort(m_sortColumn, m_sortOrder);
        return;
    }
    QList<QString> order;
    order.reserve(count);
    for (int row : std::as_const(desired))
        order.append(m_rows.at(row).info.id);
    for (int i = 0; i < count; ++i) {
        if (m_rows.at(i).info.id == order.at(i))
            continue;
        int from = i + 1;
        while (m_rows.at(from).info.id != order.at(i))
            ++from;
        beginMoveRows({}, from, from, {}, i);
        m_rows.move(from, i);
        endMoveRows();
    }
    reindex();
}

} // namespace agentdesk
