#include "threadparser.h"

#include "jsonparser.h"

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

std::optional<ThreadInfo> parseThreadInfo(const QJsonObject &json)
{
    if (!json.value(u"id"_s).isString())
        return std::nullopt;
    ThreadInfo thread;
    thread.id = jsonText(json, u"id"_s);
    if (!parseThreadStatus(jsonText(json, u"status"_s), &thread.status))
        thread.status = ThreadStatus::Active;
    thread.participants = jsonStringList(json, u"participants"_s);
    thread.messageCount = jsonInteger(json, u"messageCount"_s);
    thread.createdAt = jsonTimestamp(json, u"createdAt"_s);
    thread.lastActivity = jsonTimestamp(json, u"lastActivity"_s);
    thread.error = jsonText(json, u"error"_s);
    return thread;
}

std::optional<ThreadPage> parseThreadPage(const QJsonObject &json)
{
    if (!json.value(u"threads"_s).isArray())
        return std::nullopt;
    ThreadPage page;
    for (const QJsonValue &item : json.value(u"threads"_s).toArray()) {
        if (auto thread = parseThreadInfo(item.toObject()))
            page.items.append(*thread);
    }
    page.total = jsonInteger(json, u"total"_s, page.items.size());
    page.offset = jsonInteger(json, u"offset"_s);
    page.limit = jsonInteger(json, u"limit"_s, page.items.size());
    return page;
}

} // namespace agentdesk::wire
