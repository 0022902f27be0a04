// RemoteResync against the original server as it really is (FakeOriginalServer): a polling round brings
// what /ws would have pushed as batches, and what waits for a round runs after its events; only what
// differs from the cache is reported; a gap too large to replay makes everything be read again; in push
// mode a message total that stays ahead of the pushed messages means the stream stalled.

#include "fakeoriginalserver.h"
#include "fakesession.h"
#include "remoteconnection.h"
#include "remoteeventstream.h"
#include "remotehttp.h"
#include "remotepingfence.h"
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

class TestRemoteResync : public QObject
{
    Q_OBJECT

private:
    // The parts a RemoteSession wires, around a FakeSession whose caches the resync compares with.
    void connectTo(FakeOriginalServer &server)
    {
        const QUrl url(server.url());
        session = std::make_unique<FakeSession>();
        http = std::make_unique<RemoteHttp>(url, QByteArray());
        connection = std::make_unique<RemoteConnection>(http.get(), url, QByteArray());
        fence = std::make_unique<RemotePingFence>(
            RemotePingFence::Channel{[this] { return connection->hasSocket(); },
                                     [this](const QString &text) { connection->send(text); }},
            [](QObject *, std::function<void()> call) {
                QMetaObject::invokeMethod(qApp, std::move(call), Qt::QueuedConnection);
            });
        stream = std::make_unique<RemoteEventStream>(*session, http.get(), &layout);
        queries = std::make_unique<RemoteQueries>(*session, http.get(), connection.get(), fence.get(), &layout);
        resync = std::make_unique<RemoteResync>(
            *session, http.get(), connection.get(), stream.get(), fence.get(),
            [this](const MessageQuery &query, RemoteResync::MessagesRead done) {
                queries->readMessages(query, std::move(done));
            });
        queries->setResync(resync.get());
        QObject::connect(connection.get(), &RemoteConnection::frameReceived, stream.get(), &RemoteEventStream::onFrame);
        QObject::connect(stream.get(), &RemoteEventStream::pong, fence.get(), &RemotePingFence::onPong);
        QObject::connect(stream.get(), &RemoteEventStream::flushDue, this, [this] { takeBatch(); });
        QObject::connect(resync.get(), &RemoteResync::batchDue, this, [this] { takeBatch(); });
        QObject::connect(resync.get(), &RemoteResync::organismRead, session.get(), &FakeSession::replaceOrganism);
        QObject::connect(connection.get(), &RemoteConnection::established, this,
                         [this](const Session::Snapshot &snapshot, const QList<ThreadInfo> &threads, UpdateMode mode) {
                             session->snapshot = snapshot;
                             session->open();
                             session->setUpdateMode(mode);
                             stream->restart(snapshot.organism.totalMessages, false, threads);
                             fence->restart(mode == UpdateMode::Push);
                             resync->start(0);
                         });
        connection->open();
        QTRY_VERIFY_WITH_TIMEOUT(session->isConnected(), 15000);
    }
    void takeBatch()
    {
        const RemoteEventStream::Batch batch = stream->take();
        log.append(u"batch"_s);
        for (const MessageRecord &message : batch.messages)
            seqs.append(message.seq);
        if (batch.organism)
            session->replaceOrganism(*batch.organism);
    }
    // Starts a round and waits until its batch was taken (polling mode).
    void round()
    {
        const qsizetype before = log.count(u"batch"_s);
        resync->sync();
        QTRY_VERIFY(log.count(u"batch"_s) > before);
    }
    static QJsonObject greeting() { return QJsonObject{{u"Greeting"_s, QJsonObject{{u"name"_s, u"Ada"_s}}}}; }

    std::unique_ptr<FakeSession> session;
    std::unique_ptr<RemoteHttp> http;
    std::unique_ptr<RemoteConnection> connection;
    std::unique_ptr<RemotePingFence> fence;
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
        fence.reset();
        connection.reset();
        http.reset();
        session.reset();
        log.clear();
        seqs.clear();
    }

    void pollingBringsWhatTheWebSocketWouldHavePushed()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::DropsBeforeSnapshot);
        server.recordMessage(u"t1"_s, u"api"_s, u"greeter"_s, greeting());
        connectTo(server);
        QVERIFY(session->updateMode() == UpdateMode::Polling);
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
        http->post(u"/api/v1/organism/stop"_s, {}, [&stopped](const RemoteHttp::Response &) { stopped = true; });
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
        QVERIFY(session->updateMode() == UpdateMode::Push);
        QSignalSpy stalled(resync.get(), &RemoteResync::pushStalled);
        server.recordMessage(u"t1"_s, u"api"_s, u"greeter"_s, greeting()); // pushed
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
