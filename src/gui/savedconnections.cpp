#include "savedconnections.h"

#include <QSettings>

#include <optional>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

const QString kSavedKey = u"connect/saved"_s;

// A settings array of plain strings, readable in the file: anyone can see that no key is in it.
void store(const QList<SavedConnection> &connections)
{
    QSettings settings;
    settings.remove(kSavedKey);
    settings.beginWriteArray(kSavedKey, int(connections.size()));
    for (int i = 0; i < connections.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(u"name"_s, connections.at(i).name);
        settings.setValue(u"url"_s, connections.at(i).url.toString());
        settings.setValue(u"keyVariable"_s, connections.at(i).keyVariable);
    }
    settings.endArray();
}

} // namespace

QList<SavedConnection> SavedConnections::load()
{
    QList<SavedConnection> connections;
    QSettings settings;
    const int count = settings.beginReadArray(kSavedKey);
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        SavedConnection connection{settings.value(u"name"_s).toString(), QUrl(settings.value(u"url"_s).toString()),
                                   settings.value(u"keyVariable"_s).toString()};
        if (!connection.name.isEmpty() && connection.url.isValid())
            connections.append(connection);
    }
    settings.endArray();
    return connections;
}

void SavedConnections::save(const SavedConnection &connection)
{
    QList<SavedConnection> connections = load();
    const auto same = std::find_if(connections.begin(), connections.end(), [&connection](const SavedConnection &saved) {
        return saved.name == connection.name;
    });
    if (same != connections.end())
        *same = connection;
    else
        connections.append(connection);
    store(connections);
}

void SavedConnections::forget(const QString &name)
{
    QList<SavedConnection> connections = load();
    connections.removeIf([&name](const SavedConnection &saved) { return saved.name == name; });
    store(connections);
}

std::optional<SavedConnection> SavedConnections::find(const QString &name)
{
    for (const SavedConnection &connection : load()) {
        if (connection.name == name)
            return connection;
    }
    return std::nullopt;
}

QString SavedConnections::keyOf(const SavedConnection &connection)
{
    return connection.keyVariable.isEmpty() ? QString() : qEnvironmentVariable(qPrintable(connection.keyVariable));
}

} // namespace agentdesk
