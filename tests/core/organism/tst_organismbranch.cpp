// Replay and fork (issue 12): a new thread from one message of another, admitted like an inject; a
// fork starts with the source thread's history up to the message, recorded as handled, so a restart
// resumes only what is new. And the timeline those threads and their handlers leave in the history.

#include "helloworldyaml.h"
#include "organismfixture.h"
#include "organism.h"
#include "injectandwait.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::countThreads;
using agentdesk::test::HelloWorldYaml;
using agentdesk::test::startOrganismFromYaml;

namespace {

InjectRequest greeting(const QString &name)
{
    InjectRequest request;
    request.to = u"greeter"_s;
    request.fields.insert(u"name"_s, name);
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

// branchAcknowledged, waited for.
InjectResult branch(Organism &organism, const BranchRequest &request)
{
    std::optional<InjectResult> answer;
    organism.branchAcknowledged(request, &organism, [&answer](const InjectResult &result) { answer = result; });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 10000)) {
        return injectRefused(InjectError::HistoryUnavailable, u"no answer"_s);
    }
    return *answer;
}

bool completes(Organism &organism, const QString &threadId)
{
    return QTest::qWaitFor(
        [&] {
            const auto thread = organism.thread(threadId);
            return thread && thread->status == ThreadStatus::Completed;
        },
        10000);
}

} // namespace

