#include "routes.h"

#include "llmjson.h"
#include "organism.h"

#include <QCborArray>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QCborMap type(const QString &name)
{
    return QCborMap{{u"type"_s, name}};
}
QCborMap nullable(const QString &name)
{
    return QCborMap{{u"type"_s, QCborArray{name, u"null"_s}}};
}

} // namespace

// GET /api/v1/llm/backends: where each LLM backend stands, read live (never cached).
void addLlmRoutes(RouteTable &table, Organism *organism)
{
    Route backends;
    backends.method = HttpMethod::Get;
    backends.path = u"/api/v1/llm/backends"_s;
    backends.operationId = u"listLlmBackends"_s;
    backends.summary = u"The LLM backends: provider, models, state, rate-limit window, queue, latency and time to "
                       u"first token"_s;
    backends.description =
        u"`state` is `ok`, `rate-limited` (the provider answered 429; `waitSeconds` until its Retry-After, a minute "
        u"without one) or `failing` (the latest attempts failed: `lastError`, since `failingSince`). `tokensLeft` is "
        u"what the `rate_limit_tpm` bucket holds now; `inFlight` and `queued` are attempts on the wire and waiting "
        u"(`waitingForTokens`: the queue waits for the bucket); `agents` names the agents whose attempts are there. "
        u"Latency and time-to-first-token percentiles are over the last 200 successful attempts (`null` before any; "
        u"TTFT only for streamed ones)."_s;
    backends.tag = u"llm"_s;
    backends.extension = true;
    backends.responseSchema = u"LlmBackendList"_s;
    backends.handler = [organism](const ApiRequest &) {
        return ApiResponse::json(wire::llmBackendsJson(organism->llmBackends()));
    };
    table.add(backends);
}

QCborMap llmSchemas()
{
    QCborMap info{{u"type"_s, u"object"_s}, {u"x-agentdesk-extension"_s, true}};
    QCborMap properties;
    QCborArray required;
    const auto add = [&](const QString &name, const QCborMap &schema) {
        properties[name] = schema;
        required.append(name);
    };
    add(u"name"_s, type(u"string"_s));
    add(u"provider"_s, type(u"string"_s));
    add(u"models"_s, QCborMap{{u"type"_s, u"array"_s}, {u"items"_s, type(u"string"_s)}});
    add(u"endpoint"_s, nullable(u"string"_s));
    add(u"streaming"_s, type(u"boolean"_s));
    add(u"toolMode"_s, QCborMap{{u"type"_s, u"string"_s}, {u"enum"_s, QCborArray{u"native"_s, u"xml"_s}}});
    add(u"state"_s,
        QCborMap{{u"type"_s, u"string"_s}, {u"enum"_s, QCborArray{u"ok"_s, u"rate-limited"_s, u"failing"_s}}});
    add(u"waitSeconds"_s, nullable(u"number"_s));
    add(u"lastError"_s, nullable(u"string"_s));
    add(u"failingSince"_s, QCborMap{{u"type"_s, QCborArray{u"string"_s, u"null"_s}}, {u"format"_s, u"date-time"_s}});
    add(u"rateLimitTpm"_s, nullable(u"integer"_s));
    add(u"tokensLeft"_s, nullable(u"integer"_s));
    add(u"inFlight"_s, type(u"integer"_s));
    add(u"queued"_s, type(u"integer"_s));
    add(u"maxConcurrent"_s, type(u"integer"_s));
    add(u"waitingForTokens"_s, type(u"boolean"_s));
    add(u"agents"_s, QCborMap{{u"type"_s, u"array"_s}, {u"items"_s, type(u"string"_s)}});
    add(u"calls"_s, type(u"integer"_s));
    add(u"latencyP50Ms"_s, nullable(u"number"_s));
    add(u"latencyP95Ms"_s, nullable(u"number"_s));
    add(u"ttftP50Ms"_s, nullable(u"number"_s));
    add(u"ttftP95Ms"_s, nullable(u"number"_s));
    info[u"properties"_s] = properties;
    info[u"required"_s] = required;
    QCborMap list{{u"type"_s, u"object"_s},
                  {u"properties"_s,
                   QCborMap{{u"backends"_s,
                             QCborMap{{u"type"_s, u"array"_s},
                                      {u"items"_s, QCborMap{{u"$ref"_s, u"#/components/schemas/LlmBackendInfo"_s}}}}},
                            {u"count"_s, type(u"integer"_s)}}},
                  {u"required"_s, QCborArray{u"backends"_s, u"count"_s}},
                  {u"x-agentdesk-extension"_s, true}};
    return QCborMap{{u"LlmBackendInfo"_s, info}, {u"LlmBackendList"_s, list}};
}

} // namespace agentdesk
