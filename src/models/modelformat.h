#pragma once

#include "domain/states.h"

#include <QColor>
#include <QDateTime>
#include <QString>

namespace agentdesk::modelformat {

// How the models show values, so every table writes a count, a cost or a time the same way.
QString count(qint64 value);        // locale digit grouping: 12,345
QString cost(double usd);           // $0.0012 (4 places, as the API rounds)
QString percent(double value);      // 42.5 %
QString milliseconds(double value); // 250.0 ms; noValue() for NaN
QString noValue();                  // "—": no figure to show (not measured, or no price for an offline provider)
QString timestamp(const QDateTime &time); // local time, yyyy-MM-dd hh:mm:ss; empty when invalid

QString stateText(AgentState state);     // translated
QString statusText(ThreadStatus status); // translated
QColor stateColor(AgentState state);
QString stateIconName(AgentState state); // freedesktop icon name
QColor statusColor(ThreadStatus status);

} // namespace agentdesk::modelformat
