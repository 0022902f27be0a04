#pragma once

#include "domain/llmactivity.h"
#include "tablemodel.h"

#include <QList>

namespace agentdesk {

class Session;

// The LLM backends (Session::llmBackends()): provider and models, state (ok, rate-limited and for how
// long, failing since when with the last error), attempts in flight and queued, the tokens left in the
// rate-limit window, latency and time to first token (p50 / p95). Rows follow the configuration; a
// reload that changes the set resets the model, everything else changes in place.
class LlmBackendModel final : public TableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        ProviderColumn,
        ModelsColumn,
        StateColumn,
        InFlightColumn,
        QueuedColumn,
        TokensLeftColumn,
        LatencyColumn,
        TtftColumn,
        CallsColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        RawValueRole = TableModel::RawValueRole, // the column's value unformatted (sort on this)
        NameRole,
        HealthRole,     // LlmBackendState::Health as int
        HoldsCallsRole, // bool: calls wait here for a reason of the backend's own
    };
    Q_ENUM(Role)

    explicit LlmBackendModel(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(LlmBackendModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    LlmBackendState backend(int row) const;

    // What holds calls up at a backend, in the operator's words ("rate-limited for 12 s", "waiting for
    // its token bucket: 420 of 100,000 tokens a minute left", …); empty when nothing does. Brief: for a
    // table cell, without the figures another column shows ("waiting for its token bucket").
    enum class Wording { Brief, Full };
    static QString holdUpText(const LlmBackendState &backend, Wording wording = Wording::Full);
    // Why `agent`'s LLM calls wait, naming each backend that holds them up ("xai: rate-limited for
    // 12 s"); empty when none does.
    static QString waitReason(const QList<LlmBackendState> &backends, const QString &agent,
                              Wording wording = Wording::Full);

protected:
    QString columnTitle(int column) const override;
    QHash<int, QByteArray> extraRoleNames() const override;

private:
    void reload();
    void refresh();
    static QVariant rawValue(const LlmBackendState &backend, int column);
    static QString display(const LlmBackendState &backend, int column);

    Session *m_session;
    QList<LlmBackendState> m_rows;
};

} // namespace agentdesk
