#pragma once

#include "session.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <variant>

namespace agentdesk {

// The session the window's models actually watch: it passes another session's change batches on at most
// once per interval, merged, so that under a flood (an organism emits a batch per turn of its event loop,
// hundreds a second) the models sort, reindex and repaint a few dozen times a second instead of hundreds
// and the window keeps up. A quiet session's batches pass on at once (after `interval` at most since the
// last delivery), so nothing waits needlessly.
//
// Merged delivery keeps what the models rely on: a thread is announced (threadsCreated) before its
// messages; status changes follow the messages; agent changes, errors, usage and budget events keep
// their order; snapshots (organism, usage, budgets) are read from the inner session after the batches
// they belong to. Before a query's answer or a command's completion is handed on, everything held is
// delivered, so an answer never reflects changes the models have not seen (the Session contract).
class BatchingSession final : public Session
{
    Q_OBJECT
public:
    explicit BatchingSession(Session *inner, std::chrono::milliseconds interval = std::chrono::milliseconds(50),
                             QObject *parent = nullptr);
    ~BatchingSession() override;

    Session *inner() const { return m_inner; }
    void flush(); // delivers what is held, now

    QString endpoint() const override;
    void open() override;
    void close() override;

    void fetchThreads(const ThreadQuery &query, QObject *context, ThreadPageReply reply) override;
    void fetchThread(const QString &threadId, QObject *context, ThreadReply reply) override;
    void fetchMessages(const MessageQuery &query, QObject *context, MessagePageReply reply) override;
    void fetchConversation(const QString &threadId, int limit, QObject *context, MessagePageReply reply) override;
    void fetchTimeline(const QString &threadId, int limit, QObject *context, TraceReply reply) override;
    void fetchUsageBuckets(UsageBucketSize size, UsageGroupBy groupBy, const QDateTime &since, const QDateTime &until,
                           const UsageSeriesFilter &filter, QObject *context, UsageBucketsReply reply) override;
    void fetchHistoryInstances(QObject *context, HistoryInstancesReply reply) override;
    void fetchHistoryBilling(QObject *context, HistoryBillingReply reply) override;

    void inject(const InjectRequest &request, QObject *context, InjectReply reply) override;
    void branch(const BranchRequest &request, QObject *context, InjectReply reply) override;
    void pauseAgent(const QString &name, QObject *context, Done done) override;
    void resumeAgent(const QString &name, QObject *context, Done done) override;
    void killThread(const QString &threadId, QObject *context, Done done) override;
    void retryThread(const QString &threadId, QObject *context, Done done) override;
    void setThreadBudget(const QString &threadId, qint64 maxTokens, QObject *context, Done done) override;
    void setScopeBudget(const QString &scope, const ScopeBudgetChange &change, QObject *context, Done done) override;
    void reloadConfig(QObject *context, ReloadReply reply) override;
    void stopOrganism(QObject *context, Done done) override;
    void resetUsage(QObject *context, Done done) override;

private:
    // Wraps a reply so that everything held is delivered before it runs.
    template <typename Callback>
    Callback flushingFirst(Callback reply);
    void schedule();
    void onState(Session::State state);
    void adoptSnapshot();
    template <typename T>
    void hold(QList<T> &pending, const QList<T> &batch);

    QPointer<Session> m_inner;
    std::chrono::milliseconds m_interval;
    QTimer m_timer;
    QElapsedTimer m_sinceDelivery;
    bool m_delivering = false;

    QList<ThreadInfo> m_created;
    QList<MessageRecord> m_messages;
    QList<ThreadInfo> m_updated;
    QList<AgentInfo> m_agents;
    QList<ErrorEvent> m_errors;
    QList<UsageEvent> m_usageEvents;
    QList<BudgetEvent> m_budgetEvents;
    QList<LlmPartialEvent> m_partials;
    bool m_organismChanged = false;
    bool m_usageChanged = false;
    bool m_budgetsChanged = false;
};

} // namespace agentdesk
