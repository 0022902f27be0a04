#include "helloworldyaml.h"
#include "config/configloader.h"
#include "organismfixture.h"
#include "historywritelock.h"
#include "organism.h"
#include "store/historystore.h"
#include "injectandwait.h"
#include "organismhistory.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <numeric>
#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::startOrganismFromYaml;

namespace {

const QByteArray kOrganism = test::HelloWorldYaml("ack-organism")
                                 .settings("max_queue_depth: 1000\n")
                                 .payloads("  Answer: {expression: string, result: decimal}\n")
                                 .listeners(R"(  - name: answers
    description: Collects answers
    payload_class: Answer
    handler: builtin:sink
)")
                                 .sink("sink")
                                 .text();

InjectRequest request(const QString &to, const QVariantMap &fields, const QString &threadId = {})
{
    InjectRequest out;
    out.to = to;
    out.fields = fields;
    out.threadId = threadId;
    return out;
}

InjectRequest toSink(int n)
{
    return request(u"sink"_s, {{u"message"_s, u"m%1"_s.arg(n)}});
}

// What one acknowledgement saw at the moment it was answered.
struct Answer
{
    InjectResult result;
    bool storedWhenAnswered = false;   // readable from the store, without a sync
    bool recordedWhenAnswered = false; // messagesRecorded() already emitted for it
};

} // namespace

// Organism::injectAcknowledged: inject() without blocking the engine thread for the commit.
class tst_InjectAcknowledgement : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void acceptedInjectIsAnsweredOnceCommitted();
    void givenThreadIsContinued();
    void refusalsAreAnsweredAtOnceLikeInject_data();
    void refusalsAreAnsweredAtOnceLikeInject();
    void refusedWhenTheQueueIsFull();
    void refusedWhenNotRunning();
    void burstIsAnsweredInOrder();
    void destroyedContextIsNeverCalled();
    void refusedAtOnceWithoutHistory();
    void stopAnswersPendingBeforeStopped();
    void destroyingTheOrganismDropsPending();
    void neverAnsweredBeforeItsCommit();
    void answeredWhenItsCommitIsNotifiedBeforeItIsAnnounced();

private:
    std::unique_ptr<Organism> makeOrganism(const QByteArray &yaml, const QString &directory);
    // Injects with injectAcknowledged; the answer lands in *answer (with what was true at that moment).
    void injectInto(const InjectRequest &request, std::optional<Answer> *answer);
    bool isStored(const QString &messageId) const;

    std::optional<QTemporaryDir> m_dir;
    std::unique_ptr<Organism> m_organism;
    std::unique_ptr<QSignalSpy> m_recorded;
    QObject m_context;
};

std::unique_ptr<Organism> tst_InjectAcknowledgement::makeOrganism(const QByteArray &yaml, const QString &directory)
{
    return startOrganismFromYaml(yaml, directory);
}

void tst_InjectAcknowledgement::init()
{
    QVERIFY(m_dir.emplace().isValid());
    m_organism = makeOrganism(kOrganism, m_dir->path());
    QVERIFY(m_organism);
    m_recorded = std::make_unique<QSignalSpy>(m_organism.get(), &Organism::messagesRecorded);
}

void tst_InjectAcknowledgement::cleanup()
{
    m_recorded.reset();
    m_organism.reset();
    m_dir.reset();
}

bool tst_InjectAcknowledgement::isStored(const QString &messageId) const
{
    // HistoryStore reads see committed data only: no sync, so this tells whether it is committed.
    return !messageId.isEmpty() && test::historyStoreOf(*m_organism)->message(messageId).has_value();
}

void tst_InjectAcknowledgement::injectInto(const InjectRequest &request, std::optional<Answer> *answer)
{
    m_organism->injectAcknowledged(request, &m_context, [this, answer](const InjectResult &result) {
        Answer seen;
        seen.result = result;
        seen.storedWhenAnswered = isStored(test::idsOf(result).messageId);
        for (const QList<QVariant> &signal : std::as_const(*m_recorded)) {
            const auto batch = signal.first().value<QList<MessageRecord>>();
            seen.recordedWhenAnswered = seen.recordedWhenAnswered
                || std::any_of(batch.cbegin(), batch.cend(),
                               [&](const MessageRecord &m) { return m.id == test::idsOf(result).messageId; });
        }
        answer->emplace(seen);
    });
}

