#include "listenerfactory.h"

#include "listeners/agentlistener.h"
#include "listeners/builtinlistener.h"
#include "listeners/execlistener.h"
#include "llm/llmclient.h"
#include "schema/schemaregistry.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QString handlerText(const ListenerConfig &listener)
{
    switch (listener.handler.kind) {
    case HandlerSpec::Kind::Builtin:
        return u"builtin:"_s + listener.handler.builtin;
    case HandlerSpec::Kind::Exec:
        return u"exec: "_s + listener.handler.argv.join(u' ');
    case HandlerSpec::Kind::Agent:
        return u"agent"_s;
    }
    return {};
}

} // namespace

ListenerFactory::ListenerFactory(ListenerEnvironment environment)
    : m_environment(std::move(environment))
{ }

std::unique_ptr<Listener> ListenerFactory::create(const ListenerConfig &listener, QString *error) const
{
    ListenerEnvironment environment = m_environment;
    environment.configDirectory = m_configFile.isEmpty() ? QDir::currentPath() : QFileInfo(m_configFile).absolutePath();
    switch (listener.handler.kind) {
    case HandlerSpec::Kind::Builtin:
        return BuiltinListener::create(listener, environment, error);
    case HandlerSpec::Kind::Exec:
        return std::make_unique<ExecListener>(listener, environment);
    case HandlerSpec::Kind::Agent:
        if (listener.model.isEmpty()) {
            *error = u"an LLM agent needs `model:` (the model to ask the router for)"_s;
            return nullptr;
        }
        if (!m_llm || !(m_llm->serves(listener.model) || m_modelsAboutToBeServed.contains(listener.model))) {
            *error = u"no LLM backend serves model '%1' (configure one under llm.backends)"_s.arg(listener.model);
            return nullptr;
        }
        return std::make_unique<AgentListener>(listener, environment);
    }
    return nullptr;
}

AgentInfo ListenerFactory::describe(const ListenerConfig &listener)
{
    AgentInfo info;
    info.name = listener.name;
    info.description = listener.description;
    info.isAgent = listener.agent;
    info.peers = listener.peers;
    info.payloadClass = listener.payloadClass;
    info.payloadType = listener.payloadType;
    info.rootTag = SchemaRegistry::rootTag(listener.name, listener.payloadType);
    info.handler = handlerText(listener);
    return info;
}

} // namespace agentdesk
