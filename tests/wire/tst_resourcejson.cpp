#include "agentjson.h"
#include "capabilityjson.h"
#include "config/organismconfig.h"
#include "errorjson.h"
#include "eventjson.h"
#include "jsonwriter.h"
#include "messagejson.h"
#include "organismjson.h"
#include "threadjson.h"

#include <QCborArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::wire;

namespace {
const QDateTime kTime(QDate(2026, 2, 10), QTime(12, 34, 56, 123), Qt::UTC);

AgentInfo greeter()
{
    AgentInfo agent;
    agent.name = u"greeter"_s;
    agent.description = u"Greeting agent"_s;
    agent.isAgent = true;
    agent.peers = {u"shouter"_s};
    agent.payloadClass = u"handlers.hello.Greeting"_s;
    agent.state = AgentState::Processing;
    agent.currentThread = u"t1"_s;
    agent.queueDepth = 3;
    agent.lastActivity = kTime;
    agent.messageCount = 7;
    return agent;
}

ThreadInfo thread1()
{
    ThreadInfo thread;
    thread.id = u"t1"_s;
    thread.status = ThreadStatus::Completed;
    thread.participants = {u"api"_s, u"greeter"_s};
    thread.messageCount = 2;
    thread.createdAt = kTime;
    return thread;
}

MessageRecord message1()
{
    MessageRecord message;
    message.seq = 3;
    message.id = u"m-1"_s;
    message.threadId = u"t1"_s;
    message.from = u"api"_s;
    message.to = u"greeter"_s;
    message.payloadType = u"Greeting"_s;
    message.fields = {{u"name"_s, u"Dan"_s},
                      {u"count"_s, qint64(2)},
                      {u"score"_s, 18.0},
                      {u"ok"_s, true},
                      {u"tags"_s, QVariantList{u"a"_s, qint64(1)}},
                      {u"inner"_s, QVariantMap{{u"original_sender"_s, u"x"_s}}}};
    message.timestamp = kTime;
    return message;
}
} // namespace

class tst_ResourceJson : public QObject
{
    Q_OBJECT
private slots:
    void organismInfo();
    void health();
    void organismConfigIsAWhitelist();
    void agentInfoWithExtensions();
    void agentInfoNullsForAbsentOptionals();
    void agentListConfigSchemaCommand();
    void threadInfoAndPage();
    void messageInfoPayloadTree();
    void messagePage();
    void capabilities();
    void reloadAndStop();
    void errors();
    void events();
};

void tst_ResourceJson::organismInfo()
{
    OrganismInfo info;
    info.name = u"test-organism"_s;
    info.status = OrganismStatus::Running;
    info.uptimeSeconds = 12.0;
    info.agentCount = 2;
    info.activeThreads = 1;
    info.totalMessages = 10001;
    QCOMPARE(writeJson(organismInfoJson(info)),
             QByteArray(R"({"name":"test-organism","status":"running","uptimeSeconds":12.0,"agentCount":2,)"
                        R"("activeThreads":1,"totalMessages":10001,"identityConfigured":false,)"
                        R"("saturation":{"queueDepth":0,"queueLimit":0,"admissionLimit":0,"injectsRefused":0,)"
                        R"("saturated":false,"cause":null,"backlog":[],"messagesPerSecond":0.0,"handledLastMinute":0,)"
                        R"("threadErrorsLastMinute":0,"handlerP50Ms":null,"handlerP95Ms":null},"history":"ok"})"));
    // agentdesk's extensions: how full the organism is, and whether its history commits.
    info.saturation.queueDepth = 9000;
    info.saturation.queueLimit = 10000;
    info.saturation.admissionLimit = 8000;
    info.saturation.injectsRefused = 12;
    info.saturation.saturated = true;
    info.saturation.cause = u"full"_s;
    info.saturation.backlog = {AgentBacklog{u"greeter"_s, 8990, 5, 2.5}};
    info.saturation.messagesPerSecond = 310.5;
    info.saturation.handledLastMinute = 17000;
    info.saturation.threadErrorsLastMinute = 2;
    info.saturation.handlerP50Ms = 4.2;
    info.saturation.handlerP95Ms = 390.0;
    info.historyProblem = u"disk full"_s;
    const QByteArray extended = writeJson(organismInfoJson(info));
    QVERIFY2(extended.endsWith(R"("saturation":{"queueDepth":9000,"queueLimit":10000,"admissionLimit":8000,)"
                               R"("injectsRefused":12,"saturated":true,"cause":"full","backlog":[{"agent":"greeter",)"
                               R"("queued":8990,"inFlight":5,"rateLimitWaitSeconds":2.5}],"messagesPerSecond":310.5,)"
                               R"("handledLastMinute":17000,"threadErrorsLastMinute":2,"handlerP50Ms":4.2,)"
                               R"("handlerP95Ms":390.0},"history":"degraded: disk full"})"),
             extended.constData());
}

