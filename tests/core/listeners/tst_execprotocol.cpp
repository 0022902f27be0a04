#include "listeners/execprotocol.h"

#include <QTest>
#include <QXmlStreamReader>

using namespace agentdesk;
using namespace Qt::StringLiterals;

using Kind = ExecProtocol::ChildMessage::Kind;

class tst_ExecProtocol : public QObject
{
    Q_OBJECT

private slots:
    void deliverCarriesMetadataAndPayload();
    void deliverRejectsBrokenPayload_data();
    void deliverRejectsBrokenPayload();
    void controlFrames();
    void parsesReplies_data();
    void parsesReplies();
    void parsesErrorsAndLogs();
    void rejectsInvalidFrames_data();
    void rejectsInvalidFrames();
};

void tst_ExecProtocol::deliverCarriesMetadataAndPayload()
{
    MessageRecord record;
    record.id = u"6f1c-uuid"_s;
    record.threadId = u"thread \"one\""_s;
    record.from = u"a<b>&c"_s;
    record.to = u"shouter"_s;
    record.payloadType = u"Text"_s;
    record.xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- note -->\n"
                 "<Text kind=\"x &amp; y\"><Body>caf\xc3\xa9 &lt;3</Body></Text>\n";

    QString error;
    const QByteArray frame = ExecProtocol::deliver(42, record, &error);
    QCOMPARE(error, QString());

    QXmlStreamReader reader(frame);
    QVERIFY(reader.readNextStartElement());
    QCOMPARE(reader.name(), u"deliver");
    const QXmlStreamAttributes attributes = reader.attributes();
    QCOMPARE(attributes.value(u"id"_s), u"42");
    QCOMPARE(attributes.value(u"thread"_s), record.threadId);
    QCOMPARE(attributes.value(u"from"_s), record.from);
    QCOMPARE(attributes.value(u"to"_s), record.to);
    QCOMPARE(attributes.value(u"message"_s), record.id);
    QCOMPARE(attributes.value(u"type"_s), record.payloadType);
    QVERIFY(reader.readNextStartElement());
    QCOMPARE(reader.name(), u"Text");
    QCOMPARE(reader.attributes().value(u"kind"_s), u"x & y");
    QVERIFY(reader.readNextStartElement());
    QCOMPARE(reader.readElementText(), u"café <3");
    while (!reader.atEnd())
        reader.readNext();
    QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));

    QVERIFY(frame.endsWith("<Text kind=\"x &amp; y\"><Body>caf\xc3\xa9 &lt;3</Body></Text></deliver>"));
}

void tst_ExecProtocol::deliverRejectsBrokenPayload_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("unclosed") << QByteArray("<Text><Body>x</Body>");
    QTest::newRow("two roots") << QByteArray("<Text/><Text/>");
    QTest::newRow("plain text") << QByteArray("hello");
    QTest::newRow("DTD") << QByteArray("<!DOCTYPE Text><Text/>");
}

void tst_ExecProtocol::deliverRejectsBrokenPayload()
{
    QFETCH(QByteArray, xml);
    MessageRecord record;
    record.xml = xml;
    QString error;
    QVERIFY(ExecProtocol::deliver(1, record, &error).isEmpty());
    QVERIFY2(error.startsWith(u"message payload is not well-formed XML: "_s), qPrintable(error));
}

void tst_ExecProtocol::controlFrames()
{
    QCOMPARE(ExecProtocol::hello(u"a&b"_s), QByteArray("<hello protocol=\"1\" listener=\"a&amp;b\"/>"));
    QCOMPARE(ExecProtocol::cancel(7), QByteArray("<cancel id=\"7\"/>"));
    QCOMPARE(ExecProtocol::shutdown(), QByteArray("<shutdown/>"));
}

void tst_ExecProtocol::parsesReplies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("targets");
    QTest::addColumn<QList<QByteArray>>("payloads");

    QTest::newRow("no sends") << QByteArray("<reply id=\"5\"/>") << QStringList() << QList<QByteArray>();
    QTest::newRow("one send with target")
        << QByteArray("<reply id=\"5\"><send to=\"printer\"><Text><Body>HI</Body></Text></send></reply>")
        << QStringList{u"printer"_s} << QList<QByteArray>{"<Text><Body>HI</Body></Text>"};
    QTest::newRow("routed by type, whitespace and comments around")
        << QByteArray("<?xml version=\"1.0\"?>\n<reply id=\"5\">\n  <!-- two -->\n  <send>\n <A n=\"1\"/> </send>\n"
                      "  <send to=\" b \"><B>x</B></send>\n</reply>\n")
        << QStringList{QString(), u"b"_s} << QList<QByteArray>{"<A n=\"1\"/>", "<B>x</B>"};
    QTest::newRow("escapes, CDATA and UTF-8 kept")
        << QByteArray(
               "<reply id=\"5\"><send><T a=\"&quot;&lt;\">1 &amp; 2 \xe2\x82\xac<![CDATA[<raw>]]></T></send></reply>")
        << QStringList{QString()}
        << QList<QByteArray>{"<T a=\"&quot;&lt;\">1 &amp; 2 \xe2\x82\xac<![CDATA[<raw>]]></T>"};
    QTest::newRow("namespace prefixes as written")
        << QByteArray("<reply id=\"5\"><send><p:T xmlns:p=\"urn:x\"><p:B/></p:T></send></reply>")
        << QStringList{QString()} << QList<QByteArray>{"<p:T xmlns:p=\"urn:x\"><p:B/></p:T>"};
}

