#include "config/configloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QString kDataDir = QStringLiteral(AGENTDESK_TEST_DATA_DIR "/config");
const QString kFileName = u"test.yaml"_s;

ConfigLoadResult load(const QByteArray &yaml)
{
    return ConfigLoader::loadText(yaml, kFileName);
}

template <typename Diagnostic>
QString dump(const QList<Diagnostic> &diagnostics)
{
    QStringList lines;
    for (const Diagnostic &diagnostic : diagnostics)
        lines.append(u"  "_s + diagnostic.toString());
    return lines.isEmpty() ? u"  (none)"_s : lines.join(u'\n');
}

template <typename Diagnostic>
const Diagnostic *find(const QList<Diagnostic> &diagnostics, int line, const QString &key)
{
    for (const Diagnostic &diagnostic : diagnostics) {
        if (diagnostic.line == line && diagnostic.key == key)
            return &diagnostic;
    }
    return nullptr;
}

// A valid document to which a case appends one listener; the listener starts on line 3.
QByteArray withListener(const QByteArray &entry)
{
    return "payloads: {Greeting: {name: string}}\n"
           "listeners:\n"
        + entry;
}

} // namespace

class TestConfigLoader : public QObject
{
    Q_OBJECT

private slots:
    void fullFileSetsEveryField();
    void defaultsMatchTheSpec();
    void originalSampleIsRefusedWithPythonHandlerErrors();
    void originalSampleWithBuiltinsLoads();
    void badInput_data();
    void badInput();
    void warnings_data();
    void warnings();
    void maxTokensPerThreadPlacement_data();
    void maxTokensPerThreadPlacement();
    void fieldSuffixes_data();
    void fieldSuffixes();
    void recursivePayloadTypes_data();
    void recursivePayloadTypes();
    void peersMustNameListeners();
    void errorsAreCollected();
    void oneMistakeDoesNotCascade();
    void apiKeysAreNeverEchoed();
    void execWorkingDirectory();
    void llmCallSettings();
    void pricesFileIsReadBesideTheConfig();
    void budgetsPerAgentAndOrganism();
    void missingFileNamesThePath();
    void directoryIsNotAFile();
    void diagnosticFormat();
    void options();
    void lookups();
};

void TestConfigLoader::fullFileSetsEveryField()
{
    const QString path = kDataDir + u"/full.yaml"_s;
    const ConfigLoadResult result = ConfigLoader::loadFile(path);
    QVERIFY2(result.ok(), qPrintable(dump(result.errors)));
    QVERIFY2(result.warnings.isEmpty(), qPrintable(dump(result.warnings)));
    const OrganismConfig &c = *result.config;

    QCOMPARE(c.filePath, QFileInfo(path).absoluteFilePath());
    QCOMPARE(c.name, u"full-organism"_s);
    QCOMPARE(c.api.port, 9123);
    QCOMPARE(c.identity, u"keys/organism.ed25519"_s);
    QCOMPARE(c.description, u"An organism that sets every key"_s);
    QCOMPARE(c.scheduling, SchedulingPolicy::DepthFirst);
    QCOMPARE(c.maxConcurrentPipelines, 7);
    QCOMPARE(c.maxConcurrentHandlers, 8);
    QCOMPARE(c.maxConcurrentPerAgent, 2);
    QCOMPARE(c.maxTokensPerThread, 250000); // written 250_000, as YAML 1.1 allows
    QCOMPARE(c.maxQueueDepth, 500);
    QCOMPARE(c.maxMessageDepth, 12);

    // payloads, in file order
    QCOMPARE(c.payloads.size(), 3);
    const PayloadTypeSpec &question = c.payloads.at(0);
    QCOMPARE(question.name, u"Question"_s);
    QCOMPARE(question.line, 16);
    QCOMPARE(question.fields.size(), 4);
    const FieldSpec &text = question.fields.at(0);
    QCOMPARE(text.name, u"text"_s);
    QCOMPARE(text.type, u"string"_s);
    QVERIFY(!text.list);
    QVERIFY(!text.optional);
    QCOMPARE(text.line, 17);
    const FieldSpec &context = question.fields.at(1);
    QCOMPARE(context.type, u"Context"_s);
    QVERIFY(!context.list);
    QVERIFY(context.optional);
    const FieldSpec &tags = question.fields.at(2);
    QCOMPARE(tags.type, u"string"_s);
    QVERIFY(tags.list);
    QVERIFY(!tags.optional);
    const FieldSpec &hints = question.fields.at(3);
    QCOMPARE(hints.type, u"string"_s);
    QVERIFY(hints.list);
    QVERIFY(hints.optional);
    QCOMPARE(hints.line, 20);
    const PayloadTypeSpec &contextType = c.payloads.at(1);
    QCOMPARE(contextType.name, u"Context"_s);
    QStringList contextTypes;
    for (const FieldSpec &field : contextType.fields)
        contextTypes.append(field.name + u':' + field.type);
    QCOMPARE(contextTypes,
             (QStringList{u"source:string"_s, u"weight:decimal"_s, u"count:integer"_s, u"urgent:boolean"_s}));
    QCOMPARE(c.payloads.at(2).name, u"Answer"_s);

    // listeners
    QCOMPARE(c.listeners.size(), 3);
    const ListenerConfig &asker = c.listeners.at(0);
    QCOMPARE(asker.name, u"asker"_s);
    QCOMPARE(asker.line, 30);
    QCOMPARE(asker.description, u"Asks the oracle"_s);
    QCOMPARE(asker.payloadClass, u"Question"_s);
    QCOMPARE(asker.payloadType, u"Question"_s);
    QVERIFY(asker.agent);
    QCOMPARE(asker.handler.kind, HandlerSpec::Kind::Agent);
    QCOMPARE(asker.peers, (QStringList{u"oracle"_s, u"calc.add"_s}));
    QVERIFY(!asker.broadcast);
    QCOMPARE(asker.prompt, u"Ask good questions."_s);
    QCOMPARE(asker.model, u"grok-3-mini"_s);
    QCOMPARE(asker.timeoutSeconds, 45.5);

    const ListenerConfig &oracle = c.listeners.at(1);
    QCOMPARE(oracle.name, u"oracle"_s);
    QCOMPARE(oracle.payloadClass, u"project.payloads.Answer"_s);
    QCOMPARE(oracle.payloadType, u"Answer"_s);
    QVERIFY(!oracle.agent);
    QVERIFY(oracle.broadcast);
    QCOMPARE(oracle.handler.kind, HandlerSpec::Kind::Exec);
    QCOMPARE(oracle.handler.argv, (QStringList{u"python3"_s, u"oracle.py"_s, u"--verbose"_s}));
    QCOMPARE(oracle.handler.workingDirectory, QFileInfo(path).absolutePath() + u"/handlers"_s);
    QCOMPARE(oracle.handler.line, 42);
    QCOMPARE(oracle.timeoutSeconds, 5.0);
    QCOMPARE(oracle.model, QString());

    const ListenerConfig &calc = c.listeners.at(2);
    QCOMPARE(calc.name, u"calc.add"_s);
    QCOMPARE(calc.payloadType, u"Context"_s);
    QCOMPARE(calc.handler.kind, HandlerSpec::Kind::Builtin);
    QCOMPARE(calc.handler.builtin, u"calculate"_s);
    QCOMPARE(calc.timeoutSeconds, 30.0);
    QCOMPARE(calc.options.value(u"template"_s), QVariant(u"{text}!"_s));
    QCOMPARE(calc.options.value(u"precision"_s), QVariant(qlonglong(3)));

    // llm
    QCOMPARE(c.llm.strategy, u"least-loaded"_s);
    QCOMPARE(c.llm.retries, 5);
    QCOMPARE(c.llm.retryBaseDelay, 0.5);
    QCOMPARE(c.llm.retryMaxDelay, 30.0);
    QCOMPARE(c.llm.backends.size(), 2);
    const LlmBackendConfig &claude = c.llm.backends.at(0);
    QCOMPARE(claude.provider, u"anthropic"_s);
    QCOMPARE(claude.name, u"claude-main"_s);
    QCOMPARE(claude.apiKeyEnv, u"ANTHROPIC_API_KEY"_s);
    QCOMPARE(claude.baseUrl, u"https://api.anthropic.com/v1"_s);
    QCOMPARE(claude.models, (QStringList{u"claude-sonnet-4"_s, u"claude-opus-4"_s}));
    QCOMPARE(claude.priority, 2);
    QCOMPARE(claude.rateLimitTpm, 50000);
    QCOMPARE(claude.maxConcurrent, 4);
    QCOMPARE(claude.timeoutSeconds, 90.0);
    QCOMPARE(claude.line, 65);
    const LlmBackendConfig &vllm = c.llm.backends.at(1);
    QCOMPARE(vllm.provider, u"vllm"_s);               // an alias keeps its own name; the router interprets it
    QCOMPARE(vllm.name, u"vllm"_s);                   // name defaults to the provider
    QCOMPARE(vllm.models, QStringList{u"llama-3"_s}); // supported_models is the same list
    QCOMPARE(vllm.apiKeyEnv, QString());
    QCOMPARE(vllm.priority, 1);
    QCOMPARE(vllm.rateLimitTpm, 100000);
    QCOMPARE(vllm.maxConcurrent, 20);
    QCOMPARE(vllm.timeoutSeconds, 120.0);
    QCOMPARE(c.llm.prices.size(), 2);
    QVERIFY(c.llm.prices.contains(u"claude-sonnet-4"_s)); // prefixes match in lower case
    const ModelPrice sonnet = c.llm.prices.value(u"claude-sonnet-4"_s);
    QCOMPARE(sonnet.promptPerMillion, 2.5);
    QCOMPARE(sonnet.completionPerMillion, 12.0);
    QCOMPARE(sonnet.cachedPromptPerMillion, std::optional<double>(0.3));
    const ModelPrice llama = c.llm.prices.value(u"llama-3"_s);
    QCOMPARE(llama.promptPerMillion, 0.0);
    QVERIFY(!llama.cachedPromptPerMillion.has_value());

    // auth, api, history
    QCOMPARE(c.auth.apiKeyEnv, u"AGENTDESK_API_KEY"_s);
    QVERIFY(c.auth.protectReads);
    QCOMPARE(c.api.bind, u"0.0.0.0"_s);
    QCOMPARE(c.api.allowedHosts, (QStringList{u"agents.example.org"_s, u"agents.example.org:9123"_s}));
    QCOMPARE(c.api.corsOrigins, (QStringList{u"https://dashboard.example.org"_s, u"http://localhost:5173"_s}));
    QCOMPARE(c.api.maxBodyBytes, 2097152);
    QCOMPARE(c.api.maxConnections, 32);
    QCOMPARE(c.api.idleTimeoutSeconds, 120);
    QCOMPARE(c.history.maxMessages, 20000);
    QCOMPARE(c.history.maxAgeDays, 0);
    QVERIFY(c.history.synchronous == HistoryDurability::Full);
    QVERIFY(c.history.backend == HistoryBackend::Postgresql);
    QCOMPARE(c.history.url, u"postgresql://agentdesk@db.example.org:5433/history?sslmode=require"_s);
    QCOMPARE(c.history.instance, u"eu-1"_s);
    QVERIFY(!c.resumeOnStart);
}

