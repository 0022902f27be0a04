#include "remotequeries.h"

#include "remoteconnection.h"
#include "remotehttp.h"
#include "remotemessagereader.h"
#include "remoteresync.h"
#include "remotetrace.h"
#include "remoteusage.h"

#include "sharedhistory.h"

#include "messageparser.h"
#include "organismparser.h"
#include "threadparser.h"
#include "timestamps.h"
#include "tracejson.h"
#include "usagejson.h"
#include "usageparser.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

using Response = RemoteHttp::Response;
using Context = RemotePingFence::Context;

constexpr int kThreadPageLimit = 100; // the API's bound for /threads (spec §5.8)

// The texts keep RemoteSession's translation context, where they were translated.
QString noUsageOverTime()
{
    return QCoreApplication::translate("agentdesk::RemoteSession", "this server keeps no usage over time");
}

QString noSharedHistory()
{
    return QCoreApplication::translate("agentdesk::RemoteSession", "this server lists no shared history");
}

} // namespace

// A thread list read page by page: the API pages by at most 100.
struct RemoteQueries::ThreadRead
{
    ThreadQuery query;
    Context context;
    Session::ThreadPageReply reply;
    quint64 generation = 0;
    ThreadPage page;
    qint64 offset = 0;
};

RemoteQueries::RemoteQueries(Session &session, RemoteHttp *http, RemoteConnection *connection, RemotePingFence *fence,
                             const wire::PayloadLayout *layout, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_http(http)
    , m_connection(connection)
    , m_fence(fence)
    , m_layout(layout)
{ }

void RemoteQueries::fetchThreads(const ThreadQuery &query, QObject *context, Session::ThreadPageReply reply)
{
    auto read = std::make_shared<ThreadRead>();
    read->query = query;
    read->context = RemotePingFence::contextOf(context);
    read->reply = std::move(reply);
    read->generation = m_generation;
    read->page.offset = query.offset;
    read->page.limit = query.limit;
    read->offset = std::max<qint64>(query.offset, 0);
    if (m_session.updateMode() == UpdateMode::Polling) // read right after a round emitted everything before it
        m_resync->afterNextRound([this, read] { readThreadPage(read); });
    else
        readThreadPage(read);
}

void RemoteQueries::readThreadPage(const std::shared_ptr<ThreadRead> &read)
{
    const bool wantsAll = read->query.limit < 0;
    const qint64 remaining = wantsAll ? kThreadPageLimit : read->query.limit - read->page.items.size();
    QUrlQuery params;
    if (read->query.status)
        params.addQueryItem(u"status"_s, toString(*read->query.status));
    if (!read->query.agent.isEmpty())
        params.addQueryItem(u"agent"_s, read->query.agent);
    params.addQueryItem(u"limit"_s, QString::number(std::clamp<qint64>(remaining, 1, kThreadPageLimit)));
    params.addQueryItem(u"offset"_s, QString::number(read->offset));
    m_http->get(u"/api/v1/threads"_s, params, [this, read, wantsAll](const Response &response) {
        if (read->generation != m_generation)
            return;
        const auto page = response.ok() && response.json ? wire::parseThreadPage(*response.json) : std::nullopt;
        if (!page) {
            const QString error = response.ok()
                ? QCoreApplication::translate("agentdesk::RemoteSession", "unexpected answer to GET /api/v1/threads")
                : response.detailText();
            m_fence->deliverAfterPing(read->context, [reply = read->reply, error] { reply(fail(error)); });
            return;
        }
        read->page.total = page->total;
        for (const ThreadInfo &thread : page->items) {
            if (wantsAll || read->page.items.size() < read->query.limit)
                read->page.items.append(thread);
        }
        read->offset += page->items.size();
        const bool complete = page->items.size() < kThreadPageLimit || read->offset >= page->total
            || (!wantsAll && read->page.items.size() >= read->query.limit);
        if (!complete) {
            readThreadPage(read);
            return;
        }
        m_fence->deliverAfterPing(read->context, [reply = read->reply, result = read->page] { reply(result); });
    });
}

void RemoteQueries::fetchThread(const QString &threadId, QObject *context, Session::ThreadReply reply)
{
    const QString path = u"/api/v1/threads/"_s + RemoteHttp::pathSegment(threadId);
    const auto start = [this, path, context = RemotePingFence::contextOf(context), reply, generation = m_generation] {
        m_http->get(path, {}, [this, context, reply, generation](const Response &response) {
            if (generation != m_generation)
                return;
            const Result<ThreadInfo> thread = orFailure(
                response.ok() && response.json ? wire::parseThreadInfo(*response.json) : std::nullopt,
                response.detailText());
            m_fence->deliverAfterPing(context, [reply, thread] { reply(thread); });
        });
    };
    if (m_session.updateMode() == UpdateMode::Polling)
        m_resync->afterNextRound(start);
    else
        start();
}

RemoteQueries::PageFetch RemoteQueries::messagePages(const QString &path, const QUrlQuery &filters, bool threadPath)
{
    return [this, path, filters, threadPath, generation = m_generation](qint64 offset, int limit, MessagesRead reply) {
        QUrlQuery query = filters;
        query.addQueryItem(u"limit"_s, QString::number(limit));
        query.addQueryItem(u"offset"_s, QString::number(offset));
        m_http->get(path, query, [this, reply, threadPath, generation](const Response &response) {
            if (generation != m_generation)
                return;
            // An unknown thread has no messages, as in the local history.
            if (threadPath && response.status == 404 && response.error.detail.startsWith(u"Thread not found"_s)) {
                reply(MessagePage{});
                return;
            }
            const auto page = response.ok() && response.json ? wire::parseMessagePage(*response.json, m_layout)
                                                             : std::nullopt;
            if (!page) {
                reply(fail(response.ok() ? QCoreApplication::translate("agentdesk::RemoteSession",
                                                                       "unexpected answer to GET /api/v1/messages")
                                         : response.detailText()));
                return;
            }
            reply(*page);
        });
    };
}

void RemoteQueries::fetchMessages(const MessageQuery &query, QObject *context, Session::MessagePageReply reply)
{
    readMessages(query, [this, context = RemotePingFence::contextOf(context), reply](const Result<MessagePage> &page) {
        // Pages are merged by seq (Session's exception): no fence needed.
        m_fence->deliverNow(context, [reply, page] { reply(page); });
    });
}

void RemoteQueries::readMessages(const MessageQuery &query, MessagesRead done)
{
    // The server filters what it can — the original only by agent (or a thread, through its own path),
    // agentdesk also by thread, payload type, time and `after` — and the rest is filtered here.
    const QString messagesPath = u"/api/v1/messages"_s;
    const wire::ApiDescription &api = m_connection->features().api;
    const auto serves = [&api, &messagesPath](const QString &name) {
        return api.acceptsQuery(u"GET"_s, messagesPath, name);
    };
    const bool threadPath = !query.threadId.isEmpty() && !serves(u"thread"_s);
    const QString path = threadPath ? u"/api/v1/threads/"_s + RemoteHttp::pathSegment(query.threadId) + u"/messages"_s
                                    : messagesPath;
    QUrlQuery filters;
    MessageQuery local; // what is left for the client
    if (!threadPath) {
        if (!query.agent.isEmpty())
            filters.addQueryItem(u"agent"_s, query.agent);
        if (!query.threadId.isEmpty())
            filters.addQueryItem(u"thread"_s, query.threadId);
    } else {
        local.agent = query.agent;
    }
    const auto serverOrLocal = [&](const QString &name, bool given, const QString &value, auto keepLocal) {
        if (!given)
            return;
        if (!threadPath && serves(name))
            filters.addQueryItem(name, value);
        else
            keepLocal();
    };
    serverOrLocal(u"payloadType"_s, !query.payloadType.isEmpty(), query.payloadType,
                  [&] { local.payloadType = query.payloadType; });
    serverOrLocal(u"since"_s, query.since.isValid(), wire::formatTimestamp(query.since),
                  [&] { local.since = query.since; });
    serverOrLocal(u"until"_s, query.until.isValid(), wire::formatTimestamp(query.until),
                  [&] { local.until = query.until; });
    serverOrLocal(u"text"_s, !query.text.isEmpty(), query.text, [&] { local.text = query.text; });

    RemoteMessageReader::Request request;
    request.query = query;
    const bool clientFilters = !local.agent.isEmpty() || !local.payloadType.isEmpty() || local.since.isValid()
        || local.until.isValid() || !local.text.isEmpty();
    if (clientFilters) {
        // The text is searched in the XML rebuilt from the payload (the server's own XML is not sent):
        // element names and values as the local history would match them.
        request.clientFilter = [local](const MessageRecord &message) {
            if (!local.agent.isEmpty() && message.from != local.agent && message.to != local.agent)
                return false;
            if (!local.payloadType.isEmpty() && message.payloadType != local.payloadType)
                return false;
            if (local.since.isValid() && message.timestamp < local.since)
                return false;
            if (local.until.isValid() && message.timestamp > local.until)
                return false;
            return local.text.isEmpty() || QString::fromUtf8(message.xml).contains(local.text, Qt::CaseInsensitive);
        };
    } else if (query.afterSeq > 0 && !threadPath && serves(u"after"_s)) {
        // With client filters the whole list is counted, so `after` is only used without them.
        filters.addQueryItem(u"after"_s, QString::number(query.afterSeq));
        request.serverAppliesAfter = true;
    }
    RemoteMessageReader::read(request, messagePages(path, filters, threadPath), std::move(done));
}

void RemoteQueries::fetchTimeline(const QString &threadId, int limit, QObject *context, Session::TraceReply reply)
{
    if (!m_session.abilities().tracesThreads) {
        remotetrace::readFromMessages(&m_session, threadId, limit, context, std::move(reply));
        return;
    }
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, QString::number(std::clamp(limit, 1, 5000)));
    const QString path = u"/api/v1/threads/"_s + RemoteHttp::pathSegment(threadId) + u"/timeline"_s;
    m_http->get(path, query,
                [this, context = RemotePingFence::contextOf(context), reply,
                 generation = m_generation](const Response &response) {
                    if (generation != m_generation)
                        return;
                    const Result<ThreadTrace> trace = orFailure(response.ok() && response.json
                                                                    ? wire::parseThreadTrace(*response.json, m_layout)
                                                                    : std::nullopt,
                                                                response.detailText());
                    m_fence->deliverAfterPing(context, [reply, trace] { reply(trace); });
                });
}

