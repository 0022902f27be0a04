// The one CSV writer (RFC 4180): cells quoted when they must be, rows from a model with its raw values
// preferred over the display text, UTF-8 and CRLF line ends.

#include "csvwriter.h"

#include <QStandardItemModel>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk::wire;

class TestCsvWriter : public QObject
{
    Q_OBJECT

private slots:
    void csvEscapes_data()
    {
        QTest::addColumn<QString>("cell");
        QTest::addColumn<QString>("written");
        QTest::newRow("plain") << u"greeter"_s << u"greeter"_s;
        QTest::newRow("comma") << u"a,b"_s << u"\"a,b\""_s;
        QTest::newRow("quote") << u"say \"hi\""_s << u"\"say \"\"hi\"\"\""_s;
        QTest::newRow("newline") << u"two\nlines"_s << u"\"two\nlines\""_s;
        QTest::newRow("empty") << QString() << QString();
    }
    void csvEscapes()
    {
        QFETCH(QString, cell);
        QFETCH(QString, written);
        QCOMPARE(CsvWriter::escape(cell), written);
    }

    void csvFromAModelPrefersRawValues()
    {
        QStandardItemModel model(2, 2);
        model.setHorizontalHeaderLabels({u"Model"_s, u"Cost"_s});
        model.setData(model.index(0, 0), u"gpt, 4o"_s);
        model.setData(model.index(0, 1), u"$0.0012"_s);
        model.setData(model.index(0, 1), 0.0012, Qt::UserRole);
        model.setData(model.index(1, 0), u"demo-1"_s);
        model.setData(model.index(1, 1), u"demo"_s); // no raw value: the text is written
        QCOMPARE(CsvWriter::fromModel(model, Qt::UserRole),
                 QByteArray("Model,Cost\r\n\"gpt, 4o\",0.0012\r\ndemo-1,demo\r\n"));
    }

    void rowsAreUtf8WithCrlf()
    {
        CsvWriter csv;
        csv.addRow({u"model"_s, u"cost"_s});
        csv.addRow({u"modèle"_s, u"a\r\nb"_s});
        QCOMPARE(csv.data(), QByteArray("model,cost\r\nmod\xc3\xa8le,\"a\r\nb\"\r\n"));
    }
};

QTEST_MAIN(TestCsvWriter)
#include "tst_csvwriter.moc"
