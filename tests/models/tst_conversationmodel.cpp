// ConversationModel: one thread of a real organism, oldest first, growing at the bottom with one
// insert per live batch, ignoring other threads, bounded to its newest messages; and a page racing a
// live batch on a hand-driven session.

#include "helloworldyaml.h"
#include "conversationmodel.h"
#include "fakesession.h"
#include "localsession.h"
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

const QByteArray kChain = test::HelloWorldYaml("conversation").sink("sink").text();

MessageRecord record(qint64 seq, const QString &threadId)
{
    MessageRecord message;
    message.seq = seq;
    message.threadId = threadId;
    message.from = u"a"_s;
    message.to = u"b"_s;
    return message;
}

} // namespace

class TestConversationModel : public QObject
{
    Q_OBJECT

private:
    QString greet(const QString &name, const QString &thread = {})
    {
        InjectRequest request;
        request.to = u"greeter"_s;
        request.fields.insert(u"name"_s, name);
        request.threadId = thread;
        const InjectResult result = test::injectAndWait(*engine->organism(), request);
        return result.has_value() ? result->threadId : QString();
    }

private slots:
    void init()
    {
        QVERIFY(dir.emplace().isValid());
        engine.emplace(TestEngine::Threading::OwnThread);
        QString error;
        QVERIFY2(engine->start(kChain, dir->path(), &error), qPrintable(error));
        session.emplace(engine->organism());
        session->open();
        QTRY_VERIFY(session->isConnected());
        model.emplace(&*session);
        tester.emplace(&*model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    }
    void cleanup()
    {
        tester.reset();
        model.reset();
        session.reset();
        engine.reset();
        dir.reset();
    }

    void showsOneThreadOldestFirstAndGrows()
    {
        const QString first = engine->call([this](Organism &) { return greet(u"Ann"_s); });
        engine->call([this](Organism &) { return greet(u"Bob"_s); }); // another thread
        QTRY_COMPARE(session->organism().totalMessages, 6);

        model->setThreadId(first);
        QVERIFY(model->isLoading());
        QTRY_VERIFY(!model->isLoading());
        QCOMPARE(columnTexts(*model, ConversationModel::FromColumn),
                 (QStringList{u"api"_s, u"greeter"_s, u"shouter"_s}));
        QCOMPARE(model->totalMessages(), 3);
        for (int row = 0; row < 3; ++row)
            QCOMPARE(
                model->index(row, ConversationModel::ThreadColumn).data(ConversationModel::ThreadIdRole).toString(),
                first);

        // The conversation goes on in the same thread: three more messages, at the bottom.
        QSignalSpy inserted(&*model, &QAbstractItemModel::rowsInserted);
        engine->call([this, first](Organism &) { return greet(u"Ann again"_s, first); });
        engine->call([this](Organism &) { return greet(u"Cy"_s); }); // not this thread
        QTRY_COMPARE(model->rowCount(), 6);
        QTRY_COMPARE(session->organism().totalMessages, 12);
        QCoreApplication::sendPostedEvents();
        QCOMPARE(model->rowCount(), 6);
        QStringList ranges = rowRanges(inserted);
        QCOMPARE(ranges.first().section(u',', 0, 0), u"3"_s); // appended, never before the end
        QCOMPARE(ranges.last().section(u',', 1, 1), u"5"_s);
        QCOMPARE(model->totalMessages(), 6);
        const QString text =
            model->index(5, ConversationModel::PayloadColumn).data(ConversationModel::XmlRole).toString();
        QVERIFY2(text.contains(u"HELLO, ANN AGAIN!"_s), qPrintable(text));
    }

    void keepsTheNewestWithinItsLimit()
    {
        const QString thread = engine->call([this](Organism &) { return greet(u"Dee"_s); });
        QTRY_COMPARE(session->organism().totalMessages, 3);
        model->setLimit(2);
        model->setThreadId(thread);
        QTRY_VERIFY(!model->isLoading());
        QCOMPARE(columnTexts(*model, ConversationModel::FromColumn), (QStringList{u"greeter"_s, u"shouter"_s}));
        QCOMPARE(model->totalMessages(), 3);

        QSignalSpy removed(&*model, &QAbstractItemModel::rowsRemoved);
        engine->call([this, thread](Organism &) { return greet(u"Dee"_s, thread); });
        QTRY_COMPARE(model->totalMessages(), 6);
        QCOMPARE(model->rowCount(), 2);
        QVERIFY(!removed.isEmpty());
        QCOMPARE(model->index(1, ConversationModel::FromColumn).data().toString(), u"shouter"_s);
    }

    void aLiveBatchDuringTheLoadIsMergedBySeq()
    {
        FakeSession fake;
        fake.open();
        ConversationModel conversation(&fake);
        QAbstractItemModelTester fakeTester(&conversation, QAbstractItemModelTester::FailureReportingMode::Fatal);
        conversation.setThreadId(u"t"_s);
        QCOMPARE(fake.messageCalls.size(), 1);
        QCOMPARE(fake.messageCalls.first().query.threadId, u"t"_s);
        emit fake.messagesRecorded({record(4, u"t"_s), record(5, u"other"_s), record(6, u"t"_s)});
        QSignalSpy inserted(&conversation, &QAbstractItemModel::rowsInserted);
        MessagePage page;
        page.items = {record(1, u"t"_s), record(4, u"t"_s)}; // oldest first; 6 was not committed yet
        page.total = 2;
        QVERIFY(fake.answerMessages(page));
        QCOMPARE(rowRanges(inserted), QStringList{u"0,2"_s});
        QCOMPARE(columnTexts(conversation, ConversationModel::SeqColumn), (QStringList{u"1"_s, u"4"_s, u"6"_s}));
        QCOMPARE(conversation.totalMessages(), 3);
    }

    // A running agent's streamed reply grows in a live row at the bottom; messages recorded meanwhile
    // go above it; the row goes when the call ends.
    void aStreamedReplyGrowsAtTheBottom()
    {
        FakeSession fake;
        fake.open();
        ConversationModel conversation(&fake);
        QAbstractItemModelTester fakeTester(&conversation, QAbstractItemModelTester::FailureReportingMode::Fatal);
        conversation.setThreadId(u"t"_s);
        MessagePage page;
        page.items = {record(1, u"t"_s)};
        page.total = 1;
        QVERIFY(fake.answerMessages(page));

        const auto partial = [](const QString &thread, qint64 offset, const QString &delta, bool done = false) {
            LlmPartialEvent event;
            event.agent = u"writer"_s;
            event.threadId = thread;
            event.call = 7;
            event.offset = offset;
            event.delta = delta;
            event.done = done;
            return event;
        };
        emit fake.llmPartials({partial(u"t"_s, 0, u"Dear "_s), partial(u"other"_s, 0, u"elsewhere"_s)});
        QCOMPARE(conversation.rowCount(), 2);
        const QModelIndex live = conversation.index(1, ConversationModel::PayloadColumn);
        QVERIFY(live.data(ConversationModel::LiveRole).toBool());
        QCOMPARE(live.data().toString(), u"Dear"_s);
        QCOMPARE(conversation.index(1, ConversationModel::FromColumn).data().toString(), u"writer"_s);
        QVERIFY(!conversation.index(0, 0).data(ConversationModel::LiveRole).toBool());

        QSignalSpy changed(&conversation, &QAbstractItemModel::dataChanged);
        emit fake.llmPartials({partial(u"t"_s, 5, u"Dan, hello."_s)});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(conversation.index(1, ConversationModel::PayloadColumn).data().toString(), u"Dear Dan, hello."_s);

        emit fake.messagesRecorded({record(2, u"t"_s)}); // recorded meanwhile: above the live row
        QCOMPARE(columnTexts(conversation, ConversationModel::SeqColumn), (QStringList{u"1"_s, u"2"_s, u"0"_s}));
        QVERIFY(conversation.index(2, 0).data(ConversationModel::LiveRole).toBool());

        emit fake.llmPartials({partial(u"t"_s, 16, QString(), true)});
        QCOMPARE(columnTexts(conversation, ConversationModel::SeqColumn), (QStringList{u"1"_s, u"2"_s}));
        emit fake.messagesRecorded({record(3, u"t"_s)});
        QCOMPARE(columnTexts(conversation, ConversationModel::SeqColumn), (QStringList{u"1"_s, u"2"_s, u"3"_s}));
    }

private:
    std::optional<QTemporaryDir> dir;
    std::optional<TestEngine> engine;
    std::optional<LocalSession> session;
    std::optional<ConversationModel> model;
    std::optional<QAbstractItemModelTester> tester;
};

QTEST_GUILESS_MAIN(TestConversationModel)
#include "tst_conversationmodel.moc"
