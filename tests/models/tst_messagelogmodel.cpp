// MessageLogModel against a real organism and its SQLite history (5,000 messages paged through by seq,
// with a bounded window; store-side filters; live batches while following and while paused), and
// against a hand-driven session for the interleavings of pages and live batches.

#include "fakesession.h"
#include "localsession.h"
#include "messagelogmodel.h"
#include "modelspies.h"
#include "testengine.h"
#include "injectandwait.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

const QByteArray kConfig = R"(
organism: {name: log}
payloads:
  Note: {text: string}
  Audit: {text: string}
listeners:
  - name: notes
    description: Keeps notes
    payload_class: Note
    handler: builtin:sink
  - name: audit
    description: Keeps audit records
    payload_class: Audit
    handler: builtin:sink
)";

// Message i (1-based) goes to `audit` when i is a multiple of 10, to `notes` otherwise.
InjectRequest noteRequest(int i)
{
    InjectRequest request;
    request.to = i % 10 == 0 ? u"audit"_s : u"notes"_s;
    request.fields.insert(u"text"_s, u"note-%1-end"_s.arg(i));
    return request;
}

QList<InjectRequest> noteRequests(int first, int last)
{
    QList<InjectRequest> requests;
    for (int i = first; i <= last; ++i)
        requests << noteRequest(i);
    return requests;
}

MessageRecord record(qint64 seq, const QString &to = u"notes"_s)
{
    MessageRecord message;
    message.seq = seq;
    message.id = u"m%1"_s.arg(seq);
    message.threadId = u"t%1"_s.arg(seq);
    message.from = u"api"_s;
    message.to = to;
    message.payloadType = u"Note"_s;
    message.xml = "<Note><Text>n</Text></Note>";
    return message;
}

// Newest first, from `newest` down to `oldest`.
MessagePage pageOf(qint64 newest, qint64 oldest, qint64 total)
{
    MessagePage page;
    for (qint64 seq = newest; seq >= oldest; --seq)
        page.items << record(seq);
    page.total = total;
    return page;
}

QList<qint64> seqs(const MessageLogModel &model)
{
    QList<qint64> out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, MessageLogModel::SeqColumn).data(MessageLogModel::SeqRole).toLongLong();
    return out;
}

QList<qint64> descending(qint64 from, qint64 to)
{
    QList<qint64> out;
    for (qint64 seq = from; seq >= to; --seq)
        out << seq;
    return out;
}

// Records every structural signal of a model as text, in order, and checks after each one that the
// window is a run of consecutive seqs, newest first (or consecutive matching rows when filtered).
class SignalLog : public QObject
{
public:
    SignalLog(MessageLogModel *model, bool consecutive)
        : m_model(model)
    {
        connect(model, &QAbstractItemModel::rowsInserted, this,
                [this, consecutive](const QModelIndex &, int first, int last) {
                    entries << u"insert %1,%2"_s.arg(first).arg(last);
                    check(consecutive);
                });
        connect(model, &QAbstractItemModel::rowsRemoved, this,
                [this, consecutive](const QModelIndex &, int first, int last) {
                    entries << u"remove %1,%2"_s.arg(first).arg(last);
                    check(consecutive);
                });
        connect(model, &QAbstractItemModel::modelReset, this, [this] { entries << u"reset"_s; });
    }
    QStringList entries;
    bool broken = false;

private:
    void check(bool consecutive)
    {
        const QList<qint64> window = seqs(*m_model);
        for (qsizetype i = 1; i < window.size(); ++i) {
            if (consecutive ? window[i] != window[i - 1] - 1 : window[i] >= window[i - 1])
                broken = true;
        }
    }
    MessageLogModel *m_model;
};

} // namespace

