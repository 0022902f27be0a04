// A restart resumes unfinished threads: after a kill -9 in the middle of 2,000 slow threads, after a
// clean stop with a backlog, and not at all when resume_on_start is false. Real files, real exec
// handlers (python3 child processes), a real SIGKILL.

#include "helloworldyaml.h"
#include "organismfixture.h"
#include "organism.h"
#include "store/historystore.h"
#include "testhistory.h"
#include "injectandwait.h"
#include "organismhistory.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::countThreads;
using agentdesk::test::HelloWorldYaml;
using agentdesk::test::retryThread;
using agentdesk::test::startOrganismFromYaml;

namespace {

// An exec handler that takes a while: it logs "start" and "end" of every delivery (listener, thread,
// message id and its own pid, so the run is known) and forwards {n} to the next stage.
const QByteArray kSlowHandler = R"(import os, sys, time
sys.path.insert(0, sys.argv[5])
import agentdesk_handler as ah
listener, target, reply_type, log_path = sys.argv[1:5]

def note(what, meta):
    with open(log_path, "a") as log:
        log.write("%s %s %s %s %d\n" % (what, listener, meta["thread"], meta["message"], os.getpid()))

def handle(payload, meta):
    note("start", meta)
    time.sleep(0.02)
    note("end", meta)
    n = payload.find("N").text
    return [(target, "<%s><N>%s</N></%s>" % (reply_type, n, reply_type))]

sys.exit(ah.run(handle, workers=8))
)";

// first (slow, exec) → second (slow, exec) → last (sink). `directory` holds slow.py and handled.log.
QByteArray slowChain(const QString &directory)
{
    const QByteArray dir = directory.toUtf8();
    const QByteArray handlers = QByteArrayLiteral(AGENTDESK_SOURCE_DIR) + "/examples/handlers";
    const auto stage = [&](const char *name, const char *payload, const char *next,
                           const char *nextType) -> QByteArray {
        return "  - name: " + QByteArray(name) + "\n    description: a slow stage\n    payload_class: " + payload
            + "\n    peers: [" + next + "]\n    handler: {exec: [python3, '" + dir + "/slow.py', " + name + ", " + next
            + ", " + nextType + ", '" + dir + "/handled.log', '" + handlers + "']}\n";
    };
    return QByteArray(
        "organism: {name: resume}\n"
        "max_concurrent_handlers: 40\n"
        "max_concurrent_per_agent: 8\n"
        "max_concurrent_pipelines: 5000\n"
        "payloads:\n  Job: {n: integer}\n  Step: {n: integer}\n  Done: {n: integer}\n"
        "listeners:\n"
        + stage("first", "Job", "second", "Step") + stage("second", "Step", "last", "Done")
        + "  - name: last\n    description: ends it\n    payload_class: Done\n    handler: builtin:sink\n");
}

// greeter (format) → shouter → sink, built-ins only, one call at a time: fast and deterministic.
const QByteArray kChain =
    HelloWorldYaml("resume-builtins").settings("max_concurrent_per_agent: 1\n").sink("sink").text();

struct Delivery
{
    QString what; // start | end
    QString listener;
    QString thread;
    QString message;
    qint64 pid = 0;
};

QList<Delivery> readLog(const QString &path)
{
    QList<Delivery> out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return out;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QList<QByteArray> parts = line.split(' ');
        if (parts.size() == 5)
            out.append({QString::fromUtf8(parts[0]), QString::fromUtf8(parts[1]), QString::fromUtf8(parts[2]),
                        QString::fromUtf8(parts[3]), parts[4].toLongLong()});
    }
    return out;
}

InjectRequest greeting(const QString &name, const QString &threadId = {})
{
    InjectRequest request;
    request.to = u"greeter"_s;
    request.fields.insert(u"name"_s, name);
    request.threadId = threadId;
    return request;
}

