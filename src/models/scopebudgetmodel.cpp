#include "scopebudgetmodel.h"

#include "budgetmodel.h"
#include "cellchanges.h"
#include "modelformat.h"

#include "session.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QStringList scopesOf(const QList<ScopeBudget> &budgets)
{
    QStringList scopes;
    for (const ScopeBudget &budget : budgets)
        scopes.append(budget.scope);
    return scopes;
}

} // namespace

ScopeBudgetModel::ScopeBudgetModel(Session *session, QObject *parent)
    : TableModel(ColumnCount, parent)
    , m_session(session)
{
    connect(session, &Session::stateChanged, this, [this](Session::State state) {
        if (state == Session::State::Connected)
            reload();
    });
    connect(session, &Session::scopeBudgetsChanged, this, &ScopeBudgetModel::refresh);
    if (session->isConnected())
        reload();
}

int ScopeBudgetModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

ScopeBudget ScopeBudgetModel::budget(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : ScopeBudget();
}

int ScopeBudgetModel::rowOf(const QString &scope) const
{
    return int(scopesOf(m_rows).indexOf(scope));
}

QString ScopeBudgetModel::scopeText(const ScopeBudget &budget)
{
    return budget.agent.isEmpty() ? tr("Organism") : tr("Agent %1").arg(budget.agent);
}

QString ScopeBudgetModel::amountText(const ScopeBudget &budget, double value)
{
    return budget.isCost() ? u"$"_s + QLocale().toString(value, 'f', 2)
                           : tr("%1 tokens").arg(modelformat::count(qint64(std::llround(value))));
}

QString ScopeBudgetModel::periodText(BudgetPeriod period)
{
    switch (period) {
    case BudgetPeriod::Day:
        return tr("day (UTC)");
    case BudgetPeriod::Month:
        return tr("month (UTC)");
    case BudgetPeriod::Total:
        break;
    }
    return tr("total");
}

QString ScopeBudgetModel::severity(const ScopeBudget &budget)
{
    if (budget.isExhausted())
        return u"exhausted"_s;
    const double percent = budget.percentUsed();
    if (percent >= BudgetModel::FinalPercent)
        return u"final"_s;
    if (percent >= BudgetModel::CriticalPercent)
        return u"critical"_s;
    return percent >= BudgetModel::WarningPercent ? u"warning"_s : QString();
}

QVariant ScopeBudgetModel::rawValue(const ScopeBudget &budget, int column)
{
    switch (column) {
    case ScopeColumn:
        return budget.scope;
    case PeriodColumn:
        return toString(budget.period);
    case UsedColumn:
        return budget.used();
    case LimitColumn:
        return budget.limit();
    case PercentColumn:
        return budget.percentUsed();
    case ReservedColumn:
        return budget.reserved;
    case HeldColumn:
        return budget.heldThreads;
    case PeriodEndColumn:
        return budget.periodEnd;
    default:
        return {};
    }
}

QVariant ScopeBudgetModel::display(const ScopeBudget &budget, int column) const
{
    switch (column) {
    case ScopeColumn:
        return scopeText(budget);
    case PeriodColumn:
        return periodText(budget.period);
    case UsedColumn:
        return amountText(budget, budget.used());
    case LimitColumn:
        return amountText(budget, budget.limit());
    case PercentColumn:
        return modelformat::percent(budget.percentUsed());
    case ReservedColumn:
        return budget.reserved > 0 ? amountText(budget, budget.reserved) : QString();
    case HeldColumn:
        return budget.heldThreads > 0 ? tr("%n thread(s)", nullptr, budget.heldThreads) : QString();
    case PeriodEndColumn:
        return budget.periodEnd.isValid() ? modelformat::timestamp(budget.periodEnd) : tr("never");
    default:
        return {};
    }
}

QVariant ScopeBudgetModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ScopeBudget &budget = m_rows.at(index.row());
    const int column = index.column();
    const bool percentCell = column == PercentColumn;
    switch (role) {
    case Qt::DisplayRole:
        return display(budget, column);
    case RawValueRole:
        return rawValue(budget, column);
    case ScopeRole:
        return budget.scope;
    case Qt::ToolTipRole:
        if (column == UsedColumn && budget.isCost() && budget.unpricedRequests > 0)
            return tr("%n call(s) of models without a price count as $0 here", nullptr, int(budget.unpricedRequests));
        if (column == PeriodColumn && budget.periodStart.isValid())
            return tr("Counting since %1").arg(modelformat::timestamp(budget.periodStart));
        return {};
    case Qt::TextAlignmentRole:
        return column == UsedColumn || column == LimitColumn || column == PercentColumn || column == ReservedColumn
            ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
            : QVariant();
    case PercentRole:
        return percentCell ? QVariant(budget.percentUsed()) : QVariant();
    case ExhaustedRole:
        return percentCell ? QVariant(budget.isExhausted()) : QVariant();
    case SeverityRole:
        return percentCell ? QVariant(severity(budget)) : QVariant();
    default:
        return {};
    }
}

QString ScopeBudgetModel::columnTitle(int column) const
{
    switch (column) {
    case ScopeColumn:
        return tr("Budget");
    case PeriodColumn:
        return tr("Period");
    case UsedColumn:
        return tr("Used");
    case LimitColumn:
        return tr("Limit");
    case PercentColumn:
        return tr("Used %");
    case ReservedColumn:
        return tr("Reserved");
    case HeldColumn:
        return tr("Holding");
    case PeriodEndColumn:
        return tr("Starts again");
    default:
        return {};
    }
}

QHash<int, QByteArray> ScopeBudgetModel::extraRoleNames() const
{
    QHash<int, QByteArray> names;
    names.insert(ScopeRole, "scope");
    names.insert(PercentRole, "percent");
    names.insert(ExhaustedRole, "exhausted");
    names.insert(SeverityRole, "severity");
    return names;
}

void ScopeBudgetModel::reload()
{
    beginResetModel();
    m_rows = m_session->scopeBudgets();
    endResetModel();
}

// A few rows that rarely come or go (a reload, an operator's new budget): a different set resets the
// model, the same set changes in place.
void ScopeBudgetModel::refresh()
{
    const QList<ScopeBudget> next = m_session->scopeBudgets();
    if (scopesOf(next) != scopesOf(m_rows)) {
        reload();
        return;
    }
    CellChanges cells;
    for (int row = 0; row < m_rows.size(); ++row) {
        const ScopeBudget &was = m_rows.at(row);
        const ScopeBudget &is = next.at(row);
        const bool unitChanged = was.isCost() != is.isCost(); // the same number, now in USD (or tokens)
        for (int column = 0; column < ColumnCount; ++column) {
            if (unitChanged || rawValue(was, column) != rawValue(is, column)
                || (column == UsedColumn && was.unpricedRequests != is.unpricedRequests)
                || (column == PeriodColumn && was.periodStart != is.periodStart))
                cells.add(row, column,
                          {Qt::DisplayRole, RawValueRole, Qt::ToolTipRole, PercentRole, ExhaustedRole, SeverityRole});
        }
    }
    m_rows = next;
    for (const CellChanges::Range &range : cells.ranges())
        emit dataChanged(index(range.firstRow, range.firstColumn), index(range.lastRow, range.lastColumn), range.roles);
}

} // namespace agentdesk
