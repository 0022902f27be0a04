#include "pump/loadmeter.h"

#include <QTest>

using namespace agentdesk;

// The saturation figures an operator reads: rates and percentiles over a window that moves with the
// clock (a test clock here, so nothing depends on how fast the machine is).
class TestLoadMeter : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_now = 1'000'000;
        m_meter = std::make_unique<LoadMeter>([this] { return m_now; });
    }

    void nothingYet()
    {
        const LoadMeter::Figures figures = m_meter->figures();
        QCOMPARE(figures.messagesPerSecond, 0.0);
        QCOMPARE(figures.handledLastMinute, 0);
        QVERIFY(!figures.handlerP50Ms && !figures.handlerP95Ms);
    }

    void messagesPerSecondOverTheLastTenSeconds()
    {
        for (int second = 0; second < 20; ++second) {
            m_meter->messagesRecorded(100);
            m_now += 1000;
        }
        m_now -= 1000; // still within the 20th second
        QCOMPARE(m_meter->figures().messagesPerSecond, 100.0);
        m_now += 30'000; // quiet for half a minute
        QCOMPARE(m_meter->figures().messagesPerSecond, 0.0);
    }

    void rateRightAfterStartIsNotDilutedByTheWindow()
    {
        m_meter->messagesRecorded(50);
        QCOMPARE(m_meter->figures().messagesPerSecond, 50.0);
    }

    void percentilesOfTheLastMinute()
    {
        // 90 fast calls, 10 slow ones: the median is fast, the 95th percentile slow.
        for (int i = 0; i < 90; ++i)
            m_meter->handlerEnded(2.0);
        for (int i = 0; i < 10; ++i)
            m_meter->handlerEnded(400.0);
        const LoadMeter::Figures figures = m_meter->figures();
        QCOMPARE(figures.handledLastMinute, 100);
        QVERIFY2(qAbs(*figures.handlerP50Ms - 2.0) <= 2.0 * 0.08, qPrintable(QString::number(*figures.handlerP50Ms)));
        QVERIFY2(qAbs(*figures.handlerP95Ms - 400.0) <= 400.0 * 0.08,
                 qPrintable(QString::number(*figures.handlerP95Ms)));

        m_now += 61'000; // a minute later they are gone
        QCOMPARE(m_meter->figures().handledLastMinute, 0);
        QVERIFY(!m_meter->figures().handlerP50Ms);
    }

    void threadErrorsPerMinute()
    {
        m_meter->threadFailed();
        m_now += 30'000;
        m_meter->threadFailed();
        QCOMPARE(m_meter->figures().threadErrorsLastMinute, 2);
        m_now += 31'000;
        QCOMPARE(m_meter->figures().threadErrorsLastMinute, 1);
    }

    void zeroAndHugeDurationsStayInRange()
    {
        m_meter->handlerEnded(0.0);
        m_meter->handlerEnded(1e12);
        const LoadMeter::Figures figures = m_meter->figures();
        QVERIFY(*figures.handlerP50Ms < 0.01);
        QVERIFY(*figures.handlerP95Ms > 1e6);
    }

private:
    qint64 m_now = 0;
    std::unique_ptr<LoadMeter> m_meter;
};

QTEST_GUILESS_MAIN(TestLoadMeter)
#include "tst_loadmeter.moc"
