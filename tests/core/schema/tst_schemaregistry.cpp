#include "schema/schemaregistry.h"
#include "support/payloadtypes.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>

#include <atomic>
#include <clocale>
#include <cmath>
#include <limits>

#ifdef Q_OS_LINUX
#include <sys/inotify.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::payloadType;

namespace {

QList<PayloadTypeSpec> sampleTypes()
{
    return {
        payloadType(u"Greeting"_s, {u"name:string"_s}),
        payloadType(u"GreetingResponse"_s, {u"message:string"_s, u"original_sender:string"_s}),
        // Order uses Address and Item before they are declared: declaration order must not matter.
        payloadType(u"Order"_s,
                    {u"id:integer"_s, u"customer:Address"_s, u"items:Item[]"_s, u"express:boolean"_s, u"note:string?"_s,
                     u"tags:string[]"_s}),
        payloadType(u"Address"_s, {u"street:string"_s, u"zip:integer?"_s}),
        payloadType(u"Item"_s, {u"sku:string"_s, u"qty:integer"_s, u"price:decimal"_s}),
        payloadType(u"Node"_s, {u"label:string"_s, u"children:Node[]"_s}),
        payloadType(u"Chain"_s, {u"value:integer"_s, u"next:Chain?"_s}),
        payloadType(u"Tick"_s, {}),
        payloadType(u"Measure"_s, {u"count:integer"_s, u"ratio:decimal"_s, u"ok:boolean"_s}),
    };
}

QVariantMap map(std::initializer_list<std::pair<QString, QVariant>> entries)
{
    QVariantMap result;
    for (const auto &[key, value] : entries)
        result.insert(key, value);
    return result;
}

QVariantMap sampleOrder()
{
    return map({{u"id"_s, 7},
                {u"customer"_s, map({{u"street"_s, u"Main St 1"_s}, {u"zip"_s, 12345}})},
                {u"items"_s,
                 QVariantList{map({{u"sku"_s, u"A-1"_s}, {u"qty"_s, 2}, {u"price"_s, 9.5}}),
                              map({{u"sku"_s, u"B-2"_s}, {u"qty"_s, 1}, {u"price"_s, 0.1}})}},
                {u"express"_s, true},
                {u"tags"_s, QVariantList{u"gift"_s, u"fragile"_s}}});
}

} // namespace

class tst_SchemaRegistry : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    void lookups();
    void xsdFlat();
    void xsdNestedListOptional();
    void xsdRecursive();
    void jsonSchemaForTools();
    void exampleText();
    void exampleValidates_data();
    void exampleValidates();

    void buildSnakeAndPascalKeys();
    void buildNestedAndLists();
    void buildOptionalAndNull();
    void buildCoercions_data();
    void buildCoercions();
    void buildErrors_data();
    void buildErrors();
    void buildMessageNamesTheField();
    void decimalCanonicalForm_data();
    void decimalCanonicalForm();
    void decimalRandomRoundTrip();
    void decimalRounding();
    void textEscaping();

    void roundTrip_data();
    void roundTrip();
    void parseCanonicalises_data();
    void parseCanonicalises();
    void parseErrors_data();
    void parseErrors();
    void parseExpectedType();
    void parseErrorLine();
    void unicodeText();
    void declaredEncoding();
    void longDocumentInOneRead();
    void doctypeIsRefused_data();
    void doctypeIsRefused();
    void externalEntityIsNeverOpened();
    void numbersIgnoreTheCLocale();

    void concurrentUse();

    void rootTag();
    void pascalCase_data();
    void pascalCase();
    void snakeCase_data();
    void snakeCase();
    void buildRegistryErrors_data();
    void buildRegistryErrors();

private:
    std::unique_ptr<SchemaRegistry> m_registry;
};

void tst_SchemaRegistry::initTestCase()
{
    QString error;
    m_registry = SchemaRegistry::build(sampleTypes(), &error);
    QVERIFY2(m_registry, qPrintable(error));
}

void tst_SchemaRegistry::lookups()
{
    QCOMPARE(m_registry->typeNames(),
             (QStringList{u"Greeting"_s, u"GreetingResponse"_s, u"Order"_s, u"Address"_s, u"Item"_s, u"Node"_s,
                          u"Chain"_s, u"Tick"_s, u"Measure"_s}));
    QVERIFY(m_registry->contains(u"Order"_s));
    QVERIFY(!m_registry->contains(u"order"_s));
    QVERIFY(m_registry->spec(u"Order"_s));
    QCOMPARE(m_registry->spec(u"Order"_s)->fields.size(), 6);
    QVERIFY(!m_registry->spec(u"Nope"_s));
    QVERIFY(m_registry->xsd(u"Nope"_s).isEmpty());
    QVERIFY(m_registry->exampleXml(u"Nope"_s).isEmpty());
}

void tst_SchemaRegistry::xsdFlat()
{
    const QString expected =
        uR"(<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" id="GreetingResponse" elementFormDefault="qualified">
  <xs:complexType name="GreetingResponse">
    <xs:sequence>
      <xs:element name="Message" type="xs:string"/>
      <xs:element name="OriginalSender" type="xs:string"/>
    </xs:sequence>
  </xs:complexType>
  <xs:element name="GreetingResponse" type="GreetingResponse"/>
</xs:schema>)"_s;
    QCOMPARE(m_registry->xsd(u"GreetingResponse"_s), expected);

    const QString measure =
        uR"(<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" id="Measure" elementFormDefault="qualified">
  <xs:complexType name="Measure">
    <xs:sequence>
      <xs:element name="Count" type="xs:integer"/>
      <xs:element name="Ratio" type="xs:decimal"/>
      <xs:element name="Ok" type="xs:boolean"/>
    </xs:sequence>
  </xs:complexType>
  <xs:element name="Measure" type="Measure"/>
</xs:schema>)"_s;
    QCOMPARE(m_registry->xsd(u"Measure"_s), measure);
}

void tst_SchemaRegistry::xsdNestedListOptional()
{
    const QString expected =
        uR"(<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" id="Order" elementFormDefault="qualified">
  <xs:complexType name="Order">
    <xs:sequence>
      <xs:element name="Id" type="xs:integer"/>
      <xs:element name="Customer" type="Address"/>
      <xs:element name="Items" type="Item" minOccurs="0" maxOccurs="unbounded"/>
      <xs:element name="Express" type="xs:boolean"/>
      <xs:element name="Note" type="xs:string" minOccurs="0"/>
      <xs:element name="Tags" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Address">
    <xs:sequence>
      <xs:element name="Street" type="xs:string"/>
      <xs:element name="Zip" type="xs:integer" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Item">
    <xs:sequence>
      <xs:element name="Sku" type="xs:string"/>
      <xs:element name="Qty" type="xs:integer"/>
      <xs:element name="Price" type="xs:decimal"/>
    </xs:sequence>
  </xs:complexType>
  <xs:element name="Order" type="Order"/>
</xs:schema>)"_s;
    QCOMPARE(m_registry->xsd(u"Order"_s), expected);
}

void tst_SchemaRegistry::xsdRecursive()
{
    const QString expected =
        uR"(<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" id="Node" elementFormDefault="qualified">
  <xs:complexType name="Node">
    <xs:sequence>
      <xs:element name="Label" type="xs:string"/>
      <xs:element name="Children" type="Node" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
  </xs:complexType>
  <xs:element name="Node" type="Node"/>
</xs:schema>)"_s;
    QCOMPARE(m_registry->xsd(u"Node"_s), expected);

    const QString empty =
        uR"(<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" id="Tick" elementFormDefault="qualified">
  <xs:complexType name="Tick">
    <xs:sequence/>
  </xs:complexType>
  <xs:element name="Tick" type="Tick"/>
</xs:schema>)"_s;
    QCOMPARE(m_registry->xsd(u"Tick"_s), empty);
}

