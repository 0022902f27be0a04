// PayloadSchema reads the XSD a listener publishes into the field tree the inject form is built from:
// agentdesk's own schemas (every field kind, lists, optional and nested types) and the shapes other
// servers write (anonymous types, restrictions, other built-in types), and says why when it cannot.

#include "payloadschema.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::wire;

Q_DECLARE_METATYPE(PayloadField::Kind)

namespace {

// data/order.xsd is what agentdesk's XsdWriter publishes for `Order: {id: integer, price: decimal, paid: boolean,
// note: string?, items: [Item]}` with `Item: {sku: string, count: integer}`.
QString readData(const QString &name)
{
    QFile file(QStringLiteral(AGENTDESK_TEST_DATA_DIR) + u'/' + name);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QString describe(const PayloadField &field)
{
    static const char *kinds[] = {"string", "integer", "decimal", "boolean", "nested"};
    QString text = field.element + u':' + QString::fromLatin1(kinds[int(field.kind)]);
    if (field.kind == PayloadField::Kind::Nested)
        text += u'(' + field.typeName + u')';
    if (field.list)
        text += u"[]"_s;
    if (field.optional)
        text += u'?';
    return text;
}

QStringList describe(const QList<PayloadField> &fields)
{
    QStringList texts;
    for (const PayloadField &field : fields)
        texts << describe(field);
    return texts;
}

} // namespace

class TestPayloadSchema : public QObject
{
    Q_OBJECT

private slots:
    void readsAgentdeskSchemas()
    {
        const PayloadSchema schema = PayloadSchema::fromXsd(readData(u"order.xsd"_s));
        QVERIFY2(schema.isValid(), qPrintable(schema.error));
        QCOMPARE(schema.rootElement, u"Order"_s);
        QCOMPARE(describe(schema.fields(schema.rootType)),
                 (QStringList{u"Id:integer"_s, u"Price:decimal"_s, u"Paid:boolean"_s, u"Note:string?"_s,
                              u"Items:nested(Item)[]?"_s}));
        QCOMPARE(describe(schema.fields(u"Item"_s)), (QStringList{u"Sku:string"_s, u"Count:integer"_s}));
    }

    void readsAnonymousTypesAndRestrictions()
    {
        // data/task.xsd: an anonymous root type with xs:all, a restricted int, an anonymous optional
        // nested type and a bounded list, written with the xsd: prefix.
        const QString xsd = readData(u"task.xsd"_s);
        const PayloadSchema schema = PayloadSchema::fromXsd(xsd);
        QVERIFY2(schema.isValid(), qPrintable(schema.error));
        QCOMPARE(schema.rootElement, u"Task"_s);
        const QList<PayloadField> fields = schema.fields(schema.rootType);
        QCOMPARE(fields.size(), 4);
        QCOMPARE(describe(fields.at(0)), u"Title:string"_s);
        QCOMPARE(describe(fields.at(1)), u"Priority:integer"_s);
        QCOMPARE(fields.at(2).kind, PayloadField::Kind::Nested);
        QVERIFY(fields.at(2).optional);
        QCOMPARE(describe(schema.fields(fields.at(2).typeName)), QStringList{u"Name:string"_s});
        QCOMPARE(describe(fields.at(3)), u"Tags:string[]"_s);
    }

    void mapsBuiltInTypes_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<PayloadField::Kind>("kind");
        QTest::newRow("integer") << u"xs:integer"_s << PayloadField::Kind::Integer;
        QTest::newRow("int") << u"xs:int"_s << PayloadField::Kind::Integer;
        QTest::newRow("long") << u"xsd:long"_s << PayloadField::Kind::Integer;
        QTest::newRow("unsigned") << u"xs:nonNegativeInteger"_s << PayloadField::Kind::Integer;
        QTest::newRow("decimal") << u"xs:decimal"_s << PayloadField::Kind::Decimal;
        QTest::newRow("double") << u"xs:double"_s << PayloadField::Kind::Decimal;
        QTest::newRow("float") << u"xs:float"_s << PayloadField::Kind::Decimal;
        QTest::newRow("boolean") << u"xs:boolean"_s << PayloadField::Kind::Boolean;
        QTest::newRow("string") << u"xs:string"_s << PayloadField::Kind::String;
        QTest::newRow("dateTime reads as text") << u"xs:dateTime"_s << PayloadField::Kind::String;
    }
    void mapsBuiltInTypes()
    {
        QFETCH(QString, type);
        QFETCH(PayloadField::Kind, kind);
        QCOMPARE(PayloadSchema::kindOf(type), kind);
    }