void TestConfigLoader::defaultsMatchTheSpec()
{
    const ConfigLoadResult result = load("payloads: {Greeting: {name: string}}\n"
                                         "listeners:\n"
                                         "  - {name: echo, description: Echoes, payload_class: Greeting, "
                                         "handler: 'builtin:echo'}\n");
    QVERIFY2(result.ok(), qPrintable(dump(result.errors)));
    QVERIFY(result.warnings.isEmpty());
    const OrganismConfig &c = *result.config;
    QCOMPARE(c.filePath, QString()); // text without an absolute file name
    QCOMPARE(c.name, u"unnamed"_s);
    QCOMPARE(c.identity, QString());
    QCOMPARE(c.scheduling, SchedulingPolicy::BreadthFirst);
    QCOMPARE(c.maxConcurrentPipelines, 50);
    QCOMPARE(c.maxConcurrentHandlers, 20);
    QCOMPARE(c.maxConcurrentPerAgent, 5);
    QCOMPARE(c.maxTokensPerThread, 100000);
    QCOMPARE(c.maxQueueDepth, 10000);
    QCOMPARE(c.maxMessageDepth, 50);
    QCOMPARE(c.llm.strategy, u"failover"_s);
    QCOMPARE(c.llm.retries, 3);
    QCOMPARE(c.llm.retryBaseDelay, 1.0);
    QCOMPARE(c.llm.retryMaxDelay, 60.0);
    QVERIFY(c.llm.backends.isEmpty());
    QVERIFY(c.llm.prices.isEmpty());
    QCOMPARE(c.auth.apiKeyEnv, QString());
    QVERIFY(!c.auth.protectReads);
    QCOMPARE(c.api.bind, u"127.0.0.1"_s);
    QCOMPARE(c.api.port, 8765);
    QVERIFY(c.api.allowedHosts.isEmpty());
    QVERIFY(c.api.corsOrigins.isEmpty());
    QCOMPARE(c.history.maxMessages, 1000000);
    QCOMPARE(c.history.maxAgeDays, 30);
    QVERIFY(c.history.synchronous == HistoryDurability::Normal);
    QVERIFY(c.history.backend == HistoryBackend::Sqlite);
    QVERIFY(c.history.url.isEmpty());
    QVERIFY(c.resumeOnStart);

    const ListenerConfig &echo = c.listeners.at(0);
    QCOMPARE(echo.handler.kind, HandlerSpec::Kind::Builtin);
    QCOMPARE(echo.handler.builtin, u"echo"_s);
    QVERIFY(!echo.agent);
    QVERIFY(!echo.broadcast);
    QVERIFY(echo.peers.isEmpty());
    QCOMPARE(echo.prompt, QString());
    QCOMPARE(echo.timeoutSeconds, 30.0);
    QVERIFY(echo.options.isEmpty());

    // A key written without a value counts as not given.
    const ConfigLoadResult empties = load("organism:\n  name:\n  port:\nllm:\nlisteners:\n");
    QVERIFY2(empties.ok(), qPrintable(dump(empties.errors)));
    QCOMPARE(empties.config->name, u"unnamed"_s);
    QCOMPARE(empties.config->api.port, 8765);
    QVERIFY(empties.config->listeners.isEmpty());
}

void TestConfigLoader::originalSampleIsRefusedWithPythonHandlerErrors()
{
    const QString path = QFileInfo(kDataDir + u"/original-sample.yaml"_s).absoluteFilePath();
    const ConfigLoadResult result = ConfigLoader::loadFile(path);
    QVERIFY(!result.ok());
    QVERIFY(!result.config.has_value());
    QCOMPARE(result.errors.size(), 3);

    const ConfigError *greeting = find(result.errors, 17, u"listeners[0].payload_class"_s);
    QVERIFY2(greeting, qPrintable(dump(result.errors)));
    QCOMPARE(greeting->file, path);
    QVERIFY(greeting->message.contains(u"no declared payload type `Greeting`"_s));
    QVERIFY(greeting->message.contains(u"payloads:"_s));
    QVERIFY(find(result.errors, 25, u"listeners[1].payload_class"_s));
    const ConfigError *handler = find(result.errors, 26, u"listeners[1].handler"_s);
    QVERIFY2(handler, qPrintable(dump(result.errors)));
    QVERIFY(handler->message.contains(u"`handlers.hello.handle_shout` is a Python import path"_s));
    QVERIFY(handler->message.contains(u"Python handlers cannot run in agentdesk; use `builtin:<name>` or "
                                      "`exec: [python3, path/to/handler.py]` (see docs/exec-protocol.md)"_s));

    // The agent's Python handler is not an error: an agent's handler is the LLM, so it is ignored.
    const ConfigWarning *ignored = find(result.warnings, 18, u"listeners[0].handler"_s);
    QVERIFY2(ignored, qPrintable(dump(result.warnings)));
    QVERIFY(ignored->message.startsWith(u"ignored:"_s));
    QCOMPARE(result.warnings.size(), 1);
}

void TestConfigLoader::originalSampleWithBuiltinsLoads()
{
    const ConfigLoadResult result = ConfigLoader::loadFile(kDataDir + u"/original-sample-builtin.yaml"_s);
    QVERIFY2(result.ok(), qPrintable(dump(result.errors)));
    QVERIFY2(result.warnings.isEmpty(), qPrintable(dump(result.warnings)));
    const OrganismConfig &c = *result.config;
    QCOMPARE(c.name, u"hello-world"_s);
    QCOMPARE(c.api.port, 8765);
    QCOMPARE(c.maxTokensPerThread, 100000);
    QCOMPARE(c.auth.apiKeyEnv, u"AGENTSERVER_API_KEY"_s);
    QCOMPARE(c.llm.backends.size(), 1);
    QCOMPARE(c.llm.backends.at(0).provider, u"xai"_s);
    QCOMPARE(c.llm.backends.at(0).apiKeyEnv, u"XAI_API_KEY"_s);
    QCOMPARE(c.payloads.size(), 3);
    QCOMPARE(c.payloadType(u"GreetingResponse"_s)->fields.at(1).name, u"original_sender"_s);

    QCOMPARE(c.listeners.size(), 2);
    const ListenerConfig &greeter = c.listeners.at(0);
    QCOMPARE(greeter.payloadClass, u"handlers.hello.Greeting"_s);
    QCOMPARE(greeter.payloadType, u"Greeting"_s);
    QCOMPARE(greeter.handler.kind, HandlerSpec::Kind::Agent);
    QCOMPARE(greeter.peers, QStringList{u"shouter"_s});
    QCOMPARE(greeter.prompt, u"You are a friendly greeter agent."_s);
    const ListenerConfig &shouter = c.listeners.at(1);
    QCOMPARE(shouter.payloadType, u"GreetingResponse"_s);
    QCOMPARE(shouter.handler.kind, HandlerSpec::Kind::Builtin);
    QCOMPARE(shouter.handler.builtin, u"shout"_s);
    QCOMPARE(shouter.description, u"Shouts the greeting in ALL CAPS"_s);
}

