#include "listeners/execlistener.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using namespace agentdesk;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// Runs the example handlers of examples/handlers with the real python3: a child process per test.
class tst_ExecListener : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void replyCarriesPayloadAndTarget_data();
    void replyCarriesPayloadAndTarget();
    void concurrentCallsAreMatchedById();
    void errorFrameFailsTheCall();
    void invalidReplyFailsOnlyThatCall();
    void replyForUnknownCallIsAFault();
    void stderrIsForwarded();
    void deathFailsInFlightCallsAndRestarts_data();
    void deathFailsInFlightCallsAndRestarts();
    void crashRedeliversWhatOnlyWaited_data();
    void crashRedeliversWhatOnlyWaited();
    void earlyExitNamesTheLastStderrLine();
    void missingProgramFailsClearly_data();
    void missingProgramFailsClearly();
    void cancelSendsFrameAndIgnoresLateReply();
    void stopEndsTheChildGracefully();
    void stopKillsAChildThatIgnoresShutdown();
    void destroyingTheListenerEndsTheChild();
};

namespace {

constexpr int Timeout = 30000;

const QString HandlerDirectory = QStringLiteral(AGENTDESK_SOURCE_DIR "/examples/handlers");

struct Outcome
{
    int completions = 0;
    QList<OutgoingMessage> replies;
    QString error;
};

using OutcomePtr = std::shared_ptr<Outcome>;

QByteArray textPayload(const QString &body)
{
    return "<Text><Body>" + body.toHtmlEscaped().toUtf8() + "</Body></Text>";
}

HandlerCallPtr makeCall(quint64 id, const QString &body, const OutcomePtr &outcome)
{
    MessageRecord message;
    message.id = u"message-%1"_s.arg(id);
    message.threadId = u"thread-1"_s;
    message.from = u"sender"_s;
    message.to = u"shouter"_s;
    message.payloadType = u"Text"_s;
    message.xml = textPayload(body);
    return std::make_shared<HandlerCall>(
        id, message, [outcome](quint64, HandlerCall::Outcome, QList<OutgoingMessage> replies, QString error) {
            ++outcome->completions;
            outcome->replies = std::move(replies);
            outcome->error = std::move(error);
        });
}

std::unique_ptr<ExecListener> makeListener(const QStringList &argv)
{
    ListenerConfig config;
    config.name = u"shouter"_s;
    config.payloadType = u"Text"_s;
    config.handler.kind = HandlerSpec::Kind::Exec;
    config.handler.argv = argv;
    config.handler.workingDirectory = HandlerDirectory;
    return std::make_unique<ExecListener>(config, ListenerEnvironment{});
}

std::unique_ptr<ExecListener> makeCrashy(const QStringList &arguments = {})
{
    return makeListener(QStringList{u"python3"_s, u"crashy.py"_s} + arguments);
}

// Zombies keep their /proc entry until reaped, so a gone entry means the child was reaped.
bool processGone(qint64 pid)
{
    if (!QFileInfo::exists(u"/proc/self"_s))
        return true;
    return !QFileInfo::exists(u"/proc/%1"_s.arg(pid));
}

bool logged(const QSignalSpy &spy, const QString &level, const QString &text)
{
    for (const QList<QVariant> &arguments : spy) {
        if (arguments.at(0).toString() == level && arguments.at(1).toString() == text)
            return true;
    }
    return false;
}

} // namespace

void tst_ExecListener::initTestCase()
{
    if (QStandardPaths::findExecutable(u"python3"_s).isEmpty())
        QSKIP("python3 is not installed: the exec listener tests run the Python example handlers");
}

void tst_ExecListener::replyCarriesPayloadAndTarget_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expectedTarget");
    QTest::newRow("back to the sender") << QStringList() << u"sender"_s;
    QTest::newRow("to the listener named on the command line") << QStringList{u"printer"_s} << u"printer"_s;
}

