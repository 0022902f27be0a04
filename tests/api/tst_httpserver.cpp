#include "httpservice.h"
#include "support/apitestclient.h"
#include "support/testroutes.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <vector>

#include <sys/resource.h>

using namespace Qt::StringLiterals;
using namespace agentdesk;

// The HTTP server's limits, seen from real sockets: every rejection is a JSON answer the client can
// read, the server keeps serving afterwards, and a greedy client cannot take the slots or the
// memory others need.
class tst_HttpServer : public QObject
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
    void connectionCapGets503WhenEverySlotIsBusy();
    void silentConnectionIsClosed_data();
    void silentConnectionIsClosed();
    void slowRequestGets408_data();
    void slowRequestGets408();
    void connectionCloseIsHonoured_data();
    void connectionCloseIsHonoured();
    void pipelinedRequestsAreAllAnswered();
    void rejectionsAreCounted();

    // Fairness and memory (a greedy client cannot lock others out or make the server buffer for it)
    void perClientCapTakesTheClientsOwnIdleSlot();
    void perClientCapRefusesWhenTheClientsSlotsAreBusy();
    void newClientGetsInPastTwoThousandIdleConnections();
    void newClientGetsInPastThreeHundredDribblers();
    void readingStopsWhileAnswersAreNotCollected();
    void clientThatReadsNothingIsCutOff();

private:
    void start(HttpServer::Limits limits);
    void verifyStillServing();
    // Pipelines `big` GETs of /api/v1/big, then `small` of /health, on `greedy`, and reads (almost)
    // none of the answers.
    bool sendUnreadRequests(QTcpSocket *greedy, int big, int small = 0);

    std::unique_ptr<HttpService> m_service;
};

void tst_HttpServer::start(HttpServer::Limits limits)
{
    HttpService::Options options;
    options.limits = limits;
    m_service = std::make_unique<HttpService>(testRoutes(), options);
    QString error;
    QVERIFY2(m_service->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
}

void tst_HttpServer::init()
{
    HttpServer::Limits limits;
    limits.request.maxBodyBytes = 1 << 20;
    start(limits);
}

void tst_HttpServer::cleanup()
{
    m_service.reset();
    pendingReplies().clear();
}

void tst_HttpServer::verifyStillServing()
{
    ApiTestClient client(m_service->port());
    const HttpResult result = client.get(u"/health"_s);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.object().value(u"status"_s).toString(), u"healthy"_s);
}

void tst_HttpServer::oversizedBodyIsRejectedWith413()
{
    ApiTestClient client(m_service->port());
    const HttpResult result = client.post(u"/api/v1/items"_s, QByteArray(2 << 20, 'x'));
    QCOMPARE(result.status, 413);
    QCOMPARE(result.header("Content-Type"), QByteArray("application/json"));
    QVERIFY(result.detail().contains(u"1048576"_s));
    verifyStillServing();
}

void tst_HttpServer::oversizedBodyWithExpectIsRejectedBeforeUpload()
{
    const RawExchange exchange = rawExchange(
        m_service->port(),
        "POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2097152\r\nExpect: 100-continue\r\n\r\n");
    QCOMPARE(exchange.status(), 413);
    QVERIFY(!exchange.response.contains("100 Continue"));
    QVERIFY(exchange.closedByServer);
    verifyStillServing();
}

void tst_HttpServer::expectContinueIsAnswered()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_service->port());
    QVERIFY(socket.waitForConnected(3000));
    socket.write(
        "POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4\r\n"
        "Expect: 100-continue\r\n\r\n");
    QByteArray received;
    QVERIFY(QTest::qWaitFor(
        [&] {
            received += socket.readAll();
            return received.contains("\r\n\r\n");
        },
        5000));
    QVERIFY(received.startsWith("HTTP/1.1 100 Continue\r\n\r\n"));
    socket.write("\"ab\"");
    const bool answered = QTest::qWaitFor(
        [&] {
            received += socket.readAll();
            return received.contains("\"received\":4");
        },
        5000);
    QVERIFY2(answered, received.constData());
    QVERIFY(received.contains("HTTP/1.1 200"));
}

