#include "openapi.h"

#include "apiresponse.h"
#include "clienttext.h"
#include "jsonwriter.h"

#include <QCborArray>
#include <QMap>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QCborMap jsonContent(const QString &schema)
{
    return QCborMap{{u"application/json"_s,
                     QCborMap{{u"schema"_s, QCborMap{{u"$ref"_s, QString(u"#/components/schemas/"_s + schema)}}}}}};
}

QCborMap parameterSchema(const QueryParam &param)
{
    QCborMap schema;
    switch (param.type) {
    case QueryParam::Type::Integer:
        schema[u"type"_s] = u"integer"_s;
        break;
    case QueryParam::Type::String:
        schema[u"type"_s] = u"string"_s;
        schema[u"maxLength"_s] = param.maxLength;
        break;
    case QueryParam::Type::Timestamp:
        schema[u"type"_s] = u"string"_s;
        schema[u"format"_s] = u"date-time"_s;
        break;
    }
    if (param.minimum)
        schema[u"minimum"_s] = *param.minimum;
    if (param.maximum)
        schema[u"maximum"_s] = *param.maximum;
    if (param.defaultValue.isValid())
        schema[u"default"_s] = QCborValue::fromVariant(param.defaultValue);
    return schema;
}

QCborArray parameters(const Route &route)
{
    QCborArray list;
    const QStringList pathNames = RouteTable::pathParameters(route.path);
    for (const QString &name : pathNames) {
        QCborMap schema{{u"type"_s, u"string"_s}};
        if (name == u"thread_id") {
            schema[u"maxLength"_s] = kMaxThreadIdLength;
            schema[u"pattern"_s] = wire::threadIdPattern();
        } else {
            schema[u"maxLength"_s] = kMaxClientTextLength;
        }
        list.append(QCborMap{{u"name"_s, name}, {u"in"_s, u"path"_s}, {u"required"_s, true}, {u"schema"_s, schema}});
    }
    for (const QueryParam &param : route.query) {
        QCborMap entry{{u"name"_s, param.name},
                       {u"in"_s, u"query"_s},
                       {u"required"_s, false},
                       {u"schema"_s, parameterSchema(param)}};
        if (!param.description.isEmpty())
            entry[u"description"_s] = param.extension ? QString(u"agentdesk extension: "_s + param.description)
                                                      : param.description;
        if (param.extension)
            entry[u"x-agentdesk-extension"_s] = true;
        list.append(entry);
    }
    return list;
}

QCborMap responses(const Route &route)
{
    QCborMap map;
    const QCborMap content = route.responseSchema.isEmpty()
        ? QCborMap{{QString::fromLatin1(route.responseContentType), QCborMap{{u"schema"_s, QCborMap{}}}}}
        : jsonContent(route.responseSchema);
    map[u"200"_s] = QCborMap{{u"description"_s, u"Successful Response"_s}, {u"content"_s, content}};
    QList<int> statuses = route.errorStatuses;
    const bool validates = !route.query.isEmpty() || !route.requestSchema.isEmpty();
    if (validates && !statuses.contains(422))
        statuses.append(422);
    std::sort(statuses.begin(), statuses.end());
    for (int status : std::as_const(statuses)) {
        const QString schema = status == 422 ? u"HTTPValidationError"_s : u"HTTPError"_s;
        map[QString::number(status)] = QCborMap{{u"description"_s, QString::fromLatin1(reasonPhrase(status))},
                                                {u"content"_s, jsonContent(schema)}};
    }
    return map;
}

