#include "jsonwriter.h"

#include <QCborArray>
#include <QCborMap>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <QLocale>
#include <QRandomGenerator64>

#include <cmath>
#include <cstring>
#include <limits>

using namespace Qt::StringLiterals;
using namespace agentdesk::wire;

class tst_JsonWriter : public QObject
{
    Q_OBJECT
private slots:
    void floatsLikePython_data();
    void floatsLikePython();
    void floatsRoundTrip();
    void integersStayIntegers();
    void keepsInsertionOrder();
    void escapesLikeJsonDumps();
    void nonAsciiIsNotEscaped();
    void nullsBoolsAndNesting();
    void dateTimeTagIsTimestamp();
    void outputParsesBack();
};

void tst_JsonWriter::floatsLikePython_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("expected");
    // Expected strings are what CPython's repr()/json.dumps() prints.
    QTest::newRow("integral") << 18.0 << QByteArray("18.0");
    QTest::newRow("zero") << 0.0 << QByteArray("0.0");
    QTest::newRow("negative zero") << -0.0 << QByteArray("-0.0");
    QTest::newRow("small cost") << 0.00045 << QByteArray("0.00045");
    QTest::newRow("1e-4 fixed") << 0.0001 << QByteArray("0.0001");
    QTest::newRow("1e-5 exponent") << 0.00001 << QByteArray("1e-05");
    QTest::newRow("1.5e-7") << 1.5e-7 << QByteArray("1.5e-07");
    QTest::newRow("1e15 fixed") << 1e15 << QByteArray("1000000000000000.0");
    QTest::newRow("1e16 exponent") << 1e16 << QByteArray("1e+16");
    QTest::newRow("big mantissa") << 1.2345678901234568e+17 << QByteArray("1.2345678901234568e+17");
    QTest::newRow("1e100") << 1e100 << QByteArray("1e+100");
    QTest::newRow("tenth") << 0.1 << QByteArray("0.1");
    QTest::newRow("0.1+0.2") << (0.1 + 0.2) << QByteArray("0.30000000000000004");
    QTest::newRow("uptime") << 12.5031 << QByteArray("12.5031");
    QTest::newRow("negative") << -250.75 << QByteArray("-250.75");
    QTest::newRow("percent") << 4.5 << QByteArray("4.5");
    QTest::newRow("123.0") << 123.0 << QByteArray("123.0");
    QTest::newRow("NaN is null") << std::numeric_limits<double>::quiet_NaN() << QByteArray("null");
    QTest::newRow("inf is null") << std::numeric_limits<double>::infinity() << QByteArray("null");
}

void tst_JsonWriter::floatsLikePython()
{
    QFETCH(double, value);
    QFETCH(QByteArray, expected);
    QCOMPARE(formatFloat(value), expected);
}

void tst_JsonWriter::floatsRoundTrip()
{
    // Any finite double, written and read back, is the same double, with no more digits than Qt's own
    // shortest form needs.
    QRandomGenerator64 random(20261126);
    for (int i = 0; i < 20000; ++i) {
        const quint64 bits = random.generate();
        double value = 0;
        std::memcpy(&value, &bits, sizeof value);
        if (!std::isfinite(value))
            continue;
        const QByteArray written = formatFloat(value);
        bool ok = false;
        QCOMPARE(written.toDouble(&ok), value);
        QVERIFY(ok);
        const QByteArray qtShortest = QByteArray::number(value, 'e', QLocale::FloatingPointShortest);
        const auto significant = [](const QByteArray &text) {
            const QByteArray mantissa = text.left(text.indexOf('e') < 0 ? text.size() : text.indexOf('e'));
            qsizetype count = 0;
            for (char c : mantissa)
                count += c >= '1' && c <= '9' ? 1 : 0;
            return count;
        };
        QVERIFY2(significant(written) <= significant(qtShortest), written.constData());
    }

    const double samples[] = {1.0 / 3, 2.0 / 3, 1e-300, 6.02214076e23, 123456.789, 9007199254740993.0, 5e-324};
    for (double value : samples) {
        bool ok = false;
        QCOMPARE(formatFloat(value).toDouble(&ok), value);
        QVERIFY(ok);
    }
}

