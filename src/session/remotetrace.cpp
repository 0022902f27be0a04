#include "remotetrace.h"

namespace agentdesk::remotetrace {

void readFromMessages(Session *session, const QString &threadId, int limit, QObject *context, Session::TraceReply reply)
{
    session->fetchThread(threadId, context,
                         [session, threadId, limit, context, reply](const Result<ThreadInfo> &thread) {
                             if (!thread)
                                 return reply(tl::unexpected(thread.error()));
                             session->fetchConversation(
                                 threadId, limit, context, [reply, info = *thread](const Result<MessagePage> &page) {
                                     if (!page)
                                         return reply(tl::unexpected(page.error()));
                                     ThreadTrace trace;
                                     trace.thread = info;
                                     trace.totalHops = page->total;
                                     for (const MessageRecord &message : page->items)
                                         trace.hops.append(TraceHop{message, std::nullopt, {}, false});
                                     reply(trace);
                                 });
                         });
}

} // namespace agentdesk::remotetrace
