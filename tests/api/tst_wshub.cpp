#include "historywritelock.h"
#include "support/apitestclient.h"
#include "support/apifixture.h"
#include "support/schemacheck.h"
#include "support/wstestclient.h"
#include "openapi.h"
#include "store/historystore.h"
#include "injectandwait.h"
#include "organismhistory.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QByteArray kKey = "test-secret-key-12345";
const char kKeyEnv[] = "AGENTDESK_TEST_WS_KEY";

bool isEvent(const QJsonObject &frame, const QString &event)
{
    return frame.value(u"event"_s).toString() == event;
}

QJsonObject injectCommand(const QString &name)
{
    return {{u"cmd"_s, u"inject"_s}, {u"to"_s, u"greeter"_s}, {u"payload"_s, QJsonObject{{u"name"_s, name}}}};
}

} // namespace

// The WebSocket endpoints against a real Organism: spec §6 with decision 6, checklist §12 #15-21.
class tst_WsHub : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void connectedSnapshot();
    void connectedSnapshotIsBoundedInBytes();
    void subscribeEchoesTheCommand();
    void injectPushesTheMessageBeforeTheReply();
    void injectedWaitsForTheCommit();
    void injectsAreAnsweredInOrder();
    void clientGoneBeforeTheCommitGetsNoReply();
    void injectErrors();
    void unknownCommandsAndBadFrames();
    void clientStringsAreBounded_data();
    void clientStringsAreBounded();
    void injectNeedsTheTokenWhenAuthIsOn();
    void pingAnswersPong();
    void eventsOfAConversation();
    void agentStateOnlyOnChange();
    void richErrorEvent();
    void reloadEvent();
    void threadFilterAppliesToMessages();
    void payloadTypeFilterCamelCase();
    void llmDeltaOnlyToClientsThatAsk();
    void messageStream();
    void messageStreamSubscribe();
    void perAddressLimitAcceptsThenCloses1013();
    void totalLimitAcceptsThenCloses1013();
    void perClientLimitCountsLocalProgramsApart();
    void passiveClientIsDisconnectedWhenIdle();
    void slowReaderIsCutOffWithoutStallingOthers();
    void framesMatchTheOpenApiSchemas();

private:
    void startFixture(ApiServerOptions options = {});
    QUrl url(const QString &path) const { return QUrl(u"ws://127.0.0.1:%1%2"_s.arg(m_fixture->port()).arg(path)); }
    std::unique_ptr<WsTestClient> connectControl();

    std::unique_ptr<ApiFixture> m_fixture;
};

void tst_WsHub::startFixture(ApiServerOptions options)
{
    m_fixture = std::make_unique<ApiFixture>();
    QString error;
    QVERIFY2(m_fixture->start(options, &error), qPrintable(error));
}

void tst_WsHub::init()
{
    startFixture();
}

void tst_WsHub::cleanup()
{
    m_fixture.reset();
    qunsetenv(kKeyEnv);
}

std::unique_ptr<WsTestClient> tst_WsHub::connectControl()
{
    auto client = std::make_unique<WsTestClient>();
    if (!client->open(url(u"/ws"_s)) || client->waitForEvent(u"connected"_s).isEmpty())
        return nullptr;
    return client;
}

void tst_WsHub::connectedSnapshot()
{
    const QString thread = m_fixture->injectAndWait(u"greeter"_s, {{u"name"_s, u"Dan"_s}});
    WsTestClient client;
    QVERIFY(client.open(url(u"/ws"_s)));
    const auto connected = client.waitForEvent(u"connected"_s);
    QVERIFY(!connected.isEmpty());
    QCOMPARE(client.frames.first(), connected); // the very first frame
    QCOMPARE(connected.value(u"organism"_s).toObject().value(u"name"_s).toString(), u"test-organism"_s);
    QCOMPARE(connected.value(u"agents"_s).toArray().size(), 9);
    const QJsonArray threads = connected.value(u"threads"_s).toArray();
    QCOMPARE(threads.size(), 1);
    QCOMPARE(threads.first().toObject().value(u"id"_s).toString(), thread);
}

void tst_WsHub::connectedSnapshotIsBoundedInBytes()
{
    ApiServerOptions options;
    options.ws.maxSnapshotBytes = 8 * 1024;
    startFixture(options);
    QStringList threads;
    for (int i = 0; i < 40; ++i)
        threads.prepend(m_fixture->injectAndWait(u"greeter"_s, {{u"name"_s, QString(40, u'n')}}));
    WsTestClient client;
    QVERIFY(client.open(url(u"/ws"_s)));
    const QJsonObject connected = client.waitForEvent(u"connected"_s);
    QVERIFY(!connected.isEmpty());
    QVERIFY(QJsonDocument(connected).toJson(QJsonDocument::Compact).size() <= options.ws.maxSnapshotBytes);
    // As many of the newest threads as fit, newest first; the client stays connected.
    const QJsonArray sent = connected.value(u"threads"_s).toArray();
    QVERIFY2(sent.size() > 0 && sent.size() < 40, qPrintable(QString::number(sent.size())));
    for (qsizetype i = 0; i < sent.size(); ++i)
        QCOMPARE(sent.at(i).toObject().value(u"id"_s).toString(), threads.at(i));
    client.send({{u"cmd"_s, u"ping"_s}});
    QVERIFY(!client.waitForEvent(u"pong"_s).isEmpty());
}

