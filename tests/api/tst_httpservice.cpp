#include "httpservice.h"
#include "support/apitestclient.h"
#include "support/testroutes.h"

#include <QCborMap>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {
using Headers = QList<QPair<QByteArray, QByteArray>>;
const QByteArray kKey = "test-secret-key-12345";

// Length of the first complete response in `buffer` (headers + Content-Length body), 0 if incomplete.
qsizetype completeResponseLength(const QByteArray &buffer, bool headersOnly)
{
    const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return 0;
    const qsizetype at = buffer.toLower().indexOf("content-length:");
    const qsizetype lineEnd = buffer.indexOf("\r\n", at);
    const qsizetype length = at < 0 || at > headerEnd ? 0
                                                      : buffer.mid(at + 15, lineEnd - at - 15).trimmed().toLongLong();
    const qsizetype total = headerEnd + 4 + (headersOnly ? 0 : length);
    return buffer.size() >= total ? total : 0;
}

// One keep-alive connection driven by hand: the requests go out as given (pipelined when several are
// in one write) and the responses come back split, in order.
class KeepAliveConnection
{
public:
    explicit KeepAliveConnection(quint16 port) { m_socket.connectToHost(QHostAddress::LocalHost, port); }

    // headersOnly: the responses to HEAD, whose Content-Length announces a body that is not sent.
    QList<QByteArray> exchange(const QByteArray &requests, int responses, bool headersOnly = false,
                               int timeoutMs = 5000)
    {
        m_socket.write(requests);
        QList<QByteArray> out;
        QByteArray &buffer = m_buffer;
        QElapsedTimer timer;
        timer.start();
        while (out.size() < responses && timer.elapsed() < timeoutMs
               && m_socket.state() != QAbstractSocket::UnconnectedState) {
            m_socket.waitForReadyRead(50);
            QCoreApplication::processEvents();
            buffer += m_socket.readAll();
            while (const qsizetype length = completeResponseLength(buffer, headersOnly))
                out.append(buffer.left(length)), buffer.remove(0, length);
        }
        return out;
    }
    bool connected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer; // received bytes not yet a whole response
};

QByteArray getRequest(const QByteArray &target, const QByteArray &extraHeaders = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n";
}

int statusOf(const QByteArray &response)
{
    return response.mid(9, 3).toInt();
}

QByteArray bodyOf(const QByteArray &response)
{
    return response.mid(response.indexOf("\r\n\r\n") + 4);
}
} // namespace

// Routing, errors, Host/CORS/auth and the WebSocket upgrade gate, over real sockets and a route
// table that needs no organism.
class tst_HttpService : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void unknownRouteIsJson404();
    void wrongMethodIs405WithAllow();
    void headHasHeadersOnly();
    void trailingSlashRedirects();
    void pathArgumentsAreDecoded();
    void queryValidation();
    void handlerExceptionIs500Json();
    void cacheableResponsesAreReusedUntilInvalidated();
    void cachedAnswersKeepTheConnectionInStep();
    void cachedAnswersStillCheckHostAuthAndOrigin();
    void deferredAnswersKeepRequestOrder();
    void deferredAnswerHoldsConnectionClose();
    void deferredAnswerToAGoneClientIsDropped();
    void rejectionWaitsForTheAnswerOwedBeforeIt();
    void closeEndsKeptAliveConnections();
    void failedListenAfterCloseLeavesNoServer();
    void hostCheck_data();
    void hostCheck();
    void corsHeadersOnlyForAllowedOrigins();
    void preflight_data();
    void preflight();
    void optionsWithoutPreflightIs405();
    void crossSiteWritesAreRefused_data();
    void crossSiteWritesAreRefused();
    void authOnWritesOnly();
    void malformedJsonIsReportedBeforeAuth();
    void protectReads();
    void webSocketUpgrade();
    void webSocketRefusals_data();
    void webSocketRefusals();
    void webSocketTokenWhenReadsAreProtected();
    void upgradeOnAnApiRouteIs404();
    void upgradeWaitsForTheAnswerOwedBeforeIt();

private:
    void start(const HttpService::Options &options = {});
    quint16 port() const { return m_service->port(); }

    std::unique_ptr<HttpService> m_service;
};

