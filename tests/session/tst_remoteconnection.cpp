// RemoteConnection: an attempt reads what the server is and every REST snapshot, then takes /ws's own
// snapshot — or, when /ws fails before it as the original's does whenever a thread exists, carries on
// in polling mode; a server that is unreachable is retried, one that is no AgentServer is not.

#include "fakeoriginalserver.h"
#include "remoteconnection.h"
#include "remotehttp.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::FakeOriginalServer;

namespace {

// Answers every request with 200 and an empty JSON object: a web server, but no AgentServer.
class NotAnAgentServer : public QTcpServer
{
public:
    NotAnAgentServer()
    {
        listen(QHostAddress::LocalHost);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                    socket->readAll();
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                                  "Connection: close\r\n\r\n{}");
                    socket->disconnectFromHost();
                });
            }
        });
    }
};

} // namespace

class TestRemoteConnection : public QObject
{
    Q_OBJECT

private:
    void connectTo(const QString &url)
    {
        http = std::make_unique<RemoteHttp>(QUrl(url), QByteArray());
        connection = std::make_unique<RemoteConnection>(http.get(), QUrl(url), QByteArray());
    }

    std::unique_ptr<RemoteHttp> http;
    std::unique_ptr<RemoteConnection> connection;

private slots:
    void cleanup()
    {
        connection.reset();
        http.reset();
    }

    void takesTheWebSocketsSnapshotAndItsFrames()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::StopsAfterFirstMessage);
        connectTo(server.url());
        QSignalSpy started(connection.get(), &RemoteConnection::attemptStarted);
        QSignalSpy established(connection.get(), &RemoteConnection::established);
        QSignalSpy frames(connection.get(), &RemoteConnection::frameReceived);
        connection->open();
        QCOMPARE(started.size(), 1);
        QVERIFY(established.wait(15000));
        QVERIFY(established.first().at(2).value<UpdateMode>() == UpdateMode::Push);
        QVERIFY(connection->isLive());
        QVERIFY(connection->hasSocket());
        // What the server is: the original, with usage and its history but no agentdesk extensions.
        QVERIFY(connection->features().api.known);
        QVERIFY(!connection->features().api.agentdesk);
        QVERIFY(connection->features().usage);
        QVERIFY(connection->features().usageHistory);
        QVERIFY(!connection->features().scopeBudgets);

        server.recordMessage(u"t1"_s, u"api"_s, u"greeter"_s, QJsonObject{{u"Greeting"_s, QJsonObject()}});
        QVERIFY(frames.wait());
        QCOMPARE(frames.first().first().toJsonObject().value(u"event"_s).toString(), u"message"_s);
    }

    void pollsWhenTheWebSocketDropsBeforeItsSnapshot()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::DropsBeforeSnapshot);
        server.recordMessage(u"t1"_s, u"api"_s, u"greeter"_s, QJsonObject{{u"Greeting"_s, QJsonObject()}});
        connectTo(server.url());
        QSignalSpy established(connection.get(), &RemoteConnection::established);
        QSignalSpy failed(connection.get(), &RemoteConnection::failed);
        connection->open();
        QVERIFY(established.wait(15000));
        QVERIFY(established.first().at(2).value<UpdateMode>() == UpdateMode::Polling);
        const auto snapshot = established.first().at(0).value<Session::Snapshot>();
        QCOMPARE(snapshot.organism.totalMessages, 1); // from REST
        QCOMPARE(snapshot.agents.size(), 3);
        QVERIFY(!snapshot.abilities.pauseHoldsWork); // the original only pretends
        QVERIFY(connection->isLive());
        QVERIFY(!connection->hasSocket());
        QVERIFY(failed.isEmpty());
    }

    void anUnreachableServerIsRetried()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            port = probe.serverPort();
        }
        const QString url = u"http://127.0.0.1:%1"_s.arg(port);
        connectTo(url);
        QSignalSpy failed(connection.get(), &RemoteConnection::failed);
        connection->open();
        QVERIFY(failed.wait());
        QVERIFY(failed.first().at(1).toBool());
        QVERIFY(connection->isWaitingToRetry());
        QVERIFY(!failed.first().at(0).toString().isEmpty());
        connection->close();
        QVERIFY(!connection->isWaitingToRetry());
        QVERIFY(connection->isIdle());
    }

    void aServerThatIsNoAgentServerIsNotRetried()
    {
        NotAnAgentServer server;
        const QString url = u"http://127.0.0.1:%1"_s.arg(server.serverPort());
        connectTo(url);
        QSignalSpy failed(connection.get(), &RemoteConnection::failed);
        connection->open();
        QVERIFY(failed.wait());
        QVERIFY(!failed.first().at(1).toBool());
        QVERIFY2(failed.first().at(0).toString().contains(u"is not an AgentServer"_s),
                 qPrintable(failed.first().at(0).toString()));
        QVERIFY(connection->isIdle());
    }
};

QTEST_GUILESS_MAIN(TestRemoteConnection)
#include "tst_remoteconnection.moc"
