#include "costdisplayproxy.h"

#include "modelformat.h"
#include "providerdirectory.h"
#include "session.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

CostDisplayProxy::CostDisplayProxy(Keys keys, int keyColumn, int keyRole, int costColumn, QObject *parent)
    : QIdentityProxyModel(parent)
    , m_keys(keys)
    , m_keyColumn(keyColumn)
    , m_keyRole(keyRole)
    , m_costColumn(costColumn)
{ }

CostDisplayProxy::CostDisplayProxy(int countersRole, int costColumn, QObject *parent)
    : QIdentityProxyModel(parent)
    , m_keys(Keys::Models)
    , m_keyColumn(-1)
    , m_keyRole(-1)
    , m_costColumn(costColumn)
    , m_countersRole(countersRole)
{ }

void CostDisplayProxy::setSession(Session *session)
{
    m_session = session;
    refreshAll();
}

void CostDisplayProxy::setProviders(ProviderDirectory *providers)
{
    if (m_providers)
        disconnect(m_providers, nullptr, this, nullptr);
    m_providers = providers;
    if (providers)
        connect(providers, &ProviderDirectory::changed, this, &CostDisplayProxy::refreshAll);
    refreshAll();
}

void CostDisplayProxy::refreshAll()
{
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1), {Qt::DisplayRole, Qt::ToolTipRole});
}

QString CostDisplayProxy::costText(const UsageCounters &counters, bool demo)
{
    if (counters.requestCount == 0)
        return {};
    if (counters.unpricedRequests >= counters.requestCount)
        return demo ? modelformat::noValue()
                    : tr("unpriced"); // the demo has no price: no word for money in a money column
    const QString cost = modelformat::cost(counters.totalCost);
    return counters.unpricedRequests > 0 ? u"≥ "_s + cost : cost;
}

QString CostDisplayProxy::costToolTip(const UsageCounters &counters, bool demo)
{
    if (counters.requestCount == 0)
        return tr("No LLM calls");
    if (demo && counters.unpricedRequests >= counters.requestCount)
        return tr("Served by the offline demo provider: it costs nothing and has no price");
    if (counters.unpricedRequests > 0)
        return tr("%n call(s) without a known price: the cost is a lower bound", nullptr,
                  int(counters.unpricedRequests));
    return {};
}

UsageCounters CostDisplayProxy::countersOf(const QModelIndex &index, const QString &key) const
{
    if (m_countersRole >= 0)
        return index.data(m_countersRole).value<UsageCounters>();
    if (!m_session)
        return UsageCounters{key};
    const UsageSnapshot usage = m_session->usage();
    const QList<UsageCounters> &rows = m_keys == Keys::Models ? usage.byModel : usage.byAgent;
    for (const UsageCounters &counters : rows) {
        if (counters.key == key)
            return counters;
    }
    return UsageCounters{key};
}

bool CostDisplayProxy::isDemo(const QString &key) const
{
    if (!m_providers)
        return false;
    return m_keys == Keys::Models ? m_providers->isDemoModel(key) : m_providers->isDemoAgent(key);
}

QVariant CostDisplayProxy::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const bool cost = index.column() == m_costColumn;
    const bool key = index.column() == m_keyColumn && m_keys == Keys::Models;
    if ((!cost && !key) || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QIdentityProxyModel::data(index, role);
    const QString name = m_keyColumn >= 0 ? index.siblingAtColumn(m_keyColumn).data(m_keyRole).toString() : QString();
    if (key) {
        if (role == Qt::DisplayRole && isDemo(name))
            return tr("%1 (demo)").arg(name);
        return QIdentityProxyModel::data(index, role);
    }
    const UsageCounters counters = countersOf(index, name);
    return role == Qt::DisplayRole ? costText(counters, isDemo(name)) : costToolTip(counters, isDemo(name));
}

} // namespace agentdesk
