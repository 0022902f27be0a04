#include "combinedusagemodel.h"

#include "modelformat.h"
#include "organismdirectorymodel.h"
#include "session.h"

#include <QFont>
#include <QSet>

#include <chrono>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// A billing read sums a whole history (one query per organism's table on PostgreSQL): often enough to
// follow a team's spend, seldom enough to cost nothing.
constexpr auto kRefresh = std::chrono::seconds(10);

// The billing sums as the gauge's counters (they have no cache or reasoning tokens).
UsageCounters countersOf(const OrganismBilling &billing)
{
    const UsageAggregate &usage = billing.usage;
    UsageCounters counters;
    counters.key = billing.organism;
    counters.totalTokens = usage.totalTokens;
    counters.promptTokens = usage.promptTokens;
    counters.completionTokens = usage.completionTokens;
    counters.requestCount = usage.requestCount;
    counters.totalCost = usage.totalCost;
    counters.unpricedRequests = usage.unpricedRequests;
    counters.unpricedTokens = usage.unpricedTokens;
    return counters;
}

void add(UsageCounters &sum, const UsageCounters &more)
{
    sum.totalTokens += more.totalTokens;
    sum.promptTokens += more.promptTokens;
    sum.completionTokens += more.completionTokens;
    sum.cachedPromptTokens += more.cachedPromptTokens;
    sum.cacheWriteTokens += more.cacheWriteTokens;
    sum.reasoningTokens += more.reasoningTokens;
    sum.requestCount += more.requestCount;
    sum.totalCost += more.totalCost;
    sum.unpricedRequests += more.unpricedRequests;
    sum.unpricedTokens += more.unpricedTokens;
}

bool isSplitColumn(int column)
{
    return column == CombinedUsageModel::CachedColumn || column == CombinedUsageModel::CacheWriteColumn
        || column == CombinedUsageModel::ReasoningColumn;
}

} // namespace

CombinedUsageModel::CombinedUsageModel(OrganismDirectoryModel *directory, QObject *parent)
    : QAbstractTableModel(parent)
    , m_directory(directory)
{
    connect(directory, &QAbstractItemModel::rowsAboutToBeInserted, this,
            [this](const QModelIndex &, int first, int last) { beginInsertRows({}, first, last); });
    connect(directory, &QAbstractItemModel::rowsInserted, this, [this] {
        endInsertRows();
        watchSessions();
        emitTotalsChanged();
        refreshBilling();
    });
    connect(directory, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) { beginRemoveRows({}, first, last); });
    connect(directory, &QAbstractItemModel::rowsRemoved, this, [this] {
        endRemoveRows();
        watchSessions();
        emitTotalsChanged();
    });
    connect(directory, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
    connect(directory, &QAbstractItemModel::modelReset, this, [this] {
        endResetModel();
        watchSessions();
    });
    connect(directory, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                emit dataChanged(index(topLeft.row(), 0), index(bottomRight.row(), ColumnCount - 1));
                emitTotalsChanged();
            });
    m_refresh.setInterval(kRefresh);
    connect(&m_refresh, &QTimer::timeout, this, &CombinedUsageModel::refreshBilling);
    m_refresh.start();
    watchSessions();
    refreshBilling();
}

void CombinedUsageModel::watchSessions()
{
    const QList<Session *> sessions = m_directory ? m_directory->sessions() : QList<Session *>();
    const QSet<const Session *> listed(sessions.cbegin(), sessions.cend());
    for (auto it = m_usageConnections.begin(); it != m_usageConnections.end();) {
        if (listed.contains(it.key())) {
            ++it;
            continue;
        }
        disconnect(it.value());
        m_billing.remove(it.key());
        it = m_usageConnections.erase(it);
    }
    for (Session *session : sessions) {
        if (m_usageConnections.contains(session))
            continue;
        m_usageConnections.insert(session, connect(session, &Session::usageChanged, this, [this, session] {
                                      const int row = m_directory ? m_directory->rowOf(session) : -1;
                                      if (row < 0)
                                          return;
                                      emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
                                      emitTotalsChanged();
                                  }));
    }
}

void CombinedUsageModel::refreshBilling()
{
    if (!m_directory)
        return;
    // One read per history that lists an organism no session shows.
    QSet<Session *> sources;
    for (int row = 0; row < m_directory->rowCount(); ++row) {
        if (m_directory->kindAt(row) == OrganismDirectoryModel::Kind::InHistory) {
            if (Session *source = m_directory->historySourceAt(row))
                sources.insert(source);
        }
    }
    for (Session *source : std::as_const(sources)) {
        if (!source->isConnected() || !source->abilities().sharesHistory)
            continue;
        source->fetchHistoryBilling(this,
                                    [this, source = QPointer<Session>(source)](const Result<HistoryBilling> &billing) {
                                        if (!source || !billing || !m_usageConnections.contains(source.data()))
                                            return;
                                        m_billing.insert(source.data(), *billing);
                                        emitAllChanged();
                                    });
    }
}

void CombinedUsageModel::emitTotalsChanged()
{
    emit dataChanged(index(rowCount() - 1, 0), index(rowCount() - 1, ColumnCount - 1));
}

