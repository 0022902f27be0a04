#include "organism/deliveryretries.h"

#include <QTest>

using namespace agentdesk;

class TestDeliveryRetries : public QObject
{
    Q_OBJECT

private slots:
    void noRetryWithoutAttempts()
    {
        DeliveryRetries retries;
        QVERIFY(!retries.next(1, RetrySpec{}));
        QVERIFY(retries.isEmpty());
    }

    void backOffDoublesUntilTheAttemptsAreUsed()
    {
        DeliveryRetries retries;
        const RetrySpec retry{4, 1.5, 0};
        QList<double> waits;
        while (const std::optional<DeliveryRetries::Attempt> attempt = retries.next(7, retry)) {
            QCOMPARE(attempt->failures, int(waits.size()) + 1);
            waits.append(attempt->waitSeconds);
            retries.failed(7, *attempt);
        }
        QCOMPARE(waits, (QList<double>{1.5, 3.0, 6.0})); // 4 tries: the first and three retries
        QVERIFY(retries.isEmpty());                      // used up: forgotten
    }

    void anUnconfirmedFailureIsNotCounted()
    {
        DeliveryRetries retries;
        const RetrySpec retry{3, 1.0, 0};
        QCOMPARE(retries.next(1, retry)->failures, 1);
        QCOMPARE(retries.next(1, retry)->failures, 1); // the pump did not take it: nothing counted
    }

    void waitsAtMostFiveMinutesUnlessTheBackOffIsLonger()
    {
        DeliveryRetries retries;
        const RetrySpec retry{20, 100.0, 0};
        for (int i = 0; i < 5; ++i)
            retries.failed(1, *retries.next(1, retry));
        QCOMPARE(retries.next(1, retry)->waitSeconds, 300.0);
        const RetrySpec slow{20, 600.0, 0};
        for (int i = 0; i < 5; ++i)
            retries.failed(2, *retries.next(2, slow));
        QCOMPARE(retries.next(2, slow)->waitSeconds, 600.0);
        QCOMPARE(retries.next(2, slow)->wait(), std::chrono::milliseconds(600000));
    }

    void deliveriesAreCountedApart()
    {
        DeliveryRetries retries;
        const RetrySpec retry{5, 1.0, 0};
        retries.failed(1, *retries.next(1, retry));
        retries.failed(1, *retries.next(1, retry));
        QCOMPARE(retries.next(2, retry)->failures, 1);
        retries.forget(1);
        QCOMPARE(retries.next(1, retry)->failures, 1);
    }
};

QTEST_GUILESS_MAIN(TestDeliveryRetries)
#include "tst_deliveryretries.moc"