void TestConfigLoader::badInput_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("message"); // a fragment that makes the message clear

    // --- the document -------------------------------------------------------------------------------
    // (tst_yamlerrortranslator has many more: these only show that the loader reports them)
    QTest::newRow("invalid yaml") << QByteArray("organism:\n  name: x\n   port: 1\n") << 3 << u"organism.port"_s
                                  << u"invalid YAML: check the indentation of `port` (line 3)"_s;
    QTest::newRow("invalid yaml, unclosed flow map")
        << QByteArray("organism: {name: x\nlisteners: []\n") << 1 << u"organism"_s
        << u"invalid YAML: the map `{` opened on line 1"_s;
    QTest::newRow("tab indentation") << QByteArray("organism:\n\tname: x\n") << 2 << QString() << u"invalid YAML:"_s;
    QTest::newRow("empty file") << QByteArray() << 0 << QString() << u"the file is empty"_s;
    QTest::newRow("only comments") << QByteArray("# nothing here\n") << 0 << QString() << u"the file is empty"_s;
    QTest::newRow("root is a list")
        << QByteArray("- a\n- b\n") << 1 << QString()
        << u"the top level must be a map of keys (organism:, listeners:, …), found a list"_s;
    QTest::newRow("root is text") << QByteArray("hello\n") << 1 << QString()
                                  << u"the top level must be a map of keys (organism:, listeners:, …), found `hello`"_s;
    QTest::newRow("two documents") << QByteArray("max_queue_depth: 1\n---\nmax_queue_depth: 2\n") << 3 << QString()
                                   << u"the file holds 2 YAML documents"_s;
    QTest::newRow("duplicate key") << QByteArray("max_queue_depth: 5\nmax_queue_depth: 6\n") << 2
                                   << u"max_queue_depth"_s << u"duplicate key (first given on line 1)"_s;

    // --- issue 11: tool modes, streaming, prices, budgets ---------------------------------------------
    QTest::newRow("unknown tool_mode") << withListener(
        "  - {name: a, description: d, payload_class: Greeting, agent: true,"
        " model: m, tool_mode: json}\n")
                                       << 3 << u"listeners[0].tool_mode"_s
                                       << u"unknown value `json`; valid values: auto, native, xml"_s;
    QTest::newRow("max_tokens zero") << withListener(
        "  - {name: a, description: d, payload_class: Greeting, agent: true,"
        " model: m, max_tokens: 0}\n")
                                     << 3 << u"listeners[0].max_tokens"_s
                                     << u"must be a positive whole number, found 0"_s;
    QTest::newRow("stream not a boolean") << QByteArray("llm:\n  backends:\n    - {provider: demo, stream: often}\n")
                                          << 3 << u"llm.backends[0].stream"_s << u"often"_s;
    QTest::newRow("price without completion") << QByteArray("llm:\n  prices:\n    m: {prompt: 1.0, cache_write: 2}\n")
                                              << 3 << u"llm.prices.m.completion"_s << u"is required"_s;
    QTest::newRow("missing prices file") << QByteArray("llm:\n  prices_file: nowhere.yaml\n") << 2
                                         << u"llm.prices_file"_s << u"cannot read the price list"_s;
    QTest::newRow("budget of an unknown agent") << QByteArray("budgets:\n  agents:\n    ghost: {max_tokens: 5}\n") << 3
                                                << u"budgets.agents.ghost"_s << u"no listener is named `ghost`"_s;
    QTest::newRow("budget with both limits")
        << QByteArray("budgets:\n  organism: {max_tokens: 5, max_cost: 1.0}\n") << 2 << u"budgets.organism.max_cost"_s
        << u"either max_tokens or max_cost"_s;
    QTest::newRow("budget without a limit")
        << QByteArray("budgets:\n  organism: {period: day}\n") << 2 << u"budgets.organism"_s << u"needs max_tokens"_s;
    QTest::newRow("unknown budget period") << QByteArray("budgets:\n  organism: {max_cost: 5, period: week}\n") << 2
                                           << u"budgets.organism.period"_s << u"valid values: day, month, total"_s;

    // --- organism and limits -------------------------------------------------------------------------
    QTest::newRow("organism not a map") << QByteArray("organism: hello\n") << 1 << u"organism"_s
                                        << u"expected a map, found `hello`"_s;
    QTest::newRow("port not a number") << QByteArray("organism:\n  port: eighty\n") << 2 << u"organism.port"_s
                                       << u"expected a whole number, found `eighty`"_s;
    QTest::newRow("port quoted") << QByteArray("organism:\n  port: \"8765\"\n") << 2 << u"organism.port"_s
                                 << u"found the quoted text \"8765\" (write numbers without quotes)"_s;
    QTest::newRow("port zero") << QByteArray("organism: {port: 0}\n") << 1 << u"organism.port"_s
                               << u"must be between 1 and 65535, found 0"_s;
    QTest::newRow("port too large") << QByteArray("organism: {port: 70000}\n") << 1 << u"organism.port"_s
                                    << u"must be between 1 and 65535, found 70000"_s;
    QTest::newRow("port decimal") << QByteArray("organism: {port: 80.5}\n") << 1 << u"organism.port"_s
                                  << u"expected a whole number, found `80.5`"_s;
    QTest::newRow("name is a list") << QByteArray("organism: {name: [a, b]}\n") << 1 << u"organism.name"_s
                                    << u"expected a text value, found a list"_s;
    QTest::newRow("name empty") << QByteArray("organism: {name: \"\"}\n") << 1 << u"organism.name"_s
                                << u"must not be empty"_s;
    QTest::newRow("organism max tokens invalid")
        << QByteArray("organism:\n  max_tokens_per_thread: lots\n") << 2 << u"organism.max_tokens_per_thread"_s
        << u"expected a whole number, found `lots`"_s;
    QTest::newRow("unknown scheduling") << QByteArray("thread_scheduling: random\n") << 1 << u"thread_scheduling"_s
                                        << u"unknown scheduling `random`; expected breadth-first or depth-first"_s;
    QTest::newRow("handlers zero") << QByteArray("max_concurrent_handlers: 0\n") << 1 << u"max_concurrent_handlers"_s
                                   << u"must be a positive whole number, found 0"_s;
    QTest::newRow("pipelines decimal") << QByteArray("max_concurrent_pipelines: 2.5\n") << 1
                                       << u"max_concurrent_pipelines"_s << u"expected a whole number, found `2.5`"_s;
    QTest::newRow("per agent negative") << QByteArray("max_concurrent_per_agent: -1\n") << 1
                                        << u"max_concurrent_per_agent"_s
                                        << u"must be a positive whole number, found -1"_s;
    QTest::newRow("tokens per thread negative") << QByteArray("max_tokens_per_thread: -5\n") << 1
                                                << u"max_tokens_per_thread"_s << u"must be a positive whole number"_s;
    QTest::newRow("queue depth is a list") << QByteArray("max_queue_depth: [1]\n") << 1 << u"max_queue_depth"_s
                                           << u"expected a whole number, found a list"_s;
    QTest::newRow("message depth boolean") << QByteArray("max_message_depth: true\n") << 1 << u"max_message_depth"_s
                                           << u"expected a whole number, found `true`"_s;
    QTest::newRow("queue depth overflows int") << QByteArray("max_queue_depth: 99999999999\n") << 1
                                               << u"max_queue_depth"_s << u"is too large (at most 2147483647)"_s;

    // --- payloads ------------------------------------------------------------------------------------
    QTest::newRow("payloads is a list") << QByteArray("payloads: [Greeting]\n") << 1 << u"payloads"_s
                                        << u"expected a map, found a list"_s;
    QTest::newRow("type name lower case") << QByteArray("payloads:\n  greeting: {name: string}\n") << 2
                                          << u"payloads.greeting"_s << u"starting with an upper-case letter"_s;
    QTest::newRow("type without fields") << QByteArray("payloads:\n  Greeting: {}\n") << 2 << u"payloads.Greeting"_s
                                         << u"a payload type needs at least one field"_s;
    QTest::newRow("type with no value") << QByteArray("payloads:\n  Greeting:\n") << 2 << u"payloads.Greeting"_s
                                        << u"a payload type needs at least one field"_s;
    QTest::newRow("type is text") << QByteArray("payloads:\n  Greeting: string\n") << 2 << u"payloads.Greeting"_s
                                  << u"expected a map, found `string`"_s;
    QTest::newRow("duplicate type") << QByteArray("payloads:\n  Greeting: {name: string}\n  Greeting: {x: string}\n")
                                    << 3 << u"payloads.Greeting"_s << u"duplicate key (first given on line 2)"_s;
    QTest::newRow("field name not snake_case") << QByteArray("payloads:\n  Greeting:\n    Name: string\n") << 3
                                               << u"payloads.Greeting.Name"_s << u"use snake_case"_s;
    QTest::newRow("duplicate field") << QByteArray("payloads:\n  Greeting:\n    name: string\n    name: integer\n") << 4
                                     << u"payloads.Greeting.name"_s << u"duplicate key (first given on line 3)"_s;
    QTest::newRow("unknown field type")
        << QByteArray("payloads:\n  Greeting: {name: string}\n  Reply:\n    to: Person\n") << 4
        << u"payloads.Reply.to"_s
        << u"unknown type `Person`; use string, integer, decimal, boolean or a declared type (declared: Greeting, Reply)"_s;
    QTest::newRow("python type name") << QByteArray("payloads:\n  Greeting:\n    count: int\n") << 3
                                      << u"payloads.Greeting.count"_s
                                      << u"unknown type `int`; did you mean `integer`?"_s;
    QTest::newRow("suffixes in the wrong order")
        << QByteArray("payloads:\n  Greeting:\n    tags: string?[]\n") << 3 << u"payloads.Greeting.tags"_s
        << u"then [] for a list, then ? for optional (e.g. string[]?)"_s;
    QTest::newRow("nested list") << QByteArray("payloads:\n  Greeting:\n    tags: string[][]\n") << 3
                                 << u"payloads.Greeting.tags"_s << u"cannot read type `string[][]`"_s;
    QTest::newRow("field without type") << QByteArray("payloads:\n  Greeting:\n    name:\n") << 3
                                        << u"payloads.Greeting.name"_s << u"needs a type"_s;
    QTest::newRow("field type is a list") << QByteArray("payloads:\n  Greeting:\n    name: [string]\n") << 3
                                          << u"payloads.Greeting.name"_s << u"expected a text value, found a list"_s;
    QTest::newRow("fields share an element")
        << QByteArray("payloads:\n  Greeting:\n    item_1: string\n    item1: string\n") << 4
        << u"payloads.Greeting.item1"_s << u"would both be the XML element <Item1>"_s;

    // --- listeners -----------------------------------------------------------------------------------
    QTest::newRow("listeners is a map") << QByteArray("listeners:\n  name: a\n") << 1 << u"listeners"_s
                                        << u"expected a list of listener entries (- name: …), found a map"_s;
    QTest::newRow("split listener files") << QByteArray("listeners: {directory: listeners, include: '*.yaml'}\n") << 1
                                          << u"listeners"_s << u"split listener files"_s;
    QTest::newRow("listener is text") << QByteArray("listeners:\n  - greeter\n") << 2 << u"listeners[0]"_s
                                      << u"expected a map, found `greeter`"_s;
    QTest::newRow("missing name") << withListener(
        "  - description: d\n    payload_class: Greeting\n    handler: builtin:echo\n")
                                  << 3 << u"listeners[0].name"_s << u"is required but missing"_s;
    QTest::newRow("missing description") << withListener(
        "  - name: a\n    payload_class: Greeting\n    handler: builtin:echo\n")
                                         << 3 << u"listeners[0].description"_s << u"is required but missing"_s;
    QTest::newRow("description without value")
        << withListener("  - name: a\n    description:\n    payload_class: Greeting\n    handler: builtin:echo\n") << 4
        << u"listeners[0].description"_s << u"is required but has no value"_s;
    QTest::newRow("missing payload_class")
        << withListener("  - name: a\n    description: d\n    handler: builtin:echo\n") << 3
        << u"listeners[0].payload_class"_s << u"is required but missing"_s;
    QTest::newRow("undeclared payload type")
        << withListener("  - name: a\n    description: d\n    payload_class: Farewell\n    handler: builtin:echo\n")
        << 5 << u"listeners[0].payload_class"_s
        << u"`Farewell` is not a declared payload type; declared types: Greeting"_s;
    QTest::newRow("undeclared dotted payload class")
        << withListener("  - name: a\n    description: d\n    payload_class: handlers.bye.Farewell\n"
                        "    handler: builtin:echo\n")
        << 5 << u"listeners[0].payload_class"_s
        << u"`handlers.bye.Farewell` names no declared payload type `Farewell`"_s;
    QTest::newRow("malformed payload class")
        << withListener("  - name: a\n    description: d\n    payload_class: handlers..Greeting\n"
                        "    handler: builtin:echo\n")
        << 5 << u"listeners[0].payload_class"_s << u"is not a type name (e.g. Greeting) or a dotted path"_s;
    QTest::newRow("missing handler")
        << withListener("  - name: a\n    description: d\n    payload_class: Greeting\n") << 3
        << u"listeners[0].handler"_s
        << u"is required: `builtin:<name>`, `{exec: [program, args…]}`, or set `agent: true`"_s;
    QTest::newRow("python handler")
        << withListener("  - name: a\n    description: d\n    payload_class: Greeting\n"
                        "    handler: handlers.hello.handle_greeting\n")
        << 6 << u"listeners[0].handler"_s
        << u"Python handlers cannot run in agentdesk; use `builtin:<name>` or `exec: [python3, path/to/handler.py]` "
           "(see docs/exec-protocol.md)"_s;
    QTest::newRow("unknown builtin")
        << withListener("  - name: a\n    description: d\n    payload_class: Greeting\n    handler: builtin:whisper\n")
        << 6 << u"listeners[0].handler"_s
        << u"unknown built-in handler `whisper`; valid built-ins: shout, echo, sink, calculate, format"_s;
    QTest::newRow("builtin without prefix")
        << withListener("  - name: a\n    description: d\n    payload_class: Greeting\n    handler: echo\n") << 6
        << u"listeners[0].handler"_s << u"`builtin:echo`"_s;
    QTest::newRow("exec as a command line")
        << withListener("  - name: a\n    description: d\n    payload_class: Greeting\n"
                        "    handler: \"exec: python3 h.py\"\n")
        << 6 << u"listeners[0].handler"_s << u"`handler: {exec: [program, args…]}`"_s;
    QTest::newRow("handler is a list")
        << withListener("  - name: a\n    description: d\n    payload_class: Greeting\n    handler: [python3]\n") << 6
        << u"listeners[0].handler"_s << u"expected `builtin:<name>` or a map {exec: [program, args…]}, found a list"_s;
    QTest::newRow("exec is text") << withListener("  - name: a\n    description: d\n    payload_class: Greeting\n"
                                                  "    handler: {exec: python3 h.py}\n")
                                  << 6 << u"listeners[0].handler.exec"_s
                                  << u"expected a list [program, args…], found `python3 h.py`"_s;
    QTest::newRow("exec is empty") << withListener(
        "  - name: a\n    description: d\n    payload_class: Greeting\n    handler: {exec: []}\n")
                                   << 6 << u"listeners[0].handler.exec"_s << u"needs at least the program to run"_s;
    QTest::newRow("exec missing") << withListener(
        "  - name: a\n    description: d\n    payload_class: Greeting\n    handler:\n      cwd: /tmp\n")
                                  << 6 << u"listeners[0].handler.exec"_s << u"is required but missing"_s;
    QTest::newRow("exec argument is a list")
        << withListener("  - name: a\n    description: d\n    payload_class: Greeting\n"
                        "    handler:\n      exec:\n        - python3\n        - [h.py]\n")
        << 9 << u"listeners[0].handler.exec[1]"_s << u"expected a text value, found a list"_s;
    QTest::newRow("exec on the listener")
        << withListener("  - name: a\n    description: d\n    payload_class: Greeting\n    handler: builtin:echo\n"
                        "    exec: [python3, h.py]\n")
        << 7 << u"listeners[0].exec"_s
        << u"`exec` belongs under handler: write `handler: {exec: [program, args…], cwd: dir}`"_s;
    QTest::newRow("cwd does not exist") << withListener("  - name: a\n    description: d\n    payload_class: Greeting\n"
                                                        "    handler: {exec: [h], cwd: /nonexistent/agentdesk-test}\n")
                                        << 6 << u"listeners[0].handler.cwd"_s
                                        << u"working directory does not exist: /nonexistent/agentdesk-test"_s;
    QTest::newRow("invalid listener name")
        << withListener(
               "  - name: bad name!\n    description: d\n    payload_class: Greeting\n    handler: builtin:echo\n")
        << 3 << u"listeners[0].name"_s << u"`bad name!` is not a valid listener name"_s;
    QTest::newRow("reserved listener name")
        << withListener("  - name: system.boot\n    description: d\n    payload_class: Greeting\n"
                        "    handler: builtin:echo\n")
        << 3 << u"listeners[0].name"_s << u"reserved for the organism's own listeners"_s;
    QTest::newRow("duplicate listener name")
        << withListener("  - {name: a, description: d, payload_class: Greeting, handler: 'builtin:echo'}\n"
                        "  - {name: A, description: d, payload_class: Greeting, handler: 'builtin:echo'}\n")
        << 4 << u"listeners[1].name"_s
        << u"duplicate listener name `A` (first on line 3; names are compared ignoring case)"_s;
    QTest::newRow("agent not a boolean") << withListener(
        "  - name: a\n    description: d\n    payload_class: Greeting\n    agent: maybe\n")
                                         << 6 << u"listeners[0].agent"_s << u"expected true or false, found `maybe`"_s;
    QTest::newRow("agent quoted") << withListener(
        "  - name: a\n    description: d\n    payload_class: Greeting\n    agent: \"true\"\n")
                                  << 6 << u"listeners[0].agent"_s
                                  << u"expected true or false, found the quoted text \"true\""_s;
    QTest::newRow("peers not a list") << withListener(
        "  - name: a\n    description: d\n    payload_class: Greeting\n    agent: true\n"
        "    peers: b\n") << 7 << u"listeners[0].peers"_s
                                      << u"expected a list of text values, found `b`"_s;
    QTest::newRow("unknown peer") << withListener(
        "  - name: a\n    description: d\n    payload_class: Greeting\n    agent: true\n"
        "    peers:\n      - a\n      - shouter\n")
                                  << 9 << u"listeners[0].peers[1]"_s
                                  << u"peer `shouter` is not a listener in this file; listeners: a"_s;
    QTest::newRow("timeout zero") << withListener(
        "  - name: a\n    description: d\n    payload_class: Greeting\n    handler: builtin:echo\n"
        "    timeout_seconds: 0\n")
                                  << 7 << u"listeners[0].timeout_seconds"_s << u"must be greater than 0, found 0"_s;
    QTest::newRow("timeout text") << withListener(
        "  - name: a\n    description: d\n    payload_class: Greeting\n    handler: builtin:echo\n"
        "    timeout_seconds: soon\n")
                                  << 7 << u"listeners[0].timeout_seconds"_s << u"expected a number, found `soon`"_s;
    QTest::newRow("options not a map") << withListener(
        "  - name: a\n    description: d\n    payload_class: Greeting\n    handler: builtin:echo\n"
        "    options: [a]\n") << 7 << u"listeners[0].options"_s
                                       << u"expected a map of options, found a list"_s;

    // --- llm -----------------------------------------------------------------------------------------
    QTest::newRow("llm not a map") << QByteArray("llm: [openai]\n") << 1 << u"llm"_s
                                   << u"expected a map, found a list"_s;
    QTest::newRow("unknown strategy")
        << QByteArray("llm:\n  strategy: random\n") << 2 << u"llm.strategy"_s
        << u"unknown strategy `random`; valid strategies: failover, round-robin, least-loaded"_s;
    QTest::newRow("negative retries") << QByteArray("llm: {retries: -1}\n") << 1 << u"llm.retries"_s
                                      << u"must be at least 0, found -1"_s;
    QTest::newRow("zero retry delay") << QByteArray("llm: {retry_base_delay: 0}\n") << 1 << u"llm.retry_base_delay"_s
                                      << u"must be greater than 0"_s;
    QTest::newRow("backends is a map") << QByteArray("llm:\n  backends: {provider: xai}\n") << 2 << u"llm.backends"_s
                                       << u"expected a list of backends, found a map"_s;
    QTest::newRow("backend without provider") << QByteArray("llm:\n  backends:\n    - name: main\n") << 3
                                              << u"llm.backends[0].provider"_s << u"is required but missing"_s;
    QTest::newRow("unknown provider")
        << QByteArray("llm:\n  backends:\n    - provider: gemini\n") << 3 << u"llm.backends[0].provider"_s
        << u"unknown provider `gemini`; valid providers: openai, xai, anthropic, ollama, demo, scripted, "
           "openai-compatible, vllm, llamacpp, lmstudio"_s;
    QTest::newRow("api key in the file")
        << QByteArray("llm:\n  backends:\n    - provider: xai\n      api_key: xai-123\n") << 4
        << u"llm.backends[0].api_key"_s
        << u"API keys are read only from the environment, never from the file: remove `api_key` and set `api_key_env`"_s;
    QTest::newRow("key pasted into api_key_env")
        << QByteArray("llm:\n  backends:\n    - {provider: openai, api_key_env: sk-abc-123}\n") << 3
        << u"llm.backends[0].api_key_env"_s << u"must be the name of an environment variable"_s;
    QTest::newRow("base url not http") << QByteArray(
        "llm:\n  backends:\n    - {provider: ollama, base_url: 'ftp://host'}\n")
                                       << 3 << u"llm.backends[0].base_url"_s
                                       << u"expected an http:// or https:// URL"_s;
    QTest::newRow("models and supported_models")
        << QByteArray("llm:\n  backends:\n    - provider: ollama\n      models: [a]\n      supported_models: [b]\n")
        << 5 << u"llm.backends[0].supported_models"_s << u"give either models or supported_models"_s;
    QTest::newRow("models not a list") << QByteArray(
        "llm:\n  backends:\n    - provider: ollama\n      models: llama3\n")
                                       << 4 << u"llm.backends[0].models"_s
                                       << u"expected a list of text values, found `llama3`"_s;
    QTest::newRow("rate limit zero") << QByteArray("llm:\n  backends:\n    - provider: xai\n      rate_limit_tpm: 0\n")
                                     << 4 << u"llm.backends[0].rate_limit_tpm"_s
                                     << u"must be a positive whole number, found 0"_s;
    QTest::newRow("max concurrent negative")
        << QByteArray("llm:\n  backends:\n    - provider: xai\n      max_concurrent: -2\n") << 4
        << u"llm.backends[0].max_concurrent"_s << u"must be a positive whole number, found -2"_s;
    QTest::newRow("backend timeout zero") << QByteArray("llm:\n  backends:\n    - provider: xai\n      timeout: 0\n")
                                          << 4 << u"llm.backends[0].timeout"_s << u"must be greater than 0"_s;
    QTest::newRow("duplicate backend names")
        << QByteArray("llm:\n  backends:\n    - provider: openai\n    - provider: openai\n") << 4
        << u"llm.backends[1].name"_s << u"duplicate backend name `openai` (first on line 3)"_s;
    QTest::newRow("price without completion") << QByteArray("llm:\n  prices:\n    gpt-4o: {prompt: 2.5}\n") << 3
                                              << u"llm.prices.gpt-4o.completion"_s << u"is required but missing"_s;
    QTest::newRow("negative price") << QByteArray(
        "llm:\n  prices:\n    gpt-4o:\n      prompt: -1\n      completion: 10\n")
                                    << 4 << u"llm.prices.gpt-4o.prompt"_s << u"must be at least 0, found -1"_s;

    // --- auth, api, history --------------------------------------------------------------------------
    QTest::newRow("auth api key in the file") << QByteArray("auth:\n  api_key: secret\n") << 2 << u"auth.api_key"_s
                                              << u"API keys are read only from the environment"_s;
    QTest::newRow("auth env name invalid") << QByteArray("auth: {api_key_env: my key}\n") << 1 << u"auth.api_key_env"_s
                                           << u"must be the name of an environment variable"_s;
    QTest::newRow("protect_reads not boolean") << QByteArray("auth: {protect_reads: sometimes}\n") << 1
                                               << u"auth.protect_reads"_s << u"expected true or false"_s;
    QTest::newRow("bind with a path") << QByteArray("api: {bind: 'http://0.0.0.0'}\n") << 1 << u"api.bind"_s
                                      << u"expected an address to listen on"_s;
    QTest::newRow("allowed hosts not a list") << QByteArray("api: {allowed_hosts: example.org}\n") << 1
                                              << u"api.allowed_hosts"_s << u"expected a list of host names"_s;
    QTest::newRow("allowed host with a scheme")
        << QByteArray("api:\n  allowed_hosts:\n    - example.org\n    - https://example.org\n") << 4
        << u"api.allowed_hosts[1]"_s << u"`https://example.org` is not a host name"_s;
    QTest::newRow("cors wildcard") << QByteArray("api:\n  cors_origins: ['*']\n") << 2 << u"api.cors_origins[0]"_s
                                   << u"`*` is not allowed: list each origin"_s;
    QTest::newRow("cors origin with a path")
        << QByteArray("api:\n  cors_origins:\n    - https://ok.example\n    - http://a.example/app\n") << 4
        << u"api.cors_origins[1]"_s << u"is not an origin; write scheme://host[:port]"_s;
    QTest::newRow("max body zero") << QByteArray("api: {max_body_bytes: 0}\n") << 1 << u"api.max_body_bytes"_s
                                   << u"must be a positive whole number, found 0"_s;
    QTest::newRow("max connections text") << QByteArray("api: {max_connections: many}\n") << 1
                                          << u"api.max_connections"_s << u"expected a whole number, found `many`"_s;
    QTest::newRow("idle timeout zero") << QByteArray("api: {idle_timeout_seconds: 0}\n") << 1
                                       << u"api.idle_timeout_seconds"_s << u"must be a positive whole number"_s;
    QTest::newRow("history below the floor")
        << QByteArray("history:\n  max_messages: 9999\n") << 2 << u"history.max_messages"_s
        << u"must be at least 10000, found 9999: the API keeps at least the "
           "latest 10,000 messages"_s;
    QTest::newRow("history negative age") << QByteArray("history: {max_age_days: -1}\n") << 1
                                          << u"history.max_age_days"_s << u"must be at least 0, found -1"_s;
    QTest::newRow("history not a map") << QByteArray("history: 5\n") << 1 << u"history"_s
                                       << u"expected a map, found `5`"_s;
    QTest::newRow("history synchronous level")
        << QByteArray("history:\n  synchronous: extra\n") << 2 << u"history.synchronous"_s
        << u"unknown synchronous level `extra`; expected normal"_s;
    QTest::newRow("history backend unknown") << QByteArray("history:\n  backend: mysql\n") << 2 << u"history.backend"_s
                                             << u"unknown history backend `mysql`"_s;
    QTest::newRow("history postgresql without url")
        << QByteArray("history:\n  backend: postgresql\n") << 2 << u"history.url"_s << u"needs `url: postgresql://"_s;
    QTest::newRow("history url with password")
        << QByteArray("history:\n  backend: postgresql\n  url: postgresql://a:secret@127.0.0.1/h\n") << 3
        << u"history.url"_s << u"give it in PGPASSWORD or ~/.pgpass"_s;
    QTest::newRow("history url not postgresql")
        << QByteArray("history:\n  backend: postgresql\n  url: mysql://a@127.0.0.1/h\n") << 3 << u"history.url"_s
        << u"is not a PostgreSQL URL"_s;
    QTest::newRow("history url for sqlite") << QByteArray("history:\n  url: postgresql://a@127.0.0.1/h\n") << 2
                                            << u"history.url"_s << u"only used with `backend: postgresql`"_s;
    QTest::newRow("history instance name")
        << QByteArray("history:\n  backend: postgresql\n  url: postgresql://a@h/d\n  instance: 'x y'\n") << 4
        << u"history.instance"_s << u"is not an instance name"_s;
    QTest::newRow("resume_on_start not a boolean")
        << QByteArray("resume_on_start: sometimes\n") << 1 << u"resume_on_start"_s << u"sometimes"_s;
}