void tst_JsonWriter::integersStayIntegers()
{
    QCOMPARE(writeJson(QCborValue(qint64(18))), QByteArray("18"));
    QCOMPARE(writeJson(QCborValue(std::numeric_limits<qint64>::max())), QByteArray("9223372036854775807"));
    QCOMPARE(writeJson(QCborValue(std::numeric_limits<qint64>::min())), QByteArray("-9223372036854775808"));
    QCOMPARE(writeJson(QCborValue(18.0)), QByteArray("18.0"));
}

void tst_JsonWriter::keepsInsertionOrder()
{
    QCborMap map;
    map[u"name"_s] = u"x"_s;
    map[u"status"_s] = u"running"_s;
    map[u"agentCount"_s] = 2;
    QCOMPARE(writeJson(map), QByteArray(R"({"name":"x","status":"running","agentCount":2})"));
}

void tst_JsonWriter::escapesLikeJsonDumps()
{
    const QString text = u"quote\" backslash\\ nl\n cr\r tab\t bell\x07 bs\b ff\f"_s;
    QCOMPARE(writeJson(QCborValue(text)), QByteArray(R"("quote\" backslash\\ nl\n cr\r tab\t bell\u0007 bs\b ff\f")"));
}

void tst_JsonWriter::nonAsciiIsNotEscaped()
{
    const QString text = u"Grüße 😀 日本"_s;
    QCOMPARE(writeJson(QCborValue(text)), QByteArray("\"") + text.toUtf8() + QByteArray("\""));
    // Escapes right beside non-ASCII runs, in keys as in values; a lone surrogate is replaced as
    // QString::toUtf8() replaces it.
    const QString mixed = u"ü\"日\n😀\\x"_s;
    QCOMPARE(writeJson(QCborMap{{mixed, mixed}}),
             QByteArray("{\"") + u"ü\\\"日\\n😀\\\\x"_s.toUtf8() + "\":\"" + u"ü\\\"日\\n😀\\\\x"_s.toUtf8() + "\"}");
    const QString lone(QChar(0xd800));
    QCOMPARE(writeJson(QCborValue(lone)), '"' + lone.toUtf8() + '"');
}

void tst_JsonWriter::nullsBoolsAndNesting()
{
    QCborMap map;
    map[u"a"_s] = QCborValue(nullptr);
    map[u"b"_s] = true;
    map[u"c"_s] = QCborArray{1, false, u"s"_s, QCborMap{{u"k"_s, 0.5}}};
    map[u"d"_s] = QCborArray{};
    map[u"e"_s] = QCborMap{};
    QCOMPARE(writeJson(map), QByteArray(R"({"a":null,"b":true,"c":[1,false,"s",{"k":0.5}],"d":[],"e":{}})"));
}

void tst_JsonWriter::dateTimeTagIsTimestamp()
{
    const QDateTime time(QDate(2026, 2, 10), QTime(12, 34, 56, 123), Qt::UTC);
    QCOMPARE(writeJson(QCborValue(time)), QByteArray(R"("2026-02-10T12:34:56.123Z")"));
}

void tst_JsonWriter::outputParsesBack()
{
    QCborMap map;
    map[u"text"_s] = u"line\nnext \"q\" \u0001 ü"_s;
    map[u"n"_s] = -7;
    map[u"f"_s] = 1e-7;
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(writeJson(map), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(document.object().value(u"text"_s).toString(), map.value(u"text"_s).toString());
    QCOMPARE(document.object().value(u"n"_s).toInt(), -7);
    QCOMPARE(document.object().value(u"f"_s).toDouble(), 1e-7);
}

QTEST_APPLESS_MAIN(tst_JsonWriter)
#include "tst_jsonwriter.moc"
