// The wire parsers are the serialisers' inverse: what agentdesk's server writes reads back to the same
// domain values, and so do the original server's forms (microsecond or +00:00 timestamps, nulls for
// absent optionals, keys it does not have).

#include "agentjson.h"
#include "agentparser.h"
#include "capabilityjson.h"
#include "capabilityparser.h"
#include "errorparser.h"
#include "eventjson.h"
#include "eventparser.h"
#include "jsonparser.h"
#include "jsonwriter.h"
#include "messagejson.h"
#include "messageparser.h"
#include "openapiparser.h"
#include "organismjson.h"
#include "organismparser.h"
#include "threadjson.h"
#include "threadparser.h"
#include "tracejson.h"
#include "usagejson.h"
#include "usageparser.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::wire;

namespace {

const QDateTime kTime(QDate(2026, 2, 10), QTime(12, 34, 56, 123), Qt::UTC);

QJsonObject object(const QByteArray &json)
{
    return parseJsonObject(json).value_or(QJsonObject());
}

// What the server sends, read back as a client reads it.
QJsonObject sent(const QCborMap &json)
{
    return object(writeJson(json));
}

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
    agent.inFlight = 1;
    agent.lastActivity = kTime;
    agent.messageCount = 7;
    agent.lastError = u"boom"_s;
    return agent;
}

ThreadInfo thread1()
{
    ThreadInfo thread;
    thread.id = u"t1"_s;
    thread.status = ThreadStatus::Error;
    thread.participants = {u"api"_s, u"greeter"_s};
    thread.messageCount = 2;
    thread.createdAt = kTime;
    thread.lastActivity = kTime.addSecs(5);
    thread.error = u"handler failed"_s;
    return thread;
}

MessageRecord message1()
{
    MessageRecord message;
    message.seq = 3;
    message.id = u"m-1"_s;
    message.threadId = u"t1"_s;
    message.from = u"api"_s;
    message.to = u"orders"_s;
    message.payloadType = u"Order"_s;
    message.fields = {{u"id"_s, qint64(7)},
                      {u"price"_s, 18.5},
                      {u"urgent"_s, true},
                      {u"tags"_s, QVariantList{u"a"_s, u"b<c"_s}},
                      {u"address"_s, QVariantMap{{u"street_name"_s, u"Main"_s}}}};
    message.timestamp = kTime;
    return message;
}

void compareAgents(const AgentInfo &actual, const AgentInfo &expected)
{
    QCOMPARE(actual.name, expected.name);
    QCOMPARE(actual.description, expected.description);
    QCOMPARE(actual.isAgent, expected.isAgent);
    QCOMPARE(actual.peers, expected.peers);
    QCOMPARE(actual.payloadClass, expected.payloadClass);
    QCOMPARE(toString(actual.state), toString(expected.state));
    QCOMPARE(actual.currentThread, expected.currentThread);
    QCOMPARE(actual.queueDepth, expected.queueDepth);
    QCOMPARE(actual.inFlight, expected.inFlight);
    QCOMPARE(actual.lastActivity, expected.lastActivity);
    QCOMPARE(actual.messageCount, expected.messageCount);
    QCOMPARE(actual.lastError, expected.lastError);
}

void compareThreads(const ThreadInfo &actual, const ThreadInfo &expected)
{
    QCOMPARE(actual.id, expected.id);
    QCOMPARE(toString(actual.status), toString(expected.status));
    QCOMPARE(actual.participants, expected.participants);
    QCOMPARE(actual.messageCount, expected.messageCount);
    QCOMPARE(actual.createdAt, expected.createdAt);
    QCOMPARE(actual.lastActivity, expected.lastActivity);
    QCOMPARE(actual.error, expected.error);
}

} // namespace

class tst_WireParsers : public QObject
{
    Q_OBJECT
private slots:
    void timestamps_data();
    void timestamps();
    void fieldTreesKeepIntegersApartFromFloats();
    void layoutRestoresDecimals();
    void organismRoundTrip();
    void organismOriginalForms();
    void agentRoundTrip();
    void agentOriginalForm();
    void agentListSkipsEntriesWithoutName();
    void threadRoundTripAndPage();
    void threadOriginalForm();
    void messageRoundTrip();
    void messageOriginalForm();
    void payloadXml_data();
    void payloadXml();
    void payloadXmlFollowsTheLayout();
    void xmlPayloadFields();
    void xmlPayloadFieldsRefusesBadXml_data();
    void xmlPayloadFieldsRefusesBadXml();
    void capabilityRoundTrip();
    void capabilityOriginalForm();
    void usageRoundTrip();
    void usageOriginalExample();
    void budgetsRoundTrip();
    void usageEventRoundTrip();
    void usageTimeseriesRoundTrip();
    void threadTraceRoundTrip();
    void budgetEventRoundTrip();
    void errorBodies_data();
    void errorBodies();
    void eventTypes_data();
    void eventTypes();
    void eventRoundTrips();
    void openApiDescription();
    void requiredKeys_data();
    void requiredKeys();
};

void tst_WireParsers::timestamps_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected");
    const QDateTime whole(QDate(2026, 2, 10), QTime(12, 34, 56), Qt::UTC);
    QTest::newRow("agentdesk: ms and Z") << u"2026-02-10T12:34:56.123Z"_s << kTime;
    QTest::newRow("pydantic: µs and Z") << u"2026-02-10T12:34:56.123456Z"_s << kTime;
    QTest::newRow("pydantic: no fraction") << u"2026-02-10T12:34:56Z"_s << whole;
    QTest::newRow("isoformat: µs and +00:00") << u"2026-02-10T12:34:56.123456+00:00"_s << kTime;
    QTest::newRow("isoformat: other offset") << u"2026-02-10T14:34:56.123+02:00"_s << kTime;
    QTest::newRow("no offset means UTC") << u"2026-02-10T12:34:56.123"_s << kTime;
    QTest::newRow("not a timestamp") << u"yesterday"_s << QDateTime();
}

void tst_WireParsers::timestamps()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    QJsonObject json{{u"at"_s, text}, {u"none"_s, QJsonValue::Null}};
    QCOMPARE(jsonTimestamp(json, u"at"_s), expected);
    QVERIFY(!jsonTimestamp(json, u"none"_s).isValid());
    QVERIFY(!jsonTimestamp(json, u"absent"_s).isValid());
}

