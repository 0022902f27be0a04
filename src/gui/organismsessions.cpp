#include "organismsessions.h"

#include "session.h"

namespace agentdesk {

OrganismSessions::OrganismSessions(QObject *parent)
    : QObject(parent)
    , m_toReopen(AttachedSessions::remembered())
{ }

OrganismSessions::~OrganismSessions() = default;

void OrganismSessions::setLocal(Session *session, const QString &apiAddress)
{
    m_local = session;
    m_localApi = apiAddress;
}

Session *OrganismSessions::local() const
{
    return m_local.data();
}

Session *OrganismSessions::current() const
{
    return m_current.data();
}

bool OrganismSessions::isCurrentAttached() const
{
    return isAttached(current());
}

bool OrganismSessions::isKnown(const Session *session) const
{
    return session && (session == m_local || isAttached(session));
}

QString OrganismSessions::apiAddressOf(const Session *session) const
{
    if (isAttached(session))
        return m_attached.urlOf(session).toDisplayString();
    return session == m_local ? m_localApi : QString();
}

QString OrganismSessions::displayName(const Session *session) const
{
    return session->isConnected() ? session->organism().name : apiAddressOf(session);
}

void OrganismSessions::setCurrent(Session *session)
{
    m_current = session;
    emit currentChanged(session, apiAddressOf(session));
}

void OrganismSessions::showLocal()
{
    setCurrent(local());
}

bool OrganismSessions::show(Session *session)
{
    if (!isKnown(session) || session == current())
        return false;
    setCurrent(session);
    return true;
}

Session *OrganismSessions::attach(const QUrl &url, const QString &apiKey, const QString &keyVariable)
{
    if (Session *open = m_attached.find(url))
        return open;
    Session *made = m_attached.add(url, apiKey, keyVariable);
    if (!made) {
        emit attachFailed(url);
        return nullptr;
    }
    emit attachedSession(made, url);
    made->open();
    return made;
}

bool OrganismSessions::connectTo(const QUrl &url, const QString &apiKey, const QString &keyVariable)
{
    if (!canConnect())
        return false;
    Session *made = attach(url, apiKey, keyVariable);
    if (!made)
        return false;
    setCurrent(made);
    return true;
}

void OrganismSessions::reopenRemembered()
{
    if (!canConnect())
        return;
    for (const AttachedSessions::Remembered &where : std::exchange(m_toReopen, {})) {
        attach(where.url, where.keyVariable.isEmpty() ? QString() : qEnvironmentVariable(qPrintable(where.keyVariable)),
               where.keyVariable);
    }
}

bool OrganismSessions::detach(Session *session)
{
    if (!isAttached(session))
        return false;
    if (session == current()) {
        Session *next = local();
        for (Session *other : m_attached.sessions()) {
            if (!next && other != session)
                next = other;
        }
        setCurrent(next);
    }
    emit detaching(session);
    const QString name = displayName(session);
    std::unique_ptr<Session> gone = m_attached.take(session);
    gone->close();
    gone.reset();
    emit detached(name);
    return true;
}

void OrganismSessions::reconnect(Session *session)
{
    session->close();
    session->open();
}

} // namespace agentdesk