void TestConfigLoader::llmCallSettings()
{
    const ConfigLoadResult result = load(
        withListener("  - {name: a, description: d, payload_class: Greeting, agent: true, model: m, max_tokens: 900,\n"
                     "     temperature: 0.2, tool_mode: native, max_tool_retries: 3, require_reply: true}\n"
                     "  - {name: b, description: d, payload_class: Greeting, agent: true, model: m}\n"
                     "llm:\n"
                     "  backends:\n"
                     "    - {provider: anthropic, api_key_env: K}\n"
                     "    - {provider: ollama, idle_timeout: 15, tool_mode: xml}\n"
                     "    - {provider: openai, api_key_env: K, stream: false}\n"
                     "    - {provider: demo}\n"));
    QVERIFY2(result.ok(), qPrintable(dump(result.errors)));
    const OrganismConfig &c = *result.config;
    QCOMPARE(c.listeners[0].maxTokens, std::optional<int>(900));
    QCOMPARE(c.listeners[0].temperature, std::optional<double>(0.2));
    QCOMPARE(toString(c.listeners[0].toolMode), u"native"_s);
    QCOMPARE(c.listeners[0].maxToolRetries, 3);
    QVERIFY(c.listeners[0].requireReply);
    // Defaults: the provider's max_tokens, temperature 0.7 at call time, auto, one retry.
    QVERIFY(!c.listeners[1].maxTokens);
    QVERIFY(!c.listeners[1].temperature);
    QCOMPARE(toString(c.listeners[1].toolMode), u"auto"_s);
    QCOMPARE(c.listeners[1].maxToolRetries, 1);
    QVERIFY(!c.listeners[1].requireReply); // a reply without a payload ends the agent's part
    // Cloud providers stream by default, local servers and the demo do not.
    QVERIFY(c.llm.backends[0].stream);
    QCOMPARE(c.llm.backends[0].idleTimeoutSeconds, 60.0);
    QVERIFY(!c.llm.backends[1].stream);
    QCOMPARE(c.llm.backends[1].idleTimeoutSeconds, 15.0);
    QCOMPARE(toString(c.llm.backends[1].toolMode), u"xml"_s);
    QVERIFY(!c.llm.backends[2].stream);
    QVERIFY(!c.llm.backends[3].stream);
}

