#pragma once

#include "domain/queries.h"
#include "threadrows.h"

#include <QAbstractListModel>
#include <QList>
#include <QStringList>

namespace agentdesk::test {

// The smallest model over a ThreadRows store: one column of thread ids, every change of structure passed
// on as the model's signals, so a test runs the store under QAbstractItemModelTester and sees what a view
// would see (rowsMoved, layoutChanged, persistent indexes following their rows).
class ThreadRowsView final : public QAbstractListModel, private ThreadRows::Observer
{
public:
    // Sorting on a column: 0 is the message count, 1 the error text (null while there is none).
    static QVariant sortKey(const ThreadRow &row, int column)
    {
        if (column == 0)
            return row.info.messageCount;
        return row.info.error.isEmpty() ? QVariant() : QVariant(row.info.error);
    }

    ThreadRowsView()
        : rows(*this, &ThreadRowsView::sortKey)
    { }

    ThreadRows rows;

    void clearRows() // as the model's reload does it
    {
        beginResetModel();
        rows.clear();
        endResetModel();
    }

    QStringList ids() const
    {
        QStringList out;
        for (int row = 0; row < rowCount(); ++row)
            out << index(row).data().toString();
        return out;
    }
    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(rows.size()); }
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid) || role != Qt::DisplayRole)
            return {};
        return rows.at(index.row()).info.id;
    }

private:
    void beginInsert(int first, int last) override { beginInsertRows({}, first, last); }
    void endInsert() override { endInsertRows(); }
    void beginRemove(int first, int last) override { beginRemoveRows({}, first, last); }
    void endRemove() override { endRemoveRows(); }
    void beginMove(int from, int to) override { beginMoveRows({}, from, from, {}, to); }
    void endMove() override { endMoveRows(); }
    void beginReorder() override { emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint); }
    void endReorder(const QList<int> &newRowOf) override
    {
        const QModelIndexList from = persistentIndexList();
        QModelIndexList to;
        for (const QModelIndex &index : from)
            to.append(this->index(newRowOf.at(index.row())));
        changePersistentIndexList(from, to);
        emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    }
};

// A thread last active at `minute` past noon (created half a minute before), with `messages` messages.
inline ThreadRow threadRow(const QString &id, int minute, qint64 messages = 1)
{
    ThreadInfo info;
    info.id = id;
    info.lastActivity = QDateTime(QDate(2026, 2, 10), QTime(12, 0), Qt::UTC).addSecs(minute * 60);
    info.createdAt = info.lastActivity.addSecs(-30);
    info.messageCount = messages;
    info.participants = {QStringLiteral("api"), QStringLiteral("greeter")};
    return ThreadRow::from(info, ThreadRow::Merge::Replace);
}

// A page of the store's answer holding these rows' threads.
inline ThreadPage threadPage(const QList<ThreadRow> &rows, qint64 total, qint64 offset = 0)
{
    ThreadPage page;
    for (const ThreadRow &row : rows)
        page.items.append(row.info);
    page.total = total;
    page.offset = offset;
    return page;
}

} // namespace agentdesk::test