void tst_WireParsers::fieldTreesKeepIntegersApartFromFloats()
{
    const QVariantMap fields = jsonFields(
        object(R"({"count":3,"score":3.5,"big":9007199254740993,"ok":false,"gone":null,)"
               R"("list":[1,"a",null,{"x":1.5}],"inner":{"name":"Dan"}})"));
    QCOMPARE(fields.value(u"count"_s).typeId(), int(QMetaType::LongLong));
    QCOMPARE(fields.value(u"count"_s).toLongLong(), 3);
    QCOMPARE(fields.value(u"score"_s).typeId(), int(QMetaType::Double));
    QCOMPARE(fields.value(u"big"_s).toLongLong(), Q_INT64_C(9007199254740993)); // exact beyond 2^53
    QCOMPARE(fields.value(u"ok"_s).typeId(), int(QMetaType::Bool));
    QVERIFY(!fields.contains(u"gone"_s));
    const QVariantList list = fields.value(u"list"_s).toList();
    QCOMPARE(list.size(), 3); // the null is left out
    QCOMPARE(list.at(2).toMap().value(u"x"_s).toDouble(), 1.5);
    QCOMPARE(fields.value(u"inner"_s).toMap().value(u"name"_s).toString(), u"Dan"_s);
    // Integers written as floats by Python (3.0) still read as integers where an integer is asked for.
    QCOMPARE(jsonInteger(object(R"({"n":3.0})"), u"n"_s), 3);
    QCOMPARE(jsonInteger(object(R"({"n":3.5})"), u"n"_s, -1), -1);
}

void tst_WireParsers::layoutRestoresDecimals()
{
    // Qt's JSON parser reads 18.0 as the integer 18; the example XML says the field is a decimal.
    PayloadLayout layout;
    layout.learn(u"<Answer>\n  <Expression>...</Expression>\n  <Result>0.0</Result>\n  <Count>0</Count>\n"
                 u"  <Parts>\n    <Weight>0.0</Weight>\n  </Parts>\n</Answer>"_s);
    QVERIFY(layout.isDecimal(u"Answer/Result"_s));
    QVERIFY(!layout.isDecimal(u"Answer/Count"_s));
    QVERIFY(!layout.isDecimal(u"Answer/Parts"_s));
    const auto message = parseMessageInfo(
        object(R"({"id":"m","threadId":"t","from":"calculator","to":"answers","payloadType":"Answer",)"
               R"("payload":{"expression":"9*2","result":18.0,"count":2,"parts":[{"weight":1.0},{"weight":0.5}]},)"
               R"("timestamp":null,"slotIndex":4})"),
        &layout);
    QVERIFY(message);
    QCOMPARE(message->fields.value(u"result"_s).typeId(), int(QMetaType::Double));
    QCOMPARE(message->fields.value(u"count"_s).typeId(), int(QMetaType::LongLong));
    QCOMPARE(message->fields.value(u"parts"_s).toList().first().toMap().value(u"weight"_s).typeId(),
             int(QMetaType::Double));
    QCOMPARE(message->xml,
             QByteArray("<Answer><Expression>9*2</Expression><Result>18.0</Result><Count>2</Count>"
                        "<Parts><Weight>1.0</Weight></Parts>"
                        "<Parts><Weight>0.5</Weight></Parts></Answer>"));
}

void tst_WireParsers::organismRoundTrip()
{
    OrganismInfo info;
    info.name = u"test-organism"_s;
    info.status = OrganismStatus::Stopping;
    info.uptimeSeconds = 12.5;
    info.agentCount = 9;
    info.activeThreads = 2;
    info.totalMessages = 10001;
    info.identityConfigured = true;
    info.saturation = Saturation{
        9000,  10000, 8000, 12,  true,        u"saturated"_s, {AgentBacklog{u"greeter"_s, 8990, 5, 2.5}},
        310.5, 17000, 3,    4.2, std::nullopt};
    info.historyProblem = u"database or disk is full"_s;
    const auto parsed = parseOrganismInfo(sent(organismInfoJson(info)));
    QVERIFY(parsed);
    QCOMPARE(parsed->saturation.queueDepth, 9000);
    QCOMPARE(parsed->saturation.admissionLimit, 8000);
    QCOMPARE(parsed->saturation.injectsRefused, 12);
    QVERIFY(parsed->saturation.saturated);
    QCOMPARE(parsed->saturation.cause, u"saturated"_s);
    QCOMPARE(parsed->saturation.backlog.size(), 1);
    QCOMPARE(parsed->saturation.backlog.first().agent, u"greeter"_s);
    QCOMPARE(parsed->saturation.backlog.first().rateLimitWaitSeconds, 2.5);
    QCOMPARE(parsed->saturation.messagesPerSecond, 310.5);
    QCOMPARE(parsed->saturation.handledLastMinute, 17000);
    QCOMPARE(parsed->saturation.threadErrorsLastMinute, 3);
    QCOMPARE(parsed->saturation.handlerP50Ms, std::optional<double>(4.2));
    QVERIFY(!parsed->saturation.handlerP95Ms); // null: no call in the last minute
    QCOMPARE(parsed->historyProblem, info.historyProblem);
    QCOMPARE(parsed->name, info.name);
    QCOMPARE(toString(parsed->status), toString(info.status));
    QCOMPARE(parsed->uptimeSeconds, info.uptimeSeconds);
    QCOMPARE(parsed->agentCount, info.agentCount);
    QCOMPARE(parsed->activeThreads, info.activeThreads);
    QCOMPARE(parsed->totalMessages, info.totalMessages);
    QCOMPARE(parsed->identityConfigured, info.identityConfigured);

    const auto health = parseHealth(sent(healthJson(info)));
    QVERIFY(health);
    QCOMPARE(health->status, u"healthy"_s);
    QCOMPARE(health->organism, info.name);
    QCOMPARE(health->uptimeSeconds, 12.5);

    ConfigChanges reload;
    reload.added = {u"extra"_s};
    reload.updated = {u"greeter"_s};
    reload.warnings = {u"o.yaml:3: colour: unknown key, ignored"_s};
    const ReloadResult read = parseReloadResult(sent(reloadResultJson(reload)));
    QVERIFY(read.has_value());
    QCOMPARE(warningsOf(read), reload.warnings);
    QCOMPARE(read->added, reload.added);
    QCOMPARE(read->removed, QStringList());
    QCOMPARE(read->updated, reload.updated);
    QVERIFY(failureText(read).isEmpty());
}