void tst_WsHub::subscribeEchoesTheCommand()
{
    auto client = connectControl();
    QVERIFY(client);
    const QJsonObject command{{u"cmd"_s, u"subscribe"_s},
                              {u"threads"_s, QJsonArray{u"t1"_s}},
                              {u"agents"_s, QJsonArray{u"greeter"_s}},
                              {u"payload_types"_s, QJsonArray{u"Greeting"_s}},
                              {u"events"_s, QJsonArray{u"message"_s}}};
    client->send(command);
    const auto reply = client->waitForEvent(u"subscribed"_s);
    QVERIFY(!reply.isEmpty());
    QCOMPARE(reply.value(u"filters"_s).toObject(), command);
}

void tst_WsHub::injectPushesTheMessageBeforeTheReply()
{
    auto client = connectControl();
    QVERIFY(client);
    const qsizetype before = client->frames.size();
    client->send(
        {{u"cmd"_s, u"inject"_s}, {u"to"_s, u"greeter"_s}, {u"payload"_s, QJsonObject{{u"name"_s, u"Dan"_s}}}});
    const auto injected = client->waitForEvent(u"injected"_s);
    QVERIFY(!injected.isEmpty());
    const QString thread = injected.value(u"thread_id"_s).toString();
    const QString message = injected.value(u"message_id"_s).toString();
    QVERIFY(!thread.isEmpty() && !message.isEmpty());
    // Decision 6: the recorded message reached this client before the reply.
    qsizetype messageIndex = -1;
    qsizetype injectedIndex = -1;
    for (qsizetype i = before; i < client->frames.size(); ++i) {
        const QJsonObject frame = client->frames.at(i);
        if (isEvent(frame, u"message"_s) && frame.value(u"message"_s).toObject().value(u"id"_s).toString() == message)
            messageIndex = i;
        if (isEvent(frame, u"injected"_s))
            injectedIndex = i;
    }
    QVERIFY(messageIndex >= 0);
    QVERIFY(messageIndex < injectedIndex);
    // And the inject reached the organism (decision 4): the chain completes.
    QVERIFY(!client
                 ->waitFor([&](const QJsonObject &frame) {
                     return isEvent(frame, u"thread_updated"_s) && frame.value(u"threadId"_s).toString() == thread
                         && frame.value(u"status"_s).toString() == u"completed";
                 })
                 .isEmpty());
}

void tst_WsHub::injectedWaitsForTheCommit()
{
    auto client = connectControl();
    QVERIFY(client);
    HistoryStore *store = test::historyStoreOf(*m_fixture->organism());
    QVERIFY(store->sync());
    const test::HistoryWriteLock lock(store->databasePath());
    QVERIFY(lock.take());
    const qint64 before = m_fixture->organism()->info().totalMessages;
    client->send(injectCommand(u"Dan"_s));
    // The message is accepted at once; its `message` event and the reply wait for the history: what is
    // pushed is committed, so a client that reads after an event finds it.
    QTRY_VERIFY(store->pendingRecords() > 0);
    QCOMPARE(m_fixture->organism()->info().totalMessages, before); // totals count what a reader finds
    // The engine thread is not held up meanwhile: other commands are answered.
    client->send({{u"cmd"_s, u"ping"_s}});
    QVERIFY(!client->waitForEvent(u"pong"_s).isEmpty());
    QVERIFY(std::none_of(client->frames.cbegin(), client->frames.cend(), [](const QJsonObject &frame) {
        return isEvent(frame, u"injected"_s) || isEvent(frame, u"message"_s);
    }));

    QVERIFY(lock.release());
    const QJsonObject message = client->waitForEvent(u"message"_s, 15000);
    QVERIFY(!message.isEmpty());
    const QString messageId = message.value(u"message"_s).toObject().value(u"id"_s).toString();
    QVERIFY(store->message(messageId)); // committed before it was pushed
    const QJsonObject injected = client->waitForEvent(u"injected"_s, 15000);
    QVERIFY(!injected.isEmpty());
    QCOMPARE(injected.value(u"message_id"_s).toString(), messageId);
}

void tst_WsHub::injectsAreAnsweredInOrder()
{
    auto client = connectControl();
    QVERIFY(client);
    constexpr int count = 30;
    for (int i = 0; i < count; ++i)
        client->send(injectCommand(u"n%1"_s.arg(i)));
    QStringList replied;
    for (int i = 0; i < count; ++i) {
        const QJsonObject injected = client->waitForEvent(u"injected"_s);
        QVERIFY(!injected.isEmpty());
        replied.append(injected.value(u"message_id"_s).toString());
    }
    // Messages are pushed in the order they were accepted: the replies follow the same order.
    QStringList accepted;
    for (const QJsonObject &frame : std::as_const(client->frames)) {
        const QJsonObject info = frame.value(u"message"_s).toObject();
        if (isEvent(frame, u"message"_s) && info.value(u"from"_s).toString() == u"api")
            accepted.append(info.value(u"id"_s).toString());
    }
    QCOMPARE(replied, accepted);
}

