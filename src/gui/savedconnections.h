#pragma once

#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace agentdesk {

// A server the operator connects to again and again. The API key is never stored: only the name of the
// environment variable that holds it (read when connecting), so the settings file holds no secret.
struct SavedConnection
{
    QString name;
    QUrl url;
    QString keyVariable; // empty: the server needs no key (or it is typed each time)
    bool operator==(const SavedConnection &other) const = default;
};

// The saved connections in the settings (QSettings, `connect/saved`), in the order they were saved.
class SavedConnections
{
public:
    static QList<SavedConnection> load();
    static void save(const SavedConnection &connection); // replaces one of the same name
    static void forget(const QString &name);
    static std::optional<SavedConnection> find(const QString &name);

    // The key a connection uses: the variable's value (empty when it is unset or has none).
    static QString keyOf(const SavedConnection &connection);
};

} // namespace agentdesk