void tst_SchemaRegistry::exampleText()
{
    QCOMPARE(
        m_registry->exampleXml(u"GreetingResponse"_s),
        u"<GreetingResponse>\n  <Message>...</Message>\n  <OriginalSender>...</OriginalSender>\n</GreetingResponse>"_s);
    const QString order = uR"(<Order>
  <Id>0</Id>
  <Customer>
    <Street>...</Street>
    <Zip>0</Zip>
  </Customer>
  <Items>
    <Sku>...</Sku>
    <Qty>0</Qty>
    <Price>0.0</Price>
  </Items>
  <Express>false</Express>
  <Note>...</Note>
  <Tags>...</Tags>
</Order>)"_s;
    QCOMPARE(m_registry->exampleXml(u"Order"_s), order);
    // Recursion stops at the first level: the recursive fields may be absent.
    QCOMPARE(m_registry->exampleXml(u"Node"_s), u"<Node>\n  <Label>...</Label>\n</Node>"_s);
    QCOMPARE(m_registry->exampleXml(u"Chain"_s), u"<Chain>\n  <Value>0</Value>\n</Chain>"_s);
    QCOMPARE(m_registry->exampleXml(u"Tick"_s), u"<Tick></Tick>"_s);
}

void tst_SchemaRegistry::exampleValidates_data()
{
    QTest::addColumn<QString>("typeName");
    for (const QString &name : m_registry->typeNames())
        QTest::newRow(qPrintable(name)) << name;
}

void tst_SchemaRegistry::exampleValidates()
{
    QFETCH(QString, typeName);
    const QString example = m_registry->exampleXml(typeName);
    QVERIFY(!example.isEmpty());
    QVERIFY(!example.endsWith(u'\n'));
    Payload payload;
    SchemaError error;
    QVERIFY2(m_registry->parsePayload(example.toUtf8(), typeName, &payload, &error), qPrintable(error.message));
    QCOMPARE(payload.type, typeName);
}

// The JSON Schema offered as a tool's parameters: snake_case keys (what buildPayload takes), the XSD's
// types, lists as arrays, nested types inline, optional and list fields not required.
void tst_SchemaRegistry::jsonSchemaForTools()
{
    const QVariantMap order = m_registry->jsonSchema(u"Order"_s);
    QCOMPARE(order.value(u"type"_s).toString(), u"object"_s);
    QCOMPARE(order.value(u"additionalProperties"_s).toBool(), false);
    QCOMPARE(order.value(u"required"_s).toStringList(), (QStringList{u"id"_s, u"customer"_s, u"express"_s}));
    const QVariantMap properties = order.value(u"properties"_s).toMap();
    QCOMPARE(properties.value(u"id"_s).toMap().value(u"type"_s).toString(), u"integer"_s);
    QCOMPARE(properties.value(u"express"_s).toMap().value(u"type"_s).toString(), u"boolean"_s);
    QCOMPARE(properties.value(u"note"_s).toMap().value(u"type"_s).toString(), u"string"_s);
    const QVariantMap items = properties.value(u"items"_s).toMap();
    QCOMPARE(items.value(u"type"_s).toString(), u"array"_s);
    const QVariantMap item = items.value(u"items"_s).toMap();
    QCOMPARE(item.value(u"properties"_s).toMap().value(u"price"_s).toMap().value(u"type"_s).toString(), u"number"_s);
    QCOMPARE(item.value(u"required"_s).toStringList(), (QStringList{u"sku"_s, u"qty"_s, u"price"_s}));
    QCOMPARE(properties.value(u"customer"_s).toMap().value(u"required"_s).toStringList(), QStringList{u"street"_s});
    // A recursive type is described once, not expanded forever.
    const QVariantMap chain = m_registry->jsonSchema(u"Chain"_s);
    const QVariantMap next = chain.value(u"properties"_s).toMap().value(u"next"_s).toMap();
    QCOMPARE(next.value(u"type"_s).toString(), u"object"_s);
    QVERIFY(!next.contains(u"properties"_s));
    // What the schema accepts, buildPayload accepts.
    Payload payload;
    SchemaError error;
    QVERIFY2(m_registry->buildPayload(u"Order"_s, sampleOrder(), &payload, &error), qPrintable(error.message));
    QVERIFY(m_registry->jsonSchema(u"Unknown"_s).isEmpty());
}

void tst_SchemaRegistry::buildSnakeAndPascalKeys()
{
    const QVariantMap expected = map({{u"message"_s, u"Hi"_s}, {u"original_sender"_s, u"greeter"_s}});
    const QByteArray xml =
        "<GreetingResponse><Message>Hi</Message><OriginalSender>greeter</OriginalSender></GreetingResponse>";
    const QList<QVariantMap> inputs = {
        expected,
        map({{u"Message"_s, u"Hi"_s}, {u"OriginalSender"_s, u"greeter"_s}}),
        map({{u"message"_s, u"Hi"_s}, {u"OriginalSender"_s, u"greeter"_s}}),
    };
    for (const QVariantMap &input : inputs) {
        Payload payload;
        SchemaError error;
        QVERIFY2(m_registry->buildPayload(u"GreetingResponse"_s, input, &payload, &error), qPrintable(error.message));
        QCOMPARE(payload.type, u"GreetingResponse"_s);
        QCOMPARE(payload.fields, expected);
        QCOMPARE(payload.xml, xml);
    }
}

void tst_SchemaRegistry::buildNestedAndLists()
{
    Payload payload;
    SchemaError error;
    QVERIFY2(m_registry->buildPayload(u"Order"_s, sampleOrder(), &payload, &error), qPrintable(error.message));
    QCOMPARE(payload.xml,
             QByteArray("<Order><Id>7</Id><Customer><Street>Main St 1</Street><Zip>12345</Zip></Customer>"
                        "<Items><Sku>A-1</Sku><Qty>2</Qty><Price>9.5</Price></Items>"
                        "<Items><Sku>B-2</Sku><Qty>1</Qty><Price>0.1</Price></Items>"
                        "<Express>true</Express><Tags>gift</Tags><Tags>fragile</Tags></Order>"));
    // Typed values: qint64, double, bool, nested maps, lists.
    QCOMPARE(payload.fields.value(u"id"_s).typeId(), int(QMetaType::LongLong));
    QCOMPARE(payload.fields.value(u"express"_s).typeId(), int(QMetaType::Bool));
    const QVariantMap customer = payload.fields.value(u"customer"_s).toMap();
    QCOMPARE(customer.value(u"zip"_s).typeId(), int(QMetaType::LongLong));
    const QVariantList items = payload.fields.value(u"items"_s).toList();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items[0].toMap().value(u"price"_s).typeId(), int(QMetaType::Double));
    QCOMPARE(items[1].toMap().value(u"qty"_s).toLongLong(), 1);
    QVERIFY(!payload.fields.contains(u"note"_s));

    // A recursive type, nested three deep.
    const QVariantMap tree = map(
        {{u"label"_s, u"root"_s},
         {u"children"_s,
          QVariantList{map({{u"label"_s, u"a"_s}, {u"children"_s, QVariantList{map({{u"label"_s, u"a1"_s}})}}})}}});
    QVERIFY2(m_registry->buildPayload(u"Node"_s, tree, &payload, &error), qPrintable(error.message));
    QCOMPARE(payload.xml,
             QByteArray("<Node><Label>root</Label><Children><Label>a</Label><Children><Label>a1</Label>"
                        "</Children></Children></Node>"));
}

