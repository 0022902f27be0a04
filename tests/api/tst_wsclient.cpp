#include "httpservice.h"
#include "support/apitestclient.h"
#include "support/testroutes.h"
#include "support/wstestclient.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

// One subscriber's transport rules: idle timeout reset by anything the client sends (pings too),
// the bounded send queue (a stalled reader is closed with 1008 and nobody else waits), and the
// frames the server refuses.
class tst_WsClient : public QObject
{
    Q_OBJECT
private slots:
    void cleanup();
    void silentClientIsClosedWhenIdle();
    void webSocketPingsKeepAClientAlive();
    void textFramesKeepAClientAlive();
    void stalledReaderOverflowsByBytes();
    void stalledReaderOverflowsByFrames();
    void readerThatKeepsUpIsNeverClosed();
    void framesOfEveryLengthArrive_data();
    void framesOfEveryLengthArrive();
    void binaryFramesAreRefused();
    void oversizedMessagesAreRefused();

private:
    void start(const WsClient::Limits &limits);
    WsClient *waitForClient();

    std::unique_ptr<HttpService> m_service;
    QList<WsClient *> m_clients;
    WsClient::Limits m_limits;
    bool m_useRawSocket = true;
};

void tst_WsClient::start(const WsClient::Limits &limits)
{
    m_limits = limits;
    m_service = std::make_unique<HttpService>(testRoutes(), HttpService::Options());
    m_service->addWebSocketPath(u"/ws"_s);
    QString error;
    QVERIFY2(m_service->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    connect(m_service.get(), &HttpService::webSocketConnected, m_service.get(),
            [this](QWebSocket *socket, QTcpSocket *raw) {
                auto *client = new WsClient(socket, m_useRawSocket ? raw : nullptr, WsClient::Kind::Control, m_limits,
                                            m_service.get());
                connect(client, &WsClient::textReceived, client,
                        [](WsClient *self, const QString &text) { self->sendText(text); });
                m_clients.append(client);
            });
}

WsClient *tst_WsClient::waitForClient()
{
    if (!QTest::qWaitFor([this] { return !m_clients.isEmpty(); }, 5000))
        return nullptr;
    return m_clients.last();
}

void tst_WsClient::cleanup()
{
    m_useRawSocket = true;
    m_clients.clear();
    m_service.reset();
}

void tst_WsClient::silentClientIsClosedWhenIdle()
{
    WsClient::Limits limits;
    limits.idleTimeoutMs = 200;
    start(limits);
    WsTestClient client;
    QVERIFY(client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_service->port()))));
    WsClient *server = waitForClient();
    QVERIFY(server);
    QSignalSpy finished(server, &WsClient::finished);
    QVERIFY(client.waitClosed(10000));
    QCOMPARE(client.socket.closeCode(), QWebSocketProtocol::CloseCodeNormal);
    QCOMPARE(client.socket.closeReason(), u"idle timeout"_s);
    QTRY_COMPARE(finished.count(), 1);
}

void tst_WsClient::webSocketPingsKeepAClientAlive()
{
    WsClient::Limits limits;
    limits.idleTimeoutMs = 200;
    start(limits);
    WsTestClient client;
    QVERIFY(client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_service->port()))));
    QVERIFY(waitForClient());
    // Protocol-level pings only (QWebSocket answers them itself), one after the other until three idle
    // periods have passed. Each pong proves the server saw its ping: the server's raw socket reports
    // the ping (touch) in the same pass in which its QWebSocket answers it. Between a pong and the next
    // ping no time passes that a loaded machine could stretch past the timeout: the server reads
    // sockets before it fires timers in every pass of the event loop.
    QSignalSpy pongs(&client.socket, &QWebSocket::pong);
    QElapsedTimer alive;
    alive.start();
    while (alive.elapsed() < 3 * limits.idleTimeoutMs) {
        const qsizetype seen = pongs.count();
        client.socket.ping();
        QVERIFY(pongs.count() > seen || pongs.wait(10000));
        QCOMPARE(client.socket.state(), QAbstractSocket::ConnectedState);
    }
    // And once the pings stop, the timeout applies again.
    QVERIFY(client.waitClosed(10000));
    QCOMPARE(client.socket.closeReason(), u"idle timeout"_s);
}

void tst_WsClient::textFramesKeepAClientAlive()
{
    WsClient::Limits limits;
    limits.idleTimeoutMs = 200;
    start(limits);
    WsTestClient client;
    QVERIFY(client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_service->port()))));
    QVERIFY(waitForClient());
    // Each echo proves the server saw the frame (it touches before it answers); the next one follows
    // at once, until three idle periods have passed.
    QElapsedTimer alive;
    alive.start();
    int sent = 0;
    while (alive.elapsed() < 3 * limits.idleTimeoutMs) {
        client.send(QJsonObject{{u"n"_s, sent}});
        const QJsonObject echo = client.waitFor([](const QJsonObject &) { return true; }, 10000);
        QCOMPARE(echo.value(u"n"_s).toInt(-1), sent);
        ++sent;
        QCOMPARE(client.socket.state(), QAbstractSocket::ConnectedState);
    }
    QCOMPARE(client.frames.size(), sent);
}

