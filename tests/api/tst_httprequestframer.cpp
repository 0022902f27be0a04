#include "httprequestframer.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using Event = HttpRequestFramer::Event;

namespace {

HttpRequestFramer::Limits smallLimits()
{
    HttpRequestFramer::Limits limits;
    limits.maxBodyBytes = 100;
    limits.maxHeaderBytes = 512;
    limits.maxRequestLineBytes = 200;
    limits.maxHeaderCount = 10;
    return limits;
}

// Feeds everything (in chunks of `chunk` bytes) and returns the events seen.
QList<Event> feedAll(HttpRequestFramer &framer, const QByteArray &bytes, qsizetype chunk = 1 << 20)
{
    QList<Event> events;
    for (qsizetype start = 0; start < bytes.size(); start += chunk) {
        QByteArrayView piece = QByteArrayView(bytes).sliced(start, qMin(chunk, bytes.size() - start));
        while (!piece.isEmpty()) {
            qsizetype consumed = 0;
            const Event event = framer.feed(piece, &consumed);
            piece = piece.sliced(consumed);
            if (event != Event::None)
                events.append(event);
            if (event == Event::Rejected)
                return events;
        }
    }
    return events;
}

// The `chunk` column: the same bytes arriving whole, byte by byte and in odd-sized pieces.
void addChunkSizes()
{
    QTest::addColumn<int>("chunk");
    QTest::newRow("one piece") << (1 << 20);
    QTest::newRow("byte by byte") << 1;
    QTest::newRow("5 bytes") << 5;
    QTest::newRow("7 bytes") << 7;
}

} // namespace

class tst_HttpRequestFramer : public QObject
{
    Q_OBJECT
private slots:
    void simpleGet();
    void bodyAcrossChunks_data();
    void bodyAcrossChunks();
    void pipelinedRequests();
    void headIsCapturedHoweverTheBytesArrive_data();
    void headIsCapturedHoweverTheBytesArrive();
    void blankLinesBetweenRequestsAreTolerated();
    void bodyRemainingCountsDown();
    void rejects_data();
    void rejects();
    void bodyLimitIsCheckedBeforeTheBodyArrives();
    void bodyAtTheLimitIsAccepted();
    void expectContinue();
    void webSocketUpgradeStopsFraming();
    void connectionClose_data();
    void connectionClose();
};

