#include "tokenbucket.h"

#include <QTest>

using namespace agentdesk;

// rate_limit_tpm as arithmetic on an explicit clock: what may start now, and how long the rest waits.
class tst_TokenBucket : public QObject
{
    Q_OBJECT
private slots:
    void fullBucketAdmitsUpToCapacity();
    void emptyBucketWaitsForRefill();
    void refillNeverExceedsCapacity();
    void oversizedCallRunsWhenFullAndLeavesDebt();
    void unlimitedNeverWaits_data();
    void unlimitedNeverWaits();
};

void tst_TokenBucket::fullBucketAdmitsUpToCapacity()
{
    TokenBucket bucket(6000, 0);
    QCOMPARE(bucket.msUntilAvailable(6000, 0), 0);
    bucket.take(4000, 0);
    QCOMPARE(bucket.msUntilAvailable(2000, 0), 0);
    QVERIFY(bucket.msUntilAvailable(2001, 0) > 0);
}

void tst_TokenBucket::emptyBucketWaitsForRefill()
{
    // 6000 per minute = 100 per second: 500 missing tokens take 5 s to come back.
    TokenBucket bucket(6000, 0);
    bucket.take(6000, 0);
    QCOMPARE(bucket.msUntilAvailable(500, 0), 5000);
    QCOMPARE(bucket.msUntilAvailable(500, 4000), 1000);
    QCOMPARE(bucket.msUntilAvailable(500, 5000), 0);
}

void tst_TokenBucket::refillNeverExceedsCapacity()
{
    TokenBucket bucket(6000, 0);
    bucket.take(100, 0);
    QCOMPARE(bucket.level(3600000), 6000.0);
}

void tst_TokenBucket::oversizedCallRunsWhenFullAndLeavesDebt()
{
    TokenBucket bucket(6000, 0);
    bucket.take(100, 0);
    // Larger than the whole bucket: it waits until the bucket is full again, never forever.
    QCOMPARE(bucket.msUntilAvailable(9000, 0), 1000);
    QCOMPARE(bucket.msUntilAvailable(9000, 1000), 0);
    bucket.take(9000, 1000);
    QCOMPARE(bucket.level(1000), -3000.0);
    QCOMPARE(bucket.msUntilAvailable(100, 1000), 31000);
}

void tst_TokenBucket::unlimitedNeverWaits_data()
{
    QTest::addColumn<qint64>("perMinute");
    QTest::newRow("zero") << qint64(0);
    QTest::newRow("negative") << qint64(-5);
}

void tst_TokenBucket::unlimitedNeverWaits()
{
    QFETCH(qint64, perMinute);
    TokenBucket bucket(perMinute, 0);
    QVERIFY(bucket.unlimited());
    bucket.take(1000000, 0);
    QCOMPARE(bucket.msUntilAvailable(1000000, 0), 0);
}

QTEST_APPLESS_MAIN(tst_TokenBucket)
#include "tst_tokenbucket.moc"