void tst_InjectAcknowledgement::acceptedInjectIsAnsweredOnceCommitted()
{
    QSignalSpy created(m_organism.get(), &Organism::threadsCreated);
    std::optional<Answer> answer;
    injectInto(request(u"greeter"_s, {{u"name"_s, u"Dan"_s}}), &answer);
    QVERIFY2(!answer, "an accepted inject is answered later, from the event loop");
    QTRY_VERIFY(answer);
    const InjectResult &result = answer->result;
    QVERIFY2(result.has_value(), qPrintable(failureText(result)));
    QVERIFY(!result->threadId.isEmpty());
    QVERIFY(!result->messageId.isEmpty());
    QVERIFY(answer->storedWhenAnswered);
    QVERIFY(answer->recordedWhenAnswered);

    const MessageRecord stored = *test::historyStoreOf(*m_organism)->message(result->messageId);
    QCOMPARE(stored.threadId, result->threadId);
    QCOMPARE(stored.from, u"api"_s);
    QCOMPARE(stored.to, u"greeter"_s);
    QCOMPARE(stored.xml, QByteArray("<Greeting><Name>Dan</Name></Greeting>"));
    // A new thread, as inject() makes, and the conversation runs on.
    QCOMPARE(created.size(), 1);
    QCOMPARE(created.first().first().value<QList<ThreadInfo>>().first().id, result->threadId);
    QTRY_COMPARE(m_organism->info().totalMessages, 3);
}

void tst_InjectAcknowledgement::givenThreadIsContinued()
{
    std::optional<Answer> first;
    injectInto(request(u"greeter"_s, {{u"name"_s, u"A"_s}}, u"mine"_s), &first);
    QTRY_VERIFY(first);
    QCOMPARE(test::idsOf(first->result).threadId, u"mine"_s);
    QTRY_COMPARE(m_organism->info().activeThreads, 0);
    std::optional<Answer> second;
    injectInto(request(u"greeter"_s, {{u"name"_s, u"B"_s}}, u"mine"_s), &second);
    QTRY_VERIFY(second);
    QCOMPARE(test::idsOf(second->result).threadId, u"mine"_s);
    QTRY_COMPARE(m_organism->info().activeThreads, 0);
    QCOMPARE(m_organism->thread(u"mine"_s)->messageCount, 6);
}

void tst_InjectAcknowledgement::refusalsAreAnsweredAtOnceLikeInject_data()
{
    QTest::addColumn<InjectRequest>("request");
    QTest::addColumn<InjectError>("error");
    QTest::addColumn<QString>("messageContains");

    QTest::newRow("unknown target") << request(u"nobody"_s, {{u"name"_s, u"x"_s}}) << InjectError::UnknownTarget
                                    << u"Unknown target agent: nobody"_s;
    QTest::newRow("missing field") << request(u"greeter"_s, {}) << InjectError::InvalidPayload << u"name"_s;
    QTest::newRow("wrong type") << request(u"answers"_s, {{u"expression"_s, u"1+1"_s}, {u"result"_s, u"two"_s}})
                                << InjectError::InvalidPayload << u"result"_s;
    InjectRequest wrongRoot = request(u"greeter"_s, {});
    wrongRoot.xml = "<ShoutedResponse><Message>HI</Message></ShoutedResponse>";
    QTest::newRow("xml of another type") << wrongRoot << InjectError::InvalidPayload << QString();
}

void tst_InjectAcknowledgement::refusalsAreAnsweredAtOnceLikeInject()
{
    QFETCH(InjectRequest, request);
    QFETCH(InjectError, error);
    QFETCH(QString, messageContains);

    std::optional<Answer> answer;
    injectInto(request, &answer);
    QVERIFY2(answer, "a refusal is answered before injectAcknowledged returns");
    const InjectResult &refused = answer->result;
    QCOMPARE(refused.error().kind, error);
    QVERIFY2(failureText(refused).contains(messageContains), qPrintable(failureText(refused)));
    const InjectResult sync = test::injectAndWait(*m_organism, request);
    QCOMPARE(refused.error().kind, sync.error().kind);
    QCOMPARE(failureText(refused), failureText(sync));
    QCOMPARE(refused.error().fieldPath, sync.error().fieldPath);
    QVERIFY(!refused.has_value()); // a refusal carries no thread or message id
    QCOMPARE(m_organism->info().totalMessages, 0);
}

void tst_InjectAcknowledgement::refusedWhenTheQueueIsFull()
{
    QByteArray yaml = kOrganism;
    yaml.replace("max_queue_depth: 1000", "max_queue_depth: 1");
    const QString directory = m_dir->path() + u"/small"_s;
    QVERIFY(QDir().mkpath(directory));
    auto small = makeOrganism(yaml, directory);
    QVERIFY(small);
    small->pauseAgent(u"sink"_s);
    QVERIFY(test::injectAndWait(*small, toSink(1)).has_value());
    std::optional<InjectResult> refused;
    small->injectAcknowledged(toSink(2), &m_context, [&](const InjectResult &result) { refused = result; });
    QVERIFY(refused);
    QCOMPARE(refused->error().kind, InjectError::QueueFull);
    QCOMPARE(failureText(*refused), failureText(test::injectAndWait(*small, toSink(3))));
}