void tst_SchemaRegistry::buildOptionalAndNull()
{
    Payload payload;
    SchemaError error;
    // Optional absent or null: no key; lists absent from an optional list: empty list.
    QVERIFY(m_registry->buildPayload(u"Chain"_s, map({{u"value"_s, 1}, {u"next"_s, QVariant::fromValue(nullptr)}}),
                                     &payload, &error));
    QCOMPARE(payload.fields, map({{u"value"_s, qint64(1)}}));
    QCOMPARE(payload.xml, QByteArray("<Chain><Value>1</Value></Chain>"));

    QVERIFY(m_registry->buildPayload(u"Order"_s,
                                     map({{u"id"_s, 1},
                                          {u"customer"_s, map({{u"street"_s, u"x"_s}})},
                                          {u"items"_s, QVariantList()},
                                          {u"express"_s, false},
                                          {u"tags"_s, QVariantList()}}),
                                     &payload, &error));
    QCOMPARE(payload.fields.value(u"items"_s), QVariant(QVariantList()));
    QVERIFY(payload.fields.contains(u"tags"_s));
    QCOMPARE(payload.xml,
             QByteArray("<Order><Id>1</Id><Customer><Street>x</Street></Customer><Express>false</Express></Order>"));

    // A list field may be left out: XML cannot tell an absent list from an empty one.
    QVERIFY(m_registry->buildPayload(u"Node"_s, map({{u"label"_s, u"leaf"_s}}), &payload, &error));
    QCOMPARE(payload.fields, map({{u"label"_s, u"leaf"_s}, {u"children"_s, QVariantList()}}));

    QVERIFY(m_registry->buildPayload(u"Tick"_s, {}, &payload, &error));
    QCOMPARE(payload.xml, QByteArray("<Tick></Tick>"));
    QVERIFY(payload.fields.isEmpty());

    // QStringList (not only QVariantList) and QVariantHash (not only QVariantMap) are accepted.
    QVariantHash customer;
    customer.insert(u"Street"_s, u"y"_s);
    QVERIFY2(m_registry->buildPayload(u"Order"_s,
                                      map({{u"id"_s, 2},
                                           {u"customer"_s, customer},
                                           {u"items"_s, QVariantList()},
                                           {u"express"_s, true},
                                           {u"tags"_s, QStringList{u"a"_s, u"b"_s}}}),
                                      &payload, &error),
             qPrintable(error.message));
    QCOMPARE(payload.fields.value(u"tags"_s), QVariant(QVariantList{u"a"_s, u"b"_s}));
    QCOMPARE(payload.fields.value(u"customer"_s).toMap().value(u"street"_s), QVariant(u"y"_s));
}

void tst_SchemaRegistry::buildCoercions_data()
{
    QTest::addColumn<QString>("fieldName");
    QTest::addColumn<QVariant>("input");
    QTest::addColumn<QVariant>("expected");
    QTest::addColumn<QByteArray>("text");

    QTest::newRow("int") << u"count"_s << QVariant(12) << QVariant(qint64(12)) << QByteArray("12");
    QTest::newRow("int64 max") << u"count"_s << QVariant(std::numeric_limits<qint64>::max())
                               << QVariant(std::numeric_limits<qint64>::max()) << QByteArray("9223372036854775807");
    QTest::newRow("int64 min") << u"count"_s << QVariant(std::numeric_limits<qint64>::min())
                               << QVariant(std::numeric_limits<qint64>::min()) << QByteArray("-9223372036854775808");
    QTest::newRow("uint") << u"count"_s << QVariant(7u) << QVariant(qint64(7)) << QByteArray("7");
    QTest::newRow("integral double") << u"count"_s << QVariant(3.0) << QVariant(qint64(3)) << QByteArray("3");
    QTest::newRow("negative double") << u"count"_s << QVariant(-4.0) << QVariant(qint64(-4)) << QByteArray("-4");
    QTest::newRow("digits string") << u"count"_s << QVariant(u"12"_s) << QVariant(qint64(12)) << QByteArray("12");
    QTest::newRow("padded string") << u"count"_s << QVariant(u" -12 "_s) << QVariant(qint64(-12)) << QByteArray("-12");
    QTest::newRow("plus string") << u"count"_s << QVariant(u"+5"_s) << QVariant(qint64(5)) << QByteArray("5");
    QTest::newRow("zero fraction string")
        << u"count"_s << QVariant(u"12.00"_s) << QVariant(qint64(12)) << QByteArray("12");
    QTest::newRow("bool as int") << u"count"_s << QVariant(true) << QVariant(qint64(1)) << QByteArray("1");

    QTest::newRow("decimal") << u"ratio"_s << QVariant(1.25) << QVariant(1.25) << QByteArray("1.25");
    QTest::newRow("int as decimal") << u"ratio"_s << QVariant(2) << QVariant(2.0) << QByteArray("2.0");
    QTest::newRow("decimal string") << u"ratio"_s << QVariant(u"1.5"_s) << QVariant(1.5) << QByteArray("1.5");
    QTest::newRow("exponent string") << u"ratio"_s << QVariant(u"1e3"_s) << QVariant(1000.0) << QByteArray("1000.0");
    QTest::newRow("padded decimal string")
        << u"ratio"_s << QVariant(u" -0.5 "_s) << QVariant(-0.5) << QByteArray("-0.5");
    QTest::newRow("bool as decimal") << u"ratio"_s << QVariant(false) << QVariant(0.0) << QByteArray("0.0");

    QTest::newRow("bool") << u"ok"_s << QVariant(true) << QVariant(true) << QByteArray("true");
    QTest::newRow("bool false") << u"ok"_s << QVariant(false) << QVariant(false) << QByteArray("false");
    QTest::newRow("string true") << u"ok"_s << QVariant(u"true"_s) << QVariant(true) << QByteArray("true");
    QTest::newRow("string False") << u"ok"_s << QVariant(u"False"_s) << QVariant(false) << QByteArray("false");
    QTest::newRow("string yes") << u"ok"_s << QVariant(u"yes"_s) << QVariant(true) << QByteArray("true");
    QTest::newRow("string off") << u"ok"_s << QVariant(u"off"_s) << QVariant(false) << QByteArray("false");
    QTest::newRow("string 1") << u"ok"_s << QVariant(u"1"_s) << QVariant(true) << QByteArray("true");
    QTest::newRow("int 0") << u"ok"_s << QVariant(0) << QVariant(false) << QByteArray("false");
    QTest::newRow("double 1") << u"ok"_s << QVariant(1.0) << QVariant(true) << QByteArray("true");
}

void tst_SchemaRegistry::buildCoercions()
{
    QFETCH(QString, fieldName);
    QFETCH(QVariant, input);
    QFETCH(QVariant, expected);
    QFETCH(QByteArray, text);

    QVariantMap fields = map({{u"count"_s, 1}, {u"ratio"_s, 1.0}, {u"ok"_s, true}});
    fields.insert(fieldName, input);
    Payload payload;
    SchemaError error;
    QVERIFY2(m_registry->buildPayload(u"Measure"_s, fields, &payload, &error), qPrintable(error.message));
    const QVariant actual = payload.fields.value(fieldName);
    QCOMPARE(actual.typeId(), expected.typeId());
    QCOMPARE(actual, expected);
    const QByteArray element = SchemaRegistry::pascalCase(fieldName).toUtf8();
    const QByteArray expectedElement = '<' + element + '>' + text + "</" + element + '>';
    QVERIFY2(payload.xml.contains(expectedElement), payload.xml.constData());
}

