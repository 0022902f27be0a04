#include "metricsfixture.h"

#include "helloworldyaml.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

QByteArray MetricsFixture::defaultYaml()
{
    return test::HelloWorldYaml("metrics-organism")
        .settings("max_queue_depth: 10\nmax_tokens_per_thread: 10000\n")
        .payloads(R"(  Sum: {expression: string}
  Answer: {expression: string, result: decimal}
  Question: {text: string}
  Done: {text: string}
)")
        .listeners(
            R"(  - {name: calculator, description: calculates, payload_class: Sum, handler: "builtin:calculate", peers: [answers]}
  - {name: answers, description: collects, payload_class: Answer, handler: "builtin:sink"}
  - {name: writer, description: writes, payload_class: Question, agent: true, model: grok-4.1, prompt: You write.,
     peers: [writer, done]}
  - {name: done, description: receives, payload_class: Done, handler: "builtin:sink"}
)")
        .text();
}

MetricsFixture::MetricsFixture() = default;

MetricsFixture::~MetricsFixture()
{
    m_client.reset();
    m_fixture.reset();
}

bool MetricsFixture::start(ApiServerOptions options, const QByteArray &yaml)
{
    m_fixture.emplace(yaml);
    m_fixture->llm().defaultReply.reset();
    QString error;
    if (!m_fixture->start(options, &error)) {
        QTest::qFail(qPrintable(error), __FILE__, __LINE__);
        return false;
    }
    m_client = std::make_unique<ApiTestClient>(m_fixture->port());
    return true;
}

Exposition MetricsFixture::scrape(const Headers &headers)
{
    const HttpResult result = m_client->get(u"/metrics"_s, headers);
    if (result.status != 200)
        qWarning() << "GET /metrics:" << result.status << result.body;
    const Exposition parsed = parseExposition(result.body);
    if (!parsed.ok())
        qWarning().noquote() << parsed.errors.join(u'\n');
    return parsed;
}

double valueIn(const Exposition &exposition, const QString &name, const Labels &labels)
{
    return exposition.value(name, labels).value_or(-1);
}

Labels agentOutcome(const QString &agent, const QString &outcome)
{
    return {{u"agent"_s, agent}, {u"outcome"_s, outcome}};
}

double MetricsFixture::value(const QString &name, const Labels &labels)
{
    return valueIn(scrape(), name, labels);
}

HttpResult MetricsFixture::inject(const QString &to, const QJsonObject &payload)
{
    const QJsonObject body{{u"to"_s, to}, {u"payload"_s, payload}};
    return m_client->post(u"/api/v1/inject"_s, QJsonDocument(body).toJson(QJsonDocument::Compact),
                          {{"Content-Type", "application/json"}});
}

QString MetricsFixture::injectThread(const QString &to, const QJsonObject &payload)
{
    return inject(to, payload).object().value(u"threadId"_s).toString();
}

bool MetricsFixture::waitThreadEnded(const QString &threadId)
{
    return QTest::qWaitFor(
        [&] {
            const std::optional<ThreadInfo> thread = m_fixture->organism()->thread(threadId);
            return thread && thread->status != ThreadStatus::Active;
        },
        10000);
}
