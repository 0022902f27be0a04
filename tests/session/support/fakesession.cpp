#include "fakesession.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace agentdesk::test {

FakeSession::FakeSession(QObject *parent)
    : Session(parent)
{ }

void FakeSession::open()
{
    setState(State::Connecting);
    connectWith(snapshot);
}

void FakeSession::close()
{
    setState(State::Disconnected);
}

// A reply whose context has gone is dropped, as a real session does.
template <typename Reply>
Reply guarded(QObject *context, Reply reply)
{
    const bool isGuarded = context != nullptr;
    QPointer<QObject> guard(context);
    return [isGuarded, guard, reply](const auto &...args) {
        if (!isGuarded || guard)
            reply(args...);
    };
}

void FakeSession::fetchThreads(const ThreadQuery &query, QObject *context, ThreadPageReply reply)
{
    threadCalls.append({query, guarded(context, reply)});
}

void FakeSession::fetchThread(const QString &threadId, QObject *context, ThreadReply reply)
{
    threadLookups.append({threadId, guarded(context, reply)});
}

void FakeSession::fetchMessages(const MessageQuery &query, QObject *context, MessagePageReply reply)
{
    messageCalls.append({query, guarded(context, reply)});
}

void FakeSession::fetchConversation(const QString &threadId, int limit, QObject *context, MessagePageReply reply)
{
    MessageQuery query;
    query.threadId = threadId;
    query.limit = limit;
    query.newestFirst = false;
    messageCalls.append({query, guarded(context, reply)});
}

void FakeSession::fetchTimeline(const QString &threadId, int limit, QObject *context, TraceReply reply)
{
    timelineCalls.append({threadId, limit, guarded(context, reply)});
}

bool FakeSession::answerTimeline(const std::optional<ThreadTrace> &trace, const QString &error)
{
    if (timelineCalls.isEmpty())
        return false;
    timelineCalls.takeFirst().reply(trace ? Result<ThreadTrace>(*trace) : fail(error));
    return true;
}

void FakeSession::fetchUsageBuckets(UsageBucketSize, UsageGroupBy, const QDateTime &since, const QDateTime &until,
                                    const UsageSeriesFilter &filter, QObject *context, UsageBucketsReply reply)
{
    bucketCalls.append({since, until, filter, guarded(context, reply)});
}

void FakeSession::fetchHistoryInstances(QObject *context, HistoryInstancesReply reply)
{
    ++historyInstanceReads;
    if (ensureConnected(context, reply, QStringLiteral("not connected")))
        deliver(context, [this, reply] { reply(historyInstances); });
}

void FakeSession::fetchHistoryBilling(QObject *context, HistoryBillingReply reply)
{
    ++historyBillingReads;
    if (ensureConnected(context, reply, QStringLiteral("not connected")))
        deliver(context, [this, reply] { reply(historyBilling); });
}

bool FakeSession::answerThreads(const ThreadPage &page)
{
    if (threadCalls.isEmpty())
        return false;
    threadCalls.takeFirst().reply(page);
    return true;
}

bool FakeSession::answerThread(const std::optional<ThreadInfo> &thread)
{
    if (threadLookups.isEmpty())
        return false;
    threadLookups.takeFirst().reply(thread ? Result<ThreadInfo>(*thread) : fail(QStringLiteral("Thread not found")));
    return true;
}

bool FakeSession::answerMessages(const MessagePage &page)
{
    if (messageCalls.isEmpty())
        return false;
    messageCalls.takeFirst().reply(page);
    return true;
}

bool FakeSession::answerBuckets(const QList<UsageBucket> &buckets, const QString &error)
{
    if (bucketCalls.isEmpty())
        return false;
    bucketCalls.takeFirst().reply(error.isEmpty() ? Result<QList<UsageBucket>>(buckets) : fail(error));
    return true;
}

void FakeSession::inject(const InjectRequest &request, QObject *context, InjectReply reply)
{
    lastInject = request;
    deliver(context, [reply, answer = injectAnswer] { reply(answer); });
}

void FakeSession::branch(const BranchRequest &request, QObject *context, InjectReply reply)
{
    lastBranch = request;
    deliver(context, [reply, answer = injectAnswer] { reply(answer); });
}

void FakeSession::pauseAgent(const QString &, QObject *context, Done done)
{
    deliver(context, [done] { done(Result<>()); });
}

void FakeSession::resumeAgent(const QString &, QObject *context, Done done)
{
    deliver(context, [done] { done(Result<>()); });
}

void FakeSession::killThread(const QString &, QObject *context, Done done)
{
    deliver(context, [done] { done(Result<>()); });
}

void FakeSession::retryThread(const QString &threadId, QObject *context, Done done)
{
    retried.append(threadId);
    deliver(context, [done] { done(Result<>()); });
}

void FakeSession::setThreadBudget(const QString &, qint64, QObject *context, Done done)
{
    deliver(context, [done] { done(Result<>()); });
}

void FakeSession::setScopeBudget(const QString &scope, const ScopeBudgetChange &change, QObject *context, Done done)
{
    scopeBudgetChanges.append({scope, change});
    deliver(context, [done] { done(Result<>()); });
}

void FakeSession::reloadConfig(QObject *context, ReloadReply reply)
{
    deliver(context, [reply] { reply(ConfigChanges{}); });
}

void FakeSession::stopOrganism(QObject *context, Done done)
{
    deliver(context, [done] { done(Result<>()); });
}

void FakeSession::resetUsage(QObject *context, Done done)
{
    replaceUsage({});
    deliver(context, [done] { done(Result<>()); });
}

} // namespace agentdesk::test