void tst_WireParsers::organismOriginalForms()
{
    // Spec §5.1's example, and S1's reload stub (HTTP 200 with success false).
    const auto info = parseOrganismInfo(
        object(R"({"name":"hello-world","status":"running","uptimeSeconds":12.5031,"agentCount":6,"activeThreads":1,)"
               R"("totalMessages":1,"identityConfigured":false})"));
    QVERIFY(info);
    QCOMPARE(toString(info->status), u"running"_s);
    QCOMPARE(info->uptimeSeconds, 12.5031);
    QCOMPARE(info->agentCount, 6);
    // The original AgentServer answers a reload this way: its hot-reload is a stub. It is a failure.
    const ReloadResult originalsReply = parseReloadResult(
        object(R"({"success": false, "error": "Hot-reload not yet implemented"})"));
    QVERIFY(!originalsReply.has_value());
    QCOMPARE(failureText(originalsReply), u"Hot-reload not yet implemented"_s);
}

void tst_WireParsers::agentRoundTrip()
{
    const AgentInfo agent = greeter();
    const auto parsed = parseAgentInfo(sent(agentInfoJson(agent)));
    QVERIFY(parsed);
    compareAgents(*parsed, agent);

    AgentInfo idle;
    idle.name = u"shouter"_s;
    const auto list = parseAgentList(sent(agentListJson({agent, idle})));
    QVERIFY(list);
    QCOMPARE(list->size(), 2);
    compareAgents(list->at(1), idle);
    QVERIFY(!list->at(1).lastActivity.isValid());
}

void tst_WireParsers::agentOriginalForm()
{
    // No inFlight/lastError; nulls; pydantic's microseconds; an unknown state reads as idle.
    const auto agent = parseAgentInfo(
        object(R"({"name":"greeter","description":"Greeting agent","isAgent":true,"peers":["shouter"],)"
               R"("payloadClass":"handlers.hello.Greeting","state":"sleeping","currentThread":null,"queueDepth":0,)"
               R"("lastActivity":"2026-02-10T12:34:56.123456Z","messageCount":2})"));
    QVERIFY(agent);
    QCOMPARE(toString(agent->state), u"idle"_s);
    QVERIFY(agent->currentThread.isEmpty());
    QCOMPARE(agent->lastActivity, kTime);
    QCOMPARE(agent->inFlight, 0);
    QVERIFY(agent->lastError.isEmpty());
    QCOMPARE(agent->messageCount, 2);
}

void tst_WireParsers::agentListSkipsEntriesWithoutName()
{
    const auto list = parseAgentList(object(R"({"agents":[{"name":"a"},{"description":"no name"},7],"count":3})"));
    QVERIFY(list);
    QCOMPARE(list->size(), 1);
    QVERIFY(!parseAgentList(object(R"({"agents":null})")));
}

void tst_WireParsers::threadRoundTripAndPage()
{
    const ThreadInfo thread = thread1();
    const auto parsed = parseThreadInfo(sent(threadInfoJson(thread)));
    QVERIFY(parsed);
    compareThreads(*parsed, thread);

    ThreadPage page;
    page.items = {thread, thread};
    page.total = 31;
    page.offset = 10;
    page.limit = 2;
    const auto read = parseThreadPage(sent(threadPageJson(page)));
    QVERIFY(read);
    QCOMPARE(read->items.size(), 2);
    QCOMPARE(read->total, 31);
    QCOMPARE(read->offset, 10);
    QCOMPARE(read->limit, 2);
}

void tst_WireParsers::threadOriginalForm()
{
    const auto thread = parseThreadInfo(
        object(R"({"id":"5f0c","status":"active","participants":["greeter","api"],"messageCount":1,)"
               R"("createdAt":"2026-02-10T12:34:56.123456Z","lastActivity":null,"error":null})"));
    QVERIFY(thread);
    QCOMPARE(toString(thread->status), u"active"_s);
    QCOMPARE(thread->participants, (QStringList{u"greeter"_s, u"api"_s}));
    QCOMPARE(thread->createdAt, kTime);
    QVERIFY(!thread->lastActivity.isValid());
    QVERIFY(thread->error.isEmpty());
}

void tst_WireParsers::messageRoundTrip()
{
    const MessageRecord message = message1();
    const auto parsed = parseMessageInfo(sent(messageInfoJson(message)));
    QVERIFY(parsed);
    QCOMPARE(parsed->seq, message.seq);
    QCOMPARE(parsed->id, message.id);
    QCOMPARE(parsed->threadId, message.threadId);
    QCOMPARE(parsed->from, message.from);
    QCOMPARE(parsed->to, message.to);
    QCOMPARE(parsed->payloadType, message.payloadType);
    QCOMPARE(parsed->fields, message.fields);
    QCOMPARE(parsed->timestamp, message.timestamp);
    QVERIFY(parsed->xml.startsWith("<Order>"));

    MessagePage page;
    page.items = {message};
    page.total = 40;
    page.limit = 1;
    const auto read = parseMessagePage(sent(messagePageJson(page)));
    QVERIFY(read);
    QCOMPARE(read->items.size(), 1);
    QCOMPARE(read->total, 40);
    QCOMPARE(read->limit, 1);
}

void tst_WireParsers::messageOriginalForm()
{
    // The original's inject records the JSON object as given; slotIndex may be null.
    const auto message = parseMessageInfo(
        object(R"({"id":"m","threadId":"t","from":"api","to":"greeter","payloadType":"name","payload":{"name":"Dan"},)"
               R"("timestamp":"2026-02-10T12:34:56.123456Z","slotIndex":null})"));
    QVERIFY(message);
    QCOMPARE(message->seq, 0);
    QCOMPARE(message->fields.value(u"name"_s).toString(), u"Dan"_s);
    QCOMPARE(message->timestamp, kTime);
    QCOMPARE(message->xml, QByteArray("<Name><Name>Dan</Name></Name>"));
}

