#pragma once

#include "remotepingfence.h"
#include "session.h"

#include <QUrlQuery>

#include <functional>
#include <memory>

namespace agentdesk {

class RemoteConnection;
class RemoteHttp;
class RemoteResync;
namespace wire {
class PayloadLayout;
}

// RemoteSession's queries over REST: threads (paged by the API's 100), one thread, messages (filtered by
// the server where it can, the rest here: RemoteMessageReader), a thread's timeline (from its messages
// where the server keeps none), usage over time (built from the history where the server has no
// /usage/timeseries). Answers keep Session's ordering contract: behind a ping fence, or — while polling —
// read right after a round has emitted everything before them. The caller has checked the connection.
class RemoteQueries final : public QObject
{
    Q_OBJECT
public:
    using MessagesRead = Session::MessagePageReply;

    RemoteQueries(Session &session, RemoteHttp *http, RemoteConnection *connection, RemotePingFence *fence,
                  const wire::PayloadLayout *layout, QObject *parent = nullptr);
    void setResync(RemoteResync *resync) { m_resync = resync; }

    // close(): answers still on their way are dropped.
    void dropAnswers() { ++m_generation; }

    void fetchThreads(const ThreadQuery &query, QObject *context, Session::ThreadPageReply reply);
    void fetchThread(const QString &threadId, QObject *context, Session::ThreadReply reply);
    void fetchMessages(const MessageQuery &query, QObject *context, Session::MessagePageReply reply);
    void fetchTimeline(const QString &threadId, int limit, QObject *context, Session::TraceReply reply);
    void fetchUsageBuckets(UsageBucketSize size, UsageGroupBy groupBy, const QDateTime &since, const QDateTime &until,
                           const UsageSeriesFilter &filter, QObject *context, Session::UsageBucketsReply reply);
    // GET /history/organisms and /usage/billing?scope=all (abilities().sharesHistory, else an error).
    void fetchHistoryInstances(QObject *context, Session::HistoryInstancesReply reply);
    void fetchHistoryBilling(QObject *context, Session::HistoryBillingReply reply);
    // Any message query, without the ordering (pages are merged by seq): fetchMessages and polling.
    void readMessages(const MessageQuery &query, MessagesRead done);

private:
    struct ThreadRead;
    using PageFetch = std::function<void(qint64 offset, int limit, MessagesRead reply)>;

    void readThreadPage(const std::shared_ptr<ThreadRead> &read);
    PageFetch messagePages(const QString &path, const QUrlQuery &filters, bool threadPath);

    Session &m_session;
    RemoteHttp *m_http;
    RemoteConnection *m_connection;
    RemotePingFence *m_fence;
    RemoteResync *m_resync = nullptr;
    const wire::PayloadLayout *m_layout;
    quint64 m_generation = 0;
};

} // namespace agentdesk