void tst_ExecListener::replyCarriesPayloadAndTarget()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expectedTarget);

    auto listener = makeListener(QStringList{u"python3"_s, u"uppercase.py"_s} + arguments);
    listener->start();
    auto outcome = std::make_shared<Outcome>();
    listener->handle(makeCall(1, u"hello <world> & café"_s, outcome)); // waits for the child to start

    QTRY_COMPARE_WITH_TIMEOUT(outcome->completions, 1, Timeout);
    QCOMPARE(outcome->error, QString());
    QCOMPARE(outcome->replies.size(), 1);
    QCOMPARE(outcome->replies.first().to, expectedTarget);
    QCOMPARE(outcome->replies.first().payload.xml,
             QByteArray("<Text><Body>HELLO &lt;WORLD&gt; &amp; CAF\xc3\x89</Body></Text>"));
    QCOMPARE(listener->inFlightCount(), 0);
}

void tst_ExecListener::concurrentCallsAreMatchedById()
{
    auto listener = makeCrashy({u"--workers"_s, u"4"_s});
    listener->start();
    // "hold" cannot answer before "release" was delivered, so both are in flight at once and the
    // answers may leave in either order.
    const QStringList bodies{u"hold k1"_s, u"plain"_s, u"release k1"_s};
    QList<OutcomePtr> outcomes;
    for (qsizetype i = 0; i < bodies.size(); ++i) {
        outcomes.append(std::make_shared<Outcome>());
        listener->handle(makeCall(100 + i, bodies.at(i), outcomes.last()));
    }
    for (qsizetype i = 0; i < bodies.size(); ++i) {
        QTRY_COMPARE_WITH_TIMEOUT(outcomes.at(i)->completions, 1, Timeout);
        QCOMPARE(outcomes.at(i)->error, QString());
        QCOMPARE(outcomes.at(i)->replies.size(), 1);
        QCOMPARE(outcomes.at(i)->replies.first().payload.xml, textPayload(bodies.at(i).toUpper()));
    }
}

void tst_ExecListener::errorFrameFailsTheCall()
{
    auto listener = makeCrashy();
    QSignalSpy faulted(listener.get(), &ExecListener::faulted);
    listener->start();
    auto failing = std::make_shared<Outcome>();
    auto next = std::make_shared<Outcome>();
    listener->handle(makeCall(1, u"fail the disk is full"_s, failing));
    listener->handle(makeCall(2, u"next"_s, next));

    QTRY_COMPARE_WITH_TIMEOUT(next->completions, 1, Timeout);
    QCOMPARE(failing->completions, 1);
    QCOMPARE(failing->error, u"the disk is full"_s);
    QVERIFY(failing->replies.isEmpty());
    QCOMPARE(next->error, QString());
    QCOMPARE(faulted.size(), 0);
}

void tst_ExecListener::invalidReplyFailsOnlyThatCall()
{
    auto listener = makeCrashy();
    QSignalSpy faulted(listener.get(), &ExecListener::faulted);
    listener->start();
    auto invalid = std::make_shared<Outcome>();
    listener->handle(makeCall(1, u"two-payloads"_s, invalid));
    QTRY_COMPARE_WITH_TIMEOUT(invalid->completions, 1, Timeout);
    QVERIFY2(invalid->error.contains(u"more than one payload element"_s), qPrintable(invalid->error));
    const qint64 pid = listener->processId();

    auto next = std::make_shared<Outcome>();
    listener->handle(makeCall(2, u"still here"_s, next));
    QTRY_COMPARE_WITH_TIMEOUT(next->completions, 1, Timeout);
    QCOMPARE(next->error, QString());
    QCOMPARE(listener->processId(), pid);
    QCOMPARE(faulted.size(), 0);
}

void tst_ExecListener::replyForUnknownCallIsAFault()
{
    auto listener = makeCrashy();
    QSignalSpy faulted(listener.get(), &ExecListener::faulted);
    listener->start();
    auto outcome = std::make_shared<Outcome>();
    listener->handle(makeCall(1, u"unknown-id"_s, outcome));

    QTRY_COMPARE_WITH_TIMEOUT(outcome->completions, 1, Timeout);
    QCOMPARE(outcome->error, QString());
    QCOMPARE(faulted.size(), 1);
    QVERIFY2(faulted.first().first().toString().contains(u"999999"_s), qPrintable(faulted.first().first().toString()));
    QCOMPARE(listener->processState(), QProcess::Running); // not worth a restart
}