void TestConfigLoader::pricesFileIsReadBesideTheConfig()
{
    QTemporaryDir dir;
    QFile prices(dir.filePath(u"my-prices.yaml"_s));
    QVERIFY(prices.open(QIODevice::WriteOnly));
    prices.write(
        "date: 2026-11-01\nprices:\n  my-model: {prompt: 1.5, completion: 3, cached_prompt: 0.5, cache_write: 2}\n");
    prices.close();
    QFile config(dir.filePath(u"organism.yaml"_s));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(
        "llm:\n  prices_file: my-prices.yaml\n  prices:\n    other: {prompt: 1, completion: 1, cache_write: 1.25}\n");
    config.close();
    const ConfigLoadResult result = ConfigLoader::loadFile(config.fileName());
    QVERIFY2(result.ok(), qPrintable(dump(result.errors)));
    QCOMPARE(result.config->llm.pricesFile, QFileInfo(prices).absoluteFilePath());
    QCOMPARE(result.config->llm.filePrices.date, u"2026-11-01"_s);
    const ModelPrice mine = result.config->llm.filePrices.prices.value(u"my-model"_s);
    QCOMPARE(mine.promptPerMillion, 1.5);
    QCOMPARE(mine.cacheWritePerMillion, std::optional<double>(2.0));
    QCOMPARE(result.config->llm.prices.value(u"other"_s).cacheWritePerMillion, std::optional<double>(1.25));

    // A mistake in the price list names its own file and line, under the key that points to it.
    QVERIFY(prices.open(QIODevice::WriteOnly | QIODevice::Truncate));
    prices.write("date: 2026-11-01\nprices:\n  my-model: {prompt: cheap, completion: 3}\n");
    prices.close();
    const ConfigLoadResult broken = ConfigLoader::loadFile(config.fileName());
    QVERIFY(!broken.ok());
    QCOMPARE(broken.errors.first().key, u"llm.prices_file"_s);
    QVERIFY2(broken.errors.first().message.contains(u"my-prices.yaml:3: prices.my-model.prompt"_s),
             qPrintable(broken.errors.first().toString()));
}

