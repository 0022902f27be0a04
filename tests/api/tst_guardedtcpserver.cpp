#include "httpservice.h"
#include "support/apitestclient.h"
#include "support/testroutes.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

// The limits QHttpServer 6.4 lacks, seen from real sockets: every rejection is a JSON answer the
// client can read, and the server keeps serving afterwards.
class tst_GuardedTcpServer : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void oversizedBodyIsRejectedWith413();
    void oversizedBodyWithExpectIsRejectedBeforeUpload();
    void expectContinueIsAnswered();
    void bodyAtTheLimitIsServed();
    void emptyBodyIsServed();
    void garbageRequestLineGets400();
    void headerFloodGets431_data();
    void headerFloodGets431();
    void longUriGets414();
    void chunkedBodyGets411();
    void connectionCapGets503();
    void idleConnectionIsClosed();
    void slowRequestGets408();
    void connectionCloseIsHonoured_data();
    void connectionCloseIsHonoured();
    void pipelinedRequestsAreAllAnswered();
    void rejectionsAreCounted();

private:
    void start(GuardedTcpServer::Limits limits);
    void verifyStillServing();

    std::unique_ptr<HttpService> m_service;
};

void tst_GuardedTcpServer::start(GuardedTcpServer::Limits limits)
{
    HttpService::Options options;
    options.limits = limits;
    m_service = std::make_unique<HttpService>(testRoutes(), options);
    QString error;
    QVERIFY2(m_service->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
}

void tst_GuardedTcpServer::init()
{
    GuardedTcpServer::Limits limits;
    limits.request.maxBodyBytes = 1 << 20;
    start(limits);
}

void tst_GuardedTcpServer::cleanup()
{
    m_service.reset();
}

void tst_GuardedTcpServer::verifyStillServing()
{
    ApiTestClient client(m_service->port());
    const HttpResult result = client.get(u"/health"_s);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.object().value(u"status"_s).toString(), u"healthy"_s);
}

void tst_GuardedTcpServer::oversizedBodyIsRejectedWith413()
{
    ApiTestClient client(m_service->port());
    const HttpResult result = client.post(u"/api/v1/items"_s, QByteArray(2 << 20, 'x'));
    QCOMPARE(result.status, 413);
    QCOMPARE(result.header("Content-Type"), QByteArray("application/json"));
    QVERIFY(result.detail().contains(u"1048576"_s));
    verifyStillServing();
}

void tst_GuardedTcpServer::oversizedBodyWithExpectIsRejectedBeforeUpload()
{
    const RawExchange exchange = rawExchange(
        m_service->port(), "POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2097152\r\nExpect: 100-continue\r\n\r\n");
    QCOMPARE(exchange.status(), 413);
    QVERIFY(!exchange.response.contains("100 Continue"));
    QVERIFY(exchange.closedByServer);
    verifyStillServing();
}

void tst_GuardedTcpServer::expectContinueIsAnswered()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_service->port());
    QVERIFY(socket.waitForConnected(3000));
    socket.write("POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
    QByteArray received;
    QVERIFY(QTest::qWaitFor([&] { received += socket.readAll(); return received.contains("\r\n\r\n"); }, 5000));
    QVERIFY(received.startsWith("HTTP/1.1 100 Continue\r\n\r\n"));
    socket.write("\"ab\"");
    const bool answered = QTest::qWaitFor([&] { received += socket.readAll(); return received.contains("\"received\":4"); }, 5000);
    QVERIFY2(answered, received.constData());
    QVERIFY(received.contains("HTTP/1.1 200"));
}

void tst_GuardedTcpServer::bodyAtTheLimitIsServed()
{
    ApiTestClient client(m_service->port());
    // A JSON string of exactly 1 MiB.
    const HttpResult result = client.post(u"/api/v1/items"_s, '"' + QByteArray((1 << 20) - 2, 'x') + '"');
    QCOMPARE(result.status, 200);
    QCOMPARE(result.object().value(u"received"_s).toInt(), 1 << 20);
}

