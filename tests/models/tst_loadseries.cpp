// LoadSeries: samples of the organism's load over a moving window, from the server's own throughput
// figures or, where it has none (the original), from its message total between samples.

#include "fakesession.h"
#include "loadseries.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

OrganismInfo load(int queue, double rate, qint64 total = 0)
{
    OrganismInfo info;
    info.status = OrganismStatus::Running;
    info.totalMessages = total;
    info.saturation.queueDepth = queue;
    info.saturation.queueLimit = 10000;
    info.saturation.messagesPerSecond = rate;
    return info;
}

} // namespace

class TestLoadSeries : public QObject
{
    Q_OBJECT

private slots:
    void samplesWithinTheWindow()
    {
        FakeSession session;
        QDateTime now(QDate(2026, 2, 10), QTime(12, 0), Qt::UTC);
        LoadSeries series(&session);
        series.setClock([&now] { return now; });
        series.setWindowSeconds(60);
        session.snapshot.organism = load(10, 5.0);
        session.open();
        QCOMPARE(series.samples().size(), 1);
        for (int second = 1; second <= 90; ++second) {
            now = now.addSecs(1);
            session.replaceOrganism(load(second * 100, second));
        }
        QCOMPARE(series.samples().size(), 61); // the last minute, both ends included
        QCOMPARE(series.latest()->queueDepth, 9000);
        QCOMPARE(series.latest()->queueLimit, 10000);
        QCOMPARE(series.peakQueueDepth(), 9000);
        QCOMPARE(series.peakMessagesPerSecond(), 90.0);
        QCOMPARE(series.samples().first().queueDepth, 3000);

        // A burst within a quarter second is one sample, with the newest figures.
        now = now.addMSecs(100);
        session.replaceOrganism(load(9500, 91));
        QCOMPARE(series.samples().size(), 60); // and 12:00:30 is now out of the window
        QCOMPARE(series.latest()->queueDepth, 9500);
    }

    void rateFromTheTotalWhereTheServerHasNone()
    {
        FakeSession session;
        QDateTime now(QDate(2026, 2, 10), QTime(12, 0), Qt::UTC);
        LoadSeries series(&session);
        series.setClock([&now] { return now; });
        session.snapshot.abilities.reportsLoad = false;
        session.snapshot.organism = load(0, 0, 100);
        session.open();
        now = now.addSecs(2);
        session.replaceOrganism(load(0, 0, 160));
        QCOMPARE(series.latest()->messagesPerSecond, 30.0);
        now = now.addSecs(2);
        session.replaceOrganism(load(0, 0, 160));
        QCOMPARE(series.latest()->messagesPerSecond, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestLoadSeries)
#include "tst_loadseries.moc"
