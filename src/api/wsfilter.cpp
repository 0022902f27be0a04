#include "wsfilter.h"

#include "clienttext.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

bool readList(const QJsonObject &object, const QString &key, QStringList *out, QString *error)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isArray()) {
        *error = u"Invalid filter: '%1' must be a list of strings"_s.arg(key);
        return false;
    }
    const QJsonArray array = value.toArray();
    if (array.size() > WsFilter::kMaxEntries) {
        *error = u"Invalid filter: '%1' has %2 entries, at most %3 are allowed"_s.arg(key)
                     .arg(array.size())
                     .arg(WsFilter::kMaxEntries);
        return false;
    }
    for (const QJsonValue &item : array) {
        if (!item.isString()) {
            *error = u"Invalid filter: '%1' must be a list of strings"_s.arg(key);
            return false;
        }
        if (const QString problem = wire::textLengthProblem(item.toString()); !problem.isEmpty()) {
            *error = u"Invalid filter: an entry of '%1' is %2"_s.arg(key, problem);
            return false;
        }
        out->append(item.toString());
    }
    return true;
}

} // namespace

bool WsFilter::isOptIn(const QString &eventName)
{
    // Streamed reply text is many frames per call: only a client that names it receives it.
    return eventName == u"llm_delta";
}

bool WsFilter::acceptsEvent(const WsEvent &event) const
{
    if (isOptIn(event.name) ? !events.contains(event.name) : (!events.isEmpty() && !events.contains(event.name)))
        return false;
    if (!threads.isEmpty() && !event.threadId.isEmpty() && !threads.contains(event.threadId))
        return false;
    if (!agents.isEmpty()) {
        if (event.name == u"message") {
            if (!agents.contains(event.from) && !agents.contains(event.to))
                return false;
        } else if (!event.agent.isEmpty() && !agents.contains(event.agent)) {
            return false;
        }
    }
    if (!payloadTypes.isEmpty() && event.name == u"message" && !payloadTypes.contains(event.payloadType))
        return false;
    return true;
}

bool WsFilter::acceptsMessage(const WsEvent &event) const
{
    if (!agents.isEmpty() && !agents.contains(event.from) && !agents.contains(event.to))
        return false;
    if (!threads.isEmpty() && !threads.contains(event.threadId))
        return false;
    if (!payloadTypes.isEmpty() && !payloadTypes.contains(event.payloadType))
        return false;
    return true;
}

std::optional<WsFilter> WsFilter::fromJson(const QJsonObject &object, QString *error)
{
    WsFilter filter;
    // The original reads snake_case payload_types; the camelCase alias is accepted too (decision 6).
    const QString payloadKey = object.contains(u"payload_types"_s) ? u"payload_types"_s : u"payloadTypes"_s;
    if (!readList(object, u"threads"_s, &filter.threads, error) || !readList(object, u"agents"_s, &filter.agents, error)
        || !readList(object, payloadKey, &filter.payloadTypes, error)
        || !readList(object, u"events"_s, &filter.events, error))
        return std::nullopt;
    return filter;
}

} // namespace agentdesk