void tst_InjectAcknowledgement::refusedWhenNotRunning()
{
    QSignalSpy stopped(m_organism.get(), &Organism::stopped);
    m_organism->stop(std::chrono::seconds(5));
    std::optional<Answer> whileStopping;
    injectInto(toSink(1), &whileStopping);
    QVERIFY(whileStopping);
    QCOMPARE(whileStopping->result.error().kind, InjectError::NotRunning);
    QCOMPARE(failureText(whileStopping->result), failureText(test::injectAndWait(*m_organism, toSink(2))));
    QTRY_COMPARE(stopped.size(), 1);
    std::optional<Answer> afterwards;
    injectInto(toSink(3), &afterwards);
    QVERIFY(afterwards);
    QCOMPARE(afterwards->result.error().kind, InjectError::NotRunning);
}

void tst_InjectAcknowledgement::burstIsAnsweredInOrder()
{
    constexpr int count = 300;
    QList<int> order;
    QStringList answeredIds;
    int unstored = 0;
    std::optional<InjectResult> refusal;
    for (int i = 0; i < count; ++i) {
        if (i == count / 2) { // a refusal in between is answered at once and takes no place in the order
            m_organism->injectAcknowledged(request(u"nobody"_s, {}), &m_context,
                                           [&](const InjectResult &result) { refusal = result; });
            QVERIFY(refusal);
        }
        m_organism->injectAcknowledged(toSink(i), &m_context, [&, i](const InjectResult &result) {
            order.append(i);
            answeredIds.append(test::idsOf(result).messageId);
            unstored += isStored(test::idsOf(result).messageId) ? 0 : 1;
        });
        if (i % 100 == 0)
            QCoreApplication::processEvents(); // let some commits land in the middle of the burst
    }
    QTRY_COMPARE(order.size(), count);
    QList<int> expected(count);
    std::iota(expected.begin(), expected.end(), 0);
    QCOMPARE(order, expected);
    QCOMPARE(unstored, 0);
    QCOMPARE(refusal->error().kind, InjectError::UnknownTarget);

    MessageQuery query;
    query.agent = u"sink"_s;
    query.newestFirst = false;
    query.limit = count;
    QStringList storedIds;
    for (const MessageRecord &message : m_organism->messages(query).items)
        storedIds.append(message.id);
    QCOMPARE(answeredIds, storedIds);
}

void tst_InjectAcknowledgement::destroyedContextIsNeverCalled()
{
    auto gone = std::make_unique<QObject>();
    bool goneCalled = false;
    m_organism->injectAcknowledged(toSink(1), gone.get(), [&](const InjectResult &) { goneCalled = true; });
    gone.reset();
    std::optional<Answer> later;
    injectInto(toSink(2), &later);
    // Answers come in order: once the later one is answered, the first one's turn has passed.
    QTRY_VERIFY(later);
    QVERIFY(later->result.has_value());
    QVERIFY(!goneCalled);
    // Its message was still accepted and stored.
    QCOMPARE(m_organism->info().totalMessages, 2);
}

void tst_InjectAcknowledgement::refusedAtOnceWithoutHistory()
{
    test::historyStoreOf(*m_organism)->close(); // the history is off from here on: nothing could be acknowledged
    std::optional<Answer> answer;
    injectInto(toSink(1), &answer);
    QVERIFY2(answer, "refused before injectAcknowledged returns");
    QCOMPARE(answer->result.error().kind, InjectError::HistoryUnavailable);
    QVERIFY2(failureText(answer->result).contains(u"the history is not open"_s),
             qPrintable(failureText(answer->result)));
    // Without a context, nothing guards the call: it is made.
    std::optional<InjectResult> unguarded;
    m_organism->injectAcknowledged(toSink(2), nullptr, [&](const InjectResult &result) { unguarded = result; });
    QVERIFY(unguarded && unguarded->error().kind == InjectError::HistoryUnavailable);
    QCOMPARE(m_organism->info().totalMessages, 0);
}