void tst_WsHub::clientGoneBeforeTheCommitGetsNoReply()
{
    auto leaving = connectControl();
    QVERIFY(leaving);
    HistoryStore *store = test::historyStoreOf(*m_fixture->organism());
    QVERIFY(store->sync());
    const test::HistoryWriteLock lock(store->databasePath());
    QVERIFY(lock.take());
    {
        leaving->send(injectCommand(u"Gone"_s));
        QTRY_VERIFY(store->pendingRecords() > 0); // the server took the inject
        leaving->socket.close();
        QVERIFY(leaving->waitClosed());
        leaving.reset();
    }
    // The server has let go of the client object before its inject is acknowledged.
    QTRY_COMPARE(m_fixture->api()->hub()->findChildren<WsClient *>().size(), 0);
    // Another client sees the inject's message once it is committed. The organism answers the
    // acknowledgement in the same step in which it announces the message, so once `next` has the
    // message, the acknowledgement has come due and found no client; nothing broke.
    auto next = connectControl();
    QVERIFY(next);
    QVERIFY(lock.release());
    QVERIFY(store->sync());
    const QJsonObject gone = next->waitFor([](const QJsonObject &frame) {
        return isEvent(frame, u"message"_s)
            && frame.value(u"message"_s).toObject().value(u"from"_s).toString() == u"api";
    });
    QVERIFY(!gone.isEmpty());
    next->send(injectCommand(u"Next"_s));
    QVERIFY(!next->waitForEvent(u"injected"_s).isEmpty());
}

void tst_WsHub::injectErrors()
{
    auto client = connectControl();
    QVERIFY(client);
    client->send({{u"cmd"_s, u"inject"_s}, {u"to"_s, u"nobody"_s}, {u"payload"_s, QJsonObject()}});
    QCOMPARE(client->waitForEvent(u"error"_s).value(u"error"_s).toString(), u"Unknown agent: nobody"_s);
    client->send({{u"cmd"_s, u"inject"_s}, {u"payload"_s, QJsonObject()}});
    QVERIFY(client->waitForEvent(u"error"_s).value(u"error"_s).toString().contains(u"'to'"_s));
    client->send({{u"cmd"_s, u"inject"_s}, {u"to"_s, u"greeter"_s}, {u"payload"_s, QJsonObject()}});
    QVERIFY(client->waitForEvent(u"error"_s).value(u"error"_s).toString().contains(u"name"_s));
    client->send({{u"cmd"_s, u"inject"_s}, {u"to"_s, u"greeter"_s}, {u"payload"_s, u"Dan"_s}});
    QVERIFY(client->waitForEvent(u"error"_s).value(u"error"_s).toString().contains(u"payload"_s));
    QCOMPARE(m_fixture->organism()->info().totalMessages, 0);
}

void tst_WsHub::unknownCommandsAndBadFrames()
{
    auto client = connectControl();
    QVERIFY(client);
    client->send({{u"cmd"_s, u"do_something"_s}});
    QCOMPARE(client->waitForEvent(u"error"_s).value(u"error"_s).toString(), u"Unknown command: do_something"_s);
    client->send({{u"nothing"_s, 1}});
    QCOMPARE(client->waitForEvent(u"error"_s).value(u"error"_s).toString(), u"Unknown command: "_s);
    client->sendText(u"this is not json"_s);
    QVERIFY(client->waitForEvent(u"error"_s).value(u"error"_s).toString().contains(u"JSON"_s));
    client->sendText(u"[1,2,3]"_s);
    QVERIFY(!client->waitForEvent(u"error"_s).isEmpty());
    client->send({{u"cmd"_s, u"subscribe"_s}, {u"threads"_s, u"t1"_s}});
    QVERIFY(client->waitForEvent(u"error"_s).value(u"error"_s).toString().contains(u"threads"_s));
    // None of that closed the connection.
    client->send({{u"cmd"_s, u"ping"_s}});
    QVERIFY(!client->waitForEvent(u"pong"_s).isEmpty());
}

