#pragma once

#include "session.h"

#include "messageparser.h"
#include "openapiparser.h"

#include <QUrl>

namespace agentdesk {

class RemoteCommands;
class RemoteConnection;
class RemoteEventStream;
class RemoteHttp;
class RemotePingFence;
class RemoteQueries;
class RemoteResync;

// A Session over any AgentServer — another agentdesk or the original Python server — through its REST
// API and the /ws WebSocket. Everything is asynchronous (QNetworkAccessManager, QWebSocket). The parts,
// one job each, and what this facade wires together:
//
// - RemoteConnection: open() reads /health, /openapi.json (which optional endpoints and query parameters
//   exist — and whether the server is agentdesk, which really does what the original only pretends:
//   abilities()), checks the API key, loads organism, agents, capabilities (with their details), usage,
//   budgets and the latest metered calls — the usage endpoints may be missing (the original S1/S2 had
//   none) — then connects /ws and takes its `connected` snapshot. Failures end in Disconnected with the
//   reason (connection refused, TLS, the HTTP status and the server's detail); transport failures are
//   retried after 1 s, 2 s, 4 s … 30 s, a refused key is not. A successful retry reloads every snapshot.
// - RemoteEventStream: WebSocket frames become the Session's batches: frames that arrive in one
//   event-loop turn are emitted together, in the organism's order (threads created, messages, agents,
//   threads updated, errors, budgets). A message counts for its sender and the organism.
// - RemotePingFence: the ordering contract of Session — a command's or query's answer is held back until
//   a {"cmd":"ping"} sent after the answer arrived has been answered, so every event the answer reflects
//   has been emitted before it. The same ping every 60 s keeps the connection inside the idle limit.
// - RemoteResync: while anything changes, organism, agents, usage and budgets are re-read every 2 s
//   (usageRecorded comes from /usage/history where it exists), and only what differs is applied. When
//   /ws fails and REST works (the original's /ws drops the connection before its snapshot whenever a
//   thread exists, and after the first message it pushes nothing more: spec §6.3), the session carries
//   on from REST (UpdateMode::Polling): every 2 s it reads the messages after the newest one shown
//   (keyset `after` where the server has it, offsets otherwise), the most recent threads (for status
//   changes) and the snapshots, and emits them as the same batches /ws would have brought. In push mode
//   a message total that stays ahead of the messages pushed means the stream stalled: polling from then
//   on. A gap too large to replay is not replayed: resynchronized(), and the models read everything again.
//   While polling, the ordering contract holds by sequence instead: a thread query is read right after a
//   polling round has emitted everything before it, and a command is answered after the round that
//   follows it.
// - RemoteQueries and RemoteCommands: the Session's queries and commands over REST, once this facade
//   has checked the connection.
// - close() stops everything and drops the answers still on their way.
class RemoteSession final : public Session
{
    Q_OBJECT
public:
    // baseUrl: http(s)://host:port[/prefix]. apiKey: sent as "Authorization: Bearer" when not empty.
    RemoteSession(const QUrl &baseUrl, const QString &apiKey, QObject *parent = nullptr);
    ~RemoteSession() override;

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

    QUrl baseUrl() const { return m_baseUrl; }
    // Disconnected, and a new attempt is scheduled (after a failure that waiting may cure).
    bool isReconnecting() const;
    // What the server's /openapi.json says it serves (known == false when it has none).
    const wire::ApiDescription &serverDescription() const;

private:
    void wireConnection();
    void wireEvents();
    void wireResync();
    void onEstablished(const Snapshot &snapshot, const QList<ThreadInfo> &threads, UpdateMode mode);
    void onFailed(const QString &reason, bool willRetry);
    void switchToPolling(const QString &why);
    void flushEvents();
    void learnLayout(const QList<Capability> &capabilities);
    void applyCapabilities(const QList<Capability> &capabilities);
    // A POST whose answer is only "done", once connected.
    void command(const QString &path, QObject *context, Done done);

    QUrl m_baseUrl;
    RemoteHttp *m_http;
    wire::PayloadLayout m_layout; // how this server's payloads look (from the capabilities' examples)
    RemoteConnection *m_connection;
    RemotePingFence *m_fence;
    RemoteEventStream *m_stream;
    RemoteQueries *m_queries;
    RemoteResync *m_resync;
    RemoteCommands *m_commands;
};

} // namespace agentdesk
