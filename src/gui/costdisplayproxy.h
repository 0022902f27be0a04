#pragma once

#include "domain/usagecounters.h"

#include <QIdentityProxyModel>
#include <QPointer>

namespace agentdesk {

class ProviderDirectory;
class Session;

// Shows costs honestly over a table that carries usage per model or per agent: a price that is not
// known reads "unpriced" (or "—" for the offline demo provider, whose models say "(demo)" in the key
// column), never $0; a cost that leaves some calls out reads "≥ $x"; a row with no LLM calls shows no
// cost at all. Everything else passes through.
class CostDisplayProxy final : public QIdentityProxyModel
{
    Q_OBJECT
public:
    enum class Keys { Models, Agents };

    // keyColumn/keyRole name the row (a model or agent name); costColumn is the column to rewrite.
    CostDisplayProxy(Keys keys, int keyColumn, int keyRole, int costColumn, QObject *parent = nullptr);
    // Over a table whose rows carry their own counters (a UsageCounters in countersRole), whatever session
    // they come from: no session, no demo models.
    CostDisplayProxy(int countersRole, int costColumn, QObject *parent = nullptr);

    void setSession(Session *session);
    void setProviders(ProviderDirectory *providers);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    // The words for a set of counters: "$0.0123", "≥ $0.0123", "unpriced", "—" (the offline demo, which has
    // no price) or "" (no calls).
    static QString costText(const UsageCounters &counters, bool demo);
    static QString costToolTip(const UsageCounters &counters, bool demo);

private:
    UsageCounters countersOf(const QModelIndex &index, const QString &key) const;
    bool isDemo(const QString &key) const;
    void refreshAll();

    Keys m_keys;
    int m_keyColumn;
    int m_keyRole;
    int m_costColumn;
    int m_countersRole = -1; // >= 0: the counters are the source row's
    QPointer<Session> m_session;
    QPointer<ProviderDirectory> m_providers;
};

} // namespace agentdesk
