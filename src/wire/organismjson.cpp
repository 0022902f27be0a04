#include "organismjson.h"

#include "timestamps.h"

#include "config/organismconfig.h"

#include <QCborArray>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

QCborMap organismInfoJson(const OrganismInfo &info)
{
    QCborMap json;
    json[u"name"_s] = info.name;
    json[u"status"_s] = toString(info.status);
    json[u"uptimeSeconds"_s] = info.uptimeSeconds;
    json[u"agentCount"_s] = info.agentCount;
    json[u"activeThreads"_s] = info.activeThreads;
    json[u"totalMessages"_s] = info.totalMessages;
    json[u"identityConfigured"_s] = info.identityConfigured;
    json[u"saturation"_s] = saturationJson(info.saturation);
    json[u"history"_s] = historyText(info);
    return json;
}

QCborMap saturationJson(const Saturation &saturation)
{
    QCborArray backlog;
    for (const AgentBacklog &agent : saturation.backlog) {
        backlog.append(QCborMap{{u"agent"_s, agent.agent},
                                {u"queued"_s, agent.queued},
                                {u"inFlight"_s, agent.inFlight},
                                {u"rateLimitWaitSeconds"_s, agent.rateLimitWaitSeconds}});
    }
    QCborMap json;
    json[u"queueDepth"_s] = saturation.queueDepth;
    json[u"queueLimit"_s] = saturation.queueLimit;
    json[u"admissionLimit"_s] = saturation.admissionLimit;
    json[u"injectsRefused"_s] = saturation.injectsRefused;
    json[u"saturated"_s] = saturation.saturated;
    json[u"cause"_s] = saturation.cause.isEmpty() ? QCborValue(nullptr) : QCborValue(saturation.cause);
    json[u"backlog"_s] = backlog;
    json[u"messagesPerSecond"_s] = saturation.messagesPerSecond;
    json[u"handledLastMinute"_s] = saturation.handledLastMinute;
    json[u"threadErrorsLastMinute"_s] = saturation.threadErrorsLastMinute;
    json[u"handlerP50Ms"_s] = saturation.handlerP50Ms ? QCborValue(*saturation.handlerP50Ms) : QCborValue(nullptr);
    json[u"handlerP95Ms"_s] = saturation.handlerP95Ms ? QCborValue(*saturation.handlerP95Ms) : QCborValue(nullptr);
    return json;
}

QString historyText(const OrganismInfo &info)
{
    return info.historyProblem.isEmpty() ? u"ok"_s : u"degraded: "_s + info.historyProblem;
}

QCborMap healthJson(const OrganismInfo &info)
{
    QCborMap json;
    json[u"status"_s] = u"healthy"_s;
    json[u"organism"_s] = info.name;
    json[u"uptime_seconds"_s] = info.uptimeSeconds;
    json[u"history"_s] = historyText(info);
    return json;
}

QCborMap organismConfigJson(const OrganismConfig &config, const QStringList &listenerNames)
{
    QCborMap json;
    json[u"name"_s] = config.name;
    json[u"port"_s] = config.api.port;
    json[u"thread_scheduling"_s] = config.scheduling == SchedulingPolicy::DepthFirst ? u"depth-first"_s
                                                                                     : u"breadth-first"_s;
    json[u"max_concurrent_pipelines"_s] = config.maxConcurrentPipelines;
    json[u"max_concurrent_handlers"_s] = config.maxConcurrentHandlers;
    json[u"listeners"_s] = QCborArray::fromStringList(listenerNames);
    return json;
}

QCborMap reloadResultJson(const ReloadResult &result)
{
    const ConfigChanges changes = result.value_or(ConfigChanges{});
    QCborMap json;
    json[u"success"_s] = result.has_value();
    json[u"added"_s] = QCborArray::fromStringList(changes.added);
    json[u"removed"_s] = QCborArray::fromStringList(changes.removed);
    json[u"updated"_s] = QCborArray::fromStringList(changes.updated);
    json[u"error"_s] = result ? QCborValue(nullptr) : QCborValue(result.error().message);
    json[u"warnings"_s] = QCborArray::fromStringList(warningsOf(result));
    return json;
}

QCborMap stopJson()
{
    return QCborMap{{u"success"_s, true}, {u"status"_s, u"stopping"_s}};
}

QCborMap startJson(OrganismStatus status)
{
    return QCborMap{{u"success"_s, true}, {u"status"_s, toString(status)}};
}

QCborMap historyOrganismsJson(const QList<HistoryInstance> &instances)
{
    QCborArray list;
    for (const HistoryInstance &instance : instances) {
        list.append(QCborMap{{u"organism"_s, instance.organism},
                             {u"instance"_s, instance.instance},
                             {u"host"_s, instance.host},
                             {u"pid"_s, instance.pid},
                             {u"running"_s, instance.running},
                             {u"self"_s, instance.isThisProcess},
                             {u"startedAt"_s, timestampValue(instance.startedAt)},
                             {u"lastSeen"_s, timestampValue(instance.lastSeen)}});
    }
    return QCborMap{{u"organisms"_s, list}, {u"count"_s, list.size()}};
}

} // namespace agentdesk::wire
