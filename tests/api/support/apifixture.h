#pragma once

#include "apiserver.h"
#include "organismfixture.h"
#include "scriptedllm.h"

#include <QByteArray>

#include <memory>

// tests/support's OrganismFixture with the one job this layer adds: a real ApiServer for the organism
// on 127.0.0.1, port 0, which the API tests talk to over real sockets.
class ApiFixture
{
public:
    // The conformance organism of spec §12 (the hello-world chain greeter → shouter →
    // response-handler) plus listeners for errors (calculator), loops (ping/pong), rich payloads
    // (orders) and an LLM agent (planner).
    static QByteArray defaultYaml();

    // In a temporary directory of its own, or in `directory` (kept, for a restart there).
    explicit ApiFixture(const QByteArray &yaml = defaultYaml(), const QString &directory = {});
    ~ApiFixture();

    // Loads and starts the organism, then the API with `options` (address and port are forced to
    // 127.0.0.1:0). Returns false and sets the error text on failure.
    bool start(agentdesk::ApiServerOptions options = {}, QString *error = nullptr);
    void writeConfig(const QByteArray &yaml) const { m_organism.writeConfig(yaml); }

    agentdesk::Organism *organism() const { return m_organism.organism(); }
    agentdesk::ApiServer *api() const { return m_api.get(); }
    quint16 port() const;
    QString directory() const { return m_organism.directory(); }
    // What the agents' calls get. By default every call fails ("no LLM in the API tests"): the API
    // tests need agent listeners to load (isAgent, capabilities), not real completions. A test that
    // meters usage scripts it, and clears defaultReply to hold the calls it did not script.
    agentdesk::test::ScriptedLlm &llm() { return m_llm; }

    // Injects directly (not through the API) and waits until the thread left `active`.
    QString injectAndWait(const QString &to, const QVariantMap &fields);

private:
    QByteArray m_yaml;
    agentdesk::test::ScriptedLlm m_llm; // outlives the organism that calls it
    agentdesk::test::OrganismFixture m_organism;
    std::unique_ptr<agentdesk::ApiServer> m_api;
};
