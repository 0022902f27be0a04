#include "remotetrace.h"

namespace agentdesk::remotetrace {

void readFromMessages(Session *session, const QString &threadId, int limit, QObject *context,
                      Session::TraceReply reply)
{
    session->fetchThread(threadId, context, [session, threadId, limit, context, reply](
                                                const std::optional<ThreadInfo> &thread, const QString &error) {
        if (!thread) {
            reply(std::nullopt, error);
            return;
        }
        session->fetchConversation(threadId, limit, context, [reply, info = *thread](const MessagePage &page,
                                                                                     const QString &pageError) {
            if (!pageError.isEmpty()) {
                reply(std::nullopt, pageError);
                return;
            }
            ThreadTrace trace;
            trace.thread = info;
            trace.totalHops = page.total;
            for (const MessageRecord &message : page.items)
                trace.hops.append(TraceHop{message, std::nullopt, {}, false});
            reply(trace, {});
        });
    });
}

} // namespace agentdesk::remotetrace
