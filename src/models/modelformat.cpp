#include "modelformat.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk::modelformat {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("agentdesk::modelformat", text);
}
} // namespace

QString count(qint64 value)
{
    return QLocale().toString(value);
}

QString cost(double usd)
{
    return u"$"_s + QLocale().toString(usd, 'f', 4);
}

QString percent(double value)
{
    return QLocale().toString(value, 'f', 1) + u" %"_s;
}

QString milliseconds(double value)
{
    if (std::isnan(value))
        return noValue(); // e.g. the original server reports no latency per agent or model
    return QLocale().toString(value, 'f', 1) + u" ms"_s;
}

QString noValue()
{
    return u"—"_s;
}

QString timestamp(const QDateTime &time)
{
    return time.isValid() ? time.toLocalTime().toString(u"yyyy-MM-dd hh:mm:ss"_s) : QString();
}

QString stateText(AgentState state)
{
    switch (state) {
    case AgentState::Idle:
        return tr("idle");
    case AgentState::Processing:
        return tr("processing");
    case AgentState::Waiting:
        return tr("waiting");
    case AgentState::Error:
        return tr("error");
    case AgentState::Paused:
        return tr("paused");
    }
    return {};
}

QString statusText(ThreadStatus status)
{
    switch (status) {
    case ThreadStatus::Active:
        return tr("active");
    case ThreadStatus::Completed:
        return tr("completed");
    case ThreadStatus::Error:
        return tr("error");
    case ThreadStatus::Killed:
        return tr("killed");
    }
    return {};
}

QColor stateColor(AgentState state)
{
    switch (state) {
    case AgentState::Idle:
        return QColor(0x7f, 0x8c, 0x8d); // grey
    case AgentState::Processing:
        return QColor(0x27, 0xae, 0x60); // green
    case AgentState::Waiting:
        return QColor(0xf3, 0x9c, 0x12); // amber
    case AgentState::Error:
        return QColor(0xc0, 0x39, 0x2b); // red
    case AgentState::Paused:
        return QColor(0x29, 0x80, 0xb9); // blue
    }
    return {};
}

QString stateIconName(AgentState state)
{
    switch (state) {
    case AgentState::Idle:
        return u"media-playback-stop"_s;
    case AgentState::Processing:
        return u"media-playback-start"_s;
    case AgentState::Waiting:
        return u"appointment-soon"_s;
    case AgentState::Error:
        return u"dialog-error"_s;
    case AgentState::Paused:
        return u"media-playback-pause"_s;
    }
    return {};
}

QColor statusColor(ThreadStatus status)
{
    switch (status) {
    case ThreadStatus::Active:
        return QColor(0x27, 0xae, 0x60);
    case ThreadStatus::Completed:
        return QColor(0x7f, 0x8c, 0x8d);
    case ThreadStatus::Error:
        return QColor(0xc0, 0x39, 0x2b);
    case ThreadStatus::Killed:
        return QColor(0x8e, 0x44, 0xad);
    }
    return {};
}

} // namespace agentdesk::modelformat