void tst_GuardedTcpServer::emptyBodyIsServed()
{
    const RawExchange exchange =
        rawExchange(m_service->port(), "POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    QCOMPARE(exchange.status(), 200);
    QVERIFY(exchange.response.contains("\"received\":0"));
}

void tst_GuardedTcpServer::garbageRequestLineGets400()
{
    const RawExchange exchange = rawExchange(m_service->port(), "THIS IS NOT HTTP AT ALL\r\n\r\n");
    QCOMPARE(exchange.status(), 400);
    QVERIFY(exchange.response.contains(R"({"detail":"Invalid HTTP request line"})"));
    QVERIFY(exchange.closedByServer);
    const RawExchange binary = rawExchange(m_service->port(), QByteArray("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\n", 12));
    QCOMPARE(binary.status(), 400);
    verifyStillServing();
}

void tst_GuardedTcpServer::headerFloodGets431_data()
{
    QTest::addColumn<QByteArray>("request");
    QByteArray many = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (int i = 0; i < 500; ++i)
        many += "X-Flood-" + QByteArray::number(i) + ": value\r\n";
    QTest::newRow("500 headers") << QByteArray(many + "\r\n");
    QTest::newRow("64 KiB header") << QByteArray("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + QByteArray(64 * 1024, 'a')
                                                 + "\r\n\r\n");
    QTest::newRow("never-ending header") << QByteArray("GET /health HTTP/1.1\r\nX-Big: " + QByteArray(100 * 1024, 'a'));
}

void tst_GuardedTcpServer::headerFloodGets431()
{
    QFETCH(QByteArray, request);
    const RawExchange exchange = rawExchange(m_service->port(), request);
    QCOMPARE(exchange.status(), 431);
    QVERIFY(exchange.closedByServer);
    verifyStillServing();
}

void tst_GuardedTcpServer::longUriGets414()
{
    ApiTestClient client(m_service->port());
    const HttpResult result = client.get(u"/api/v1/items/"_s + QString(20000, u'a'));
    QCOMPARE(result.status, 414);
    verifyStillServing();
}

void tst_GuardedTcpServer::chunkedBodyGets411()
{
    const RawExchange exchange = rawExchange(
        m_service->port(), "POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n");
    QCOMPARE(exchange.status(), 411);
    verifyStillServing();
}

void tst_GuardedTcpServer::connectionCapGets503()
{
    GuardedTcpServer::Limits limits;
    limits.maxConnections = 2;
    start(limits);
    QTcpSocket first;
    QTcpSocket second;
    first.connectToHost(QHostAddress::LocalHost, m_service->port());
    second.connectToHost(QHostAddress::LocalHost, m_service->port());
    QTRY_COMPARE(m_service->tcpServer()->connectionCount(), 2);
    const RawExchange third = rawExchange(m_service->port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QCOMPARE(third.status(), 503);
    QVERIFY(third.response.contains(R"({"detail":"Too many connections"})"));
    first.abort();
    second.abort();
    QTRY_COMPARE(m_service->tcpServer()->connectionCount(), 0);
    verifyStillServing();
}

void tst_GuardedTcpServer::idleConnectionIsClosed()
{
    GuardedTcpServer::Limits limits;
    limits.idleTimeoutMs = 200;
    start(limits);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_service->port());
    QVERIFY(socket.waitForConnected(3000));
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10000);
    QTRY_COMPARE(m_service->tcpServer()->connectionCount(), 0);
}

void tst_GuardedTcpServer::slowRequestGets408()
{
    GuardedTcpServer::Limits limits;
    limits.requestTimeoutMs = 200;
    start(limits);
    // The headers never finish: a slow-loris client.
    const RawExchange exchange = rawExchange(m_service->port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a", 10000);
    QCOMPARE(exchange.status(), 408);
    QVERIFY(exchange.closedByServer);
}

void tst_GuardedTcpServer::connectionCloseIsHonoured_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("Connection: close") << QByteArray("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QTest::newRow("HTTP/1.0") << QByteArray("GET /health HTTP/1.0\r\n\r\n");
}

void tst_GuardedTcpServer::connectionCloseIsHonoured()
{
    QFETCH(QByteArray, request);
    const RawExchange exchange = rawExchange(m_service->port(), request, 10000);
    QCOMPARE(exchange.status(), 200);
    QVERIFY(exchange.response.endsWith(R"({"status":"healthy"})"));
    QVERIFY(exchange.closedByServer);
}

void tst_GuardedTcpServer::pipelinedRequestsAreAllAnswered()
{
    const QByteArray one = "GET /api/v1/items/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    const QByteArray post = "POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}";
    const QByteArray last = "GET /api/v1/items/3 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    const RawExchange exchange = rawExchange(m_service->port(), one + post + last, 10000);
    QCOMPARE(exchange.response.count("HTTP/1.1 200"), 3);
    QVERIFY(exchange.response.indexOf(R"({"id":"1"})") < exchange.response.indexOf(R"({"received":2})"));
    QVERIFY(exchange.response.indexOf(R"({"received":2})") < exchange.response.indexOf(R"({"id":"3"})"));
}

void tst_GuardedTcpServer::rejectionsAreCounted()
{
    QSignalSpy spy(m_service->tcpServer(), &GuardedTcpServer::requestRejected);
    rawExchange(m_service->port(), "NOPE\r\n\r\n");
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.first().at(0).toInt(), 400);
}

QTEST_GUILESS_MAIN(tst_GuardedTcpServer)
#include "tst_guardedtcpserver.moc"
