#pragma once

#include "domain/budgets.h"
#include "tablemodel.h"

#include <QList>

namespace agentdesk {

class Session;

// The agent and organism budgets (budgets: in organism.yaml, or set by an operator), the organism's
// first: what each has spent in its period, its limit in tokens or USD, the share used (drawn as a
// budget bar with the 75/90/95 % marks), what the calls in flight have reserved, the threads it holds
// and when its period ends. Rows keep their place while the set of budgets stays; values change in
// place with coalesced dataChanged.
class ScopeBudgetModel final : public TableModel
{
    Q_OBJECT
public:
    enum Column {
        ScopeColumn,
        PeriodColumn,
        UsedColumn,
        LimitColumn,
        PercentColumn,
        ReservedColumn,
        HeldColumn,
        PeriodEndColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        RawValueRole = TableModel::RawValueRole, // the column's value unformatted (sort and export on this)
        ScopeRole,                               // "organism" or "agent:NAME"
        PercentRole,                             // double, 0..100+
        ExhaustedRole, // bool: its calls are held until it is raised, reset or a new period begins
        SeverityRole,  // "", "warning", "critical", "final" or "exhausted"
    };
    Q_ENUM(Role)

    explicit ScopeBudgetModel(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ScopeBudgetModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    ScopeBudget budget(int row) const;
    int rowOf(const QString &scope) const; // -1 when none

    // How the window names a budget and its amounts ("Organism", "Agent writer"; "12,345 tokens", "$4.20").
    static QString scopeText(const ScopeBudget &budget);
    static QString amountText(const ScopeBudget &budget, double value);
    static QString periodText(BudgetPeriod period);
    static QString severity(const ScopeBudget &budget);

protected:
    QString columnTitle(int column) const override;
    QHash<int, QByteArray> extraRoleNames() const override;

private:
    void reload();
    void refresh();
    static QVariant rawValue(const ScopeBudget &budget, int column);
    QVariant display(const ScopeBudget &budget, int column) const;

    Session *m_session;
    QList<ScopeBudget> m_rows;
};

} // namespace agentdesk