QList<MessageRecord> threadMessages(Organism &organism, const QString &threadId)
{
    MessageQuery query;
    query.threadId = threadId;
    query.newestFirst = false;
    query.limit = -1;
    return organism.messages(query).items;
}

} // namespace

class tst_OrganismResume : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void everyThreadResumesAfterKill();
    void cleanStopLeavesTheBacklogForTheNextStart();
    void resumedMessagesKeepTheirOrderSenderAndDepth();
    void aRemovedListenerEndsItsThreadsInError();
    void resumeOffEndsUnfinishedThreadsInError();
    void stopAndStartInOneProcessResumes();

private:
    // Stops `organism` with a drain that ends at once and waits for `stopped`.
    static void stopNow(Organism &organism);
    // Writes the organism's YAML so that a restart (startOrganismFromYaml) finds it.
    bool writeConfig(const QByteArray &yaml) const;

    std::optional<QTemporaryDir> m_dir;
};

void tst_OrganismResume::init()
{
    // On PostgreSQL: the test's server runs before the runner is started, which inherits its URL.
    test::testHistoryUrl();
    QVERIFY(m_dir.emplace().isValid());
}

void tst_OrganismResume::cleanup()
{
    m_dir.reset();
}

void tst_OrganismResume::stopNow(Organism &organism)
{
    QSignalSpy stopped(&organism, &Organism::stopped);
    organism.stop(std::chrono::milliseconds(0));
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 30000);
}

bool tst_OrganismResume::writeConfig(const QByteArray &yaml) const
{
    QFile file(m_dir->filePath(u"organism.yaml"_s));
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(yaml) == yaml.size();
}