void CombinedUsageModel::emitAllChanged()
{
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

// --- rows ----------------------------------------------------------------------------------------------

CombinedUsageModel::Source CombinedUsageModel::sourceOf(int row) const
{
    if (Session *session = m_directory->sessionAt(row))
        return session->isConnected() && session->abilities().tracksUsage ? Source::Live : Source::None;
    return billingOf(row) ? Source::History : Source::None;
}

const OrganismBilling *CombinedUsageModel::billingOf(int row) const
{
    const Session *source = m_directory->historySourceAt(row);
    const auto billing = m_billing.constFind(source);
    if (!source || billing == m_billing.cend())
        return nullptr;
    const QString key = m_directory->historyKeyAt(row);
    for (const OrganismBilling &organism : billing->organisms) {
        const QString organismKey = organism.instance.isEmpty() ? organism.organism
                                                                : organism.organism + u'/' + organism.instance;
        if (organismKey == key)
            return &organism;
    }
    return nullptr;
}

bool CombinedUsageModel::hasFigures(int row) const
{
    if (row == rowCount() - 1)
        return true;
    const Source source = sourceOf(row);
    return source == Source::Live || source == Source::History;
}

UsageCounters CombinedUsageModel::countersAt(int row) const
{
    const int totalsRow = rowCount() - 1;
    if (row == totalsRow) {
        UsageCounters sum;
        for (int each = 0; each < totalsRow; ++each)
            add(sum, countersAt(each));
        return sum;
    }
    switch (sourceOf(row)) {
    case Source::Live:
        return m_directory->sessionAt(row)->usage().totals;
    case Source::History: {
        // A history with no usage of this organism (yet) lists no figures for it: nothing spent.
        const OrganismBilling *billing = billingOf(row);
        return billing ? countersOf(*billing) : UsageCounters();
    }
    case Source::None:
        break;
    }
    return {};
}

QString CombinedUsageModel::sourceText(int row) const
{
    if (row == rowCount() - 1)
        return tr("sum of the rows above");
    switch (sourceOf(row)) {
    case Source::Live:
        return tr("live, since its last reset");
    case Source::History: {
        const Session *source = m_directory->historySourceAt(row);
        return tr("history, read at %1").arg(modelformat::timestamp(m_billing.value(source).readAt.toLocalTime()));
    }
    case Source::None:
        break;
    }
    return m_directory->kindAt(row) == OrganismDirectoryModel::Kind::InHistory ? tr("history not read yet")
                                                                               : tr("not connected");
}

QVariant CombinedUsageModel::rawValue(int row, int column) const
{
    if (column == OrganismColumn)
        return row == rowCount() - 1 ? tr("All organisms") : m_directory->nameAt(row);
    if (column == SourceColumn)
        return sourceText(row);
    if (!hasFigures(row) || (isSplitColumn(column) && row < rowCount() - 1 && sourceOf(row) == Source::History))
        return {};
    const UsageCounters counters = countersAt(row);
    switch (Column(column)) {
    case TokensColumn:
        return counters.totalTokens;
    case PromptColumn:
        return counters.promptTokens;
    case CompletionColumn:
        return counters.completionTokens;
    case CachedColumn:
        return counters.cachedPromptTokens;
    case CacheWriteColumn:
        return counters.cacheWriteTokens;
    case ReasoningColumn:
        return counters.reasoningTokens;
    case RequestsColumn:
        return counters.requestCount;
    case CostColumn:
        return counters.totalCost;
    case UnpricedColumn:
        return counters.unpricedRequests;
    case OrganismColumn:
    case SourceColumn:
    case ColumnCount:
        break;
    }
    return {};
}

// --- the model -----------------------------------------------------------------------------------------

int CombinedUsageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_directory ? 0 : m_directory->rowCount() + 1;
}

int CombinedUsageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CombinedUsageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole: {
        const QVariant value = rawValue(row, column);
        if (column == OrganismColumn || column == SourceColumn)
            return value;
        if (!value.isValid())
            return hasFigures(row) ? modelformat::noValue() : QString();
        return column == CostColumn ? modelformat::cost(value.toDouble()) : modelformat::count(value.toLongLong());
    }
    case Qt::ToolTipRole:
        if (isSplitColumn(column) && row < rowCount() - 1 && sourceOf(row) == Source::History)
            return tr("The history's billing sums have no cache or reasoning split");
        if (column == OrganismColumn && row < rowCount() - 1)
            return m_directory->index(row, 0).data(Qt::ToolTipRole);
        return {};
    case Qt::TextAlignmentRole:
        return column >= TokensColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::FontRole:
        if (row == rowCount() - 1) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case RawValueRole:
        return rawValue(row, column);
    case CountersRole:
        return QVariant::fromValue(countersAt(row));
    case TotalRowRole:
        return row == rowCount() - 1;
    default:
        return {};
    }
}

QVariant CombinedUsageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case OrganismColumn:
        return tr("Organism");
    case SourceColumn:
        return tr("Figures from");
    case TokensColumn:
        return tr("Tokens");
    case PromptColumn:
        return tr("Prompt");
    case CompletionColumn:
        return tr("Completion");
    case CachedColumn:
        return tr("Cached");
    case CacheWriteColumn:
        return tr("Cache write");
    case ReasoningColumn:
        return tr("Reasoning");
    case RequestsColumn:
        return tr("Requests");
    case CostColumn:
        return tr("Cost");
    case UnpricedColumn:
        return tr("Unpriced calls");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace agentdesk
