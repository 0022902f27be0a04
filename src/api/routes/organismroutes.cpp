#include "routes.h"

#include "organism.h"
#include "historyview.h"
#include "errorjson.h"
#include "organismjson.h"

#include <QCborArray>
#include <QPointer>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace agentdesk {

void addOrganismRoutes(RouteTable &table, Organism *organism)
{
    Route info;
    info.path = u"/api/v1/organism"_s;
    info.operationId = u"getOrganism"_s;
    info.summary = u"Organism status and counters"_s;
    info.tag = u"organism"_s;
    info.responseSchema = u"OrganismInfo"_s;
    info.handler = [organism](const ApiRequest &) {
        return ApiResponse::json(wire::organismInfoJson(organism->info()));
    };
    table.add(info);

    Route config;
    config.path = u"/api/v1/organism/config"_s;
    config.operationId = u"getOrganismConfig"_s;
    config.summary = u"Sanitised configuration (a whitelist of six snake_case keys)"_s;
    config.tag = u"organism"_s;
    config.responseSchema = u"OrganismConfig"_s;
    config.cacheable = true;
    config.handler = [organism](const ApiRequest &) {
        return ApiResponse::json(wire::organismConfigJson(organism->config(), organism->listenerNames()));
    };
    table.add(config);

    Route organisms;
    organisms.path = u"/api/v1/history/organisms"_s;
    organisms.operationId = u"getHistoryOrganisms"_s;
    organisms.summary =
        u"The organisms and instances whose history this organism's store holds (agentdesk extension)"_s;
    organisms.description = u"On a PostgreSQL history every organism and instance that shares the database, this one "
                            u"first (`self`); `running` while a process holds it. On SQLite this organism only."_s;
    organisms.tag = u"organism"_s;
    organisms.responseSchema = u"HistoryOrganisms"_s;
    organisms.handler = [organism](const ApiRequest &) {
        const HistoryView *store = organism->history();
        return ApiResponse::json(wire::historyOrganismsJson(store ? store->instances() : QList<HistoryInstance>()));
    };
    table.add(organisms);

    Route reload;
    reload.method = HttpMethod::Post;
    reload.path = u"/api/v1/organism/reload"_s;
    reload.access = Access::Write;
    reload.operationId = u"reloadOrganism"_s;
    reload.summary = u"Re-read the configuration file and apply the difference without a restart"_s;
    reload.tag = u"organism"_s;
    reload.responseSchema = u"ReloadResult"_s;
    reload.errorStatuses = {401, 403, 500};
    reload.description = u"Refused with 500 and every error of the file in `detail` (nothing changes). Either way "
                         u"the file's warnings (unknown or misplaced keys, ignored settings) come as `warnings`, an "
                         u"agentdesk extension: a list of `file:line: key: message`."_s;
    reload.handler = [organism](const ApiRequest &) {
        const ReloadResult result = organism->reload();
        if (!result) {
            const ReloadFailure &failure = result.error();
            QCborMap body = wire::detailJson(failure.message.isEmpty() ? u"Reload failed"_s : failure.message);
            body[u"warnings"_s] = QCborArray::fromStringList(failure.warnings);
            return ApiResponse::json(body, 500);
        }
        return ApiResponse::json(wire::reloadResultJson(result));
    };
    table.add(reload);

    Route stop;
    stop.method = HttpMethod::Post;
    stop.path = u"/api/v1/organism/stop"_s;
    stop.access = Access::Write;
    stop.operationId = u"stopOrganism"_s;
    stop.summary = u"Graceful stop: drain in-flight work (bounded), then status stopped"_s;
    stop.tag = u"organism"_s;
    stop.responseSchema = u"StopResult"_s;
    stop.errorStatuses = {401, 403};
    stop.handler = [organism](const ApiRequest &) {
        // After the answer is written: stop() drains, which must not happen inside a request.
        QTimer::singleShot(0, organism, [target = QPointer<Organism>(organism)] {
            if (target)
                target->stop();
        });
        return ApiResponse::json(wire::stopJson());
    };
    table.add(stop);

    Route start;
    start.method = HttpMethod::Post;
    start.path = u"/api/v1/organism/start"_s;
    start.access = Access::Write;
    start.operationId = u"startOrganism"_s;
    start.summary = u"Start a stopped organism again: its unfinished threads resume"_s;
    start.description = u"agentdesk extension. After `POST /organism/stop` the organism is `stopped` and the API keeps "
                        u"answering; this starts it again (409 while it runs or stops, or while the history "
                        u"cannot commit)."_s;
    start.tag = u"organism"_s;
    start.responseSchema = u"StartResult"_s;
    start.errorStatuses = {401, 403, 409};
    start.extension = true;
    start.handler = [organism](const ApiRequest &) {
        if (const Result<> started = organism->start(); !started)
            return ApiResponse::detail(409, u"Cannot start the organism: "_s + started.error().message);
        return ApiResponse::json(wire::startJson(organism->status()));
    };
    table.add(start);
}

} // namespace agentdesk
