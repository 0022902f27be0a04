#include "usagecountersmodel.h"

#include "cellchanges.h"
#include "modelformat.h"

#include "session.h"

#include <QLocale>

namespace agentdesk {

UsageCountersModel::UsageCountersModel(Session *session, Select select, const QString &keyHeader, QObject *parent)
    : TableModel(ColumnCount, parent)
    , m_session(session)
    , m_select(std::move(select))
    , m_keyHeader(keyHeader)
{
    connect(session, &Session::usageChanged, this, &UsageCountersModel::refresh);
    if (session->isConnected())
        m_rows = m_select(session->usage());
}

int UsageCountersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

UsageCounters UsageCountersModel::counters(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : UsageCounters();
}

QVariant UsageCountersModel::rawValue(const UsageCounters &counters, int column)
{
    switch (column) {
    case KeyColumn:
        return counters.key;
    case TokensColumn:
        return counters.totalTokens;
    case PromptColumn:
        return counters.promptTokens;
    case CompletionColumn:
        return counters.completionTokens;
    case RequestsColumn:
        return counters.requestCount;
    case CostColumn:
        return counters.totalCost;
    case AverageLatencyColumn:
        return counters.avgLatencyMs();
    case CachedColumn:
        return counters.cachedPromptTokens;
    case CacheWriteColumn:
        return counters.cacheWriteTokens;
    case ReasoningColumn:
        return counters.reasoningTokens;
    case NotOkColumn:
        return counters.unusableRequests + counters.errorRequests + counters.abortedRequests;
    case AverageTtftColumn:
        return counters.avgTtftMs() ? QVariant(*counters.avgTtftMs()) : QVariant();
    case TokensPerSecondColumn:
        return counters.avgTokensPerSecond() ? QVariant(*counters.avgTokensPerSecond()) : QVariant();
    default:
        return {};
    }
}

QList<int> UsageCountersModel::rolesFor(int column)
{
    if (column == CostColumn)
        return {Qt::DisplayRole, Qt::ToolTipRole, RawValueRole, UnpricedRequestsRole};
    return {Qt::DisplayRole, RawValueRole};
}

QVariant UsageCountersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const UsageCounters &counters = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case KeyColumn:
            return counters.key;
        case CostColumn:
            return modelformat::cost(counters.totalCost);
        case AverageLatencyColumn:
            return modelformat::milliseconds(counters.avgLatencyMs());
        case AverageTtftColumn:
            return counters.avgTtftMs() ? modelformat::milliseconds(*counters.avgTtftMs()) : modelformat::noValue();
        case TokensPerSecondColumn: // nothing streamed (the demo, a JSON answer): not measured, never blank
            return counters.avgTokensPerSecond() ? QLocale().toString(*counters.avgTokensPerSecond(), 'f', 1)
                                                 : modelformat::noValue();
        default:
            return modelformat::count(rawValue(counters, column).toLongLong());
        }
    case RawValueRole:
        return rawValue(counters, column);
    case KeyRole:
        return counters.key;
    case Qt::TextAlignmentRole:
        return column == KeyColumn ? QVariant() : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    case Qt::ToolTipRole:
        if (column == CostColumn && counters.unpricedRequests > 0)
            return tr("%n call(s) without a known price: the cost is a lower bound", nullptr,
                      int(counters.unpricedRequests));
        if (column == NotOkColumn)
            return tr("Unusable replies: %1, failed with tokens: %2, aborted on the wire: %3")
                .arg(counters.unusableRequests)
                .arg(counters.errorRequests)
                .arg(counters.abortedRequests);
        return {};
    case UnpricedRequestsRole:
        return column == CostColumn ? QVariant(counters.unpricedRequests) : QVariant();
    default:
        return {};
    }
}

QString UsageCountersModel::columnTitle(int column) const
{
    switch (column) {
    case KeyColumn:
        return m_keyHeader;
    case TokensColumn:
        return tr("Tokens");
    case PromptColumn:
        return tr("Prompt");
    case CompletionColumn:
        return tr("Completion");
    case RequestsColumn:
        return tr("Requests");
    case CostColumn:
        return tr("Cost");
    case AverageLatencyColumn:
        return tr("Avg latency");
    case CachedColumn:
        return tr("Cached");
    case CacheWriteColumn:
        return tr("Cache write");
    case ReasoningColumn:
        return tr("Reasoning");
    case NotOkColumn:
        return tr("Not ok");
    case AverageTtftColumn:
        return tr("Avg TTFT");
    case TokensPerSecondColumn:
        return tr("Tokens/s");
    default:
        return {};
    }
}

QHash<int, QByteArray> UsageCountersModel::extraRoleNames() const
{
    QHash<int, QByteArray> names;
    names.insert(KeyRole, "key");
    names.insert(UnpricedRequestsRole, "unpricedRequests");
    return names;
}

void UsageCountersModel::refresh()
{
    const QList<UsageCounters> next = m_select(m_session->usage());
    bool extends = next.size() >= m_rows.size();
    for (qsizetype row = 0; extends && row < m_rows.size(); ++row)
        extends = next.at(row).key == m_rows.at(row).key;
    if (!extends) {
        beginResetModel();
        m_rows = next;
        endResetModel();
        return;
    }

    CellChanges cells;
    for (int row = 0; row < m_rows.size(); ++row) {
        for (int column = 0; column < ColumnCount; ++column) {
            if (rawValue(m_rows.at(row), column) != rawValue(next.at(row), column))
                cells.add(row, column, rolesFor(column));
        }
        if (m_rows.at(row).unpricedRequests != next.at(row).unpricedRequests)
            cells.add(row, CostColumn, rolesFor(CostColumn));
        m_rows[row] = next.at(row);
    }
    for (const CellChanges::Range &range : cells.ranges())
        emit dataChanged(index(range.firstRow, range.firstColumn), index(range.lastRow, range.lastColumn), range.roles);

    if (next.size() > m_rows.size()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, int(next.size()) - 1);
        m_rows.append(next.mid(first));
        endInsertRows();
    }
}

} // namespace agentdesk
