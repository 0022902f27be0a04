#pragma once

#include "domain/states.h"

#include <QColor>
#include <QIcon>

namespace agentdesk::stateicons {

// An agent state's icon: the theme's icon when there is one, else a drawn badge in the state's colour
// (a disc with a play, pause, clock, cross or stop glyph), so the state reads the same on any desktop.
QIcon agentState(AgentState state);
// A plain disc in a colour (thread status, severities).
QIcon disc(const QColor &color);
// The application's icon (window, tray).
QIcon application();

} // namespace agentdesk::stateicons