void tst_SchemaRegistry::buildErrors_data()
{
    QTest::addColumn<QString>("typeName");
    QTest::addColumn<QVariantMap>("fields");
    QTest::addColumn<QStringList>("path");
    QTest::addColumn<QString>("kind");

    const QVariantMap measure = map({{u"count"_s, 1}, {u"ratio"_s, 1.0}, {u"ok"_s, true}});
    auto measureWith = [&](const QString &key, const QVariant &value) {
        QVariantMap fields = measure;
        fields.insert(key, value);
        return fields;
    };
    const QVariantMap order = sampleOrder();
    auto orderWith = [&](const QString &key, const QVariant &value) {
        QVariantMap fields = order;
        fields.insert(key, value);
        return fields;
    };

    QTest::newRow("string given a number")
        << u"Greeting"_s << map({{u"name"_s, 12}}) << QStringList{u"name"_s} << u"string_type"_s;
    QTest::newRow("string given null") << u"Greeting"_s << map({{u"name"_s, QVariant::fromValue(nullptr)}})
                                       << QStringList{u"name"_s} << u"string_type"_s;
    QTest::newRow("string with control char")
        << u"Greeting"_s << map({{u"name"_s, u"a\u0001b"_s}}) << QStringList{u"name"_s} << u"xml_char"_s;
    QTest::newRow("string with lone surrogate")
        << u"Greeting"_s << map({{u"name"_s, QString(QChar(0xD800))}}) << QStringList{u"name"_s} << u"xml_char"_s;
    QTest::newRow("missing") << u"Greeting"_s << QVariantMap() << QStringList{u"name"_s} << u"missing"_s;
    QTest::newRow("unknown field") << u"Greeting"_s << map({{u"name"_s, u"a"_s}, {u"nickname"_s, u"b"_s}})
                                   << QStringList{u"nickname"_s} << u"extra_forbidden"_s;
    QTest::newRow("given twice") << u"Greeting"_s << map({{u"name"_s, u"a"_s}, {u"Name"_s, u"b"_s}})
                                 << QStringList{u"name"_s} << u"duplicate_field"_s;
    QTest::newRow("unknown type") << u"Nope"_s << QVariantMap() << QStringList() << u"unknown_type"_s;

    QTest::newRow("int from word") << u"Measure"_s << measureWith(u"count"_s, u"abc"_s) << QStringList{u"count"_s}
                                   << u"int_parsing"_s;
    QTest::newRow("int from 1.5 string") << u"Measure"_s << measureWith(u"count"_s, u"1.5"_s) << QStringList{u"count"_s}
                                         << u"int_parsing"_s;
    QTest::newRow("int from fraction") << u"Measure"_s << measureWith(u"count"_s, 1.5) << QStringList{u"count"_s}
                                       << u"int_from_float"_s;
    QTest::newRow("int from list") << u"Measure"_s << measureWith(u"count"_s, QVariantList{1})
                                   << QStringList{u"count"_s} << u"int_type"_s;
    QTest::newRow("huge int string") << u"Measure"_s << measureWith(u"count"_s, u"99999999999999999999"_s)
                                     << QStringList{u"count"_s} << u"int_out_of_range"_s;
    QTest::newRow("huge int double") << u"Measure"_s << measureWith(u"count"_s, 1e20) << QStringList{u"count"_s}
                                     << u"int_out_of_range"_s;
    QTest::newRow("2^63 double") << u"Measure"_s << measureWith(u"count"_s, 9223372036854775808.0)
                                 << QStringList{u"count"_s} << u"int_out_of_range"_s;
    QTest::newRow("huge unsigned") << u"Measure"_s << measureWith(u"count"_s, std::numeric_limits<quint64>::max())
                                   << QStringList{u"count"_s} << u"int_out_of_range"_s;
    QTest::newRow("int from infinity") << u"Measure"_s
                                       << measureWith(u"count"_s, std::numeric_limits<double>::infinity())
                                       << QStringList{u"count"_s} << u"finite_number"_s;

    QTest::newRow("decimal from word") << u"Measure"_s << measureWith(u"ratio"_s, u"abc"_s) << QStringList{u"ratio"_s}
                                       << u"float_parsing"_s;
    QTest::newRow("decimal from nan string")
        << u"Measure"_s << measureWith(u"ratio"_s, u"nan"_s) << QStringList{u"ratio"_s} << u"finite_number"_s;
    QTest::newRow("decimal overflow string")
        << u"Measure"_s << measureWith(u"ratio"_s, u"1e400"_s) << QStringList{u"ratio"_s} << u"finite_number"_s;
    QTest::newRow("decimal from infinity")
        << u"Measure"_s << measureWith(u"ratio"_s, std::numeric_limits<double>::infinity()) << QStringList{u"ratio"_s}
        << u"finite_number"_s;
    QTest::newRow("decimal too long") << u"Measure"_s << measureWith(u"ratio"_s, 1e30) << QStringList{u"ratio"_s}
                                      << u"decimal_max_digits"_s;
    QTest::newRow("decimal from map") << u"Measure"_s << measureWith(u"ratio"_s, QVariantMap())
                                      << QStringList{u"ratio"_s} << u"float_type"_s;

    QTest::newRow("bool from word") << u"Measure"_s << measureWith(u"ok"_s, u"maybe"_s) << QStringList{u"ok"_s}
                                    << u"bool_parsing"_s;
    QTest::newRow("bool from 2") << u"Measure"_s << measureWith(u"ok"_s, 2) << QStringList{u"ok"_s}
                                 << u"bool_parsing"_s;
    QTest::newRow("bool from list") << u"Measure"_s << measureWith(u"ok"_s, QVariantList()) << QStringList{u"ok"_s}
                                    << u"bool_type"_s;

    QTest::newRow("nested error") << u"Order"_s
                                  << orderWith(u"customer"_s, map({{u"street"_s, u"x"_s}, {u"zip"_s, u"north"_s}}))
                                  << QStringList{u"customer"_s, u"zip"_s} << u"int_parsing"_s;
    QTest::newRow("nested missing") << u"Order"_s << orderWith(u"customer"_s, QVariantMap())
                                    << QStringList{u"customer"_s, u"street"_s} << u"missing"_s;
    QTest::newRow("nested unknown (PascalCase)") << u"Order"_s << [&] {
        QVariantMap fields = order;
        fields.remove(u"customer"_s);
        fields.insert(u"Customer"_s, map({{u"Street"_s, u"x"_s}, {u"City"_s, u"y"_s}}));
        return fields;
    }() << QStringList{u"customer"_s, u"City"_s} << u"extra_forbidden"_s;
    QTest::newRow("nested not an object")
        << u"Order"_s << orderWith(u"customer"_s, u"Main St"_s) << QStringList{u"customer"_s} << u"model_type"_s;
    QVariantList badItems = order.value(u"items"_s).toList();
    QVariantMap secondItem = badItems[1].toMap();
    secondItem.insert(u"qty"_s, u"two"_s);
    badItems[1] = secondItem;
    QTest::newRow("list item field") << u"Order"_s << orderWith(u"items"_s, badItems)
                                     << QStringList{u"items"_s, u"1"_s, u"qty"_s} << u"int_parsing"_s;
    QTest::newRow("list of wrong items") << u"Order"_s << orderWith(u"tags"_s, QVariantList{u"a"_s, 5})
                                         << QStringList{u"tags"_s, u"1"_s} << u"string_type"_s;
    QTest::newRow("list item not an object") << u"Order"_s << orderWith(u"items"_s, QVariantList{u"x"_s})
                                             << QStringList{u"items"_s, u"0"_s} << u"model_type"_s;
    QTest::newRow("list not a list") << u"Order"_s << orderWith(u"tags"_s, u"gift"_s) << QStringList{u"tags"_s}
                                     << u"list_type"_s;
    QVariantMap deep = map({{u"label"_s, u"leaf"_s}});
    for (int i = 0; i < 300; ++i)
        deep = map({{u"label"_s, u"n"_s}, {u"children"_s, QVariantList{deep}}});
    QStringList deepPath;
    for (int i = 0; i < 251; ++i)
        deepPath << u"children"_s << u"0"_s;
    QTest::newRow("too deep") << u"Node"_s << deep << deepPath << u"too_deep"_s;
}

