#pragma once

#include <QString>

namespace agentdesk {

// The three lifecycles of the runtime. Their string forms are the API's enum values (spec §2.4);
// they live in core because the store persists them too.
enum class AgentState { Idle, Processing, Waiting, Error, Paused };
enum class ThreadStatus { Active, Completed, Error, Killed };
enum class OrganismStatus { Starting, Running, Stopping, Stopped };

QString toString(AgentState state);
QString toString(ThreadStatus status);
QString toString(OrganismStatus status);

// Return false when the text is not one of the enum's values.
bool parseAgentState(const QString &text, AgentState *state);
bool parseThreadStatus(const QString &text, ThreadStatus *status);

} // namespace agentdesk