void tst_HttpRequestFramer::simpleGet()
{
    HttpRequestFramer framer(smallLimits());
    QVERIFY(!framer.inRequest());
    const auto events = feedAll(framer, "GET /api/v1/agents HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(events, QList<Event>{Event::RequestComplete});
    QCOMPARE(framer.completedRequests(), 1);
    QVERIFY(!framer.inRequest());
}

void tst_HttpRequestFramer::bodyAcrossChunks_data()
{
    addChunkSizes();
}

void tst_HttpRequestFramer::bodyAcrossChunks()
{
    QFETCH(int, chunk);
    HttpRequestFramer framer(smallLimits());
    const QByteArray request = "POST /x HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world";
    const auto events = feedAll(framer, request, chunk);
    QCOMPARE(events, (QList<Event>{Event::HeadersComplete, Event::RequestComplete}));
    QCOMPARE(framer.contentLength(), 11);
}

void tst_HttpRequestFramer::headIsCapturedHoweverTheBytesArrive_data()
{
    addChunkSizes();
}

void tst_HttpRequestFramer::headIsCapturedHoweverTheBytesArrive()
{
    QFETCH(int, chunk);
    HttpRequestFramer framer(smallLimits());
    const QByteArray request = "GET  /api/v1/threads?limit=50 HTTP/1.1\r\nhOsT:  127.0.0.1:8765 \r\n"
                               "Authorization: Bearer k\r\nCONNECTION: keep-alive, Upgrade-Insecure\r\n\r\n";
    QCOMPARE(feedAll(framer, request, chunk), QList<Event>{Event::RequestComplete});
    const HttpRequestFramer::RequestHead &head = framer.head();
    QCOMPARE(head.method, QByteArray("GET"));
    QCOMPARE(head.target, QByteArray("/api/v1/threads?limit=50"));
    QCOMPARE(head.host, QByteArray("127.0.0.1:8765"));
    QCOMPARE(head.authorization, QByteArray("Bearer k"));
    QVERIFY(head.origin.isNull());
    QVERIFY(!head.repeatedHeader);
    QVERIFY(!framer.closeRequested());

    // The next request starts from a clean head; a repeated Origin is flagged, an empty one present.
    QCOMPARE(feedAll(framer, "GET / HTTP/1.1\r\nOrigin:\r\nOrigin: http://a\r\n\r\n", chunk),
             QList<Event>{Event::RequestComplete});
    QVERIFY(framer.head().host.isNull());
    QVERIFY(framer.head().authorization.isNull());
    QCOMPARE(framer.head().origin, QByteArray("http://a"));
    QVERIFY(framer.head().repeatedHeader);

    // What the cross-site check and the preflight read.
    QCOMPARE(feedAll(framer,
                     "POST /x HTTP/1.1\r\ncontent-type: text/plain\r\nSec-Fetch-Site: cross-site\r\n"
                     "Access-Control-Request-Method: POST\r\n\r\n",
                     chunk),
             QList<Event>{Event::RequestComplete});
    QCOMPARE(framer.head().contentType, QByteArray("text/plain"));
    QCOMPARE(framer.head().secFetchSite, QByteArray("cross-site"));
    QCOMPARE(framer.head().accessControlRequestMethod, QByteArray("POST"));
    QVERIFY(!framer.head().repeatedHeader);
    QCOMPARE(feedAll(framer, "POST /x HTTP/1.1\r\nContent-Type: a/json\r\nContent-Type: text/plain\r\n\r\n", chunk),
             QList<Event>{Event::RequestComplete});
    QVERIFY(framer.head().repeatedHeader);
}

void tst_HttpRequestFramer::pipelinedRequests()
{
    HttpRequestFramer framer(smallLimits());
    const QByteArray one = "POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
    const QByteArray two = "GET /b HTTP/1.1\r\n\r\n";
    const auto events = feedAll(framer, one + two + one);
    QCOMPARE(events,
             (QList<Event>{Event::HeadersComplete, Event::RequestComplete, Event::RequestComplete,
                           Event::HeadersComplete, Event::RequestComplete}));
    QCOMPARE(framer.completedRequests(), 3);
}

void tst_HttpRequestFramer::blankLinesBetweenRequestsAreTolerated()
{
    HttpRequestFramer framer(smallLimits());
    const auto events = feedAll(framer, "\r\n\r\nGET / HTTP/1.1\r\n\r\n\r\n");
    QCOMPARE(events, QList<Event>{Event::RequestComplete});
    QVERIFY(!framer.inRequest());
    // The connection hands a WebSocket handshake over from its first byte: it knows how many came before.
    HttpRequestFramer upgrade(smallLimits());
    QCOMPARE(feedAll(upgrade, "\r\n\r\nGET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"),
             QList<Event>{Event::Upgraded});
    QCOMPARE(upgrade.bytesBeforeRequest(), 4);
}

void tst_HttpRequestFramer::bodyRemainingCountsDown()
{
    HttpRequestFramer framer(smallLimits());
    qsizetype consumed = 0;
    QCOMPARE(framer.feed("POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\n", &consumed), Event::HeadersComplete);
    QCOMPARE(framer.bodyRemaining(), 5);
    QCOMPARE(framer.feed("abc", &consumed), Event::None);
    QCOMPARE(framer.bodyRemaining(), 2);
    QCOMPARE(framer.feed("de", &consumed), Event::RequestComplete);
    QCOMPARE(framer.bodyRemaining(), 0);
    QCOMPARE(framer.bytesBeforeRequest(), 0);
}

void tst_HttpRequestFramer::rejects_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("garbage line") << QByteArray("HELLO\r\n\r\n") << 400;
    QTest::newRow("binary garbage") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n", 13) << 400;
    QTest::newRow("two words") << QByteArray("GET /\r\n\r\n") << 400;
    QTest::newRow("no version") << QByteArray("GET / FOO\r\n\r\n") << 400;
    QTest::newRow("four words") << QByteArray("GET / HTTP/1.1 extra\r\n\r\n") << 400;
    QTest::newRow("tab separator") << QByteArray("GET\t/ HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("vertical tab separator") << QByteArray("GET\v/ HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("bad target") << QByteArray("GET api HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("bad method") << QByteArray("G(T / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("http/2") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
    QTest::newRow("http/0.9") << QByteArray("GET / HTTP/0.9\r\n\r\n") << 505;
    QTest::newRow("long uri") << QByteArray("GET /" + QByteArray(300, 'a') + " HTTP/1.1\r\n\r\n") << 414;
    QByteArray flood = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 11; ++i)
        flood += "X-H" + QByteArray::number(i) + ": v\r\n";
    QTest::newRow("header count") << QByteArray(flood + "\r\n") << 431;
    QTest::newRow("header bytes") << QByteArray("GET / HTTP/1.1\r\nX: " + QByteArray(600, 'v') + "\r\n\r\n") << 431;
    QTest::newRow("endless header line") << QByteArray("GET / HTTP/1.1\r\nX: " + QByteArray(600, 'v')) << 431;
    QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") << 411;
    QTest::newRow("bad length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 12a\r\n\r\n") << 400;
    QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
    QTest::newRow("conflicting lengths") << QByteArray(
        "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
                                         << 400;
    QTest::newRow("huge length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n")
                                 << 400;
    QTest::newRow("too large") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n") << 413;
    QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n") << 400;
    QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << 400;
    QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nnonsense\r\n\r\n") << 400;
    QTest::newRow("two hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400;
    QTest::newRow("odd expect") << QByteArray("POST / HTTP/1.1\r\nExpect: 200-ok\r\n\r\n") << 417;
    QTest::newRow("second request bad") << QByteArray(
        "GET / HTTP/1.1\r\n\r\nPOST / HTTP/1.1\r\nContent-Length: 500\r\n\r\n")
                                        << 413;
}

void tst_HttpRequestFramer::rejects()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    HttpRequestFramer framer(smallLimits());
    const auto events = feedAll(framer, request);
    QVERIFY(!events.isEmpty());
    QCOMPARE(events.last(), Event::Rejected);
    QCOMPARE(framer.rejection().status, status);
    QVERIFY(!framer.rejection().detail.isEmpty());
    // Nothing after a rejection is parsed.
    qsizetype consumed = 0;
    QCOMPARE(framer.feed("GET / HTTP/1.1\r\n\r\n", &consumed), Event::None);
}

void tst_HttpRequestFramer::bodyLimitIsCheckedBeforeTheBodyArrives()
{
    HttpRequestFramer framer(smallLimits());
    const auto events = feedAll(framer, "POST / HTTP/1.1\r\nContent-Length: 2097152\r\n\r\n");
    QCOMPARE(events, QList<Event>{Event::Rejected});
    QCOMPARE(framer.rejection().status, 413);
    QVERIFY(framer.rejection().detail.contains(u"2097152"_s));
}

void tst_HttpRequestFramer::bodyAtTheLimitIsAccepted()
{
    HttpRequestFramer framer(smallLimits());
    const auto events = feedAll(framer, "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n" + QByteArray(100, 'x'));
    QCOMPARE(events, (QList<Event>{Event::HeadersComplete, Event::RequestComplete}));
}

void tst_HttpRequestFramer::expectContinue()
{
    HttpRequestFramer framer(smallLimits());
    const auto events = feedAll(framer, "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    QCOMPARE(events, QList<Event>{Event::HeadersComplete});
    QVERIFY(framer.expectsContinue());
    QVERIFY(framer.inRequest());
}

void tst_HttpRequestFramer::webSocketUpgradeStopsFraming()
{
    HttpRequestFramer framer(smallLimits());
    const QByteArray handshake = "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n\r\n";
    const auto events = feedAll(framer, handshake + QByteArray("\x81\x85garbage that is not HTTP"));
    QCOMPARE(events, QList<Event>{Event::Upgraded});
    QVERIFY(framer.upgraded());
}

void tst_HttpRequestFramer::connectionClose_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("close");
    QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\n\r\n") << false;
    QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nConnection: close\r\n\r\n") << true;
    QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << true;
    QTest::newRow("1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << false;
}

void tst_HttpRequestFramer::connectionClose()
{
    QFETCH(QByteArray, request);
    QFETCH(bool, close);
    HttpRequestFramer framer(smallLimits());
    QCOMPARE(feedAll(framer, request), QList<Event>{Event::RequestComplete});
    QCOMPARE(framer.closeRequested(), close);
}

QTEST_APPLESS_MAIN(tst_HttpRequestFramer)
#include "tst_httprequestframer.moc"