    void refusesWhatIsNotASchema_data()
    {
        QTest::addColumn<QString>("xsd");
        QTest::newRow("empty") << QString();
        QTest::newRow("not XML") << u"Greeting(name: str)"_s;
        QTest::newRow("cut short") << readData(u"order.xsd"_s).left(200);
        QTest::newRow("another document") << u"<Greeting><Name>Dan</Name></Greeting>"_s;
        QTest::newRow("no element") << u"<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"/>"_s;
        QTest::newRow("unknown root type")
            << u"<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element name=\"A\" type=\"Missing\"/>"
               "</xs:schema>"_s;
    }
    void refusesWhatIsNotASchema()
    {
        QFETCH(QString, xsd);
        const PayloadSchema schema = PayloadSchema::fromXsd(xsd);
        QVERIFY(!schema.isValid());
        QVERIFY(!schema.error.isEmpty());
    }

    // The raw XML tab starts from this: the fields in the schema's order, empty elements where a required
    // value is still missing, optional ones left out — no "..." placeholders to delete first.
    void writesThePayloadInSchemaOrder()
    {
        const PayloadSchema schema = PayloadSchema::fromXsd(readData(u"order.xsd"_s));
        QCOMPARE(schema.toXml({}), u"<Order>\n  <Id></Id>\n  <Price></Price>\n  <Paid></Paid>\n</Order>"_s);
        const QVariantMap fields{{u"Paid"_s, true},
                                 {u"Id"_s, 7},
                                 {u"Price"_s, 2.5},
                                 {u"Items"_s, QVariantList{QVariantMap{{u"Sku"_s, u"a<b"_s}, {u"Count"_s, 2}}}}};
        QCOMPARE(schema.toXml(fields),
                 u"<Order>\n  <Id>7</Id>\n  <Price>2.5</Price>\n  <Paid>true</Paid>\n  <Items>\n    <Sku>a&lt;b</Sku>\n"
                 "    <Count>2</Count>\n  </Items>\n</Order>"_s);
    }

    void findsWhatRawXmlLacks_data()
    {
        QTest::addColumn<QString>("xml");
        QTest::addColumn<QString>("problem");
        QTest::newRow("complete") << u"<Order><Id>1</Id><Price>2</Price><Paid>false</Paid></Order>"_s << QString();
        QTest::newRow("optional left out")
            << u"<Order><Id>1</Id><Price>2</Price><Paid>false</Paid><Note/></Order>"_s << QString();
        QTest::newRow("a required element empty")
            << u"<Order><Id> </Id><Price>2</Price><Paid>false</Paid></Order>"_s << u"Id is required"_s;
        QTest::newRow("a required element missing")
            << u"<Order><Id>1</Id><Paid>false</Paid></Order>"_s << u"Price is required"_s;
        QTest::newRow("in a list item")
            << u"<Order><Id>1</Id><Price>2</Price><Paid>false</Paid><Items><Sku></Sku><Count>1</Count></Items></Order>"_s
            << u"Items › Sku is required"_s;
        QTest::newRow("another root") << u"<Greeting/>"_s << u"The root element must be <Order>, not <Greeting>"_s;
        QTest::newRow("not XML") << u"<Order>"_s << u"The XML is not well-formed"_s;
    }
    void findsWhatRawXmlLacks()
    {
        QFETCH(QString, xml);
        QFETCH(QString, problem);
        const PayloadSchema schema = PayloadSchema::fromXsd(readData(u"order.xsd"_s));
        QCOMPARE(schema.problemIn(xml.toUtf8()), problem);
    }
};

QTEST_APPLESS_MAIN(TestPayloadSchema)
#include "tst_payloadschema.moc"
