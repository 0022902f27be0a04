// A listener's `retry: {attempts, backoff}` and POST /threads/{id}/retry, on a real organism with a real
// exec handler (examples/handlers/crashy.py, whose `flaky N FILE` fails its first N deliveries): a
// failed delivery runs again before its thread errs; a thread in error runs again on request; a stop
// during a back-off resumes the delivery at the next start; a kill drops it; a retry passes the door
// an inject passes (running, admission).

#include "organismfixture.h"
#include "organism.h"
#include "store/historystore.h"
#include "injectandwait.h"
#include "organismhistory.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::retryThread;
using agentdesk::test::startOrganismFromYaml;

namespace {

// flaky (crashy.py, answers to sink) → sink. `retry` is the flaky listener's retry line.
QByteArray organismYaml(const QByteArray &retry, const QByteArray &extra = {})
{
    const QByteArray handlers = QByteArrayLiteral(AGENTDESK_SOURCE_DIR) + "/examples/handlers";
    return "organism: {name: retries}\n" + extra
        + "payloads:\n  Text: {body: string}\n"
          "listeners:\n"
          "  - name: flaky\n"
          "    description: fails on request\n"
          "    payload_class: Text\n"
          "    handler: {exec: [python3, crashy.py, sink], cwd: '"
        + handlers + "'}\n" + (retry.isEmpty() ? QByteArray() : "    retry: " + retry + "\n")
        + "  - name: sink\n"
          "    description: ends it\n"
          "    payload_class: Text\n"
          "    handler: builtin:sink\n";
}

InjectRequest text(const QString &body)
{
    InjectRequest request;
    request.to = u"flaky"_s;
    request.fields.insert(u"body"_s, body);
    return request;
}

QString statusOf(Organism &organism, const QString &threadId)
{
    const std::optional<ThreadInfo> thread = organism.thread(threadId);
    return thread ? toString(thread->status) : QString();
}

qsizetype attemptsIn(const QString &counter)
{
    QFile file(counter);
    return file.open(QIODevice::ReadOnly) ? file.readAll().size() : 0;
}

QStringList errorTexts(const QSignalSpy &spy)
{
    QStringList texts;
    for (const QList<QVariant> &arguments : spy) {
        for (const ErrorEvent &event : arguments.first().value<QList<ErrorEvent>>())
            texts.append(event.error);
    }
    return texts;
}

} // namespace

class tst_DeliveryRetry : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void aFailedDeliveryRunsAgainUntilItWorks();
    void whenAttemptsRunOutTheThreadErrsAndARetryRunsItAgain();
    void anInvalidReplyIsRetriedToo();
    void aStopDuringTheBackOffResumesAtTheNextStart();
    void aKillDuringTheBackOffDropsTheDelivery();
    void aRetryPassesTheDoorOfAnInject();

private:
    QString counter() const { return m_dir->filePath(u"attempts"_s); }

    std::optional<QTemporaryDir> m_dir;
    std::unique_ptr<Organism> m_organism;
};

void tst_DeliveryRetry::initTestCase()
{
    qRegisterMetaType<QList<ErrorEvent>>();
}

void tst_DeliveryRetry::init()
{
    QVERIFY(m_dir.emplace().isValid());
}

void tst_DeliveryRetry::cleanup()
{
    m_organism.reset();
    m_dir.reset();
}

void tst_DeliveryRetry::aFailedDeliveryRunsAgainUntilItWorks()
{
    m_organism = startOrganismFromYaml(organismYaml("{attempts: 3, backoff: 50ms}"), m_dir->path());
    QVERIFY(m_organism);
    QSignalSpy errors(m_organism.get(), &Organism::errorsRaised);
    const InjectResult result = test::injectAndWait(*m_organism, text(u"flaky 2 "_s + counter()));
    QVERIFY(result.has_value());

    QTRY_COMPARE_WITH_TIMEOUT(statusOf(*m_organism, result->threadId), u"completed"_s, 30000);
    QCOMPARE(attemptsIn(counter()), 3);
    const QStringList texts = errorTexts(errors);
    QCOMPARE(texts.size(), 2);
    QVERIFY2(texts.at(0).endsWith(u"flaky: attempt 1 fails (attempt 1 of 3 failed; trying again in 0.05 s)"_s),
             qPrintable(texts.at(0)));
    QVERIFY2(texts.at(1).endsWith(u"(attempt 2 of 3 failed; trying again in 0.1 s)"_s), qPrintable(texts.at(1)));
    // The delivery went through once in the end: one answer reached the sink.
    MessageQuery query;
    query.threadId = result->threadId;
    const MessagePage messages = m_organism->messages(query);
    QCOMPARE(messages.total, 2);
    QCOMPARE(toString(m_organism->agent(u"flaky"_s)->state),
             toString(AgentState::Idle)); // a retried failure does not leave it in error
    QTRY_VERIFY(test::historyStoreOf(*m_organism)->undeliveredMessages().isEmpty());
}