void tst_HttpServer::bodyAtTheLimitIsServed()
{
    ApiTestClient client(m_service->port());
    // A JSON string of exactly 1 MiB.
    const HttpResult result = client.post(u"/api/v1/items"_s, '"' + QByteArray((1 << 20) - 2, 'x') + '"');
    QCOMPARE(result.status, 200);
    QCOMPARE(result.object().value(u"received"_s).toInt(), 1 << 20);
}

void tst_HttpServer::emptyBodyIsServed()
{
    const RawExchange exchange = rawExchange(
        m_service->port(),
        "POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    QCOMPARE(exchange.status(), 200);
    QVERIFY(exchange.response.contains("\"received\":0"));
}

void tst_HttpServer::garbageRequestLineGets400()
{
    const RawExchange exchange = rawExchange(m_service->port(), "THIS IS NOT HTTP AT ALL\r\n\r\n");
    QCOMPARE(exchange.status(), 400);
    QVERIFY(exchange.response.contains(R"({"detail":"Invalid HTTP request line"})"));
    QVERIFY(exchange.closedByServer);
    const RawExchange binary = rawExchange(m_service->port(),
                                           QByteArray("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\n", 12));
    QCOMPARE(binary.status(), 400);
    verifyStillServing();
}

void tst_HttpServer::headerFloodGets431_data()
{
    QTest::addColumn<QByteArray>("request");
    QByteArray many = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (int i = 0; i < 500; ++i)
        many += "X-Flood-" + QByteArray::number(i) + ": value\r\n";
    QTest::newRow("500 headers") << QByteArray(many + "\r\n");
    QTest::newRow("64 KiB header") << QByteArray(
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + QByteArray(64 * 1024, 'a') + "\r\n\r\n");
    QTest::newRow("never-ending header") << QByteArray("GET /health HTTP/1.1\r\nX-Big: " + QByteArray(100 * 1024, 'a'));
}

void tst_HttpServer::headerFloodGets431()
{
    QFETCH(QByteArray, request);
    const RawExchange exchange = rawExchange(m_service->port(), request);
    QCOMPARE(exchange.status(), 431);
    QVERIFY(exchange.closedByServer);
    verifyStillServing();
}

void tst_HttpServer::longUriGets414()
{
    ApiTestClient client(m_service->port());
    const HttpResult result = client.get(u"/api/v1/items/"_s + QString(20000, u'a'));
    QCOMPARE(result.status, 414);
    verifyStillServing();
}

void tst_HttpServer::chunkedBodyGets411()
{
    const RawExchange exchange = rawExchange(
        m_service->port(),
        "POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n");
    QCOMPARE(exchange.status(), 411);
    verifyStillServing();
}

void tst_HttpServer::connectionCapGets503WhenEverySlotIsBusy()
{
    HttpServer::Limits limits;
    limits.maxConnections = 2;
    start(limits);
    // Two connections each waiting for a deferred answer: neither can give up its slot.
    const QByteArray later = "POST /api/v1/later HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";
    QTcpSocket first;
    QTcpSocket second;
    for (QTcpSocket *socket : {&first, &second}) {
        socket->connectToHost(QHostAddress::LocalHost, m_service->port());
        QVERIFY(socket->waitForConnected(3000));
        socket->write(later);
    }
    QTRY_COMPARE(pendingReplies().size(), 2);
    const RawExchange third = rawExchange(m_service->port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QCOMPARE(third.status(), 503);
    QVERIFY(third.response.contains(R"({"detail":"Too many connections"})"));
    QVERIFY(third.response.contains("Retry-After: 1\r\n"));
    first.abort();
    second.abort();
    QTRY_COMPARE(m_service->server()->connectionCount(), 0);
    verifyStillServing();
}

void tst_HttpServer::silentConnectionIsClosed_data()
{
    QTest::addColumn<int>("idleTimeoutMs");
    QTest::addColumn<int>("headerTimeoutMs");
    QTest::newRow("idle deadline") << 200 << 10000;
    // A new connection gets the short head deadline, not the minute a kept-alive one may idle.
    QTest::newRow("head deadline") << 60000 << 200;
}

void tst_HttpServer::silentConnectionIsClosed()
{
    QFETCH(int, idleTimeoutMs);
    QFETCH(int, headerTimeoutMs);
    HttpServer::Limits limits;
    limits.idleTimeoutMs = idleTimeoutMs;
    limits.headerTimeoutMs = headerTimeoutMs;
    start(limits);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_service->port());
    QVERIFY(socket.waitForConnected(3000));
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10000);
    QTRY_COMPARE(m_service->server()->connectionCount(), 0);
}