void tst_WsClient::stalledReaderOverflowsByBytes()
{
    WsClient::Limits limits;
    limits.maxQueuedBytes = 256 * 1024;
    limits.closeGraceMs = 500;
    start(limits);
    StalledWsClient stalled;
    QVERIFY(stalled.open(m_service->port(), "/ws"));
    WsClient *server = waitForClient();
    QVERIFY(server);
    QSignalSpy finished(server, &WsClient::finished);
    const QString frame(4000, u'x');
    int sent = 0;
    // Pushing never blocks: the queue fills, then send() refuses and the client is closed.
    while (server->sendText(frame)) {
        ++sent;
        if (sent % 100 == 0)
            QCoreApplication::processEvents();
        QVERIFY2(sent < 1000000, "the send queue never filled");
    }
    QVERIFY(!server->isOpen());
    QVERIFY(!server->sendText(frame));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
}

void tst_WsClient::stalledReaderOverflowsByFrames()
{
    WsClient::Limits limits;
    limits.maxQueuedFrames = 50;
    limits.closeGraceMs = 500;
    start(limits);
    StalledWsClient stalled;
    QVERIFY(stalled.open(m_service->port(), "/ws"));
    WsClient *server = waitForClient();
    QVERIFY(server);
    // The kernel takes what it can first; once it takes nothing more, the 51st frame that would
    // wait in our own queue closes the client.
    int sent = 0;
    while (server->sendText(u"{}"_s)) {
        ++sent;
        QVERIFY2(sent < 10000000, "the send queue never filled");
    }
    QVERIFY(!server->isOpen());
    QCOMPARE(server->queuedFrames(), 50);
}

void tst_WsClient::readerThatKeepsUpIsNeverClosed()
{
    WsClient::Limits limits;
    limits.maxQueuedFrames = 50;
    start(limits);
    WsTestClient client;
    QVERIFY(client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_service->port()))));
    WsClient *server = waitForClient();
    QVERIFY(server);
    for (int i = 0; i < 2000; ++i) {
        QVERIFY(server->sendText(u"{\"n\":%1}"_s.arg(i)));
        if (server->queuedFrames() > 25)
            QVERIFY(QTest::qWaitFor([server] { return server->queuedFrames() < 10; }, 5000));
    }
    QTRY_COMPARE(client.frames.size(), 2000);
    QCOMPARE(client.frames.last().value(u"n"_s).toInt(), 1999);
    QVERIFY(server->isOpen());
}

void tst_WsClient::framesOfEveryLengthArrive_data()
{
    QTest::addColumn<bool>("rawSocket");
    QTest::newRow("pre-framed on the raw socket") << true;
    QTest::newRow("through QWebSocket") << false;
}

void tst_WsClient::framesOfEveryLengthArrive()
{
    QFETCH(bool, rawSocket);
    m_useRawSocket = rawSocket;
    start({});
    WsTestClient client;
    QStringList received;
    connect(&client.socket, &QWebSocket::textMessageReceived, this,
            [&](const QString &text) { received.append(text); });
    QVERIFY(client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_service->port()))));
    WsClient *server = waitForClient();
    QVERIFY(server);
    // Every header form: 7-bit, 16-bit (126) and 64-bit (127) lengths, and multi-byte UTF-8.
    const QList<int> sizes{0, 1, 125, 126, 127, 65535, 65536, 300000};
    QStringList sent;
    for (int size : sizes) {
        QString text(size, u'a');
        if (size > 2)
            text.replace(1, 1, u"ü"_s);
        sent.append(text);
        QVERIFY(server->sendText(text));
    }
    QTRY_COMPARE(received.size(), sizes.size());
    QCOMPARE(received, sent);
    QVERIFY(server->framesSent() == sizes.size());
}

void tst_WsClient::binaryFramesAreRefused()
{
    start({});
    WsTestClient client;
    QVERIFY(client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_service->port()))));
    client.socket.sendBinaryMessage("\x00\x01");
    QVERIFY(client.waitClosed());
    QCOMPARE(client.socket.closeCode(), QWebSocketProtocol::CloseCodeDatatypeNotSupported);
}

void tst_WsClient::oversizedMessagesAreRefused()
{
    WsClient::Limits limits;
    limits.maxIncomingMessageBytes = 64 * 1024;
    start(limits);
    WsTestClient client;
    QVERIFY(client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_service->port()))));
    client.sendText(QString(128 * 1024, u'a'));
    QVERIFY(client.waitClosed());
    QCOMPARE(client.socket.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    QVERIFY(client.frames.isEmpty());
}

QTEST_GUILESS_MAIN(tst_WsClient)
#include "tst_wsclient.moc"
