// RemoteEventStream: the server's WebSocket frames (and a polling round's reads) become the Session's
// batches — one per event-loop turn, in the organism's order — with the caches following (a message
// counts for its sender and the organism), new threads of a server without thread_created announced
// before their first message, and what is no batch (pong, reload, streamed text) passed on at once.

#include "fakesession.h"
#include "remoteeventstream.h"
#include "remotehttp.h"

#include "messageparser.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::FakeSession;

namespace {

QJsonObject messageFrame(qint64 seq, const QString &threadId, const QString &from, const QString &to)
{
    return {{u"event"_s, u"message"_s},
            {u"message"_s,
             QJsonObject{{u"id"_s, u"m%1"_s.arg(seq)},
                         {u"threadId"_s, threadId},
                         {u"from"_s, from},
                         {u"to"_s, to},
                         {u"payloadType"_s, u"Greeting"_s},
                         {u"payload"_s, QJsonObject{{u"name"_s, u"Ada"_s}}},
                         {u"timestamp"_s, u"2026-01-02T03:04:05.000Z"_s},
                         {u"slotIndex"_s, seq}}}};
}

MessageRecord message(qint64 seq, const QString &threadId)
{
    MessageRecord record;
    record.id = u"m%1"_s.arg(seq);
    record.seq = seq;
    record.threadId = threadId;
    record.from = u"greeter"_s;
    record.to = u"shouter"_s;
    return record;
}

ThreadInfo threadInfo(const QString &id, ThreadStatus status)
{
    ThreadInfo info;
    info.id = id;
    info.status = status;
    return info;
}

QList<qint64> seqs(const QList<MessageRecord> &messages)
{
    QList<qint64> result;
    for (const MessageRecord &record : messages)
        result.append(record.seq);
    return result;
}

} // namespace

class TestRemoteEventStream : public QObject
{
    Q_OBJECT

private:
    void start(bool announcesThreads, const QList<ThreadInfo> &knownThreads = {})
    {
        session = std::make_unique<FakeSession>();
        AgentInfo greeter;
        greeter.name = u"greeter"_s;
        greeter.messageCount = 4;
        AgentInfo shouter;
        shouter.name = u"shouter"_s;
        session->snapshot.agents = {greeter, shouter};
        session->snapshot.organism.totalMessages = 10;
        session->snapshot.organism.activeThreads = 1;
        session->open();
        http = std::make_unique<RemoteHttp>(QUrl(u"http://127.0.0.1:9"_s), QByteArray());
        stream = std::make_unique<RemoteEventStream>(*session, http.get(), &layout);
        stream->restart(10, announcesThreads, knownThreads);
    }

    std::unique_ptr<FakeSession> session;
    std::unique_ptr<RemoteHttp> http;
    wire::PayloadLayout layout;
    std::unique_ptr<RemoteEventStream> stream;

private slots:
    void framesOfOneTurnBecomeOneBatchInTheOrganismsOrder()
    {
        start(true);
        QSignalSpy flushes(stream.get(), &RemoteEventStream::flushDue);
        stream->onFrame({{u"event"_s, u"thread_updated"_s}, {u"threadId"_s, u"t0"_s}, {u"status"_s, u"completed"_s}});
        stream->onFrame({{u"event"_s, u"agent_state"_s},
                         {u"agent"_s, u"shouter"_s},
                         {u"state"_s, u"processing"_s},
                         {u"currentThread"_s, u"t1"_s}});
        stream->onFrame(messageFrame(11, u"t1"_s, u"greeter"_s, u"shouter"_s));
        stream->onFrame({{u"event"_s, u"thread_created"_s},
                         {u"thread"_s, QJsonObject{{u"id"_s, u"t1"_s}, {u"status"_s, u"active"_s}}}});
        stream->onFrame(messageFrame(12, u"t1"_s, u"greeter"_s, u"shouter"_s));
        QVERIFY(flushes.wait());
        QCOMPARE(flushes.size(), 1);

        const RemoteEventStream::Batch batch = stream->take();
        QCOMPARE(batch.created.size(), 1);
        QCOMPARE(batch.created.first().id, u"t1"_s);
        QCOMPARE(seqs(batch.messages), (QList<qint64>{11, 12}));
        QCOMPARE(batch.updated.size(), 1);
        QVERIFY(batch.updated.first().status == ThreadStatus::Completed);
        // The caches follow: the sender counted twice, the receiver's new state, the organism's totals.
        QCOMPARE(batch.agents.size(), 2);
        QCOMPARE(batch.agents.at(0).name, u"shouter"_s);
        QVERIFY(batch.agents.at(0).state == AgentState::Processing);
        QCOMPARE(batch.agents.at(1).name, u"greeter"_s);
        QCOMPARE(batch.agents.at(1).messageCount, 6);
        QVERIFY(batch.organism);
        QCOMPARE(batch.organism->totalMessages, 12);
        QCOMPARE(batch.organism->activeThreads, 2);
        QCOMPARE(stream->lastSeq(), 12);
        QVERIFY(stream->take().messages.isEmpty()); // taken once
    }

