#include "savedconnections.h"

#include <QSettings>
#include <QVariantMap>

#include <optional>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

const QString kSavedKey = u"connect/saved"_s;

void store(const QList<SavedConnection> &connections)
{
    QVariantList list;
    for (const SavedConnection &connection : connections) {
        list.append(QVariantMap{{u"name"_s, connection.name},
                                {u"url"_s, connection.url.toString()},
                                {u"keyVariable"_s, connection.keyVariable}});
    }
    QSettings().setValue(kSavedKey, list);
}

} // namespace

QList<SavedConnection> SavedConnections::load()
{
    QList<SavedConnection> connections;
    const QVariantList list = QSettings().value(kSavedKey).toList();
    for (const QVariant &item : list) {
        const QVariantMap map = item.toMap();
        SavedConnection connection{map.value(u"name"_s).toString(), QUrl(map.value(u"url"_s).toString()),
                                   map.value(u"keyVariable"_s).toString()};
        if (!connection.name.isEmpty() && connection.url.isValid())
            connections.append(connection);
    }
    return connections;
}

void SavedConnections::save(const SavedConnection &connection)
{
    QList<SavedConnection> connections = load();
    const auto same = std::find_if(connections.begin(), connections.end(),
                                   [&connection](const SavedConnection &saved) { return saved.name == connection.name; });
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
