#include "llmjson.h"

#include "jsonparser.h"
#include "timestamps.h"
#include "wirelogging.h"

#include <QCborArray>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {

QCborValue optionalNumber(const std::optional<double> &value)
{
    return value ? QCborValue(*value) : QCborValue(nullptr);
}

} // namespace

QCborMap llmDeltaEventJson(const LlmPartialEvent &event)
{
    QCborMap json;
    json[u"event"_s] = u"llm_delta"_s;
    json[u"threadId"_s] = event.threadId;
    json[u"agent"_s] = event.agent;
    json[u"callId"_s] = qint64(event.call);
    json[u"attempt"_s] = event.attempt;
    json[u"offset"_s] = event.offset;
    json[u"delta"_s] = event.delta;
    json[u"done"_s] = event.done;
    json[u"timestamp"_s] = timestampValue(event.timestamp);
    return json;
}

std::optional<LlmPartialEvent> parseLlmDeltaEvent(const QJsonObject &json)
{
    if (jsonText(json, u"event"_s) != u"llm_delta")
        return std::nullopt;
    LlmPartialEvent event;
    event.threadId = jsonText(json, u"threadId"_s);
    event.agent = jsonText(json, u"agent"_s);
    event.call = quint64(jsonInteger(json, u"callId"_s));
    event.attempt = int(jsonInteger(json, u"attempt"_s, 1));
    event.offset = jsonInteger(json, u"offset"_s);
    event.delta = jsonText(json, u"delta"_s);
    event.done = jsonBool(json, u"done"_s);
    event.timestamp = jsonTimestamp(json, u"timestamp"_s);
    return event;
}

QCborMap llmBackendJson(const LlmBackendState &backend)
{
    QCborMap json;
    json[u"name"_s] = backend.name;
    json[u"provider"_s] = backend.provider;
    json[u"models"_s] = QCborArray::fromStringList(backend.models);
    json[u"endpoint"_s] = backend.endpoint.isEmpty() ? QCborValue(nullptr) : QCborValue(backend.endpoint);
    json[u"streaming"_s] = backend.streaming;
    json[u"toolMode"_s] = backend.nativeTools ? u"native"_s : u"xml"_s;
    json[u"state"_s] = toString(backend.health);
    json[u"waitSeconds"_s] = backend.health == LlmBackendState::Health::RateLimited
        ? QCborValue(backend.rateLimitedForSeconds)
        : QCborValue(nullptr);
    json[u"lastError"_s] = backend.lastError.isEmpty() ? QCborValue(nullptr) : QCborValue(backend.lastError);
    json[u"failingSince"_s] = timestampValue(backend.failingSince);
    json[u"rateLimitTpm"_s] = backend.rateLimitTpm > 0 ? QCborValue(backend.rateLimitTpm) : QCborValue(nullptr);
    json[u"tokensLeft"_s] = backend.rateLimitTpm > 0 ? QCborValue(backend.tokensLeft) : QCborValue(nullptr);
    json[u"inFlight"_s] = backend.active;
    json[u"queued"_s] = backend.queued;
    json[u"maxConcurrent"_s] = backend.maxConcurrent;
    json[u"waitingForTokens"_s] = backend.waitingForTokens;
    json[u"agents"_s] = QCborArray::fromStringList(backend.agents);
    json[u"calls"_s] = backend.calls;
    json[u"latencyP50Ms"_s] = optionalNumber(backend.latencyP50Ms);
    json[u"latencyP95Ms"_s] = optionalNumber(backend.latencyP95Ms);
    json[u"ttftP50Ms"_s] = optionalNumber(backend.ttftP50Ms);
    json[u"ttftP95Ms"_s] = optionalNumber(backend.ttftP95Ms);
    return json;
}

QCborMap llmBackendsJson(const QList<LlmBackendState> &backends)
{
    QCborArray list;
    for (const LlmBackendState &backend : backends)
        list.append(llmBackendJson(backend));
    return QCborMap{{u"backends"_s, list}, {u"count"_s, backends.size()}};
}

std::optional<QList<LlmBackendState>> parseLlmBackends(const QJsonObject &json)
{
    if (!json.value(u"backends"_s).isArray())
        return std::nullopt;
    QList<LlmBackendState> backends;
    for (const QJsonValue &item : json.value(u"backends"_s).toArray()) {
        const QJsonObject object = item.toObject();
        LlmBackendState backend;
        backend.name = jsonText(object, u"name"_s);
        backend.provider = jsonText(object, u"provider"_s);
        backend.models = jsonStringList(object, u"models"_s);
        backend.endpoint = jsonText(object, u"endpoint"_s);
        backend.streaming = jsonBool(object, u"streaming"_s);
        backend.nativeTools = jsonText(object, u"toolMode"_s) == u"native";
        const QString state = jsonText(object, u"state"_s);
        if (!parseBackendHealth(state, &backend.health)) // a newer server's state: shown as the default
            qCDebug(lcWire) << "LLM back-end state not understood:" << state;
        backend.rateLimitedForSeconds = jsonNumber(object, u"waitSeconds"_s);
        backend.lastError = jsonText(object, u"lastError"_s);
        backend.failingSince = jsonTimestamp(object, u"failingSince"_s);
        backend.rateLimitTpm = jsonInteger(object, u"rateLimitTpm"_s);
        backend.tokensLeft = jsonInteger(object, u"tokensLeft"_s);
        backend.active = int(jsonInteger(object, u"inFlight"_s));
        backend.queued = int(jsonInteger(object, u"queued"_s));
        backend.maxConcurrent = int(jsonInteger(object, u"maxConcurrent"_s));
        backend.waitingForTokens = jsonBool(object, u"waitingForTokens"_s);
        backend.agents = jsonStringList(object, u"agents"_s);
        backend.calls = jsonInteger(object, u"calls"_s);
        backend.latencyP50Ms = jsonOptionalNumber(object, u"latencyP50Ms"_s);
        backend.latencyP95Ms = jsonOptionalNumber(object, u"latencyP95Ms"_s);
        backend.ttftP50Ms = jsonOptionalNumber(object, u"ttftP50Ms"_s);
        backend.ttftP95Ms = jsonOptionalNumber(object, u"ttftP95Ms"_s);
        backends.append(backend);
    }
    return backends;
}

} // namespace agentdesk::wire
