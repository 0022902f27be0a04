#pragma once

#include "session.h"

namespace agentdesk {

// A thread's timeline from a server without agentdesk's /threads/{id}/timeline (the original): what
// every AgentServer has — the thread and its messages — without handler runs or LLM calls.
namespace remotetrace {

void readFromMessages(Session *session, const QString &threadId, int limit, QObject *context,
                      Session::TraceReply reply);

} // namespace remotetrace

} // namespace agentdesk
