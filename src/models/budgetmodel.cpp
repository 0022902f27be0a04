#include "budgetmodel.h"

#include "threadlabels.h"

#include "cellchanges.h"
#include "modelformat.h"

#include "session.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace agentdesk {

QString BudgetModel::severity(const ThreadBudget &budget)
{
    if (budget.isExhausted())
        return u"exhausted"_s;
    const double percent = budget.percentUsed();
    if (percent >= FinalPercent)
        return u"final"_s;
    if (percent >= CriticalPercent)
        return u"critical"_s;
    if (percent >= WarningPercent)
        return u"warning"_s;
    return {};
}

BudgetModel::BudgetModel(Session *session, QObject *parent)
    : TableModel(ColumnCount, parent)
    , m_session(session)
    , m_labels(ThreadLabels::forSession(session))
{
    connect(session, &Session::stateChanged, this, [this](Session::State state) {
        if (state == Session::State::Connected)
            reload();
    });
    connect(session, &Session::budgetsChanged, this, &BudgetModel::refresh);
    connect(m_labels, &ThreadLabels::labelsChanged, this, [this](const QStringList &threadIds) {
        for (const QString &id : threadIds) {
            const int row = rowOf(id);
            if (row >= 0)
                emit dataChanged(index(row, ThreadColumn), index(row, ThreadColumn), {Qt::DisplayRole});
        }
    });
    if (session->isConnected())
        reload();
}

int BudgetModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

ThreadBudget BudgetModel::budget(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : ThreadBudget();
}

int BudgetModel::rowOf(const QString &threadId) const
{
    return m_rowOf.value(threadId, -1);
}

QVariant BudgetModel::rawValue(const ThreadBudget &budget, int column)
{
    switch (column) {
    case ThreadColumn:
        return budget.threadId;
    case UsedColumn:
        return budget.totalTokens();
    case MaxColumn:
        return budget.maxTokens;
    case PercentColumn:
        return budget.percentUsed();
    case ExhaustedColumn:
        return budget.isExhausted();
    default:
        return {};
    }
}

QList<int> BudgetModel::rolesFor(int column)
{
    switch (column) {
    case PercentColumn:
        return {Qt::DisplayRole,     RawValueRole,     PercentRole, WarningReachedRole,
                CriticalReachedRole, FinalReachedRole, SeverityRole};
    case ExhaustedColumn:
        return {Qt::DisplayRole, RawValueRole, ExhaustedRole};
    default:
        return {Qt::DisplayRole, RawValueRole};
    }
}

QVariant BudgetModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ThreadBudget &budget = m_rows.at(index.row());
    const int column = index.column();
    const bool percentCell = column == PercentColumn;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case ThreadColumn: // short id and label, as everywhere threads are named
            if (m_labels) {
                m_labels->request(budget.threadId);
                return m_labels->describe(budget.threadId);
            }
            return ThreadLabels::shortId(budget.threadId);
        case UsedColumn:
            return modelformat::count(budget.totalTokens());
        case MaxColumn:
            return modelformat::count(budget.maxTokens);
        case PercentColumn:
            return modelformat::percent(budget.percentUsed());
        case ExhaustedColumn:
            return budget.isExhausted() ? tr("exhausted") : QString();
        default:
            return {};
        }
    case RawValueRole:
        return rawValue(budget, column);
    case ThreadIdRole:
        return budget.threadId;
    case Qt::ToolTipRole:
        return column == ThreadColumn ? QVariant(budget.threadId) : QVariant();
    case Qt::TextAlignmentRole:
        return column == UsedColumn || column == MaxColumn || column == PercentColumn
            ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
            : QVariant();
    case PercentRole:
        return percentCell ? QVariant(budget.percentUsed()) : QVariant();
    case WarningReachedRole:
        return percentCell ? QVariant(budget.percentUsed() >= WarningPercent) : QVariant();
    case CriticalReachedRole:
        return percentCell ? QVariant(budget.percentUsed() >= CriticalPercent) : QVariant();
    case FinalReachedRole:
        return percentCell ? QVariant(budget.percentUsed() >= FinalPercent) : QVariant();
    case SeverityRole:
        return percentCell ? QVariant(severity(budget)) : QVariant();
    case ThresholdsRole:
        return percentCell ? QVariant(QVariantList{WarningPercent, CriticalPercent, FinalPercent}) : QVariant();
    case ExhaustedRole:
        return column == ExhaustedColumn ? QVariant(budget.isExhausted()) : QVariant();
    default:
        return {};
    }
}

QString BudgetModel::columnTitle(int column) const
{
    switch (column) {
    case ThreadColumn:
        return tr("Thread");
    case UsedColumn:
        return tr("Used");
    case MaxColumn:
        return tr("Budget");
    case PercentColumn:
        return tr("Used %");
    case ExhaustedColumn:
        return tr("Held");
    default:
        return {};
    }
}

QHash<int, QByteArray> BudgetModel::extraRoleNames() const
{
    QHash<int, QByteArray> names;
    names.insert(ThreadIdRole, "threadId");
    names.insert(PercentRole, "percent");
    names.insert(WarningReachedRole, "warningReached");
    names.insert(CriticalReachedRole, "criticalReached");
    names.insert(FinalReachedRole, "finalReached");
    names.insert(SeverityRole, "severity");
    names.insert(ThresholdsRole, "thresholds");
    names.insert(ExhaustedRole, "exhausted");
    return names;
}

void BudgetModel::reindex()
{
    m_rowOf.clear();
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowOf.insert(m_rows.at(row).threadId, row);
}

void BudgetModel::reload()
{
    beginResetModel();
    m_rows = m_session->budgets();
    reindex();
    endResetModel();
}

void BudgetModel::refresh()
{
    const QList<ThreadBudget> next = m_session->budgets();
    QHash<QString, ThreadBudget> byThread;
    for (const ThreadBudget &budget : next)
        byThread.insert(budget.threadId, budget);

    // Ended budgets go first, one removal per run of consecutive rows, from the bottom up.
    for (int last = int(m_rows.size()) - 1; last >= 0;) {
        if (byThread.contains(m_rows.at(last).threadId)) {
            --last;
            continue;
        }
        int first = last;
        while (first > 0 && !byThread.contains(m_rows.at(first - 1).threadId))
            --first;
        beginRemoveRows({}, first, last);
        m_rows.remove(first, last - first + 1);
        endRemoveRows();
        last = first - 1;
    }
    reindex();

    CellChanges cells;
    for (int row = 0; row < m_rows.size(); ++row) {
        const ThreadBudget &updated = byThread.value(m_rows.at(row).threadId);
        for (int column = 0; column < ColumnCount; ++column) {
            if (rawValue(m_rows.at(row), column) != rawValue(updated, column))
                cells.add(row, column, rolesFor(column));
        }
        m_rows[row] = updated;
    }
    for (const CellChanges::Range &range : cells.ranges())
        emit dataChanged(index(range.firstRow, range.firstColumn), index(range.lastRow, range.lastColumn), range.roles);

    QList<ThreadBudget> added;
    for (const ThreadBudget &budget : next) {
        if (!m_rowOf.contains(budget.threadId))
            added.append(budget);
    }
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_rows.append(added);
        reindex();
        endInsertRows();
    }
}

} // namespace agentdesk
