// A payload's element tree keeps document order (which a field map loses), each element's own text
// without the whitespace between elements, and refuses text that is not XML.

#include "xmlelement.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk::wire;

class TestXmlElement : public QObject
{
    Q_OBJECT

private slots:
    void keepsDocumentOrderAndText()
    {
        const auto root = elementTree("<Order>\n  <Zeta>1</Zeta>\n  <Alpha><Street>Main</Street></Alpha>\n"
                                      "  <Zeta>2</Zeta>\n</Order>");
        QVERIFY(root);
        QCOMPARE(root->name, u"Order"_s);
        QVERIFY(root->text.isEmpty()); // only the whitespace between elements
        QCOMPARE(root->children.size(), 3);
        QCOMPARE(root->children.at(0).name, u"Zeta"_s);
        QCOMPARE(root->children.at(0).text, u"1"_s);
        QCOMPARE(root->children.at(1).name, u"Alpha"_s);
        QCOMPARE(root->children.at(1).children.first().text, u"Main"_s);
        QCOMPARE(root->children.at(2).text, u"2"_s);
    }

    void notXmlIsNothing_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("plain text") << QByteArray("hello");
        QTest::newRow("unclosed") << QByteArray("<Order><Id>1</Id>");
        QTest::newRow("mismatched") << QByteArray("<Order></Id>");
    }
    void notXmlIsNothing()
    {
        QFETCH(QByteArray, text);
        QVERIFY(!elementTree(text));
    }
};

QTEST_GUILESS_MAIN(TestXmlElement)
#include "tst_xmlelement.moc"
