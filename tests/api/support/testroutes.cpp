#include "testroutes.h"

#include <QCborArray>
#include <QCborMap>

#include <stdexcept>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {
int g_counterCalls = 0;
int g_bigCalls = 0;
} // namespace

int bigHandlerCalls()
{
    return g_bigCalls;
}

int counterHandlerCalls()
{
    return g_counterCalls;
}

QList<ApiReply> &pendingReplies()
{
    static QList<ApiReply> replies;
    return replies;
}

RouteTable testRoutes()
{
    RouteTable table;
    Route health;
    health.path = u"/health"_s;
    health.access = Access::Open;
    health.handler = [](const ApiRequest &) { return ApiResponse::json(QCborMap{{u"status"_s, u"healthy"_s}}); };
    table.add(health);

    Route list;
    list.path = u"/api/v1/items"_s;
    list.query = {{u"limit"_s, QueryParam::Type::Integer, 1, 100, qint64(50), {}, false},
                  {u"offset"_s, QueryParam::Type::Integer, 0, {}, qint64(0), {}, false}};
    list.handler = [](const ApiRequest &request) {
        return ApiResponse::json(
            QCborMap{{u"limit"_s, request.integer(u"limit"_s)}, {u"offset"_s, request.integer(u"offset"_s)}});
    };
    table.add(list);

    Route item;
    item.path = u"/api/v1/items/{id}"_s;
    item.handler = [](const ApiRequest &request) { return ApiResponse::json(QCborMap{{u"id"_s, request.arg(0)}}); };
    table.add(item);

    Route create;
    create.method = HttpMethod::Post;
    create.path = u"/api/v1/items"_s;
    create.access = Access::Write;
    create.requestSchema = u"Item"_s;
    create.handler = [](const ApiRequest &request) {
        return ApiResponse::json(QCborMap{{u"received"_s, request.body.size()}});
    };
    table.add(create);

    Route counter;
    counter.path = u"/api/v1/counter"_s;
    counter.cacheable = true;
    counter.query = {{u"page"_s, QueryParam::Type::Integer, 0, {}, qint64(0), {}, false}};
    counter.handler = [](const ApiRequest &request) {
        ++g_counterCalls;
        return ApiResponse::json(QCborMap{{u"calls"_s, g_counterCalls}, {u"page"_s, request.integer(u"page"_s)}});
    };
    table.add(counter);

    Route big;
    big.path = u"/api/v1/big"_s;
    big.handler = [](const ApiRequest &) {
        ++g_bigCalls;
        return ApiResponse::text(QByteArray(kBigBodyBytes, 'b'), "text/plain");
    };
    table.add(big);

    Route later;
    later.method = HttpMethod::Post;
    later.path = u"/api/v1/later"_s;
    later.access = Access::Write;
    later.deferredHandler = [](const ApiRequest &, ApiReply reply) { pendingReplies().append(std::move(reply)); };
    table.add(later);

    Route failing;
    failing.path = u"/api/v1/fail"_s;
    failing.handler = [](const ApiRequest &) -> ApiResponse { throw std::runtime_error("handler bug"); };
    table.add(failing);
    return table;
}