void RemoteQueries::fetchUsageBuckets(UsageBucketSize size, UsageGroupBy groupBy, const QDateTime &since,
                                      const QDateTime &until, const UsageSeriesFilter &filter, QObject *context,
                                      Session::UsageBucketsReply reply)
{
    const Context guarded = RemotePingFence::contextOf(context);
    if (filter.outcome && !m_session.abilities().filtersUsageOutcome) {
        m_fence->deliverNow(guarded, [reply] {
            reply(fail(QCoreApplication::translate("agentdesk::RemoteSession",
                                                   "this server cannot tell calls apart by outcome")));
        });
        return;
    }
    if (!m_session.abilities().bucketsUsage) {
        // The original has no usage over time, but its history has every call: the buckets are built here.
        if (!m_connection->features().usageHistory) {
            m_fence->deliverNow(guarded, [reply] { reply(fail(noUsageOverTime())); });
            return;
        }
        remoteusage::readBuckets(
            m_http, size, groupBy, since, until, filter,
            [this, guarded, reply, generation = m_generation](const Result<QList<UsageBucket>> &buckets) {
                if (generation == m_generation)
                    m_fence->deliverAfterPing(guarded, [reply, buckets] { reply(buckets); });
            });
        return;
    }
    QUrlQuery query;
    query.addQueryItem(u"bucket"_s, wire::usageBucketName(size));
    query.addQueryItem(u"groupBy"_s, wire::usageGroupByName(groupBy));
    if (since.isValid())
        query.addQueryItem(u"since"_s, wire::formatTimestamp(since));
    if (until.isValid())
        query.addQueryItem(u"until"_s, wire::formatTimestamp(until));
    if (!filter.agent.isEmpty())
        query.addQueryItem(u"agent"_s, filter.agent);
    if (!filter.model.isEmpty())
        query.addQueryItem(u"model"_s, filter.model);
    if (filter.outcome)
        query.addQueryItem(u"outcome"_s, toString(*filter.outcome));
    m_http->get(u"/api/v1/usage/timeseries"_s, query,
                [this, guarded, reply, generation = m_generation](const Response &response) {
                    if (generation != m_generation)
                        return;
                    if (response.status == 404) {
                        m_fence->deliverAfterPing(guarded, [reply] { reply(fail(noUsageOverTime())); });
                        return;
                    }
                    const Result<QList<UsageBucket>> buckets = orFailure(
                        response.ok() && response.json ? wire::parseUsageTimeseries(*response.json) : std::nullopt,
                        response.detailText());
                    m_fence->deliverAfterPing(guarded, [reply, buckets] { reply(buckets); });
                });
}

