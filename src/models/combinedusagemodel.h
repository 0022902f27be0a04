#pragma once

#include "domain/historybilling.h"
#include "domain/usagecounters.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QPointer>
#include <QTimer>

namespace agentdesk {

class OrganismDirectoryModel;
class Session;

// What every organism the window lists has spent, one row each in the directory's order and a totals
// row at the end. A live organism's figures are its session's usage counters (since its last reset),
// updated on usageChanged; an organism known only from a shared history is read from the billing of a
// session that shares that history (everything it recorded, read again every kRefresh), which has no
// cache or reasoning split: those cells stay empty. The Source column says which, and how fresh.
class CombinedUsageModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        OrganismColumn,
        SourceColumn,
        TokensColumn,
        PromptColumn,
        CompletionColumn,
        CachedColumn,
        CacheWriteColumn,
        ReasoningColumn,
        RequestsColumn,
        CostColumn,
        UnpricedColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        RawValueRole = Qt::UserRole, // the column's value unformatted (CSV, sorting); invalid when unknown
        CountersRole,                // UsageCounters of the row (what the cost display reads)
        TotalRowRole,                // bool
    };
    Q_ENUM(Role)

    explicit CombinedUsageModel(OrganismDirectoryModel *directory, QObject *parent = nullptr);

    // Reads the shared histories' billing now (also every kRefresh while history-only rows are listed).
    void refreshBilling();
    UsageCounters countersAt(int row) const; // the totals for the last row
    bool hasFigures(int row) const;          // false: nothing known (a connection that is gone)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    enum class Source { Live, History, None };

    Source sourceOf(int row) const;
    const OrganismBilling *billingOf(int row) const;
    QString sourceText(int row) const;
    QVariant rawValue(int row, int column) const;
    void watchSessions();
    void emitAllChanged();
    void emitTotalsChanged();

    QPointer<OrganismDirectoryModel> m_directory;
    QHash<const Session *, HistoryBilling> m_billing; // by the session it was read through
    QHash<const Session *, QMetaObject::Connection> m_usageConnections;
    QTimer m_refresh;
};

} // namespace agentdesk

Q_DECLARE_METATYPE(agentdesk::UsageCounters)
