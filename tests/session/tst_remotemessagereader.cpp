// RemoteMessageReader against an in-memory server that pages by offset, newest first, 100 at most:
// every answer must equal what the local history store returns for the same query (a brute-force
// reference here), whatever the cursors, order, filters — and when messages arrive between requests.

#include "remotemessagereader.h"

#include <QTest>

#include <deque>
#include <functional>
#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

using Filter = RemoteMessageReader::Filter;

MessageRecord makeMessage(qint64 seq)
{
    MessageRecord message;
    message.seq = seq;
    message.id = u"m%1"_s.arg(seq);
    message.threadId = u"t%1"_s.arg(seq % 7);
    message.to = QStringList{u"a"_s, u"b"_s, u"c"_s}.at(int(seq % 3));
    message.xml = u"<Note><Text>%1</Text></Note>"_s.arg(seq % 10 == 0 ? u"round"_s : u"odd"_s).toUtf8();
    return message;
}

// The server: a list it filters (or not), newest first, paged by offset; requests are answered when
// the test says so, so that the history can change between them.
class FakeServer
{
public:
    QList<MessageRecord> stored; // ascending seq
    Filter serverFilter;         // what the server applies; empty: nothing
    qint64 serverAfter = 0;      // the `after` parameter
    int requests = 0;
    std::function<void(int request)> beforeAnswer; // may add messages
    std::optional<int> failAt;                     // answer this request with an error

    void add(qint64 first, qint64 last, qint64 step = 1)
    {
        for (qint64 seq = first; seq <= last; seq += step)
            stored.append(makeMessage(seq));
    }

    RemoteMessageReader::FetchPage fetcher()
    {
        return [this](qint64 offset, int limit, RemoteMessageReader::PageReply reply) {
            QVERIFY(limit >= 1 && limit <= RemoteMessageReader::kServerPageLimit);
            QVERIFY(offset >= 0);
            m_queue.push_back([this, offset, limit, reply] { answer(offset, limit, reply); });
        };
    }

    // Answers queued requests until the read is done.
    void run(const bool &done)
    {
        while (!done && !m_queue.empty()) {
            auto next = std::move(m_queue.front());
            m_queue.pop_front();
            next();
        }
    }

private:
    void answer(qint64 offset, int limit, const RemoteMessageReader::PageReply &reply)
    {
        const int request = requests++;
        if (beforeAnswer)
            beforeAnswer(request);
        if (failAt && *failAt == request) {
            reply(fail(u"HTTP 500: boom"_s));
            return;
        }
        QList<MessageRecord> list;
        qint64 total = 0;
        for (auto it = stored.crbegin(); it != stored.crend(); ++it) {
            if (serverFilter && !serverFilter(*it))
                continue;
            ++total; // agentdesk's total ignores `after`
            if (it->seq > serverAfter)
                list.append(*it);
        }
        MessagePage page;
        page.total = total;
        page.items = list.mid(offset, limit);
        reply(page);
    }

    std::deque<std::function<void()>> m_queue;
};

// The local store's semantics, by brute force.
MessagePage reference(const QList<MessageRecord> &stored, const Filter &filter, const MessageQuery &query)
{
    QList<MessageRecord> matching;
    for (const MessageRecord &message : stored) {
        if (!filter || filter(message))
            matching.append(message);
    }
    MessagePage page;
    page.total = matching.size();
    QList<MessageRecord> paged;
    for (const MessageRecord &message : std::as_const(matching)) {
        if ((query.beforeSeq <= 0 || message.seq < query.beforeSeq) && message.seq > query.afterSeq)
            paged.append(message);
    }
    if (query.newestFirst)
        std::reverse(paged.begin(), paged.end());
    page.items = paged.mid(query.offset, query.limit < 0 ? -1 : query.limit);
    return page;
}

QList<qint64> seqs(const QList<MessageRecord> &messages)
{
    QList<qint64> list;
    for (const MessageRecord &message : messages)
        list.append(message.seq);
    return list;
}

struct Answer
{
    MessagePage page;
    QString error;
    bool done = false;
};

Answer readWith(FakeServer &server, const RemoteMessageReader::Request &request)
{
    Answer answer;
    RemoteMessageReader::read(request, server.fetcher(), [&answer](const Result<MessagePage> &page) {
        QVERIFY(!answer.done); // exactly once
        answer.page = page.value_or(MessagePage{});
        answer.error = failureText(page);
        answer.done = true;
    });
    server.run(answer.done);
    return answer;
}

MessageQuery query(qint64 before, qint64 after, int limit, bool newestFirst = true, qint64 offset = 0)
{
    MessageQuery q;
    q.beforeSeq = before;
    q.afterSeq = after;
    q.limit = limit;
    q.newestFirst = newestFirst;
    q.offset = offset;
    return q;
}