void tst_ResourceJson::health()
{
    OrganismInfo info;
    info.name = u"o"_s;
    info.uptimeSeconds = 1.5;
    QCOMPARE(writeJson(healthJson(info)),
             QByteArray(R"({"status":"healthy","organism":"o","uptime_seconds":1.5,"history":"ok"})"));
    info.historyProblem = u"database or disk is full"_s;
    QCOMPARE(writeJson(healthJson(info)),
             QByteArray(R"({"status":"healthy","organism":"o","uptime_seconds":1.5,)"
                        R"("history":"degraded: database or disk is full"})"));
}

void tst_ResourceJson::organismConfigIsAWhitelist()
{
    OrganismConfig config;
    config.name = u"hello-world"_s;
    config.identity = u"/secret/key"_s;
    config.auth.apiKeyEnv = u"SECRET_ENV"_s;
    config.api.port = 8765;
    const QByteArray json = writeJson(organismConfigJson(config, {u"greeter"_s, u"system.boot"_s}));
    QCOMPARE(json,
             QByteArray(R"({"name":"hello-world","port":8765,"thread_scheduling":"breadth-first",)"
                        R"("max_concurrent_pipelines":50,"max_concurrent_handlers":20,)"
                        R"("listeners":["greeter","system.boot"]})"));
    config.scheduling = SchedulingPolicy::DepthFirst;
    QVERIFY(writeJson(organismConfigJson(config, {})).contains(R"("thread_scheduling":"depth-first")"));
}

void tst_ResourceJson::agentInfoWithExtensions()
{
    AgentInfo agent = greeter();
    agent.inFlight = 1;
    agent.lastError = u"boom"_s;
    agent.handler = u"agent"_s;
    QCOMPARE(writeJson(agentInfoJson(agent)),
             QByteArray(R"({"name":"greeter","description":"Greeting agent","isAgent":true,"peers":["shouter"],)"
                        R"("payloadClass":"handlers.hello.Greeting","state":"processing","currentThread":"t1",)"
                        R"("queueDepth":3,"lastActivity":"2026-02-10T12:34:56.123Z","messageCount":7,)"
                        R"("inFlight":1,"lastError":"boom","handler":"agent"})"));
}

void tst_ResourceJson::agentInfoNullsForAbsentOptionals()
{
    AgentInfo agent;
    agent.name = u"shouter"_s;
    const QCborMap json = agentInfoJson(agent);
    QVERIFY(json.value(u"currentThread"_s).isNull());
    QVERIFY(json.value(u"lastActivity"_s).isNull());
    QVERIFY(json.value(u"lastError"_s).isNull());
    QCOMPARE(json.value(u"state"_s).toString(), u"idle"_s);
    QCOMPARE(json.value(u"peers"_s).toArray().size(), 0);
}

void tst_ResourceJson::agentListConfigSchemaCommand()
{
    const QCborMap list = agentListJson({greeter(), greeter()});
    QCOMPARE(list.value(u"count"_s).toInteger(), 2);
    QCOMPARE(list.value(u"agents"_s).toArray().size(), 2);
    QCOMPARE(writeJson(agentConfigJson(greeter())),
             QByteArray(R"({"name":"greeter","description":"Greeting agent","isAgent":true,"peers":["shouter"],)"
                        R"("payloadClass":"handlers.hello.Greeting"})"));
    QCOMPARE(writeJson(agentSchemaJson(u"<xs:schema/>"_s)),
             QByteArray(R"({"schema":"<xs:schema/>","contentType":"application/xml"})"));
    QCOMPARE(writeJson(agentCommandJson(u"greeter"_s, AgentState::Paused)),
             QByteArray(R"({"success":true,"agent":"greeter","state":"paused"})"));
}

