// ThreadLabels: short ids from the random end of a UUID, labels from the thread's first message — learnt
// from live batches for threads announced live, looked up (one read of the oldest message, batched per
// event-loop turn) for threads that were already running — and one directory per session.

#include "fakesession.h"
#include "threadlabels.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

// Two UUIDv7 made in the same millisecond share their first 13 digits.
const QString kThreadA = u"01a2420b-87cc-7081-81fb-282da7ed13b1"_s;
const QString kThreadB = u"01a2420b-87cc-7f3e-9a0c-4c5d6e7f8a9b"_s;

MessageRecord greeting(qint64 seq, const QString &threadId, const QString &name, const QString &to = u"greeter"_s)
{
    MessageRecord message;
    message.seq = seq;
    message.id = u"m%1"_s.arg(seq);
    message.threadId = threadId;
    message.from = u"api"_s;
    message.to = to;
    message.payloadType = u"Greeting"_s;
    message.fields = {{u"name"_s, name}};
    message.xml = u"<Greeting><Name>%1</Name></Greeting>"_s.arg(name).toUtf8();
    return message;
}

ThreadInfo threadWithId(const QString &id)
{
    ThreadInfo info;
    info.id = id;
    return info;
}

} // namespace

class TestThreadLabels : public QObject
{
    Q_OBJECT

private slots:
    void shortIdsComeFromTheRandomEnd()
    {
        QCOMPARE(ThreadLabels::shortId(kThreadA), u"7ed13b1"_s);
        QCOMPARE(ThreadLabels::shortId(kThreadB), u"e7f8a9b"_s);
        QVERIFY(ThreadLabels::shortId(kThreadA) != ThreadLabels::shortId(kThreadB));
        QCOMPARE(ThreadLabels::shortId(kThreadA.toUpper()), u"7ed13b1"_s);
        // Ids chosen by a client are shown as they are.
        QCOMPARE(ThreadLabels::shortId(u"my-thread"_s), u"my-thread"_s);
    }

    void payloadTextIsTheLeavesInDocumentOrder()
    {
        MessageRecord message;
        message.xml = "<Order><Id>7</Id><Note>rush, please</Note><Tags><Tag>a</Tag></Tags></Order>";
        message.fields = {{u"id"_s, 7}, {u"note"_s, u"rush, please"_s}}; // a map would sort them
        QCOMPARE(ThreadLabels::payloadText(message), u"7 · rush, please · a"_s);
        // Without XML (an original server's payload), the fields.
        message.xml.clear();
        QCOMPARE(ThreadLabels::payloadText(message), u"7 · rush, please"_s);
        // Long texts are cut with an ellipsis.
        message.fields = {{u"text"_s, QString(100, u'x')}};
        const QString cut = ThreadLabels::payloadText(message, 20);
        QCOMPARE(cut.size(), 20);
        QVERIFY(cut.endsWith(u'…'));
        // The example's placeholders are no text.
        message.xml = "<Greeting><Name>...</Name></Greeting>";
        QCOMPARE(ThreadLabels::payloadText(message), QString());
    }

    void oneDirectoryPerSession()
    {
        FakeSession session;
        ThreadLabels *labels = ThreadLabels::forSession(&session);
        QVERIFY(labels);
        QCOMPARE(ThreadLabels::forSession(&session), labels);
        FakeSession other;
        QVERIFY(ThreadLabels::forSession(&other) != labels);
        QCOMPARE(ThreadLabels::forSession(nullptr), nullptr);
    }

    void threadsAnnouncedLiveAreLabelledByTheirFirstMessage()
    {
        FakeSession session;
        session.open();
        ThreadLabels *labels = ThreadLabels::forSession(&session);
        QSignalSpy changed(labels, &ThreadLabels::labelsChanged);
        emit session.threadsCreated({threadWithId(kThreadA)});
        emit session.messagesRecorded(
            {greeting(1, kThreadA, u"Ada"_s), greeting(2, kThreadA, u"later"_s, u"shouter"_s)});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().first().toStringList(), QStringList{kThreadA});
        QCOMPARE(labels->label(kThreadA)->entryAgent, u"greeter"_s);
        QCOMPARE(labels->label(kThreadA)->text, u"Ada"_s);
        QCOMPARE(labels->describe(kThreadA), u"7ed13b1 (greeter: Ada)"_s);
        // A message of a thread that was not announced is not its first: nothing is guessed.
        emit session.messagesRecorded({greeting(3, kThreadB, u"Grace"_s, u"shouter"_s)});
        QVERIFY(!labels->isKnown(kThreadB));
        QCOMPARE(labels->describe(kThreadB), ThreadLabels::shortId(kThreadB));
        QVERIFY(session.messageCalls.isEmpty()); // nothing asked for it
    }

    void threadsAlreadyRunningAreLookedUpOnRequest()
    {
        FakeSession session;
        session.open();
        ThreadLabels *labels = ThreadLabels::forSession(&session);
        QSignalSpy changed(labels, &ThreadLabels::labelsChanged);
        labels->request(kThreadA);
        labels->request(kThreadA);
        labels->request(kThreadB);
        QVERIFY(session.messageCalls.isEmpty()); // batched: once this turn of the event loop ends
        QTRY_COMPARE(session.messageCalls.size(), 2);
        for (const FakeSession::MessagesCall &call : std::as_const(session.messageCalls)) {
            QCOMPARE(call.query.limit, 1);
            QVERIFY(!call.query.newestFirst); // the oldest message is the first
        }
        const QString first = session.messageCalls.first().query.threadId;
        MessagePage page;
        page.items = {greeting(1, first, u"Linus"_s)};
        page.total = 3;
        QVERIFY(session.answerMessages(page));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(labels->label(first)->text, u"Linus"_s);
        // A thread without messages stays unlabelled; asking again asks again later.
        QVERIFY(session.answerMessages(MessagePage{}));
        QCOMPARE(changed.size(), 1);
        labels->request(first); // known: no read
        QTest::qWait(0);
        QVERIFY(session.messageCalls.isEmpty());
    }

    void aNewConnectionForgetsTheLabels()
    {
        FakeSession session;
        session.open();
        ThreadLabels *labels = ThreadLabels::forSession(&session);
        emit session.threadsCreated({threadWithId(kThreadA)});
        emit session.messagesRecorded({greeting(1, kThreadA, u"Ada"_s)});
        QVERIFY(labels->isKnown(kThreadA));
        session.close();
        session.open(); // perhaps another organism with the same ids
        QVERIFY(!labels->isKnown(kThreadA));
    }
};

QTEST_MAIN(TestThreadLabels)
#include "tst_threadlabels.moc"