void tst_DeliveryRetry::whenAttemptsRunOutTheThreadErrsAndARetryRunsItAgain()
{
    m_organism = startOrganismFromYaml(organismYaml("{attempts: 2, backoff: 20ms}"), m_dir->path());
    QVERIFY(m_organism);
    const InjectResult result = test::injectAndWait(*m_organism, text(u"flaky 5 "_s + counter()));
    QVERIFY(result.has_value());

    QTRY_COMPARE_WITH_TIMEOUT(statusOf(*m_organism, result->threadId), u"error"_s, 30000);
    QCOMPARE(attemptsIn(counter()), 2);
    QVERIFY2(m_organism->thread(result->threadId)->error.contains(u"flaky: attempt 2 fails"_s),
             qPrintable(m_organism->thread(result->threadId)->error));
    QTRY_COMPARE(test::historyStoreOf(*m_organism)->undeliveredMessages(result->threadId).size(),
                 1); // kept for a retry

    // Each retry of the thread gets the listener's attempts anew: 3 and 4 fail, then 5 fails and 6 works.
    RetryResult retried = retryThread(*m_organism, result->threadId);
    QVERIFY2(retried.has_value(), qPrintable(failureText(retried)));
    QCOMPARE(retried->deliveries, 1);
    QCOMPARE(statusOf(*m_organism, result->threadId), u"active"_s);
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(*m_organism, result->threadId), u"error"_s, 30000);
    QCOMPARE(attemptsIn(counter()), 4);
    retried = retryThread(*m_organism, result->threadId);
    QVERIFY2(retried.has_value(), qPrintable(failureText(retried)));
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(*m_organism, result->threadId), u"completed"_s, 30000);
    QCOMPARE(attemptsIn(counter()), 6);
    QTRY_VERIFY(test::historyStoreOf(*m_organism)->undeliveredMessages().isEmpty());

    // Only a thread in error can be retried.
    retried = retryThread(*m_organism, result->threadId);
    QCOMPARE(int(retried.error().kind), int(RetryError::NotInError));
    QCOMPARE(failureText(retried),
             u"thread %1 is completed: only a thread in error can be retried"_s.arg(result->threadId));
    QCOMPARE(int(retryThread(*m_organism, u"no-such-thread"_s).error().kind), int(RetryError::UnknownThread));
}

void tst_DeliveryRetry::anInvalidReplyIsRetriedToo()
{
    // The handler answers, but with something that cannot be delivered: that is its failure as well.
    m_organism = startOrganismFromYaml(organismYaml("{attempts: 2, backoff: 10ms}"), m_dir->path());
    QVERIFY(m_organism);
    QSignalSpy errors(m_organism.get(), &Organism::errorsRaised);
    const InjectResult result = test::injectAndWait(*m_organism, text(u"two-payloads"_s));
    QVERIFY(result.has_value());
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(*m_organism, result->threadId), u"error"_s, 30000);
    const QStringList texts = errorTexts(errors);
    QCOMPARE(texts.size(), 2);
    QVERIFY2(texts.first().endsWith(u"(attempt 1 of 2 failed; trying again in 0.01 s)"_s), qPrintable(texts.first()));
    QVERIFY(!texts.last().contains(u"trying again"_s));
}