void tst_SchemaRegistry::buildErrors()
{
    QFETCH(QString, typeName);
    QFETCH(QVariantMap, fields);
    QFETCH(QStringList, path);
    QFETCH(QString, kind);

    Payload payload;
    payload.type = u"untouched"_s;
    SchemaError error;
    QVERIFY(!m_registry->buildPayload(typeName, fields, &payload, &error));
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.fieldPath, path);
    QVERIFY(!error.message.isEmpty());
    QCOMPARE(error.line, 0);
    QCOMPARE(payload.type, u"untouched"_s); // nothing written on failure
}

void tst_SchemaRegistry::buildMessageNamesTheField()
{
    Payload payload;
    SchemaError error;
    QVERIFY(!m_registry->buildPayload(u"GreetingResponse"_s, map({{u"message"_s, u"x"_s}}), &payload, &error));
    QCOMPARE(error.message, u"original_sender: Field required"_s);

    QVERIFY(!m_registry->buildPayload(u"Greeting"_s, map({{u"name"_s, u"x"_s}, {u"shout"_s, true}}), &payload, &error));
    QCOMPARE(error.message, u"shout: Extra inputs are not permitted"_s);
    QCOMPARE(error.input, QVariant(true));

    QVariantMap order = sampleOrder();
    order.insert(u"tags"_s, QVariantList{u"a"_s, 5});
    QVERIFY(!m_registry->buildPayload(u"Order"_s, order, &payload, &error));
    QCOMPARE(error.message, u"tags.1: Input should be a valid string"_s);
    QCOMPARE(error.input, QVariant(5));
}

void tst_SchemaRegistry::decimalCanonicalForm_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("one tenth") << 0.1 << QByteArray("0.1");
    QTest::newRow("integral") << 3.0 << QByteArray("3.0");
    QTest::newRow("negative") << -2.5 << QByteArray("-2.5");
    QTest::newRow("large, no exponent") << 1e20 << QByteArray("100000000000000000000.0");
    QTest::newRow("small, no exponent") << 1.5e-7 << QByteArray("0.00000015");
    QTest::newRow("24 digits, no room for .0") << 1e23 << QByteArray("100000000000000000000000");
    QTest::newRow("smallest at 24 digits") << 1e-24 << QByteArray("0.000000000000000000000001");
    QTest::newRow("negative zero") << -0.0 << QByteArray("-0.0");
    QTest::newRow("point inside") << 123.456 << QByteArray("123.456");
    QTest::newRow("ten millionth") << 1e-7 << QByteArray("0.0000001");
    QTest::newRow("shortest round trip") << 0.30000000000000004 << QByteArray("0.30000000000000004");
    QTest::newRow("third") << 1.0 / 3.0 << QByteArray("0.3333333333333333");
}

void tst_SchemaRegistry::decimalCanonicalForm()
{
    QFETCH(double, value);
    QFETCH(QByteArray, text);
    Payload built;
    SchemaError error;
    QVERIFY(m_registry->buildPayload(u"Measure"_s, map({{u"count"_s, 0}, {u"ratio"_s, value}, {u"ok"_s, false}}),
                                     &built, &error));
    const QByteArray expectedElement = "<Ratio>" + text + "</Ratio>";
    QVERIFY2(built.xml.contains(expectedElement), built.xml.constData());
    // The canonical text validates as xs:decimal and reads back to the same double.
    Payload parsed;
    QVERIFY2(m_registry->parsePayload(built.xml, &parsed, &error), qPrintable(error.message));
    QCOMPARE(parsed.fields.value(u"ratio"_s).toDouble(), value);
    QCOMPARE(parsed.xml, built.xml);
}

void tst_SchemaRegistry::decimalRandomRoundTrip()
{
    // Doubles across the whole range libxml2's xs:decimal can carry: written, validated, read back equal.
    QRandomGenerator random(20240601);
    int written = 0;
    for (int i = 0; i < 5000; ++i) {
        const double value = (random.generateDouble() - 0.5) * std::pow(10.0, random.bounded(-24, 24));
        Payload built;
        SchemaError error;
        QVERIFY2(m_registry->buildPayload(u"Measure"_s, map({{u"count"_s, 0}, {u"ratio"_s, value}, {u"ok"_s, false}}),
                                          &built, &error),
                 qPrintable(error.message));
        const double stored = built.fields.value(u"ratio"_s).toDouble();
        // Exact, or rounded at the 24th decimal place (plus the rounding to the nearest double).
        if (stored == value)
            ++written;
        else
            QVERIFY2(std::abs(stored - value) <= 0.5e-24 + std::abs(value) * 2.3e-16,
                     qPrintable(QString::number(value, 'g', 17)));
        Payload parsed;
        QVERIFY2(m_registry->parsePayload(built.xml, &parsed, &error),
                 qPrintable(error.message + u" in "_s + QString::fromUtf8(built.xml)));
        QCOMPARE(parsed.fields.value(u"ratio"_s).toDouble(), stored);
        QCOMPARE(parsed.xml, built.xml);
    }
    QVERIFY(written > 2500);
}

void tst_SchemaRegistry::decimalRounding()
{
    // More fractional digits than libxml2's 24 take: rounded at the 24th decimal place, fields and xml agree.
    Payload built;
    SchemaError error;
    QVERIFY(m_registry->buildPayload(u"Measure"_s, map({{u"count"_s, 0}, {u"ratio"_s, 1.2345e-23}, {u"ok"_s, false}}),
                                     &built, &error));
    QVERIFY2(built.xml.contains("<Ratio>0.000000000000000000000012</Ratio>"), built.xml.constData());
    QCOMPARE(built.fields.value(u"ratio"_s).toDouble(), 1.2e-23);
    QVERIFY(m_registry->buildPayload(u"Measure"_s, map({{u"count"_s, 0}, {u"ratio"_s, -1e-30}, {u"ok"_s, false}}),
                                     &built, &error));
    QVERIFY2(built.xml.contains("<Ratio>-0.0</Ratio>"), built.xml.constData());
}

void tst_SchemaRegistry::textEscaping()
{
    Payload built;
    SchemaError error;
    const QString text = u"a<b & c>d \"q\" 'a'\r\n\ttab]]>"_s;
    QVERIFY(m_registry->buildPayload(u"Greeting"_s, map({{u"name"_s, text}}), &built, &error));
    QCOMPARE(built.xml,
             QByteArray("<Greeting><Name>a&lt;b &amp; c&gt;d \"q\" 'a'&#13;\n\ttab]]&gt;</Name></Greeting>"));
    Payload parsed;
    QVERIFY2(m_registry->parsePayload(built.xml, &parsed, &error), qPrintable(error.message));
    QCOMPARE(parsed.fields.value(u"name"_s).toString(), text);
    QCOMPARE(parsed.xml, built.xml);
}

void tst_SchemaRegistry::roundTrip_data()
{
    QTest::addColumn<QString>("typeName");
    QTest::addColumn<QVariantMap>("fields");
    QTest::newRow("greeting") << u"Greeting"_s << map({{u"name"_s, u"Alice"_s}});
    QTest::newRow("empty string") << u"Greeting"_s << map({{u"name"_s, QString()}});
    QTest::newRow("whitespace string") << u"Greeting"_s << map({{u"name"_s, u"  two  spaces \n"_s}});
    QTest::newRow("order") << u"Order"_s << sampleOrder();
    QTest::newRow("measure") << u"Measure"_s
                             << map({{u"count"_s, std::numeric_limits<qint64>::min()},
                                     {u"ratio"_s, -1.5e-20},
                                     {u"ok"_s, true}});
    QTest::newRow("chain") << u"Chain"_s
                           << map({{u"value"_s, 1},
                                   {u"next"_s, map({{u"value"_s, 2}, {u"next"_s, map({{u"value"_s, 3}})}})}});
    QTest::newRow("tick") << u"Tick"_s << QVariantMap();
}