void tst_WsHub::clientStringsAreBounded_data()
{
    QTest::addColumn<QJsonObject>("command");
    QTest::addColumn<QString>("error");
    const QString long129(129, u'x');
    QJsonArray many;
    for (int i = 0; i <= WsFilter::kMaxEntries; ++i)
        many.append(u"t%1"_s.arg(i));
    QTest::newRow("subscribe, long thread")
        << QJsonObject{{u"cmd"_s, u"subscribe"_s}, {u"threads"_s, QJsonArray{long129}}}
        << u"Invalid filter: an entry of 'threads' is longer than 128 characters"_s;
    QTest::newRow("subscribe, long agent")
        << QJsonObject{{u"cmd"_s, u"subscribe"_s}, {u"agents"_s, QJsonArray{long129}}}
        << u"Invalid filter: an entry of 'agents' is longer than 128 characters"_s;
    QTest::newRow("subscribe, long event")
        << QJsonObject{{u"cmd"_s, u"subscribe"_s}, {u"events"_s, QJsonArray{long129}}}
        << u"Invalid filter: an entry of 'events' is longer than 128 characters"_s;
    QTest::newRow("subscribe, long payload type")
        << QJsonObject{{u"cmd"_s, u"subscribe"_s}, {u"payload_types"_s, QJsonArray{long129}}}
        << u"Invalid filter: an entry of 'payload_types' is longer than 128 characters"_s;
    QTest::newRow("subscribe, too many threads")
        << QJsonObject{{u"cmd"_s, u"subscribe"_s}, {u"threads"_s, many}}
        << u"Invalid filter: 'threads' has %1 entries, at most %2 are allowed"_s.arg(many.size())
               .arg(WsFilter::kMaxEntries);
    QTest::newRow("inject, long target") << QJsonObject{{u"cmd"_s, u"inject"_s},
                                                        {u"to"_s, long129},
                                                        {u"payload"_s, QJsonObject()}}
                                         << u"Invalid 'to' field: longer than 128 characters"_s;
    QTest::newRow("inject, long thread_id") << QJsonObject{{u"cmd"_s, u"inject"_s},
                                                           {u"to"_s, u"greeter"_s},
                                                           {u"thread_id"_s, long129},
                                                           {u"payload"_s, QJsonObject{{u"name"_s, u"x"_s}}}}
                                            << u"Invalid 'thread_id' field: longer than 128 characters"_s;
    QTest::newRow("inject, 500 KB threadId") << QJsonObject{{u"cmd"_s, u"inject"_s},
                                                            {u"to"_s, u"greeter"_s},
                                                            {u"threadId"_s, QString(500 * 1000, u't')},
                                                            {u"payload"_s, QJsonObject{{u"name"_s, u"x"_s}}}}
                                             << u"Invalid 'thread_id' field: longer than 128 characters"_s;
    QTest::newRow("inject, thread_id with a space")
        << QJsonObject{{u"cmd"_s, u"inject"_s},
                       {u"to"_s, u"greeter"_s},
                       {u"thread_id"_s, u"a b"_s},
                       {u"payload"_s, QJsonObject{{u"name"_s, u"x"_s}}}}
        << u"Invalid 'thread_id' field: only letters, digits, punctuation and symbols are allowed (no spaces or "
           u"control characters)"_s;
    QTest::newRow("long command") << QJsonObject{{u"cmd"_s, QString(1000, u'c')}}
                                  << QString(u"Unknown command: "_s + QString(128, u'c') + u"…"_s);
}

void tst_WsHub::clientStringsAreBounded()
{
    QFETCH(QJsonObject, command);
    QFETCH(QString, error);
    auto client = connectControl();
    QVERIFY(client);
    client->send(command);
    QCOMPARE(client->waitForEvent(u"error"_s).value(u"error"_s).toString(), error);
    QCOMPARE(m_fixture->organism()->info().totalMessages, 0);
    client->send({{u"cmd"_s, u"ping"_s}});
    QVERIFY(!client->waitForEvent(u"pong"_s).isEmpty());
}

void tst_WsHub::injectNeedsTheTokenWhenAuthIsOn()
{
    qputenv(kKeyEnv, kKey);
    OrganismConfig config;
    config.auth.apiKeyEnv = QString::fromLatin1(kKeyEnv);
    startFixture(ApiServerOptions::fromConfig(config));
    auto client = connectControl(); // connecting stays open without protect_reads
    QVERIFY(client);
    const QJsonObject inject{
        {u"cmd"_s, u"inject"_s}, {u"to"_s, u"greeter"_s}, {u"payload"_s, QJsonObject{{u"name"_s, u"x"_s}}}};
    client->send(inject);
    QVERIFY(client->waitForEvent(u"error"_s).value(u"error"_s).toString().contains(u"Authentication"_s));
    QJsonObject wrong = inject;
    wrong.insert(u"token"_s, u"nope"_s);
    client->send(wrong);
    QVERIFY(client->waitForEvent(u"error"_s).value(u"error"_s).toString().contains(u"Authentication"_s));
    QJsonObject right = inject;
    right.insert(u"token"_s, QString::fromLatin1(kKey));
    client->send(right);
    QVERIFY(!client->waitForEvent(u"injected"_s).isEmpty());
    // subscribe needs no token
    client->send({{u"cmd"_s, u"subscribe"_s}});
    QVERIFY(!client->waitForEvent(u"subscribed"_s).isEmpty());
}

void tst_WsHub::pingAnswersPong()
{
    auto control = connectControl();
    QVERIFY(control);
    control->send({{u"cmd"_s, u"ping"_s}});
    QCOMPARE(control->waitForEvent(u"pong"_s), (QJsonObject{{u"event"_s, u"pong"_s}}));
    WsTestClient messages;
    QVERIFY(messages.open(url(u"/ws/messages"_s)));
    messages.send({{u"cmd"_s, u"ping"_s}});
    QVERIFY(!messages.waitForEvent(u"pong"_s).isEmpty());
}