void tst_InjectAcknowledgement::stopAnswersPendingBeforeStopped()
{
    // No commit report may still be in flight from before: only the ones after the lock counts.
    QVERIFY(test::historyStoreOf(*m_organism)->sync());
    QCoreApplication::processEvents();
    const test::HistoryWriteLock lock(test::historyStoreOf(*m_organism)->databasePath());
    QVERIFY(lock.take());
    std::optional<Answer> answer;
    injectInto(toSink(1), &answer);
    QVERIFY2(!answer, "not committed yet");

    bool answeredBeforeStopped = false;
    connect(m_organism.get(), &Organism::stopped, this, [&] { answeredBeforeStopped = answer.has_value(); });
    QSignalSpy stopped(m_organism.get(), &Organism::stopped);
    m_organism->stop(std::chrono::seconds(5));
    QVERIFY(lock.release()); // the commit now comes, but the store's report of it after the stop's work
    QTRY_COMPARE(stopped.size(), 1);
    QVERIFY(answeredBeforeStopped);
    QVERIFY(answer->result.has_value());
    QVERIFY(answer->storedWhenAnswered); // the stop's final flush wrote it first
}

void tst_InjectAcknowledgement::destroyingTheOrganismDropsPending()
{
    bool called = false;
    m_organism->injectAcknowledged(toSink(1), &m_context, [&](const InjectResult &) { called = true; });
    QVERIFY(!called);
    m_recorded.reset();
    m_organism.reset();
    QTest::qWait(50); // anything left queued by the store runs now
    QVERIFY(!called);
}

void tst_InjectAcknowledgement::neverAnsweredBeforeItsCommit()
{
    QSignalSpy health(m_organism.get(), &Organism::historyHealthChanged);
    const test::HistoryWriteLock lock(test::historyStoreOf(*m_organism)->databasePath());
    QVERIFY(lock.take());
    std::optional<Answer> answer;
    injectInto(toSink(1), &answer);
    // The writer gives up waiting for the lock (SQLite's busy time-out) and reports why it cannot
    // commit; the inject is still not answered: it never is before its commit.
    QTRY_VERIFY_WITH_TIMEOUT(!health.isEmpty(), 60000);
    // SQLite: "database is locked"; PostgreSQL: "canceling statement due to lock timeout".
    QVERIFY2(m_organism->info().historyProblem.contains(u"lock"_s), qPrintable(m_organism->info().historyProblem));
    QVERIFY(!answer);
    // Meanwhile new injects are refused at once, saying why.
    std::optional<Answer> refused;
    injectInto(toSink(2), &refused);
    QVERIFY(refused);
    QCOMPARE(refused->result.error().kind, InjectError::HistoryUnavailable);
    QVERIFY2(failureText(refused->result).contains(u"lock"_s), qPrintable(failureText(refused->result)));

    QVERIFY(lock.release());
    QTRY_VERIFY_WITH_TIMEOUT(answer, 60000); // the writer's retry commits it
    QVERIFY(answer->result.has_value());
    QVERIFY(answer->storedWhenAnswered);
    QTRY_VERIFY(m_organism->info().historyProblem.isEmpty());
    std::optional<Answer> later;
    injectInto(toSink(3), &later);
    QTRY_VERIFY(later);
    QVERIFY(later->result.has_value());
}

// The store posts one commit notification at a time: one already queued for an earlier commit also
// stands for an inject committed before it is delivered. Delivered before the inject's change batch is
// announced, it cannot answer the inject yet; the announcement must then answer it, since no later
// notification may ever come (the fresh-machine run waited 10 s for one).
void tst_InjectAcknowledgement::answeredWhenItsCommitIsNotifiedBeforeItIsAnnounced()
{
    HistoryStore *store = test::historyStoreOf(*m_organism);
    QVERIFY(m_organism->pauseAgent(u"sink"_s)); // its message stays queued: no delivery writes and notifies
    QVERIFY(store->sync());
    QCoreApplication::sendPostedEvents();
    store->saveAgent(u"sink"_s, 0, QDateTime::currentDateTimeUtc()); // a commit with nothing to announce
    QVERIFY(store->sync()); // its notification is queued, not delivered
    std::optional<Answer> answer;
    injectInto(toSink(1), &answer); // its announcement is queued behind that notification
    QVERIFY(store->sync());         // committed, covered by the notification already queued
    QCoreApplication::sendPostedEvents(); // the notification, then the announcement
    QCoreApplication::sendPostedEvents();
    QVERIFY2(answer, "committed and announced, yet not answered");
    QVERIFY(answer->result.has_value());
    QVERIFY(answer->storedWhenAnswered);
    QVERIFY(answer->recordedWhenAnswered);
}

QTEST_GUILESS_MAIN(tst_InjectAcknowledgement)
#include "tst_injectacknowledgement.moc"
