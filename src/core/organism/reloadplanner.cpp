#include "reloadplanner.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QStringList fieldsOf(const PayloadTypeSpec *spec)
{
    QStringList out;
    if (spec) {
        for (const FieldSpec &f : spec->fields)
            out << f.name + u':' + f.type + (f.list ? u"[]"_s : QString()) + (f.optional ? u"?"_s : QString());
    }
    return out;
}

bool sameBackend(const LlmBackendConfig &x, const LlmBackendConfig &y)
{
    return x.name == y.name && x.provider == y.provider && x.apiKeyEnv == y.apiKeyEnv && x.baseUrl == y.baseUrl
        && x.models == y.models && x.priority == y.priority && x.rateLimitTpm == y.rateLimitTpm
        && x.maxConcurrent == y.maxConcurrent && x.timeoutSeconds == y.timeoutSeconds
        && x.idleTimeoutSeconds == y.idleTimeoutSeconds && x.stream == y.stream && x.toolMode == y.toolMode
        && x.scripted == y.scripted;
}

} // namespace

ReloadPlan ReloadPlanner::plan(const OrganismConfig &current, const OrganismConfig &next, const QStringList &registered)
{
    ReloadPlan plan;
    for (const ListenerConfig &listener : next.listeners) {
        const ListenerConfig *running = current.listener(listener.name);
        if (running && sameListener(*running, listener, current, next))
            continue;
        (running ? plan.updated : plan.added).append(listener.name);
    }
    for (const QString &name : registered) {
        if (!next.listener(name))
            plan.removed.append(name);
    }
    plan.llmChanged = !sameLlmRouting(current.llm, next.llm);
    return plan;
}

bool ReloadPlanner::sameListener(const ListenerConfig &a, const ListenerConfig &b, const OrganismConfig &aConfig,
                                 const OrganismConfig &bConfig)
{
    return a.description == b.description && a.payloadType == b.payloadType && a.agent == b.agent && a.peers == b.peers
        && a.broadcast == b.broadcast && a.prompt == b.prompt && a.model == b.model && a.maxTokens == b.maxTokens
        && a.temperature == b.temperature && a.toolMode == b.toolMode && a.maxToolRetries == b.maxToolRetries
        && a.requireReply == b.requireReply && a.timeoutSeconds == b.timeoutSeconds && a.options == b.options
        && a.handler.kind == b.handler.kind && a.handler.builtin == b.handler.builtin
        && a.handler.argv == b.handler.argv && a.handler.workingDirectory == b.handler.workingDirectory
        && fieldsOf(aConfig.payloadType(a.payloadType)) == fieldsOf(bConfig.payloadType(b.payloadType));
}

bool ReloadPlanner::sameLlmRouting(const LlmConfig &a, const LlmConfig &b)
{
    return a.strategy == b.strategy && a.retries == b.retries && a.retryBaseDelay == b.retryBaseDelay
        && a.retryMaxDelay == b.retryMaxDelay
        && std::equal(a.backends.cbegin(), a.backends.cend(), b.backends.cbegin(), b.backends.cend(), sameBackend);
}

} // namespace agentdesk