class TestMessageLogModel : public QObject
{
    Q_OBJECT

private:
    // A real organism with `count` messages already in its history, and a session and a model over it.
    void openHistory(int count)
    {
        QVERIFY(dir.emplace().isValid());
        engine.emplace(TestEngine::Threading::SameThread);
        QString error;
        QVERIFY2(engine->start(kConfig, dir->path(), &error), qPrintable(error));
        for (int first = 1; first <= count; first += 1000) {
            const QList<InjectResult> results = test::injectBatchAndWait(
                *engine->organism(), noteRequests(first, std::min(count, first + 999)));
            QVERIFY(results.last().has_value());
        }
        engine->organism()->flushChanges();
        local.emplace(engine->organism());
        local->open();
        QTRY_VERIFY(local->isConnected());
    }
    void openModel(Session *session, int pageSize, int maxRows)
    {
        model.emplace(session);
        model->setPageSize(pageSize);
        model->setMaxRows(maxRows);
        tester.emplace(&*model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model->reload(); // with this page size
    }
    void injectLive(int first, int last)
    {
        const QList<InjectResult> results = test::injectBatchAndWait(*engine->organism(), noteRequests(first, last));
        QVERIFY(results.last().has_value());
        engine->organism()->flushChanges(); // one batch
    }

private slots:
    void cleanup()
    {
        tester.reset();
        model.reset();
        local.reset();
        fake.reset();
        engine.reset();
        dir.reset();
    }

    void pagesThroughTheHistoryAndBack()
    {
        openHistory(5000);
        openModel(&*local, 200, 1000);
        SignalLog log(&*model, true);
        QSignalSpy following(&*model, &MessageLogModel::followingChanged);
        QTRY_VERIFY(!model->isLoading());
        QCOMPARE(seqs(*model), descending(5000, 4801)); // the newest page, newest first
        QCOMPARE(model->totalMatching(), 5000);
        QVERIFY(model->isFollowing());

        // Down: one insert at the bottom per page; past 1,000 rows, the newest page leaves at the top.
        int fetches = 0;
        while (model->canFetchMore({})) {
            model->fetchMore({});
            QVERIFY(!model->canFetchMore({}) && !model->canFetchNewer()); // one page at a time
            ++fetches;
            QTRY_VERIFY(!model->isFetching());
            QVERIFY(fetches <= 30);
        }
        QStringList expected{u"insert 0,199"_s};
        for (int page = 1; page <= 4; ++page)
            expected << u"insert %1,%2"_s.arg(page * 200).arg(page * 200 + 199);
        for (int page = 5; page <= 24; ++page)
            expected << u"insert 1000,1199"_s << u"remove 0,199"_s;
        QCOMPARE(log.entries, expected);
        QVERIFY(!log.broken);
        QCOMPARE(seqs(*model), descending(1000, 1));
        QVERIFY(!model->isAtLiveEdge());
        QCOMPARE(following.size(), 1); // scrolled off the live edge: following stops
        QVERIFY(!model->isFollowing());
        QCOMPARE(model->totalMatching(), 5000);

        // Back up: one insert at the top per page, the oldest page leaving at the bottom, until the
        // window reaches the newest message again.
        log.entries.clear();
        int climbs = 0;
        while (model->canFetchNewer()) {
            model->fetchNewer();
            QVERIFY(!model->canFetchNewer() && !model->canFetchMore({}));
            ++climbs;
            QTRY_VERIFY(!model->isFetching());
            QVERIFY(climbs <= 30);
        }
        expected.clear();
        for (int page = 1; page <= 20; ++page)
            expected << u"insert 0,199"_s << u"remove 1000,1199"_s;
        QCOMPARE(log.entries, expected);
        QVERIFY(!log.broken);
        QCOMPARE(seqs(*model), descending(5000, 4001));
        QVERIFY(model->isAtLiveEdge());
        QCOMPARE(model->pendingCount(), 0);
    }

    void filtersAreStoreQueries_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<qint64>("total");
        QTest::addColumn<QList<qint64>>("newest"); // the first rows
        QTest::newRow("agent") << u"agent"_s << u"audit"_s << qint64(300) << QList<qint64>{3000, 2990, 2980};
        QTest::newRow("payload type") << u"payloadType"_s << u"Audit"_s << qint64(300)
                                      << QList<qint64>{3000, 2990, 2980};
        QTest::newRow("text, any case") << u"text"_s << u"NOTE-2999-"_s << qint64(1) << QList<qint64>{2999};
        QTest::newRow("text in many") << u"text"_s << u"-99"_s << qint64(11) << QList<qint64>{999, 998, 997};
        QTest::newRow("nothing matches") << u"agent"_s << u"nobody"_s << qint64(0) << QList<qint64>{};
    }
    void filtersAreStoreQueries()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(qint64, total);
        QFETCH(QList<qint64>, newest);
        openHistory(3000);
        openModel(&*local, 100, 1000);
        QTRY_VERIFY(!model->isLoading());
        QCOMPARE(model->totalMatching(), 3000);