void tst_WireParsers::payloadXml_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QVariantMap>("fields");
    QTest::addColumn<QByteArray>("xml");

    QTest::newRow("scalars in name order")
        << u"Reading"_s
        << QVariantMap{{u"when_taken"_s, u"now"_s}, {u"count"_s, qint64(-2)}, {u"ok"_s, false}, {u"value"_s, 0.5}}
        << QByteArray("<Reading><Count>-2</Count><Ok>false</Ok><Value>0.5</Value>"
                      "<WhenTaken>now</WhenTaken></Reading>");
    QTest::newRow("decimals as the builder writes them")
        << u"Answer"_s << QVariantMap{{u"result"_s, 18.0}} << QByteArray("<Answer><Result>18.0</Result></Answer>");
    QTest::newRow("escaping") << u"Note"_s << QVariantMap{{u"text"_s, u"a<b & c>d"_s}}
                              << QByteArray("<Note><Text>a&lt;b &amp; c&gt;d</Text></Note>");
    QTest::newRow("lists repeat, objects nest")
        << u"Order"_s
        << QVariantMap{{u"tags"_s, QVariantList{u"x"_s, u"y"_s}}, {u"ship_to"_s, QVariantMap{{u"city"_s, u"Oslo"_s}}}}
        << QByteArray("<Order><ShipTo><City>Oslo</City></ShipTo><Tags>x</Tags><Tags>y</Tags></Order>");
    QTest::newRow("empty list and absent optional write nothing")
        << u"Order"_s << QVariantMap{{u"tags"_s, QVariantList()}, {u"note"_s, QVariant()}}
        << QByteArray("<Order></Order>");
    QTest::newRow("keys that are no element names")
        << u"name"_s << QVariantMap{{u"two words"_s, u"v"_s}, {u"1st"_s, u"w"_s}}
        << QByteArray("<Name><_1st>w</_1st><Two_words>v</Two_words></Name>");
    QTest::newRow("no type") << QString() << QVariantMap{} << QByteArray("<Payload></Payload>");
}

void tst_WireParsers::payloadXml()
{
    QFETCH(QString, type);
    QFETCH(QVariantMap, fields);
    QFETCH(QByteArray, xml);
    QCOMPARE(wire::payloadXml(type, fields), xml);
}

void tst_WireParsers::payloadXmlFollowsTheLayout()
{
    // The capabilities' examples list elements in declaration order; the JSON object lost it.
    PayloadLayout layout;
    layout.learn(u"<Order><Id>0</Id><Price>0.0</Price><Urgent>false</Urgent><Tags>text</Tags>"
                 u"<Address><StreetName>text</StreetName></Address></Order>"_s);
    layout.learn(u"<GreetingResponse><Message>text</Message><OriginalSender>text</OriginalSender>"
                 u"</GreetingResponse>"_s);
    QCOMPARE(layout.children(u"Order"_s), (QStringList{u"Id"_s, u"Price"_s, u"Urgent"_s, u"Tags"_s, u"Address"_s}));
    const MessageRecord message = message1();
    QCOMPARE(wire::payloadXml(message.payloadType, message.fields, &layout),
             QByteArray("<Order><Id>7</Id><Price>18.5</Price><Urgent>true</Urgent><Tags>a</Tags><Tags>b&lt;c</Tags>"
                        "<Address><StreetName>Main</StreetName></Address></Order>"));
    const auto parsed = parseMessageInfo(sent(messageInfoJson(message)), &layout);
    QVERIFY(parsed);
    QCOMPARE(parsed->xml, wire::payloadXml(message.payloadType, message.fields, &layout));
    // Fields the layout does not know follow, by name.
    QCOMPARE(wire::payloadXml(u"GreetingResponse"_s,
                              {{u"original_sender"_s, u"api"_s}, {u"message"_s, u"HI"_s}, {u"extra"_s, qint64(1)}},
                              &layout),
             QByteArray("<GreetingResponse><Message>HI</Message><OriginalSender>api</OriginalSender>"
                        "<Extra>1</Extra></GreetingResponse>"));
}

void tst_WireParsers::xmlPayloadFields()
{
    const auto parsed = wire::xmlPayloadFields(
        "<?xml version=\"1.0\"?>\n<Order>\n  <Id>7</Id><Tags>a</Tags><Tags>b</Tags>"
        "<ShipTo><CityName>Oslo</CityName></ShipTo><Note/></Order>\n<!-- done -->");
    QVERIFY(parsed);
    QCOMPARE(parsed->rootName, u"Order"_s);
    QCOMPARE(parsed->fields.value(u"id"_s).toString(), u"7"_s);
    QCOMPARE(parsed->fields.value(u"tags"_s).toList(), (QVariantList{u"a"_s, u"b"_s}));
    QCOMPARE(parsed->fields.value(u"ship_to"_s).toMap().value(u"city_name"_s).toString(), u"Oslo"_s);
    QCOMPARE(parsed->fields.value(u"note"_s).toString(), QString());
}

void tst_WireParsers::xmlPayloadFieldsRefusesBadXml_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not closed") << QByteArray("<Order><Id>1</Id>");
    QTest::newRow("mismatched") << QByteArray("<Order><Id>1</Name></Order>");
    QTest::newRow("two roots") << QByteArray("<A></A><B></B>");
    QTest::newRow("text after root") << QByteArray("<A></A>tail");
}

void tst_WireParsers::xmlPayloadFieldsRefusesBadXml()
{
    QFETCH(QByteArray, xml);
    QString error;
    QVERIFY(!wire::xmlPayloadFields(xml, &error));
    QVERIFY(!error.isEmpty());
}

void tst_WireParsers::capabilityRoundTrip()
{
    Capability capability;
    capability.name = u"greeter"_s;
    capability.description = u"Greeting agent"_s;
    capability.isAgent = true;
    capability.peers = {u"shouter"_s};
    capability.rootTag = u"greeter.greeting"_s;
    capability.payloadClass = u"handlers.hello.Greeting"_s;
    capability.payloadType = u"Greeting"_s;
    capability.schemaXsd = u"<xs:schema/>"_s;
    capability.exampleXml = u"<Greeting><Name>text</Name></Greeting>"_s;
    const auto detail = parseCapability(sent(capabilityDetailJson(capability)));
    QVERIFY(detail);
    QCOMPARE(detail->name, capability.name);
    QCOMPARE(detail->description, capability.description);
    QCOMPARE(detail->isAgent, capability.isAgent);
    QCOMPARE(detail->peers, capability.peers);
    QCOMPARE(detail->rootTag, capability.rootTag);
    QCOMPARE(detail->payloadClass, capability.payloadClass);
    QCOMPARE(detail->payloadType, capability.payloadType);
    QCOMPARE(detail->schemaXsd, capability.schemaXsd);
    QCOMPARE(detail->exampleXml, capability.exampleXml);

    const auto list = parseCapabilityList(sent(capabilityListJson({capability})));
    QVERIFY(list);
    QCOMPARE(list->size(), 1);
    QCOMPARE(list->first().rootTag, capability.rootTag);
    QVERIFY(list->first().schemaXsd.isEmpty()); // the list carries CapabilityInfo only
}

