#pragma once

#include "config/organismconfig.h"
#include "domain/records.h"
#include "listeners/listener.h"

#include <QStringList>

#include <memory>

namespace agentdesk {

class LlmClient;

// Builds the listener a `listeners:` entry asks for (builtin:, exec: or an LLM agent), and the part
// of its AgentInfo the config alone decides. An agent is refused when no LLM backend serves its model.
class ListenerFactory
{
public:
    explicit ListenerFactory(ListenerEnvironment environment);

    void setLlmClient(LlmClient *client) { m_llm = client; }
    // Relative paths (an exec: program, a prompt file) are read from this file's directory (empty:
    // the current directory).
    void setConfigFile(const QString &filePath) { m_configFile = filePath; }
    // During a reload that changes `llm:`: the models the new backends will serve count as served.
    void setModelsAboutToBeServed(QStringList models) { m_modelsAboutToBeServed = std::move(models); }

    // nullptr with *error (without the file and line: the caller knows where the entry is).
    std::unique_ptr<Listener> create(const ListenerConfig &config, QString *error) const;
    static AgentInfo describe(const ListenerConfig &config);

private:
    ListenerEnvironment m_environment;
    QString m_configFile;
    LlmClient *m_llm = nullptr;
    QStringList m_modelsAboutToBeServed;
};

} // namespace agentdesk
