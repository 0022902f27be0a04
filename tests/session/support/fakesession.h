#pragma once

#include "session.h"

#include <QList>

#include <optional>

namespace agentdesk::test {

// A Session the test drives by hand: it connects with a given snapshot, emits exactly the batches the
// test asks for, and holds every query until the test answers it, so a model's reaction to any
// interleaving of pages and live batches can be checked signal by signal.
class FakeSession final : public Session
{
    Q_OBJECT
public:
    explicit FakeSession(QObject *parent = nullptr);

    QString endpoint() const override { return QStringLiteral("fake"); }
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

    // Driving it.
    Snapshot snapshot;         // what open() connects with
    InjectResult injectAnswer; // what inject() answers (default: accepted)
    std::optional<InjectRequest> lastInject;
    std::optional<BranchRequest> lastBranch; // branch() answers with injectAnswer too
    QStringList retried;                     // the threads retryThread() was asked to run again
    using Session::setUpdateMode;
    using Session::replaceOrganism;
    using Session::applyAgentChanges;
    using Session::replaceAgents;
    using Session::replaceBudgets;
    using Session::replaceCapabilities;
    using Session::replaceUsage;
    using Session::replaceScopeBudgets;
    using Session::replaceLlmBackends;
    // The scope budget changes asked for, oldest first (each answered with success).
    QList<std::pair<QString, ScopeBudgetChange>> scopeBudgetChanges;

    // Queries waiting for an answer, oldest first. answer*() answers the oldest of its kind (it runs the
    // reply at once) and returns false when there is none.
    struct ThreadsCall
    {
        ThreadQuery query;
        ThreadPageReply reply;
    };
    struct ThreadCall
    {
        QString threadId;
        ThreadReply reply;
    };
    struct MessagesCall
    {
        MessageQuery query; // fetchConversation is recorded as threadId + limit, newestFirst = false
        MessagePageReply reply;
    };
    struct TimelineCall
    {
        QString threadId;
        int limit = 0;
        TraceReply reply;
    };
    struct BucketsCall
    {
        QDateTime since;
        QDateTime until;
        UsageSeriesFilter filter;
        UsageBucketsReply reply;
    };
    QList<ThreadsCall> threadCalls;
    QList<ThreadCall> threadLookups;
    QList<MessagesCall> messageCalls;
    QList<BucketsCall> bucketCalls;
    QList<TimelineCall> timelineCalls;
    // What fetchHistoryInstances and fetchHistoryBilling answer (later, as a session does), and how often
    // they were asked.
    QList<HistoryInstance> historyInstances;
    HistoryBilling historyBilling;
    int historyInstanceReads = 0;
    int historyBillingReads = 0;
    bool answerThreads(const ThreadPage &page);
    bool answerThread(const std::optional<ThreadInfo> &thread);
    bool answerMessages(const MessagePage &page);
    bool answerBuckets(const QList<UsageBucket> &buckets, const QString &error = {});
    bool answerTimeline(const std::optional<ThreadTrace> &trace, const QString &error = {});
};

} // namespace agentdesk::test