void tst_WireParsers::capabilityOriginalForm()
{
    // The original's schemaXsd is always null; its exampleXml uses the snake_case field names.
    const auto capability = parseCapability(
        object(R"({"name":"shouter","description":"Shouting handler","isAgent":false,"peers":[],)"
               R"("rootTag":"shouter.greetingresponse",)"
               R"("payloadClass":"handlers.hello.GreetingResponse","schemaXsd":null,"exampleXml":null})"));
    QVERIFY(capability);
    QVERIFY(capability->schemaXsd.isEmpty());
    QCOMPARE(capability->payloadType, u"GreetingResponse"_s); // from payloadClass when there is no example
}

void tst_WireParsers::usageRoundTrip()
{
    UsageSnapshot usage;
    usage.totals = {QString(), 150, 100, 50, 0, 1, 0.00105, 250.0, 0};
    usage.byAgent = {{u"greeter"_s, 150, 100, 50, 0, 1, 0.00105, 250.0, 0}};
    usage.byModel = {{u"grok-4.1"_s, 150, 100, 50, 0, 1, 0.00105, 250.0, 0}};
    const auto parsed = parseUsageSnapshot(sent(usageResponseJson(usage, 0)));
    QVERIFY(parsed);
    QCOMPARE(parsed->totals.totalTokens, 150);
    QCOMPARE(parsed->totals.requestCount, 1);
    QCOMPARE(parsed->totals.totalCost, 0.001); // the read-out is rounded to 4 places (spec §5.17)
    QCOMPARE(parsed->totals.totalLatencyMs, 250.0);
    QCOMPARE(parsed->totals.avgLatencyMs(), 250.0);
    QCOMPARE(parsed->byAgent.size(), 1);
    QCOMPARE(parsed->byAgent.first().key, u"greeter"_s);
    QCOMPARE(parsed->byModel.first().key, u"grok-4.1"_s);
    QCOMPARE(parsed->byModel.first().completionTokens, 50);

    // An attached window shows what a local one shows: unpriced calls, the bill's categories, TTFT.
    UsageCounters model{u"llama-3"_s, 900, 600, 300, 0, 3, 0.0, 300.0, 3};
    model.unpricedTokens = 900;
    model.cacheWriteTokens = 120;
    model.reasoningTokens = 80;
    model.abortedRequests = 1;
    model.ttftSumMs = 500;
    model.ttftCount = 2;
    usage.byModel = {model};
    const auto unpriced = parseUsageSnapshot(sent(usageResponseJson(usage, 0)));
    QVERIFY(unpriced);
    const UsageCounters read = unpriced->byModel.first();
    QCOMPARE(read.unpricedRequests, 3);
    QCOMPARE(read.unpricedTokens, 900);
    QCOMPARE(read.cacheWriteTokens, 120);
    QCOMPARE(read.reasoningTokens, 80);
    QCOMPARE(read.abortedRequests, 1);
    QCOMPARE(read.avgTtftMs(), std::optional<double>(250.0));
}

void tst_WireParsers::usageOriginalExample()
{
    // Spec §5.17 verbatim.
    const auto usage = parseUsageSnapshot(object(
        R"({"usage":{"totals":{"totalTokens":150,"promptTokens":100,"completionTokens":50,"requestCount":1,)"
        R"("totalCost":0.001,"avgLatencyMs":250.0},)"
        R"("byAgent":[{"agentId":"greeter","totalTokens":150,"promptTokens":100,"completionTokens":50,)"
        R"("requestCount":1,)"
        R"("totalCost":0.001}],)"
        R"("byModel":[{"model":"grok-4.1","totalTokens":150,"promptTokens":100,"completionTokens":50,"requestCount":1,)"
        R"("totalCost":0.001}],)"
        R"("activeThreads":0}})"));
    QVERIFY(usage);
    QCOMPARE(usage->totals.totalCost, 0.001);
    QCOMPARE(usage->byAgent.first().key, u"greeter"_s);
    QCOMPARE(usage->byModel.first().totalTokens, 150);
    QVERIFY(!parseUsageSnapshot(object(R"({"usage":{}})")));
}

void tst_WireParsers::budgetsRoundTrip()
{
    ThreadBudget hot{u"t2"_s, 100000, 10000, 5000, 3};
    ThreadBudget cold{u"t1"_s, 100000, 5000, 2000, 1};
    const auto list = parseThreadBudgetList(sent(threadBudgetListJson({hot, cold}, 100000)));
    QVERIFY(list);
    QCOMPARE(list->defaultMaxTokens, 100000);
    QCOMPARE(list->budgets.size(), 2);
    QCOMPARE(list->budgets.first().threadId, u"t2"_s);
    QCOMPARE(list->budgets.first().totalTokens(), 15000);
    QCOMPARE(list->budgets.first().completionTokens, 5000);
    // §5.19's example.
    const auto budget = parseThreadBudget(object(
        R"({"threadId":"my-thread","maxTokens":100000,"promptTokens":3000,"completionTokens":1500,"totalTokens":4500,)"
        R"("remaining":95500,"percentUsed":4.5,"isExhausted":false})"));
    QVERIFY(budget);
    QCOMPARE(budget->remaining(), 95500);
    QCOMPARE(budget->percentUsed(), 4.5);
    QVERIFY(!budget->isExhausted());
    // Held before anything was spent (the next call does not fit): still exhausted after the round trip.
    ThreadBudget held{u"t3"_s, 200, 0, 0, 0};
    held.heldCallTokens = 523;
    const auto parsed = parseThreadBudget(sent(threadBudgetJson(held)));
    QVERIFY(parsed);
    QVERIFY(parsed->isExhausted());
    QCOMPARE(parsed->percentUsed(), 0.0);
    QCOMPARE(parsed->remaining(), 200);
}

