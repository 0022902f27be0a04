#include "config/configloader.h"
#include "llmrouter.h"
#include "organism.h"
#include "injectandwait.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

// greeter (an LLM agent on model demo-1) → sink, with `backends` under llm.backends and `listeners`
// after the two.
QByteArray organismYaml(const QByteArray &backends, const QByteArray &listeners = {})
{
    return R"(
organism: {name: reload-llm}
payloads:
  Greeting: {name: string}
  Done: {text: string}
llm:
  strategy: failover
  backends:
)" + backends
        + R"(
listeners:
  - {name: greeter, description: Greets, payload_class: Greeting, agent: true, model: demo-1, peers: [sink],
     prompt: "Greet, then pass it on."}
  - {name: sink, description: Ends it, payload_class: Done, handler: "builtin:sink"}
)" + listeners;
}

const QByteArray kDemo1 = "    - {name: demo, provider: demo, models: [demo-1]}\n";
const QByteArray kDemo2 = "    - {name: second, provider: demo, models: [demo-2]}\n";
const QByteArray kHelper = "  - {name: helper, description: Helps, payload_class: Greeting, agent: true, model: demo-2,"
                           " peers: [sink], prompt: \"Help, then pass it on.\"}\n";

} // namespace

// A reload whose llm section changed applies it live: the organism checks the new backends against
// every agent's model, and the router (the application's LlmClient) swaps its backends.
class tst_LlmReload : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void newBackendServesANewAgent();
    void unusableBackendsRefuseTheReload();
    void removingTheBackendOfAnAgentRefusesTheReload();

private:
    bool start(const QByteArray &yaml);
    void rewrite(const QByteArray &yaml) const;
    void greet(const QString &agent);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<LlmRouter> m_router;
    std::unique_ptr<Organism> m_organism;
};

void tst_LlmReload::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

void tst_LlmReload::cleanup()
{
    m_organism.reset();
    m_router.reset();
    m_dir.reset();
}

bool tst_LlmReload::start(const QByteArray &yaml)
{
    // As the application's Engine does: the router from the config's llm section, then the organism.
    rewrite(yaml);
    const ConfigLoadResult loaded = ConfigLoader::loadFile(m_dir->path() + u"/organism.yaml"_s);
    if (!loaded.ok()) {
        qWarning() << loaded.errors.first().toString();
        return false;
    }
    m_router = std::make_unique<LlmRouter>(loaded.config->llm);
    m_organism = std::make_unique<Organism>();
    m_organism->setLlmClient(m_router.get());
    if (const Result<> organismLoaded = m_organism->load(*loaded.config, m_dir->path() + u"/data"_s); !organismLoaded) {
        qWarning() << organismLoaded.error().message;
        return false;
    }
    m_organism->start();
    return true;
}

void tst_LlmReload::rewrite(const QByteArray &yaml) const
{
    QFile file(m_dir->path() + u"/organism.yaml"_s);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(yaml), yaml.size());
}

void tst_LlmReload::greet(const QString &agent)
{
    InjectRequest request;
    request.to = agent;
    request.fields = {{u"name"_s, u"Ada"_s}};
    QVERIFY(test::injectAndWait(*m_organism, request).has_value());
}

void tst_LlmReload::newBackendServesANewAgent()
{
    QVERIFY(start(organismYaml(kDemo1)));
    QVERIFY(!m_router->serves(u"demo-2"_s));
    rewrite(organismYaml(kDemo1 + kDemo2, kHelper));
    const ReloadResult result = m_organism->reload();
    QVERIFY2(result.has_value(), qPrintable(failureText(result)));
    QCOMPARE(result->added, QStringList{u"helper"_s});
    QVERIFY(m_router->serves(u"demo-2"_s));
    QCOMPARE(m_router->backendStatus().size(), 2);

    // The new agent's calls go to the new backend; the old agent's still work.
    greet(u"helper"_s);
    greet(u"greeter"_s);
    QTRY_COMPARE(m_organism->modelUsage(u"demo-2"_s).requestCount, 1);
    QTRY_COMPARE(m_organism->modelUsage(u"demo-1"_s).requestCount, 1);
}

void tst_LlmReload::unusableBackendsRefuseTheReload()
{
    QVERIFY(start(organismYaml(kDemo1)));
    qunsetenv("AGENTDESK_TST_LLMRELOAD_UNSET");
    rewrite(organismYaml(
        kDemo1 + "    - {name: paid, provider: anthropic, api_key_env: AGENTDESK_TST_LLMRELOAD_UNSET}\n", kHelper));
    const ReloadResult result = m_organism->reload();
    QVERIFY(!result.has_value());
    QVERIFY2(failureText(result).contains(u"AGENTDESK_TST_LLMRELOAD_UNSET"_s), qPrintable(failureText(result)));
    // Nothing changed: not the router, not the listeners.
    QCOMPARE(m_router->backendStatus().size(), 1);
    QVERIFY(!m_organism->agent(u"helper"_s).has_value());
    greet(u"greeter"_s);
    QTRY_COMPARE(m_organism->modelUsage(u"demo-1"_s).requestCount, 1);
}

void tst_LlmReload::removingTheBackendOfAnAgentRefusesTheReload()
{
    QVERIFY(start(organismYaml(kDemo1)));
    rewrite(organismYaml(kDemo2)); // greeter's demo-1 would be served by nobody
    const ReloadResult result = m_organism->reload();
    QVERIFY(!result.has_value());
    QVERIFY2(failureText(result).contains(u"listeners.greeter"_s) && failureText(result).contains(u"demo-1"_s),
             qPrintable(failureText(result)));
    QVERIFY(m_router->serves(u"demo-1"_s));
    QVERIFY(!m_router->serves(u"demo-2"_s));
}

QTEST_GUILESS_MAIN(tst_LlmReload)
#include "tst_llmreload.moc"