void tst_ExecListener::stderrIsForwarded()
{
    auto listener = makeCrashy();
    QSignalSpy logs(listener.get(), &ExecListener::handlerLog);
    listener->start();
    auto outcome = std::make_shared<Outcome>();
    listener->handle(makeCall(1, u"print stray output"_s, outcome));

    QTRY_COMPARE_WITH_TIMEOUT(outcome->completions, 1, Timeout);
    QCOMPARE(outcome->error, QString()); // print() did not corrupt the protocol
    QTRY_VERIFY_WITH_TIMEOUT(logged(logs, u"stderr"_s, u"stray output"_s), Timeout);
}

void tst_ExecListener::deathFailsInFlightCallsAndRestarts_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("expectedError");
    QTest::newRow("crash") << u"crash"_s << u"handler process crashed"_s;
    QTest::newRow("exit") << u"exit 3"_s << u"handler process exited with code 3"_s;
    QTest::newRow("output that is not a frame")
        << u"garbage"_s << u"handler protocol error on stdout: unexpected output \"this is not a frame\""_s;
}

void tst_ExecListener::deathFailsInFlightCallsAndRestarts()
{
    QFETCH(QString, command);
    QFETCH(QString, expectedError);

    auto listener = makeCrashy({u"--workers"_s, u"2"_s});
    QSignalSpy faulted(listener.get(), &ExecListener::faulted);
    QSignalSpy recovered(listener.get(), &ExecListener::recovered);
    QSignalSpy logs(listener.get(), &ExecListener::handlerLog);
    listener->start();
    QTRY_COMPARE_WITH_TIMEOUT(listener->processState(), QProcess::Running, Timeout);
    const qint64 firstPid = listener->processId();

    auto held = std::make_shared<Outcome>();
    auto dying = std::make_shared<Outcome>();
    listener->handle(makeCall(1, u"hold never"_s, held));
    // The first call is the child's (started) before the second kills it; else the child could die
    // before starting it, and it would rightly go to the next child instead of failing.
    QTRY_VERIFY_WITH_TIMEOUT(logged(logs, u"info"_s, u"holding never"_s), Timeout);
    listener->handle(makeCall(2, command, dying));

    QTRY_COMPARE_WITH_TIMEOUT(dying->completions, 1, Timeout);
    QVERIFY2(dying->error.startsWith(expectedError), qPrintable(dying->error));
    QTRY_COMPARE_WITH_TIMEOUT(held->completions, 1, Timeout); // every call in flight fails
    QCOMPARE(held->error, dying->error);
    QCOMPARE(faulted.size(), 1);
    QVERIFY2(faulted.first().first().toString().startsWith(expectedError),
             qPrintable(faulted.first().first().toString()));
    QVERIFY(faulted.first().first().toString().contains(u"restarting in"_s));
    QVERIFY(processGone(firstPid));

    // Sent while the child is down: it waits for the restart instead of failing.
    auto next = std::make_shared<Outcome>();
    listener->handle(makeCall(3, u"again"_s, next));
    QTRY_COMPARE_WITH_TIMEOUT(next->completions, 1, Timeout);
    QCOMPARE(next->error, QString());
    QCOMPARE(next->replies.size(), 1);
    QCOMPARE(next->replies.first().payload.xml, textPayload(u"AGAIN"_s));
    QCOMPARE(recovered.size(), 1);
    QVERIFY(listener->processId() != firstPid);
}

void tst_ExecListener::crashRedeliversWhatOnlyWaited_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("handler announces what it starts") << QStringList{};
    QTest::newRow("handler without <started>: write order") << QStringList{u"--no-started"_s};
}

