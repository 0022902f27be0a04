#include "wsfilter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

WsEvent message(const QString &thread, const QString &from, const QString &to, const QString &type)
{
    WsEvent event;
    event.name = u"message"_s;
    event.threadId = thread;
    event.from = from;
    event.to = to;
    event.payloadType = type;
    return event;
}

WsEvent agentState(const QString &agent, const QString &thread = {})
{
    WsEvent event;
    event.name = u"agent_state"_s;
    event.agent = agent;
    event.threadId = thread;
    return event;
}

WsEvent threadUpdated(const QString &thread)
{
    WsEvent event;
    event.name = u"thread_updated"_s;
    event.threadId = thread;
    return event;
}

WsEvent reload()
{
    WsEvent event;
    event.name = u"reload"_s;
    return event;
}

WsFilter filterFrom(const QByteArray &json)
{
    QString error;
    const auto filter = WsFilter::fromJson(QJsonDocument::fromJson(json).object(), &error);
    return filter.value_or(WsFilter());
}

} // namespace

Q_DECLARE_METATYPE(agentdesk::WsEvent)

// The filter rules of spec §6.1/§6.2 (checklist §12 #20) with decision 6's refinements.
class tst_WsFilter : public QObject
{
    Q_OBJECT
private slots:
    void controlRules_data();
    void controlRules();
    void messageStreamRules_data();
    void messageStreamRules();
    void parsesBothPayloadTypeSpellings();
    void absentAndNullMeanNoConstraint();
    void rejectsMalformedFields_data();
    void rejectsMalformedFields();
};

void tst_WsFilter::controlRules_data()
{
    QTest::addColumn<QByteArray>("filter");
    QTest::addColumn<WsEvent>("event");
    QTest::addColumn<bool>("accepted");
    const WsEvent greet = message(u"thread-1"_s, u"api"_s, u"greeter"_s, u"Greeting"_s);
    QTest::newRow("no filter: message") << QByteArray("{}") << greet << true;
    QTest::newRow("no filter: agent_state") << QByteArray("{}") << agentState(u"shouter"_s) << true;
    QTest::newRow("events drops agent_state")
        << QByteArray(R"({"events":["message"]})") << agentState(u"greeter"_s) << false;
    QTest::newRow("events keeps message") << QByteArray(R"({"events":["message"]})") << greet << true;
    WsEvent delta;
    delta.name = u"llm_delta"_s;
    delta.threadId = u"thread-1"_s;
    delta.agent = u"writer"_s;
    QTest::newRow("llm_delta is opt-in: no filter") << QByteArray("{}") << delta << false;
    QTest::newRow("llm_delta is opt-in: other events") << QByteArray(R"({"events":["message"]})") << delta << false;
    QTest::newRow("llm_delta named") << QByteArray(R"({"events":["llm_delta"]})") << delta << true;
    QTest::newRow("llm_delta named, other thread")
        << QByteArray(R"({"events":["llm_delta"],"threads":["t9"]})") << delta << false;
    QTest::newRow("threads drops other thread")
        << QByteArray(R"({"threads":["thread-1"]})") << threadUpdated(u"thread-2"_s) << false;
    QTest::newRow("threads keeps thread")
        << QByteArray(R"({"threads":["thread-1"]})") << threadUpdated(u"thread-1"_s) << true;
    // Decision 6: the thread filter also applies to message.threadId and agent_state.currentThread.
    QTest::newRow("threads drops message of other thread")
        << QByteArray(R"({"threads":["thread-9"]})") << greet << false;
    QTest::newRow("threads drops agent_state of other thread")
        << QByteArray(R"({"threads":["thread-9"]})") << agentState(u"greeter"_s, u"thread-1"_s) << false;
    QTest::newRow("threads keeps agent_state without thread")
        << QByteArray(R"({"threads":["thread-9"]})") << agentState(u"greeter"_s) << true;
    QTest::newRow("threads keeps reload") << QByteArray(R"({"threads":["thread-9"]})") << reload() << true;
    QTest::newRow("agents drops other agent")
        << QByteArray(R"({"agents":["greeter"]})") << agentState(u"shouter"_s) << false;
    QTest::newRow("agents keeps agent") << QByteArray(R"({"agents":["greeter"]})") << agentState(u"greeter"_s) << true;
    QTest::newRow("agents drops shouter->logger")
        << QByteArray(R"({"agents":["greeter"]})") << message(u"t"_s, u"shouter"_s, u"logger"_s, u"X"_s) << false;
    QTest::newRow("agents keeps from greeter")
        << QByteArray(R"({"agents":["greeter"]})") << message(u"t"_s, u"greeter"_s, u"shouter"_s, u"X"_s) << true;
    QTest::newRow("agents keeps to greeter") << QByteArray(R"({"agents":["greeter"]})") << greet << true;
    QTest::newRow("agents keeps thread_updated")
        << QByteArray(R"({"agents":["greeter"]})") << threadUpdated(u"t"_s) << true;
    QTest::newRow("payload types drop") << QByteArray(R"({"payload_types":["Greeting"]})")
                                        << message(u"t"_s, u"a"_s, u"b"_s, u"ShoutResponse"_s) << false;
    QTest::newRow("payload types keep") << QByteArray(R"({"payload_types":["Greeting"]})") << greet << true;
    QTest::newRow("payload types ignore non-messages")
        << QByteArray(R"({"payload_types":["Greeting"]})") << agentState(u"x"_s) << true;
    QTest::newRow("all lists must match")
        << QByteArray(R"({"events":["message"],"agents":["greeter"],"threads":["thread-1"]})")
        << message(u"thread-2"_s, u"greeter"_s, u"b"_s, u"X"_s) << false;
    QTest::newRow("empty lists are no constraint")
        << QByteArray(R"({"events":[],"agents":[],"threads":[]})") << greet << true;
}

