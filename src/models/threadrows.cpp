#include "threadrows.h"

#include <algorithm>
#include <numeric>

namespace agentdesk {

namespace {

// Beyond this many single moves, one layout change is cheaper for every view.
constexpr int kMaxSingleMoves = 64;

} // namespace

ThreadRows::ThreadRows(Observer &observer, SortKey sortKey)
    : m_observer(observer)
    , m_sortKey(std::move(sortKey))
{ }

void ThreadRows::setLimit(int rows)
{
    m_limit = std::max(1, rows);
}

bool ThreadRows::before(const ThreadRow &a, const ThreadRow &b) const
{
    if (m_sortColumn >= 0) {
        const QVariant left = m_sortKey(a, m_sortColumn);
        const QVariant right = m_sortKey(b, m_sortColumn);
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
    return ThreadRow::moreRecent(a, b);
}

void ThreadRows::sort(int column, Qt::SortOrder order)
{
    m_sortColumn = std::max(column, -1);
    m_sortOrder = order;
    if (m_rows.isEmpty())
        return;
    // A new order for everything: one layout change, as a sorting proxy does.
    QList<int> sorted(m_rows.size());
    std::iota(sorted.begin(), sorted.end(), 0);
    std::stable_sort(sorted.begin(), sorted.end(), [this](int a, int b) { return before(m_rows.at(a), m_rows.at(b)); });
    m_observer.beginReorder();
    QList<int> newRowOf(sorted.size());
    QList<ThreadRow> rows;
    rows.reserve(m_rows.size());
    for (int row = 0; row < sorted.size(); ++row) {
        newRowOf[sorted.at(row)] = row;
        rows.append(m_rows.at(sorted.at(row)));
    }
    m_rows = std::move(rows);
    reindex();
    m_observer.endReorder(newRowOf);
}

void ThreadRows::clear()
{
    m_rows.clear();
    m_rowOf.clear();
    m_hasMore = false;
}

void ThreadRows::reindex()
{
    m_rowOf.clear();
    m_rowOf.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowOf.insert(m_rows.at(row).info.id, row);
}

// In the default order the top is where new rows belong; a column sort moves them after.
void ThreadRows::insert(QList<ThreadRow> rows)
{
    if (rows.isEmpty())
        return;
    std::stable_sort(rows.begin(), rows.end(), [this](const ThreadRow &a, const ThreadRow &b) { return before(a, b); });
    m_observer.beginInsert(0, int(rows.size()) - 1);
    m_rows = rows + m_rows;
    reindex();
    m_observer.endInsert();
    restoreOrder();
}

void ThreadRows::append(const QList<ThreadRow> &rows)
{
    if (rows.isEmpty())
        return;
    const int first = int(m_rows.size());
    m_observer.beginInsert(first, first + int(rows.size()) - 1);
    m_rows.append(rows);
    reindex();
    m_observer.endInsert();
}

void ThreadRows::removeAt(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    m_observer.beginRemove(row, row);
    m_rows.removeAt(row);
    reindex();
    m_observer.endRemove();
}

void ThreadRows::trim()
{
    if (m_rows.size() <= m_limit)
        return;
    m_observer.beginRemove(m_limit, int(m_rows.size()) - 1);
    m_rows.resize(m_limit);
    reindex();
    m_observer.endRemove();
    m_hasMore = true;
}

// Rows that became more recent move up, each with its own move: a view keeps its selection, its current
// row and what is under the pointer exactly, and repaints only what moved. A wholesale reorder (more
// than a few dozen moves) is one layout change instead.
void ThreadRows::restoreOrder()
{
    const int count = int(m_rows.size());
    QList<int> desired(count);
    std::iota(desired.begin(), desired.end(), 0);
    std::stable_sort(desired.begin(), desired.end(),
                     [this](int a, int b) { return before(m_rows.at(a), m_rows.at(b)); });

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
        m_observer.beginMove(from, i);
        m_rows.move(from, i);
        m_observer.endMove();
    }
    reindex();
}

} // namespace agentdesk
