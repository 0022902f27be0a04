#include "timestamps.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace agentdesk::wire;

class tst_Timestamps : public QObject
{
    Q_OBJECT
private slots:
    void formatsUtcWithMillisAndZ();
    void convertsOtherZonesToUtc();
    void formatsPythonIsoformat_data();
    void formatsPythonIsoformat();
    void invalidIsNull();
    void parsesIsoForms_data();
    void parsesIsoForms();
    void rejectsGarbage_data();
    void rejectsGarbage();
    void roundTrips();
};

void tst_Timestamps::formatsUtcWithMillisAndZ()
{
    const QDateTime time(QDate(2026, 2, 10), QTime(12, 34, 56, 123), Qt::UTC);
    QCOMPARE(formatTimestamp(time), u"2026-02-10T12:34:56.123Z"_s);
    // Milliseconds are written even when zero, so every timestamp has the same shape.
    QCOMPARE(formatTimestamp(QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC)), u"2026-01-01T00:00:00.000Z"_s);
}

void tst_Timestamps::convertsOtherZonesToUtc()
{
    const QDateTime plusTwo(QDate(2026, 2, 10), QTime(14, 0, 0, 5), QTimeZone(7200));
    QCOMPARE(formatTimestamp(plusTwo), u"2026-02-10T12:00:00.005Z"_s);
}

void tst_Timestamps::formatsPythonIsoformat_data()
{
    QTest::addColumn<QDateTime>("time");
    QTest::addColumn<QString>("written");
    const QDate day(2026, 2, 10);
    QTest::newRow("milliseconds as microseconds")
        << QDateTime(day, QTime(12, 34, 56, 123), Qt::UTC) << u"2026-02-10T12:34:56.123000+00:00"_s;
    QTest::newRow("no fraction when zero") << QDateTime(day, QTime(8, 0), Qt::UTC) << u"2026-02-10T08:00:00+00:00"_s;
    QTest::newRow("one millisecond") << QDateTime(day, QTime(8, 0, 0, 1), Qt::UTC)
                                     << u"2026-02-10T08:00:00.001000+00:00"_s;
    QTest::newRow("other zone") << QDateTime(day, QTime(14, 0, 0, 5), QTimeZone(7200))
                                << u"2026-02-10T12:00:00.005000+00:00"_s;
    QTest::newRow("invalid") << QDateTime() << QString();
}

void tst_Timestamps::formatsPythonIsoformat()
{
    QFETCH(QDateTime, time);
    QFETCH(QString, written);
    QCOMPARE(formatTimestamp(time, agentdesk::TimestampForm::PythonIsoformat), written);
}

void tst_Timestamps::invalidIsNull()
{
    QVERIFY(timestampValue(QDateTime()).isNull());
    QVERIFY(timestampValue(QDateTime::currentDateTimeUtc()).isString());
}

void tst_Timestamps::parsesIsoForms_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("Z millis") << u"2026-02-10T12:34:56.123Z"_s << u"2026-02-10T12:34:56.123Z"_s;
    QTest::newRow("micros +00:00") << u"2026-02-10T12:34:56.123456+00:00"_s << u"2026-02-10T12:34:56.123Z"_s;
    QTest::newRow("offset +02:00") << u"2026-02-10T14:34:56+02:00"_s << u"2026-02-10T12:34:56.000Z"_s;
    QTest::newRow("offset -0530") << u"2026-02-10T07:04:56-0530"_s << u"2026-02-10T12:34:56.000Z"_s;
    QTest::newRow("offset hours only") << u"2026-02-10T13:34:56+01"_s << u"2026-02-10T12:34:56.000Z"_s;
    QTest::newRow("no zone = UTC") << u"2026-02-10T12:34:56"_s << u"2026-02-10T12:34:56.000Z"_s;
    QTest::newRow("space separator") << u"2026-02-10 12:34:56.5"_s << u"2026-02-10T12:34:56.500Z"_s;
    QTest::newRow("no seconds") << u"2026-02-10T12:34Z"_s << u"2026-02-10T12:34:00.000Z"_s;
    QTest::newRow("date only") << u"2026-02-10"_s << u"2026-02-10T00:00:00.000Z"_s;
    QTest::newRow("basic form") << u"20260210T123456Z"_s << u"2026-02-10T12:34:56.000Z"_s;
    QTest::newRow("lower z") << u"2026-02-10t12:34:56z"_s << u"2026-02-10T12:34:56.000Z"_s;
    QTest::newRow("crosses midnight") << u"2026-02-10T01:00:00+03:00"_s << u"2026-02-09T22:00:00.000Z"_s;
}

void tst_Timestamps::parsesIsoForms()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto parsed = parseTimestamp(text);
    QVERIFY(parsed.has_value());
    QCOMPARE(formatTimestamp(*parsed), expected);
}

void tst_Timestamps::rejectsGarbage_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("word") << u"yesterday"_s;
    QTest::newRow("bad month") << u"2026-13-01T00:00:00Z"_s;
    QTest::newRow("bad day") << u"2026-02-30"_s;
    QTest::newRow("bad hour") << u"2026-02-10T25:00:00Z"_s;
    QTest::newRow("bad offset") << u"2026-02-10T12:00:00+25:00"_s;
    QTest::newRow("trailing junk") << u"2026-02-10T12:00:00Zjunk"_s;
    QTest::newRow("epoch number") << u"1700000000"_s;
}

void tst_Timestamps::rejectsGarbage()
{
    QFETCH(QString, text);
    QVERIFY(!parseTimestamp(text).has_value());
}

void tst_Timestamps::roundTrips()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto parsed = parseTimestamp(formatTimestamp(now));
    QVERIFY(parsed.has_value());
    QCOMPARE(parsed->toMSecsSinceEpoch(), now.toMSecsSinceEpoch());
}

QTEST_APPLESS_MAIN(tst_Timestamps)
#include "tst_timestamps.moc"