QCborMap operation(const Route &route, const OpenApiOptions &options)
{
    QCborMap op;
    op[u"operationId"_s] = route.operationId;
    op[u"summary"_s] = route.summary;
    if (!route.description.isEmpty())
        op[u"description"_s] = route.description;
    if (!route.tag.isEmpty())
        op[u"tags"_s] = QCborArray{route.tag};
    const QCborArray params = parameters(route);
    if (!params.isEmpty())
        op[u"parameters"_s] = params;
    if (!route.requestSchema.isEmpty()) {
        op[u"requestBody"_s] = QCborMap{{u"required"_s, true}, {u"content"_s, jsonContent(route.requestSchema)}};
    }
    op[u"responses"_s] = responses(route);
    const bool secured = options.authEnabled
        && (route.access == Access::Write || (route.access == Access::Read && options.protectReads));
    if (secured)
        op[u"security"_s] = QCborArray{QCborMap{{u"bearerAuth"_s, QCborArray{}}}};
    if (route.extension)
        op[u"x-agentdesk-extension"_s] = true;
    return op;
}

QCborMap webSockets()
{
    const auto refs = [](const QStringList &names) {
        QCborArray list;
        for (const QString &name : names)
            list.append(QCborMap{{u"$ref"_s, QString(u"#/components/schemas/"_s + name)}});
        return list;
    };
    QCborMap control;
    control[u"summary"_s] = u"Control channel: a `connected` snapshot, then events filtered by `subscribe`"_s;
    control[u"commands"_s] = QCborArray{
        u"{\"cmd\":\"subscribe\",\"threads\":[..],\"agents\":[..],\"payload_types\"|\"payloadTypes\":[..],\"events\":[..]}"_s,
        u"{\"cmd\":\"inject\",\"to\":str,\"payload\":{..},\"thread_id\":str?,\"token\":str (when auth is on)}"_s,
        u"{\"cmd\":\"ping\"} -> {\"event\":\"pong\"}"_s};
    control[u"events"_s] = refs({u"ConnectedEvent"_s, u"MessageEvent"_s, u"AgentStateEvent"_s, u"ThreadCreatedEvent"_s,
                                 u"ThreadUpdatedEvent"_s, u"ErrorEvent"_s, u"ReloadEvent"_s, u"InjectedEvent"_s,
                                 u"CommandError"_s});
    QCborMap messages;
    messages[u"summary"_s] = u"Message log stream: every recorded message as a bare MessageInfo"_s;
    messages[u"commands"_s] = QCborArray{
        u"{\"cmd\":\"subscribe\",\"filter\":{\"agents\":[..],\"threads\":[..],\"payload_types\":[..]}}"_s,
        u"{\"cmd\":\"ping\"} -> {\"event\":\"pong\"}"_s};
    messages[u"events"_s] = refs({u"MessageInfo"_s, u"CommandError"_s});
    return QCborMap{{u"/ws"_s, control}, {u"/ws/messages"_s, messages}};
}

} // namespace

QCborMap buildOpenApi(const RouteTable &routes, const OpenApiOptions &options)
{
    // Paths in the order routes were registered; methods grouped under their path.
    QCborMap paths;
    for (const Route &route : routes.routes()) {
        QCborMap item = paths.value(route.path).toMap();
        item[methodName(route.method).toLower()] = operation(route, options);
        paths[route.path] = item;
    }
    QCborMap info;
    info[u"title"_s] = options.title;
    info[u"version"_s] = options.version;
    info[u"description"_s] = u"REST and WebSocket API for monitoring and controlling xml-pipeline organisms, "
                             u"served by agentdesk. Wire-compatible with the original AgentServer; agentdesk "
                             u"additions are marked x-agentdesk-extension."_s;
    QCborMap components;
    components[u"schemas"_s] = openApiSchemas();
    components[u"securitySchemes"_s] = QCborMap{
        {u"bearerAuth"_s, QCborMap{{u"type"_s, u"http"_s}, {u"scheme"_s, u"bearer"_s}}}};
    QCborMap document;
    document[u"openapi"_s] = u"3.1.0"_s;
    document[u"info"_s] = info;
    document[u"paths"_s] = paths;
    document[u"components"_s] = components;
    document[u"x-websockets"_s] = webSockets();
    return document;
}

} // namespace agentdesk