void tst_WsHub::eventsOfAConversation()
{
    auto client = connectControl();
    QVERIFY(client);
    const QString thread = m_fixture->injectAndWait(u"greeter"_s, {{u"name"_s, u"Dan"_s}});
    const auto created = client->waitForEvent(u"thread_created"_s);
    QVERIFY(!created.isEmpty());
    QCOMPARE(created.value(u"thread"_s).toObject().value(u"id"_s).toString(), thread);
    QStringList route;
    for (int i = 0; i < 3; ++i) {
        const auto message = client->waitForEvent(u"message"_s);
        QVERIFY(!message.isEmpty());
        const QJsonObject info = message.value(u"message"_s).toObject();
        QCOMPARE(info.value(u"threadId"_s).toString(), thread);
        route.append(info.value(u"from"_s).toString() + u"->"_s + info.value(u"to"_s).toString());
    }
    QCOMPARE(route, (QStringList{u"api->greeter"_s, u"greeter->shouter"_s, u"shouter->response-handler"_s}));
    const auto updated = client->waitForEvent(u"thread_updated"_s);
    QVERIFY(!updated.isEmpty());
    QCOMPARE(updated,
             (QJsonObject{{u"event"_s, u"thread_updated"_s},
                          {u"threadId"_s, thread},
                          {u"status"_s, u"completed"_s},
                          {u"messageCount"_s, 3}}));
}

void tst_WsHub::agentStateOnlyOnChange()
{
    auto client = connectControl();
    QVERIFY(client);
    QVERIFY(m_fixture->organism()->pauseAgent(u"shouter"_s));
    const auto paused = client->waitFor([](const QJsonObject &frame) {
        return isEvent(frame, u"agent_state"_s) && frame.value(u"agent"_s).toString() == u"shouter";
    });
    QVERIFY(!paused.isEmpty());
    QCOMPARE(paused.value(u"state"_s).toString(), u"paused"_s);
    // A second pause changes nothing, so nothing is pushed; the resume is.
    m_fixture->organism()->pauseAgent(u"shouter"_s);
    m_fixture->organism()->resumeAgent(u"shouter"_s);
    const auto next = client->waitFor([](const QJsonObject &frame) {
        return isEvent(frame, u"agent_state"_s) && frame.value(u"agent"_s).toString() == u"shouter";
    });
    QVERIFY(!next.isEmpty());
    QCOMPARE(next.value(u"state"_s).toString(), u"idle"_s);
}

void tst_WsHub::richErrorEvent()
{
    auto client = connectControl();
    QVERIFY(client);
    const QString thread = m_fixture->injectAndWait(u"calculator"_s, {{u"expression"_s, u"1/0"_s}});
    const auto error = client->waitFor(
        [](const QJsonObject &frame) { return isEvent(frame, u"error"_s) && frame.contains(u"threadId"_s); });
    QVERIFY(!error.isEmpty());
    QCOMPARE(error.value(u"threadId"_s).toString(), thread);
    QCOMPARE(error.value(u"agent"_s).toString(), u"calculator"_s);
    QVERIFY(!error.value(u"error"_s).toString().isEmpty());
    QVERIFY(error.value(u"timestamp"_s).toString().endsWith(u'Z'));
    // thread_updated may come before or after the error event: look at every frame.
    const auto failed = std::find_if(client->frames.cbegin(), client->frames.cend(), [&](const QJsonObject &frame) {
        return isEvent(frame, u"thread_updated"_s) && frame.value(u"threadId"_s).toString() == thread;
    });
    QVERIFY(failed != client->frames.cend());
    QCOMPARE(failed->value(u"status"_s).toString(), u"error"_s);
}

void tst_WsHub::reloadEvent()
{
    auto client = connectControl();
    QVERIFY(client);
    QByteArray yaml = ApiFixture::defaultYaml();
    yaml += "  - name: archive\n    description: Keeps greetings\n    payload_class: ShoutedResponse\n"
            "    handler: builtin:sink\n    broadcast: true\n";
    m_fixture->writeConfig(yaml);
    ApiTestClient rest(m_fixture->port());
    QCOMPARE(rest.post(u"/api/v1/organism/reload"_s).status, 200);
    const auto reload = client->waitForEvent(u"reload"_s);
    QVERIFY(!reload.isEmpty());
    QCOMPARE(reload.value(u"success"_s).toBool(), true);
    QCOMPARE(reload.value(u"added"_s).toArray(), QJsonArray{u"archive"_s});
}

void tst_WsHub::threadFilterAppliesToMessages()
{
    auto client = connectControl();
    QVERIFY(client);
    client->send(
        {{u"cmd"_s, u"subscribe"_s}, {u"threads"_s, QJsonArray{u"wanted"_s}}, {u"events"_s, QJsonArray{u"message"_s}}});
    QVERIFY(!client->waitForEvent(u"subscribed"_s).isEmpty());
    for (const QString &thread : {u"other"_s, u"wanted"_s}) {
        InjectRequest request;
        request.to = u"greeter"_s;
        request.fields = {{u"name"_s, thread}};
        request.threadId = thread;
        QVERIFY(test::injectAndWait(*m_fixture->organism(), request).has_value());
    }
    QTRY_COMPARE(m_fixture->organism()->info().totalMessages, 6);
    QTRY_COMPARE(client->frames.size(), 2 + 3); // connected, subscribed, three messages of "wanted"
    for (qsizetype i = 2; i < client->frames.size(); ++i) {
        QVERIFY(isEvent(client->frames.at(i), u"message"_s));
        QCOMPARE(client->frames.at(i).value(u"message"_s).toObject().value(u"threadId"_s).toString(), u"wanted"_s);
    }
}

