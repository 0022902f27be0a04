#include "routes.h"

#include "messagejson.h"
#include "organism.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

void addMessageRoutes(RouteTable &table, Organism *organism)
{
    Route list;
    list.path = u"/api/v1/messages"_s;
    list.operationId = u"listMessages"_s;
    list.summary = u"Recorded messages, newest first"_s;
    list.tag = u"messages"_s;
    list.query = {
        {u"agent"_s, QueryParam::Type::String, {}, {}, {}, u"Messages from or to this listener"_s, false},
        limitParam(),
        offsetParam(),
        {u"thread"_s, QueryParam::Type::String, {}, {}, {}, u"Messages of this thread only"_s, true},
        {u"payloadType"_s, QueryParam::Type::String, {}, {}, {}, u"Messages of this payload type only"_s, true},
        {u"since"_s, QueryParam::Type::Timestamp, {}, {}, {}, u"Timestamp >= since (any ISO-8601 form)"_s, true},
        {u"until"_s, QueryParam::Type::Timestamp, {}, {}, {}, u"Timestamp <= until (any ISO-8601 form)"_s, true},
        {u"after"_s,
         QueryParam::Type::Integer,
         0,
         {},
         {},
         u"Keyset cursor: only messages with slotIndex > after (catch up after a WebSocket reconnect); total still counts every match"_s,
         true},
    };
    list.responseSchema = u"MessageList"_s;
    list.errorStatuses = {422};
    list.cacheable = true;
    list.handler = [organism](const ApiRequest &request) {
        MessageQuery query;
        query.agent = request.text(u"agent"_s);
        query.threadId = request.text(u"thread"_s);
        query.payloadType = request.text(u"payloadType"_s);
        if (request.has(u"since"_s))
            query.since = request.time(u"since"_s);
        if (request.has(u"until"_s))
            query.until = request.time(u"until"_s);
        query.afterSeq = request.integer(u"after"_s);
        query.limit = int(request.integer(u"limit"_s));
        query.offset = request.integer(u"offset"_s);
        MessagePage page = organism->messages(query);
        page.offset = query.offset;
        page.limit = query.limit;
        return ApiResponse::json(wire::messagePageJson(page));
    };
    table.add(list);
}

} // namespace agentdesk