class tst_OrganismBranch : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        QVERIFY(m_dir.emplace().isValid());
        m_organism = startOrganismFromYaml(HelloWorldYaml("branch").sink("sink").text(), m_dir->path());
        QVERIFY(m_organism);
        const InjectResult first = test::injectAndWait(*m_organism, greeting(u"Ada"_s));
        QVERIFY(first.has_value());
        QVERIFY(completes(*m_organism, first->threadId));
        m_source = threadMessages(*m_organism, first->threadId);
        QCOMPARE(m_source.size(), 3); // api → greeter → shouter → sink
    }
    void cleanup()
    {
        m_organism.reset();
        m_dir.reset();
    }

    void forkStartsWithTheHistoryUpToTheMessage()
    {
        const MessageRecord &hop = m_source.at(1); // greeter → shouter
        BranchRequest request;
        request.kind = ThreadOriginKind::Fork;
        request.threadId = hop.threadId;
        request.messageId = hop.id;
        request.fields = {{u"message"_s, u"Hi there"_s}, {u"original_sender"_s, u"Ada"_s}};
        const InjectResult result = branch(*m_organism, request);
        QVERIFY2(result.has_value(), qPrintable(failureText(result)));
        QVERIFY(result->threadId != hop.threadId);
        QVERIFY(completes(*m_organism, result->threadId));

        const QList<MessageRecord> forked = threadMessages(*m_organism, result->threadId);
        QCOMPARE(forked.size(), 3);
        // The copy of the history: the same sender, payload, depth and time; a new id in the new thread.
        QCOMPARE(forked.at(0).from, m_source.at(0).from);
        QCOMPARE(forked.at(0).xml, m_source.at(0).xml);
        QCOMPARE(forked.at(0).timestamp, m_source.at(0).timestamp);
        QVERIFY(forked.at(0).id != m_source.at(0).id);
        // The forked message: the same hop, edited; the shouter handled it.
        QCOMPARE(forked.at(1).id, result->messageId);
        QCOMPARE(forked.at(1).from, u"greeter"_s);
        QCOMPARE(forked.at(1).to, u"shouter"_s);
        QCOMPARE(forked.at(1).depth, hop.depth);
        QCOMPARE(forked.at(1).fields.value(u"message"_s).toString(), u"Hi there"_s);
        QCOMPARE(forked.at(2).fields.value(u"message"_s).toString(), u"HI THERE"_s);

        const std::optional<ThreadTrace> trace = m_organism->trace(result->threadId, 100);
        QVERIFY(trace && trace->origin);
        QCOMPARE(toString(trace->origin->kind), u"fork"_s);
        QCOMPARE(trace->origin->threadId, hop.threadId);
        QCOMPARE(trace->origin->messageId, hop.id);
        QVERIFY(trace->hops.at(0).copied && !trace->hops.at(0).run); // never run in this thread
        QVERIFY(!trace->hops.at(1).copied && trace->hops.at(1).run && !trace->hops.at(1).run->failed());
        QVERIFY(trace->hops.at(2).run);
        // The copy is not a message the greeter sent again.
        QCOMPARE(m_organism->agent(u"greeter"_s)->messageCount, 1);
        QVERIFY(m_organism->thread(result->threadId)->createdAt >= m_source.at(2).timestamp);
    }

    void replayResendsThePayloadInANewThread()
    {
        BranchRequest request;
        request.threadId = m_source.at(0).threadId;
        request.messageId = m_source.at(0).id;
        request.from = u"operator"_s;
        const InjectResult result = branch(*m_organism, request);
        QVERIFY2(result.has_value(), qPrintable(failureText(result)));
        QVERIFY(completes(*m_organism, result->threadId));
        const QList<MessageRecord> replayed = threadMessages(*m_organism, result->threadId);
        QCOMPARE(replayed.size(), 3);
        QCOMPARE(replayed.at(0).from, u"operator"_s);
        QCOMPARE(replayed.at(0).xml, m_source.at(0).xml);
        QCOMPARE(replayed.at(2).fields.value(u"message"_s).toString(),
                 m_source.at(2).fields.value(u"message"_s).toString());
        const std::optional<ThreadTrace> trace = m_organism->trace(result->threadId, 100);
        QCOMPARE(toString(trace->origin->kind), u"replay"_s);
        QVERIFY(!trace->hops.first().copied);
    }

    void badRequestsSayWhy()
    {
        BranchRequest unknownThread;
        unknownThread.threadId = u"no-such-thread"_s;
        unknownThread.messageId = m_source.at(0).id;
        InjectResult result = branch(*m_organism, unknownThread);
        QCOMPARE(result.error().kind, InjectError::UnknownMessage);
        QCOMPARE(failureText(result), u"Thread not found: no-such-thread"_s);

        BranchRequest elsewhere;
        elsewhere.threadId = m_source.at(0).threadId;
        elsewhere.messageId = u"0190a000-0000-7000-8000-000000000000"_s;
        result = branch(*m_organism, elsewhere);
        QCOMPARE(result.error().kind, InjectError::UnknownMessage);
        QVERIFY(failureText(result).startsWith(u"Message 0190a000-0000-7000-8000-000000000000 not found in thread"_s));

        BranchRequest invalid;
        invalid.kind = ThreadOriginKind::Fork;
        invalid.threadId = m_source.at(1).threadId;
        invalid.messageId = m_source.at(1).id;
        invalid.fields = {{u"message"_s, u"only one of two required fields"_s}};
        result = branch(*m_organism, invalid);
        QCOMPARE(result.error().kind, InjectError::InvalidPayload);
        QTRY_COMPARE(countThreads(*m_organism, ThreadStatus::Completed), 1); // nothing was started
        QCOMPARE(countThreads(*m_organism, ThreadStatus::Active), 0);
    }

    void aForkIsRefusedAtTheDoorLikeAnInject()
    {
        // A fresh organism whose queue admits 4: the greeter paused, four greetings wait.
        m_organism.reset();
        QVERIFY(m_dir.emplace().isValid());
        m_organism = startOrganismFromYaml(HelloWorldYaml("door").settings("max_queue_depth: 5\n").sink("sink").text(),
                                           m_dir->path());
        QVERIFY(m_organism);
        const InjectResult first = test::injectAndWait(*m_organism, greeting(u"Ada"_s));
        QVERIFY(completes(*m_organism, first->threadId));
        const MessageRecord source = threadMessages(*m_organism, first->threadId).at(0);
        m_organism->pauseAgent(u"greeter"_s);
        for (int i = 0; i < 4; ++i)
            QVERIFY(test::injectAndWait(*m_organism, greeting(u"G%1"_s.arg(i))).has_value());
        QCOMPARE(test::injectAndWait(*m_organism, greeting(u"one too many"_s)).error().kind, InjectError::QueueFull);
        BranchRequest request;
        request.kind = ThreadOriginKind::Fork;
        request.threadId = source.threadId;
        request.messageId = source.id;
        const InjectResult refused = branch(*m_organism, request);
        QCOMPARE(refused.error().kind, InjectError::QueueFull);
        QVERIFY(refused.error().retryAfterSeconds >= 1);
        QCOMPARE(m_organism->info().saturation.injectsRefused, 2);
    }

    void aRestartResumesTheForkedMessageAlone()
    {
        const MessageRecord &hop = m_source.at(1);
        m_organism->pauseAgent(u"shouter"_s);
        BranchRequest request;
        request.kind = ThreadOriginKind::Fork;
        request.threadId = hop.threadId;
        request.messageId = hop.id;
        const InjectResult result = branch(*m_organism, request);
        QVERIFY(result.has_value());
        QSignalSpy stopped(m_organism.get(), &Organism::stopped);
        m_organism->stop(std::chrono::milliseconds(0));
        QTRY_COMPARE(stopped.size(), 1);
        m_organism.reset();

        m_organism = startOrganismFromYaml({}, m_dir->path()); // a new process: nothing paused
        QVERIFY(m_organism);
        QVERIFY(completes(*m_organism, result->threadId));
        const QList<MessageRecord> forked = threadMessages(*m_organism, result->threadId);
        QCOMPARE(forked.size(), 3); // the copy was not handled again (it would have sent another hop)
        QCOMPARE(forked.at(2).fields.value(u"message"_s).toString(),
                 m_source.at(2).fields.value(u"message"_s).toString());
        const std::optional<ThreadTrace> trace = m_organism->trace(result->threadId, 100);
        QVERIFY(trace->origin);
        QVERIFY(trace->hops.at(1).run);
    }

    void handlerRunsAndLoadFigures()
    {
        const std::optional<ThreadTrace> trace = m_organism->trace(m_source.at(0).threadId, 100);
        QVERIFY(trace);
        QCOMPARE(trace->hops.size(), 3);
        for (const TraceHop &hop : trace->hops) {
            QVERIFY(hop.run);
            QVERIFY(hop.run->started >= hop.message.timestamp);
            QVERIFY(hop.run->ended >= hop.run->started);
        }
        const Saturation load = m_organism->info().saturation;
        QCOMPARE(load.handledLastMinute, 3);
        QVERIFY(load.handlerP50Ms && load.handlerP95Ms);
        QVERIFY(load.messagesPerSecond > 0);
        QCOMPARE(load.threadErrorsLastMinute, 0);
    }

private:
    std::optional<QTemporaryDir> m_dir;
    std::unique_ptr<Organism> m_organism;
    QList<MessageRecord> m_source;
};

QTEST_GUILESS_MAIN(tst_OrganismBranch)
#include "tst_organismbranch.moc"
