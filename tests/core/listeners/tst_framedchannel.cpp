#include "listeners/framedchannel.h"

#include <QTest>

using namespace agentdesk;
using namespace Qt::StringLiterals;

class tst_FramedChannel : public QObject
{
    Q_OBJECT

private slots:
    void decodesFramesSplitAnywhere_data();
    void decodesFramesSplitAnywhere();
    void acceptsHeaderVariants_data();
    void acceptsHeaderVariants();
    void rejectsBrokenStreams_data();
    void rejectsBrokenStreams();
    void frameOfExactlyTheLimitIsAccepted();
    void errorIsFinalUntilReset();
};

namespace {

QList<QByteArray> decodeInChunks(const QByteArray &stream, qsizetype chunk, QString *error)
{
    FramedChannel channel;
    QList<QByteArray> bodies;
    for (qsizetype pos = 0; pos < stream.size(); pos += chunk) {
        channel.append(stream.mid(pos, chunk));
        while (std::optional<QByteArray> body = channel.takeFrame())
            bodies.append(*body);
    }
    *error = channel.errorString();
    return bodies;
}

} // namespace

void tst_FramedChannel::decodesFramesSplitAnywhere_data()
{
    QTest::addColumn<qsizetype>("chunk");
    for (qsizetype chunk : {1, 2, 3, 7, 64, 100000})
        QTest::addRow("chunks of %lld", qlonglong(chunk)) << chunk;
}

void tst_FramedChannel::decodesFramesSplitAnywhere()
{
    QFETCH(qsizetype, chunk);
    const QList<QByteArray> bodies{
        "<reply id=\"1\"/>",
        QByteArray(),
        "<log level=\"info\">\r\n\r\nContent-Length: 3\r\n</log>",
        "<error id=\"2\">gr\xc3\xbc\xc3\x9f</error>",
    };
    QByteArray stream;
    for (const QByteArray &body : bodies)
        stream += FramedChannel::encode(body);

    QString error;
    QCOMPARE(decodeInChunks(stream, chunk, &error), bodies);
    QCOMPARE(error, QString());
}

void tst_FramedChannel::acceptsHeaderVariants_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::newRow("lower-case name") << QByteArray("content-length: 4\r\n\r\n<a/>");
    QTest::newRow("no space") << QByteArray("Content-Length:4\r\n\r\n<a/>");
    QTest::newRow("spaces around the value") << QByteArray("Content-Length:   4  \r\n\r\n<a/>");
    QTest::newRow("Content-Type first") << QByteArray(
        "Content-Type: application/xml; charset=utf-8\r\nContent-Length: 4\r\n\r\n<a/>");
    QTest::newRow("unknown header after") << QByteArray("Content-Length: 4\r\nX-Trace: 12\r\n\r\n<a/>");
}

void tst_FramedChannel::acceptsHeaderVariants()
{
    QFETCH(QByteArray, stream);
    QString error;
    QCOMPARE(decodeInChunks(stream, 1, &error), QList<QByteArray>{"<a/>"});
    QCOMPARE(error, QString());
    QCOMPARE(decodeInChunks(stream, stream.size(), &error), QList<QByteArray>{"<a/>"});
}

void tst_FramedChannel::rejectsBrokenStreams_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QString>("expected");
    QTest::newRow("stray print") << QByteArray("hello world\n") << u"unexpected output \"hello"_s;
    QTest::newRow("stray print, no newline yet") << QByteArray("hello world") << u"unexpected output"_s;
    QTest::newRow("XML without header") << QByteArray("<reply id=\"1\"/>") << u"unexpected output \"<"_s;
    QTest::newRow("bare LF") << QByteArray("Content-Length: 4\n\n<a/>") << u"does not end with CRLF"_s;
    QTest::newRow("blank line first") << QByteArray("\r\n") << u"without Content-Length"_s;
    QTest::newRow("no Content-Length") << QByteArray("Content-Type: text/xml\r\n\r\n<a/>")
                                       << u"without Content-Length"_s;
    QTest::newRow("not a number") << QByteArray("Content-Length: four\r\n\r\n<a/>") << u"bad Content-Length \"four\""_s;
    QTest::newRow("negative") << QByteArray("Content-Length: -4\r\n\r\n") << u"bad Content-Length"_s;
    QTest::newRow("empty value") << QByteArray("Content-Length:\r\n\r\n") << u"bad Content-Length"_s;
    QTest::newRow("absurdly long number")
        << QByteArray("Content-Length: 123456789012\r\n\r\n") << u"bad Content-Length"_s;
    QTest::newRow("over 16 MiB") << QByteArray("Content-Length: 16777217\r\n\r\n") << u"exceeds the limit"_s;
    QTest::newRow("two lengths") << QByteArray("Content-Length: 1\r\nContent-Length: 1\r\n\r\nx")
                                 << u"two Content-Length"_s;
    QTest::newRow("endless header") << QByteArray("X-Padding: " + QByteArray(9000, 'a')) << u"longer than"_s;
    QTest::newRow("garbage after a good frame")
        << QByteArray("Content-Length: 4\r\n\r\n<a/>oops\r\n") << u"unexpected output \"oops"_s;
}

void tst_FramedChannel::rejectsBrokenStreams()
{
    QFETCH(QByteArray, stream);
    QFETCH(QString, expected);
    for (qsizetype chunk : {qsizetype(1), stream.size()}) {
        QString error;
        decodeInChunks(stream, chunk, &error);
        QVERIFY2(error.contains(expected), qPrintable(u"chunk %1: \"%2\""_s.arg(chunk).arg(error)));
    }
}

void tst_FramedChannel::frameOfExactlyTheLimitIsAccepted()
{
    const QByteArray body(FramedChannel::MaxFrameBytes, 'x');
    FramedChannel channel;
    channel.append(FramedChannel::encode(body));
    const std::optional<QByteArray> decoded = channel.takeFrame();
    QVERIFY2(!channel.hasError(), qPrintable(channel.errorString()));
    QVERIFY(decoded);
    QCOMPARE(decoded->size(), body.size());
}

void tst_FramedChannel::errorIsFinalUntilReset()
{
    FramedChannel channel;
    channel.append("junk\n");
    QVERIFY(!channel.takeFrame());
    QVERIFY(channel.hasError());

    channel.append(FramedChannel::encode("<a/>"));
    QVERIFY(!channel.takeFrame());
    QVERIFY(channel.hasError());

    channel.reset();
    QVERIFY(!channel.hasError());
    channel.append(FramedChannel::encode("<a/>"));
    QCOMPARE(channel.takeFrame(), std::optional<QByteArray>("<a/>"));
}

QTEST_GUILESS_MAIN(tst_FramedChannel)
#include "tst_framedchannel.moc"