void TestConfigLoader::budgetsPerAgentAndOrganism()
{
    const ConfigLoadResult result = load(
        withListener("  - {name: writer, description: d, payload_class: Greeting, agent: true, model: m}\n"
                     "budgets:\n"
                     "  agents:\n"
                     "    writer: {max_tokens: 50000, period: day}\n"
                     "  organism: {max_cost: 50.0, period: month}\n"));
    QVERIFY2(result.ok(), qPrintable(dump(result.errors)));
    const BudgetsConfig &budgets = result.config->budgets;
    QCOMPARE(budgets.agents.value(u"writer"_s).maxTokens, std::optional<qint64>(50000));
    QCOMPARE(toString(budgets.agents.value(u"writer"_s).period), u"day"_s);
    QVERIFY(budgets.organism);
    QCOMPARE(budgets.organism->maxCost, std::optional<double>(50.0));
    QVERIFY(!budgets.organism->maxTokens);
    QCOMPARE(toString(budgets.organism->period), u"month"_s);
}

void TestConfigLoader::badInput()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(QString, key);
    QFETCH(QString, message);

    const ConfigLoadResult result = load(yaml);
    QVERIFY(!result.ok());
    QVERIFY(!result.config.has_value());
    // Exactly one error: one mistake gives one message, not a cascade.
    QVERIFY2(result.errors.size() == 1, qPrintable(u"expected one error, got:\n"_s + dump(result.errors)));
    const ConfigError &error = result.errors.first();
    QCOMPARE(error.file, kFileName);
    QCOMPARE(error.line, line);
    QCOMPARE(error.key, key);
    QVERIFY2(error.message.contains(message), qPrintable(error.toString()));
}

