#pragma once

#include "expositionparser.h"
#include "support/apifixture.h"
#include "support/apitestclient.h"

#include <QJsonObject>

#include <memory>
#include <optional>

// tests/api's ApiFixture (a real Organism behind its real ApiServer on 127.0.0.1, port 0), its agents
// answered by its ScriptedLlm, with the ways the metrics tests talk to it: scrape /metrics (read by the
// strict parser), inject over HTTP, wait for a thread to end.
class MetricsFixture
{
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    // greeter → shouter → response-handler (built-ins), calculator → answers, and `writer`, an LLM
    // agent on grok-4.1 whose reply may ask itself again (which keeps its thread, and its budget,
    // alive while a call is held); max_queue_depth 10, max_tokens_per_thread 10,000.
    static QByteArray defaultYaml();

    MetricsFixture();
    ~MetricsFixture();

    // Loads and starts the organism, then its API with `options` (on 127.0.0.1:0). False, with the
    // reason as a test failure, when anything fails.
    bool start(agentdesk::ApiServerOptions options = {}, const QByteArray &yaml = defaultYaml());

    Exposition scrape(const Headers &headers = {});
    // A sample's value in a fresh scrape (-1 when it is not there).
    double value(const QString &name, const Labels &labels = {});
    HttpResult inject(const QString &to, const QJsonObject &payload);
    // The new thread's id, or empty when the inject was refused.
    QString injectThread(const QString &to, const QJsonObject &payload);
    bool waitThreadEnded(const QString &threadId);

    // Once started: a call the test did not script is held (its thread and its budget stay alive).
    agentdesk::test::ScriptedLlm &llm() { return m_fixture->llm(); }
    agentdesk::Organism *organism() const { return m_fixture->organism(); }
    agentdesk::ApiServer *api() const { return m_fixture->api(); }
    ApiTestClient &client() { return *m_client; }

private:
    std::optional<ApiFixture> m_fixture;
    std::unique_ptr<ApiTestClient> m_client;
};

// A sample's value in `exposition` (-1 when it is not there).
double valueIn(const Exposition &exposition, const QString &name, const Labels &labels = {});
// The labels of agentdesk_messages_handled_total and agentdesk_llm_calls_total's agent and outcome.
Labels agentOutcome(const QString &agent, const QString &outcome);
