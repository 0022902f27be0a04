// The strict reader the metrics tests rely on: it accepts the format and refuses each breach of its
// rules, so that a /metrics test that parses cleanly means something.

#include "support/expositionparser.h"

#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;

class tst_ExpositionParser : public QObject
{
    Q_OBJECT

private slots:
    void readsFamiliesSamplesLabelsAndSpecialValues()
    {
        const Exposition parsed = parseExposition(
            "# HELP jobs_total Jobs done\n"
            "# TYPE jobs_total counter\n"
            "jobs_total{kind=\"a \\\"quoted\\\" \\\\ line\\nbreak\",shard=\"1\"} 3\n"
            "jobs_total{kind=\"b\",shard=\"1\"} 4 1700000000000\n"
            "# a comment\n"
            "# TYPE temperature gauge\n"
            "temperature -Inf\n"
            "# TYPE wait_seconds histogram\n"
            "wait_seconds_bucket{le=\"0.5\"} 1\n"
            "wait_seconds_bucket{le=\"+Inf\"} 2\n"
            "wait_seconds_sum 1.25e0\n"
            "wait_seconds_count 2\n");
        QVERIFY2(parsed.ok(), qPrintable(parsed.errors.join(u'\n')));
        QCOMPARE(parsed.familyNames(), (QStringList{u"jobs_total"_s, u"temperature"_s, u"wait_seconds"_s}));
        QCOMPARE(parsed.family(u"jobs_total"_s)->help, u"Jobs done"_s);
        QCOMPARE(parsed.value(u"jobs_total"_s, {{u"kind"_s, u"a \"quoted\" \\ line\nbreak"_s}, {u"shard"_s, u"1"_s}}),
                 3.0);
        QCOMPARE(parsed.sum(u"jobs_total"_s, {{u"shard"_s, u"1"_s}}), 7.0);
        QVERIFY(std::isinf(*parsed.value(u"temperature"_s)));
        QCOMPARE(parsed.value(u"wait_seconds_sum"_s), 1.25);
    }

    void refusesEveryBreach_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("name") << QByteArray("9lives 1\n") << u"invalid metric name"_s;
        QTest::newRow("label name") << QByteArray("x{__reserved=\"1\"} 1\n") << u"invalid label name"_s;
        QTest::newRow("label twice") << QByteArray("x{a=\"1\",a=\"2\"} 1\n") << u"given twice"_s;
        QTest::newRow("unquoted") << QByteArray("x{a=1} 1\n") << u"not quoted"_s;
        QTest::newRow("escape") << QByteArray("x{a=\"\\t\"} 1\n") << u"invalid escape"_s;
        QTest::newRow("unclosed") << QByteArray("x{a=\"1\" 1\n") << u"label"_s;
        QTest::newRow("value") << QByteArray("x one\n") << u"invalid value"_s;
        QTest::newRow("no value") << QByteArray("x\n") << u"one value"_s;
        QTest::newRow("last line") << QByteArray("x 1") << u"line feed"_s;
        QTest::newRow("type twice") << QByteArray("# TYPE x gauge\n# TYPE x gauge\nx 1\n") << u"second TYPE"_s;
        QTest::newRow("help twice") << QByteArray("# HELP x a\n# HELP x b\nx 1\n") << u"second HELP"_s;
        QTest::newRow("type late") << QByteArray("x 1\n# TYPE x gauge\n") << u"after its samples"_s;
        QTest::newRow("bad type") << QByteArray("# TYPE x meter\nx 1\n") << u"invalid TYPE"_s;
        QTest::newRow("apart") << QByteArray("x{a=\"1\"} 1\ny 1\nx{a=\"2\"} 1\n") << u"not together"_s;
        QTest::newRow("series twice") << QByteArray("x{a=\"1\"} 1\nx{a=\"1\"} 2\n") << u"appears twice"_s;
        QTest::newRow("negative counter") << QByteArray("# TYPE c_total counter\nc_total -1\n") << u"negative"_s;
        QTest::newRow("no le") << QByteArray("# TYPE h histogram\nh_bucket 1\nh_sum 1\nh_count 1\n") << u"without le"_s;
        QTest::newRow("not cumulative") << QByteArray(
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n")
                                        << u"not cumulative"_s;
        QTest::newRow("no +Inf") << QByteArray("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n")
                                 << u"no +Inf"_s;
        QTest::newRow("count") << QByteArray("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n")
                               << u"_count differs"_s;
        QTest::newRow("no sum") << QByteArray("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n")
                                << u"no _sum"_s;
    }

    void refusesEveryBreach()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, error);
        const Exposition parsed = parseExposition(text);
        QVERIFY2(!parsed.ok(), text.constData());
        QVERIFY2(parsed.errors.join(u'\n').contains(error), qPrintable(parsed.errors.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(tst_ExpositionParser)
#include "tst_expositionparser.moc"
