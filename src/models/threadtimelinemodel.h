#pragma once

#include "domain/trace.h"

#include <QAbstractItemModel>
#include <QTimer>

#include <optional>

namespace agentdesk {

class Session;

// One thread's timeline as a tree: a row per hop (from → to, payload type, how long it waited in the
// queue and how long its handler took, its LLM calls summed up, their cost, its outcome — an error in
// place), under it the payload, each LLM call (model, tokens prompt/cached/completion, latency, time to
// first token, cost, outcome) with its prompt and response, and the error text when the handler failed.
// Text rows carry their whole text in TextRole; their display is one line.
//
// Read with Session::fetchTimeline, again (at most every kRefreshMs) while the thread's messages, status
// or usage change. A refresh that only adds keeps the rows there: new hops are appended, new children of
// a hop appended under it, changed cells reported; anything else resets.
class ThreadTimelineModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { HopColumn, WaitColumn, HandlerColumn, LlmColumn, CostColumn, OutcomeColumn, ColumnCount };
    Q_ENUM(Column)
    enum class RowKind { Hop, Payload, LlmCall, Error, Prompt, Response };
    Q_ENUM(RowKind)
    enum Role {
        KindRole = Qt::UserRole, // RowKind as int
        SeqRole,                 // the hop's message seq (every row under a hop too)
        TextRole,                // text rows: the whole text (payload XML, error, prompt, response)
        RawValueRole,            // the cell's value unformatted (ms, USD, tokens), invalid when none
        FailedRole,              // the hop's handler failed / the LLM call was not ok
    };
    Q_ENUM(Role)

    static constexpr int kDefaultLimit = 500;
    static constexpr int kRefreshMs = 500;

    explicit ThreadTimelineModel(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ThreadTimelineModel)

    void setThreadId(const QString &threadId); // empty: no rows
    QString threadId() const { return m_threadId; }
    void setLimit(int hops);
    int limit() const { return m_limit; }
    void reload();

    bool isLoading() const { return m_loading; }
    QString errorText() const { return m_error; } // why there is no timeline (empty while there is)
    const ThreadTrace &trace() const { return m_trace; }
    // Whether handler runs are known (agentdesk records them; the original does not).
    bool hasRuns() const { return m_hasRuns; }
    std::optional<MessageRecord> messageAt(const QModelIndex &index) const; // the hop of any row under it
    QModelIndex hopIndex(qint64 seq) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void loadingChanged(bool loading);
    void traceChanged(); // a new read was applied (errorText may have changed)

private:
    // Where a row is: its hop, and for the rows under it which child (and which call's prompt/response).
    struct Place
    {
        int hop = -1;
        int child = -1; // -1: the hop row itself
        int leaf = -1;  // under an LLM call: 0 prompt, 1 response
    };
    Place placeOf(const QModelIndex &index) const;
    QList<RowKind> childKinds(const TraceHop &hop) const;
    void scheduleRefresh();
    void onTrace(const Result<ThreadTrace> &trace);
    bool applyIncrementally(const ThreadTrace &next);
    QVariant hopData(const TraceHop &hop, int column, int role) const;
    QVariant childData(const TraceHop &hop, RowKind kind, int call, int column, int role) const;
    QVariant leafData(const LlmExchange &exchange, int leaf, int column, int role) const;
    bool isWaitingOnPaused(const TraceHop &hop) const;
    QString outcomeText(const TraceHop &hop) const;
    void setLoading(bool loading);

    Session *m_session;
    QString m_threadId;
    int m_limit = kDefaultLimit;
    ThreadTrace m_trace;
    QString m_error;
    bool m_loading = false;
    bool m_dirty = false; // changed while a read was on its way
    bool m_hasRuns = true;
    quint64 m_generation = 0;
    QTimer m_refresh;
};

} // namespace agentdesk