void RemoteQueries::fetchHistoryInstances(QObject *context, Session::HistoryInstancesReply reply)
{
    const Context guarded = RemotePingFence::contextOf(context);
    if (!m_session.abilities().sharesHistory) {
        m_fence->deliverNow(guarded, [reply] { reply(fail(noSharedHistory())); });
        return;
    }
    m_http->get(u"/api/v1/history/organisms"_s, {},
                [this, guarded, reply, generation = m_generation](const Response &response) {
                    if (generation != m_generation)
                        return;
                    const auto instances = response.ok() && response.json ? wire::parseHistoryOrganisms(*response.json)
                                                                          : std::nullopt;
                    const Result<QList<HistoryInstance>> list = orFailure(
                        instances,
                        response.ok() ? QCoreApplication::translate(
                            "agentdesk::RemoteSession", "unexpected answer to GET /api/v1/history/organisms")
                                      : response.detailText());
                    m_fence->deliverNow(guarded, [reply, list] { reply(list); });
                });
}

void RemoteQueries::fetchHistoryBilling(QObject *context, Session::HistoryBillingReply reply)
{
    const Context guarded = RemotePingFence::contextOf(context);
    if (!m_session.abilities().sharesHistory) {
        m_fence->deliverNow(guarded, [reply] { reply(fail(noSharedHistory())); });
        return;
    }
    QUrlQuery query;
    query.addQueryItem(u"scope"_s, u"all"_s);
    m_http->get(
        u"/api/v1/usage/billing"_s, query, [this, guarded, reply, generation = m_generation](const Response &response) {
            if (generation != m_generation)
                return;
            const auto summary = response.ok() && response.json ? wire::parseBilling(*response.json) : std::nullopt;
            if (!summary) {
                const QString error = response.ok() ? QCoreApplication::translate(
                                          "agentdesk::RemoteSession", "unexpected answer to GET /api/v1/usage/billing")
                                                    : response.detailText();
                return m_fence->deliverNow(guarded, [reply, error] { reply(fail(error)); });
            }
            const HistoryBilling billing = historyBillingOf(*summary, QDateTime::currentDateTimeUtc());
            m_fence->deliverNow(guarded, [reply, billing] { reply(billing); });
        });
}

} // namespace agentdesk
