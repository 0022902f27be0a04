#include "routes.h"

#include "injectjson.h"
#include "messagejson.h"
#include "organism.h"
#include "threadjson.h"
#include "tracejson.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

ApiResponse threadNotFound(const QString &id)
{
    return ApiResponse::detail(404, u"Thread not found: %1"_s.arg(id));
}

Route threadRoute(HttpMethod method, const QString &path, const QString &operationId, const QString &summary)
{
    Route route;
    route.method = method;
    route.path = path;
    route.operationId = operationId;
    route.summary = summary;
    route.tag = u"threads"_s;
    return route;
}

} // namespace

void addThreadRoutes(RouteTable &table, Organism *organism)
{
    Route list = threadRoute(HttpMethod::Get, u"/api/v1/threads"_s, u"listThreads"_s,
                             u"Threads, most recent activity first"_s);
    list.query = {
        {u"status"_s,
         QueryParam::Type::String,
         {},
         {},
         {},
         u"active, completed, error or killed (empty: any)"_s,
         false},
        {u"agent"_s, QueryParam::Type::String, {}, {}, {}, u"Threads this listener took part in"_s, false},
        limitParam(),
        offsetParam(),
    };
    list.responseSchema = u"ThreadList"_s;
    list.errorStatuses = {400, 422};
    list.cacheable = true;
    list.handler = [organism](const ApiRequest &request) {
        ThreadQuery query;
        const QString status = request.text(u"status"_s);
        if (!status.isEmpty()) {
            ThreadStatus parsed{};
            if (!parseThreadStatus(status, &parsed)) {
                // 400 with the original's exact text (a Python list repr), not a 422.
                return ApiResponse::detail(
                    400, u"Invalid status: %1. Valid values: ['active', 'completed', 'error', 'killed']"_s.arg(status));
            }
            query.status = parsed;
        }
        query.agent = request.text(u"agent"_s);
        query.limit = int(request.integer(u"limit"_s));
        query.offset = request.integer(u"offset"_s);
        ThreadPage page = organism->threads(query);
        page.offset = query.offset;
        page.limit = query.limit;
        return ApiResponse::json(wire::threadPageJson(page));
    };
    table.add(list);

    Route detail = threadRoute(HttpMethod::Get, u"/api/v1/threads/{thread_id}"_s, u"getThread"_s, u"One thread"_s);
    detail.responseSchema = u"ThreadInfo"_s;
    detail.errorStatuses = {404};
    detail.cacheable = true;
    detail.handler = [organism](const ApiRequest &request) {
        const auto thread = organism->thread(request.arg(0));
        return thread ? ApiResponse::json(wire::threadInfoJson(*thread)) : threadNotFound(request.arg(0));
    };
    table.add(detail);

    Route messages = threadRoute(HttpMethod::Get, u"/api/v1/threads/{thread_id}/messages"_s, u"listThreadMessages"_s,
                                 u"A thread's messages, newest first"_s);
    messages.query = {limitParam(), offsetParam()};
    messages.responseSchema = u"MessageList"_s;
    messages.errorStatuses = {404, 422};
    messages.cacheable = true;
    messages.handler = [organism](const ApiRequest &request) {
        if (!organism->thread(request.arg(0)))
            return threadNotFound(request.arg(0));
        MessageQuery query;
        query.threadId = request.arg(0);
        query.limit = int(request.integer(u"limit"_s));
        query.offset = request.integer(u"offset"_s);
        MessagePage page = organism->messages(query);
        page.offset = query.offset;
        page.limit = query.limit;
        return ApiResponse::json(wire::messagePageJson(page));
    };
    table.add(messages);

    Route timeline = threadRoute(HttpMethod::Get, u"/api/v1/threads/{thread_id}/timeline"_s, u"getThreadTimeline"_s,
                                 u"A thread's timeline: every hop with its queue wait and handler time, the LLM calls "
                                 u"made for it, and where the thread came from"_s);
    timeline.description = u"The thread's newest `limit` messages, oldest first. Each hop says how its handler ran "
                           u"(`run`: when it started and ended, queue wait and handler time, its error; null while "
                           u"waiting) and the LLM attempts made for it (`llm`: usage, prompt and response). A "
                           u"forked thread's first hops are `copied` from the source thread's history."_s;
    timeline.query = {{u"limit"_s, QueryParam::Type::Integer, 1, 5000, 500, u"The newest hops to return"_s, false}};
    timeline.responseSchema = u"ThreadTimeline"_s;
    timeline.errorStatuses = {404, 422};
    timeline.cacheable = true;
    timeline.extension = true;
    timeline.handler = [organism](const ApiRequest &request) {
        const auto trace = organism->trace(request.arg(0), int(request.integer(u"limit"_s)));
        return trace ? ApiResponse::json(wire::threadTraceJson(*trace)) : threadNotFound(request.arg(0));
    };
    table.add(timeline);

    for (const ThreadOriginKind kind : {ThreadOriginKind::Replay, ThreadOriginKind::Fork}) {
        const bool fork = kind == ThreadOriginKind::Fork;
        Route branch = threadRoute(HttpMethod::Post, u"/api/v1/threads/{thread_id}/"_s + toString(kind),
                                   fork ? u"forkThread"_s : u"replayMessage"_s,
                                   fork ? u"A new thread with this thread's history up to a message, then that "
                                          u"message (as it was, or with a new payload)"_s
                                        : u"Send a message's payload (as it was, or a new one) to the same listener "
                                          u"in a new thread"_s);
        branch.description = u"`messageId` names a message of this thread; `payload`, when given, replaces its "
                             u"payload (validated against the listener's XSD, as for inject). Admitted like an "
                             u"inject and answered once committed, with the new thread's id and the id of the "
                             u"message sent. "_s
            + (fork ? u"The new thread starts with copies of the messages before that one (the "
                      u"same senders, payloads and times; new ids), recorded as handled, then the "
                      u"message from its original sender."_s
                    : u"The message is sent from `from` (api or operator)."_s);
        branch.access = Access::Write;
        branch.requestSchema = u"BranchRequest"_s;
        branch.responseSchema = u"InjectResponse"_s;
        branch.errorStatuses = {400, 401, 403, 404, 409, 422, 503, 507};
        branch.extension = true;
        branch.deferredHandler = [organism, kind](const ApiRequest &request, ApiReply reply) {
            const wire::BranchParse parse = wire::parseBranchBody(request.body, kind, request.arg(0));
            if (!parse.ok())
                return reply(ApiResponse::validation(parse.errors));
            organism->branchAcknowledged(parse.request, organism,
                                         [payload = parse.payload, reply](const InjectResult &result) {
                                             reply(injectResultResponse(result, payload));
                                         });
        };
        table.add(branch);
    }

    Route kill = threadRoute(HttpMethod::Post, u"/api/v1/threads/{thread_id}/kill"_s, u"killThread"_s,
                             u"Cancel the thread's queued and in-flight work and free its budget"_s);
    kill.access = Access::Write;
    kill.responseSchema = u"KillResult"_s;
    kill.errorStatuses = {401, 403, 404};
    kill.handler = [organism](const ApiRequest &request) {
        if (!organism->killThread(request.arg(0)))
            return threadNotFound(request.arg(0));
        return ApiResponse::json(wire::threadKilledJson(request.arg(0)));
    };
    table.add(kill);

    Route retry = threadRoute(HttpMethod::Post, u"/api/v1/threads/{thread_id}/retry"_s, u"retryThread"_s,
                              u"Run a thread in error again from the delivery that failed"_s);
    retry.description = u"agentdesk extension. The thread's failed delivery — and whatever its failure cut short — is "
                        u"queued again and the thread is `active`; the listeners' `retry:` applies anew. Answered "
                        u"once the thread's row is committed. 404 for an unknown thread, 409 when the thread is not "
                        u"in `error`, nothing of it is left to run, a listener it needs no longer exists or the "
                        u"organism is not running; 503 (with Retry-After) while the organism is saturated, 507 while "
                        u"the history cannot commit, like an inject."_s;
    retry.access = Access::Write;
    retry.extension = true;
    retry.responseSchema = u"RetryResult"_s;
    retry.errorStatuses = {401, 403, 404, 409, 503, 507};
    retry.deferredHandler = [organism](const ApiRequest &request, ApiReply reply) {
        const QString threadId = request.arg(0);
        organism->retryThreadAcknowledged(threadId, organism, [reply, threadId](const RetryResult &result) {
            if (result)
                return reply(ApiResponse::json(wire::threadRetriedJson(result->threadId, result->deliveries)));
            const RetryFailure &failure = result.error();
            switch (failure.kind) {
            case RetryError::UnknownThread:
                return reply(threadNotFound(threadId));
            case RetryError::NotInError:
            case RetryError::NothingLeft:
            case RetryError::ListenerGone:
            case RetryError::NotRunning:
                return reply(ApiResponse::detail(409, u"Cannot retry the thread: "_s + failure.message));
            case RetryError::QueueFull:
                return reply(
                    ApiResponse::detail(503, failure.message)
                        .withHeader("Retry-After", QByteArray::number(std::max(1, failure.retryAfterSeconds))));
            case RetryError::HistoryUnavailable:
                return reply(ApiResponse::detail(507, failure.message));
            }
        });
    };
    table.add(retry);
}

} // namespace agentdesk
