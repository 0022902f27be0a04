#include "helloworldyaml.h"
#include "config/configloader.h"
#include "organism.h"
#include "organismfixture.h"
#include "historywritelock.h"
#include "testhistory.h"
#include "store/historystore.h"
#include "injectandwait.h"
#include "organismhistory.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::startOrganismFromYaml;

namespace {

const QByteArray kHelloWorld = test::HelloWorldYaml("test-organism")
                                   .settings("max_message_depth: 10\n")
                                   .payloads(R"(  Ping: {text: string}
  Sum: {expression: string}
  Answer: {expression: string, result: decimal}
)")
                                   .listeners(R"(  - name: ping
    description: Echoes to pong
    payload_class: Ping
    handler: builtin:echo
    peers: [pong]
  - name: pong
    description: Echoes back to whoever sent
    payload_class: Ping
    handler: builtin:echo
  - name: calculator
    description: Evaluates arithmetic
    payload_class: Sum
    handler: builtin:calculate
    peers: [answers]
  - name: answers
    description: Collects answers
    payload_class: Answer
    handler: builtin:sink
)")
                                   .text();

QVariantMap fields(std::initializer_list<std::pair<QString, QVariant>> list)
{
    QVariantMap map;
    for (const auto &[key, value] : list)
        map.insert(key, value);
    return map;
}

} // namespace

class TestOrganism : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Organism> makeOrganism(const QByteArray &yaml, const QString &dataDir)
    {
        return startOrganismFromYaml(yaml, dataDir);
    }

    InjectResult inject(Organism &organism, const QString &to, const QVariantMap &payload, const QString &thread = {})
    {
        InjectRequest request;
        request.to = to;
        request.fields = payload;
        request.threadId = thread;
        return test::injectAndWait(organism, request);
    }

    // Names, not enum values: QCOMPARE then prints what it got.
    QString statusOf(Organism &organism, const QString &thread)
    {
        const auto info = organism.thread(thread);
        return info ? toString(info->status) : u"unknown"_s;
    }
    QString stateOf(Organism &organism, const QString &agent)
    {
        const auto info = organism.agent(agent);
        return info ? toString(info->state) : u"unknown"_s;
    }

    QList<MessageRecord> conversation(Organism &organism, const QString &thread)
    {
        MessageQuery query;
        query.threadId = thread;
        query.newestFirst = false;
        query.limit = 100;
        return organism.messages(query).items;
    }

