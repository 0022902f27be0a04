// RemoteResync against the original server as it really is (FakeOriginalServer): a polling round brings
// what /ws would have pushed as batches, and what waits for a round runs after its events; only what
// differs from the cache is reported; a gap too large to replay makes everything be read again; in push
// mode a message total that stays ahead of the pushed messages means the stream stalled.

#include "fakeoriginalserver.h"
#include "remoteeventstream.h"
#include "remoteparts.h"
#include "remotequeries.h"
#include "remoteresync.h"

#include "messageparser.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::FakeOriginalServer;
using agentdesk::test::FakeSession;
using agentdesk::test::RemoteParts;

class TestRemoteResync : public QObject
{
    Q_OBJECT

private:
    // The parts a RemoteSession wires, around a FakeSession whose caches the resync compares with.
    void connectTo(FakeOriginalServer &server)
    {
        parts = std::make_unique<RemoteParts>(QUrl(server.url()), true);
        stream = std::make_unique<RemoteEventStream>(*parts->session, parts->http.get(), &layout);
        queries = std::make_unique<RemoteQueries>(*parts->session, parts->http.get(), parts->connection.get(),
                                                  parts->fence.get(), &layout);
        resync = std::make_unique<RemoteResync>(*parts->session, parts->http.get(), parts->connection.get(),
                                                stream.get(), parts->fence.get(),
                                                [this](const MessageQuery &query, RemoteResync::MessagesRead done) {
                                                    queries->readMessages(query, std::move(done));
                                                });
        queries->setResync(resync.get());
        QObject::connect(parts->connection.get(), &RemoteConnection::frameReceived, stream.get(),
                         &RemoteEventStream::onFrame);
        QObject::connect(stream.get(), &RemoteEventStream::pong, parts->fence.get(), &RemotePingFence::onPong);
        QObject::connect(stream.get(), &RemoteEventStream::flushDue, this, [this] { takeBatch(); });
        QObject::connect(resync.get(), &RemoteResync::batchDue, this, [this] { takeBatch(); });
        QObject::connect(resync.get(), &RemoteResync::organismRead, parts->session.get(),
                         &FakeSession::replaceOrganism);
        QObject::connect(parts->connection.get(), &RemoteConnection::established, this,
                         [this](const Session::Snapshot &snapshot, const QList<ThreadInfo> &threads) {
                             stream->restart(snapshot.organism.totalMessages, false, threads);
                             resync->start(0);
                         });
        QVERIFY(parts->connect());
    }
    void takeBatch()
    {
        const RemoteEventStream::Batch batch = stream->take();
        log.append(u"batch"_s);
        for (const MessageRecord &message : batch.messages)
            seqs.append(message.seq);
        if (batch.organism)
            parts->session->replaceOrganism(*batch.organism);
    }
    // Starts a round and waits until its batch was taken (polling mode).
    void round()
    {
        const qsizetype before = log.count(u"batch"_s);
        resync->sync();
        QTRY_VERIFY(log.count(u"batch"_s) > before);
    }
    static QJsonObject greeting() { return QJsonObject{{u"Greeting"_s, QJsonObject{{u"name"_s, u"Ada"_s}}}}; }

    std::unique_ptr<RemoteParts> parts;
    wire::PayloadLayout layout;
    std::unique_ptr<RemoteEventStream> stream;
    std::unique_ptr<RemoteQueries> queries;
    std::unique_ptr<RemoteResync> resync;
    QStringList log;
    QList<qint64> seqs;

private slots:
    void cleanup()
    {
        resync.reset();
        queries.reset();
        stream.reset();
        parts.reset();
        log.clear();
        seqs.clear();
    }

    void pollingBringsWhatTheWebSocketWouldHavePushed()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::DropsBeforeSnapshot);
        server.recordMessage(u"t1"_s, u"api"_s, u"greeter"_s, greeting());
        connectTo(server);
        QVERIFY(parts->session->updateMode() == UpdateMode::Polling);
        server.recordMessage(u"t1"_s, u"greeter"_s, u"shouter"_s, greeting());
        server.recordMessage(u"t2"_s, u"api"_s, u"greeter"_s, greeting());
        // What waits for a round runs once the round's events have been taken.
        resync->afterNextRound([this] { log.append(u"after"_s); });
        QTRY_VERIFY(log.contains(u"after"_s));
        QCOMPARE(seqs, (QList<qint64>{2, 3}));
        QCOMPARE(log.at(log.indexOf(u"after"_s) - 1), u"batch"_s);
        round();
        QCOMPARE(seqs, (QList<qint64>{2, 3})); // nothing twice
    }

    void onlyWhatDiffersIsReported()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::DropsBeforeSnapshot);
        server.recordMessage(u"t1"_s, u"api"_s, u"greeter"_s, greeting());
        connectTo(server);
        QSignalSpy organisms(resync.get(), &RemoteResync::organismRead);
        QSignalSpy agents(resync.get(), &RemoteResync::agentsReplaced);
        round();
        QVERIFY(organisms.isEmpty()); // as the snapshot said (its uptime moving is no change)
        QVERIFY(agents.isEmpty());

        bool stopped = false;
        parts->http->post(u"/api/v1/organism/stop"_s, {}, [&stopped](const RemoteHttp::Response &) { stopped = true; });
        QTRY_VERIFY(stopped);
        round();
        QCOMPARE(organisms.size(), 1);
        QVERIFY(organisms.first().first().value<OrganismInfo>().status == OrganismStatus::Stopping);
        round();
        QCOMPARE(organisms.size(), 1);
    }

    void aGapTooLargeToReplayIsReadAgain()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::DropsBeforeSnapshot);
        server.recordMessage(u"t1"_s, u"api"_s, u"greeter"_s, greeting());
        connectTo(server);
        QSignalSpy resynchronized(resync.get(), &RemoteResync::resynchronized);
        for (qint64 i = 0; i < RemoteResync::kResyncGap + 1; ++i)
            server.recordMessage(u"t1"_s, u"greeter"_s, u"shouter"_s, greeting());
        round();
        QCOMPARE(resynchronized.size(), 1);
        QVERIFY(seqs.isEmpty()); // not replayed
        QCOMPARE(stream->lastSeq(), server.totalMessages());
    }

    void aPushStreamThatStallsIsNoticed()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::StopsAfterFirstMessage);
        connectTo(server);
        QVERIFY(parts->session->updateMode() == UpdateMode::Push);
        QSignalSpy stalled(resync.get(), &RemoteResync::pushStalled);
        server.recordMessage(u"t1"_s, u"api"_s, u"greeter"_s, greeting());     // pushed
        server.recordMessage(u"t1"_s, u"greeter"_s, u"shouter"_s, greeting()); // never pushed
        QTRY_COMPARE(seqs, QList<qint64>{1});
        // Once behind is a race (the event may be on its way); behind again at the next round, with
        // nothing pushed meanwhile, is a stall.
        resync->sync();
        QTRY_VERIFY_WITH_TIMEOUT(!stalled.isEmpty(), 10000); // the round after (every 2 s)
        QVERIFY(stalled.first().first().toString().contains(u"1 of them never pushed"_s));
    }
};

QTEST_GUILESS_MAIN(TestRemoteResync)
#include "tst_remoteresync.moc"