void tst_HttpService::start(const HttpService::Options &options)
{
    m_service = std::make_unique<HttpService>(testRoutes(), options);
    m_service->addWebSocketPath(u"/ws"_s);
    QString error;
    QVERIFY2(m_service->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    connect(m_service.get(), &HttpService::webSocketConnected, m_service.get(),
            [this](QWebSocket *socket, QTcpSocket *) { socket->setParent(m_service.get()); });
}

void tst_HttpService::initTestCase()
{
    qRegisterMetaType<QWebSocket *>();
    qRegisterMetaType<QTcpSocket *>();
}

void tst_HttpService::cleanup()
{
    m_service.reset();
    pendingReplies().clear();
}

void tst_HttpService::unknownRouteIsJson404()
{
    start();
    ApiTestClient client(port());
    for (const QString &path : {u"/nope"_s, u"/api/v1/items/1/2"_s, u"/api/v2/items"_s, u"/"_s}) {
        const HttpResult result = client.get(path);
        QCOMPARE(result.status, 404);
        QCOMPARE(result.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(result.body, QByteArray(R"({"detail":"Not Found"})"));
    }
}

void tst_HttpService::wrongMethodIs405WithAllow()
{
    start();
    ApiTestClient client(port());
    const HttpResult del = client.send("DELETE", u"/api/v1/items"_s);
    QCOMPARE(del.status, 405);
    QCOMPARE(del.body, QByteArray(R"({"detail":"Method Not Allowed"})"));
    QCOMPARE(del.header("Allow"), QByteArray("GET, HEAD, POST"));
    const HttpResult post = client.post(u"/api/v1/items/7"_s, "{}");
    QCOMPARE(post.status, 405);
    QCOMPARE(post.header("Allow"), QByteArray("GET, HEAD"));
    const HttpResult unknownVerb = client.send("BREW", u"/api/v1/items"_s);
    QCOMPARE(unknownVerb.status, 405);
}

void tst_HttpService::headHasHeadersOnly()
{
    start();
    const RawExchange exchange = rawExchange(
        port(),
        "HEAD /api/v1/items/5 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /api/v1/items/6 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QCOMPARE(exchange.status(), 200);
    QVERIFY(exchange.response.contains("Content-Length: 10\r\n"));
    QVERIFY(!exchange.response.contains(R"({"id":"5"})"));
    QVERIFY(exchange.response.endsWith(R"({"id":"6"})"));
}

void tst_HttpService::trailingSlashRedirects()
{
    start();
    ApiTestClient client(port());
    const HttpResult result = client.get(u"/api/v1/items/?limit=5"_s);
    QCOMPARE(result.status, 307);
    QCOMPARE(result.header("Location"), QByteArray("/api/v1/items?limit=5"));
}

void tst_HttpService::pathArgumentsAreDecoded()
{
    start();
    ApiTestClient client(port());
    QCOMPARE(client.get(u"/api/v1/items/a%2Fb%20c"_s).object().value(u"id"_s).toString(), u"a/b c"_s);
    QCOMPARE(client.get(u"/api/v1/items/%E6%97%A5%E6%9C%AC"_s).object().value(u"id"_s).toString(), u"日本"_s);
}

void tst_HttpService::queryValidation()
{
    start();
    ApiTestClient client(port());
    const HttpResult fine = client.get(u"/api/v1/items?limit=100&offset=3"_s);
    QCOMPARE(fine.body, QByteArray(R"({"limit":100,"offset":3})"));
    const HttpResult bad = client.get(u"/api/v1/items?limit=0&offset=x"_s);
    QCOMPARE(bad.status, 422);
    QCOMPARE(
        bad.body,
        QByteArray(R"({"detail":[{"type":"greater_than_equal","loc":["query","limit"],)"
                   R"("msg":"Input should be greater than or equal to 1","input":"0","ctx":{"ge":1}},)"
                   R"({"type":"int_parsing","loc":["query","offset"],)"
                   R"("msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"}]})"));
}

void tst_HttpService::handlerExceptionIs500Json()
{
    start();
    ApiTestClient client(port());
    const HttpResult result = client.get(u"/api/v1/fail"_s);
    QCOMPARE(result.status, 500);
    QCOMPARE(result.body, QByteArray(R"({"detail":"Internal Server Error"})"));
    QCOMPARE(client.get(u"/health"_s).status, 200);
}

void tst_HttpService::cacheableResponsesAreReusedUntilInvalidated()
{
    start();
    ApiTestClient client(port());
    const int before = counterHandlerCalls();
    const QByteArray first = client.get(u"/api/v1/counter"_s).body;
    QCOMPARE(client.get(u"/api/v1/counter"_s).body, first);
    QCOMPARE(counterHandlerCalls(), before + 1);
    // Another query is another entry; a HEAD is answered from the same entry.
    QCOMPARE(client.get(u"/api/v1/counter?page=2"_s).object().value(u"page"_s).toInt(), 2);
    QCOMPARE(
        rawExchange(port(), "HEAD /api/v1/counter HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").status(),
        200);
    QCOMPARE(counterHandlerCalls(), before + 2);
    // A change of state (signalled by the owner) ...
    m_service->invalidateCache();
    QCOMPARE(client.get(u"/api/v1/counter"_s).object().value(u"calls"_s).toInt(), before + 3);
    // ... or any command run through the API forgets every entry.
    QCOMPARE(client.post(u"/api/v1/items"_s, "{}").status, 200);
    QCOMPARE(client.get(u"/api/v1/counter?page=2"_s).object().value(u"calls"_s).toInt(), before + 4);
    // Errors are never cached; validation still runs on every request.
    QCOMPARE(client.get(u"/api/v1/counter?page=-1"_s).status, 422);
}

void tst_HttpService::cachedAnswersKeepTheConnectionInStep()
{
    start();
    const quint64 before = m_service->cachedAnswerCount();
    KeepAliveConnection connection(port());
    const QList<QByteArray> first = connection.exchange(getRequest("/api/v1/counter"), 1);
    QCOMPARE(first.size(), 1);
    QCOMPARE(statusOf(first.at(0)), 200);
    // The repeat is answered by the guard from the bytes the full path wrote: the same bytes.
    const QList<QByteArray> again = connection.exchange(getRequest("/api/v1/counter"), 1);
    QCOMPARE(again, first);
    QCOMPARE(m_service->cachedAnswerCount(), before + 1);
    // QHttpServer still reads the next request on that connection: a command, then the changed page.
    const QList<QByteArray> command = connection.exchange(
        "POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 2\r\n\r\n{}",
        1);
    QCOMPARE(command.size(), 1);
    QCOMPARE(statusOf(command.at(0)), 200);
    const QList<QByteArray> changed = connection.exchange(getRequest("/api/v1/counter"), 1);
    QCOMPARE(changed.size(), 1);
    QVERIFY(changed.at(0) != first.at(0)); // the command forgot the cached page
    // Pipelined requests are never answered out of order: both go the full way, in order.
    const QList<QByteArray> pipelined = connection.exchange(
        getRequest("/api/v1/counter") + getRequest("/api/v1/counter?page=3"), 2);
    QCOMPARE(pipelined.size(), 2);
    QCOMPARE(bodyOf(pipelined.at(0)), bodyOf(changed.at(0)));
    QCOMPARE(QJsonDocument::fromJson(bodyOf(pipelined.at(1))).object().value(u"page"_s).toInt(), 3);
    // Two pipelined requests whose second is cached: both are answered, in order (the cache only ever
    // answers a request that arrives alone).
    const QList<QByteArray> both = connection.exchange(
        getRequest("/api/v1/counter?page=5") + getRequest("/api/v1/counter"), 2);
    QCOMPARE(both.size(), 2);
    QCOMPARE(QJsonDocument::fromJson(bodyOf(both.at(0))).object().value(u"page"_s).toInt(), 5);
    QCOMPARE(bodyOf(both.at(1)), bodyOf(changed.at(0)));
    // And after all that the connection is still usable, from the cache again.
    const quint64 cachedSoFar = m_service->cachedAnswerCount();
    QCOMPARE(connection.exchange(getRequest("/api/v1/counter?page=3"), 1).value(0), pipelined.at(1));
    QCOMPARE(m_service->cachedAnswerCount(), cachedSoFar + 1);
    QVERIFY(connection.connected());
}

void tst_HttpService::cachedAnswersStillCheckHostAuthAndOrigin()
{
    HttpService::Options options;
    options.apiKey = kKey;
    options.protectReads = true;
    start(options);
    KeepAliveConnection connection(port());
    const QByteArray key = "Authorization: Bearer " + kKey + "\r\n";
    const QList<QByteArray> page = connection.exchange(getRequest("/api/v1/counter", key), 1);
    QCOMPARE(statusOf(page.value(0)), 200);
    QCOMPARE(connection.exchange(getRequest("/api/v1/counter", key), 1).value(0), page.at(0));
    const quint64 cached = m_service->cachedAnswerCount();
    QCOMPARE(cached, quint64(1));

    // Everything that the full path would refuse or answer differently still gets that answer.
    QCOMPARE(statusOf(connection.exchange(getRequest("/api/v1/counter"), 1).value(0)), 401);
    QCOMPARE(
        statusOf(connection.exchange(getRequest("/api/v1/counter", "Authorization: Bearer wrong\r\n"), 1).value(0)),
        403);
    const QByteArray rebinding = "GET /api/v1/counter HTTP/1.1\r\nHost: attacker.example\r\n" + key + "\r\n";
    QCOMPARE(statusOf(connection.exchange(rebinding, 1).value(0)), 400);
    const QByteArray cors =
        connection.exchange(getRequest("/api/v1/counter", key + "Origin: http://localhost:3000\r\n"), 1).value(0);
    QCOMPARE(statusOf(cors), 200);
    QVERIFY(cors.contains("Access-Control-Allow-Origin: http://localhost:3000\r\n"));
    const QByteArray head =
        connection.exchange("HEAD /api/v1/counter HTTP/1.1\r\nHost: 127.0.0.1\r\n" + key + "\r\n", 1, true).value(0);
    QCOMPARE(statusOf(head), 200);
    QVERIFY(head.endsWith("\r\n\r\n")); // headers only
    QCOMPARE(m_service->cachedAnswerCount(), cached);

    // A change of state means the next request is answered afresh.
    m_service->invalidateCache();
    const QByteArray fresh = connection.exchange(getRequest("/api/v1/counter", key), 1).value(0);
    QCOMPARE(statusOf(fresh), 200);
    QVERIFY(bodyOf(fresh) != bodyOf(page.at(0)));
    QCOMPARE(m_service->cachedAnswerCount(), cached);
}

void tst_HttpService::deferredAnswersKeepRequestOrder()
{
    start();
    KeepAliveConnection connection(port());
    const QByteArray later = "POST /api/v1/later HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";
    QVERIFY(connection.exchange(later, 1, false, 300).isEmpty()); // nothing until the handler answers
    QCOMPARE(pendingReplies().size(), 1);
    // Requests behind it are read and run, but their answers wait their turn, and the cache, primed
    // by the first, must not jump the queue with the second.
    QVERIFY(connection.exchange(getRequest("/api/v1/counter"), 1, false, 300).isEmpty());
    QVERIFY(connection.exchange(getRequest("/api/v1/counter"), 1, false, 300).isEmpty());
    const quint64 cached = m_service->cachedAnswerCount();
    pendingReplies().takeFirst()(ApiResponse::json(QCborMap{{u"done"_s, true}}));
    const QList<QByteArray> answers = connection.exchange({}, 3);
    QCOMPARE(answers.size(), 3);
    QCOMPARE(bodyOf(answers.at(0)), QByteArray(R"({"done":true})"));
    QCOMPARE(statusOf(answers.at(1)), 200);
    QCOMPARE(bodyOf(answers.at(2)), bodyOf(answers.at(1)));
    QCOMPARE(m_service->cachedAnswerCount(), cached);
    // The command's answer forgot the cached pages again; with nothing owed any more the connection
    // works as before, cache included.
    const QByteArray fresh = connection.exchange(getRequest("/api/v1/counter"), 1).value(0);
    QVERIFY(bodyOf(fresh) != bodyOf(answers.at(2)));
    QCOMPARE(connection.exchange(getRequest("/api/v1/counter"), 1).value(0), fresh);
    QCOMPARE(m_service->cachedAnswerCount(), cached + 1);
}

void tst_HttpService::deferredAnswerHoldsConnectionClose()
{
    start();
    KeepAliveConnection connection(port());
    const QByteArray later =
        "POST /api/v1/later HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    QVERIFY(connection.exchange(later, 1, false, 300).isEmpty());
    QVERIFY(connection.connected()); // Connection: close waits for the answer it is owed
    pendingReplies().takeFirst()(ApiResponse::detail(409, u"Thread is held"_s));
    const QList<QByteArray> answers = connection.exchange({}, 1);
    QCOMPARE(answers.size(), 1);
    QCOMPARE(statusOf(answers.at(0)), 409);
    QTRY_VERIFY(!connection.connected());
}

void tst_HttpService::deferredAnswerToAGoneClientIsDropped()
{
    start();
    {
        KeepAliveConnection connection(port());
        QVERIFY(
            connection
                .exchange("POST /api/v1/later HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", 1, false, 300)
                .isEmpty());
    }
    QTRY_COMPARE(m_service->server()->connectionCount(), 0);
    pendingReplies().takeFirst()(ApiResponse::json(QCborMap{{u"done"_s, true}})); // must not crash
    QCOMPARE(ApiTestClient(port()).get(u"/health"_s).status, 200);
}

void tst_HttpService::rejectionWaitsForTheAnswerOwedBeforeIt()
{
    start();
    KeepAliveConnection connection(port());
    QVERIFY(connection
                .exchange("POST /api/v1/later HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", 1, false, 300)
                .isEmpty());
    // A garbage request behind it is refused, but only after the inject's answer has gone out.
    QVERIFY(connection.exchange("HELLO\r\n\r\n", 1, false, 300).isEmpty());
    QCOMPARE(pendingReplies().size(), 1);
    pendingReplies().takeFirst()(ApiResponse::json(QCborMap{{u"done"_s, true}}));
    const QList<QByteArray> answers = connection.exchange({}, 2);
    QCOMPARE(answers.size(), 2);
    QCOMPARE(bodyOf(answers.at(0)), QByteArray(R"({"done":true})"));
    QCOMPARE(statusOf(answers.at(1)), 400);
    QVERIFY(answers.at(1).contains("Invalid HTTP request line"));
    QTRY_VERIFY(!connection.connected());
}

void tst_HttpService::closeEndsKeptAliveConnections()
{
    start();
    KeepAliveConnection idle(port());
    QCOMPARE(idle.exchange(getRequest("/health"), 1).size(), 1);
    KeepAliveConnection owed(port());
    QVERIFY(owed.exchange("POST /api/v1/later HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", 1, false, 300)
                .isEmpty());
    const quint16 oldPort = port();
    m_service->close();
    // A client kept alive is not served any more: its connection ends ...
    QTRY_VERIFY(!idle.connected());
    // ... except that an answer already owed is still written first.
    QVERIFY(owed.connected());
    pendingReplies().takeFirst()(ApiResponse::json(QCborMap{{u"done"_s, true}}));
    const QList<QByteArray> answers = owed.exchange({}, 1);
    QCOMPARE(answers.size(), 1);
    QCOMPARE(bodyOf(answers.at(0)), QByteArray(R"({"done":true})"));
    QTRY_VERIFY(!owed.connected());
    // And nobody new gets in.
    QCOMPARE(rawExchange(oldPort, getRequest("/health"), 500).status(), 0);
}

void tst_HttpService::failedListenAfterCloseLeavesNoServer()
{
    start();
    HttpService other(testRoutes(), {});
    QString error;
    QVERIFY2(other.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    other.close();
    // The port is taken by the first service: the second cannot listen again, and says so.
    QVERIFY(!other.listen(QHostAddress::LocalHost, port(), &error));
    QVERIFY(error.contains(QString::number(port())));
    QCOMPARE(other.port(), quint16(0));
    QVERIFY(other.server() == nullptr);
    other.close(); // harmless
    QCOMPARE(ApiTestClient(port()).get(u"/health"_s).status, 200);
}

void tst_HttpService::hostCheck_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<int>("status");
    QTest::newRow("127.0.0.1") << QByteArray("127.0.0.1:1234") << 200;
    QTest::newRow("localhost") << QByteArray("localhost") << 200;
    QTest::newRow("[::1]") << QByteArray("[::1]:8765") << 200;
    QTest::newRow("allowed name") << QByteArray("desk.lan:8765") << 200;
    QTest::newRow("rebinding") << QByteArray("attacker.example:8765") << 400;
}

void tst_HttpService::hostCheck()
{
    QFETCH(QByteArray, host);
    QFETCH(int, status);
    HttpService::Options options;
    options.allowedHosts = {u"desk.lan"_s};
    start(options);
    for (const QByteArray &path : {QByteArray("/health"), QByteArray("/api/v1/items"), QByteArray("/nope")}) {
        const RawExchange exchange = rawExchange(
            port(), "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        if (status == 400) {
            QCOMPARE(exchange.status(), 400);
            QVERIFY(exchange.response.contains(R"({"detail":"Invalid host header"})"));
        } else {
            QVERIFY(exchange.status() == 200 || (path == "/nope" && exchange.status() == 404));
        }
    }
}

void tst_HttpService::corsHeadersOnlyForAllowedOrigins()
{
    HttpService::Options options;
    options.corsOrigins = {u"https://dash.example"_s};
    start(options);
    ApiTestClient client(port());
    const HttpResult local = client.get(u"/api/v1/items"_s, {{"Origin", "http://localhost:3000"}});
    QCOMPARE(local.header("Access-Control-Allow-Origin"), QByteArray("http://localhost:3000"));
    QCOMPARE(local.header("Vary"), QByteArray("Origin"));
    const HttpResult configured = client.get(u"/nope"_s, {{"Origin", "https://dash.example"}});
    QCOMPARE(configured.status, 404);
    QCOMPARE(configured.header("Access-Control-Allow-Origin"), QByteArray("https://dash.example"));
    const HttpResult foreign = client.get(u"/api/v1/items"_s, {{"Origin", "https://evil.example"}});
    QCOMPARE(foreign.status, 200); // not a browser-enforced failure on our side: just no CORS grant
    QVERIFY(foreign.header("Access-Control-Allow-Origin").isEmpty());
}

void tst_HttpService::preflight_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<int>("status");
    QTest::newRow("allowed") << QByteArray("http://127.0.0.1:5173") << 200;
    QTest::newRow("foreign") << QByteArray("https://evil.example") << 400;
}

void tst_HttpService::preflight()
{
    QFETCH(QByteArray, origin);
    QFETCH(int, status);
    start();
    ApiTestClient client(port());
    const HttpResult result = client.send("OPTIONS", u"/api/v1/items"_s, {},
                                          {{"Origin", origin},
                                           {"Access-Control-Request-Method", "POST"},
                                           {"Access-Control-Request-Headers", "authorization,content-type"}});
    QCOMPARE(result.status, status);
    if (status == 200) {
        QCOMPARE(result.header("Access-Control-Allow-Origin"), origin);
        QVERIFY(result.header("Access-Control-Allow-Methods").contains("POST"));
        QVERIFY(result.header("Access-Control-Allow-Headers").contains("Authorization"));
    } else {
        QCOMPARE(result.detail(), u"Disallowed CORS origin"_s);
        QVERIFY(result.header("Access-Control-Allow-Origin").isEmpty());
    }
}

void tst_HttpService::optionsWithoutPreflightIs405()
{
    start();
    ApiTestClient client(port());
    QCOMPARE(client.send("OPTIONS", u"/api/v1/items"_s).status, 405);
}

void tst_HttpService::crossSiteWritesAreRefused_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("detail"); // a fragment of the 403's detail
    const QByteArray json = "Content-Type: application/json\r\n";
    // What clients without a browser send: curl, Python's requests/httpx, the window's attach mode.
    QTest::newRow("JSON, no Origin") << json << QByteArray("{}") << 200 << QString();
    QTest::newRow("JSON with charset") << QByteArray("Content-Type: application/json; charset=utf-8\r\n")
                                       << QByteArray("{}") << 200 << QString();
    QTest::newRow("body-less, no Content-Type") << QByteArray() << QByteArray() << 200 << QString();
    // Browsers: same origin, an allowed origin, same-site.
    QTest::newRow("same origin") << QByteArray(json + "Origin: http://desk.lan:8765\r\n") << QByteArray("{}") << 200
                                 << QString();
    QTest::newRow("allowed origin") << QByteArray(json
                                                  + "Origin: https://dash.example\r\nSec-Fetch-Site: cross-site\r\n")
                                    << QByteArray("{}") << 200 << QString();
    QTest::newRow("localhost origin") << QByteArray(json
                                                    + "Origin: http://localhost:3000\r\nSec-Fetch-Site: same-site\r\n")
                                      << QByteArray("{}") << 200 << QString();
    // A page on another site.
    QTest::newRow("foreign origin") << QByteArray(json + "Origin: https://evil.example\r\n") << QByteArray("{}") << 403
                                    << u"origin 'https://evil.example' is not allowed"_s;
    QTest::newRow("opaque origin") << QByteArray(json + "Origin: null\r\n") << QByteArray("{}") << 403
                                   << u"origin 'null' is not allowed"_s;
    QTest::newRow("cross-site fetch") << QByteArray(json + "Sec-Fetch-Site: cross-site\r\n") << QByteArray("{}") << 403
                                      << u"Sec-Fetch-Site is cross-site"_s;
    QTest::newRow("text/plain") << QByteArray("Content-Type: text/plain\r\n") << QByteArray("{}") << 403
                                << u"Content-Type must be application/json"_s;
    QTest::newRow("form") << QByteArray("Content-Type: application/x-www-form-urlencoded\r\n") << QByteArray("a=1")
                          << 403 << u"(got 'application/x-www-form-urlencoded')"_s;
    QTest::newRow("body-less form") << QByteArray("Content-Type: text/plain\r\n") << QByteArray() << 403
                                    << u"Content-Type must be application/json"_s;
    QTest::newRow("body without Content-Type")
        << QByteArray() << QByteArray("{}") << 403 << u"a body was sent without one"_s;
}

void tst_HttpService::crossSiteWritesAreRefused()
{
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, detail);
    HttpService::Options options;
    options.allowedHosts = {u"desk.lan"_s};
    options.corsOrigins = {u"https://dash.example"_s};
    options.apiKey = kKey; // refused before the key is even looked at
    start(options);
    const QByteArray host = headers.contains("desk.lan") ? "desk.lan:8765" : "127.0.0.1";
    const QByteArray request = "POST /api/v1/items HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + kKey
        + "\r\n" + headers + "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n"
        + body;
    const RawExchange exchange = rawExchange(port(), request);
    QCOMPARE(exchange.status(), status);
    if (status == 403) {
        const QJsonObject answer = QJsonDocument::fromJson(bodyOf(exchange.response)).object();
        QVERIFY2(answer.value(u"detail"_s).toString().contains(detail), exchange.response.constData());
    }
    // PUT and DELETE are refused the same way (here on a path without them: the route is matched first).
    if (status == 403) {
        QCOMPARE(rawExchange(port(), "DELETE /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                     .status(),
                 405);
    }
}

void tst_HttpService::authOnWritesOnly()
{
    HttpService::Options options;
    options.apiKey = kKey;
    start(options);
    ApiTestClient client(port());
    const HttpResult none = client.post(u"/api/v1/items"_s, "{}");
    QCOMPARE(none.status, 401);
    QCOMPARE(none.detail(), u"Authentication required"_s);
    QCOMPARE(none.header("WWW-Authenticate"), QByteArray("Bearer"));
    const HttpResult wrong = client.post(u"/api/v1/items"_s, "{}", {{"Authorization", "Bearer wrong"}});
    QCOMPARE(wrong.status, 403);
    QCOMPARE(wrong.detail(), u"Invalid API key"_s);
    QCOMPARE(client.post(u"/api/v1/items"_s, "{}", {{"Authorization", "Bearer " + kKey}}).status, 200);
    QCOMPARE(client.get(u"/api/v1/items"_s).status, 200);
    QCOMPARE(client.get(u"/health"_s).status, 200);
}

void tst_HttpService::malformedJsonIsReportedBeforeAuth()
{
    HttpService::Options options;
    options.apiKey = kKey;
    start(options);
    ApiTestClient client(port());
    const HttpResult result = client.post(u"/api/v1/items"_s, "{\"to\": ");
    QCOMPARE(result.status, 422);
    QCOMPARE(result.detailList().first().toObject().value(u"type"_s).toString(), u"json_invalid"_s);
    // Valid JSON of any shape gets to the auth check.
    QCOMPARE(client.post(u"/api/v1/items"_s, "42").status, 401);
}

void tst_HttpService::protectReads()
{
    HttpService::Options options;
    options.apiKey = kKey;
    options.protectReads = true;
    start(options);
    ApiTestClient client(port());
    QCOMPARE(client.get(u"/api/v1/items"_s).status, 401);
    QCOMPARE(client.get(u"/api/v1/items"_s, {{"Authorization", "Bearer " + kKey}}).status, 200);
    QCOMPARE(client.get(u"/health"_s).status, 200);
    // Unknown routes stay 404 whatever the credentials.
    QCOMPARE(client.get(u"/nope"_s).status, 404);
}

void tst_HttpService::webSocketUpgrade()
{
    start();
    QSignalSpy spy(m_service.get(), &HttpService::webSocketConnected);
    QWebSocket client;
    client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(port())));
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(spy.count(), 1);
    auto *server = spy.first().at(0).value<QWebSocket *>();
    QVERIFY(server);
    QCOMPARE(server->requestUrl().path(), u"/ws"_s);
    // The raw TCP socket under it is found, so traffic QWebSocket hides (pings) can be observed.
    QVERIFY(spy.first().at(1).value<QTcpSocket *>() != nullptr);
    QString echoed;
    connect(server, &QWebSocket::textMessageReceived, server,
            [server](const QString &text) { server->sendTextMessage(text); });
    connect(&client, &QWebSocket::textMessageReceived, this, [&](const QString &text) { echoed = text; });
    client.sendTextMessage(u"ping"_s);
    QTRY_COMPARE(echoed, u"ping"_s);
}