void tst_ExecProtocol::parsesReplies()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, targets);
    QFETCH(QList<QByteArray>, payloads);

    const ExecProtocol::ChildMessage message = ExecProtocol::parse(body);
    QVERIFY2(message.kind == Kind::Reply, qPrintable(message.text));
    QCOMPARE(message.id, std::optional<quint64>(5));
    QStringList gotTargets;
    QList<QByteArray> gotPayloads;
    for (const OutgoingMessage &send : message.sends) {
        gotTargets.append(send.to);
        gotPayloads.append(send.payload.xml);
    }
    QCOMPARE(gotTargets, targets);
    QCOMPARE(gotPayloads, payloads);
}

void tst_ExecProtocol::parsesErrorsAndLogs()
{
    ExecProtocol::ChildMessage message = ExecProtocol::parse(
        "<error id=\"18446744073709551615\"> disk &amp; full </error>");
    QVERIFY(message.kind == Kind::Error);
    QCOMPARE(message.id, std::optional<quint64>(18446744073709551615ULL));
    QCOMPARE(message.text, u"disk & full"_s);

    message = ExecProtocol::parse("<log level=\"warn\">slow disk</log>");
    QVERIFY(message.kind == Kind::Log);
    QCOMPARE(message.level, u"warn"_s);
    QCOMPARE(message.text, u"slow disk"_s);

    message = ExecProtocol::parse("<ready protocol=\"1\"/>");
    QVERIFY(message.kind == Kind::Ready);

    message = ExecProtocol::parse("<started id=\"17\"/>");
    QVERIFY(message.kind == Kind::Started);
    QCOMPARE(message.id, std::optional<quint64>(17));

    message = ExecProtocol::parse("<started/>");
    QVERIFY(message.kind == Kind::Invalid);
}

void tst_ExecProtocol::rejectsInvalidFrames_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("id"); // -1: the frame names no call
    QTest::addColumn<QString>("expected");

    QTest::newRow("empty") << QByteArray() << qint64(-1) << u"frame is not XML"_s;
    QTest::newRow("not XML") << QByteArray("hello") << qint64(-1) << u"frame is not XML"_s;
    QTest::newRow("unknown element") << QByteArray("<deliver id=\"1\"/>") << qint64(-1) << u"unknown frame <deliver>"_s;
    QTest::newRow("reply without id") << QByteArray("<reply/>") << qint64(-1) << u"<reply> without a valid id"_s;
    QTest::newRow("reply with bad id") << QByteArray("<reply id=\"x1\"/>") << qint64(-1)
                                       << u"without a valid id (\"x1\")"_s;
    QTest::newRow("error with negative id")
        << QByteArray("<error id=\"-1\">x</error>") << qint64(-1) << u"<error> without a valid id"_s;
    QTest::newRow("DTD") << QByteArray("<!DOCTYPE reply><reply id=\"1\"/>") << qint64(-1) << u"DTD is not allowed"_s;
    QTest::newRow("empty send") << QByteArray("<reply id=\"3\"><send to=\"a\"/></reply>") << qint64(3)
                                << u"holds no payload element"_s;
    QTest::newRow("two payloads") << QByteArray("<reply id=\"3\"><send><A/><B/></send></reply>") << qint64(3)
                                  << u"more than one payload element"_s;
    QTest::newRow("text beside payload") << QByteArray("<reply id=\"3\"><send>hi<A/></send></reply>") << qint64(3)
                                         << u"text outside its payload element"_s;
    QTest::newRow("text in reply") << QByteArray("<reply id=\"3\">hi</reply>") << qint64(3)
                                   << u"<reply> holds text outside <send>"_s;
    QTest::newRow("foreign element in reply")
        << QByteArray("<reply id=\"3\"><answer/></reply>") << qint64(3) << u"unexpected <answer> in <reply>"_s;
    QTest::newRow("broken payload") << QByteArray("<reply id=\"3\"><send><A></send></reply>") << qint64(3)
                                    << u"invalid <reply>"_s;
    QTest::newRow("second root") << QByteArray("<reply id=\"3\"/><reply id=\"4\"/>") << qint64(3)
                                 << u"not well-formed"_s;
    QTest::newRow("markup in error") << QByteArray("<error id=\"3\"><b>x</b></error>") << qint64(3)
                                     << u"invalid <error>"_s;
}

void tst_ExecProtocol::rejectsInvalidFrames()
{
    QFETCH(QByteArray, body);
    QFETCH(qint64, id);
    QFETCH(QString, expected);

    const ExecProtocol::ChildMessage message = ExecProtocol::parse(body);
    QVERIFY(message.kind == Kind::Invalid);
    QVERIFY2(message.text.contains(expected), qPrintable(message.text));
    QCOMPARE(message.id, id < 0 ? std::nullopt : std::optional<quint64>(quint64(id)));
}

QTEST_GUILESS_MAIN(tst_ExecProtocol)
#include "tst_execprotocol.moc"
