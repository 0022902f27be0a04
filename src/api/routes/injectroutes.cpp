#include "routes.h"

#include "injectjson.h"
#include "organism.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

ApiResponse injectResultResponse(const InjectResult &result, const QJsonObject &payload)
{
    if (result)
        return ApiResponse::json(wire::injectResponseJson(*result));
    const InjectFailure &failure = result.error();
    switch (failure.kind) {
    case InjectError::UnknownTarget:
        return ApiResponse::detail(400, failure.message);
    case InjectError::UnknownMessage:
        return ApiResponse::detail(404, failure.message);
    case InjectError::InvalidPayload:
        return ApiResponse::validation({wire::invalidPayloadError(failure, payload)});
    case InjectError::QueueFull:
        return ApiResponse::detail(503, failure.message.isEmpty() ? u"The message queue is full"_s : failure.message)
            .withHeader("Retry-After", QByteArray::number(std::max(1, failure.retryAfterSeconds)));
    case InjectError::NotRunning:
        return ApiResponse::detail(409, failure.message.isEmpty() ? u"Organism is not running"_s : failure.message);
    case InjectError::HistoryUnavailable:
        return ApiResponse::detail(507, failure.message);
    }
    return ApiResponse::detail(500, u"Internal Server Error"_s);
}

void addInjectRoutes(RouteTable &table, Organism *organism)
{
    Route inject;
    inject.method = HttpMethod::Post;
    inject.path = u"/api/v1/inject"_s;
    inject.access = Access::Write;
    inject.operationId = u"inject"_s;
    inject.summary = u"Send a payload to a listener (validated against its XSD)"_s;
    inject.description = u"The payload object becomes the target's XML payload: one element per field, named in "
                         u"PascalCase, snake_case or PascalCase keys accepted. An invalid payload is a 422 whose "
                         u"`loc` names the field. Answered once the message is committed to the history. 503 "
                         u"(with Retry-After) while the organism is saturated, 507 while the history cannot "
                         u"commit (a full disk); `detail` names the cause."_s;
    inject.tag = u"messages"_s;
    inject.requestSchema = u"InjectRequest"_s;
    inject.responseSchema = u"InjectResponse"_s;
    inject.errorStatuses = {400, 401, 403, 409, 422, 503, 507};
    // Answered once the message is committed (nothing acknowledged is lost in a crash), without
    // holding the engine thread meanwhile: the connection keeps its place in line (HttpService).
    inject.deferredHandler = [organism](const ApiRequest &request, ApiReply reply) {
        const wire::InjectParse parse = wire::parseInjectBody(request.body);
        if (!parse.ok())
            return reply(ApiResponse::validation(parse.errors));
        organism->injectAcknowledged(parse.request, organism, [parse, reply](const InjectResult &result) {
            reply(injectResultResponse(result, parse.payload));
        });
    };
    table.add(inject);
}

} // namespace agentdesk
