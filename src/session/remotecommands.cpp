#include "remotecommands.h"

#include "remotehttp.h"
#include "remoteresync.h"
#include "remoteusage.h"

#include "budgetjson.h"
#include "eventparser.h"
#include "jsonparser.h"
#include "jsonwriter.h"
#include "messagejson.h"
#include "messageparser.h"
#include "organismparser.h"
#include "usageparser.h"

#include <QCborMap>
#include <QCoreApplication>

using namespace Qt::StringLiterals;

// The texts below keep RemoteSession's translation context, where they were translated.

namespace agentdesk {

namespace {

using Response = RemoteHttp::Response;

// The JSON API takes a payload object only: an XML payload travels as its field tree. A refusal when the
// XML is not well-formed.
Result<QVariantMap, InjectFailure> payloadFields(const QVariantMap &given, const QByteArray &xml)
{
    if (!given.isEmpty() || xml.isEmpty())
        return given;
    QString error;
    const std::optional<wire::XmlFields> parsed = wire::xmlPayloadFields(xml, &error);
    if (!parsed)
        return injectRefused(InjectError::InvalidPayload, error);
    return parsed->fields;
}

InjectFailure injectFailure(const Response &response)
{
    InjectFailure failure;
    failure.message = response.detailText();
    switch (response.status) {
    case 400:
        failure.kind = response.error.detail.startsWith(u"Unknown target agent"_s) ? InjectError::UnknownTarget
                                                                                   : InjectError::InvalidPayload;
        break;
    case 422:
        failure.kind = InjectError::InvalidPayload;
        for (const wire::ValidationIssue &issue : response.error.issues) {
            if (issue.loc.size() > 2 && issue.loc.at(0) == u"body" && issue.loc.at(1) == u"payload") {
                failure.fieldPath = issue.loc.mid(2);
                failure.message = issue.reason.isEmpty() ? issue.msg : issue.reason;
                break;
            }
        }
        break;
    case 404: // a replay or fork naming a thread or message the server does not have
        failure.kind = InjectError::UnknownMessage;
        break;
    case 503:
        failure.kind = InjectError::QueueFull;
        break;
    case 507:
        failure.kind = InjectError::HistoryUnavailable;
        break;
    default:
        // 409 (stopped), auth and transport failures: the message did not go anywhere.
        failure.kind = InjectError::NotRunning;
        break;
    }
    return failure;
}

// What a command's answer says: done, or the server's reason.
Result<> commandResult(const Response &response)
{
    return response.ok() ? Result<>() : fail(response.detailText());
}

} // namespace

RemoteCommands::RemoteCommands(const Session &session, RemoteHttp *http, RemotePingFence *fence, RemoteResync *resync,
                               QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_http(http)
    , m_fence(fence)
    , m_resync(resync)
{ }

void RemoteCommands::inject(const InjectRequest &request, QObject *context, Session::InjectReply reply)
{
    const Result<QVariantMap, InjectFailure> fields = payloadFields(request.fields, request.xml);
    if (!fields) {
        const InjectResult refused = tl::unexpected(fields.error());
        m_fence->deliverNow(RemotePingFence::contextOf(context), [reply, refused] { reply(refused); });
        return;
    }
    QCborMap body;
    body[u"to"_s] = request.to;
    body[u"payload"_s] = wire::payloadJson(*fields);
    if (!request.threadId.isEmpty())
        body[u"threadId"_s] = request.threadId;
    // agentdesk records who sent it (the window's injects come from the operator); the original ignores
    // keys it does not know and records "api".
    if (!request.from.isEmpty() && request.from != u"api")
        body[u"from"_s] = request.from;
    postInject(u"/api/v1/inject"_s, body, context, std::move(reply));
}

void RemoteCommands::branch(const BranchRequest &request, QObject *context, Session::InjectReply reply)
{
    const auto refuse = [this, context, reply](const InjectFailure &failure) {
        const InjectResult refused = tl::unexpected(failure);
        m_fence->deliverNow(RemotePingFence::contextOf(context), [reply, refused] { reply(refused); });
    };
    if (!m_session.abilities().branchesThreads)
        return refuse({InjectError::NotRunning,
                       QCoreApplication::translate("agentdesk::RemoteSession",
                                                   "this server does not offer replay and fork (agentdesk extensions)"),
                       {},
                       0});
    const Result<QVariantMap, InjectFailure> fields = payloadFields(request.fields, request.xml);
    if (!fields)
        return refuse(fields.error());
    QCborMap body;
    body[u"messageId"_s] = request.messageId;
    if (!fields->isEmpty())
        body[u"payload"_s] = wire::payloadJson(*fields);
    body[u"from"_s] = request.from;
    postInject(u"/api/v1/threads/"_s + RemoteHttp::pathSegment(request.threadId) + u'/' + toString(request.kind), body,
               context, std::move(reply));
}

void RemoteCommands::postInject(const QString &path, const QCborMap &body, QObject *context, Session::InjectReply reply)
{
    m_http->post(path, wire::writeJson(body),
                 [this, context = RemotePingFence::contextOf(context), reply,
                  generation = m_generation](const Response &response) {
                     if (generation != m_generation)
                         return;
                     InjectResult result = tl::unexpected(injectFailure(response));
                     if (response.ok() && response.json)
                         result = InjectedMessage{wire::jsonText(*response.json, u"threadId"_s),
                                                  wire::jsonText(*response.json, u"messageId"_s)};
                     if (result && m_session.updateMode() == UpdateMode::Polling) {
                         m_resync->afterNextRound([this, context, reply, result] {
                             m_fence->deliverAfterPing(context, [reply, result] { reply(result); });
                         });
                         return;
                     }
                     m_fence->deliverAfterPing(context, [reply, result] { reply(result); });
                 });
}

void RemoteCommands::command(const QString &path, QObject *context, Session::Done done)
{
    m_http->post(path, {},
                 [this, context = RemotePingFence::contextOf(context), done,
                  generation = m_generation](const Response &response) {
                     if (generation != m_generation)
                         return;
                     afterCommand(context, done, commandResult(response));
                 });
}

void RemoteCommands::afterCommand(const Context &context, Session::Done done, const Result<> &result)
{
    if (result && m_session.updateMode() == UpdateMode::Polling) {
        // What the command changed is read by the next round and emitted before the answer.
        m_resync->afterNextRound(
            [this, context, done, result] { m_fence->deliverAfterPing(context, [done, result] { done(result); }); });
        return;
    }
    m_fence->deliverAfterPing(context, [done, result] { done(result); });
}

void RemoteCommands::setThreadBudget(const QString &threadId, qint64 maxTokens, QObject *context, Session::Done done)
{
    if (maxTokens < 1) {
        m_fence->deliverNow(RemotePingFence::contextOf(context), [done] {
            done(fail(QCoreApplication::translate("agentdesk::RemoteSession", "maxTokens must be at least 1")));
        });
        return;
    }
    QCborMap body;
    body[u"maxTokens"_s] = maxTokens;
    const QString path = u"/api/v1/usage/threads/"_s + RemoteHttp::pathSegment(threadId);
    m_http->put(path, wire::writeJson(body),
                [this, context = RemotePingFence::contextOf(context), done,
                 generation = m_generation](const Response &response) {
                    if (generation != m_generation)
                        return;
                    if (!response.ok()) {
                        // An original server has no such endpoint (404 "Not Found", or 405).
                        const bool unsupported = response.status == 405
                            || (response.status == 404 && response.error.detail == u"Not Found");
                        const QString error = unsupported
                            ? QCoreApplication::translate("agentdesk::RemoteSession",
                                                          "this server cannot change thread budgets")
                            : response.detailText();
                        afterCommand(context, done, fail(error));
                        return;
                    }
                    // The budget list changed: read it before reporting success, as the local session does.
                    succeedAfterReading(u"/api/v1/usage/threads"_s, context, done, generation,
                                        [this](const std::optional<QJsonObject> &json) {
                                            const auto list = json ? wire::parseThreadBudgetList(*json) : std::nullopt;
                                            if (list && !RemoteResync::sameBudgets(list->budgets, m_session.budgets()))
                                                emit budgetsRead(list->budgets);
                                        });
                });
}

void RemoteCommands::setScopeBudget(const QString &scope, const ScopeBudgetChange &change, QObject *context,
                                    Session::Done done)
{
    if (!m_session.abilities().scopeBudgets) {
        m_fence->deliverNow(RemotePingFence::contextOf(context), [done] {
            done(fail(QCoreApplication::translate("agentdesk::RemoteSession",
                                                  "this server has no agent or organism budgets")));
        });
        return;
    }
    const QString path = u"/api/v1/usage/budgets/"_s + RemoteHttp::pathSegment(scope);
    m_http->put(path, wire::scopeBudgetUpdateJson(change),
                [this, context = RemotePingFence::contextOf(context), done,
                 generation = m_generation](const Response &response) {
                    if (generation != m_generation)
                        return;
                    if (!response.ok()) {
                        afterCommand(context, done, commandResult(response));
                        return;
                    }
                    // The list changed (and a raise may have released threads): read it before
                    // reporting success, as the local session does.
                    succeedAfterReading(u"/api/v1/usage/budgets"_s, context, done, generation,
                                        [this](const std::optional<QJsonObject> &json) {
                                            const auto list = json ? wire::parseScopeBudgetList(*json) : std::nullopt;
                                            if (list && *list != m_session.scopeBudgets())
                                                emit scopeBudgetsRead(*list);
                                        });
                });
}

void RemoteCommands::reloadConfig(QObject *context, Session::ReloadReply reply)
{
    m_http->post(u"/api/v1/organism/reload"_s, {},
                 [this, context = RemotePingFence::contextOf(context), reply,
                  generation = m_generation](const Response &response) {
                     if (generation != m_generation)
                         return;
                     // A failure is a 500 with the reason (spec §5.15).
                     const ReloadResult result = response.ok() && response.json
                         ? wire::parseReloadResult(*response.json)
                         : ReloadResult(tl::unexpected(ReloadFailure{response.detailText(), {}}));
                     m_fence->deliverAfterPing(context, [reply, result] { reply(result); });
                 });
}

void RemoteCommands::stopOrganism(QObject *context, Session::Done done)
{
    m_http->post(u"/api/v1/organism/stop"_s, {},
                 [this, context = RemotePingFence::contextOf(context), done,
                  generation = m_generation](const Response &response) {
                     if (generation != m_generation)
                         return;
                     if (response.ok()) {
                         // No event reports the status: follow it by reading the organism.
                         m_resync->markChanged();
                         m_resync->sync();
                     }
                     afterCommand(context, done, commandResult(response));
                 });
}

void RemoteCommands::resetUsage(QObject *context, Session::Done done)
{
    m_http->post(u"/api/v1/usage/reset"_s, {},
                 [this, context = RemotePingFence::contextOf(context), done,
                  generation = m_generation](const Response &response) {
                     if (generation != m_generation)
                         return;
                     if (!response.ok()) {
                         const QString error = response.status == 404 ? QCoreApplication::translate(
                                                   "agentdesk::RemoteSession", "this server does not track usage")
                                                                      : response.detailText();
                         afterCommand(context, done, fail(error));
                         return;
                     }
                     // No event announces a reset: the zeroed counters are read before success is reported.
                     succeedAfterReading(
                         u"/api/v1/usage"_s, context, done, generation, [this](const std::optional<QJsonObject> &json) {
                             if (const auto usage = json ? wire::parseUsageSnapshot(*json) : std::nullopt)
                                 emit usageRead(remoteusage::completed(*usage, *json));
                         });
                 });
}

void RemoteCommands::succeedAfterReading(const QString &path, const Context &context, Session::Done done,
                                         quint64 generation, ReadBack apply)
{
    m_http->get(path, {}, [this, context, done, generation, apply](const Response &read) {
        if (generation != m_generation)
            return;
        const std::optional<QJsonObject> json = read.ok() ? read.json : std::nullopt;
        m_fence->deliverAfterPing({}, [this, context, done, generation, apply, json] {
            if (!isCurrent(generation))
                return;
            apply(json);
            if (!context.isGone())
                done({});
        });
    });
}

} // namespace agentdesk
