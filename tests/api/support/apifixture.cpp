#include "apifixture.h"

#include "helloworldyaml.h"
#include "injectandwait.h"

#include <QDateTime>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

QByteArray ApiFixture::defaultYaml()
{
    return test::HelloWorldYaml("test-organism")
        .settings("max_message_depth: 10\n")
        .payloads(R"(  Ping: {text: string}
  Sum: {expression: string}
  Answer: {expression: string, result: decimal}
  Order:
    id: integer
    price: decimal
    urgent: boolean
    note: string?
    tags: string[]?
  Task: {goal: string}
)")
        .listeners(R"(  - name: calculator
    description: Evaluates arithmetic
    payload_class: Sum
    handler: builtin:calculate
    peers: [answers]
  - name: answers
    description: Collects answers
    payload_class: Answer
    handler: builtin:sink
  - name: ping
    description: Echoes to pong
    payload_class: Ping
    handler: builtin:echo
    peers: [pong]
  - name: pong
    description: Echoes back to whoever sent
    payload_class: Ping
    handler: builtin:echo
  - name: orders
    description: Typed payloads
    payload_class: Order
    handler: builtin:sink
  - name: planner
    description: Plans with an LLM
    agent: true
    payload_class: Task
    peers: [greeter]
    model: test-model
    prompt: You plan.
)")
        .text();
}

ApiFixture::ApiFixture(const QByteArray &yaml, const QString &directory)
    : m_yaml(yaml)
    , m_organism(directory)
{
    m_llm.defaultReply = u"!error:no LLM in the API tests"_s;
    m_llm.promptTokens = 0; // a failed call without usage: nothing to meter
    m_llm.completionTokens = 0;
    m_organism.setLlmClient(&m_llm);
}

ApiFixture::~ApiFixture()
{
    m_api.reset();
    m_organism.destroyOrganism();
}

bool ApiFixture::start(ApiServerOptions options, QString *error)
{
    QString ignored;
    QString &message = error ? *error : ignored;
    m_api.reset();
    if (!m_organism.start(m_yaml, &message))
        return false;
    options.address = QHostAddress::LocalHost;
    options.port = 0;
    m_api = std::make_unique<ApiServer>(m_organism.organism(), options);
    return m_api->start(&message);
}

quint16 ApiFixture::port() const
{
    return m_api ? m_api->port() : 0;
}

QString ApiFixture::injectAndWait(const QString &to, const QVariantMap &fields)
{
    InjectRequest request;
    request.to = to;
    request.fields = fields;
    const InjectResult result = test::injectAndWait(*m_organism.organism(), request);
    if (!result.has_value())
        return {};
    const QString thread = result->threadId;
    QDateTime ended;
    const bool done = QTest::qWaitFor(
        [&] {
            const auto info = m_organism.organism()->thread(thread);
            ended = info ? info->lastActivity : QDateTime();
            return info && info->status != ThreadStatus::Active;
        },
        10000);
    // Threads made one after another end at distinct times: listings order by the last activity, to
    // the millisecond, and a whole greeting can run within one.
    const bool distinct = QTest::qWaitFor([&ended] { return QDateTime::currentDateTimeUtc() > ended; }, 1000);
    return done && distinct ? thread : QString();
}