void tst_ResourceJson::threadInfoAndPage()
{
    QCOMPARE(writeJson(threadInfoJson(thread1())),
             QByteArray(R"({"id":"t1","status":"completed","participants":["api","greeter"],"messageCount":2,)"
                        R"("createdAt":"2026-02-10T12:34:56.123Z","lastActivity":null,"error":null})"));
    ThreadPage page;
    page.items = {thread1()};
    page.total = 9;
    page.offset = 4;
    page.limit = 1;
    const QCborMap json = threadPageJson(page);
    QCOMPARE(json.value(u"count"_s).toInteger(), 1);
    QCOMPARE(json.value(u"total"_s).toInteger(), 9);
    QCOMPARE(json.value(u"offset"_s).toInteger(), 4);
    QCOMPARE(json.value(u"limit"_s).toInteger(), 1);
    QCOMPARE(writeJson(threadKilledJson(u"t1"_s)), QByteArray(R"({"success":true,"threadId":"t1"})"));
}

void tst_ResourceJson::messageInfoPayloadTree()
{
    QCOMPARE(writeJson(messageInfoJson(message1())),
             QByteArray(R"({"id":"m-1","threadId":"t1","from":"api","to":"greeter","payloadType":"Greeting",)"
                        R"("payload":{"count":2,"inner":{"original_sender":"x"},"name":"Dan","ok":true,)"
                        R"("score":18.0,"tags":["a",1]},"timestamp":"2026-02-10T12:34:56.123Z","slotIndex":3})"));
}

void tst_ResourceJson::messagePage()
{
    MessagePage page;
    page.items = {message1(), message1()};
    page.total = 10000;
    page.offset = 0;
    page.limit = 50;
    const QCborMap json = messagePageJson(page);
    QCOMPARE(json.value(u"messages"_s).toArray().size(), 2);
    QCOMPARE(json.value(u"count"_s).toInteger(), 2);
    QCOMPARE(json.value(u"total"_s).toInteger(), 10000);
    QCOMPARE(json.value(u"limit"_s).toInteger(), 50);
}

void tst_ResourceJson::capabilities()
{
    Capability capability;
    capability.name = u"shouter"_s;
    capability.description = u"Shouting handler"_s;
    capability.rootTag = u"shouter.greetingresponse"_s;
    capability.payloadClass = u"handlers.hello.GreetingResponse"_s;
    QCOMPARE(writeJson(capabilityInfoJson(capability)),
             QByteArray(R"({"name":"shouter","description":"Shouting handler","isAgent":false,"peers":[],)"
                        R"("rootTag":"shouter.greetingresponse"})"));
    const QCborMap detail = capabilityDetailJson(capability);
    QVERIFY(detail.value(u"schemaXsd"_s).isNull());
    QVERIFY(detail.value(u"exampleXml"_s).isNull());
    QCOMPARE(detail.value(u"payloadClass"_s).toString(), capability.payloadClass);
    capability.schemaXsd = u"<xs:schema/>"_s;
    QCOMPARE(capabilityDetailJson(capability).value(u"schemaXsd"_s).toString(), u"<xs:schema/>"_s);
    QCOMPARE(capabilityListJson({capability}).value(u"count"_s).toInteger(), 1);
}

void tst_ResourceJson::reloadAndStop()
{
    ConfigChanges result;
    result.added = {u"a"_s};
    result.warnings = {u"o.yaml:7: listeners[0].peer: unknown key, ignored; did you mean `peers`?"_s};
    QCOMPARE(writeJson(reloadResultJson(result)),
             QByteArray(R"({"success":true,"added":["a"],"removed":[],"updated":[],"error":null,)"
                        R"("warnings":["o.yaml:7: listeners[0].peer: unknown key, ignored; did you mean `peers`?"]})"));
    QCOMPARE(writeJson(stopJson()), QByteArray(R"({"success":true,"status":"stopping"})"));
}

