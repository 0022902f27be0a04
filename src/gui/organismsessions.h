#pragma once

#include "attachedsessions.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

namespace agentdesk {

class Session;

// The sessions the window keeps, and which one is on show: the organism of this process (local, not
// owned, with the address of its API) and any number behind other AgentServers (AttachedSessions: made
// by the application's factory, owned, remembered and reopened at the next start). It opens, reopens and
// closes them and says when one joins or leaves (the Organisms list and the alerts follow) and when
// another is to be shown (the pages follow).
class OrganismSessions final : public QObject
{
    Q_OBJECT
public:
    using Factory = AttachedSessions::Factory;

    // Reads the connections remembered at the last close (reopenRemembered() opens them).
    explicit OrganismSessions(QObject *parent = nullptr);
    ~OrganismSessions() override;

    void setFactory(Factory factory) { m_attached.setFactory(std::move(factory)); }
    bool canConnect() const { return m_attached.canConnect(); }

    // The organism this process runs (nullptr while there is none). Not shown by this.
    void setLocal(Session *session, const QString &apiAddress);
    Session *local() const;

    Session *current() const;
    bool isAttached(const Session *session) const { return m_attached.contains(session); }
    bool isCurrentAttached() const;
    QList<Session *> attached() const { return m_attached.sessions(); }
    bool isKnown(const Session *session) const;
    // Where its API is: the local one's address, an attached one's URL; empty for neither.
    QString apiAddressOf(const Session *session) const;
    // How messages name it: its organism's name once connected, else where it is.
    QString displayName(const Session *session) const;

    // Shows a session (nullptr: none), even the one on show (the pages start over with it).
    void setCurrent(Session *session);
    // Shows a known session other than the one on show; false for any other.
    bool show(Session *session);
    void showLocal();

    // A new connection beside the others (or the one already open to url): opened and listed, not shown.
    // nullptr when no session could be made (attachFailed).
    Session *attach(const QUrl &url, const QString &apiKey, const QString &keyVariable);
    // attach, then shown. False when no session could be made.
    bool connectTo(const QUrl &url, const QString &apiKey, const QString &keyVariable);
    // The connections open at the last close, opened again beside those already made (not shown); the
    // key is read from the environment variable remembered with each.
    void reopenRemembered();
    // Closes an attached connection and forgets it; on show, another organism is shown first (the local
    // one, else the first attached one left). False for a session that is not attached.
    bool detach(Session *session);
    // Closes a session's connection and opens it again.
    static void reconnect(Session *session);

signals:
    void currentChanged(Session *session, const QString &apiAddress);
    void attachedSession(Session *session, const QUrl &url); // made and listed, about to open
    void attachFailed(const QUrl &url);                      // the factory makes no session for it
    void detaching(Session *session);                        // still open; destroyed next
    void detached(const QString &name);                      // closed and gone (displayName before)

private:
    AttachedSessions m_attached;
    QList<AttachedSessions::Remembered> m_toReopen; // the settings' list when this was made
    QPointer<Session> m_local;
    QString m_localApi;
    QPointer<Session> m_current;
};

} // namespace agentdesk
