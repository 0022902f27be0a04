// Overload never kills admitted work: new injects are refused at the door while the organism is
// saturated (with the cause and when to retry), and a hop of a thread already admitted is never
// refused, even past max_queue_depth. Real exec handlers (python3 child processes), real history.

#include "organismfixture.h"
#include "organism.h"
#include "injectandwait.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::countThreads;
using agentdesk::test::startOrganismFromYaml;

namespace {

// slow.py <handlers dir>: takes 20 ms per message, two at a time, and passes it on to the sink.
const QByteArray kSlowHandler = R"(import sys, time
sys.path.insert(0, sys.argv[1])
import agentdesk_handler as ah

def handle(payload, meta):
    time.sleep(0.02)
    return [("sink", "<Item><N>%s</N></Item>" % payload.find("N").text)]

sys.exit(ah.run(handle, workers=2))
)";

// fan.py <handlers dir>: five messages to the sink for each one it gets.
const QByteArray kFanHandler = R"(import sys
sys.path.insert(0, sys.argv[1])
import agentdesk_handler as ah

def handle(payload, meta):
    return [("sink", "<Item><N>%d</N></Item>" % i) for i in range(5)]

sys.exit(ah.run(handle))
)";

QByteArray organismYaml(const QString &directory, const char *script, int maxQueueDepth)
{
    const QByteArray handlers = QByteArrayLiteral(AGENTDESK_SOURCE_DIR) + "/examples/handlers";
    return "organism: {name: admission}\n"
           "max_queue_depth: "
        + QByteArray::number(maxQueueDepth)
        + "\n"
          "max_concurrent_per_agent: 2\n"
          "max_concurrent_pipelines: 10000\n"
          "payloads:\n  Job: {n: integer}\n  Item: {n: integer}\n"
          "listeners:\n"
          "  - name: worker\n    description: the bottleneck\n    payload_class: Job\n    peers: [sink]\n"
          "    handler: {exec: [python3, '"
        + directory.toUtf8() + "/" + script + "', '" + handlers
        + "']}\n"
          "  - name: sink\n    description: ends it\n    payload_class: Item\n    handler: builtin:sink\n";
}

InjectRequest job(int n)
{
    InjectRequest request;
    request.to = u"worker"_s;
    request.fields.insert(u"n"_s, n);
    return request;
}

} // namespace

class tst_Admission : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void floodOfInjectsLosesNoAdmittedThread();
    void hopsAreNeverRefusedForCapacity();

private:
    std::unique_ptr<Organism> start(const char *script, const QByteArray &code, int maxQueueDepth);

    std::optional<QTemporaryDir> m_dir;
};

void tst_Admission::init()
{
    if (QStandardPaths::findExecutable(u"python3"_s).isEmpty())
        QSKIP("python3 is needed for the exec handlers of this test and is not installed");
    QVERIFY(m_dir.emplace().isValid());
}

void tst_Admission::cleanup()
{
    m_dir.reset();
}

std::unique_ptr<Organism> tst_Admission::start(const char *script, const QByteArray &code, int maxQueueDepth)
{
    QFile file(m_dir->filePath(QString::fromLatin1(script)));
    if (!file.open(QIODevice::WriteOnly) || file.write(code) != code.size())
        return nullptr;
    file.close();
    return startOrganismFromYaml(organismYaml(m_dir->path(), script, maxQueueDepth), m_dir->path());
}

void tst_Admission::floodOfInjectsLosesNoAdmittedThread()
{
    const auto organism = start("slow.py", kSlowHandler, 50);
    QVERIFY(organism);
    QCOMPARE(organism->info().saturation.admissionLimit, 40);

    // A flood far beyond what the worker handles (about 100 messages/s).
    int admitted = 0;
    QList<InjectResult> refusals;
    QObject context;
    for (int i = 0; i < 600; ++i) {
        organism->injectAcknowledged(job(i), &context, [&](const InjectResult &result) {
            if (result.has_value())
                ++admitted;
            else
                refusals.append(result);
        });
        if (i % 4 == 3)
            QTest::qWait(5);
    }
    QTRY_COMPARE_WITH_TIMEOUT(admitted + int(refusals.size()), 600, 30000);
    QVERIFY(!refusals.isEmpty());
    QVERIFY(admitted >= 40);
    for (const InjectResult &refusal : std::as_const(refusals)) {
        QCOMPARE(refusal.error().kind, InjectError::QueueFull);
        QVERIFY(refusal.error().retryAfterSeconds >= 1);
        QVERIFY2(failureText(refusal).contains(u"saturated"_s)
                     && failureText(refusal).contains(u"max_queue_depth is 50"_s)
                     && failureText(refusal).contains(u"the bottleneck is worker"_s),
                 qPrintable(failureText(refusal)));
    }
    QCOMPARE(organism->info().saturation.injectsRefused, refusals.size());

    // Every admitted thread completes; none ends in error because of the load.
    QTRY_COMPARE_WITH_TIMEOUT(countThreads(*organism, ThreadStatus::Completed), admitted, 60000);
    QCOMPARE(countThreads(*organism, ThreadStatus::Error), 0);
    QCOMPARE(organism->info().activeThreads, 0);
    qInfo().noquote() << u"flood of 600 injects: %1 admitted, %2 refused at the door, threads lost: 0"_s.arg(admitted)
                             .arg(refusals.size());
}

void tst_Admission::hopsAreNeverRefusedForCapacity()
{
    const auto organism = start("fan.py", kFanHandler, 5);
    QVERIFY(organism);
    organism->pauseAgent(u"sink"_s);
    organism->pauseAgent(u"worker"_s);
    QStringList threads;
    for (int i = 0; i < 4; ++i) { // the admission limit of max_queue_depth 5
        const InjectResult result = test::injectAndWait(*organism, job(i));
        QVERIFY2(result.has_value(), qPrintable(failureText(result)));
        threads << result->threadId;
    }
    const InjectResult refused = test::injectAndWait(*organism, job(4));
    QCOMPARE(refused.error().kind, InjectError::QueueFull);

    // Each admitted job fans out into five messages: 20 waiting, four times max_queue_depth.
    organism->resumeAgent(u"worker"_s);
    QTRY_COMPARE(organism->agent(u"sink"_s)->queueDepth, 20);
    QCOMPARE(countThreads(*organism, ThreadStatus::Error), 0);
    const Saturation saturation = organism->info().saturation;
    QCOMPARE(saturation.queueDepth, 20);
    QCOMPARE(saturation.queueLimit, 5);
    QVERIFY(saturation.saturated);
    QVERIFY2(saturation.cause.contains(u"the bottleneck is sink (20 waiting, 0 running)"_s),
             qPrintable(saturation.cause));
    QCOMPARE(saturation.backlog.first().agent, u"sink"_s);
    QCOMPARE(saturation.backlog.first().queued, 20);
    QCOMPARE(test::injectAndWait(*organism, job(5)).error().kind, InjectError::QueueFull);

    organism->resumeAgent(u"sink"_s);
    QTRY_COMPARE(countThreads(*organism, ThreadStatus::Completed), 4);
    QCOMPARE(countThreads(*organism, ThreadStatus::Error), 0);
    QVERIFY(!organism->info().saturation.saturated);
    QVERIFY(test::injectAndWait(*organism, job(6)).has_value());
}

QTEST_GUILESS_MAIN(tst_Admission)
#include "tst_admission.moc"
