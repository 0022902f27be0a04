// MetricsRegistry: the text it writes is prometheus-cpp's, byte for byte, however large (its buffer
// flushes in chunks), and every declared family is announced before its first series.

#include "metricsregistry.h"
#include "support/expositionparser.h"

#include <prometheus/text_serializer.h>

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk::metrics;

class tst_MetricsRegistry : public QObject
{
    Q_OBJECT

private slots:
    void writesWhatTheTextSerializerWrites_data()
    {
        QTest::addColumn<int>("series");
        QTest::newRow("empty") << 0;
        QTest::newRow("one") << 1;
        QTest::newRow("a few chunks") << 3000; // ~200 KB: many flushes of the 16 KiB put area
    }

    void writesWhatTheTextSerializerWrites()
    {
        QFETCH(int, series);
        MetricsRegistry registry;
        auto &requests = registry.counters("test_requests_total", "Requests");
        auto &duration = registry.histograms("test_duration_seconds", "Durations");
        for (int i = 0; i < series; ++i) {
            const std::string label = "route-" + std::to_string(i) + "-\"quoted\"\\";
            requests.Add({{"route", label}}).Increment(i);
            duration.Add({{"route", label}}, prometheus::Histogram::BucketBoundaries{0.001, 0.1, 1}).Observe(0.05 * i);
        }
        const std::vector<prometheus::MetricFamily> families = registry.collect();
        const QByteArray text = MetricsRegistry::serialize(families);
        QCOMPARE(text, QByteArray::fromStdString(prometheus::TextSerializer().Serialize(families)));
        QCOMPARE(MetricsRegistry::serialize(families, text.size()), text); // with a size hint too
        const Exposition parsed = parseExposition(text);
        QVERIFY2(parsed.ok(), qPrintable(parsed.errors.join(u'\n')));
        QCOMPARE(parsed.samples(u"test_requests_total"_s).size(), series);
    }

    void announcesEveryDeclaredFamilyBeforeItsFirstSeries()
    {
        MetricsRegistry registry;
        registry.counters("test_events_total", "Events");
        registry.gauges("test_level", "Level");
        registry.histograms("test_wait_seconds", "Waits");
        const Exposition parsed = parseExposition(registry.exposition());
        QVERIFY2(parsed.ok(), qPrintable(parsed.errors.join(u'\n')));
        QCOMPARE(parsed.familyNames(), (QStringList{u"test_events_total"_s, u"test_level"_s, u"test_wait_seconds"_s}));
        QCOMPARE(parsed.family(u"test_wait_seconds"_s)->type, u"histogram"_s);
        QCOMPARE(parsed.family(u"test_level"_s)->help, u"Level"_s);
        QVERIFY(parsed.family(u"test_events_total"_s)->samples.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_MetricsRegistry)
#include "tst_metricsregistry.moc"