void tst_OrganismResume::everyThreadResumesAfterKill()
{
    if (QStandardPaths::findExecutable(u"python3"_s).isEmpty())
        QSKIP("python3 is needed for the exec handlers of this test and is not installed");
    constexpr int kThreads = 2000;
    const QString directory = m_dir->path();
    QFile script(m_dir->filePath(u"slow.py"_s));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(kSlowHandler);
    script.close();
    QVERIFY(writeConfig(slowChain(directory)));
    const QString logPath = m_dir->filePath(u"handled.log"_s);

    // Run 1, in a child process: 2,000 threads acknowledged (committed), then SIGKILL while they run.
    QProcess runner;
    runner.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    runner.start(QStringLiteral(ORGANISMRUNNER_PATH), {directory, QString::number(kThreads), u"first"_s});
    QVERIFY2(runner.waitForStarted(), qPrintable(runner.errorString()));
    QSet<QString> acknowledged;
    QByteArray output;
    const auto startedFirst = [&] {
        int started = 0;
        for (const Delivery &delivery : readLog(logPath))
            started += delivery.what == u"start" && delivery.listener == u"first";
        return started;
    };
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 output += runner.readAllStandardOutput();
                                 while (output.contains('\n')) {
                                     const qsizetype end = output.indexOf('\n');
                                     const QByteArray line = output.left(end);
                                     output.remove(0, end + 1);
                                     if (line.startsWith("ACK "))
                                         acknowledged.insert(QString::fromUtf8(line.mid(4)));
                                     else if (!line.isEmpty())
                                         qWarning() << "runner:" << line;
                                 }
                                 return acknowledged.size() == kThreads && startedFirst() >= 100;
                             }()),
                             120000);
    ::kill(pid_t(runner.processId()), SIGKILL);
    QVERIFY(runner.waitForFinished());
    QCOMPARE(runner.exitStatus(), QProcess::CrashExit);
    const qint64 firstRun = [&] {
        const QList<Delivery> log = readLog(logPath);
        return log.isEmpty() ? 0 : log.first().pid; // any handler process of run 1: tells runs apart below
    }();
    QVERIFY(firstRun > 0);
    QSet<qint64> firstRunPids;
    for (const Delivery &delivery : readLog(logPath))
        firstRunPids.insert(delivery.pid);

    // Run 2, here: every acknowledged thread resumes and completes.
    const std::unique_ptr<Organism> organism = startOrganismFromYaml({}, directory);
    QVERIFY(organism);
    QTRY_VERIFY_WITH_TIMEOUT(countThreads(*organism, ThreadStatus::Completed) == kThreads, 180000);
    QCOMPARE(countThreads(*organism, ThreadStatus::Active), 0);
    QCOMPARE(countThreads(*organism, ThreadStatus::Error), 0);

    // Exactly three messages in each thread: a handler that ran again replaced what it had sent in
    // the dead process (never committed), it did not add to it.
    for (const QString &threadId : std::as_const(acknowledged)) {
        const QList<MessageRecord> messages = threadMessages(*organism, threadId);
        QCOMPARE(messages.size(), 3);
        QCOMPARE(messages[0].to, u"first"_s);
        QCOMPARE(messages[1].to, u"second"_s);
        QCOMPARE(messages[2].to, u"last"_s);
        QCOMPARE(messages[2].depth, 2);
    }

    // Every message was delivered at least once; twice only when its first delivery was in the
    // killed run (a handler that was running then), never twice within one run.
    QHash<QString, QList<Delivery>> starts; // by message id
    QSet<QString> endedInFirstRun;
    for (const Delivery &delivery : readLog(logPath)) {
        if (delivery.what == u"start")
            starts[delivery.message].append(delivery);
        else if (firstRunPids.contains(delivery.pid))
            endedInFirstRun.insert(delivery.message);
    }
    int again = 0;
    int midHandler = 0;
    for (const QString &threadId : std::as_const(acknowledged)) {
        const QList<MessageRecord> messages = threadMessages(*organism, threadId);
        for (int i = 0; i < 2; ++i) {
            const QList<Delivery> deliveries = starts.value(messages[i].id);
            QVERIFY2(!deliveries.isEmpty(), qPrintable(u"never delivered: "_s + messages[i].id));
            QVERIFY2(deliveries.size() <= 2, qPrintable(u"delivered %1 times"_s.arg(deliveries.size())));
            const bool startedInFirstRun = firstRunPids.contains(deliveries.first().pid);
            if (startedInFirstRun && !endedInFirstRun.contains(messages[i].id)) {
                ++midHandler; // its handler was running when the process died: it must have run again
                QCOMPARE(deliveries.size(), 2);
            }
            if (deliveries.size() == 2) {
                ++again;
                QVERIFY(startedInFirstRun);
                QVERIFY(!firstRunPids.contains(deliveries.last().pid));
            }
        }
    }
    qInfo().noquote() << u"%1 threads resumed after SIGKILL; %2 deliveries ran again (%3 of them were mid-handler)"_s
                             .arg(kThreads)
                             .arg(again)
                             .arg(midHandler);
}

void tst_OrganismResume::cleanStopLeavesTheBacklogForTheNextStart()
{
    auto organism = startOrganismFromYaml(kChain, m_dir->path());
    QVERIFY(organism);
    organism->pauseAgent(u"shouter"_s); // a backlog that the drain cannot clear
    QStringList threads;
    for (int i = 0; i < 50; ++i) {
        const InjectResult result = test::injectAndWait(*organism, greeting(u"user%1"_s.arg(i)));
        QVERIFY2(result.has_value(), qPrintable(failureText(result)));
        threads << result->threadId;
    }
    QTRY_COMPARE(organism->agent(u"shouter"_s)->queueDepth, 50);
    QSignalSpy updated(organism.get(), &Organism::threadsUpdated);
    stopNow(*organism);
    // Nothing ended in error: the threads wait, unfinished, in the history.
    for (const QList<QVariant> &signal : std::as_const(updated)) {
        for (const ThreadInfo &thread : signal.first().value<QList<ThreadInfo>>())
            QVERIFY2(thread.status != ThreadStatus::Error, qPrintable(thread.error));
    }
    QCOMPARE(toString(organism->thread(threads.first())->status), toString(ThreadStatus::Active));
    QCOMPARE(test::historyStoreOf(*organism)->undeliveredMessages().size(), 50);
    organism.reset();

    organism = startOrganismFromYaml({}, m_dir->path());
    QVERIFY(organism);
    QCOMPARE(organism->info().activeThreads, 50);
    QTRY_COMPARE(countThreads(*organism, ThreadStatus::Completed), 50);
    for (const QString &threadId : std::as_const(threads))
        QCOMPARE(threadMessages(*organism, threadId).size(), 3);
    QTRY_VERIFY(test::historyStoreOf(*organism)->undeliveredMessages().isEmpty());
}

