#include "organismfixture.h"

#include "testhistory.h"

#include "config/configloader.h"
#include "injectandwait.h"

#include <QDateTime>
#include <QFile>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace agentdesk;

QByteArray OrganismFixture::defaultYaml()
{
    return R"(
organism: {name: test-organism, port: 8765}
max_message_depth: 10
payloads:
  Greeting: {name: string}
  GreetingResponse: {message: string, original_sender: string}
  ShoutedResponse: {message: string}
  Ping: {text: string}
  Sum: {expression: string}
  Answer: {expression: string, result: decimal}
  Order:
    id: integer
    price: decimal
    urgent: boolean
    note: string?
    tags: string[]?
  Task: {goal: string}
listeners:
  - name: greeter
    description: Greeting agent
    payload_class: handlers.hello.Greeting
    handler: builtin:format
    peers: [shouter]
    options: {message: "Hello, {name}!", original_sender: "{from}"}
  - name: shouter
    description: Shouting handler
    payload_class: GreetingResponse
    handler: builtin:shout
    peers: [response-handler]
  - name: response-handler
    description: Ends the chain
    payload_class: ShoutedResponse
    handler: builtin:sink
  - name: calculator
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
)";
}

OrganismFixture::OrganismFixture(const QByteArray &yaml)
    : m_yaml(yaml)
{
}

OrganismFixture::~OrganismFixture()
{
    m_api.reset();
    m_organism.reset();
}

void OrganismFixture::writeConfig(const QByteArray &yaml) const
{
    QFile file(m_dir.path() + u"/organism.yaml"_s);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(yaml);
}

bool OrganismFixture::start(ApiServerOptions options, QString *error)
{
    QString ignored;
    QString &message = error ? *error : ignored;
    if (!m_dir.isValid()) {
        message = u"no temporary directory"_s;
        return false;
    }
    writeConfig(m_yaml);
    const ConfigLoadResult loaded = ConfigLoader::loadFile(m_dir.path() + u"/organism.yaml"_s);
    if (!loaded.ok()) {
        message = loaded.errors.isEmpty() ? u"config not loaded"_s : loaded.errors.first().toString();
        return false;
    }
    OrganismConfig config = *loaded.config;
    agentdesk::test::useTestHistory(&config.history, m_dir.path()); // SQLite, or the test process's PostgreSQL server
    m_organism = std::make_unique<Organism>();
    m_organism->setLlmClient(&m_llm);
    if (!m_organism->load(config, m_dir.path() + u"/data"_s, &message))
        return false;
    m_organism->start();
    options.address = QHostAddress::LocalHost;
    options.port = 0;
    m_api = std::make_unique<ApiServer>(m_organism.get(), options);
    return m_api->start(&message);
}

quint16 OrganismFixture::port() const
{
    return m_api ? m_api->port() : 0;
}

QString OrganismFixture::injectAndWait(const QString &to, const QVariantMap &fields)
{
    InjectRequest request;
    request.to = to;
    request.fields = fields;
    const InjectResult result = test::injectAndWait(*m_organism, request);
    if (!result.ok())
        return {};
    const QString thread = result.threadId;
    QDateTime ended;
    const bool done = QTest::qWaitFor(
        [&] {
            const auto info = m_organism->thread(thread);
            ended = info ? info->lastActivity : QDateTime();
            return info && info->status != ThreadStatus::Active;
        },
        10000);
    // Threads made one after another end at distinct times: listings order by the last activity, to
    // the millisecond, and a whole greeting can run within one.
    const bool distinct = QTest::qWaitFor([&ended] { return QDateTime::currentDateTimeUtc() > ended; }, 1000);
    return done && distinct ? thread : QString();
}

quint64 OrganismFixture::OfflineLlm::complete(const LlmRequest &request, Completion done)
{
    const quint64 id = ++m_next;
    QTimer::singleShot(0, this, [this, id, model = request.model, done = std::move(done)] {
        if (m_cancelled.remove(id))
            return;
        LlmResult result;
        result.error = u"no LLM in the API tests"_s;
        result.model = model;
        done(result);
    });
    return id;
}

void OrganismFixture::OfflineLlm::cancel(quint64 callId)
{
    m_cancelled.insert(callId);
}

bool OrganismFixture::OfflineLlm::serves(const QString &model) const
{
    Q_UNUSED(model);
    return true;
}
