#include "routes.h"

#include "capabilityjson.h"
#include "organism.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

void addCapabilityRoutes(RouteTable &table, Organism *organism)
{
    Route list;
    list.path = u"/api/v1/capabilities"_s;
    list.operationId = u"listCapabilities"_s;
    list.summary = u"Every listener, sorted by name"_s;
    list.tag = u"capabilities"_s;
    list.responseSchema = u"CapabilityList"_s;
    list.cacheable = true;
    list.handler = [organism](const ApiRequest &) {
        return ApiResponse::json(wire::capabilityListJson(organism->capabilities()));
    };
    table.add(list);

    Route detail;
    detail.path = u"/api/v1/capabilities/{name}"_s;
    detail.operationId = u"getCapability"_s;
    detail.summary = u"A listener with its XSD and an example payload"_s;
    detail.tag = u"capabilities"_s;
    detail.responseSchema = u"CapabilityDetail"_s;
    detail.errorStatuses = {404};
    detail.cacheable = true;
    detail.handler = [organism](const ApiRequest &request) {
        const auto capability = organism->capability(request.arg(0));
        if (!capability)
            return ApiResponse::detail(404, u"Capability not found: %1"_s.arg(request.arg(0)));
        return ApiResponse::json(wire::capabilityDetailJson(*capability));
    };
    table.add(detail);
}

} // namespace agentdesk