void tst_HttpServer::slowRequestGets408_data()
{
    QTest::addColumn<int>("headerTimeoutMs");
    QTest::addColumn<int>("requestTimeoutMs");
    QTest::addColumn<QByteArray>("request");
    // The headers never finish: a slow-loris client.
    QTest::newRow("head deadline") << 200 << 30000
                                   << QByteArray("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a");
    QTest::newRow("whole-request deadline")
        << 10000 << 200 << QByteArray("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a");
    // The head is complete, the body never is.
    QTest::newRow("body never ends") << 10000 << 200
                                     << QByteArray("POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                                   "application/json\r\nContent-Length: 10\r\n\r\n\"ab");
}

void tst_HttpServer::slowRequestGets408()
{
    QFETCH(int, headerTimeoutMs);
    QFETCH(int, requestTimeoutMs);
    QFETCH(QByteArray, request);
    HttpServer::Limits limits;
    limits.headerTimeoutMs = headerTimeoutMs;
    limits.requestTimeoutMs = requestTimeoutMs;
    start(limits);
    const RawExchange exchange = rawExchange(m_service->port(), request, 10000);
    QCOMPARE(exchange.status(), 408);
    QVERIFY(exchange.closedByServer);
}

void tst_HttpServer::connectionCloseIsHonoured_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("Connection: close") << QByteArray(
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QTest::newRow("HTTP/1.0") << QByteArray("GET /health HTTP/1.0\r\n\r\n");
}

void tst_HttpServer::connectionCloseIsHonoured()
{
    QFETCH(QByteArray, request);
    const RawExchange exchange = rawExchange(m_service->port(), request, 10000);
    QCOMPARE(exchange.status(), 200);
    QVERIFY(exchange.response.endsWith(R"({"status":"healthy"})"));
    QVERIFY(exchange.closedByServer);
}

void tst_HttpServer::pipelinedRequestsAreAllAnswered()
{
    const QByteArray one = "GET /api/v1/items/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    const QByteArray post =
        "POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    const QByteArray last = "GET /api/v1/items/3 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    const RawExchange exchange = rawExchange(m_service->port(), one + post + last, 10000);
    QCOMPARE(exchange.response.count("HTTP/1.1 200"), 3);
    QVERIFY(exchange.response.indexOf(R"({"id":"1"})") < exchange.response.indexOf(R"({"received":2})"));
    QVERIFY(exchange.response.indexOf(R"({"received":2})") < exchange.response.indexOf(R"({"id":"3"})"));
}

void tst_HttpServer::rejectionsAreCounted()
{
    QSignalSpy spy(m_service->server(), &HttpServer::requestRejected);
    rawExchange(m_service->port(), "NOPE\r\n\r\n");
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.first().at(0).toInt(), 400);
}

namespace {

// Raises this process's open-file limit to `wanted` if the hard limit allows; false if it does not.
bool allowOpenFiles(rlim_t wanted)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return false;
    if (limit.rlim_cur >= wanted)
        return true;
    if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < wanted)
        return false;
    limit.rlim_cur = wanted;
    return ::setrlimit(RLIMIT_NOFILE, &limit) == 0;
}

