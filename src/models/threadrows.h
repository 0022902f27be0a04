#pragma once

#include "threadrow.h"

#include <QHash>
#include <QList>
#include <QVariant>

#include <functional>

namespace agentdesk {

// The thread list's window as an ordered store: the rows in the list's order (most recent activity
// first, or by a column), found by thread id, at most limit() of them while live threads keep arriving.
// Every change of structure is told to the model that shows the rows (Observer) as QAbstractItemModel
// wants it: new rows go in with one insert, rows that moved go up with one move each (views keep their
// selection, current row and what is under the pointer exactly), a wholesale reorder is one layout change.
class ThreadRows
{
public:
    class Observer
    {
    public:
        virtual ~Observer() = default;
        virtual void beginInsert(int first, int last) = 0;
        virtual void endInsert() = 0;
        virtual void beginRemove(int first, int last) = 0;
        virtual void endRemove() = 0;
        virtual void beginMove(int from, int to) = 0; // to: the destination row, as beginMoveRows
        virtual void endMove() = 0;
        virtual void beginReorder() = 0;
        // newRowOf[oldRow]: where each row went (for the persistent indexes).
        virtual void endReorder(const QList<int> &newRowOf) = 0;
    };
    // A column's value to sort on (the model's raw value); null sorts last either way.
    using SortKey = std::function<QVariant(const ThreadRow &row, int column)>;

    ThreadRows(Observer &observer, SortKey sortKey);
    Q_DISABLE_COPY_MOVE(ThreadRows)

    qsizetype size() const { return m_rows.size(); }
    bool isEmpty() const { return m_rows.isEmpty(); }
    const ThreadRow &at(int row) const { return m_rows.at(row); }
    // In place, for what does not change the order (the caller restores it after, or marks it stale).
    ThreadRow &edit(int row) { return m_rows[row]; }
    int rowOf(const QString &threadId) const { return m_rowOf.value(threadId, -1); }
    bool contains(const QString &threadId) const { return m_rowOf.contains(threadId); }

    void setLimit(int rows); // at least one; takes effect at the next trim()
    int limit() const { return m_limit; }
    // The store holds threads (matching the filter) that are not in the window: dropped by trim(), never
    // fetched, or held back beyond the limit.
    bool hasMore() const { return m_hasMore; }
    void setHasMore(bool hasMore) { m_hasMore = hasMore; }

    // Column < 0: most recent first. One layout change when there are rows.
    void sort(int column, Qt::SortOrder order);
    int sortColumn() const { return m_sortColumn; }
    bool before(const ThreadRow &a, const ThreadRow &b) const; // the list's order

    // Not told to the observer: the caller resets its model around it. Forgets hasMore too.
    void clear();
    // New rows on top in one insert, then each moved to its place if a column sort says otherwise.
    void insert(QList<ThreadRow> rows);
    void append(const QList<ThreadRow> &rows); // a further page: below the others, as they come
    void removeAt(int row);
    void trim();         // beyond limit(): the least recent drop out (and hasMore)
    void restoreOrder(); // rows that changed order move to their place

private:
    void reindex();

    Observer &m_observer;
    SortKey m_sortKey;
    QList<ThreadRow> m_rows;
    QHash<QString, int> m_rowOf;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    int m_limit = 5000;
    bool m_hasMore = false;
};

} // namespace agentdesk