void tst_WsHub::payloadTypeFilterCamelCase()
{
    auto client = connectControl();
    QVERIFY(client);
    client->send({{u"cmd"_s, u"subscribe"_s},
                  {u"payloadTypes"_s, QJsonArray{u"ShoutedResponse"_s}},
                  {u"events"_s, QJsonArray{u"message"_s}}});
    QVERIFY(!client->waitForEvent(u"subscribed"_s).isEmpty());
    m_fixture->injectAndWait(u"greeter"_s, {{u"name"_s, u"Dan"_s}});
    const auto message = client->waitForEvent(u"message"_s);
    QVERIFY(!message.isEmpty());
    QCOMPARE(message.value(u"message"_s).toObject().value(u"payloadType"_s).toString(), u"ShoutedResponse"_s);
    // Every message of the finished thread was pushed before this ping is answered: a message of
    // another type would have come before the pong.
    client->send({{u"cmd"_s, u"ping"_s}});
    QVERIFY(!client->waitForEvent(u"pong"_s).isEmpty());
    QCOMPARE(client->frames.size(), 4); // connected, subscribed, the one message, pong
}

// Streamed reply text is opt-in: a client that names llm_delta gets it (filtered by thread like the
// rest); a client that subscribed to everything, or to nothing, never does.
void tst_WsHub::llmDeltaOnlyToClientsThatAsk()
{
    auto asking = connectControl();
    auto everything = connectControl();
    QVERIFY(asking && everything);
    asking->send({{u"cmd"_s, u"subscribe"_s},
                  {u"threads"_s, QJsonArray{u"t1"_s}},
                  {u"events"_s, QJsonArray{u"llm_delta"_s, u"message"_s}}});
    QVERIFY(!asking->waitForEvent(u"subscribed"_s).isEmpty());
    LlmPartialEvent partial;
    partial.agent = u"writer"_s;
    partial.threadId = u"t1"_s;
    partial.call = 42;
    partial.offset = 0;
    partial.delta = u"Hel"_s;
    partial.timestamp = QDateTime::currentDateTimeUtc();
    LlmPartialEvent elsewhere = partial;
    elsewhere.threadId = u"t2"_s;
    emit m_fixture->organism()->llmPartials({partial, elsewhere});
    const QJsonObject delta = asking->waitForEvent(u"llm_delta"_s);
    QCOMPARE(delta.value(u"threadId"_s).toString(), u"t1"_s);
    QCOMPARE(delta.value(u"agent"_s).toString(), u"writer"_s);
    QCOMPARE(delta.value(u"callId"_s).toInt(), 42);
    QCOMPARE(delta.value(u"delta"_s).toString(), u"Hel"_s);
    QCOMPARE(delta.value(u"offset"_s).toInt(), 0);
    QCOMPARE(delta.value(u"done"_s).toBool(), false);
    // A frame that proves the other client's stream is in order past the deltas: its pong.
    everything->send({{u"cmd"_s, u"ping"_s}});
    QVERIFY(!everything->waitForEvent(u"pong"_s).isEmpty());
    for (const QJsonObject &frame : std::as_const(everything->frames))
        QVERIFY(!isEvent(frame, u"llm_delta"_s));
    int deltas = 0;
    for (const QJsonObject &frame : std::as_const(asking->frames))
        deltas += isEvent(frame, u"llm_delta"_s) ? 1 : 0;
    QCOMPARE(deltas, 1); // t2 filtered out
}

void tst_WsHub::messageStream()
{
    WsTestClient client;
    QVERIFY(client.open(url(u"/ws/messages"_s)));
    const QString thread = m_fixture->injectAndWait(u"greeter"_s, {{u"name"_s, u"Dan"_s}});
    QTRY_COMPARE(client.frames.size(), 3); // no snapshot, no other events: bare MessageInfo objects
    const QJsonObject first = client.frames.first();
    QVERIFY(!first.contains(u"event"_s));
    QCOMPARE(first.value(u"threadId"_s).toString(), thread);
    QCOMPARE(first.value(u"from"_s).toString(), u"api"_s);
    QCOMPARE(first.value(u"payload"_s).toObject(), (QJsonObject{{u"name"_s, u"Dan"_s}}));
    QCOMPARE(first.value(u"slotIndex"_s).toInt(), 1);
}