void TestConfigLoader::warnings_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("message");

    QTest::newRow("misspelt top-level key") << QByteArray("max_queue_dept: 5\n") << 1 << u"max_queue_dept"_s
                                            << u"unknown key, ignored; did you mean `max_queue_depth`?"_s;
    QTest::newRow("unknown top-level key")
        << QByteArray("colour: blue\n") << 1 << u"colour"_s << u"unknown key, ignored (known keys here: organism,"_s;
    const QList<std::pair<const char *, const char *>> ignoredOriginalKeys{
        {"backend", "backend: {type: redis}\n"}, {"oob", "oob: {enabled: true, port: 8766}\n"},
        {"peer_tables", "peer_tables: []\n"},    {"network", "network: {ports: []}\n"},
        {"tools", "tools: [a.wasm]\n"},          {"shell", "shell: {enabled: true}\n"},
        {"compiler", "compiler: {}\n"},          {"meta", "meta: {version: 1}\n"},
        {"gateways", "gateways: []\n"},          {"process_pool", "process_pool: {workers: 4}\n"},
    };
    for (const auto &[key, yaml] : ignoredOriginalKeys)
        QTest::addRow("original key %s", key) << QByteArray(yaml) << 1 << QString::fromLatin1(key) << u"ignored: "_s;
    QTest::newRow("organism.tls") << QByteArray("organism:\n  tls: {cert: c.pem, key: k.pem}\n") << 2
                                  << u"organism.tls"_s << u"ignored: agentdesk serves plain HTTP"_s;
    QTest::newRow("unknown organism key")
        << QByteArray("organism: {nmae: x}\n") << 1 << u"organism.nmae"_s << u"did you mean `name`?"_s;
    const QByteArray listener = withListener("  - name: a\n    description: d\n    payload_class: Greeting\n"
                                             "    handler: builtin:echo\n");
    QTest::newRow("listener trusted") << listener + "    trusted: true\n"
                                      << 7 << u"listeners[0].trusted"_s << u"ignored: "_s;
    QTest::newRow("listener handler_sha256") << listener + "    handler_sha256: abc\n"
                                             << 7 << u"listeners[0].handler_sha256"_s << u"ignored: "_s;
    QTest::newRow("listener cpu_bound") << listener + "    cpu_bound: true\n"
                                        << 7 << u"listeners[0].cpu_bound"_s << u"ignored: "_s;
    QTest::newRow("unknown listener key") << listener + "    descripton: twice\n"
                                          << 7 << u"listeners[0].descripton"_s << u"did you mean `description`?"_s;
    QTest::newRow("agent with a handler")
        << withListener("  - name: a\n    description: d\n    payload_class: Greeting\n    agent: true\n"
                        "    handler: builtin:echo\n")
        << 7 << u"listeners[0].handler"_s << u"ignored: an agent's handler is the LLM"_s;
    QTest::newRow("unknown handler key") << withListener(
        "  - name: a\n    description: d\n    payload_class: Greeting\n"
        "    handler:\n      exec: [python3]\n      env: {A: b}\n")
                                         << 8 << u"listeners[0].handler.env"_s
                                         << u"unknown key, ignored (known keys here: exec, cwd)"_s;
    QTest::newRow("totp secret") << QByteArray("auth:\n  totp_secret_env: TOTP\n") << 2 << u"auth.totp_secret_env"_s
                                 << u"ignored: TOTP"_s;
    QTest::newRow("totp required") << QByteArray("auth: {totp_required: true}\n") << 1 << u"auth.totp_required"_s
                                   << u"ignored: TOTP"_s;
    QTest::newRow("unknown llm key") << QByteArray("llm:\n  stratgy: failover\n") << 2 << u"llm.stratgy"_s
                                     << u"did you mean `strategy`?"_s;
    QTest::newRow("unknown backend key") << QByteArray("llm:\n  backends:\n    - provider: xai\n      model: grok-3\n")
                                         << 4 << u"llm.backends[0].model"_s << u"did you mean `models`?"_s;
    QTest::newRow("unknown price key") << QByteArray("llm:\n  prices:\n    o1: {prompt: 1, completion: 2, cache: 3}\n")
                                       << 3 << u"llm.prices.o1.cache"_s << u"unknown key, ignored"_s;
    QTest::newRow("retry base above max") << QByteArray("llm:\n  retry_base_delay: 90\n") << 2
                                          << u"llm.retry_base_delay"_s << u"is larger than retry_max_delay (90 > 60)"_s;
    QTest::newRow("api port") << QByteArray("api: {port: 9000}\n") << 1 << u"api.port"_s
                              << u"ignored: the API listens on `organism.port`"_s;
    QTest::newRow("unknown history key") << QByteArray("history:\n  max_days: 3\n") << 2 << u"history.max_days"_s
                                         << u"unknown key, ignored"_s;
    QTest::newRow("CLI loader schema") << QByteArray("llm_backends: []\n") << 1 << u"llm_backends"_s
                                       << u"write `llm: {backends: [...]}` instead"_s;
}

void TestConfigLoader::warnings()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(QString, key);
    QFETCH(QString, message);

    const ConfigLoadResult result = load(yaml);
    QVERIFY2(result.ok(), qPrintable(dump(result.errors)));
    QCOMPARE(result.warnings.size(), 1);
    QCOMPARE(result.config->warnings.size(), 1);
    const ConfigWarning &warning = result.warnings.first();
    QCOMPARE(warning.file, kFileName);
    QCOMPARE(warning.line, line);
    QCOMPARE(warning.key, key);
    QVERIFY2(warning.message.contains(message), qPrintable(warning.toString()));
    QCOMPARE(result.config->warnings.first().toString(), warning.toString());
}

void TestConfigLoader::maxTokensPerThreadPlacement_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<qint64>("expected");
    QTest::addColumn<int>("warningLine"); // 0: no warning
    QTest::addColumn<QString>("warning");

    QTest::newRow("top level only") << QByteArray("max_tokens_per_thread: 5000\n") << qint64(5000) << 0 << QString();
    QTest::newRow("under organism only") << QByteArray("organism:\n  max_tokens_per_thread: 7000\n") << qint64(7000)
                                         << 2 << u"deprecated placement: move max_tokens_per_thread to the top level"_s;
    QTest::newRow("both: top level wins")
        << QByteArray("organism:\n  max_tokens_per_thread: 7000\nmax_tokens_per_thread: 5000\n") << qint64(5000) << 2
        << u"ignored: the top-level max_tokens_per_thread (line 3) takes precedence"_s;
    QTest::newRow("neither") << QByteArray("organism: {name: x}\n") << qint64(100000) << 0 << QString();
}

void TestConfigLoader::maxTokensPerThreadPlacement()
{
    QFETCH(QByteArray, yaml);
    QFETCH(qint64, expected);
    QFETCH(int, warningLine);
    QFETCH(QString, warning);

    const ConfigLoadResult result = load(yaml);
    QVERIFY2(result.ok(), qPrintable(dump(result.errors)));
    QCOMPARE(result.config->maxTokensPerThread, expected);
    if (warningLine == 0) {
        QVERIFY2(result.warnings.isEmpty(), qPrintable(dump(result.warnings)));
        return;
    }
    QCOMPARE(result.warnings.size(), 1);
    QCOMPARE(result.warnings.first().line, warningLine);
    QCOMPARE(result.warnings.first().key, u"organism.max_tokens_per_thread"_s);
    QVERIFY2(result.warnings.first().message.contains(warning), qPrintable(result.warnings.first().toString()));
}

void TestConfigLoader::fieldSuffixes_data()
{
    QTest::addColumn<QString>("written");
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("list");
    QTest::addColumn<bool>("optional");

    QTest::newRow("string") << u"string"_s << u"string"_s << false << false;
    QTest::newRow("list") << u"integer[]"_s << u"integer"_s << true << false;
    QTest::newRow("optional") << u"decimal?"_s << u"decimal"_s << false << true;
    QTest::newRow("optional list") << u"boolean[]?"_s << u"boolean"_s << true << true;
    QTest::newRow("declared type") << u"Inner"_s << u"Inner"_s << false << false;
    QTest::newRow("list of declared type") << u"Inner[]?"_s << u"Inner"_s << true << true;
}

void TestConfigLoader::fieldSuffixes()
{
    QFETCH(QString, written);
    QFETCH(QString, type);
    QFETCH(bool, list);
    QFETCH(bool, optional);

    // Block style: there a plain scalar may hold [ ] (in a {flow map} it would have to be quoted).
    const QByteArray yaml = "payloads:\n  Inner: {x: string}\n  Outer:\n    value: " + written.toUtf8() + "\n";
    const ConfigLoadResult result = load(yaml);
    QVERIFY2(result.ok(), qPrintable(dump(result.errors)));
    const FieldSpec &field = result.config->payloadType(u"Outer"_s)->fields.first();
    QCOMPARE(field.name, u"value"_s);
    QCOMPARE(field.type, type);
    QCOMPARE(field.list, list);
    QCOMPARE(field.optional, optional);
    QCOMPARE(field.line, 4);
}

void TestConfigLoader::recursivePayloadTypes_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("cycle");

    QTest::newRow("direct") << QByteArray("payloads:\n  Node:\n    next: Node\n") << 3 << u"payloads.Node.next"_s
                            << u"type `Node` contains itself (Node → Node)"_s;
    QTest::newRow("through an optional list")
        << QByteArray("payloads:\n  Node:\n    label: string\n    children: Node[]?\n") << 4
        << u"payloads.Node.children"_s << u"(Node → Node)"_s;
    QTest::newRow("indirect") << QByteArray("payloads:\n  A:\n    b: B\n  B:\n    c: C?\n  C:\n    a: A[]\n") << 7
                              << u"payloads.C.a"_s << u"type `A` contains itself (A → B → C → A)"_s;
}

void TestConfigLoader::recursivePayloadTypes()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(QString, key);
    QFETCH(QString, cycle);

    const ConfigLoadResult result = load(yaml);
    QVERIFY(!result.ok());
    QVERIFY2(result.errors.size() == 1, qPrintable(dump(result.errors))); // each cycle once
    QCOMPARE(result.errors.first().line, line);
    QCOMPARE(result.errors.first().key, key);
    QVERIFY2(result.errors.first().message.contains(cycle), qPrintable(result.errors.first().toString()));
    QVERIFY(result.errors.first().message.contains(u"recursive payload types are not supported"_s));

    // The same shapes without the back reference are fine: nesting itself is allowed.
    const ConfigLoadResult nested = load("payloads:\n  A: {b: B}\n  B: {c: C}\n  C: {label: string}\n");
    QVERIFY2(nested.ok(), qPrintable(dump(nested.errors)));
}

