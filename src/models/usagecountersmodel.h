#pragma once

#include "domain/usagecounters.h"
#include "tablemodel.h"

#include <QList>

#include <functional>

namespace agentdesk {

class Session;

// Usage counters per key (a model, an agent), in order of first appearance, from the session's usage
// snapshot: new keys are appended in one insert, changed counters become coalesced dataChanged, and a
// reset of the counters (keys gone) resets the model.
class UsageCountersModel : public TableModel
{
    Q_OBJECT
public:
    enum Column {
        KeyColumn,
        TokensColumn,
        PromptColumn,
        CompletionColumn,
        RequestsColumn,
        CostColumn,
        AverageLatencyColumn,
        CachedColumn,          // of Prompt: read from the provider's cache
        CacheWriteColumn,      // of Prompt: written to the cache (Anthropic)
        ReasoningColumn,       // of Completion
        NotOkColumn,           // attempts that were unusable, failed with tokens, or aborted
        AverageTtftColumn,     // time to first token of streamed calls; empty when none streamed
        TokensPerSecondColumn, // generation speed
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        RawValueRole = TableModel::RawValueRole, // the column's value unformatted (sort on this)
        KeyRole,
        UnpricedRequestsRole, // calls without a known price: the cost is then a lower bound
    };
    Q_ENUM(Role)

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    UsageCounters counters(int row) const;

protected:
    using Select = std::function<QList<UsageCounters>(const UsageSnapshot &)>;
    UsageCountersModel(Session *session, Select select, const QString &keyHeader, QObject *parent);

protected:
    QString columnTitle(int column) const override;
    QHash<int, QByteArray> extraRoleNames() const override;

private:
    void refresh();
    static QVariant rawValue(const UsageCounters &counters, int column);
    static QList<int> rolesFor(int column);

    Session *m_session;
    Select m_select;
    QString m_keyHeader;
    QList<UsageCounters> m_rows;
};

} // namespace agentdesk