void tst_OrganismResume::resumedMessagesKeepTheirOrderSenderAndDepth()
{
    auto organism = startOrganismFromYaml(kChain, m_dir->path());
    QVERIFY(organism);
    organism->pauseAgent(u"greeter"_s);
    const InjectResult first = test::injectAndWait(*organism, greeting(u"one"_s));
    QVERIFY(first.has_value());
    InjectRequest fromOperator = greeting(u"two"_s, first->threadId);
    fromOperator.from = u"operator"_s;
    QVERIFY(test::injectAndWait(*organism, fromOperator).has_value());
    QVERIFY(test::injectAndWait(*organism, greeting(u"three"_s, first->threadId)).has_value());
    const QList<MessageRecord> before = threadMessages(*organism, first->threadId);
    QCOMPARE(before.size(), 3);
    stopNow(*organism);
    organism.reset();

    organism = startOrganismFromYaml({}, m_dir->path());
    QVERIFY(organism);
    QTRY_COMPARE(countThreads(*organism, ThreadStatus::Completed), 1);
    const QList<MessageRecord> after = threadMessages(*organism, first->threadId);
    QCOMPARE(after.size(), 9);
    for (int i = 0; i < 3; ++i) { // the same messages, not copies: id, seq, sender, depth
        QCOMPARE(after[i].id, before[i].id);
        QCOMPARE(after[i].seq, before[i].seq);
        QCOMPARE(after[i].from, before[i].from);
        QCOMPARE(after[i].depth, 0);
    }
    // Handled in their original order (greeter runs one at a time): its replies say so.
    QStringList greeted;
    for (const MessageRecord &message : after) {
        if (message.from == u"greeter") {
            greeted << message.fields.value(u"message"_s).toString();
            QCOMPARE(message.depth, 1);
        }
    }
    QCOMPARE(greeted, (QStringList{u"Hello, one!"_s, u"Hello, two!"_s, u"Hello, three!"_s}));
    QCOMPARE(after[4].fields.value(u"original_sender"_s).toString(), u"operator"_s);
}

void tst_OrganismResume::aRemovedListenerEndsItsThreadsInError()
{
    auto organism = startOrganismFromYaml(kChain, m_dir->path());
    QVERIFY(organism);
    organism->pauseAgent(u"shouter"_s);
    const InjectResult result = test::injectAndWait(*organism, greeting(u"x"_s));
    QVERIFY(result.has_value());
    QTRY_COMPARE(organism->agent(u"shouter"_s)->queueDepth, 1);
    stopNow(*organism);
    organism.reset();

    // The configuration changes while the thread waits: shouter is gone.
    QByteArray changed = kChain;
    changed.replace("    peers: [shouter]\n", "    peers: [sink]\n");
    const qsizetype from = changed.indexOf("  - name: shouter");
    changed.remove(from, changed.indexOf("  - name: sink") - from);
    QVERIFY(writeConfig(changed));
    organism = startOrganismFromYaml({}, m_dir->path());
    QVERIFY(organism);
    const std::optional<ThreadInfo> thread = organism->thread(result->threadId);
    QVERIFY(thread);
    QCOMPARE(toString(thread->status), toString(ThreadStatus::Error));
    QVERIFY2(thread->error.contains(u"listener shouter no longer exists"_s), qPrintable(thread->error));
    // What could not run is kept for a retry, which is refused while the listener is gone; a kill lets it go.
    QCOMPARE(test::historyStoreOf(*organism)->undeliveredMessages(result->threadId).size(), 1);
    const RetryResult retried = retryThread(*organism, result->threadId);
    QCOMPARE(int(retried.error().kind), int(RetryError::ListenerGone));
    QVERIFY2(failureText(retried).startsWith(u"listener shouter no longer exists"_s), qPrintable(failureText(retried)));
    QVERIFY(organism->killThread(result->threadId));
    QTRY_VERIFY(test::historyStoreOf(*organism)->undeliveredMessages().isEmpty());
}

