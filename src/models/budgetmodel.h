#pragma once

#include "domain/budgets.h"
#include "tablemodel.h"

#include <QPointer>
#include <QHash>
#include <QList>

namespace agentdesk {

class Session;
class ThreadLabels;

// The per-thread token budgets (threads that are running and metered), from the session's budget
// snapshot. Rows keep their place: new budgets are appended in one insert, ended ones removed, changed
// ones reported as coalesced dataChanged. Sort hottest first with a proxy on PercentColumn's raw value.
class BudgetModel final : public TableModel
{
    Q_OBJECT
public:
    enum Column { ThreadColumn, UsedColumn, MaxColumn, PercentColumn, ExhaustedColumn, ColumnCount };
    Q_ENUM(Column)
    enum Role {
        RawValueRole = TableModel::RawValueRole, // the column's value unformatted (sort on this)
        ThreadIdRole,
        PercentRole,         // double, 0..100+
        WarningReachedRole,  // bool: at or past the 75 % mark
        CriticalReachedRole, // bool: at or past the 90 % mark
        FinalReachedRole,    // bool: at or past the 95 % mark
        SeverityRole,        // "", "warning", "critical", "final" or "exhausted"
        ThresholdsRole,      // QVariantList {75, 90, 95}: where a bar draws its marks
        ExhaustedRole,       // bool: the thread is held until its budget is raised
    };
    Q_ENUM(Role)

    static constexpr int WarningPercent = 75;
    static constexpr int CriticalPercent = 90;
    static constexpr int FinalPercent = 95;
    static QString severity(const ThreadBudget &budget);

    explicit BudgetModel(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(BudgetModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    ThreadBudget budget(int row) const;
    int rowOf(const QString &threadId) const; // -1 when none

protected:
    QString columnTitle(int column) const override;
    QHash<int, QByteArray> extraRoleNames() const override;

private:
    void reload();
    void refresh();
    void reindex();
    static QVariant rawValue(const ThreadBudget &budget, int column);
    static QList<int> rolesFor(int column);

    Session *m_session;
    QPointer<ThreadLabels> m_labels;
    QList<ThreadBudget> m_rows;
    QHash<QString, int> m_rowOf;
};

} // namespace agentdesk
