#pragma once

#include "apiserver.h"
#include "llm/llmclient.h"
#include "organism.h"

#include <QByteArray>
#include <QSet>
#include <QTemporaryDir>

#include <memory>

// A real Organism loaded from YAML (written to a temporary directory, so reload works) and an
// ApiServer for it on 127.0.0.1, port 0.
class OrganismFixture
{
public:
    // The conformance organism of spec §12 (greeter → shouter → response-handler) plus listeners
    // for errors (calculator), loops (ping/pong) and rich payloads (typed).
    static QByteArray defaultYaml();

    explicit OrganismFixture(const QByteArray &yaml = defaultYaml());
    ~OrganismFixture();

    // Loads and starts the organism, then the API with `options` (address and port are forced to
    // 127.0.0.1:0). Returns false and sets the error text on failure.
    bool start(agentdesk::ApiServerOptions options = {}, QString *error = nullptr);
    void writeConfig(const QByteArray &yaml) const;

    agentdesk::Organism *organism() const { return m_organism.get(); }
    agentdesk::ApiServer *api() const { return m_api.get(); }
    quint16 port() const;
    QString directory() const { return m_dir.path(); }

    // Injects directly (not through the API) and waits until the thread left `active`.
    QString injectAndWait(const QString &to, const QVariantMap &fields);

private:
    // Serves every model and answers every call with an error: the API tests need agent listeners
    // to load (isAgent, capabilities), not real completions.
    class OfflineLlm : public agentdesk::LlmClient
    {
    public:
        quint64 complete(const agentdesk::LlmRequest &request, Completion done) override;
        void cancel(quint64 callId) override;
        bool serves(const QString &model) const override;

    private:
        quint64 m_next = 0;
        QSet<quint64> m_cancelled;
    };

    QByteArray m_yaml;
    OfflineLlm m_llm;
    QTemporaryDir m_dir;
    std::unique_ptr<agentdesk::Organism> m_organism;
    std::unique_ptr<agentdesk::ApiServer> m_api;
};