void tst_OrganismResume::resumeOffEndsUnfinishedThreadsInError()
{
    QByteArray yaml = kChain;
    yaml.replace("max_concurrent_per_agent: 1", "max_concurrent_per_agent: 1\nresume_on_start: false");
    auto organism = startOrganismFromYaml(yaml, m_dir->path());
    QVERIFY(organism);
    organism->pauseAgent(u"greeter"_s);
    const InjectResult result = test::injectAndWait(*organism, greeting(u"x"_s));
    QVERIFY(result.has_value());
    stopNow(*organism);
    organism.reset();

    organism = startOrganismFromYaml({}, m_dir->path());
    QVERIFY(organism);
    const std::optional<ThreadInfo> thread = organism->thread(result->threadId);
    QCOMPARE(toString(thread->status), toString(ThreadStatus::Error));
    QVERIFY2(thread->error.contains(u"resume_on_start is false"_s), qPrintable(thread->error));
    QCOMPARE(threadMessages(*organism, result->threadId).size(), 1); // nothing ran
    // The interrupted delivery is kept: a retry runs the thread to its end.
    const RetryResult retried = retryThread(*organism, result->threadId);
    QVERIFY2(retried.has_value(), qPrintable(failureText(retried)));
    QCOMPARE(retried->deliveries, 1);
    QTRY_COMPARE(toString(organism->thread(result->threadId)->status), toString(ThreadStatus::Completed));
    QCOMPARE(threadMessages(*organism, result->threadId).size(), 3);
    QTRY_VERIFY(test::historyStoreOf(*organism)->undeliveredMessages().isEmpty());
}

void tst_OrganismResume::stopAndStartInOneProcessResumes()
{
    auto organism = startOrganismFromYaml(kChain, m_dir->path());
    QVERIFY(organism);
    organism->pauseAgent(u"sink"_s);
    const InjectResult result = test::injectAndWait(*organism, greeting(u"x"_s));
    QVERIFY(result.has_value());
    QTRY_COMPARE(organism->agent(u"sink"_s)->queueDepth, 1);
    stopNow(*organism);
    QCOMPARE(toString(organism->status()), toString(OrganismStatus::Stopped));
    QCOMPARE(organism->info().activeThreads, 0);
    const Result<> started = organism->start();
    QVERIFY2(started, qPrintable(failureText(started)));
    const Result<> again = organism->start();
    QVERIFY(!again); // running already
    QVERIFY2(failureText(again).contains(u"running"_s), qPrintable(failureText(again)));
    QCOMPARE(toString(organism->status()), toString(OrganismStatus::Running));
    QCOMPARE(organism->info().activeThreads, 1);
    QCOMPARE(organism->agent(u"sink"_s)->queueDepth, 1); // resumed, still paused: a pause outlives a stop
    organism->resumeAgent(u"sink"_s);
    QTRY_COMPARE(toString(organism->thread(result->threadId)->status), toString(ThreadStatus::Completed));
    QCOMPARE(threadMessages(*organism, result->threadId).size(), 3);
}

QTEST_GUILESS_MAIN(tst_OrganismResume)
#include "tst_organismresume.moc"