void tst_WsHub::messageStreamSubscribe()
{
    WsTestClient client;
    QVERIFY(client.open(url(u"/ws/messages"_s)));
    const QJsonObject filter{{u"agents"_s, QJsonArray{u"greeter"_s}}, {u"threads"_s, QJsonArray{u"t1"_s}}};
    client.send({{u"cmd"_s, u"subscribe"_s}, {u"filter"_s, filter}});
    const auto subscribed = client.waitForEvent(u"subscribed"_s);
    QVERIFY(!subscribed.isEmpty());
    QCOMPARE(subscribed, (QJsonObject{{u"event"_s, u"subscribed"_s}, {u"filter"_s, filter}}));
    client.send({{u"cmd"_s, u"subscribe"_s}});
    QCOMPARE(client.waitForEvent(u"subscribed"_s).value(u"filter"_s).toObject(), QJsonObject());
    client.send({{u"cmd"_s, u"inject"_s}});
    QCOMPARE(client.waitForEvent(u"error"_s).value(u"error"_s).toString(), u"Unknown command: inject"_s);

    client.send({{u"cmd"_s, u"subscribe"_s}, {u"filter"_s, QJsonObject{{u"agents"_s, QJsonArray{u"calculator"_s}}}}});
    QVERIFY(!client.waitForEvent(u"subscribed"_s).isEmpty());
    const qsizetype before = client.frames.size();
    m_fixture->injectAndWait(u"greeter"_s, {{u"name"_s, u"Dan"_s}});
    m_fixture->injectAndWait(u"calculator"_s, {{u"expression"_s, u"2*3"_s}});
    QTRY_COMPARE(client.frames.size(), before + 2); // api->calculator, calculator->answers
    QCOMPARE(client.frames.last().value(u"payloadType"_s).toString(), u"Answer"_s);
}

void tst_WsHub::perAddressLimitAcceptsThenCloses1013()
{
    QCOMPARE(WsHub::Limits().maxClients, 50);
    QCOMPARE(WsHub::Limits().maxClientsPerAddress, 10);
    std::vector<std::unique_ptr<WsTestClient>> clients;
    for (int i = 0; i < 10; ++i) {
        clients.push_back(std::make_unique<WsTestClient>());
        QVERIFY(clients.back()->open(url(i % 2 ? u"/ws"_s : u"/ws/messages"_s)));
    }
    QTRY_COMPARE(m_fixture->api()->hub()->clientCount(), 10);
    const RawClose eleventh = rawWebSocketClose(m_fixture->port(), "/ws");
    QVERIFY(eleventh.upgraded);    // accepted first ...
    QCOMPARE(eleventh.code, 1013); // ... then closed with the reason
    QCOMPARE(eleventh.reason, u"per-client limit reached (10)"_s);
    // The refused one never counted; when a slot frees up, a new client gets in.
    clients.front()->socket.close();
    QTRY_COMPARE(m_fixture->api()->hub()->clientCount(), 9);
    WsTestClient again;
    QVERIFY(again.open(url(u"/ws"_s)));
    QVERIFY(!again.waitForEvent(u"connected"_s).isEmpty());
}

void tst_WsHub::totalLimitAcceptsThenCloses1013()
{
    ApiServerOptions options;
    options.ws.maxClients = 3;
    startFixture(options);
    std::vector<std::unique_ptr<WsTestClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<WsTestClient>());
        QVERIFY(clients.back()->open(url(u"/ws"_s)));
    }
    QTRY_COMPARE(m_fixture->api()->hub()->clientCount(), 3);
    const RawClose fourth = rawWebSocketClose(m_fixture->port(), "/ws/messages");
    QCOMPARE(fourth.code, 1013);
    QCOMPARE(fourth.reason, u"max connections reached (3)"_s);
}

void tst_WsHub::perClientLimitCountsLocalProgramsApart()
{
    // Another local program takes all of its 10 connections (as a misbehaving script might) ...
    QProcess other;
    other.start(QStringLiteral(HOLD_WEBSOCKETS), {QString::number(m_fixture->port()), u"/ws/messages"_s, u"10"_s});
    QVERIFY2(other.waitForStarted(5000), qPrintable(other.errorString()));
    QVERIFY(QTest::qWaitFor([&] { return other.canReadLine(); }, 20000));
    QCOMPARE(other.readLine().trimmed(), QByteArray("HELD 10 0"));
    QTRY_COMPARE(m_fixture->api()->hub()->clientCount(), 10);
    // ... and this program still gets in: loopback clients are counted per process.
    WsTestClient mine;
    QVERIFY(mine.open(url(u"/ws"_s)));
    QVERIFY(!mine.waitForEvent(u"connected"_s).isEmpty());
    QCOMPARE(m_fixture->api()->hub()->clientCount(), 11);
    other.closeWriteChannel();
    QVERIFY(other.waitForFinished(10000));
    QTRY_COMPARE(m_fixture->api()->hub()->clientCount(), 1);
}