        MessageFilter filter;
        if (field == u"agent")
            filter.agent = value;
        else if (field == u"payloadType")
            filter.payloadType = value;
        else
            filter.text = value;
        QSignalSpy reset(&*model, &QAbstractItemModel::modelReset);
        model->setFilter(filter);
        QCOMPARE(reset.size(), 1);
        QTRY_VERIFY(!model->isLoading());
        QCOMPARE(model->totalMatching(), total);
        QCOMPARE(seqs(*model).mid(0, newest.size()), newest);
        QCOMPARE(model->rowCount(), int(std::min<qint64>(total, 100)));
        // Paging a filtered log reads matching rows only, however sparse they are.
        while (model->canFetchMore({})) {
            const int before = model->rowCount();
            model->fetchMore({});
            QVERIFY(model->isFetching());
            QTRY_VERIFY(!model->isFetching());
            QVERIFY(model->rowCount() > before || !model->canFetchMore({}));
        }
        QCOMPARE(model->rowCount(), int(total));
        for (int row = 0; row < model->rowCount(); ++row)
            QVERIFY(filter.matches(model->message(row)));

        // Live messages are matched with the same rules.
        QSignalSpy inserted(&*model, &QAbstractItemModel::rowsInserted);
        injectLive(3001, 3010); // nine notes and one audit record (3010)
        QTRY_COMPARE(model->totalMatching(), total + (field == u"text" || value == u"nobody" ? 0 : 1));
        QCoreApplication::sendPostedEvents();
        QCOMPARE(inserted.size(), model->totalMatching() > total ? 1 : 0);
    }

    void liveBatchesWhileFollowing()
    {
        openHistory(10);
        openModel(&*local, 200, 1000);
        QTRY_VERIFY(!model->isLoading());
        QCOMPARE(seqs(*model), descending(10, 1));
        QSignalSpy inserted(&*model, &QAbstractItemModel::rowsInserted);
        injectLive(11, 13);
        QTRY_COMPARE(rowRanges(inserted), QStringList{u"0,2"_s}); // one insert for the batch
        QCOMPARE(seqs(*model), descending(13, 1));
        injectLive(14, 14);
        QTRY_COMPARE(rowRanges(inserted), (QStringList{u"0,2"_s, u"0,0"_s}));
        QCOMPARE(model->totalMatching(), 14);
        QCOMPARE(model->pendingCount(), 0);
    }

    void liveBatchesWhilePaused()
    {
        openHistory(10);
        openModel(&*local, 200, 1000);
        QTRY_VERIFY(!model->isLoading());
        model->setFollowing(false);
        QSignalSpy inserted(&*model, &QAbstractItemModel::rowsInserted);
        QSignalSpy pending(&*model, &MessageLogModel::pendingCountChanged);
        injectLive(11, 13);
        QTRY_COMPARE(model->pendingCount(), 3);
        injectLive(14, 15);
        QTRY_COMPARE(model->pendingCount(), 5);
        QVERIFY(inserted.isEmpty());
        QCOMPARE(seqs(*model), descending(10, 1));
        QCOMPARE(model->totalMatching(), 15);

        model->setFollowing(true);
        QCOMPARE(rowRanges(inserted), QStringList{u"0,4"_s}); // everything held, in one insert
        QCOMPARE(seqs(*model), descending(15, 1));
        QCOMPARE(model->pendingCount(), 0);
        QCOMPARE(pending.last().first().toInt(), 0);
    }

    void payloadSummary_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::addColumn<int>("maxLength");
        QTest::addColumn<QString>("expected");
        QTest::newRow("short") << QByteArray("<Note><Text>hi</Text></Note>") << 200
                               << u"<Note><Text>hi</Text></Note>"_s;
        QTest::newRow("indented") << QByteArray("<Note>\n  <Text>hi  there</Text>\n</Note>\n") << 200
                                  << u"<Note><Text>hi there</Text></Note>"_s;
        QTest::newRow("long") << QByteArray("<A>0123456789</A>") << 8 << u"<A>0123\u2026"_s;
        // Only 4 x maxLength bytes are decoded; here that cut falls inside the "é" after 16 spaces, which
        // collapse to one: the summary is short enough to show a broken character if the cut were not
        // moved back to where the character starts.
        QTest::newRow("cut inside a multi-byte character")
            << QByteArray("<A>                \xc3\xa9</A>") << 5 << u"<A>"_s;
        QTest::newRow("multi-byte kept whole") << QByteArray("<A>\xc3\xa9</A>") << 200 << u"<A>\u00e9</A>"_s;
    }
    void payloadSummary()
    {
        QFETCH(QByteArray, xml);
        QFETCH(int, maxLength);
        QFETCH(QString, expected);
        MessageRecord message;
        message.xml = xml;
        const QString summary = MessageTableModel::summary(message, maxLength);
        QCOMPARE(summary, expected);
        QVERIFY(!summary.contains(QChar::ReplacementCharacter));
    }

    // --- interleavings, with a session that answers when told ------------------------------------------

    void liveBatchesDuringTheFirstPageAreMergedBySeq()
    {
        fake.emplace();
        fake->open();
        openModel(&*fake, 10, 40);
        fake->messageCalls.removeFirst(); // the constructor's request, before the page size was set
        QCOMPARE(fake->messageCalls.size(), 1);
        QCOMPARE(fake->messageCalls.first().query.limit, 10);
        QVERIFY(fake->messageCalls.first().query.newestFirst);

        QSignalSpy inserted(&*model, &QAbstractItemModel::rowsInserted);
        emit fake->messagesRecorded({record(19), record(20), record(21)});
        QVERIFY(inserted.isEmpty());
        // The page was read after 19 and 20 were committed: they are in it, 21 is not.
        QVERIFY(fake->answerMessages(pageOf(20, 11, 20)));
        QCOMPARE(rowRanges(inserted), QStringList{u"0,10"_s});
        QCOMPARE(seqs(*model), descending(21, 11));
        QCOMPARE(model->totalMatching(), 21);

        // Live rows already shown are not shown twice.
        emit fake->messagesRecorded({record(21), record(22)});
        QCOMPARE(rowRanges(inserted), (QStringList{u"0,10"_s, u"0,0"_s}));
        QCOMPARE(model->totalMatching(), 22);
    }

    void followingTrimsTheBottomAndPagingIsOneAtATime()
    {
        fake.emplace();
        fake->open();
        openModel(&*fake, 10, 20);
        fake->messageCalls.removeFirst();
        QVERIFY(fake->answerMessages(pageOf(100, 91, 100)));
        model->fetchMore({});
        QCOMPARE(fake->messageCalls.size(), 1);
        QCOMPARE(fake->messageCalls.first().query.beforeSeq, 91);
        QVERIFY(fake->answerMessages(pageOf(90, 81, 100)));
        QCOMPARE(seqs(*model), descending(100, 81));

        // Following: a batch is inserted at the top and the window keeps its size.
        QSignalSpy inserted(&*model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&*model, &QAbstractItemModel::rowsRemoved);
        emit fake->messagesRecorded({record(101), record(102), record(103)});
        QCOMPARE(rowRanges(inserted), QStringList{u"0,2"_s});
        QCOMPARE(rowRanges(removed), QStringList{u"20,22"_s});
        QCOMPARE(seqs(*model), descending(103, 84));

        // A page asked for before the bottom moved (the tester asks on every signal, as a view at the
        // bottom would) would leave a gap: it is dropped.
        if (!fake->messageCalls.isEmpty()) {
            QCOMPARE(fake->messageCalls.size(), 1);
            QCOMPARE(fake->messageCalls.first().query.beforeSeq, 81);
            QVERIFY(fake->answerMessages(pageOf(80, 71, 103)));
            QCOMPARE(seqs(*model), descending(103, 84));
        }
        model->fetchMore({});
        QCOMPARE(fake->messageCalls.size(), 1);
        QCOMPARE(fake->messageCalls.first().query.beforeSeq, 84);
        emit fake->messagesRecorded({record(104)});
        QVERIFY(fake->answerMessages(pageOf(83, 74, 104)));
        QCOMPARE(seqs(*model), descending(104, 85));
        QVERIFY(model->canFetchMore({}));
    }

    void aPausedQueueThatOverflowsDetaches()
    {
        fake.emplace();
        fake->open();
        openModel(&*fake, 5, 10);
        fake->messageCalls.removeFirst();
        QVERIFY(fake->answerMessages(pageOf(50, 46, 50)));
        model->setFollowing(false);
        QList<MessageRecord> burst;
        for (qint64 seq = 51; seq <= 61; ++seq)
            burst << record(seq);
        emit fake->messagesRecorded(burst); // 11 held > 10 rows
        QVERIFY(!model->isAtLiveEdge());
        QCOMPARE(model->pendingCount(), 11);
        QVERIFY(model->canFetchNewer());

        // Following again jumps to the live edge: a new first page.
        QSignalSpy reset(&*model, &QAbstractItemModel::modelReset);
        model->setFollowing(true);
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model->pendingCount(), 0);
        QCOMPARE(fake->messageCalls.size(), 1);
        QCOMPARE(fake->messageCalls.first().query.beforeSeq, 0);
        QVERIFY(fake->answerMessages(pageOf(61, 57, 61)));
        QCOMPARE(seqs(*model), descending(61, 57));
        QVERIFY(model->isAtLiveEdge());
    }

    void climbingBackAttachesWithWhatArrivedMeanwhile()
    {
        fake.emplace();
        fake->open();
        openModel(&*fake, 5, 10);
        fake->messageCalls.removeFirst();
        QVERIFY(fake->answerMessages(pageOf(30, 26, 30)));
        // Two pages down: the top leaves, the window detaches from the live edge.
        model->fetchMore({});
        QVERIFY(fake->answerMessages(pageOf(25, 21, 30)));
        model->fetchMore({});
        QVERIFY(fake->answerMessages(pageOf(20, 16, 30)));
        QCOMPARE(seqs(*model), descending(25, 16));
        QVERIFY(!model->isAtLiveEdge());
        QVERIFY(!model->isFollowing());

        emit fake->messagesRecorded({record(31)}); // counted, not shown: the store has it
        QCOMPARE(model->pendingCount(), 1);
        QCOMPARE(model->totalMatching(), 31);

        const auto answerNewer = [this](QList<qint64> ascending) {
            MessagePage page;
            for (const qint64 seq : ascending)
                page.items << record(seq);
            return fake->answerMessages(page);
        };
        QSignalSpy inserted(&*model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&*model, &QAbstractItemModel::rowsRemoved);
        model->fetchNewer();
        QCOMPARE(fake->messageCalls.first().query.afterSeq, 25);
        QVERIFY(!fake->messageCalls.first().query.newestFirst);
        QVERIFY(answerNewer({26, 27, 28, 29, 30})); // a full page: maybe more above
        QCOMPARE(rowRanges(inserted), QStringList{u"0,4"_s});
        QCOMPARE(rowRanges(removed), QStringList{u"10,14"_s});
        QVERIFY(!model->isAtLiveEdge());

        model->fetchNewer();
        QCOMPARE(fake->messageCalls.first().query.afterSeq, 30);
        emit fake->messagesRecorded({record(32)}); // arrives while the page is on its way
        QVERIFY(answerNewer({31}));                // read before 32 was committed: short, the newest stored
        QCOMPARE(rowRanges(inserted), (QStringList{u"0,4"_s, u"0,1"_s}));
        QCOMPARE(seqs(*model), descending(32, 23));
        QVERIFY(model->isAtLiveEdge());
        QCOMPARE(model->pendingCount(), 0);

        // Back at the edge but not following: new rows wait until the log follows again.
        emit fake->messagesRecorded({record(33)});
        QCOMPARE(model->pendingCount(), 1);
        model->setFollowing(true);
        QCOMPARE(rowRanges(inserted), (QStringList{u"0,4"_s, u"0,1"_s, u"0,0"_s}));
        QCOMPARE(seqs(*model).first(), 33);
        QCOMPARE(model->totalMatching(), 33);
    }

private:
    std::optional<QTemporaryDir> dir;
    std::optional<TestEngine> engine;
    std::optional<LocalSession> local;
    std::optional<FakeSession> fake;
    std::optional<MessageLogModel> model;
    std::optional<QAbstractItemModelTester> tester;
};

QTEST_GUILESS_MAIN(TestMessageLogModel)
#include "tst_messagelogmodel.moc"
