#pragma once

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>

namespace agentdesk::wire {

// What a server's /openapi.json says it serves: both FastAPI (the original) and agentdesk publish
// one, so a client can tell which optional endpoints and query parameters it may use.
struct ApiDescription
{
    bool known = false;                       // a document was read
    bool agentdesk = false;                   // it marks agentdesk extensions (x-agentdesk-extension)
    QSet<QString> operations;                 // "GET /api/v1/usage", "PUT /api/v1/usage/threads/{thread_id}"
    QHash<QString, QSet<QString>> queryNames; // operation → its query parameter names

    bool has(const QString &method, const QString &path) const { return operations.contains(key(method, path)); }
    bool acceptsQuery(const QString &method, const QString &path, const QString &name) const
    {
        return queryNames.value(key(method, path)).contains(name);
    }
    static QString key(const QString &method, const QString &path) { return method.toUpper() + u' ' + path; }
};

ApiDescription parseOpenApi(const QJsonObject &document);

} // namespace agentdesk::wire