    void aServerWithoutThreadCreatedHasItsNewThreadsAnnounced()
    {
        start(false, {threadInfo(u"old"_s, ThreadStatus::Active)});
        stream->onFrame(messageFrame(11, u"old"_s, u"greeter"_s, u"shouter"_s));
        stream->onFrame(messageFrame(12, u"new"_s, u"greeter"_s, u"shouter"_s));
        stream->onFrame(messageFrame(13, u"new"_s, u"shouter"_s, u"greeter"_s));
        const RemoteEventStream::Batch batch = stream->take();
        QCOMPARE(batch.created.size(), 1);
        QCOMPARE(batch.created.first().id, u"new"_s);
        QCOMPARE(batch.created.first().participants, (QStringList{u"greeter"_s, u"shouter"_s}));
        QCOMPARE(batch.organism->activeThreads, 2);
    }

    void polledMessagesAlreadyShownAreSkipped()
    {
        start(true);
        session->setUpdateMode(UpdateMode::Polling);
        for (qint64 seq : {9, 10, 11, 12})
            stream->addMessage(message(seq, u"t1"_s));
        stream->addMessage(message(11, u"t1"_s)); // read again by an overlapping round
        QCOMPARE(seqs(stream->take().messages), (QList<qint64>{11, 12}));
    }

    void polledThreadsReportOnlyStatusChanges()
    {
        start(true);
        stream->addPolledThreads({threadInfo(u"a"_s, ThreadStatus::Active), threadInfo(u"b"_s, ThreadStatus::Active)});
        QVERIFY(stream->take().updated.isEmpty()); // first sighting: only recorded
        stream->addPolledThreads(
            {threadInfo(u"a"_s, ThreadStatus::Completed), threadInfo(u"b"_s, ThreadStatus::Active)});
        const RemoteEventStream::Batch batch = stream->take();
        QCOMPARE(batch.updated.size(), 1);
        QCOMPARE(batch.updated.first().id, u"a"_s);
        QCOMPARE(batch.organism->activeThreads, 0); // one fewer than the cache's 1
    }

    void skippingDropsWhatWasPending()
    {
        start(true);
        stream->onFrame(messageFrame(11, u"t1"_s, u"greeter"_s, u"shouter"_s));
        stream->skipTo(9000);
        QCOMPARE(stream->lastSeq(), 9000);
        QVERIFY(stream->take().messages.isEmpty());
    }

    void framesThatAreNoBatchGoOutAtOnce()
    {
        start(true);
        QSignalSpy pongs(stream.get(), &RemoteEventStream::pong);
        QSignalSpy reloads(stream.get(), &RemoteEventStream::reloadAnnounced);
        QSignalSpy partials(stream.get(), &RemoteEventStream::partials);
        QSignalSpy budgets(stream.get(), &RemoteEventStream::budgetsChanged);
        QSignalSpy flushes(stream.get(), &RemoteEventStream::flushDue);
        stream->onFrame({{u"event"_s, u"pong"_s}});
        stream->onFrame({{u"event"_s, u"error"_s}, {u"error"_s, u"Unknown command: ping"_s}}); // the original's pong
        stream->onFrame({{u"event"_s, u"error"_s}, {u"error"_s, u"Unknown command: subscribe"_s}});
        QCOMPARE(pongs.size(), 2);
        stream->onFrame({{u"event"_s, u"reload"_s}, {u"success"_s, true}, {u"added"_s, QJsonArray{u"new"_s}}});
        QCOMPARE(reloads.size(), 1);
        stream->onFrame({{u"event"_s, u"llm_delta"_s},
                         {u"callId"_s, 7},
                         {u"agent"_s, u"greeter"_s},
                         {u"threadId"_s, u"t1"_s},
                         {u"delta"_s, u"Hel"_s}});
        QCOMPARE(partials.size(), 1);
        QVERIFY(budgets.isEmpty());
        // None of them waits for a batch; an event after them does, in the next turn.
        stream->onFrame(
            {{u"event"_s, u"error"_s}, {u"threadId"_s, u"t1"_s}, {u"agent"_s, u"greeter"_s}, {u"error"_s, u"boom"_s}});
        QVERIFY(flushes.wait());
        const RemoteEventStream::Batch batch = stream->take();
        QCOMPARE(batch.errors.size(), 1);
        QCOMPARE(batch.errors.first().error, u"boom"_s);
        QVERIFY(batch.errors.first().timestamp.isValid()); // stamped on arrival when the server sent none
    }

    void clearDropsPendingEvents()
    {
        start(true);
        stream->onFrame(messageFrame(11, u"t1"_s, u"greeter"_s, u"shouter"_s));
        stream->clear();
        QVERIFY(stream->take().messages.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRemoteEventStream)
#include "tst_remoteeventstream.moc"
