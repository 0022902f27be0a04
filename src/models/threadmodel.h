#pragma once

#include "domain/records.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>

#include <optional>

namespace agentdesk {

class Session;
struct BudgetEvent;

// Conversations, most recent activity first, kept live from the session's batches: new threads are
// inserted at the top (one beginInsertRows per batch), status changes and message counts update cells
// (coalesced dataChanged), and threads that become more recent move up in one layout change per batch.
//
// It holds a window: the first page of threads on connect, more through fetchMore, and at most
// maxLiveRows() while live threads keep arriving (the least recent drop out and can be fetched again).
//
// Counting rule: a thread's messages are counted from messagesRecorded. A thread from threadsCreated
// starts empty because its messages follow in the batch after it (the organism emits them in one tick);
// snapshots from threadsUpdated never lower a count; pages and single-thread answers replace the row.
class ThreadModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        StatusColumn,
        ParticipantsColumn,
        MessagesColumn,
        CreatedColumn,
        LastActivityColumn,
        ErrorColumn,
        BudgetColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        RawValueRole = Qt::UserRole, // the column's value unformatted (sort on this)
        ThreadIdRole,
        StatusRole,       // ThreadStatus as int
        StatusColorRole,  // QColor
        ParticipantsRole, // QStringList
        BudgetPercentRole // double, or invalid when the thread never had a budget
    };
    Q_ENUM(Role)

    explicit ThreadModel(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ThreadModel)

    void setPageSize(int rows); // threads per fetch (default 200)
    int pageSize() const { return m_pageSize; }
    void setMaxLiveRows(int rows); // default 5000
    int maxLiveRows() const { return m_maxLiveRows; }
    bool isLoading() const { return m_loading; }
    int rowOf(const QString &threadId) const; // -1 when not in the window
    ThreadInfo thread(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void loadingChanged(bool loading);

private:
    struct Row
    {
        ThreadInfo info;
        std::optional<double> budgetPercent;
    };
    enum class Merge { Replace, Created, Update };

    void reload();
    void setLoading(bool loading);
    void onMessages(const QList<MessageRecord> &batch);
    void onThreads(const QList<ThreadInfo> &threads, Merge merge);
    void onBudgetEvents(const QList<BudgetEvent> &events);
    void onBudgets();
    void resolveUnknown();
    void insertAtTop(QList<Row> rows);
    void appendRows(const QList<Row> &rows);
    void trimToLimit();
    void restoreOrder();
    void reindex();
    void merge(Row &row, const ThreadInfo &info, Merge merge) const;
    void emitChanges(const QList<Row> &before, const QList<int> &rows);
    Row newRow(const ThreadInfo &info, Merge merge) const;
    QVariant rawValue(const Row &row, int column) const;
    QVariant displayValue(const Row &row, int column) const;
    static QList<int> rolesFor(int column);

    Session *m_session;
    QList<Row> m_rows;
    QHash<QString, int> m_rowOf;
    int m_pageSize = 200;
    int m_maxLiveRows = 5000;
    bool m_loading = false;
    bool m_fetching = false;
    bool m_hasMore = false;
    quint64 m_generation = 0;
    QSet<QString> m_unknown;   // got messages, not in the window: looked up once this turn ends
    QSet<QString> m_resolving; // looked up, answer pending
    bool m_resolveQueued = false;
};

} // namespace agentdesk