void tst_WireParsers::usageEventRoundTrip()
{
    UsageEvent event;
    event.id = 42;
    event.timestamp = kTime;
    event.threadId = u"t1"_s;
    event.agentId = u"writer"_s;
    event.model = u"gpt-4o"_s;
    event.provider = u"openai"_s;
    event.promptTokens = 1000;
    event.completionTokens = 500;
    event.totalTokens = 1500;
    event.latencyMs = 12.5;
    event.estimatedCost = 0.0075;
    event.metadata = {{u"org_id"_s, u"acme"_s}};
    Page<UsageEvent> page;
    page.items = {event};
    page.total = 1;
    const auto history = parseUsageHistory(sent(usageHistoryJson(page)));
    QVERIFY(history);
    QCOMPARE(history->items.size(), 1);
    const UsageEvent read = history->items.first();
    QCOMPARE(read.id, 42);
    QCOMPARE(read.timestamp, kTime); // written as isoformat() with +00:00
    QCOMPARE(read.agentId, u"writer"_s);
    QCOMPARE(read.totalTokens, 1500);
    QCOMPARE(read.latencyMs, 12.5);
    QCOMPARE(read.estimatedCost, std::optional<double>(0.0075));
    QCOMPARE(read.orgId, u"acme"_s); // from the metadata
    // Unknown cost and no agent, as the original writes them.
    const auto unpriced = parseUsageEvent(
        object(R"({"id":1,"timestamp":"2026-02-10T12:34:56.123456+00:00","threadId":"","agentId":null,"model":"m",)"
               R"("provider":"p",)"
               R"("promptTokens":1,"completionTokens":2,"totalTokens":3,"latencyMs":1.0,"estimatedCost":null,)"
               R"("metadata":{}})"));
    QVERIFY(unpriced);
    QVERIFY(!unpriced->estimatedCost);
    QVERIFY(unpriced->agentId.isEmpty());
    QCOMPARE(unpriced->timestamp, kTime);
}

void tst_WireParsers::usageTimeseriesRoundTrip()
{
    UsageBucket bucket;
    bucket.start = QDateTime(QDate(2026, 2, 10), QTime(12, 34), Qt::UTC);
    bucket.key = u"fake-1"_s;
    bucket.promptTokens = 300;
    bucket.completionTokens = 100;
    bucket.cachedPromptTokens = 20;
    bucket.totalTokens = 400;
    bucket.requestCount = 1;
    bucket.totalCost = 0.25;
    const auto points = parseUsageTimeseries(
        sent(usageTimeseriesJson(UsageBucketSize::Minute, UsageGroupBy::Model, {}, {}, {bucket})));
    QVERIFY(points);
    QCOMPARE(points->size(), 1);
    QCOMPARE(points->first().start, bucket.start);
    QCOMPARE(points->first().key, bucket.key);
    QCOMPARE(points->first().cachedPromptTokens, 20);
    QCOMPARE(points->first().totalTokens, 400);
    QCOMPARE(points->first().totalCost, 0.25);
}

void tst_WireParsers::budgetEventRoundTrip()
{
    BudgetEvent event;
    event.threadId = u"t1"_s;
    event.agent = u"writer"_s;
    event.kind = BudgetEventKind::Critical;
    event.budget = ThreadBudget{u"t1"_s, 1000, 700, 220, 2};
    event.message = u"WARNING: 92% of token budget used."_s;
    event.timestamp = kTime;
    const QJsonObject frame = sent(budgetEventJson(event));
    QCOMPARE(wsEventType(frame), WsEventType::Budget);
    const auto read = parseBudgetEvent(frame);
    QVERIFY(read);
    QCOMPARE(toString(read->kind), u"critical"_s);
    QCOMPARE(read->threadId, u"t1"_s);
    QCOMPARE(read->agent, u"writer"_s);
    QCOMPARE(read->budget.maxTokens, 1000);
    QCOMPARE(read->budget.totalTokens(), 920);
    QCOMPARE(read->budget.remaining(), 80);
    QCOMPARE(read->message, event.message);
    QCOMPARE(read->timestamp, kTime);

    event.kind = BudgetEventKind::Raised;
    QCOMPARE(toString(parseBudgetEvent(sent(budgetEventJson(event)))->kind), u"raised"_s);
    event.kind = BudgetEventKind::Exhausted;
    QCOMPARE(toString(parseBudgetEvent(sent(budgetEventJson(event)))->kind), u"exhausted"_s);
}

void tst_WireParsers::errorBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("text");
    QTest::newRow("detail") << QByteArray(R"({"detail":"Unknown target agent: x"})") << u"Unknown target agent: x"_s;
    QTest::newRow("422 missing") << QByteArray(R"({"detail":[{"type":"missing","loc":["body","to"],)"
                                               R"("msg":"Field required","input":{}}]})")
                                 << u"to: Field required"_s;
    QTest::newRow("422 two") << QByteArray(R"({"detail":[{"type":"greater_than_equal","loc":["query","limit"],)"
                                           R"("msg":"Input should be greater than or equal to 1","input":"0",)"
                                           R"("ctx":{"ge":1}},)"
                                           R"({"type":"int_parsing","loc":["query","offset"],)"
                                           R"("msg":"Input should be a valid integer","input":"x"}]})")
                             << u"limit: Input should be greater than or equal to 1; "
                                "offset: Input should be a valid integer"_s;
    QTest::newRow("422 json offset") << QByteArray(R"({"detail":[{"type":"json_invalid","loc":["body",17],)"
                                                   R"("msg":"JSON decode error","input":{}}]})")
                                     << u"17: JSON decode error"_s;
    QTest::newRow("plain text 500") << QByteArray("Internal Server Error") << u"Internal Server Error"_s;
    QTest::newRow("empty") << QByteArray() << QString();
}

void tst_WireParsers::errorBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, text);
    QCOMPARE(parseErrorBody(body).text(), text);
}

void tst_WireParsers::eventTypes_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("type");
    QTest::newRow("rich error") << QByteArray(R"({"event":"error","threadId":null,"agent":"x","error":"e",)"
                                              R"("timestamp":null})")
                                << int(WsEventType::Error);
    QTest::newRow("command error") << QByteArray(R"({"event":"error","error":"Unknown command: ping"})")
                                   << int(WsEventType::CommandError);
    QTest::newRow("pong") << QByteArray(R"({"event":"pong"})") << int(WsEventType::Pong);
    QTest::newRow("injected") << QByteArray(R"({"event":"injected","thread_id":"t","message_id":"m"})")
                              << int(WsEventType::Injected);
    QTest::newRow("subscribed") << QByteArray(R"({"event":"subscribed","filters":{}})") << int(WsEventType::Subscribed);
    QTest::newRow("budget") << QByteArray(R"({"event":"budget_exhausted","threadId":"t"})") << int(WsEventType::Budget);
    QTest::newRow("organism") << QByteArray(R"({"event":"organism","organism":{"name":"o","status":"stopped"}})")
                              << int(WsEventType::Organism);
    QTest::newRow("unknown") << QByteArray(R"({"event":"later"})") << int(WsEventType::Unknown);
    QTest::newRow("no event") << QByteArray(R"({"id":"m"})") << int(WsEventType::Unknown);
}

