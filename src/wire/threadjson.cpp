#include "threadjson.h"

#include "timestamps.h"

#include <QCborArray>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

QCborMap threadInfoJson(const ThreadInfo &thread)
{
    QCborMap json;
    json[u"id"_s] = thread.id;
    json[u"status"_s] = toString(thread.status);
    json[u"participants"_s] = QCborArray::fromStringList(thread.participants);
    json[u"messageCount"_s] = thread.messageCount;
    json[u"createdAt"_s] = timestampValue(thread.createdAt);
    json[u"lastActivity"_s] = timestampValue(thread.lastActivity);
    json[u"error"_s] = thread.error.isEmpty() ? QCborValue(nullptr) : QCborValue(thread.error);
    return json;
}

QCborMap threadPageJson(const ThreadPage &page)
{
    QCborArray list;
    for (const ThreadInfo &thread : page.items)
        list.append(threadInfoJson(thread));
    QCborMap json;
    json[u"threads"_s] = list;
    json[u"count"_s] = page.items.size();
    json[u"total"_s] = page.total;
    json[u"offset"_s] = page.offset;
    json[u"limit"_s] = page.limit;
    return json;
}

QCborMap threadKilledJson(const QString &threadId)
{
    return QCborMap{{u"success"_s, true}, {u"threadId"_s, threadId}};
}

QCborMap threadRetriedJson(const QString &threadId, int deliveries)
{
    return QCborMap{
        {u"success"_s, true}, {u"threadId"_s, threadId}, {u"status"_s, u"active"_s}, {u"deliveries"_s, deliveries}};
}

} // namespace agentdesk::wire
