#pragma once

#include "domain/records.h"
#include "tablemodel.h"
#include "threadfilter.h"
#include "threadhold.h"
#include "threadliveupdates.h"
#include "threadloader.h"
#include "threadrows.h"

#include <QHash>
#include <QList>
#include <QPointer>

#include <optional>

namespace agentdesk {

class CellChanges;
class Session;
class ThreadLabels;

// Conversations, most recent activity first (or by a column, sort()), kept live from the session's
// batches, over a history that may hold millions of threads.
//
// - It holds a window: the first page of matching threads, more through fetchMore (offset paging, as the
//   API has it), and at most maxLiveRows() while live threads keep arriving (the least recent drop out and
//   can be fetched again). totalCount() is what the history holds for the filter: the store's count plus
//   what arrived since (exact without a filter; with one it is counted again from the store, at most every
//   few seconds, when live changes may have moved it).
// - Filters are store queries, as on the message log: a proxy over the window would count only what is
//   loaded and show a rare agent's threads as absent.
// - Follow or hold, as the message log: following, new threads are inserted at the top (one insert per
//   batch) and rows that became more recent move up, each by one beginMoveRows, so views keep selection
//   and scroll position exactly. Held (setFollowing(false)) or frozen for a moment (setFrozen(true): the
//   pointer is on the list, a click must hit the row it aims at), no row moves: new threads wait
//   (pendingCount()), cells still update in place, and rows that stopped matching the filter stay until
//   the hold ends.
// - Every row has its short id and label (ThreadLabels, looked up for the rows a view shows) and, for an
//   active thread whose last message went to a paused agent, the agent it waits on.
//
// Counting rule: a thread's messages are counted from messagesRecorded. A thread from threadsCreated
// starts empty because its messages follow in the batch after it (the organism emits them in one tick);
// snapshots from threadsUpdated never lower a count; pages and single-thread answers replace the row.
//
// The model is the views' face of four parts: ThreadRows (the ordered window), ThreadHold (follow, hold,
// freeze), ThreadLoader (pages, totals) and ThreadLiveUpdates (the session's batches); it says how each
// cell looks and which cells changed.
class ThreadModel final : public TableModel, private ThreadRows::Observer
{
    Q_OBJECT
public:
    // What tells threads apart and how they are doing first; the rest further right.
    enum Column {
        IdColumn,
        LabelColumn,
        StatusColumn,
        MessagesColumn,
        LastActivityColumn,
        BudgetColumn,
        ParticipantsColumn,
        CreatedColumn,
        ErrorColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        RawValueRole = TableModel::RawValueRole, // the column's value unformatted (sort on this)
        ThreadIdRole,
        StatusRole,        // ThreadStatus as int
        StatusColorRole,   // QColor
        ParticipantsRole,  // QStringList
        BudgetPercentRole, // double, or invalid while the thread's budget limit is unknown
        WaitingOnRole,     // the paused agent an active thread waits on, or empty
        DescriptionRole,   // "3f9c2a1 (greeter: Alice)": how messages name the thread
    };
    Q_ENUM(Role)

    explicit ThreadModel(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ThreadModel)

    void setPageSize(int rows); // threads per fetch (default 200)
    int pageSize() const { return m_loader.pageSize(); }
    void setMaxLiveRows(int rows); // default 5000
    int maxLiveRows() const { return m_rows.limit(); }
    // A paused agent that only looks paused (the original server's pause is a label): no thread is said
    // to wait on it.
    void setPauseHoldsWork(bool holds);

    void setFilter(const ThreadFilter &filter); // reloads
    ThreadFilter filter() const { return m_loader.filter(); }

    bool isFollowing() const { return m_hold.isFollowing(); }
    void setFollowing(bool following);
    bool isFrozen() const { return m_hold.isFrozen(); }
    void setFrozen(bool frozen);
    bool isHolding() const { return m_hold.isHolding(); }
    int pendingCount() const { return m_hold.pendingCount(); } // new matching threads not shown yet

    bool isLoading() const { return m_loader.isLoading(); }
    qint64 totalCount() const { return m_loader.total(); }
    int rowOf(const QString &threadId) const; // -1 when not in the window
    ThreadInfo thread(int row) const;
    QString waitingOn(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override; // column < 0: most recent first

signals:
    void loadingChanged(bool loading);
    void totalCountChanged(qint64 total);
    void followingChanged(bool following);
    void pendingCountChanged(int count);

protected:
    QString columnTitle(int column) const override;
    QHash<int, QByteArray> extraRoleNames() const override;

private:
    using Row = ThreadRow;

    void reload();
    void onAgents(const QList<AgentInfo> &changed);
    void onLabels(const QStringList &threadIds);
    void emitChanges(const QList<Row> &before, const QList<int> &rows);
    void emitCellChanges(const CellChanges &cells);
    QVariant rawValue(const Row &row, int column) const;
    QVariant displayValue(const Row &row, int column) const;
    QString waitingOn(const Row &row) const;
    QString statusText(const Row &row) const;
    std::optional<double> percentOf(const Row &row) const;
    static QList<int> rolesFor(int column);

    // ThreadRows::Observer: the store's changes of structure, as this model's signals.
    void beginInsert(int first, int last) override;
    void endInsert() override;
    void beginRemove(int first, int last) override;
    void endRemove() override;
    void beginMove(int from, int to) override;
    void endMove() override;
    void beginReorder() override;
    void endReorder(const QList<int> &newRowOf) override;

    Session *m_session;
    QPointer<ThreadLabels> m_labels;
    bool m_pauseHolds = true;
    ThreadRows m_rows;
    ThreadHold m_hold;
    ThreadLoader m_loader;
    ThreadLiveUpdates m_live;
};

} // namespace agentdesk
