#include "organismparser.h"

#include "jsonparser.h"

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

std::optional<HealthInfo> parseHealth(const QJsonObject &json)
{
    if (!json.value(u"status"_s).isString())
        return std::nullopt;
    HealthInfo health;
    health.status = jsonText(json, u"status"_s);
    health.organism = jsonText(json, u"organism"_s);
    health.uptimeSeconds = jsonNumber(json, u"uptime_seconds"_s, jsonNumber(json, u"uptimeSeconds"_s));
    return health;
}

std::optional<OrganismStatus> parseOrganismStatus(const QString &text)
{
    for (OrganismStatus status :
         {OrganismStatus::Starting, OrganismStatus::Running, OrganismStatus::Stopping, OrganismStatus::Stopped}) {
        if (toString(status) == text)
            return status;
    }
    return std::nullopt;
}

std::optional<OrganismInfo> parseOrganismInfo(const QJsonObject &json)
{
    if (!json.value(u"name"_s).isString())
        return std::nullopt;
    OrganismInfo info;
    info.name = jsonText(json, u"name"_s);
    info.status = parseOrganismStatus(jsonText(json, u"status"_s)).value_or(OrganismStatus::Running);
    info.uptimeSeconds = jsonNumber(json, u"uptimeSeconds"_s);
    info.agentCount = int(jsonInteger(json, u"agentCount"_s));
    info.activeThreads = int(jsonInteger(json, u"activeThreads"_s));
    info.totalMessages = jsonInteger(json, u"totalMessages"_s);
    info.identityConfigured = jsonBool(json, u"identityConfigured"_s);
    // agentdesk's extensions; the original sends neither.
    const QJsonObject saturation = jsonObject(json, u"saturation"_s);
    info.saturation.queueDepth = int(jsonInteger(saturation, u"queueDepth"_s));
    info.saturation.queueLimit = int(jsonInteger(saturation, u"queueLimit"_s));
    info.saturation.admissionLimit = int(jsonInteger(saturation, u"admissionLimit"_s));
    info.saturation.injectsRefused = jsonInteger(saturation, u"injectsRefused"_s);
    info.saturation.saturated = jsonBool(saturation, u"saturated"_s);
    info.saturation.cause = jsonText(saturation, u"cause"_s);
    for (const QJsonValue &entry : jsonArray(saturation, u"backlog"_s)) {
        const QJsonObject agent = entry.toObject();
        info.saturation.backlog.append(AgentBacklog{jsonText(agent, u"agent"_s), int(jsonInteger(agent, u"queued"_s)),
                                                    int(jsonInteger(agent, u"inFlight"_s)),
                                                    jsonNumber(agent, u"rateLimitWaitSeconds"_s)});
    }
    info.saturation.messagesPerSecond = jsonNumber(saturation, u"messagesPerSecond"_s);
    info.saturation.handledLastMinute = jsonInteger(saturation, u"handledLastMinute"_s);
    info.saturation.threadErrorsLastMinute = jsonInteger(saturation, u"threadErrorsLastMinute"_s);
    info.saturation.handlerP50Ms = jsonOptionalNumber(saturation, u"handlerP50Ms"_s);
    info.saturation.handlerP95Ms = jsonOptionalNumber(saturation, u"handlerP95Ms"_s);
    const QString history = jsonText(json, u"history"_s);
    if (history.startsWith(u"degraded"_s))
        info.historyProblem = history.mid(history.indexOf(u':') + 1).trimmed();
    return info;
}

ReloadResult parseReloadResult(const QJsonObject &json)
{
    const QStringList warnings = jsonStringList(json, u"warnings"_s);
    if (!jsonBool(json, u"success"_s))
        return tl::unexpected(ReloadFailure{jsonText(json, u"error"_s), warnings});
    return ConfigChanges{jsonStringList(json, u"added"_s), jsonStringList(json, u"removed"_s),
                         jsonStringList(json, u"updated"_s), warnings};
}

std::optional<QList<HistoryInstance>> parseHistoryOrganisms(const QJsonObject &json)
{
    if (!json.value(u"organisms"_s).isArray())
        return std::nullopt;
    QList<HistoryInstance> instances;
    for (const QJsonValue &item : jsonArray(json, u"organisms"_s)) {
        if (!item.isObject())
            continue;
        const QJsonObject entry = item.toObject();
        HistoryInstance instance;
        instance.organism = jsonText(entry, u"organism"_s);
        instance.instance = jsonText(entry, u"instance"_s);
        instance.host = jsonText(entry, u"host"_s);
        instance.pid = jsonInteger(entry, u"pid"_s);
        instance.running = jsonBool(entry, u"running"_s);
        instance.isThisProcess = jsonBool(entry, u"self"_s);
        instance.startedAt = jsonTimestamp(entry, u"startedAt"_s);
        instance.lastSeen = jsonTimestamp(entry, u"lastSeen"_s);
        instances.append(instance);
    }
    return instances;
}

} // namespace agentdesk::wire