void tst_WireParsers::eventTypes()
{
    QFETCH(QByteArray, frame);
    QFETCH(int, type);
    QCOMPARE(int(wsEventType(object(frame))), type);
}

void tst_WireParsers::eventRoundTrips()
{
    OrganismInfo info;
    info.name = u"o"_s;
    info.status = OrganismStatus::Running;
    const QJsonObject connected = sent(connectedEvent(info, {greeter()}, {thread1()}));
    QCOMPARE(wsEventType(connected), WsEventType::Connected);
    const auto snapshot = parseConnectedEvent(connected);
    QVERIFY(snapshot);
    QCOMPARE(snapshot->organism.name, u"o"_s);
    QCOMPARE(snapshot->agents.size(), 1);
    compareAgents(snapshot->agents.first(), greeter());
    QCOMPARE(snapshot->threads.size(), 1);
    compareThreads(snapshot->threads.first(), thread1());

    const QJsonObject message = object(messageEventFrame(writeJson(messageInfoJson(message1()))));
    QCOMPARE(wsEventType(message), WsEventType::Message);
    QCOMPARE(parseMessageEvent(message)->seq, 3);

    const QJsonObject state = sent(agentStateEvent(greeter()));
    QCOMPARE(wsEventType(state), WsEventType::AgentState);
    const auto change = parseAgentStateEvent(state);
    QVERIFY(change);
    QCOMPARE(change->agent, u"greeter"_s);
    QCOMPARE(toString(change->state), u"processing"_s);
    QCOMPARE(change->currentThread, u"t1"_s);

    const QJsonObject created = sent(threadCreatedEvent(thread1()));
    QCOMPARE(wsEventType(created), WsEventType::ThreadCreated);
    compareThreads(*parseThreadCreatedEvent(created), thread1());

    const QJsonObject updated = sent(threadUpdatedEvent(thread1()));
    QCOMPARE(wsEventType(updated), WsEventType::ThreadUpdated);
    const auto status = parseThreadUpdatedEvent(updated);
    QVERIFY(status);
    QCOMPARE(status->threadId, u"t1"_s);
    QCOMPARE(toString(status->status), u"error"_s);
    QCOMPARE(status->messageCount, 2);

    ErrorEvent error{u"t1"_s, u"greeter"_s, u"handler timed out"_s, kTime};
    const QJsonObject raised = sent(errorEvent(error));
    QCOMPARE(wsEventType(raised), WsEventType::Error);
    const ErrorEvent read = parseErrorEvent(raised);
    QCOMPARE(read.threadId, error.threadId);
    QCOMPARE(read.agent, error.agent);
    QCOMPARE(read.error, error.error);
    QCOMPARE(read.timestamp, kTime);
    QCOMPARE(wsEventType(sent(commandErrorEvent(u"Unknown command: x"_s))), WsEventType::CommandError);

    ConfigChanges changes;
    changes.removed = {u"old"_s};
    const QJsonObject reload = sent(reloadEvent(changes));
    QCOMPARE(wsEventType(reload), WsEventType::Reload);
    QVERIFY(parseReloadEvent(reload).has_value());
    QCOMPARE(parseReloadEvent(reload)->removed, changes.removed);
    QCOMPARE(wsEventType(sent(pongEvent())), WsEventType::Pong);
}

void tst_WireParsers::openApiDescription()
{
    const ApiDescription description = parseOpenApi(
        object(R"({"openapi":"3.1.0","paths":{)"
               R"("/api/v1/messages":{"get":{"parameters":[{"name":"agent","in":"query"},{"name":"after","in":"query",)"
               R"("x-agentdesk-extension":true}]}},)"
               R"("/api/v1/threads/{thread_id}/messages":{"parameters":[{"name":"thread_id","in":"path"}],)"
               R"("get":{"parameters":[{"name":"limit","in":"query"}]}},)"
               R"("/api/v1/usage/threads/{thread_id}":{"get":{},"put":{"x-agentdesk-extension":true}}}})"));
    QVERIFY(description.known);
    QVERIFY(description.agentdesk);
    QVERIFY(description.has(u"GET"_s, u"/api/v1/messages"_s));
    QVERIFY(description.has(u"put"_s, u"/api/v1/usage/threads/{thread_id}"_s));
    QVERIFY(!description.has(u"GET"_s, u"/api/v1/usage/timeseries"_s));
    QVERIFY(description.acceptsQuery(u"GET"_s, u"/api/v1/messages"_s, u"after"_s));
    QVERIFY(!description.acceptsQuery(u"GET"_s, u"/api/v1/messages"_s, u"thread"_s));
    QVERIFY(description.acceptsQuery(u"GET"_s, u"/api/v1/threads/{thread_id}/messages"_s, u"limit"_s));
    QVERIFY(!description.acceptsQuery(u"GET"_s, u"/api/v1/threads/{thread_id}/messages"_s, u"thread_id"_s));

    // FastAPI's document for the original: no extension marks.
    const ApiDescription original = parseOpenApi(
        object(R"({"openapi":"3.1.0","paths":{"/api/v1/messages":{"get":{"parameters":[{"name":"agent",)"
               R"("in":"query"}]}}}})"));
    QVERIFY(original.known);
    QVERIFY(!original.agentdesk);
    QVERIFY(!parseOpenApi(object(R"({"detail":"Not Found"})")).known);
}

