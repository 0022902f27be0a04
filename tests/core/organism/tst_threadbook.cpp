#include "organism/threadbook.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {
MessageRecord message(const QString &thread, const QString &from, const QString &to)
{
    MessageRecord m;
    m.threadId = thread;
    m.from = from;
    m.to = to;
    m.timestamp = QDateTime::currentDateTimeUtc();
    return m;
}
} // namespace

class TestThreadBook : public QObject
{
    Q_OBJECT

private slots:
    void firstMessageCreatesTheThreadAndCountsParticipants()
    {
        ThreadBook book;
        QVERIFY(book.noteMessage(message(u"t1"_s, u"api"_s, u"greeter"_s)));
        QVERIFY(!book.noteMessage(message(u"t1"_s, u"greeter"_s, u"shouter"_s)));
        const ThreadInfo *thread = book.find(u"t1"_s);
        QVERIFY(thread);
        QCOMPARE(thread->messageCount, 2);
        QCOMPARE(thread->participants, (QStringList{u"api"_s, u"greeter"_s, u"shouter"_s}));
        QVERIFY(thread->status == ThreadStatus::Active);
        QCOMPARE(book.activeCount(), 1);
    }

    void statusChangesKeepTheActiveCount()
    {
        ThreadBook book;
        book.noteMessage(message(u"a"_s, u"api"_s, u"x"_s));
        book.noteMessage(message(u"b"_s, u"api"_s, u"x"_s));
        QCOMPARE(book.activeCount(), 2);
        book.setStatus(*book.find(u"a"_s), ThreadStatus::Error, u"boom"_s);
        QCOMPARE(book.activeCount(), 1);
        QCOMPARE(book.find(u"a"_s)->error, u"boom"_s);
        book.setStatus(*book.find(u"a"_s), ThreadStatus::Active, {});
        QCOMPARE(book.activeCount(), 2);
        ThreadInfo finished;
        finished.id = u"c"_s;
        finished.status = ThreadStatus::Completed;
        book.adopt(finished);
        QCOMPARE(book.activeCount(), 2);
    }

    void savesOnlyChangedRowsOnce()
    {
        ThreadBook book;
        book.noteMessage(message(u"a"_s, u"api"_s, u"x"_s));
        book.noteMessage(message(u"b"_s, u"api"_s, u"x"_s));
        book.markSaved(u"b"_s);
        QStringList saved;
        const ThreadBook::Save save = [&saved](const ThreadInfo &thread) { saved.append(thread.id); };
        book.saveDirty(save);
        QCOMPARE(saved, QStringList{u"a"_s});
        book.saveDirty(save);
        QCOMPARE(saved.size(), 1); // nothing changed since
        book.markAllDirty();
        book.saveDirty(save);
        saved.sort();
        QCOMPARE(saved, (QStringList{u"a"_s, u"a"_s, u"b"_s}));
    }

    void finishedRowsAreSavedAtOnceAndTheRestLater()
    {
        ThreadBook book;
        book.noteMessage(message(u"a"_s, u"api"_s, u"x"_s));
        book.noteMessage(message(u"b"_s, u"api"_s, u"x"_s));
        book.setStatus(*book.find(u"a"_s), ThreadStatus::Completed, {});
        QStringList saved;
        const bool othersWait = book.saveFinished({*book.find(u"a"_s)},
                                                  [&saved](const ThreadInfo &t) { saved.append(t.id); });
        QCOMPARE(saved, QStringList{u"a"_s});
        QVERIFY(othersWait); // b's row still waits for the periodic save
        book.markSaved(u"b"_s);
        QVERIFY(!book.saveFinished({}, [&saved](const ThreadInfo &t) { saved.append(t.id); }));
        QCOMPARE(saved, QStringList{u"a"_s});
    }

    void finishedThreadsLeaveOnceTheirRowIsCommitted()
    {
        ThreadBook book;
        book.noteMessage(message(u"a"_s, u"api"_s, u"x"_s));
        book.setStatus(*book.find(u"a"_s), ThreadStatus::Killed, {});
        book.retireAfter(5, {*book.find(u"a"_s)});
        const auto noWork = [](const QString &) { return false; };
        QVERIFY(book.releaseCommitted(4, noWork).isEmpty());
        QVERIFY(book.find(u"a"_s)); // not committed yet: a read must still find it
        book.releaseCommitted(5, noWork);
        QVERIFY(!book.find(u"a"_s));
    }

    void aThreadWithWorkLeftIsNotRetired()
    {
        ThreadBook book;
        book.noteMessage(message(u"a"_s, u"api"_s, u"x"_s));
        book.setStatus(*book.find(u"a"_s), ThreadStatus::Completed, {});
        book.retireAfter(1, {*book.find(u"a"_s)});
        book.releaseCommitted(1, [](const QString &) { return true; });
        QVERIFY(book.find(u"a"_s));
    }

    void drainedThreadsCompleteOnceCommittedInOrderAndOnce()
    {
        ThreadBook book;
        book.noteMessage(message(u"a"_s, u"api"_s, u"x"_s));
        book.noteMessage(message(u"b"_s, u"api"_s, u"x"_s));
        book.noteMessage(message(u"c"_s, u"api"_s, u"x"_s));
        book.completeAfter(3, u"b"_s);
        book.completeAfter(3, u"a"_s);
        book.completeAfter(4, u"a"_s);
        book.completeAfter(9, u"c"_s);
        QCOMPARE(book.releaseCommitted(4, [](const QString &) { return false; }), (QStringList{u"b"_s, u"a"_s}));
        QVERIFY(book.releaseCommitted(8, [](const QString &) { return false; }).isEmpty());
        // Work arrived meanwhile: it does not complete.
        QVERIFY(book.releaseCommitted(9, [](const QString &id) { return id == u"c"_s; }).isEmpty());
    }

    void clearForgetsThreadsButNotRowsToWrite()
    {
        ThreadBook book;
        book.noteMessage(message(u"a"_s, u"api"_s, u"x"_s));
        book.clear();
        QVERIFY(!book.find(u"a"_s));
        QCOMPARE(book.activeCount(), 0);
        QVERIFY(book.ids().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestThreadBook)
#include "tst_threadbook.moc"