const Filter toB = [](const MessageRecord &m) { return m.to == u"b"; };
const Filter roundText = [](const MessageRecord &m) {
    return QString::fromUtf8(m.xml).contains(u"ROUND"_s, Qt::CaseInsensitive);
};

} // namespace

Q_DECLARE_METATYPE(MessageQuery)

class tst_RemoteMessageReader : public QObject
{
    Q_OBJECT
private slots:
    void matchesTheLocalStore_data();
    void matchesTheLocalStore();
    void aCursorOnAHistoryWithoutGapsNeedsFewRequests();
    void newMessagesDuringAReadLeaveNoGap_data();
    void newMessagesDuringAReadLeaveNoGap();
    void clientFilterScanIsBounded();
    void errorsEndTheRead();
};

void tst_RemoteMessageReader::matchesTheLocalStore_data()
{
    QTest::addColumn<QString>("history"); // contiguous | gaps
    QTest::addColumn<QString>("filter");  // none | server | client | text
    QTest::addColumn<bool>("serverAfter");
    QTest::addColumn<MessageQuery>("q");

    const QList<std::pair<QString, MessageQuery>> queries = {
        {u"newest page"_s, query(0, 0, 50)},
        {u"before, deep"_s, query(400, 0, 50)},
        {u"before, near the bottom"_s, query(5, 0, 50)},
        {u"before above the top"_s, query(5000, 0, 20)},
        {u"before, larger than a server page"_s, query(800, 0, 250)},
        {u"before, everything"_s, query(600, 0, -1)},
        {u"before with offset"_s, query(700, 0, 30, true, 25)},
        {u"after, oldest first"_s, query(0, 900, 50, false)},
        {u"after, oldest first, deep"_s, query(0, 100, 120, false)},
        {u"oldest first from the start"_s, query(0, 0, 30, false)},
        {u"after, newest first"_s, query(0, 950, 100)},
        {u"between cursors"_s, query(620, 480, 500)},
        {u"between cursors, oldest first"_s, query(620, 480, 40, false, 10)},
        {u"after the newest"_s, query(0, 5000, 10, false)},
        {u"total only"_s, query(0, 0, 0)},
    };
    for (const QString &history : {u"contiguous"_s, u"gaps"_s}) {
        for (const QString &filter : {u"none"_s, u"server"_s, u"client"_s, u"text"_s}) {
            for (const auto &[name, q] : queries) {
                for (bool serverAfter : {false, true}) {
                    if (serverAfter && (q.afterSeq == 0 || filter == u"client" || filter == u"text"))
                        continue; // `after` goes to the server only without client filters
                    const QString row = u"%1, %2 filter, %3%4"_s.arg(history, filter, name,
                                                                     serverAfter ? u", server after"_s : QString());
                    QTest::newRow(qPrintable(row)) << history << filter << serverAfter << q;
                }
            }
        }
    }
}

void tst_RemoteMessageReader::matchesTheLocalStore()
{
    QFETCH(QString, history);
    QFETCH(QString, filter);
    QFETCH(bool, serverAfter);
    QFETCH(MessageQuery, q);

    FakeServer server;
    if (history == u"contiguous")
        server.add(1, 1000);
    else
        server.add(37, 2400, 3); // oldest evicted, and gaps (seqs of other filters)
    RemoteMessageReader::Request request;
    request.query = q;
    Filter all;
    if (filter == u"server") {
        server.serverFilter = toB;
        all = toB;
    } else if (filter == u"client") {
        request.clientFilter = toB;
        all = toB;
    } else if (filter == u"text") {
        request.clientFilter = roundText;
        all = roundText;
    }
    if (serverAfter) {
        server.serverAfter = q.afterSeq;
        request.serverAppliesAfter = true;
    }
    const Answer answer = readWith(server, request);
    QVERIFY(answer.done);
    QVERIFY2(answer.error.isEmpty(), qPrintable(answer.error));
    const MessagePage expected = reference(server.stored, all, q);
    QCOMPARE(seqs(answer.page.items), seqs(expected.items));
    QCOMPARE(answer.page.total, expected.total);
    QCOMPARE(answer.page.offset, q.offset);
    QCOMPARE(answer.page.limit, qint64(q.limit));
}

