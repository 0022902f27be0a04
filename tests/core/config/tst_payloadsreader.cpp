#include "config/payloadsreader.h"
#include "errorlines.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

struct Read
{
    YamlReader yaml{u"test.yaml"_s};
    OrganismConfig config;
    QStringList declared;
};

// Reads `payloads:` from the text and then checks the types, as the loader does once the file is read.
void readPayloads(const char *text, Read *read)
{
    const std::optional<YamlReader::MapView> top = read->yaml.mapOf(YamlReader::document(YAML::Load(text)), {});
    QVERIFY(top);
    PayloadsReader payloads(read->yaml);
    payloads.read(*top, &read->config);
    payloads.checkTypes(read->config);
    read->declared = payloads.declaredTypes();
}

} // namespace

// The payload types: what the listeners may name (declaredTypes), and the checks on fields.
class TestPayloadsReader : public QObject
{
    Q_OBJECT

private slots:
    void declaredTypesIncludeTypesThatFailed();
    void fieldsSharingAnElementAreRefused();
    void fieldTypesAreCheckedAgainstDeclaredTypes();
    void recognisesATypeOutsidePayloads_data();
    void recognisesATypeOutsidePayloads();
};

void TestPayloadsReader::declaredTypesIncludeTypesThatFailed()
{
    Read read;
    readPayloads("payloads:\n"
                 "  Greeting: {name: string}\n"
                 "  Broken: {Name: string}\n" // invalid field name: the type is not read, but it is declared
                 "  score: integer\n",        // a field among the types: not a type
                 &read);
    QCOMPARE(read.declared, (QStringList{u"Greeting"_s, u"Broken"_s}));
    QCOMPARE(read.config.payloads.size(), 1);
    QCOMPARE(read.config.payloads.constFirst().name, u"Greeting"_s);
    QCOMPARE(read.yaml.errors().size(), 2);
    QCOMPARE(read.yaml.errors().at(0).key, u"payloads.Broken.Name"_s);
    QCOMPARE(read.yaml.errors().at(1).key, u"payloads.score"_s);
}

void TestPayloadsReader::fieldsSharingAnElementAreRefused()
{
    // Both are the XML element <ItemCount> (SchemaRegistry::pascalCase, spec §9.4).
    Read read;
    readPayloads("payloads:\n  Order:\n    item_count: integer\n    item__count: integer\n", &read);
    QCOMPARE(errorLines(read.yaml),
             QStringList{u"4|payloads.Order.item__count|fields `item_count` and `item__count` would both be the XML "
                         "element <ItemCount>; rename one"_s});
    QVERIFY(read.config.payloads.isEmpty());
}

void TestPayloadsReader::fieldTypesAreCheckedAgainstDeclaredTypes()
{
    Read read;
    readPayloads("payloads:\n"
                 "  Order:\n"
                 "    items: Item[]\n"
                 "    note: str?\n"
                 "  Item:\n"
                 "    sku: string\n"
                 "    parent: Item?\n",
                 &read);
    QCOMPARE(errorLines(read.yaml),
             (QStringList{u"4|payloads.Order.note|unknown type `str`; did you mean `string`? use string, integer, "
                          "decimal, boolean or a declared type (declared: Order, Item)"_s,
                          u"7|payloads.Item.parent|type `Item` contains itself (Item → Item); recursive payload types "
                          "are not supported"_s}));
}

void TestPayloadsReader::recognisesATypeOutsidePayloads_data()
{
    QTest::addColumn<QByteArray>("entry");
    QTest::addColumn<bool>("looksLikeType");
    QTest::newRow("type") << QByteArray("Verdict: {label: string, score: integer}") << true;
    QTest::newRow("lower-case name") << QByteArray("verdict: {label: string}") << false;
    QTest::newRow("nested map") << QByteArray("Verdict: {label: {a: b}}") << false;
    QTest::newRow("empty") << QByteArray("Verdict: {}") << false;
    QTest::newRow("scalar") << QByteArray("Verdict: string") << false;
}

void TestPayloadsReader::recognisesATypeOutsidePayloads()
{
    QFETCH(QByteArray, entry);
    QFETCH(bool, looksLikeType);
    const YAML::Node root = YAML::Load(entry.toStdString());
    const YAML::const_iterator first = root.begin();
    QCOMPARE(PayloadsReader::looksLikePayloadType(YamlReader::scalarText(first->first), first->second), looksLikeType);
}

QTEST_GUILESS_MAIN(TestPayloadsReader)
#include "tst_payloadsreader.moc"