QTcpSocket *openConnection(quint16 port, std::vector<std::unique_ptr<QTcpSocket>> &sockets)
{
    sockets.push_back(std::make_unique<QTcpSocket>());
    sockets.back()->connectToHost(QHostAddress::LocalHost, port);
    return sockets.back().get();
}

} // namespace

bool tst_HttpServer::sendUnreadRequests(QTcpSocket *greedy, int big, int small)
{
    // Qt reads at most 4 KiB of the answers for us, and a fixed, small kernel buffer (no autotuning)
    // takes little more: what waits, waits on the server's side.
    greedy->setReadBufferSize(4096);
    greedy->connectToHost(QHostAddress::LocalHost, m_service->port());
    if (!greedy->waitForConnected(3000))
        return false;
    greedy->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 64 * 1024);
    QByteArray pipelined;
    for (int i = 0; i < big; ++i)
        pipelined += "GET /api/v1/big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    for (int i = 0; i < small; ++i)
        pipelined += "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    greedy->write(pipelined);
    return true;
}

void tst_HttpServer::perClientCapTakesTheClientsOwnIdleSlot()
{
    HttpServer::Limits limits;
    limits.maxConnectionsPerClient = 2;
    start(limits);
    // Two kept-alive connections, each idle after one request.
    QTcpSocket first;
    QTcpSocket second;
    for (QTcpSocket *socket : {&first, &second}) {
        socket->connectToHost(QHostAddress::LocalHost, m_service->port());
        QVERIFY(socket->waitForConnected(3000));
        socket->write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray received;
        QVERIFY(QTest::qWaitFor([&] {
            received += socket->readAll();
            return received.endsWith(R"({"status":"healthy"})");
        }));
    }
    QCOMPARE(m_service->server()->connectionCount(QHostAddress::LocalHost), 2);
    // A third connection from the same client takes the slot of the one idle longest.
    verifyStillServing();
    QTRY_COMPARE(first.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(second.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(m_service->server()->evictedCount(), quint64(1));
}

void tst_HttpServer::perClientCapRefusesWhenTheClientsSlotsAreBusy()
{
    HttpServer::Limits limits;
    limits.maxConnectionsPerClient = 2;
    start(limits);
    std::vector<std::unique_ptr<QTcpSocket>> busy;
    for (int i = 0; i < 2; ++i) {
        QTcpSocket *socket = openConnection(m_service->port(), busy);
        QVERIFY(socket->waitForConnected(3000));
        socket->write("POST /api/v1/later HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
    }
    QTRY_COMPARE(pendingReplies().size(), 2);
    const RawExchange refused = rawExchange(m_service->port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QCOMPARE(refused.status(), 503);
    QVERIFY2(refused.response.contains(R"x({"detail":"Too many connections from 127.0.0.1 (2)"})x"),
             refused.response.constData());
}

void tst_HttpServer::newClientGetsInPastTwoThousandIdleConnections()
{
    constexpr int kIdle = 2000;
    if (!allowOpenFiles(2 * kIdle + 512))
        QSKIP("needs about 4,500 open files (2,000 connections, both ends in this process); the hard limit is lower");
    start({}); // the defaults: 256 connections, 64 per client
    std::vector<std::unique_ptr<QTcpSocket>> greedy;
    for (int i = 0; i < kIdle; ++i)
        openConnection(m_service->port(), greedy);
    // Every one of them was admitted, the older ones giving their slots to the newer ones.
    const HttpServer::Limits &limits = m_service->server()->limits();
    QTRY_VERIFY_WITH_TIMEOUT(m_service->server()->evictedCount() >= quint64(kIdle - limits.maxConnectionsPerClient),
                             60000);
    QVERIFY(m_service->server()->connectionCount() <= limits.maxConnectionsPerClient);
    verifyStillServing();
}

void tst_HttpServer::newClientGetsInPastThreeHundredDribblers()
{
    constexpr int kDribblers = 300;
    if (!allowOpenFiles(2 * kDribblers + 512))
        QSKIP("needs about 1,100 open files (300 connections, both ends in this process); the hard limit is lower");
    start({});
    std::vector<std::unique_ptr<QTcpSocket>> dribblers;
    for (int i = 0; i < kDribblers; ++i) {
        QTcpSocket *socket = openConnection(m_service->port(), dribblers);
        // Part of a head, then nothing more for as long as the server lets them.
        connect(socket, &QTcpSocket::connected, socket,
                [socket] { socket->write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "); });
    }
    const HttpServer::Limits &limits = m_service->server()->limits();
    QTRY_VERIFY_WITH_TIMEOUT(
        m_service->server()->evictedCount() >= quint64(kDribblers - limits.maxConnectionsPerClient), 60000);
    verifyStillServing();
}

void tst_HttpServer::readingStopsWhileAnswersAreNotCollected()
{
    start({});
    // One answer of each kind, for their sizes.
    const QByteArray close = "Connection: close\r\n";
    const qint64 bigAnswer = rawExchange(m_service->port(),
                                         "GET /api/v1/big HTTP/1.1\r\nHost: 127.0.0.1\r\n" + close + "\r\n")
                                 .response.size()
        - close.size();
    const qint64 healthAnswer =
        rawExchange(m_service->port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + close + "\r\n").response.size()
        - close.size();

    // Pipelined requests for 25 MiB of answers (more than the kernel buffers on both ends hold), then
    // more requests than the server's read buffer holds, from a client that reads none of the answers (yet).
    constexpr int kBig = 400;
    constexpr int kSmall = 2000;
    const int before = bigHandlerCalls();
    QTcpSocket greedy;
    QVERIFY(sendUnreadRequests(&greedy, kBig, kSmall));
    // The server stops taking requests from it once about 1 MiB of answers waits: not all of them ran.
    QTRY_COMPARE_WITH_TIMEOUT(m_service->server()->pausedConnectionCount(), 1, 20000);
    QVERIFY2(bigHandlerCalls() - before < kBig, qPrintable(QString::number(bigHandlerCalls() - before)));

    // Once the client reads, every request is answered, complete.
    greedy.setReadBufferSize(0);
    const qint64 expected = kBig * bigAnswer + kSmall * healthAnswer;
    qint64 received = 0;
    QByteArray tail;
    const bool all = QTest::qWaitFor(
        [&] {
            const QByteArray chunk = greedy.readAll();
            received += chunk.size();
            tail = QByteArray(tail + chunk).right(64);
            return received >= expected;
        },
        60000);
    QVERIFY2(all, qPrintable(u"%1 of %2 bytes"_s.arg(received).arg(expected)));
    QCOMPARE(received, expected);
    QVERIFY(tail.endsWith(R"({"status":"healthy"})")); // in order: the small ones came last
    QCOMPARE(bigHandlerCalls() - before, kBig);
    QCOMPARE(m_service->server()->pausedConnectionCount(), 0);
}

void tst_HttpServer::clientThatReadsNothingIsCutOff()
{
    HttpServer::Limits limits;
    limits.sendTimeoutMs = 300;
    start(limits);
    QTcpSocket greedy;
    QVERIFY(sendUnreadRequests(&greedy, 400));
    QTRY_COMPARE_WITH_TIMEOUT(m_service->server()->pausedConnectionCount(), 1, 20000);
    // No byte of its answers is collected for the send timeout: the connection is aborted, not kept.
    QTRY_COMPARE_WITH_TIMEOUT(m_service->server()->connectionCount(), 0, 20000);
    verifyStillServing();
}

QTEST_GUILESS_MAIN(tst_HttpServer)
#include "tst_httpserver.moc"