// A handler working on one delivery at a time dies on the first: the two behind it were never begun,
// so they go to the restarted process instead of failing with it.
void tst_ExecListener::crashRedeliversWhatOnlyWaited()
{
    QFETCH(QStringList, arguments);
    auto listener = makeCrashy(arguments);
    listener->setRestartBackoff(50ms, 50ms);
    QSignalSpy faulted(listener.get(), &ExecListener::faulted);
    listener->start();
    QTRY_COMPARE_WITH_TIMEOUT(listener->processState(), QProcess::Running, Timeout);
    const qint64 firstPid = listener->processId();

    auto dying = std::make_shared<Outcome>();
    auto second = std::make_shared<Outcome>();
    auto third = std::make_shared<Outcome>();
    listener->handle(makeCall(1, u"crash"_s, dying));
    listener->handle(makeCall(2, u"second"_s, second));
    listener->handle(makeCall(3, u"third"_s, third));

    QTRY_COMPARE_WITH_TIMEOUT(dying->completions, 1, Timeout);
    QVERIFY2(dying->error.startsWith(u"handler process crashed"_s), qPrintable(dying->error));
    QTRY_COMPARE_WITH_TIMEOUT(second->completions, 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(third->completions, 1, Timeout);
    QCOMPARE(second->error, QString());
    QCOMPARE(second->replies.first().payload.xml, textPayload(u"SECOND"_s));
    QCOMPARE(third->error, QString());
    QCOMPARE(third->replies.first().payload.xml, textPayload(u"THIRD"_s));
    QVERIFY(listener->processId() != firstPid);

    QCOMPARE(faulted.size(), 1);
    const QString fault = faulted.first().first().toString();
    QVERIFY2(fault.contains(u"while handling thread thread-1"_s), qPrintable(fault));
    QVERIFY2(fault.contains(u"2 waiting deliveries will go to the new process"_s), qPrintable(fault));
}

void tst_ExecListener::earlyExitNamesTheLastStderrLine()
{
    auto listener = makeListener({u"python3"_s, u"-c"_s, u"import sys; sys.exit('configuration file missing')"_s});
    QSignalSpy faulted(listener.get(), &ExecListener::faulted);
    listener->start();
    auto outcome = std::make_shared<Outcome>();
    listener->handle(makeCall(1, u"x"_s, outcome));

    QTRY_COMPARE_WITH_TIMEOUT(outcome->completions, 1, Timeout);
    QVERIFY2(outcome->error.startsWith(u"handler process exited with code 1"_s), qPrintable(outcome->error));
    QVERIFY2(outcome->error.contains(u"configuration file missing"_s), qPrintable(outcome->error));
    QVERIFY(faulted.size() >= 1);
}

void tst_ExecListener::missingProgramFailsClearly_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QString>("expectedError");
    QTest::newRow("not in PATH") << u"agentdesk-no-such-handler"_s
                                 << u"handler program \"agentdesk-no-such-handler\" not found in PATH"_s;
    QTest::newRow("relative path") << u"./no-such-handler.py"_s
                                   << u"handler program \"./no-such-handler.py\" not found (looked for "_s
            + HandlerDirectory + u"/no-such-handler.py)"_s;
    QTest::newRow("not executable") << u"../handlers"_s << u"is not an executable file"_s;
}

void tst_ExecListener::missingProgramFailsClearly()
{
    QFETCH(QString, program);
    QFETCH(QString, expectedError);

    auto listener = makeListener({program});
    QSignalSpy faulted(listener.get(), &ExecListener::faulted);
    listener->start();
    auto waiting = std::make_shared<Outcome>();
    listener->handle(makeCall(1, u"x"_s, waiting));

    QTRY_COMPARE_WITH_TIMEOUT(waiting->completions, 1, Timeout);
    QVERIFY2(waiting->error.contains(expectedError), qPrintable(waiting->error));
    QCOMPARE(faulted.size(), 1);
    QVERIFY2(faulted.first().first().toString().contains(expectedError),
             qPrintable(faulted.first().first().toString()));
    QCOMPARE(listener->processState(), QProcess::NotRunning);

    // Until a start succeeds, new calls fail at once instead of piling up.
    auto later = std::make_shared<Outcome>();
    listener->handle(makeCall(2, u"y"_s, later));
    QTRY_COMPARE_WITH_TIMEOUT(later->completions, 1, Timeout);
    QVERIFY(later->error.contains(expectedError));
    QCOMPARE(listener->waitingCount(), 0);
}