void tst_ResourceJson::errors()
{
    QCOMPARE(writeJson(detailJson(u"Agent not found: x"_s)), QByteArray(R"({"detail":"Agent not found: x"})"));
    const auto tooSmall = ValidationError::greaterThanEqual(QCborArray{u"query"_s, u"limit"_s}, u"0"_s, 1);
    QCOMPARE(writeJson(validationJson({tooSmall})),
             QByteArray(R"({"detail":[{"type":"greater_than_equal","loc":["query","limit"],)"
                        R"("msg":"Input should be greater than or equal to 1","input":"0","ctx":{"ge":1}}]})"));
    const auto notInt = ValidationError::intParsing(QCborArray{u"query"_s, u"offset"_s}, u"abc"_s);
    QCOMPARE(
        writeJson(notInt.toJson()),
        QByteArray(R"({"type":"int_parsing","loc":["query","offset"],)"
                   R"("msg":"Input should be a valid integer, unable to parse string as an integer","input":"abc"})"));
    const auto literal = ValidationError::literalError(QCborArray{u"query"_s, u"x"_s}, u"q"_s,
                                                       {u"a"_s, u"b"_s, u"c"_s});
    QCOMPARE(literal.msg, u"Input should be 'a', 'b' or 'c'"_s);
}

void tst_ResourceJson::events()
{
    OrganismInfo info;
    info.name = u"o"_s;
    const QCborMap connected = connectedEvent(info, {greeter()}, {thread1()});
    QCOMPARE(connected.value(u"event"_s).toString(), u"connected"_s);
    QCOMPARE(connected.value(u"agents"_s).toArray().size(), 1);
    QCOMPARE(connected.value(u"threads"_s).toArray().size(), 1);
    QCOMPARE(connected.value(u"organism"_s).toMap().value(u"name"_s).toString(), u"o"_s);

    QCOMPARE(messageEventFrame(R"({"id":"m"})"), QByteArray(R"({"event":"message","message":{"id":"m"}})"));
    QCOMPARE(writeJson(agentStateEvent(greeter())),
             QByteArray(R"({"event":"agent_state","agent":"greeter","state":"processing","currentThread":"t1"})"));
    QCOMPARE(writeJson(threadUpdatedEvent(thread1())),
             QByteArray(R"({"event":"thread_updated","threadId":"t1","status":"completed","messageCount":2})"));
    QCOMPARE(threadCreatedEvent(thread1()).value(u"thread"_s).toMap().value(u"id"_s).toString(), u"t1"_s);
    ErrorEvent error{u"t1"_s, u"greeter"_s, u"handler timed out"_s, kTime};
    QCOMPARE(writeJson(errorEvent(error)),
             QByteArray(R"({"event":"error","threadId":"t1","agent":"greeter","error":"handler timed out",)"
                        R"("timestamp":"2026-02-10T12:34:56.123Z"})"));
    ConfigChanges reload;
    reload.updated = {u"greeter"_s};
    QCOMPARE(
        writeJson(reloadEvent(reload)),
        QByteArray(R"({"event":"reload","success":true,"added":[],"removed":[],"updated":["greeter"],"warnings":[]})"));
    QCOMPARE(writeJson(injectedEvent(u"t"_s, u"m"_s)),
             QByteArray(R"({"event":"injected","thread_id":"t","message_id":"m"})"));
    QCOMPARE(writeJson(commandErrorEvent(u"Unknown command: x"_s)),
             QByteArray(R"({"event":"error","error":"Unknown command: x"})"));
    QCOMPARE(writeJson(subscribedEvent(u"filter"_s, QCborMap{})), QByteArray(R"({"event":"subscribed","filter":{}})"));
    QCOMPARE(writeJson(pongEvent()), QByteArray(R"({"event":"pong"})"));
}

QTEST_APPLESS_MAIN(tst_ResourceJson)
#include "tst_resourcejson.moc"
