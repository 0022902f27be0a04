#include "tracejson.h"

#include "jsonparser.h"
#include "messagejson.h"
#include "messageparser.h"
#include "threadjson.h"
#include "threadparser.h"
#include "timestamps.h"
#include "usagejson.h"
#include "usageparser.h"

#include <QCborArray>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {

QCborValue optionalText(const QString &text)
{
    return text.isEmpty() ? QCborValue(nullptr) : QCborValue(text);
}

QCborValue runJson(const TraceHop &hop)
{
    if (!hop.run)
        return QCborValue(nullptr);
    const HandlerRun &run = *hop.run;
    QCborMap json;
    json[u"startedAt"_s] = timestampValue(run.started);
    json[u"endedAt"_s] = timestampValue(run.ended);
    json[u"queueWaitMs"_s] = hop.message.timestamp.msecsTo(run.started);
    json[u"handlerMs"_s] = run.ended.isValid() ? QCborValue(run.started.msecsTo(run.ended)) : QCborValue(nullptr);
    json[u"error"_s] = optionalText(run.error);
    return json;
}

QCborMap exchangeJson(const LlmExchange &exchange)
{
    QCborArray prompt;
    for (const PromptMessage &message : exchange.prompt)
        prompt.append(QCborMap{{u"role"_s, message.role}, {u"content"_s, message.content}});
    QCborMap usage = usageEventJson(exchange.usage);
    usage[u"cachedPromptTokens"_s] = exchange.usage.cachedPromptTokens;
    return QCborMap{{u"usage"_s, usage}, {u"prompt"_s, prompt}, {u"response"_s, exchange.response}};
}

std::optional<HandlerRun> parseRun(const QJsonObject &json, qint64 seq)
{
    const QDateTime started = jsonTimestamp(json, u"startedAt"_s);
    if (!started.isValid())
        return std::nullopt;
    return HandlerRun{seq, started, jsonTimestamp(json, u"endedAt"_s), jsonText(json, u"error"_s)};
}

LlmExchange parseExchange(const QJsonObject &json)
{
    LlmExchange exchange;
    if (std::optional<UsageEvent> usage = parseUsageEvent(jsonObject(json, u"usage"_s)))
        exchange.usage = *usage;
    for (const QJsonValue &entry : jsonArray(json, u"prompt"_s)) {
        const QJsonObject message = entry.toObject();
        exchange.prompt.append(PromptMessage{jsonText(message, u"role"_s), jsonText(message, u"content"_s)});
    }
    exchange.response = jsonText(json, u"response"_s);
    return exchange;
}

} // namespace

QCborMap threadTraceJson(const ThreadTrace &trace)
{
    QCborArray hops;
    for (const TraceHop &hop : trace.hops) {
        QCborArray llm;
        for (const LlmExchange &exchange : hop.llm)
            llm.append(exchangeJson(exchange));
        hops.append(QCborMap{{u"message"_s, messageInfoJson(hop.message)},
                             {u"copied"_s, hop.copied},
                             {u"run"_s, runJson(hop)},
                             {u"llm"_s, llm}});
    }
    QCborValue origin(nullptr);
    if (trace.origin) {
        origin = QCborMap{{u"kind"_s, toString(trace.origin->kind)},
                          {u"threadId"_s, trace.origin->threadId},
                          {u"messageId"_s, trace.origin->messageId},
                          {u"firstSlotIndex"_s, trace.origin->firstSeq}};
    }
    QCborMap json;
    json[u"thread"_s] = threadInfoJson(trace.thread);
    json[u"origin"_s] = origin;
    json[u"total"_s] = trace.totalHops;
    json[u"hops"_s] = hops;
    return json;
}

std::optional<ThreadTrace> parseThreadTrace(const QJsonObject &json, const PayloadLayout *layout)
{
    const std::optional<ThreadInfo> thread = parseThreadInfo(jsonObject(json, u"thread"_s));
    if (!thread || !json.value(u"hops"_s).isArray())
        return std::nullopt;
    ThreadTrace trace;
    trace.thread = *thread;
    const QJsonObject origin = jsonObject(json, u"origin"_s);
    ThreadOriginKind kind{};
    if (parseThreadOriginKind(jsonText(origin, u"kind"_s), &kind)) {
        trace.origin = ThreadOrigin{kind, jsonText(origin, u"threadId"_s), jsonText(origin, u"messageId"_s),
                                    jsonInteger(origin, u"firstSlotIndex"_s)};
    }
    for (const QJsonValue &entry : json.value(u"hops"_s).toArray()) {
        const QJsonObject hopJson = entry.toObject();
        const std::optional<MessageRecord> message = parseMessageInfo(jsonObject(hopJson, u"message"_s), layout);
        if (!message)
            continue;
        TraceHop hop;
        hop.message = *message;
        hop.copied = jsonBool(hopJson, u"copied"_s);
        hop.run = parseRun(jsonObject(hopJson, u"run"_s), message->seq);
        for (const QJsonValue &exchange : jsonArray(hopJson, u"llm"_s))
            hop.llm.append(parseExchange(exchange.toObject()));
        trace.hops.append(std::move(hop));
    }
    trace.totalHops = jsonInteger(json, u"total"_s, trace.hops.size());
    return trace;
}

} // namespace agentdesk::wire
