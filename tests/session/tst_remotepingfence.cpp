// RemotePingFence: an answer waits until a ping sent after it has been answered (so the events it
// reflects come first), one ping serves every answer of one event-loop turn, events are flushed before
// the answers a pong releases, and a server that never answers pings does not hold answers for ever.

#include "remotepingfence.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace agentdesk;

class TestRemotePingFence : public QObject
{
    Q_OBJECT

private:
    // The test's WebSocket: open or not, and the frames sent; deliver runs the answer at once (the
    // session's deliver queues it; the order is the same).
    std::unique_ptr<RemotePingFence> makeFence(int patienceMs = RemotePingFence::kPatienceMs)
    {
        auto fence = std::make_unique<RemotePingFence>(
            RemotePingFence::Channel{[this] { return open; }, [this](const QString &text) { sent.append(text); }},
            [this](QObject *, std::function<void()> call) {
                delivered.append(u"deliver"_s);
                call();
            },
            nullptr, patienceMs);
        fence->restart(false);
        return fence;
    }

    bool open = true;
    QStringList sent;
    QStringList delivered;
    QStringList answers;

private slots:
    void init()
    {
        open = true;
        sent.clear();
        delivered.clear();
        answers.clear();
    }

    void answersWaitForThePingSentAfterThem()
    {
        auto fence = makeFence();
        QSignalSpy flushes(fence.get(), &RemotePingFence::flushDue);
        fence->deliverAfterPing({}, [this] { answers.append(u"first"_s); });
        fence->deliverAfterPing({}, [this] { answers.append(u"second"_s); });
        QVERIFY(answers.isEmpty());
        // One ping for both: they arrived in the same turn.
        QTRY_COMPARE(sent, QStringList{uR"({"cmd":"ping"})"_s});
        QVERIFY(answers.isEmpty());
        fence->deliverAfterPing({}, [this] { answers.append(u"third"_s); }); // after the ping: needs the next
        QTRY_COMPARE(sent.size(), 2);

        // The events that arrived before the pong are flushed before the answers it releases.
        connect(fence.get(), &RemotePingFence::flushDue, this, [this] { answers.append(u"flush"_s); });
        fence->onPong();
        QCOMPARE(answers, (QStringList{u"flush"_s, u"first"_s, u"second"_s}));
        fence->onPong();
        QCOMPARE(answers, (QStringList{u"flush"_s, u"first"_s, u"second"_s, u"flush"_s, u"third"_s}));
        QCOMPARE(flushes.size(), 2);
    }

    void withoutAChannelAnswersGoOutAtOnce()
    {
        open = false;
        auto fence = makeFence();
        fence->deliverAfterPing({}, [this] { answers.append(u"answer"_s); });
        QCOMPARE(answers, QStringList{u"answer"_s});
        QVERIFY(sent.isEmpty());
    }

    void answersOfContextsThatWentAreDropped()
    {
        auto fence = makeFence();
        auto context = std::make_unique<QObject>();
        fence->deliverAfterPing(RemotePingFence::contextOf(context.get()), [this] { answers.append(u"gone"_s); });
        fence->deliverAfterPing({}, [this] { answers.append(u"unguarded"_s); });
        QTRY_COMPARE(sent.size(), 1);
        context.reset();
        fence->onPong();
        QCOMPARE(answers, QStringList{u"unguarded"_s});
    }

    void releaseAllFreesWhatWaitsForAPingThatWillNotCome()
    {
        auto fence = makeFence();
        fence->deliverAfterPing({}, [this] { answers.append(u"answer"_s); });
        QTRY_COMPARE(sent.size(), 1);
        open = false; // the WebSocket went
        fence->releaseAll();
        QCOMPARE(answers, QStringList{u"answer"_s});
    }

    void clearDropsWhatWasHeld()
    {
        auto fence = makeFence();
        fence->deliverAfterPing({}, [this] { answers.append(u"answer"_s); });
        fence->clear();
        fence->onPong();
        QVERIFY(answers.isEmpty());
    }

    void aServerThatNeverAnswersPingsDoesNotHoldAnswers()
    {
        auto fence = makeFence(50);
        QSignalSpy flushes(fence.get(), &RemotePingFence::flushDue);
        fence->deliverAfterPing({}, [this] { answers.append(u"late"_s); });
        QTRY_COMPARE(answers, QStringList{u"late"_s});
        QCOMPARE(flushes.size(), 1); // events before it first
        // From now on nothing is held any more, until the next connection.
        fence->deliverAfterPing({}, [this] { answers.append(u"at once"_s); });
        QCOMPARE(answers, (QStringList{u"late"_s, u"at once"_s}));
        fence->restart(false);
        fence->deliverAfterPing({}, [this] { answers.append(u"held again"_s); });
        QCOMPARE(answers.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestRemotePingFence)
#include "tst_remotepingfence.moc"
