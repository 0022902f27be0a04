#include "sessionbanner.h"

#include "session.h"

#include <QFrame>
#include <QLabel>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace agentdesk {

SessionBanner::SessionBanner(QFrame *frame, QLabel *label, QPushButton *button, QObject *parent)
    : QObject(parent)
    , m_frame(frame)
    , m_label(label)
    , m_button(button)
{
    connect(m_button, &QPushButton::clicked, this, [this] {
        if (m_action != Action::None)
            emit actionTriggered(m_action);
    });
}

void SessionBanner::show(const Situation &situation)
{
    const Session *current = situation.session;
    const bool connected = current && current->isConnected();
    const OrganismInfo organism = connected ? current->organism() : OrganismInfo();
    const OrganismStatus status = connected ? organism.status : OrganismStatus::Stopped;
    const QString &where = situation.where;
    const bool attached = situation.attached;

    if (situation.starting)
        set(tr("Starting the organism…"));
    else if (!current && !attached)
        set(situation.startError.isEmpty() ? tr("No organism is running.")
                                           : tr("The organism could not start: %1").arg(situation.startError),
            situation.canStart ? Action::Start : Action::None);
    else if (current->state() == Session::State::Connecting)
        set(tr("Connecting to %1…").arg(where), attached ? Action::Local : Action::None,
            attached ? Style::Remote : Style::Warning);
    else if (current->state() == Session::State::Disconnected)
        set(current->errorText().isEmpty() ? tr("Not connected to %1.").arg(where)
                                           : tr("The connection to %1 is gone: %2").arg(where, current->errorText()),
            Action::Reconnect);
    else if (attached)
        set(remoteText(*current, organism, where), Action::Local, Style::Remote);
    else if (status == OrganismStatus::Stopping)
        set(tr("The organism is stopping: work in flight is allowed to finish."));
    else if (status == OrganismStatus::Stopped)
        set(tr("The organism is stopped."), situation.canStart ? Action::Start : Action::None);
    else if (!organism.historyProblem.isEmpty())
        set(tr("The history cannot store new messages, so new injects are refused until it can (nothing "
               "acknowledged is lost): %1")
                .arg(organism.historyProblem));
    else
        set({});
}

bool SessionBanner::isVisible() const
{
    return !m_frame->isHidden();
}

QString SessionBanner::text() const
{
    return isVisible() ? m_label->text() : QString();
}

void SessionBanner::set(const QString &text, Action action, Style style)
{
    m_action = action;
    m_style = style;
    m_frame->setVisible(!text.isEmpty());
    m_label->setText(text);
    m_button->setVisible(action != Action::None);
    switch (action) {
    case Action::Start:
        m_button->setText(tr("&Start"));
        break;
    case Action::Reconnect:
        m_button->setText(tr("&Reconnect"));
        break;
    case Action::Local:
        m_button->setText(tr("Back to the &local organism"));
        break;
    case Action::None:
        break;
    }
    if (text.isEmpty())
        m_frame->setStyleSheet(QString());
    else if (style == Style::Remote)
        m_frame->setStyleSheet(u"QFrame#banner { background: #d6eaf8; border: 2px solid #2874a6; }"
                               "QFrame#banner QLabel { color: #1b4f72; font-weight: bold; }"_s);
    else
        m_frame->setStyleSheet(u"QFrame#banner { background: #fdebd0; border: 1px solid #e59866; }"_s);
}

// What the window is showing when it shows another server's organism: always on screen, in its own
// colour, so nobody mistakes it for the local one.
QString SessionBanner::remoteText(const Session &session, const OrganismInfo &info, const QString &where)
{
    const ServerAbilities abilities = session.abilities();
    QString text = abilities.pauseHoldsWork
        ? tr("Remote: the organism “%1” at %2 (agentdesk). Every command acts on that server.").arg(info.name, where)
        : tr("Remote: the organism “%1” at %2 (the original AgentServer: its pause, kill and stop "
             "only change labels). Every command acts on that server.")
              .arg(info.name, where);
    if (session.updateMode() == UpdateMode::Polling)
        text += u' ' + tr("Live updates unavailable — polling every 2 s.");
    if (info.status == OrganismStatus::Stopping)
        text += u' '
            + (abilities.stopStopsWork ? tr("It is stopping.")
                                       : tr("It says “stopping”, but that is only a label: it goes on working."));
    else if (info.status == OrganismStatus::Stopped)
        text += u' ' + tr("It is stopped.");
    return text;
}

} // namespace agentdesk