void tst_DeliveryRetry::aStopDuringTheBackOffResumesAtTheNextStart()
{
    m_organism = startOrganismFromYaml(organismYaml("{attempts: 3, backoff: 1h}"), m_dir->path());
    QVERIFY(m_organism);
    const InjectResult result = test::injectAndWait(*m_organism, text(u"flaky 1 "_s + counter()));
    QVERIFY(result.has_value());
    QTRY_COMPARE_WITH_TIMEOUT(attemptsIn(counter()), 1, 30000);
    QTRY_COMPARE(m_organism->agent(u"flaky"_s)->queueDepth, 1); // waiting for its back-off
    QCOMPARE(statusOf(*m_organism, result->threadId), u"active"_s);

    // The stop does not wait an hour for the back-off: the delivery stays undelivered for the next start.
    QSignalSpy stopped(m_organism.get(), &Organism::stopped);
    m_organism->stop(std::chrono::seconds(30));
    QVERIFY(stopped.wait(30000));
    m_organism.reset();
    m_organism = startOrganismFromYaml({}, m_dir->path());
    QVERIFY(m_organism);
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(*m_organism, result->threadId), u"completed"_s, 30000);
    QCOMPARE(attemptsIn(counter()), 2);
}

void tst_DeliveryRetry::aKillDuringTheBackOffDropsTheDelivery()
{
    m_organism = startOrganismFromYaml(organismYaml("{attempts: 3, backoff: 1h}"), m_dir->path());
    QVERIFY(m_organism);
    const InjectResult result = test::injectAndWait(*m_organism, text(u"flaky 1 "_s + counter()));
    QVERIFY(result.has_value());
    QTRY_COMPARE_WITH_TIMEOUT(m_organism->agent(u"flaky"_s)->queueDepth, 1, 30000);
    QVERIFY(m_organism->killThread(result->threadId));
    QCOMPARE(m_organism->agent(u"flaky"_s)->queueDepth, 0);
    QCOMPARE(statusOf(*m_organism, result->threadId), u"killed"_s);
    QTRY_VERIFY(test::historyStoreOf(*m_organism)->undeliveredMessages().isEmpty());
}

void tst_DeliveryRetry::aRetryPassesTheDoorOfAnInject()
{
    // max_queue_depth 5: new work is admitted while fewer than 4 messages wait.
    m_organism = startOrganismFromYaml(organismYaml({}, "max_queue_depth: 5\n"), m_dir->path());
    QVERIFY(m_organism);
    const InjectResult failed = test::injectAndWait(*m_organism, text(u"fail on purpose"_s));
    QVERIFY(failed.has_value());
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(*m_organism, failed->threadId), u"error"_s, 30000);

    QVERIFY(m_organism->pauseAgent(u"flaky"_s));
    for (int i = 0; i < 4; ++i)
        QVERIFY(test::injectAndWait(*m_organism, text(u"waits"_s)).has_value());
    QCOMPARE(int(test::injectAndWait(*m_organism, text(u"refused"_s)).error().kind), int(InjectError::QueueFull));
    RetryResult retried = retryThread(*m_organism, failed->threadId);
    QCOMPARE(int(retried.error().kind), int(RetryError::QueueFull));
    QVERIFY2(failureText(retried).contains(u"max_queue_depth"_s), qPrintable(failureText(retried)));
    QVERIFY(retried.error().retryAfterSeconds >= 1);
    QCOMPARE(statusOf(*m_organism, failed->threadId), u"error"_s); // nothing changed

    QVERIFY(m_organism->resumeAgent(u"flaky"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_organism->agent(u"flaky"_s)->queueDepth, 0, 30000);
    retried = retryThread(*m_organism, failed->threadId);
    QVERIFY2(retried.has_value(), qPrintable(failureText(retried)));
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(*m_organism, failed->threadId), u"error"_s, 30000); // it fails again, by design

    QSignalSpy stopped(m_organism.get(), &Organism::stopped);
    m_organism->stop(std::chrono::seconds(30));
    QVERIFY(stopped.wait(30000));
    QCOMPARE(int(retryThread(*m_organism, failed->threadId).error().kind), int(RetryError::NotRunning));
}

QTEST_GUILESS_MAIN(tst_DeliveryRetry)
#include "tst_deliveryretry.moc"