void tst_WsHub::passiveClientIsDisconnectedWhenIdle()
{
    ApiServerOptions options;
    options.ws.client.idleTimeoutMs = 300;
    startFixture(options);
    WsTestClient passive;
    QVERIFY(passive.open(url(u"/ws"_s)));
    WsTestClient active;
    QVERIFY(active.open(url(u"/ws"_s)));
    // Server pushes do not count as activity; the client's own frames do. Both get pushes until the
    // passive one is closed; the active one sends a command before and after each push, and its answer
    // proves the server saw it (the server touches the client before it answers).
    const auto pingActive = [&active] {
        active.send({{u"cmd"_s, u"ping"_s}});
        return !active.waitForEvent(u"pong"_s, 10000).isEmpty();
    };
    QElapsedTimer waited;
    waited.start();
    qsizetype pushedToPassive = 0;
    while (passive.socket.state() == QAbstractSocket::ConnectedState) {
        QVERIFY(pingActive());
        QVERIFY(!m_fixture->injectAndWait(u"greeter"_s, {{u"name"_s, u"n"_s}}).isEmpty());
        QVERIFY(pingActive());
        QCOMPARE(active.socket.state(), QAbstractSocket::ConnectedState);
        pushedToPassive = std::count_if(passive.frames.cbegin(), passive.frames.cend(),
                                        [](const QJsonObject &frame) { return isEvent(frame, u"message"_s); });
        QVERIFY2(waited.elapsed() < 10000, "the passive client was never closed");
    }
    QVERIFY(passive.waitClosed(10000));
    QCOMPARE(passive.socket.closeReason(), u"idle timeout"_s);
    QVERIFY(pushedToPassive > 0); // it was pushed to while it idled
    QVERIFY(pingActive());
    QCOMPARE(active.socket.state(), QAbstractSocket::ConnectedState);
}

void tst_WsHub::slowReaderIsCutOffWithoutStallingOthers()
{
    ApiServerOptions options;
    options.ws.client.maxQueuedBytes = 128 * 1024;
    options.ws.client.closeGraceMs = 500;
    startFixture(options);
    StalledWsClient stalled;
    QVERIFY(stalled.open(m_fixture->port(), "/ws/messages"));
    WsTestClient reader;
    QVERIFY(reader.open(url(u"/ws/messages"_s)));
    QTRY_COMPARE(m_fixture->api()->hub()->clientCount(), 2);

    // Enough volume to get past the kernel's socket buffers into the server's own queue.
    const int count = 1500;
    const QString padding(4000, u'p');
    for (int i = 0; i < count; ++i) {
        InjectRequest request;
        request.to = u"response-handler"_s;
        request.fields = {{u"message"_s, QVariant(QString(padding + QString::number(i)))}};
        QVERIFY(test::injectAndWait(*m_fixture->organism(), request).has_value());
        if (i % 50 == 0)
            QCoreApplication::processEvents();
    }
    // Everything was processed and the reader that keeps up got every message, in order ...
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture->organism()->info().totalMessages, count, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(reader.frames.size(), count, 20000);
    for (int i = 0; i < count; ++i)
        QCOMPARE(reader.frames.at(i).value(u"slotIndex"_s).toInt(), i + 1);
    // ... while the stalled one was cut off.
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture->api()->hub()->clientCount(), 1, 10000);
    QVERIFY(m_fixture->api()->hub()->stats().clientsOverflowed >= 1);
}

void tst_WsHub::framesMatchTheOpenApiSchemas()
{
    const QCborMap schemas = openApiSchemas();
    auto client = connectControl();
    QVERIFY(client);
    client->send(
        {{u"cmd"_s, u"inject"_s}, {u"to"_s, u"greeter"_s}, {u"payload"_s, QJsonObject{{u"name"_s, u"Dan"_s}}}});
    QVERIFY(!client->waitForEvent(u"injected"_s).isEmpty());
    m_fixture->injectAndWait(u"calculator"_s, {{u"expression"_s, u"1/0"_s}});
    m_fixture->organism()->pauseAgent(u"greeter"_s);
    client->send({{u"cmd"_s, u"bogus"_s}});
    QVERIFY(!client
                 ->waitFor([](const QJsonObject &frame) {
                     return isEvent(frame, u"error"_s) && !frame.contains(u"threadId"_s);
                 })
                 .isEmpty());
    const QHash<QString, QString> schemaOf{
        {u"connected"_s, u"ConnectedEvent"_s},          {u"message"_s, u"MessageEvent"_s},
        {u"agent_state"_s, u"AgentStateEvent"_s},       {u"thread_created"_s, u"ThreadCreatedEvent"_s},
        {u"thread_updated"_s, u"ThreadUpdatedEvent"_s}, {u"injected"_s, u"InjectedEvent"_s}};
    QSet<QString> seen;
    for (const QJsonObject &frame : std::as_const(client->frames)) {
        QString event = frame.value(u"event"_s).toString();
        QString schema = schemaOf.value(event);
        if (event == u"error")
            schema = frame.contains(u"threadId"_s) ? u"ErrorEvent"_s : u"CommandError"_s;
        QVERIFY2(!schema.isEmpty(), qPrintable(event));
        const QStringList errors = checkAgainstSchema(frame, schema, schemas);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
        seen.insert(schema);
    }
    QCOMPARE(seen.size(), 8);
}

QTEST_GUILESS_MAIN(tst_WsHub)
#include "tst_wshub.moc"