private slots:
    void init()
    {
        QVERIFY(dir.emplace().isValid());
        organism = makeOrganism(kHelloWorld, dir->path());
        QVERIFY(organism);
    }
    void cleanup()
    {
        organism.reset();
        dir.reset();
    }

    void greetingPassesThreeListenersAndTheThreadCompletes()
    {
        QSignalSpy created(organism.get(), &Organism::threadsCreated);
        QSignalSpy updated(organism.get(), &Organism::threadsUpdated);
        QSignalSpy recorded(organism.get(), &Organism::messagesRecorded);

        const InjectResult result = inject(*organism, u"greeter"_s, fields({{u"name"_s, u"Dan"_s}}));
        QVERIFY2(result.has_value(), qPrintable(failureText(result)));
        QVERIFY(!result->messageId.isEmpty());
        QTRY_COMPARE(statusOf(*organism, result->threadId), u"completed"_s);

        const QList<MessageRecord> messages = conversation(*organism, result->threadId);
        QCOMPARE(messages.size(), 3);
        QCOMPARE(messages[0].id, result->messageId);
        QCOMPARE(messages[0].from, u"api"_s);
        QCOMPARE(messages[0].to, u"greeter"_s);
        QCOMPARE(messages[0].xml, QByteArray("<Greeting><Name>Dan</Name></Greeting>"));
        QCOMPARE(messages[1].from, u"greeter"_s);
        QCOMPARE(messages[1].to, u"shouter"_s);
        QCOMPARE(messages[1].payloadType, u"GreetingResponse"_s);
        QCOMPARE(messages[1].fields.value(u"message"_s).toString(), u"Hello, Dan!"_s);
        QCOMPARE(messages[1].fields.value(u"original_sender"_s).toString(), u"api"_s);
        QCOMPARE(messages[2].to, u"response-handler"_s);
        QCOMPARE(messages[2].fields.value(u"message"_s).toString(), u"HELLO, DAN!"_s);
        QCOMPARE(messages[2].depth, 2);
        QVERIFY(messages[0].seq < messages[1].seq && messages[1].seq < messages[2].seq);

        const ThreadInfo thread = *organism->thread(result->threadId);
        QCOMPARE(thread.messageCount, 3);
        QCOMPARE(thread.participants, (QStringList{u"api"_s, u"greeter"_s, u"shouter"_s, u"response-handler"_s}));
        QCOMPARE(organism->agent(u"greeter"_s)->messageCount, 1);
        QCOMPARE(organism->agent(u"shouter"_s)->messageCount, 1);
        QCOMPARE(organism->agent(u"response-handler"_s)->messageCount, 0);
        QCOMPARE(organism->info().totalMessages, 3);
        QCOMPARE(organism->info().activeThreads, 0);

        QTRY_VERIFY(!updated.isEmpty());
        QCOMPARE(created.size(), 1);
        QCOMPARE(created.first().first().value<QList<ThreadInfo>>().first().id, result->threadId);
        qsizetype recordedCount = 0;
        for (const auto &batch : std::as_const(recorded))
            recordedCount += batch.first().value<QList<MessageRecord>>().size();
        QCOMPARE(recordedCount, 3);
    }

    void unknownTargetIsRefused()
    {
        const InjectResult result = inject(*organism, u"nobody"_s, fields({{u"name"_s, u"x"_s}}));
        QCOMPARE(result.error().kind, InjectError::UnknownTarget);
        QCOMPARE(failureText(result), u"Unknown target agent: nobody"_s);
        QCOMPARE(organism->info().totalMessages, 0);
    }

    void invalidPayloadNamesTheField()
    {
        const InjectResult result = inject(*organism, u"greeter"_s, {});
        QCOMPARE(result.error().kind, InjectError::InvalidPayload);
        QCOMPARE(result.error().fieldPath, QStringList{u"name"_s});
        QCOMPARE(organism->info().totalMessages, 0);
    }

    void rawXmlIsValidatedAgainstTheTargetsSchema()
    {
        InjectRequest request;
        request.to = u"greeter"_s;
        request.xml = "<Greeting><Name>Ada</Name></Greeting>";
        const InjectResult ok = test::injectAndWait(*organism, request);
        QVERIFY2(ok.has_value(), qPrintable(failureText(ok)));
        QTRY_COMPARE(statusOf(*organism, ok->threadId), u"completed"_s);

        request.xml = "<ShoutedResponse><Message>x</Message></ShoutedResponse>";
        QCOMPARE(test::injectAndWait(*organism, request).error().kind, InjectError::InvalidPayload);
    }

    void endlessPingPongStopsAtTheDepthLimit()
    {
        QSignalSpy errors(organism.get(), &Organism::errorsRaised);
        const InjectResult result = inject(*organism, u"ping"_s, fields({{u"text"_s, u"hi"_s}}));
        QVERIFY(result.has_value());
        QTRY_COMPARE(statusOf(*organism, result->threadId), u"error"_s);
        const ThreadInfo thread = *organism->thread(result->threadId);
        QVERIFY2(thread.error.contains(u"depth limit (10)"_s), qPrintable(thread.error));
        QCOMPARE(thread.messageCount, 11); // the injected message plus ten hops
        QTRY_VERIFY(!errors.isEmpty());
    }

    void calculateEvaluatesArithmetic()
    {
        const InjectResult result = inject(*organism, u"calculator"_s,
                                           fields({{u"expression"_s, u"(2 + 5) * 3 - 0.5"_s}}));
        QVERIFY(result.has_value());
        QTRY_COMPARE(statusOf(*organism, result->threadId), u"completed"_s);
        const QList<MessageRecord> messages = conversation(*organism, result->threadId);
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages[1].fields.value(u"result"_s).toDouble(), 20.5);
    }

    void failingHandlerMarksAgentAndThreadAsError()
    {
        QSignalSpy errors(organism.get(), &Organism::errorsRaised);
        const InjectResult result = inject(*organism, u"calculator"_s, fields({{u"expression"_s, u"1/0"_s}}));
        QVERIFY(result.has_value());
        QTRY_COMPARE(statusOf(*organism, result->threadId), u"error"_s);
        QVERIFY(organism->thread(result->threadId)->error.contains(u"calculate"_s));
        QCOMPARE(stateOf(*organism, u"calculator"_s), u"error"_s);
        QTRY_VERIFY(!errors.isEmpty());
        const ErrorEvent event = errors.first().first().value<QList<ErrorEvent>>().first();
        QCOMPARE(event.agent, u"calculator"_s);
        QCOMPARE(event.threadId, result->threadId);

        // The next good message clears the agent's error.
        const InjectResult next = inject(*organism, u"calculator"_s, fields({{u"expression"_s, u"1+1"_s}}));
        QTRY_COMPARE(statusOf(*organism, next->threadId), u"completed"_s);
        QCOMPARE(stateOf(*organism, u"calculator"_s), u"idle"_s);
    }

    void pauseHoldsAnAgentsQueueUntilResume()
    {
        QVERIFY(organism->pauseAgent(u"shouter"_s));
        const InjectResult result = inject(*organism, u"greeter"_s, fields({{u"name"_s, u"Eve"_s}}));
        QTRY_COMPARE(organism->agent(u"shouter"_s)->queueDepth, 1);
        QCOMPARE(stateOf(*organism, u"shouter"_s), u"paused"_s);
        QTest::qWait(50);
        QCOMPARE(statusOf(*organism, result->threadId), u"active"_s);
        QCOMPARE(organism->info().activeThreads, 1);

        QVERIFY(organism->resumeAgent(u"shouter"_s));
        QTRY_COMPARE(statusOf(*organism, result->threadId), u"completed"_s);
        QCOMPARE(organism->agent(u"shouter"_s)->queueDepth, 0);
        QCOMPARE(organism->info().activeThreads, 0);
        QVERIFY(!organism->pauseAgent(u"nobody"_s));

        // A message into the finished conversation makes it active again, and counted again.
        QVERIFY(organism->pauseAgent(u"shouter"_s));
        InjectRequest again;
        again.to = u"greeter"_s;
        again.fields = fields({{u"name"_s, u"Eve"_s}});
        again.threadId = result->threadId;
        QVERIFY(test::injectAndWait(*organism, again).has_value());
        QCOMPARE(organism->info().activeThreads, 1);
        QVERIFY(organism->killThread(result->threadId));
        QCOMPARE(organism->info().activeThreads, 0);
        organism->resumeAgent(u"shouter"_s);
    }

    void killCancelsQueuedWork()
    {
        organism->pauseAgent(u"shouter"_s);
        const InjectResult result = inject(*organism, u"greeter"_s, fields({{u"name"_s, u"Mal"_s}}));
        QTRY_COMPARE(organism->agent(u"shouter"_s)->queueDepth, 1);
        QVERIFY(organism->killThread(result->threadId));
        QCOMPARE(statusOf(*organism, result->threadId), u"killed"_s);
        QCOMPARE(organism->agent(u"shouter"_s)->queueDepth, 0);
        organism->resumeAgent(u"shouter"_s);
        QTest::qWait(50);
        QCOMPARE(conversation(*organism, result->threadId).size(), 2);
        QCOMPARE(statusOf(*organism, result->threadId), u"killed"_s);
        QVERIFY(!organism->killThread(u"no-such-thread"_s));
    }

    void threadsListNewestActivityFirstWithFilters()
    {
        const InjectResult first = inject(*organism, u"greeter"_s, fields({{u"name"_s, u"A"_s}}));
        QTRY_COMPARE(statusOf(*organism, first->threadId), u"completed"_s);
        QTest::qWait(5); // timestamps have millisecond resolution, and ties keep creation order
        const InjectResult second = inject(*organism, u"calculator"_s, fields({{u"expression"_s, u"1"_s}}));
        QTRY_COMPARE(statusOf(*organism, second->threadId), u"completed"_s);

        ThreadQuery query;
        ThreadPage page = organism->threads(query);
        QCOMPARE(page.total, 2);
        QCOMPARE(page.items.first().id, second->threadId);
        query.agent = u"shouter"_s;
        page = organism->threads(query);
        QCOMPARE(page.total, 1);
        QCOMPARE(page.items.first().id, first->threadId);
        query.agent.clear();
        query.status = ThreadStatus::Error;
        QCOMPARE(organism->threads(query).total, 0);
    }

    void stopDrainsAndEndsStopped()
    {
        QSignalSpy stopped(organism.get(), &Organism::stopped);
        QStringList threads;
        for (int i = 0; i < 20; ++i)
            threads << inject(*organism, u"greeter"_s, fields({{u"name"_s, u"n%1"_s.arg(i)}}))->threadId;
        organism->stop(std::chrono::seconds(5));
        QCOMPARE(toString(organism->status()), u"stopping"_s);
        QCOMPARE(inject(*organism, u"greeter"_s, fields({{u"name"_s, u"late"_s}})).error().kind,
                 InjectError::NotRunning);
        QTRY_COMPARE(stopped.size(), 1);
        QCOMPARE(toString(organism->status()), u"stopped"_s);
        for (const QString &thread : std::as_const(threads))
            QCOMPARE(statusOf(*organism, thread), u"completed"_s);
    }

    void stopLeavesWhatTheDrainBoundDoesNotAllowForTheNextStart()
    {
        organism->pauseAgent(u"shouter"_s);
        const InjectResult result = inject(*organism, u"greeter"_s, fields({{u"name"_s, u"Zed"_s}}));
        QTRY_COMPARE(organism->agent(u"shouter"_s)->queueDepth, 1);
        QSignalSpy stopped(organism.get(), &Organism::stopped);
        organism->stop(std::chrono::milliseconds(100));
        QTRY_COMPARE(stopped.size(), 1);
        // Not an error: the thread waits, unfinished, in the history (tst_organismresume resumes it).
        QCOMPARE(statusOf(*organism, result->threadId), u"active"_s);
        QCOMPARE(organism->agent(u"shouter"_s)->queueDepth, 0);
        QCOMPARE(test::historyStoreOf(*organism)->undeliveredMessages().size(), 1);
    }

    void fullQueueRefusesInject()
    {
        const QString path = dir->path() + u"/small/organism.yaml"_s;
        QVERIFY(QDir().mkpath(dir->path() + u"/small"_s));
        QByteArray yaml = kHelloWorld;
        yaml.replace("max_message_depth: 10", "max_queue_depth: 2");
        auto small = makeOrganism(yaml, dir->path() + u"/small"_s);
        QVERIFY(small);
        small->pauseAgent(u"greeter"_s);
        QVERIFY(inject(*small, u"greeter"_s, fields({{u"name"_s, u"1"_s}})).has_value());
        QVERIFY(inject(*small, u"greeter"_s, fields({{u"name"_s, u"2"_s}})).has_value());
        const InjectResult refused = inject(*small, u"greeter"_s, fields({{u"name"_s, u"3"_s}}));
        QCOMPARE(refused.error().kind, InjectError::QueueFull);
        QVERIFY2(failureText(refused).contains(u"saturated"_s), qPrintable(failureText(refused)));
    }

    void whatIsAnnouncedIsCommitted()
    {
        organism->pauseAgent(u"greeter"_s);
        const InjectResult result = inject(*organism, u"greeter"_s, fields({{u"name"_s, u"Eve"_s}}));
        QVERIFY(result.has_value());
        organism->flushChanges(); // the inject's own batch (committed) goes out now
        QSignalSpy recorded(organism.get(), &Organism::messagesRecorded);
        QSignalSpy updated(organism.get(), &Organism::threadsUpdated);
        // While the history cannot commit, the chain runs, but nothing of it is announced and the
        // thread does not complete: its last messages are not readable yet.
        const test::HistoryWriteLock lock(test::historyStoreOf(*organism)->databasePath());
        QVERIFY(lock.take());
        organism->resumeAgent(u"greeter"_s);
        const auto sentByShouter = [&] {
            const QList<AgentInfo> agents = organism->agents();
            const auto shouter = std::find_if(agents.cbegin(), agents.cend(),
                                              [](const AgentInfo &a) { return a.name == u"shouter"_s; });
            return shouter == agents.cend() ? -1 : shouter->messageCount;
        };
        QTRY_COMPARE(sentByShouter(), 1); // the chain's last hop has been sent
        QVERIFY(recorded.isEmpty());
        QCOMPARE(organism->info().totalMessages, 1); // totals count what a reader finds: the inject only
        QCOMPARE(statusOf(*organism, result->threadId), u"active"_s);

        QVERIFY(lock.release());
        QTRY_COMPARE(statusOf(*organism, result->threadId), u"completed"_s);
        QCOMPARE(organism->info().totalMessages, 3);
        // Whoever saw `completed` (or a message event) reads every message of the thread.
        QCOMPARE(conversation(*organism, result->threadId).size(), 3);
        QTRY_VERIFY(!recorded.isEmpty());
        QVERIFY(!updated.isEmpty());
    }

    void historySurvivesARestart()
    {
        const InjectResult result = inject(*organism, u"greeter"_s, fields({{u"name"_s, u"Dan"_s}}));
        QTRY_COMPARE(statusOf(*organism, result->threadId), u"completed"_s);
        organism.reset();

        organism = makeOrganism(kHelloWorld, dir->path());
        QVERIFY(organism);
        QCOMPARE(organism->info().totalMessages, 3);
        QCOMPARE(organism->agent(u"greeter"_s)->messageCount, 1);
        QCOMPARE(statusOf(*organism, result->threadId), u"completed"_s);
        QCOMPARE(conversation(*organism, result->threadId).size(), 3);
        const InjectResult next = inject(*organism, u"greeter"_s, fields({{u"name"_s, u"Two"_s}}));
        QTRY_COMPARE(statusOf(*organism, next->threadId), u"completed"_s);
        QCOMPARE(conversation(*organism, next->threadId).first().seq, 4);
    }

    void threadsLeftRunningByACrashResume()
    {
        organism.reset();
        // What a killed process leaves: committed messages of a thread whose row was never written.
        HistoryConfig config;
        test::useTestHistory(&config, dir->path()); // the organism's own history, on either engine
        {
            HistoryStore store;
            store.setOrganismName(u"test-organism"_s);
            QString error;
            QVERIFY2(store.open(dir->path() + u"/data"_s, config, &error), qPrintable(error));
            MessageRecord message;
            message.seq = 1;
            message.id = u"m1"_s;
            message.threadId = u"crashed-thread"_s;
            message.from = u"api"_s;
            message.to = u"greeter"_s;
            message.payloadType = u"Greeting"_s;
            message.xml = "<Greeting><Name>x</Name></Greeting>";
            message.timestamp = QDateTime::currentDateTimeUtc();
            store.appendMessage(message);
            QVERIFY(store.sync(std::chrono::seconds(10)));
        }
        // …and its lock file naming a process that no longer exists (PostgreSQL: the registry's mark of a
        // process that holds the instance, left set by one that died).
        if (test::historyOnPostgres()) {
            QString error;
            QVERIFY2(test::testPostgresServer()->psql(
                         u"UPDATE agentdesk.instances SET running = true WHERE instance = '%1'"_s.arg(config.instance),
                         &error),
                     qPrintable(error));
        } else {
            QFile lock(dir->path() + u"/data/history.lock"_s);
            QVERIFY(lock.open(QIODevice::WriteOnly));
            lock.write("999999\nagentdesk\n" + QSysInfo::machineHostName().toUtf8() + "\n");
            lock.close();
        }
        organism = makeOrganism(kHelloWorld, dir->path());
        QVERIFY(organism);
        // Its row is rebuilt from the messages, and its undelivered message runs: the thread completes.
        std::optional<ThreadInfo> thread = organism->thread(u"crashed-thread"_s);
        QVERIFY(thread);
        QCOMPARE(thread->participants.first(), u"api"_s);
        QTRY_COMPARE(statusOf(*organism, u"crashed-thread"_s), u"completed"_s);
        thread = organism->thread(u"crashed-thread"_s);
        QCOMPARE(thread->participants, (QStringList{u"api"_s, u"greeter"_s, u"shouter"_s, u"response-handler"_s}));
        QCOMPARE(thread->messageCount, 3);
        QCOMPARE(organism->info().totalMessages, 3);
    }

    void reloadAppliesTheDifference()
    {
        QSignalSpy reloaded(organism.get(), &Organism::reloaded);
        QByteArray yaml = kHelloWorld;
        yaml.replace("description: Shouting handler", "description: Shouts louder");
        yaml.replace(
            "  - name: answers\n    description: Collects answers\n    payload_class: Answer\n    handler: builtin:sink\n",
            "  - name: answers\n    description: Collects answers\n    payload_class: Answer\n    handler: builtin:sink\n"
            "  - name: archive\n    description: Keeps greetings\n    payload_class: ShoutedResponse\n    handler: builtin:sink\n    broadcast: true\n");
        yaml.replace(
            "  - name: pong\n    description: Echoes back to whoever sent\n    payload_class: Ping\n    handler: builtin:echo\n",
            "");
        yaml.replace("peers: [pong]", "peers: []");
        QFile file(dir->path() + u"/organism.yaml"_s);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(yaml);
        file.close();

        const ReloadResult result = organism->reload();
        QVERIFY2(result.has_value(), qPrintable(failureText(result)));
        QCOMPARE(result->added, QStringList{u"archive"_s});
        QCOMPARE(result->removed, QStringList{u"pong"_s});
        QCOMPARE(result->updated, (QStringList{u"shouter"_s, u"ping"_s}));
        QCOMPARE(reloaded.size(), 1);
        QCOMPARE(organism->agent(u"shouter"_s)->description, u"Shouts louder"_s);
        QVERIFY(!organism->agent(u"pong"_s));
        QCOMPARE(organism->listenerNames().last(), u"archive"_s);

        // The reloaded organism still works end to end.
        const InjectResult after = inject(*organism, u"greeter"_s, fields({{u"name"_s, u"R"_s}}));
        QTRY_COMPARE(statusOf(*organism, after->threadId), u"completed"_s);
    }

    void failedReloadLeavesTheOrganismUntouched()
    {
        QFile file(dir->path() + u"/organism.yaml"_s);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("listeners: [ {name: broken");
        file.close();
        const ReloadResult result = organism->reload();
        QVERIFY(!result.has_value());
        QVERIFY(failureText(result).contains(u"organism.yaml"_s));
        QCOMPARE(organism->listenerNames().size(), 7);
        const InjectResult after = inject(*organism, u"greeter"_s, fields({{u"name"_s, u"still"_s}}));
        QTRY_COMPARE(statusOf(*organism, after->threadId), u"completed"_s);
    }

    void capabilitiesAreSortedWithSchemas()
    {
        const QList<Capability> capabilities = organism->capabilities();
        QCOMPARE(capabilities.size(), 7);
        QCOMPARE(capabilities.first().name, u"answers"_s);
        const Capability greeter = *organism->capability(u"greeter"_s);
        QCOMPARE(greeter.rootTag, u"greeter.greeting"_s);
        QCOMPARE(greeter.payloadClass, u"handlers.hello.Greeting"_s);
        QVERIFY(greeter.schemaXsd.contains(u"<xs:element name=\"Name\""_s));
        QVERIFY(greeter.exampleXml.startsWith(u"<Greeting>"_s));
        QVERIFY(!organism->capability(u"nobody"_s));
    }

    void execListenerTakesPartInAChain()
    {
        const QString handlers = QStringLiteral(AGENTDESK_SOURCE_DIR) + u"/examples/handlers"_s;
        // moc cannot parse a raw string with quotes inside, so this one is built from plain literals.
        const QByteArray yaml = "organism: {name: exec-chain}\n"
                                "payloads:\n"
                                "  Text: {body: string}\n"
                                "listeners:\n"
                                "  - name: loud\n"
                                "    description: Upper-cases through a Python child process\n"
                                "    payload_class: Text\n"
                                "    handler: {exec: [python3, '"
            + handlers.toUtf8()
            + "/uppercase.py', printer]}\n"
              "  - name: printer\n"
              "    description: Ends the chain\n"
              "    payload_class: Text\n"
              "    handler: builtin:sink\n";
        QVERIFY(QDir().mkpath(dir->path() + u"/exec"_s));
        auto chain = makeOrganism(yaml, dir->path() + u"/exec"_s);
        QVERIFY(chain);
        const InjectResult result = inject(*chain, u"loud"_s, fields({{u"body"_s, u"quiet words"_s}}));
        QVERIFY2(result.has_value(), qPrintable(failureText(result)));
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(*chain, result->threadId), u"completed"_s, 20000);
        const QList<MessageRecord> messages = conversation(*chain, result->threadId);
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages[1].from, u"loud"_s);
        QCOMPARE(messages[1].to, u"printer"_s);
        QCOMPARE(messages[1].fields.value(u"body"_s).toString(), u"QUIET WORDS"_s);
    }

private:
    std::optional<QTemporaryDir> dir;
    std::unique_ptr<Organism> organism;
};

QTEST_GUILESS_MAIN(TestOrganism)
#include "tst_organism.moc"