void tst_SchemaRegistry::roundTrip()
{
    QFETCH(QString, typeName);
    QFETCH(QVariantMap, fields);
    Payload built;
    SchemaError error;
    QVERIFY2(m_registry->buildPayload(typeName, fields, &built, &error), qPrintable(error.message));
    Payload parsed;
    QVERIFY2(m_registry->parsePayload(built.xml, typeName, &parsed, &error), qPrintable(error.message));
    QCOMPARE(parsed.type, built.type);
    QCOMPARE(parsed.fields, built.fields);
    QCOMPARE(parsed.xml, built.xml);
    // fields → xml → fields again yields the same field tree.
    Payload rebuilt;
    QVERIFY(m_registry->buildPayload(typeName, parsed.fields, &rebuilt, &error));
    QCOMPARE(rebuilt.xml, built.xml);
}

void tst_SchemaRegistry::parseCanonicalises_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("canonical");
    QTest::newRow("indented") << QByteArray("<?xml version=\"1.0\"?>\n<Greeting>\n  <Name>Bob</Name>\n</Greeting>\n")
                              << QByteArray("<Greeting><Name>Bob</Name></Greeting>");
    QTest::newRow("numbers and booleans")
        << QByteArray("<Measure><Count> +012 </Count><Ratio>1.50</Ratio><Ok>1</Ok></Measure>")
        << QByteArray("<Measure><Count>12</Count><Ratio>1.5</Ratio><Ok>true</Ok></Measure>");
    QTest::newRow("cdata and comments") << QByteArray(
        "<Greeting><!-- hi --><Name><![CDATA[a<b]]><!-- x -->&amp;c</Name></Greeting>")
                                        << QByteArray("<Greeting><Name>a&lt;b&amp;c</Name></Greeting>");
    QTest::newRow("self-closing empty") << QByteArray("<Greeting><Name/></Greeting>")
                                        << QByteArray("<Greeting><Name></Name></Greeting>");
    QTest::newRow("character references") << QByteArray("<Greeting><Name>&#x48;&#105;</Name></Greeting>")
                                          << QByteArray("<Greeting><Name>Hi</Name></Greeting>");
}

void tst_SchemaRegistry::parseCanonicalises()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, canonical);
    Payload payload;
    SchemaError error;
    QVERIFY2(m_registry->parsePayload(input, &payload, &error), qPrintable(error.message));
    QCOMPARE(payload.xml, canonical);
}

void tst_SchemaRegistry::parseErrors_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("path");

    QTest::newRow("empty") << QByteArray() << u"xml_syntax"_s << QStringList();
    QTest::newRow("not xml") << QByteArray("hello") << u"xml_syntax"_s << QStringList();
    QTest::newRow("unclosed") << QByteArray("<Greeting><Name>x</Greeting>") << u"xml_syntax"_s << QStringList();
    QTest::newRow("two roots") << QByteArray("<Greeting><Name>x</Name></Greeting><Greeting/>") << u"xml_syntax"_s
                               << QStringList();
    QTest::newRow("undeclared entity") << QByteArray("<Greeting><Name>&xxe;</Name></Greeting>") << u"xml_syntax"_s
                                       << QStringList();
    QTest::newRow("invalid UTF-8") << QByteArray("<Greeting><Name>\xff\xfe</Name></Greeting>") << u"xml_syntax"_s
                                   << QStringList();
    QTest::newRow("unknown encoding") << QByteArray(
        "<?xml version=\"1.0\" encoding=\"x-nonsense\"?><Greeting><Name>x</Name></Greeting>")
                                      << u"xml_syntax"_s << QStringList();
    QTest::newRow("control character reference")
        << QByteArray("<Greeting><Name>&#1;</Name></Greeting>") << u"xml_syntax"_s << QStringList();
    QTest::newRow("unknown root") << QByteArray("<Nope><Name>x</Name></Nope>") << u"unknown_type"_s << QStringList();
    QTest::newRow("lower-case root") << QByteArray("<greeting><Name>x</Name></greeting>") << u"unknown_type"_s
                                     << QStringList();
    QTest::newRow("missing child") << QByteArray("<Greeting></Greeting>") << u"xml_schema"_s << QStringList();
    QTest::newRow("snake_case element") << QByteArray("<Greeting><name>x</name></Greeting>") << u"xml_schema"_s
                                        << QStringList{u"name"_s};
    QTest::newRow("unexpected element") << QByteArray("<Greeting><Name>x</Name><Extra/></Greeting>") << u"xml_schema"_s
                                        << QStringList{u"extra"_s};
    QTest::newRow("wrong order") << QByteArray(
        "<GreetingResponse><OriginalSender>a</OriginalSender><Message>b</Message></GreetingResponse>")
                                 << u"xml_schema"_s << QStringList{u"original_sender"_s};
    QTest::newRow("attribute") << QByteArray("<Greeting><Name lang=\"en\">x</Name></Greeting>") << u"xml_schema"_s
                               << QStringList{u"name"_s};
    QTest::newRow("namespace") << QByteArray("<Greeting xmlns=\"urn:x\"><Name>x</Name></Greeting>") << u"xml_schema"_s
                               << QStringList();
    QTest::newRow("not an integer") << QByteArray(
        "<Measure><Count>three</Count><Ratio>1</Ratio><Ok>true</Ok></Measure>")
                                    << u"xml_schema"_s << QStringList{u"count"_s};
    QTest::newRow("exponent is not xs:decimal")
        << QByteArray("<Measure><Count>3</Count><Ratio>1e3</Ratio><Ok>true</Ok></Measure>") << u"xml_schema"_s
        << QStringList{u"ratio"_s};
    QTest::newRow("yes is not xs:boolean")
        << QByteArray("<Measure><Count>3</Count><Ratio>1</Ratio><Ok>yes</Ok></Measure>") << u"xml_schema"_s
        << QStringList{u"ok"_s};
    QTest::newRow("nested list item") << QByteArray("<Order><Id>1</Id><Customer><Street>s</Street></Customer>"
                                                    "<Items><Sku>a</Sku><Qty>1</Qty><Price>1</Price></Items>"
                                                    "<Items><Sku>b</Sku><Qty>x</Qty><Price>1</Price></Items>"
                                                    "<Express>true</Express></Order>")
                                      << u"xml_schema"_s << QStringList{u"items"_s, u"1"_s, u"qty"_s};
    QTest::newRow("integer beyond qint64")
        << QByteArray("<Measure><Count>99999999999999999999</Count><Ratio>1</Ratio><Ok>true</Ok></Measure>")
        << u"int_out_of_range"_s << QStringList{u"count"_s};
    QTest::newRow("integer beyond qint64 in a list")
        << QByteArray("<Order><Id>1</Id><Customer><Street>s</Street></Customer>"
                      "<Items><Sku>a</Sku><Qty>1</Qty><Price>1</Price></Items>"
                      "<Items><Sku>b</Sku><Qty>-99999999999999999999</Qty><Price>1</Price></Items>"
                      "<Express>true</Express></Order>")
        << u"int_out_of_range"_s << QStringList{u"items"_s, u"1"_s, u"qty"_s};
    // libxml2 takes at most 24 digits for xs:decimal.
    QTest::newRow("decimal of 25 digits")
        << QByteArray("<Measure><Count>1</Count><Ratio>1" + QByteArray(24, '0') + "</Ratio><Ok>true</Ok></Measure>")
        << u"xml_schema"_s << QStringList{u"ratio"_s};
}

void tst_SchemaRegistry::parseErrors()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, kind);
    QFETCH(QStringList, path);
    Payload payload;
    payload.type = u"untouched"_s;
    SchemaError error;
    QVERIFY(!m_registry->parsePayload(xml, &payload, &error));
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.fieldPath, path);
    QVERIFY(!error.message.isEmpty());
    QCOMPARE(payload.type, u"untouched"_s);
}