void TestConfigLoader::peersMustNameListeners()
{
    const QByteArray good = withListener(
        "  - {name: a, description: d, payload_class: Greeting, agent: true, "
        "peers: [b, c.d]}\n"
        "  - {name: b, description: d, payload_class: Greeting, handler: 'builtin:sink'}\n"
        "  - {name: c.d, description: d, payload_class: Greeting, handler: 'builtin:echo'}\n");
    const ConfigLoadResult ok = load(good);
    QVERIFY2(ok.ok(), qPrintable(dump(ok.errors)));
    QCOMPARE(ok.config->listener(u"a"_s)->peers, (QStringList{u"b"_s, u"c.d"_s}));

    // A peer that exists but failed to load for another reason is not also reported as unknown.
    const ConfigLoadResult broken = load(
        withListener("  - {name: a, description: d, payload_class: Greeting, agent: true, peers: [b, nobody]}\n"
                     "  - {name: b, description: d, payload_class: Greeting, handler: 'builtin:nope'}\n"));
    QCOMPARE(broken.errors.size(), 2);
    QVERIFY(find(broken.errors, 3, u"listeners[0].peers[1]"_s));
    QVERIFY(find(broken.errors, 4, u"listeners[1].handler"_s));
    QVERIFY(find(broken.errors, 3, u"listeners[0].peers[1]"_s)->message.contains(u"peer `nobody`"_s));
}

void TestConfigLoader::errorsAreCollected()
{
    const ConfigLoadResult result = load("organism: {port: 0}\n"         // 1
                                         "thread_scheduling: sideways\n" // 2
                                         "payloads:\n"                   // 3
                                         "  Greeting: {name: strng}\n"   // 4
                                         "listeners:\n"                  // 5
                                         "  - name: a\n"                 // 6
                                         "    description: d\n"          // 7
                                         "    payload_class: Greeting\n" // 8
                                         "    handler: builtin:yell\n"   // 9
                                         "llm: {strategy: random}\n"     // 10
                                         "history: {max_messages: 10}\n" // 11
                                         "colour: red\n");               // 12
    QVERIFY(!result.ok());
    QStringList places;
    for (const ConfigError &error : result.errors)
        places.append(QString::number(error.line) + u' ' + error.key);
    // In file order, each mistake once.
    QCOMPARE(places,
             (QStringList{u"1 organism.port"_s, u"2 thread_scheduling"_s, u"4 payloads.Greeting.name"_s,
                          u"9 listeners[0].handler"_s, u"10 llm.strategy"_s, u"11 history.max_messages"_s}));
    QCOMPARE(result.warnings.size(), 1); // warnings are reported even when loading fails
    QCOMPARE(result.warnings.first().key, u"colour"_s);
}

void TestConfigLoader::oneMistakeDoesNotCascade()
{
    // A payload type with a bad field is still "declared": listeners naming it get no second error.
    const ConfigLoadResult result = load(
        "payloads:\n  Greeting: {Name: string}\n"
        "listeners:\n"
        "  - {name: a, description: d, payload_class: Greeting, handler: 'builtin:echo'}\n");
    QCOMPARE(result.errors.size(), 1);
    QCOMPARE(result.errors.first().key, u"payloads.Greeting.Name"_s);
}

void TestConfigLoader::apiKeysAreNeverEchoed()
{
    const QByteArray secret = "sk-live-0123456789abcdef";
    const ConfigLoadResult result = load("auth: {api_key: " + secret
                                         + "}\n"
                                           "llm:\n  backends:\n"
                                           "    - {provider: openai, api_key: "
                                         + secret
                                         + "}\n"
                                           "    - {provider: xai, api_key_env: "
                                         + secret + "}\n");
    QCOMPARE(result.errors.size(), 3);
    for (const ConfigError &error : result.errors)
        QVERIFY2(!error.toString().contains(QString::fromLatin1(secret)), qPrintable(error.toString()));
}

void TestConfigLoader::execWorkingDirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath(u"bin"_s));
    // The programs must exist: the loader refuses one that does not.
    for (const QString &program : {dir.filePath(u"bin/run"_s), dir.filePath(u"run"_s)}) {
        QFile file(program);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("#!/bin/sh\n");
        file.close();
        QVERIFY(file.setPermissions(file.permissions() | QFileDevice::ExeOwner));
    }
    const QByteArray yaml =
        "payloads: {Job: {id: integer}}\n"
        "listeners:\n"
        "  - {name: relative, description: d, payload_class: Job, handler: {exec: [./run], cwd: bin}}\n"
        "  - {name: default, description: d, payload_class: Job, handler: {exec: [./run]}}\n"
        "  - {name: absolute, description: d, payload_class: Job, handler: {exec: [./run], cwd: "
        + dir.path().toUtf8() + "}}\n";
    const QString path = dir.filePath(u"organism.yaml"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(yaml);
    file.close();

    const ConfigLoadResult fromFile = ConfigLoader::loadFile(path);
    QVERIFY2(fromFile.ok(), qPrintable(dump(fromFile.errors)));
    const QString base = QFileInfo(path).absolutePath();
    QCOMPARE(fromFile.config->listener(u"relative"_s)->handler.workingDirectory, base + u"/bin"_s);
    QCOMPARE(fromFile.config->listener(u"relative"_s)->handler.argv, QStringList{u"./run"_s});
    QCOMPARE(fromFile.config->listener(u"default"_s)->handler.workingDirectory, base);
    QCOMPARE(fromFile.config->listener(u"absolute"_s)->handler.workingDirectory, QDir::cleanPath(dir.path()));

    // Text under a relative name has no directory to anchor to: cwd stays as written.
    const ConfigLoadResult fromText = load(yaml);
    QVERIFY2(fromText.ok(), qPrintable(dump(fromText.errors)));
    QCOMPARE(fromText.config->listener(u"relative"_s)->handler.workingDirectory, u"bin"_s);
    QCOMPARE(fromText.config->listener(u"default"_s)->handler.workingDirectory, QString());

    // A relative cwd that does not exist next to the file is an error naming the resolved directory.
    const ConfigLoadResult missing = ConfigLoader::loadText(
        "payloads: {Job: {id: integer}}\nlisteners:\n"
        "  - {name: a, description: d, payload_class: Job, handler: {exec: [./run], cwd: nowhere}}\n",
        path);
    QCOMPARE(missing.errors.size(), 1);
    QCOMPARE(missing.errors.first().key, u"listeners[0].handler.cwd"_s);
    QVERIFY(missing.errors.first().message.contains(base + u"/nowhere"_s));
}

void TestConfigLoader::missingFileNamesThePath()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"absent/organism.yaml"_s);
    const ConfigLoadResult result = ConfigLoader::loadFile(path);
    QVERIFY(!result.ok());
    QCOMPARE(result.errors.size(), 1);
    QCOMPARE(result.errors.first().file, path);
    QVERIFY(result.errors.first().message.contains(path));
    QVERIFY(result.errors.first().message.contains(u"not found"_s));
    QCOMPARE(result.errors.first().toString(), path + u": file not found: "_s + path);

    // A relative path is made absolute, so the message says which file was looked for.
    const ConfigLoadResult relative = ConfigLoader::loadFile(u"no-such-organism.yaml"_s);
    QCOMPARE(relative.errors.first().file, QDir::current().absoluteFilePath(u"no-such-organism.yaml"_s));
}

void TestConfigLoader::directoryIsNotAFile()
{
    const ConfigLoadResult result = ConfigLoader::loadFile(kDataDir);
    QCOMPARE(result.errors.size(), 1);
    QVERIFY(result.errors.first().message.contains(u"is a directory"_s));
}

void TestConfigLoader::diagnosticFormat()
{
    QCOMPARE((ConfigError{u"o.yaml"_s, 12, u"listeners[2].handler"_s, u"bad"_s}.toString()),
             u"o.yaml:12: listeners[2].handler: bad"_s);
    QCOMPARE((ConfigError{u"o.yaml"_s, 0, {}, u"empty"_s}.toString()), u"o.yaml: empty"_s);
    QCOMPARE((ConfigWarning{u"o.yaml"_s, 3, u"oob"_s, u"ignored: x"_s}.toString()), u"o.yaml:3: oob: ignored: x"_s);
}

void TestConfigLoader::options()
{
    const ConfigLoadResult result = ConfigLoader::loadFile(kDataDir + u"/full.yaml"_s);
    QVERIFY2(result.ok(), qPrintable(dump(result.errors)));
    const QVariantMap options = result.config->listener(u"calc.add"_s)->options;
    QCOMPARE(options.value(u"template"_s).typeId(), QMetaType::QString);
    QCOMPARE(options.value(u"template"_s).toString(), u"{text}!"_s);
    QCOMPARE(options.value(u"precision"_s).typeId(), QMetaType::LongLong);
    QCOMPARE(options.value(u"scale"_s).toDouble(), 1.5);
    QCOMPARE(options.value(u"strict"_s).typeId(), QMetaType::Bool);
    QCOMPARE(options.value(u"strict"_s).toBool(), true);
    QCOMPARE(options.value(u"words"_s).toStringList(), (QStringList{u"one"_s, u"two"_s}));
    QCOMPARE(options.value(u"nested"_s).toMap().value(u"key"_s).toString(), u"value"_s);
}

void TestConfigLoader::lookups()
{
    const ConfigLoadResult result = ConfigLoader::loadFile(kDataDir + u"/full.yaml"_s);
    QVERIFY(result.ok());
    const OrganismConfig &c = *result.config;
    QCOMPARE(c.listener(u"oracle"_s), &c.listeners.at(1));
    QCOMPARE(c.listener(u"nobody"_s), nullptr);
    QCOMPARE(c.payloadType(u"Context"_s), &c.payloads.at(1));
    QCOMPARE(c.payloadType(u"context"_s), nullptr);
}

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