void tst_HttpService::webSocketRefusals_data()
{
    QTest::addColumn<QByteArray>("extraHeaders");
    QTest::addColumn<bool>("upgrade");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("detail");
    QTest::newRow("foreign origin") << QByteArray("Origin: https://evil.example\r\n") << true << 403
                                    << u"Origin not allowed"_s;
    QTest::newRow("rebinding host") << QByteArray() << true << 400 << u"Invalid host header"_s;
    QTest::newRow("plain GET") << QByteArray() << false << 426 << u"WebSocket upgrade required"_s;
}

void tst_HttpService::webSocketRefusals()
{
    QFETCH(QByteArray, extraHeaders);
    QFETCH(bool, upgrade);
    QFETCH(int, status);
    QFETCH(QString, detail);
    start();
    const QByteArray host = status == 400 ? "attacker.example" : "127.0.0.1";
    QByteArray request = "GET /ws HTTP/1.1\r\nHost: " + host + "\r\n" + extraHeaders;
    if (upgrade)
        request += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n";
    const RawExchange exchange = rawExchange(port(), request + "\r\n");
    QCOMPARE(exchange.status(), status);
    QVERIFY2(exchange.response.contains(detail.toUtf8()), exchange.response.constData());
    const RawExchange allowed = rawExchange(
        port(),
        "GET /ws HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost:3000\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        500);
    QCOMPARE(allowed.status(), 101);
}

void tst_HttpService::webSocketTokenWhenReadsAreProtected()
{
    HttpService::Options options;
    options.apiKey = kKey;
    options.protectReads = true;
    start(options);
    const QByteArray upgrade =
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n";
    QCOMPARE(rawExchange(port(), "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n" + upgrade).status(), 401);
    QCOMPARE(rawExchange(port(), "GET /ws?token=wrong HTTP/1.1\r\nHost: 127.0.0.1\r\n" + upgrade).status(), 403);
    QCOMPARE(rawExchange(port(), "GET /ws?token=" + kKey + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + upgrade, 500).status(),
             101);
    QCOMPARE(rawExchange(port(),
                         "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kKey + "\r\n" + upgrade, 500)
                 .status(),
             101);
}

void tst_HttpService::upgradeOnAnApiRouteIs404()
{
    start();
    const RawExchange exchange = rawExchange(
        port(),
        "GET /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QCOMPARE(exchange.status(), 404);
    QVERIFY(exchange.closedByServer);
}

void tst_HttpService::upgradeWaitsForTheAnswerOwedBeforeIt()
{
    start();
    QSignalSpy spy(m_service.get(), &HttpService::webSocketConnected);
    KeepAliveConnection connection(port());
    const QByteArray later = "POST /api/v1/later HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";
    const QByteArray handshake = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    // Nothing comes back while the first request's answer is owed: not even the handshake's 101.
    QVERIFY(connection.exchange(later + handshake, 1, false, 300).isEmpty());
    QCOMPARE(spy.count(), 0);
    pendingReplies().takeFirst()(ApiResponse::json(QCborMap{{u"done"_s, true}}));
    const QList<QByteArray> answers = connection.exchange({}, 2);
    QCOMPARE(answers.size(), 2);
    QCOMPARE(bodyOf(answers.at(0)), QByteArray(R"({"done":true})"));
    QCOMPARE(statusOf(answers.at(1)), 101);
    QTRY_COMPARE(spy.count(), 1);
}

QTEST_GUILESS_MAIN(tst_HttpService)
#include "tst_httpservice.moc"
