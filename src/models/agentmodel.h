#pragma once

#include "domain/records.h"
#include "domain/usagecounters.h"
#include "tablemodel.h"

#include <QPointer>
#include <QHash>
#include <QList>

namespace agentdesk {

class Session;
class ThreadLabels;

// The organism's listeners, one row each in registration order, with their live state and the tokens
// and cost metered for them. A batch of agent changes becomes one beginInsertRows for the new agents and
// a few coalesced dataChanged ranges naming the roles that changed.
class AgentModel final : public TableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        StateColumn,
        CurrentThreadColumn,
        QueueDepthColumn,
        MessagesColumn,
        LastActivityColumn,
        TokensColumn,
        CostColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        RawValueRole = TableModel::RawValueRole, // the column's value unformatted (sort on this)
        NameRole,
        StateRole,         // AgentState as int
        StateColorRole,    // QColor
        StateIconNameRole, // freedesktop icon name
        LastErrorRole,
        DescriptionRole,
    };
    Q_ENUM(Role)

    explicit AgentModel(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(AgentModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    int rowOf(const QString &name) const; // -1 when unknown

protected:
    QString columnTitle(int column) const override;
    QHash<int, QByteArray> extraRoleNames() const override;

private:
    struct Row
    {
        AgentInfo info;
        UsageCounters usage;
        QString waitReason; // what holds its LLM calls up at a backend, briefly (LlmBackendModel::waitReason)
        QString waitDetail; // the same with the figures (the Queue cell's tooltip)
    };

    Row rowFor(const AgentInfo &info, const UsageSnapshot &usage) const;
    void reload();
    void applyChanges(const QList<AgentInfo> &changed);
    void applyUsage();
    void applyBackends();
    void onLabels(const QStringList &threadIds);
    QVariant rawValue(const Row &row, int column) const;
    QVariant displayValue(const Row &row, int column) const;
    static QList<int> rolesFor(int column);

    Session *m_session;
    QPointer<ThreadLabels> m_labels;
    QList<Row> m_rows;
    QHash<QString, int> m_rowOf;
};

} // namespace agentdesk
