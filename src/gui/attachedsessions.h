#pragma once

#include <QList>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <vector>

namespace agentdesk {

class Session;

// The connections the window keeps open to organisms behind other AgentServers: made by the
// application's factory, owned here, in the order they were made. Each is remembered in the settings
// (`connect/open`: its URL and the name of the environment variable holding its key — never a key,
// as SavedConnections does) so the next start opens them again.
class AttachedSessions
{
public:
    using Factory = std::function<Session *(const QUrl &url, const QString &apiKey)>;
    struct Remembered
    {
        QUrl url;
        QString keyVariable; // empty: no key, or one typed for that connection only
        bool operator==(const Remembered &other) const = default;
    };

    AttachedSessions();
    ~AttachedSessions();
    Q_DISABLE_COPY_MOVE(AttachedSessions)

    void setFactory(Factory factory) { m_factory = std::move(factory); }
    bool canConnect() const { return bool(m_factory); }

    // A new session for url (not opened yet), or nullptr when the factory makes none.
    Session *add(const QUrl &url, const QString &apiKey, const QString &keyVariable);
    Session *find(const QUrl &url) const;
    bool contains(const Session *session) const;
    QUrl urlOf(const Session *session) const;
    QList<Session *> sessions() const;
    // No longer kept (nor remembered): the caller destroys it once nothing watches it.
    std::unique_ptr<Session> take(Session *session);

    // What the settings remember, in order; what was not reopened yet is reopened by the caller.
    static QList<Remembered> remembered();

private:
    struct Entry
    {
        std::unique_ptr<Session> session;
        Remembered where;
    };
    void remember() const;

    Factory m_factory;
    std::vector<Entry> m_entries;
};

} // namespace agentdesk