void tst_WireParsers::requiredKeys_data()
{
    QTest::addColumn<QString>("resource");
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("organism without name") << u"organism"_s << QByteArray(R"({"status":"running"})");
    QTest::newRow("health without status") << u"health"_s << QByteArray(R"({"organism":"o"})");
    QTest::newRow("agent with numeric name") << u"agent"_s << QByteArray(R"({"name":7})");
    QTest::newRow("thread without id") << u"thread"_s << QByteArray(R"({"status":"active"})");
    QTest::newRow("message without threadId") << u"message"_s << QByteArray(R"({"id":"m"})");
    QTest::newRow("capability without name") << u"capability"_s << QByteArray(R"({"rootTag":"x"})");
    QTest::newRow("budget without threadId") << u"budget"_s << QByteArray(R"({"maxTokens":1})");
    QTest::newRow("usage event without model") << u"usageEvent"_s << QByteArray(R"({"id":1})");
    QTest::newRow("thread page without list") << u"threadPage"_s << QByteArray(R"({"threads":{}})");
    QTest::newRow("message page without list") << u"messagePage"_s << QByteArray(R"({"count":0})");
    QTest::newRow("capability list without list") << u"capabilityList"_s << QByteArray(R"({})");
    QTest::newRow("connected without agents") << u"connected"_s
                                              << QByteArray(R"({"event":"connected",)"
                                                            R"("organism":{"name":"o"}})");
    QTest::newRow("budget event of another kind") << u"budgetEvent"_s
                                                  << QByteArray(R"({"event":"reload",)"
                                                                R"("threadId":"t"})");
}

void tst_WireParsers::requiredKeys()
{
    QFETCH(QString, resource);
    QFETCH(QByteArray, json);
    const QJsonObject value = object(json);
    bool parsed = true;
    if (resource == u"organism")
        parsed = parseOrganismInfo(value).has_value();
    else if (resource == u"health")
        parsed = parseHealth(value).has_value();
    else if (resource == u"agent")
        parsed = parseAgentInfo(value).has_value();
    else if (resource == u"thread")
        parsed = parseThreadInfo(value).has_value();
    else if (resource == u"message")
        parsed = parseMessageInfo(value).has_value();
    else if (resource == u"capability")
        parsed = parseCapability(value).has_value();
    else if (resource == u"budget")
        parsed = parseThreadBudget(value).has_value();
    else if (resource == u"usageEvent")
        parsed = parseUsageEvent(value).has_value();
    else if (resource == u"threadPage")
        parsed = parseThreadPage(value).has_value();
    else if (resource == u"messagePage")
        parsed = parseMessagePage(value).has_value();
    else if (resource == u"capabilityList")
        parsed = parseCapabilityList(value).has_value();
    else if (resource == u"connected")
        parsed = parseConnectedEvent(value).has_value();
    else if (resource == u"budgetEvent")
        parsed = parseBudgetEvent(value).has_value();
    else
        QFAIL("unknown resource");
    QVERIFY(!parsed);
}

void tst_WireParsers::threadTraceRoundTrip()
{
    const QDateTime at(QDate(2026, 2, 10), QTime(12, 0), Qt::UTC);
    ThreadTrace trace;
    trace.thread.id = u"fork-1"_s;
    trace.thread.status = ThreadStatus::Active;
    trace.thread.createdAt = at;
    trace.origin = ThreadOrigin{ThreadOriginKind::Fork, u"source"_s, u"m-2"_s, 8};
    trace.totalHops = 12;
    TraceHop copied;
    copied.message.seq = 7;
    copied.message.id = u"m-7"_s;
    copied.message.threadId = u"fork-1"_s;
    copied.message.from = u"api"_s;
    copied.message.to = u"writer"_s;
    copied.message.payloadType = u"Draft"_s;
    copied.message.fields = {{u"text"_s, u"start"_s}};
    copied.message.timestamp = at;
    copied.copied = true;
    TraceHop llm = copied;
    llm.copied = false;
    llm.message.seq = 8;
    llm.message.id = u"m-8"_s;
    llm.run = HandlerRun{8, at.addMSecs(40), at.addMSecs(1540), u"writer timed out"_s};
    LlmExchange exchange;
    exchange.usage.timestamp = at.addMSecs(1500);
    exchange.usage.threadId = u"fork-1"_s;
    exchange.usage.agentId = u"writer"_s;
    exchange.usage.model = u"gpt-4o-mini"_s;
    exchange.usage.provider = u"openai"_s;
    exchange.usage.promptTokens = 1200;
    exchange.usage.cachedPromptTokens = 1024;
    exchange.usage.completionTokens = 80;
    exchange.usage.totalTokens = 1280;
    exchange.usage.latencyMs = 1400;
    exchange.usage.estimatedCost = 0.00023;
    exchange.prompt = {{u"system"_s, u"You write."_s}, {u"user"_s, u"Message from api:\n<Draft/>"_s}};
    exchange.response = u"<Done><Text>ok</Text></Done>"_s;
    llm.llm = {exchange};
    TraceHop running = copied;
    running.copied = false;
    running.message.seq = 9;
    running.message.id = u"m-9"_s;
    running.run = HandlerRun{9, at.addSecs(2), {}, {}};
    trace.hops = {copied, llm, running};

    const std::optional<ThreadTrace> parsed = parseThreadTrace(sent(threadTraceJson(trace)));
    QVERIFY(parsed);
    QCOMPARE(parsed->thread.id, u"fork-1"_s);
    QCOMPARE(parsed->totalHops, 12);
    QVERIFY(parsed->origin);
    QCOMPARE(toString(parsed->origin->kind), u"fork"_s);
    QCOMPARE(parsed->origin->firstSeq, 8);
    QCOMPARE(parsed->hops.size(), 3);
    QVERIFY(parsed->hops.at(0).copied && !parsed->hops.at(0).run);
    const TraceHop &back = parsed->hops.at(1);
    QCOMPARE(back.message.seq, 8);
    QCOMPARE(back.message.fields.value(u"text"_s).toString(), u"start"_s);
    QCOMPARE(back.run->started, at.addMSecs(40));
    QCOMPARE(back.run->ended, at.addMSecs(1540));
    QCOMPARE(back.run->error, u"writer timed out"_s);
    QCOMPARE(back.llm.size(), 1);
    QCOMPARE(back.llm.first().usage.model, u"gpt-4o-mini"_s);
    QCOMPARE(back.llm.first().usage.cachedPromptTokens, 1024);
    QCOMPARE(back.llm.first().usage.estimatedCost, std::optional<double>(0.00023));
    QCOMPARE(back.llm.first().prompt.size(), 2);
    QCOMPARE(back.llm.first().prompt.at(1).content, u"Message from api:\n<Draft/>"_s);
    QCOMPARE(back.llm.first().response, exchange.response);
    QVERIFY(parsed->hops.at(2).run && !parsed->hops.at(2).run->ended.isValid()); // still running
    QVERIFY(!parseThreadTrace(QJsonObject{{u"hops"_s, QJsonArray{}}}));
}

QTEST_GUILESS_MAIN(tst_WireParsers)
#include "tst_wireparsers.moc"