void tst_WsFilter::controlRules()
{
    QFETCH(QByteArray, filter);
    QFETCH(WsEvent, event);
    QFETCH(bool, accepted);
    QCOMPARE(filterFrom(filter).acceptsEvent(event), accepted);
}

void tst_WsFilter::messageStreamRules_data()
{
    QTest::addColumn<QByteArray>("filter");
    QTest::addColumn<WsEvent>("event");
    QTest::addColumn<bool>("accepted");
    const WsEvent greet = message(u"t1"_s, u"api"_s, u"greeter"_s, u"Greeting"_s);
    QTest::newRow("all") << QByteArray("{}") << greet << true;
    QTest::newRow("agents to") << QByteArray(R"({"agents":["greeter"]})") << greet << true;
    QTest::newRow("agents neither") << QByteArray(R"({"agents":["shouter"]})") << greet << false;
    QTest::newRow("threads") << QByteArray(R"({"threads":["t1"]})") << greet << true;
    QTest::newRow("threads other") << QByteArray(R"({"threads":["t2"]})") << greet << false;
    QTest::newRow("payload types") << QByteArray(R"({"payload_types":["Other"]})") << greet << false;
    QTest::newRow("agents and threads") << QByteArray(R"({"agents":["greeter"],"threads":["t1"]})") << greet << true;
}

void tst_WsFilter::messageStreamRules()
{
    QFETCH(QByteArray, filter);
    QFETCH(WsEvent, event);
    QFETCH(bool, accepted);
    QCOMPARE(filterFrom(filter).acceptsMessage(event), accepted);
}

void tst_WsFilter::parsesBothPayloadTypeSpellings()
{
    QCOMPARE(filterFrom(R"({"payload_types":["A"]})").payloadTypes, QStringList{u"A"_s});
    QCOMPARE(filterFrom(R"({"payloadTypes":["B"]})").payloadTypes, QStringList{u"B"_s});
    // The original's spelling wins when both are sent.
    QCOMPARE(filterFrom(R"({"payload_types":["A"],"payloadTypes":["B"]})").payloadTypes, QStringList{u"A"_s});
}

void tst_WsFilter::absentAndNullMeanNoConstraint()
{
    const WsFilter filter = filterFrom(R"({"cmd":"subscribe","threads":null})");
    QVERIFY(filter.threads.isEmpty() && filter.agents.isEmpty() && filter.events.isEmpty());
}

void tst_WsFilter::rejectsMalformedFields_data()
{
    QTest::addColumn<QByteArray>("filter");
    QTest::addColumn<QString>("field");
    QTest::newRow("string") << QByteArray(R"({"threads":"t1"})") << u"threads"_s;
    QTest::newRow("number in list") << QByteArray(R"({"agents":["a",1]})") << u"agents"_s;
    QTest::newRow("object") << QByteArray(R"({"events":{"a":1}})") << u"events"_s;
    QTest::newRow("camel payload types") << QByteArray(R"({"payloadTypes":7})") << u"payloadTypes"_s;
}

void tst_WsFilter::rejectsMalformedFields()
{
    QFETCH(QByteArray, filter);
    QFETCH(QString, field);
    QString error;
    QVERIFY(!WsFilter::fromJson(QJsonDocument::fromJson(filter).object(), &error).has_value());
    QVERIFY2(error.contains(field), qPrintable(error));
}

QTEST_APPLESS_MAIN(tst_WsFilter)
#include "tst_wsfilter.moc"