void tst_SchemaRegistry::parseExpectedType()
{
    const QByteArray greeting = "<Greeting><Name>x</Name></Greeting>";
    Payload payload;
    SchemaError error;
    QVERIFY(m_registry->parsePayload(greeting, u"Greeting"_s, &payload, &error));
    QVERIFY(!m_registry->parsePayload(greeting, u"GreetingResponse"_s, &payload, &error));
    QCOMPARE(error.kind, u"root_mismatch"_s);
    QVERIFY(error.message.contains(u"GreetingResponse"_s));
    QVERIFY(!m_registry->parsePayload(greeting, u"Nope"_s, &payload, &error));
    QCOMPARE(error.kind, u"unknown_type"_s);
}

void tst_SchemaRegistry::parseErrorLine()
{
    Payload payload;
    SchemaError error;
    // Syntax error on line 3 (libxml2's own message).
    QVERIFY(!m_registry->parsePayload("<Greeting>\n  <Name>x</Name>\n  <Oops>\n</Greeting>", &payload, &error));
    QCOMPARE(error.kind, u"xml_syntax"_s);
    QCOMPARE(error.line, 4); // where </Greeting> fails to match <Oops>
    QVERIFY2(error.message.contains(u"Oops"_s), qPrintable(error.message));

    // Validation error on line 4.
    QVERIFY(!m_registry->parsePayload(
        "<Measure>\n  <Count>1</Count>\n  <Ratio>1</Ratio>\n  <Ok>perhaps</Ok>\n</Measure>", &payload, &error));
    QCOMPARE(error.kind, u"xml_schema"_s);
    QCOMPARE(error.line, 4);
    QVERIFY2(error.message.contains(u"'Ok'"_s) && error.message.contains(u"xs:boolean"_s), qPrintable(error.message));
    QCOMPARE(error.fieldPath, QStringList{u"ok"_s});
}

void tst_SchemaRegistry::unicodeText()
{
    const QString text = u"Grüße, 世界 🌍 — \u00a0é"_s;
    Payload built;
    SchemaError error;
    QVERIFY(m_registry->buildPayload(u"Greeting"_s, map({{u"name"_s, text}}), &built, &error));
    QCOMPARE(built.xml, "<Greeting><Name>" + text.toUtf8() + "</Name></Greeting>");
    Payload parsed;
    QVERIFY2(m_registry->parsePayload(built.xml, &parsed, &error), qPrintable(error.message));
    QCOMPARE(parsed.fields.value(u"name"_s).toString(), text);
    QCOMPARE(parsed.xml, built.xml);
}

void tst_SchemaRegistry::declaredEncoding()
{
    // Latin-1 bytes under an encoding declaration come out as UTF-8 in the canonical form.
    const QByteArray latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Greeting><Name>Gr\xfc\xdf"
                              "e</Name></Greeting>";
    Payload parsed;
    SchemaError error;
    QVERIFY2(m_registry->parsePayload(latin1, &parsed, &error), qPrintable(error.message));
    QCOMPARE(parsed.fields.value(u"name"_s).toString(), u"Grüße"_s);
    QCOMPARE(parsed.xml, u"<Greeting><Name>Grüße</Name></Greeting>"_s.toUtf8());
}

void tst_SchemaRegistry::longDocumentInOneRead()
{
    // Far longer than libxml2's input chunk, split by line breaks: the parser reads the whole document.
    const QString text = u"word "_s.repeated(20000) + u"end"_s;
    const QByteArray xml = "<Greeting>\n<Name>" + text.toUtf8() + "</Name>\n</Greeting>";
    Payload parsed;
    SchemaError error;
    QVERIFY2(m_registry->parsePayload(xml, &parsed, &error), qPrintable(error.message));
    QCOMPARE(parsed.fields.value(u"name"_s).toString(), text);
    QVERIFY(!m_registry->parsePayload(xml.chopped(3), &parsed, &error)); // cut inside the closing tag
    QCOMPARE(error.kind, u"xml_syntax"_s);
    QCOMPARE(error.line, 3);
}

void tst_SchemaRegistry::doctypeIsRefused_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::newRow("external entity") << QByteArray("<?xml version=\"1.0\"?>\n<!DOCTYPE Greeting [\n"
                                                   "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                                                   "<Greeting><Name>&xxe;</Name></Greeting>");
    QTest::newRow("external DTD") << QByteArray("<!DOCTYPE Greeting SYSTEM \"http://127.0.0.1:1/evil.dtd\">"
                                                "<Greeting><Name>x</Name></Greeting>");
    QTest::newRow("parameter entity") << QByteArray(
        "<!DOCTYPE Greeting [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>"
        "<Greeting><Name>x</Name></Greeting>");
    QByteArray laughs = "<!DOCTYPE Greeting [<!ENTITY l0 \"lol\">";
    for (int i = 1; i < 10; ++i)
        laughs += "<!ENTITY l" + QByteArray::number(i) + " \""
            + QByteArray("&l" + QByteArray::number(i - 1) + ";").repeated(10) + "\">";
    laughs += "]><Greeting><Name>&l9;</Name></Greeting>";
    QTest::newRow("entity expansion") << laughs;
    QTest::newRow("harmless doctype") << QByteArray("<!DOCTYPE Greeting><Greeting><Name>x</Name></Greeting>");
}

void tst_SchemaRegistry::doctypeIsRefused()
{
    QFETCH(QByteArray, xml);
    Payload payload;
    SchemaError error;
    QVERIFY(!m_registry->parsePayload(xml, &payload, &error));
    QCOMPARE(error.kind, u"xml_forbidden"_s);
    QVERIFY(!error.message.contains(u"root:"_s));
    // The reused per-thread parser is fine afterwards.
    QVERIFY(m_registry->parsePayload("<Greeting><Name>ok</Name></Greeting>", &payload, &error));
    QCOMPARE(payload.fields.value(u"name"_s).toString(), u"ok"_s);
}

void tst_SchemaRegistry::externalEntityIsNeverOpened()
{
#ifdef Q_OS_LINUX
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString secretPath = dir.filePath(u"secret.txt"_s);
    {
        QFile secret(secretPath);
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write("top-secret-value");
    }
    const int notify = inotify_init1(IN_NONBLOCK);
    QVERIFY(notify >= 0);
    const int watch = inotify_add_watch(notify, QFile::encodeName(secretPath).constData(), IN_OPEN | IN_ACCESS);
    QVERIFY(watch >= 0);
    auto drainEvents = [notify] {
        char buffer[4096];
        ssize_t total = 0;
        for (ssize_t n; (n = read(notify, buffer, sizeof buffer)) > 0;)
            total += n;
        return total;
    };

    const QByteArray url = "file://" + QFile::encodeName(secretPath);
    const QList<QByteArray> attacks = {
        "<!DOCTYPE Greeting [<!ENTITY xxe SYSTEM \"" + url + "\">]><Greeting><Name>&xxe;</Name></Greeting>",
        "<!DOCTYPE Greeting SYSTEM \"" + url + "\"><Greeting><Name>x</Name></Greeting>",
        "<!DOCTYPE Greeting [<!ENTITY % p SYSTEM \"" + url + "\"> %p;]><Greeting><Name>x</Name></Greeting>",
    };
    for (const QByteArray &attack : attacks) {
        Payload payload;
        SchemaError error;
        QVERIFY(!m_registry->parsePayload(attack, &payload, &error));
        QCOMPARE(error.kind, u"xml_forbidden"_s);
        QVERIFY(!error.message.contains(u"top-secret"_s));
    }
    // Schema location hints are not followed either: the registry's own schema is the only one used.
    {
        Payload payload;
        SchemaError error;
        const QByteArray hint = "<Greeting xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                                "xsi:noNamespaceSchemaLocation=\""
            + url + "\"><Name>x</Name></Greeting>";
        m_registry->parsePayload(hint, &payload, &error);
        QVERIFY(!payload.xml.contains("top-secret"));
    }
    QCOMPARE(drainEvents(), ssize_t(0));

    // Control: reading the file ourselves is seen, so the silence above means something.
    {
        QFile secret(secretPath);
        QVERIFY(secret.open(QIODevice::ReadOnly));
        QCOMPARE(secret.readAll(), QByteArray("top-secret-value"));
    }
    QVERIFY(drainEvents() > 0);
    close(notify);
#else
    QSKIP("inotify is Linux only");
#endif
}

