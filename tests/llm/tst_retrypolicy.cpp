#include "retrypolicy.h"

#include "config/organismconfig.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace agentdesk;

// Which failures are worth another try and how long the router waits before it.
class tst_RetryPolicy : public QObject
{
    Q_OBJECT
private slots:
    void retryableStatuses_data();
    void retryableStatuses();
    void retryAfter_data();
    void retryAfter();
    void backoffDoublesUpToTheMaximum_data();
    void backoffDoublesUpToTheMaximum();
    void jitterSpreadsByAQuarter();
    void retryAfterReplacesBackoffButIsCapped();
    void attemptsAreRetriesPlusOne();
};

void tst_RetryPolicy::retryableStatuses_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("retryable");
    QTest::newRow("no answer") << 0 << true;
    QTest::newRow("400") << 400 << false;
    QTest::newRow("401") << 401 << false;
    QTest::newRow("403") << 403 << false;
    QTest::newRow("404") << 404 << false;
    QTest::newRow("408") << 408 << true;
    QTest::newRow("409") << 409 << true;
    QTest::newRow("413") << 413 << false;
    QTest::newRow("422") << 422 << false;
    QTest::newRow("429") << 429 << true;
    QTest::newRow("500") << 500 << true;
    QTest::newRow("502") << 502 << true;
    QTest::newRow("503") << 503 << true;
    QTest::newRow("529 overloaded") << 529 << true;
}

void tst_RetryPolicy::retryableStatuses()
{
    QFETCH(int, status);
    QFETCH(bool, retryable);
    QCOMPARE(RetryPolicy::isRetryableStatus(status), retryable);
}

void tst_RetryPolicy::retryAfter_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<double>("expected"); // < 0: unreadable
    QTest::newRow("seconds") << QByteArray("7") << 7.0;
    QTest::newRow("padded seconds") << QByteArray(" 2 ") << 2.0;
    QTest::newRow("fraction") << QByteArray("0.5") << 0.5;
    QTest::newRow("zero") << QByteArray("0") << 0.0;
    QTest::newRow("IMF-fixdate") << QByteArray("Wed, 21 Oct 2015 07:28:30 GMT") << 30.0;
    QTest::newRow("RFC 850 date") << QByteArray("Wednesday, 21-Oct-15 07:28:45 GMT") << 45.0;
    QTest::newRow("asctime date") << QByteArray("Wed Oct 21 07:28:10 2015") << 10.0;
    QTest::newRow("date in the past") << QByteArray("Wed, 21 Oct 2015 07:27:00 GMT") << 0.0;
    QTest::newRow("empty") << QByteArray("") << -1.0;
    QTest::newRow("garbage") << QByteArray("soon") << -1.0;
}

void tst_RetryPolicy::retryAfter()
{
    QFETCH(QByteArray, header);
    QFETCH(double, expected);
    const QDateTime now(QDate(2015, 10, 21), QTime(7, 28, 0), QTimeZone::utc());
    const std::optional<double> parsed = RetryPolicy::parseRetryAfter(header, now);
    if (expected < 0) {
        QVERIFY(!parsed);
        return;
    }
    QVERIFY(parsed);
    QCOMPARE(*parsed, expected);
}

void tst_RetryPolicy::backoffDoublesUpToTheMaximum_data()
{
    QTest::addColumn<int>("retryIndex");
    QTest::addColumn<double>("seconds");
    QTest::newRow("first retry") << 0 << 1.0;
    QTest::newRow("second") << 1 << 2.0;
    QTest::newRow("third") << 2 << 4.0;
    QTest::newRow("capped") << 6 << 60.0;
    QTest::newRow("far beyond") << 500 << 60.0;
}

void tst_RetryPolicy::backoffDoublesUpToTheMaximum()
{
    QFETCH(int, retryIndex);
    QFETCH(double, seconds);
    const RetryPolicy policy(LlmConfig{}); // base 1 s, max 60 s
    // jitter 0.5 is the middle of the ±25 % band: the plain exponential value.
    QCOMPARE(policy.delaySeconds(retryIndex, std::nullopt, 0.5), seconds);
}

void tst_RetryPolicy::jitterSpreadsByAQuarter()
{
    const RetryPolicy policy(LlmConfig{});
    QCOMPARE(policy.delaySeconds(2, std::nullopt, 0.0), 3.0);
    QCOMPARE(policy.delaySeconds(2, std::nullopt, 1.0), 5.0);
}

void tst_RetryPolicy::retryAfterReplacesBackoffButIsCapped()
{
    LlmConfig config;
    config.retryBaseDelay = 0.25;
    config.retryMaxDelay = 10;
    const RetryPolicy policy(config);
    QCOMPARE(policy.delaySeconds(0, 3.0, 0.9), 3.0);
    QCOMPARE(policy.delaySeconds(0, 3600.0, 0.1), 10.0);
}

void tst_RetryPolicy::attemptsAreRetriesPlusOne()
{
    LlmConfig config;
    config.retries = 0;
    QCOMPARE(RetryPolicy(config).maxAttempts(), 1);
    config.retries = 3;
    QCOMPARE(RetryPolicy(config).maxAttempts(), 4);
}

QTEST_APPLESS_MAIN(tst_RetryPolicy)
#include "tst_retrypolicy.moc"
