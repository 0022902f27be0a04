#pragma once

#include "apiresponse.h"

#include "domain/textlimits.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <functional>
#include <optional>

namespace agentdesk {

enum class HttpMethod { Get, Post, Put, Delete, Patch };
QString methodName(HttpMethod method);

// Who may call a route once an API key is configured (spec §10.1 and the protect_reads decision).
enum class Access {
    Open,  // never authenticated: /health, /docs, /openapi.json
    Read,  // authenticated only with auth.protect_reads
    Write, // authenticated whenever a key is configured (the seven POSTs)
};

// One query parameter, validated before the handler runs; the same description feeds OpenAPI.
struct QueryParam
{
    enum class Type { Integer, String, Timestamp };
    QString name;
    Type type = Type::String;
    std::optional<qint64> minimum;
    std::optional<qint64> maximum;
    QVariant defaultValue; // applied when the parameter is absent (invalid = stays absent)
    QString description;
    bool extension = false;               // an agentdesk addition (decision 11)
    int maxLength = kMaxClientTextLength; // String: longer values are a 422 (string_too_long)
};

// A request as handlers see it: path arguments decoded, query parameters validated and typed.
struct ApiRequest
{
    HttpMethod method = HttpMethod::Get;
    QString path;
    QStringList pathArgs;
    QHash<QString, QVariant> query; // validated values; absent optional parameters are missing
    QByteArray body;
    QHostAddress remoteAddress;

    QString arg(int index) const { return pathArgs.value(index); }
    bool has(const QString &name) const { return query.contains(name); }
    qint64 integer(const QString &name) const { return query.value(name).toLongLong(); }
    QString text(const QString &name) const { return query.value(name).toString(); }
    QDateTime time(const QString &name) const { return query.value(name).toDateTime(); }
};

using RouteHandler = std::function<ApiResponse(const ApiRequest &request)>;
// For a route whose answer is known only later (inject is answered once its message is committed):
// the handler calls `reply` exactly once, now or later, on the server's thread.
using ApiReply = std::function<void(ApiResponse response)>;
using DeferredRouteHandler = std::function<void(const ApiRequest &request, ApiReply reply)>;

// One row of the route table: everything needed to serve it and to document it, so the served
// routes and /openapi.json come from the same data and cannot drift. Path parameters ({name}) are
// at most kMaxClientTextLength characters; one named {thread_id} follows the thread-id rule
// (domain/textlimits.h). Either breach is a 422 before the handler runs.
struct Route
{
    HttpMethod method = HttpMethod::Get;
    QString path; // template with {name} segments, e.g. /api/v1/agents/{name}/config
    Access access = Access::Read;
    RouteHandler handler;
    DeferredRouteHandler deferredHandler; // instead of handler (see ApiReply)

    // OpenAPI
    QString operationId;
    QString summary;
    QString description;
    QString tag;
    QList<QueryParam> query;
    QString requestSchema;  // component schema of a JSON body (empty = no body)
    QString responseSchema; // component schema of the 200 body (empty: not a wire shape)
    QByteArray responseContentType = QByteArrayLiteral("application/json");
    // The 200 body depends only on the organism's state (not on the clock), so it may be served
    // again until the next change (HttpService::invalidateCache()).
    bool cacheable = false;
    QList<int> errorStatuses;
    bool extension = false;
};

} // namespace agentdesk