void tst_SchemaRegistry::numbersIgnoreTheCLocale()
{
    const char *previous = std::setlocale(LC_NUMERIC, nullptr);
    const QByteArray saved = previous ? QByteArray(previous) : QByteArray("C");
    if (!std::setlocale(LC_NUMERIC, "de_DE.UTF-8") && !std::setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
        QSKIP("no locale with a decimal comma is installed");
    Payload payload;
    SchemaError error;
    const bool built = m_registry->buildPayload(
        u"Measure"_s, map({{u"count"_s, 1}, {u"ratio"_s, u"2.5"_s}, {u"ok"_s, true}}), &payload, &error);
    const bool parsed = m_registry->parsePayload("<Measure><Count>1</Count><Ratio>0.25</Ratio><Ok>true</Ok></Measure>",
                                                 &payload, &error);
    std::setlocale(LC_NUMERIC, saved.constData());
    QVERIFY(built);
    QVERIFY(parsed);
    QCOMPARE(payload.fields.value(u"ratio"_s).toDouble(), 0.25);
}

void tst_SchemaRegistry::concurrentUse()
{
    // Several threads build and parse at once against one registry; every result must be exact.
    std::atomic<int> failures{0};
    QThreadPool pool;
    pool.setMaxThreadCount(4);
    for (int t = 0; t < 4; ++t) {
        pool.start([this, t, &failures] {
            for (int i = 0; i < 500; ++i) {
                const qint64 count = t * 100000 + i;
                Payload built;
                SchemaError error;
                if (!m_registry->buildPayload(u"Measure"_s,
                                              map({{u"count"_s, count}, {u"ratio"_s, 0.5}, {u"ok"_s, i % 2 == 0}}),
                                              &built, &error)) {
                    ++failures;
                    continue;
                }
                Payload parsed;
                if (!m_registry->parsePayload(built.xml, u"Measure"_s, &parsed, &error)
                    || parsed.fields.value(u"count"_s).toLongLong() != count || parsed.xml != built.xml) {
                    ++failures;
                }
                // Invalid documents in between must not disturb the others.
                if (m_registry->parsePayload("<Measure><Count>x</Count></Measure>", &parsed, &error)
                    || error.kind != u"xml_schema"_s) {
                    ++failures;
                }
            }
        });
    }
    pool.waitForDone();
    QCOMPARE(failures.load(), 0);
}

void tst_SchemaRegistry::rootTag()
{
    QCOMPARE(SchemaRegistry::rootTag(u"greeter"_s, u"Greeting"_s), u"greeter.greeting"_s);
    QCOMPARE(SchemaRegistry::rootTag(u"Calculator.Add"_s, u"AddRequest"_s), u"calculator.add.addrequest"_s);
}

void tst_SchemaRegistry::pascalCase_data()
{
    QTest::addColumn<QString>("snake");
    QTest::addColumn<QString>("pascal");
    QTest::newRow("one word") << u"name"_s << u"Name"_s;
    QTest::newRow("two words") << u"original_sender"_s << u"OriginalSender"_s;
    QTest::newRow("digits") << u"item_2_count"_s << u"Item2Count"_s;
    QTest::newRow("single letters") << u"a_b_c"_s << u"ABC"_s;
    QTest::newRow("double underscore") << u"x__y"_s << u"XY"_s;
    QTest::newRow("already pascal") << u"OriginalSender"_s << u"OriginalSender"_s;
    QTest::newRow("empty") << QString() << QString();
}

void tst_SchemaRegistry::pascalCase()
{
    QFETCH(QString, snake);
    QFETCH(QString, pascal);
    QCOMPARE(SchemaRegistry::pascalCase(snake), pascal);
}

void tst_SchemaRegistry::snakeCase_data()
{
    QTest::addColumn<QString>("pascal");
    QTest::addColumn<QString>("snake");
    QTest::newRow("one word") << u"Name"_s << u"name"_s;
    QTest::newRow("two words") << u"OriginalSender"_s << u"original_sender"_s;
    QTest::newRow("acronym") << u"XMLHttpRequest"_s << u"xml_http_request"_s;
    QTest::newRow("trailing acronym") << u"ParseXML"_s << u"parse_xml"_s;
    QTest::newRow("digits") << u"Item2Count"_s << u"item2_count"_s;
    QTest::newRow("camel") << u"originalSender"_s << u"original_sender"_s;
    QTest::newRow("already snake") << u"original_sender"_s << u"original_sender"_s;
}

void tst_SchemaRegistry::snakeCase()
{
    QFETCH(QString, pascal);
    QFETCH(QString, snake);
    QCOMPARE(SchemaRegistry::snakeCase(pascal), snake);
}

void tst_SchemaRegistry::buildRegistryErrors_data()
{
    QTest::addColumn<QList<PayloadTypeSpec>>("types");
    QTest::addColumn<QString>("expected"); // a part of the message

    QTest::newRow("unknown field type") << QList<PayloadTypeSpec>{payloadType(u"A"_s, {u"b:Missing"_s}, 10)}
                                        << u"line 11: payload type A, field b: unknown type Missing"_s;
    QTest::newRow("type declared twice") << QList<PayloadTypeSpec>{payloadType(u"A"_s, {}, 3),
                                                                   payloadType(u"A"_s, {}, 7)}
                                         << u"line 7: payload type A: declared twice"_s;
    QTest::newRow("field declared twice")
        << QList<PayloadTypeSpec>{payloadType(u"A"_s, {u"x:string"_s, u"x:integer"_s})} << u"payload type A, field x"_s;
    QTest::newRow("element name clash") << QList<PayloadTypeSpec>{payloadType(
        u"A"_s, {u"foo_bar:string"_s, u"fooBar:string"_s})}
                                        << u"element name FooBar"_s;
    QTest::newRow("bad type name") << QList<PayloadTypeSpec>{payloadType(u"1Abc"_s, {})} << u"payload type 1Abc"_s;
    QTest::newRow("type name with dot") << QList<PayloadTypeSpec>{payloadType(u"handlers.Greeting"_s, {})}
                                        << u"payload type handlers.Greeting"_s;
    QTest::newRow("built-in type name") << QList<PayloadTypeSpec>{payloadType(u"string"_s, {})} << u"built-in"_s;
    QTest::newRow("bad field name") << QList<PayloadTypeSpec>{payloadType(u"A"_s, {u"my-field:string"_s})}
                                    << u"field my-field"_s;
    QTest::newRow("empty field name") << QList<PayloadTypeSpec>{payloadType(u"A"_s, {u":string"_s})} << u"field name"_s;
    QTest::newRow("required self reference")
        << QList<PayloadTypeSpec>{payloadType(u"Loop"_s, {u"next:Loop"_s})} << u"payload type Loop: contains itself"_s;
    QTest::newRow("required mutual reference")
        << QList<PayloadTypeSpec>{payloadType(u"A"_s, {u"b:B"_s}), payloadType(u"B"_s, {u"a:A"_s})}
        << u"contains itself"_s;
}

void tst_SchemaRegistry::buildRegistryErrors()
{
    QFETCH(QList<PayloadTypeSpec>, types);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!SchemaRegistry::build(types, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_SchemaRegistry)
#include "tst_schemaregistry.moc"
