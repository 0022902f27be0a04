#pragma once

#include "organism.h"
#include "session.h"

#include <QList>
#include <QMetaObject>
#include <QTimer>

#include <chrono>
#include <memory>

namespace agentdesk {

class HistoryView;
class SessionMailbox;

// A Session over an Organism in this process, normally living on the engine thread.
//
// - Change batches arrive through queued connections: the organism's immutable batches cross threads as
//   they are, and the GUI thread handles them whenever it gets to them without holding the engine up.
// - Snapshots that batches invalidate (usage, budgets, organism info) are captured on the engine thread
//   in the same tick as the batch and posted after it, so a model never sees a batch without the
//   matching snapshot. The organism info is also read every 2 s, as its rates of the last minute move
//   with the clock.
// - Commands and thread reads run on the engine thread (QMetaObject::invokeMethod on the organism); the
//   reply is posted back. Nothing here waits for the engine.
// - The LLM backends' state has no change signal (rate-limit waits and token buckets move with the clock):
//   it is read on the engine thread every second while connected.
// - Message pages and usage buckets are read from the HistoryStore on the session's own thread (the
//   store opens one read connection per thread), after waiting for the history writer — not the engine —
//   to commit what is already queued, so a page never misses a message whose batch was already seen.
//
// The organism must be loaded before open() and outlive the session (or its close()). close() drops
// the replies still on their way.
class LocalSession final : public Session
{
    Q_OBJECT
public:
    explicit LocalSession(Organism *organism, QObject *parent = nullptr);
    ~LocalSession() override;

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
    // Runs work(organism) on the organism's thread and reply(result) back here, unless the context has gone.
    template <typename Work, typename Callback>
    void onEngine(QObject *context, Work work, Callback reply);
    // A command: refused at once with the not-connected text, otherwise work(organism) on the engine.
    template <typename Work>
    void command(QObject *context, Done done, Work work);
    void connectSignals(quint64 epoch);
    void disconnectSignals();
    bool isCurrent(quint64 epoch) const { return epoch == m_epoch && isConnected(); }
    void postOrganism(const OrganismInfo &info);
    // work(organism, done) on the engine (the caller checked the connection), and the answer posted back
    // once acknowledged (committed), without blocking the engine thread (and the API on it) meanwhile.
    template <typename Answer>
    void acknowledged(QObject *context, std::function<void(const Answer &)> reply,
                      std::function<void(Organism &, std::function<void(const Answer &)>)> work);
    bool syncStore() const;
    template <typename Callback, typename Read>
    void readStore(QObject *context, Callback reply, Read read);
    void readLlmBackends();

    Organism *m_organism;
    const HistoryView *m_store = nullptr;
    QString m_endpoint;
    std::shared_ptr<SessionMailbox> m_mailbox;
    QList<QMetaObject::Connection> m_connections;
    quint64 m_epoch = 0;
    OrganismInfo m_pendingOrganism;
    bool m_organismPosted = false;
    QTimer m_backendTimer;       // the LLM backends' state moves with the clock: read it every second
    bool m_backendsRead = false; // a read is on its way
    // The figures of the last minute (OrganismInfo::saturation) move without a batch: read again so often.
    QTimer m_organismRefresh;
};

} // namespace agentdesk
