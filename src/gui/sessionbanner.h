#pragma once

#include <QObject>
#include <QString>

class QFrame;
class QLabel;
class QPushButton;

namespace agentdesk {

class Session;
struct OrganismInfo;

// The strip above the pages that says what the window cannot show or do right now — starting, no
// organism, connecting, gone, stopping, stopped, a history that refuses new messages — or, in a colour
// of its own, that the organism on show is another server's. Its one button offers the way on: start,
// reconnect, or back to the local organism.
class SessionBanner final : public QObject
{
    Q_OBJECT
public:
    enum class Action { None, Start, Reconnect, Local };
    Q_ENUM(Action)
    enum class Style { Warning, Remote };

    // What the window knows when the banner is decided.
    struct Situation
    {
        const Session *session = nullptr; // the one on show; nullptr: none
        bool attached = false;            // another server's
        QString where = {};               // its address (or endpoint), for the texts
        bool starting = false;            // the local organism is being started
        QString startError = {};          // why it last failed to start
        bool canStart = false;
    };

    SessionBanner(QFrame *frame, QLabel *label, QPushButton *button, QObject *parent = nullptr);

    void show(const Situation &situation);
    bool isVisible() const;
    QString text() const; // "" while hidden
    Style style() const { return m_style; }

signals:
    void actionTriggered(agentdesk::SessionBanner::Action action);

private:
    void set(const QString &text, Action action = Action::None, Style style = Style::Warning);
    static QString remoteText(const Session &session, const OrganismInfo &info, const QString &where);

    QFrame *m_frame;
    QLabel *m_label;
    QPushButton *m_button;
    Action m_action = Action::None;
    Style m_style = Style::Warning;
};

} // namespace agentdesk