void tst_ExecListener::cancelSendsFrameAndIgnoresLateReply()
{
    auto listener = makeCrashy(); // one worker: answers leave in delivery order
    QSignalSpy faulted(listener.get(), &ExecListener::faulted);
    QSignalSpy logs(listener.get(), &ExecListener::handlerLog);
    listener->start();
    QTRY_COMPARE_WITH_TIMEOUT(listener->processState(), QProcess::Running, Timeout);

    auto cancelled = std::make_shared<Outcome>();
    listener->handle(makeCall(7, u"slow 1.5"_s, cancelled));
    QCOMPARE(listener->inFlightCount(), 1);
    listener->cancel(7);
    QCOMPARE(listener->inFlightCount(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(logged(logs, u"info"_s, u"cancel received for 7"_s), Timeout);

    // The late answer to 7 leaves before the answer to 8.
    auto next = std::make_shared<Outcome>();
    listener->handle(makeCall(8, u"after"_s, next));
    QTRY_COMPARE_WITH_TIMEOUT(next->completions, 1, Timeout);
    QCOMPARE(next->error, QString());
    QCOMPARE(cancelled->completions, 0);
    QCOMPARE(faulted.size(), 0);
}

void tst_ExecListener::stopEndsTheChildGracefully()
{
    auto listener = makeCrashy();
    listener->setShutdownGracePeriod(60s); // however slow the machine, the child ends by itself
    QSignalSpy finished(listener.get(), &ExecListener::processFinished);
    QSignalSpy logs(listener.get(), &ExecListener::handlerLog);
    QSignalSpy faulted(listener.get(), &ExecListener::faulted);
    listener->start();
    QTRY_COMPARE_WITH_TIMEOUT(listener->processState(), QProcess::Running, Timeout);
    const qint64 pid = listener->processId();

    listener->stop();
    QTRY_COMPARE_WITH_TIMEOUT(listener->processState(), QProcess::NotRunning, Timeout);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toInt(), 0);
    QCOMPARE(finished.first().at(1).value<QProcess::ExitStatus>(), QProcess::NormalExit);
    QVERIFY(logged(logs, u"info"_s, u"shutdown received"_s));
    QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), Timeout);
    QCOMPARE(faulted.size(), 0); // an ordered stop is no fault, and no restart follows

    auto late = std::make_shared<Outcome>();
    listener->handle(makeCall(1, u"x"_s, late));
    QTRY_COMPARE_WITH_TIMEOUT(late->completions, 1, Timeout);
    QVERIFY(late->error.contains(u"stopped"_s));

    // A stopped listener can be started again.
    listener->start();
    auto again = std::make_shared<Outcome>();
    listener->handle(makeCall(2, u"again"_s, again));
    QTRY_COMPARE_WITH_TIMEOUT(again->completions, 1, Timeout);
    QCOMPARE(again->error, QString());
}

void tst_ExecListener::stopKillsAChildThatIgnoresShutdown()
{
    auto listener = makeCrashy({u"--ignore-shutdown"_s});
    listener->setShutdownGracePeriod(300ms);
    QSignalSpy finished(listener.get(), &ExecListener::processFinished);
    listener->start();
    QTRY_COMPARE_WITH_TIMEOUT(listener->processState(), QProcess::Running, Timeout);
    const qint64 pid = listener->processId();

    listener->stop();
    QTRY_COMPARE_WITH_TIMEOUT(listener->processState(), QProcess::NotRunning, Timeout);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(1).value<QProcess::ExitStatus>(), QProcess::CrashExit); // killed
    QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), Timeout);
}

void tst_ExecListener::destroyingTheListenerEndsTheChild()
{
    auto listener = makeCrashy();
    listener->start();
    QTRY_COMPARE_WITH_TIMEOUT(listener->processState(), QProcess::Running, Timeout);
    const qint64 pid = listener->processId();
    QVERIFY(pid > 0);

    listener.reset();
    QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), Timeout);
}

QTEST_GUILESS_MAIN(tst_ExecListener)
#include "tst_execlistener.moc"