void tst_RemoteMessageReader::aCursorOnAHistoryWithoutGapsNeedsFewRequests()
{
    // The first probe reads the top; the second lands on the cursor.
    FakeServer server;
    server.add(1, 100000);
    RemoteMessageReader::Request request;
    request.query = query(31234, 0, 50);
    const Answer answer = readWith(server, request);
    QCOMPARE(answer.page.items.first().seq, 31233);
    QCOMPARE(answer.page.items.size(), 50);
    QVERIFY2(server.requests <= 2, qPrintable(QString::number(server.requests)));

    // With a server-side filter the seqs are sparse: interpolation still converges quickly.
    FakeServer filtered;
    filtered.add(1, 100000);
    filtered.serverFilter = toB;
    const Answer sparse = readWith(filtered, request);
    QCOMPARE(seqs(sparse.page.items), seqs(reference(filtered.stored, toB, request.query).items));
    QVERIFY2(filtered.requests <= 6, qPrintable(QString::number(filtered.requests)));
}

void tst_RemoteMessageReader::newMessagesDuringAReadLeaveNoGap_data()
{
    QTest::addColumn<MessageQuery>("q");
    QTest::addColumn<int>("arriving"); // new messages before an answer
    QTest::addColumn<bool>("once");    // before the second answer only, else before every answer
    QTest::newRow("newest first, cursor") << query(700, 0, 250) << 7 << false;
    QTest::newRow("newest first, a burst larger than a page") << query(700, 0, 250) << 150 << true;
    QTest::newRow("newest first, a burst of many pages") << query(700, 0, 250) << 2000 << true;
    QTest::newRow("newest first, no cursor") << query(0, 0, 250) << 40 << false;
    QTest::newRow("newest first, no cursor, burst") << query(0, 0, 250) << 2000 << true;
    QTest::newRow("oldest first, cursor") << query(0, 300, 250, false) << 30 << false;
    QTest::newRow("oldest first, a burst larger than a page") << query(0, 300, 250, false) << 150 << true;
    QTest::newRow("oldest first, a burst of many pages") << query(0, 300, 250, false) << 2000 << true;
    QTest::newRow("between cursors") << query(900, 100, -1) << 60 << false;
}

void tst_RemoteMessageReader::newMessagesDuringAReadLeaveNoGap()
{
    QFETCH(MessageQuery, q);
    QFETCH(int, arriving);
    QFETCH(bool, once);
    FakeServer server;
    server.add(1, 1000);
    const QList<MessageRecord> before = server.stored;
    server.beforeAnswer = [&server, arriving, once](int request) {
        if (request == 0 || (once && request != 1))
            return; // the first answer sees the history as the query was made
        const qint64 top = server.stored.last().seq;
        server.add(top + 1, top + arriving);
    };
    RemoteMessageReader::Request request;
    request.query = q;
    const Answer answer = readWith(server, request);
    QVERIFY2(answer.error.isEmpty(), qPrintable(answer.error));
    const QList<qint64> got = seqs(answer.page.items);
    if (q.beforeSeq > 0 || !q.newestFirst) {
        // Everything asked for was there before the read began (new messages are above the cursor,
        // or beyond what the oldest-first page reaches): the page is the one of the history as it was.
        QCOMPARE(got, seqs(reference(before, {}, q).items));
        return;
    }
    // Newest first without a cursor: the top as the first answer saw it, then downwards with neither
    // a gap nor a repeat.
    QCOMPARE(got.size(), q.limit);
    QCOMPARE(got.first(), before.last().seq);
    for (qsizetype i = 1; i < got.size(); ++i)
        QCOMPARE(got.at(i), got.at(i - 1) - 1);
}

void tst_RemoteMessageReader::clientFilterScanIsBounded()
{
    FakeServer server;
    server.add(1, 5000);
    RemoteMessageReader::Request request;
    request.query = query(0, 0, 50);
    request.clientFilter = [](const MessageRecord &) { return false; };
    request.maxScan = 1000;
    const Answer answer = readWith(server, request);
    QVERIFY(answer.error.isEmpty());
    QVERIFY(answer.page.items.isEmpty());
    // Not read to the end: the unread part might match, so total is an upper bound, not 0.
    QCOMPARE(answer.page.total, 5000 - 1000);
    QVERIFY(server.requests <= 11);
}

void tst_RemoteMessageReader::errorsEndTheRead()
{
    for (int failing : {0, 1, 3}) {
        FakeServer server;
        server.add(1, 1000);
        server.failAt = failing;
        RemoteMessageReader::Request request;
        request.query = query(400, 0, 250);
        const Answer answer = readWith(server, request);
        QVERIFY(answer.done);
        QCOMPARE(answer.error, u"HTTP 500: boom"_s);
        QVERIFY(answer.page.items.isEmpty());
    }
}

QTEST_GUILESS_MAIN(tst_RemoteMessageReader)
#include "tst_remotemessagereader.moc"
