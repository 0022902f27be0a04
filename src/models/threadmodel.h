#pragma once

#include "domain/records.h"
#include "tablemodel.h"
#include "threadspending.h"

#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <optional>

namespace agentdesk {

class Session;
class ThreadLabels;
struct BudgetEvent;
struct ThreadBudget;
struct UsageEvent;

// Which threads the list shows. Every field narrows; empty fields do not.
struct ThreadFilter
{
    std::optional<ThreadStatus> status;
    QString agent; // took part (sent or received)
    bool isEmpty() const { return !status && agent.isEmpty(); }
    bool matches(const ThreadInfo &thread) const;
    bool operator==(const ThreadFilter &other) const = default;
};

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
class ThreadModel final : public TableModel
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
        StatusRole,       // ThreadStatus as int
        StatusColorRole,  // QColor
        ParticipantsRole, // QStringList
        BudgetPercentRole, // double, or invalid while the thread's budget limit is unknown
        WaitingOnRole,    // the paused agent an active thread waits on, or empty
        DescriptionRole,  // "3f9c2a1 (greeter: Alice)": how messages name the thread
    };
    Q_ENUM(Role)

    explicit ThreadModel(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ThreadModel)

    void setPageSize(int rows); // threads per fetch (default 200)
    int pageSize() const { return m_pageSize; }
    void setMaxLiveRows(int rows); // default 5000
    int maxLiveRows() const { return m_maxLiveRows; }
    // A paused agent that only looks paused (the original server's pause is a label): no thread is said
    // to wait on it.
    void setPauseHoldsWork(bool holds);

    void setFilter(const ThreadFilter &filter); // reloads
    ThreadFilter filter() const { return m_filter; }

    bool isFollowing() const { return m_following; }
    void setFollowing(bool following);
    bool isFrozen() const { return m_frozen; }
    void setFrozen(bool frozen);
    bool isHolding() const { return !m_following || m_frozen; }
    int pendingCount() const { return int(m_held.size()); } // new matching threads not shown yet

    bool isLoading() const { return m_loading; }
    qint64 totalCount() const { return m_total; }
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
    struct Row
    {
        ThreadInfo info;
        ThreadSpending spent;
        QString lastTo; // receiver of the newest message seen live
    };
    enum class Merge { Replace, Created, Update };

    void reload();
    void setLoading(bool loading);
    void setTotal(qint64 total);
    void scheduleRecount();
    void recount();
    void onMessages(const QList<MessageRecord> &batch);
    void onCreated(const QList<ThreadInfo> &created);
    void onUpdated(const QList<ThreadInfo> &updated);
    void onBudgetEvents(const QList<BudgetEvent> &events);
    void onBudgets();
    void onUsage(const QList<UsageEvent> &events);
    void onAgents(const QList<AgentInfo> &changed);
    void onLabels(const QStringList &threadIds);
    void resolveUnknown();
    void admit(const Row &row); // a thread that newly belongs to the list: shown at once or held
    void hold(const QList<Row> &rows);
    void release();             // the hold ended: held threads in, leavers out, order restored
    void insertRows(QList<Row> rows);
    void appendRows(const QList<Row> &rows);
    void removeRow(int row);
    void trimToLimit();
    void restoreOrder();
    void reindex();
    bool before(const Row &a, const Row &b) const; // the list's order
    void apply(Row &row, const MessageRecord &message) const;
    void merge(Row &row, const ThreadInfo &info, Merge merge) const;
    void emitChanges(const QList<Row> &before, const QList<int> &rows);
    void emitColumnChanged(int row, int column);
    Row newRow(const ThreadInfo &info, Merge merge) const;
    QVariant rawValue(const Row &row, int column) const;
    QVariant displayValue(const Row &row, int column) const;
    QString waitingOn(const Row &row) const;
    QString statusText(const Row &row) const;
    std::optional<double> percentOf(const Row &row) const;
    static QList<int> rolesFor(int column);

    Session *m_session;
    QPointer<ThreadLabels> m_labels;
    ThreadFilter m_filter;
    QList<Row> m_rows;
    QHash<QString, int> m_rowOf;
    QList<Row> m_held;                 // admitted while holding: shown when the hold ends, oldest first
    QHash<QString, Row> m_candidates;  // new threads that may match the agent filter once their messages come
    QHash<QString, qint64> m_usageWhileLoading; // tokens of the usage events that came during a reload
    QSet<QString> m_leaving;           // shown rows that stopped matching while holding
    bool m_orderStale = false;         // rows changed order while holding
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    int m_pageSize = 200;
    int m_maxLiveRows = 5000;
    bool m_pauseHolds = true;
    bool m_following = true;
    bool m_frozen = false;
    bool m_loading = false;
    bool m_fetching = false;
    bool m_hasMore = false;
    qint64 m_total = 0;
    quint64 m_generation = 0;
    QSet<QString> m_unknown;   // got messages or updates, not in the window: looked up once this turn ends
    QSet<QString> m_resolving; // looked up, answer pending
    bool m_resolveQueued = false;
    QTimer m_recount;
};

} // namespace agentdesk
