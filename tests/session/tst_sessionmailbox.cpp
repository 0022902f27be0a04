// SessionMailbox: work posted from engine threads runs on the receiver's thread, nothing posted after
// close() runs, and posting while the receiver is being destroyed on its own thread is safe.

#include "sessionmailbox.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QSemaphore>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

// Stands in for a Session: owns the mailbox's receiving end and closes it when destroyed, on its thread.
class Receiver : public QObject
{
public:
    Receiver()
        : mailbox(std::make_shared<SessionMailbox>(this))
    { }
    ~Receiver() override
    {
        mailbox->close();
        *alive = false; // from here on, a call that runs would use a dying object
    }

    std::shared_ptr<SessionMailbox> mailbox;
    std::shared_ptr<std::atomic<bool>> alive = std::make_shared<std::atomic<bool>>(true);
    int calls = 0; // touched only on the receiver's thread
};

// Runs `work` on `object`'s thread and waits for it.
void runOn(QObject *object, const std::function<void()> &work)
{
    QMetaObject::invokeMethod(object, work, Qt::BlockingQueuedConnection);
}

} // namespace

class tst_SessionMailbox : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void postRunsOnTheReceiversThread();
    void keepsTheOrderOfOnePoster();
    void nothingRunsAfterClose();
    void postingWhileTheReceiverIsDestroyed();

private:
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<QObject> m_onThread; // lives on m_thread: a marker queued behind everything posted
};

void tst_SessionMailbox::init()
{
    m_thread = std::make_unique<QThread>();
    m_thread->start();
    m_onThread = std::make_unique<QObject>();
    m_onThread->moveToThread(m_thread.get());
}

void tst_SessionMailbox::cleanup()
{
    runOn(m_onThread.get(), [this] { m_onThread->moveToThread(QCoreApplication::instance()->thread()); });
    m_onThread.reset();
    m_thread->quit();
    QVERIFY(m_thread->wait(30000));
    m_thread.reset();
}

void tst_SessionMailbox::postRunsOnTheReceiversThread()
{
    Receiver receiver;
    receiver.moveToThread(m_thread.get());
    QVERIFY(receiver.mailbox->isOpen());

    std::atomic<QThread *> ranOn = nullptr;
    std::thread engine([&] { receiver.mailbox->post([&] { ranOn = QThread::currentThread(); }); });
    engine.join();
    QTRY_VERIFY(ranOn.load() != nullptr);
    QCOMPARE(ranOn.load(), m_thread.get());
    runOn(&receiver, [&] { receiver.moveToThread(QCoreApplication::instance()->thread()); });
}

void tst_SessionMailbox::keepsTheOrderOfOnePoster()
{
    Receiver receiver;
    receiver.moveToThread(m_thread.get());
    QList<int> seen; // written on the receiver's thread only
    std::thread engine([&] {
        for (int i = 0; i < 1000; ++i)
            receiver.mailbox->post([&seen, i] { seen.append(i); });
    });
    engine.join();
    QList<int> copy;
    QTRY_VERIFY((runOn(&receiver, [&] { copy = seen; }), copy.size() == 1000));
    for (int i = 0; i < 1000; ++i)
        QCOMPARE(copy[i], i);
    runOn(&receiver, [&] { receiver.moveToThread(QCoreApplication::instance()->thread()); });
}

void tst_SessionMailbox::nothingRunsAfterClose()
{
    Receiver receiver;
    receiver.moveToThread(m_thread.get());
    std::atomic<int> before = 0;
    std::atomic<int> after = 0;
    receiver.mailbox->post([&] { ++before; });
    runOn(&receiver, [&] { receiver.mailbox->close(); });
    QVERIFY(!receiver.mailbox->isOpen());

    std::thread engine([&] {
        for (int i = 0; i < 100; ++i)
            receiver.mailbox->post([&] { ++after; });
    });
    engine.join();
    // A marker queued to the receiver's thread after every dropped post: once it has run, anything the
    // mailbox had let through would have run before it.
    runOn(m_onThread.get(), [] {});
    QCOMPARE(before.load(), 1);
    QCOMPARE(after.load(), 0);
    runOn(&receiver, [&] { receiver.moveToThread(QCoreApplication::instance()->thread()); });
}

void tst_SessionMailbox::postingWhileTheReceiverIsDestroyed()
{
    // Engine threads post without pause while the receiver is destroyed on its own thread, many times
    // over so the destruction lands at every point of a post. A call that ran on a destroyed receiver
    // would see `alive` false (or crash on the freed object).
    constexpr int rounds = 200;
    constexpr int posters = 3;
    std::atomic<int> ranOnDeadReceiver = 0;
    int totalRuns = 0;
    for (int round = 0; round < rounds; ++round) {
        auto *receiver = new Receiver;
        receiver->moveToThread(m_thread.get());
        const std::shared_ptr<SessionMailbox> mailbox = receiver->mailbox;
        const std::shared_ptr<std::atomic<bool>> alive = receiver->alive;
        std::atomic<int> runs = 0;
        std::atomic<bool> stop = false;
        std::vector<std::thread> engines;
        for (int p = 0; p < posters; ++p) {
            engines.emplace_back([&, mailbox, alive, receiver] {
                while (!stop.load()) {
                    // As LocalSession's lambdas do: the call uses the raw receiver pointer.
                    mailbox->post([&ranOnDeadReceiver, &runs, alive, receiver] {
                        if (!alive->load()) {
                            ++ranOnDeadReceiver;
                            return;
                        }
                        ++receiver->calls;
                        ++runs;
                    });
                }
            });
        }
        // Let some calls through, then destroy the receiver on its thread while posts keep coming.
        const QDeadlineTimer deadline(30000);
        while (runs.load() == 0 && !deadline.hasExpired())
            QThread::yieldCurrentThread();
        QVERIFY(runs.load() > 0);
        QSemaphore destroyed;
        QMetaObject::invokeMethod(
            receiver,
            [receiver, &destroyed] {
                delete receiver;
                destroyed.release();
            },
            Qt::QueuedConnection);
        QVERIFY(destroyed.tryAcquire(1, 30000));
        QVERIFY(!mailbox->isOpen());
        // Keep posting a little after the end, then stop; whatever is still queued for the thread runs
        // before the marker below.
        const int runsAtDestruction = runs.load();
        std::this_thread::yield();
        stop = true;
        for (std::thread &engine : engines)
            engine.join();
        runOn(m_onThread.get(), [] {}); // the thread's queue drained up to here
        QCOMPARE(ranOnDeadReceiver.load(), 0);
        QCOMPARE(runs.load(), runsAtDestruction); // nothing after the destruction
        totalRuns += runs.load();
    }
    QVERIFY(totalRuns >= rounds);
}

QTEST_GUILESS_MAIN(tst_SessionMailbox)
#include "tst_sessionmailbox.moc"
