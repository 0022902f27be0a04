#include "config/yamlreader.h"
#include "errorlines.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

using Value = YamlReader::Value;
using MapView = YamlReader::MapView;

const QString kFileName = u"test.yaml"_s;

YAML::Node load(const QByteArray &text)
{
    return YAML::Load(text.toStdString());
}

// The document's top-level map, read with no key list (every key accepted).
MapView topOf(YamlReader &reader, const YAML::Node &root)
{
    const std::optional<MapView> top = reader.mapOf(YamlReader::document(root), {});
    return top ? *top : MapView(QString(), 0);
}

QString describeErrors(const YamlReader &reader)
{
    return errorLines(reader).join(u'\n');
}

// The one error expected, as "line|key|message".
QString onlyError(const YamlReader &reader)
{
    const QStringList lines = errorLines(reader);
    return lines.size() == 1 ? lines.constFirst() : u"%1 errors: %2"_s.arg(lines.size()).arg(lines.join(u'\n'));
}

QString onlyWarning(const YamlReader &reader)
{
    if (reader.warnings().size() != 1)
        return u"%1 warnings"_s.arg(reader.warnings().size());
    const ConfigWarning &warning = reader.warnings().constFirst();
    return u"%1|%2|%3"_s.arg(warning.line).arg(warning.key, warning.message);
}

} // namespace

class TestYamlReader : public QObject
{
    Q_OBJECT

private slots:
    void placesNameLineAndPath();
    void emptyValuePointsAtItsKey();
    void listElementsPointAtTheElement();
    void mapKeys_data();
    void mapKeys();
    void requiredKeys();
    void integers_data();
    void integers();
    void decimals_data();
    void decimals();
    void booleans_data();
    void booleans();
    void durations_data();
    void durations();
    void texts_data();
    void texts();
    void textListNamesTheBadElement();
    void environmentNameNeverEchoesTheValue();
    void choices();
    void inlineSecretsAreRefused();
    void variantKeepsYaml12Types();
    void describeShortensLongText();
    void otherFilesKeepTheirOwnPlace();
};

void TestYamlReader::placesNameLineAndPath()
{
    const YAML::Node root = YAML::Load("organism:\n  name: demo\n  port: \"8765\"\n");
    YamlReader reader(kFileName);
    const MapView top = topOf(reader, root);
    const std::optional<MapView> organism = reader.mapOf(*top.given(u"organism"_s), {u"name"_s, u"port"_s});
    QVERIFY(organism);
    QCOMPARE(organism->path(), u"organism"_s);
    QCOMPARE(organism->line(), 1);
    const Value *port = organism->given(u"port"_s);
    QVERIFY(port);
    QCOMPARE(port->path, u"organism.port"_s);
    QCOMPARE(port->line, 3);
    QVERIFY(!reader.integer(*port, 1, 65535));
    QCOMPARE(reader.errors().constFirst().toString(),
             u"test.yaml:3: organism.port: expected a whole number, found the quoted text \"8765\" (write numbers "
             "without quotes)"_s);
}

void TestYamlReader::emptyValuePointsAtItsKey()
{
    // yaml-cpp marks an empty value on the following line; the message must name the key's own line.
    const YAML::Node root = YAML::Load("listener:\n  name:\n  description: x\n");
    YamlReader reader(kFileName);
    const MapView top = topOf(reader, root);
    const std::optional<MapView> listener = reader.mapOf(*top.given(u"listener"_s), {});
    QVERIFY(listener);
    QVERIFY(!listener->given(u"name"_s)); // written without a value: not given, so defaults apply
    QVERIFY(!reader.required(*listener, u"name"_s));
    QCOMPARE(onlyError(reader), u"2|listener.name|is required but has no value"_s);
}

void TestYamlReader::listElementsPointAtTheElement()
{
    const YAML::Node root = YAML::Load("listeners:\n"
                                       "  - name: a\n"
                                       "  - name: b\n"
                                       "    timeout_seconds: soon\n");
    YamlReader reader(kFileName);
    const MapView top = topOf(reader, root);
    const QList<Value> listeners = YamlReader::elements(*top.given(u"listeners"_s));
    QCOMPARE(listeners.size(), 2);
    QCOMPARE(listeners.at(0).path, u"listeners[0]"_s);
    QCOMPARE(listeners.at(0).line, 2);
    QCOMPARE(YamlReader::element(*top.given(u"listeners"_s), 1).line, 3);
    const std::optional<MapView> second = reader.mapOf(listeners.at(1), {u"name"_s, u"timeout_seconds"_s});
    QVERIFY(second);
    QVERIFY(!reader.decimal(*second->given(u"timeout_seconds"_s), 0, true));
    QCOMPARE(onlyError(reader), u"4|listeners[1].timeout_seconds|expected a number, found `soon`"_s);
    QVERIFY(!reader.expectList(*second->given(u"name"_s), u"names"_s));
    QCOMPARE(reader.errors().constLast().message, u"expected a list of names, found `b`"_s);
}

void TestYamlReader::mapKeys_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("error");   // "" when none
    QTest::addColumn<QString>("warning"); // "" when none
    QTest::newRow("known keys") << QByteArray("port: 1\nname: a\n") << QString() << QString();
    QTest::newRow("duplicate") << QByteArray("port: 1\nname: a\nport: 2\n")
                               << u"3|port|duplicate key (first given on line 1); give each key once"_s << QString();
    QTest::newRow("typo") << QByteArray("prot: 1\n") << QString()
                          << u"1|prot|unknown key, ignored; did you mean `port`?"_s;
    QTest::newRow("unknown") << QByteArray("colour: red\n") << QString()
                             << u"1|colour|unknown key, ignored (known keys here: port, name, tls)"_s;
    QTest::newRow("ignored") << QByteArray("tls: on\n") << QString() << u"1|tls|ignored: no TLS here"_s;
    QTest::newRow("misplaced") << QByteArray("peers: [a]\n") << QString()
                               << u"1|peers|belongs to a listener (line 1)"_s;
    QTest::newRow("list as key") << QByteArray("? [a, b]\n: 1\n")
                                 << u"1||keys must be plain names, found a list as a key"_s << QString();
    QTest::newRow("not a map") << QByteArray("- port\n") << u"1||expected a map, found a list"_s << QString();
}

void TestYamlReader::mapKeys()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, error);
    QFETCH(QString, warning);
    YamlReader reader(kFileName);
    const YamlReader::Misplaced misplaced = [](const QString &key, const Value &value) {
        return key == u"peers"_s ? u"belongs to a listener (line %1)"_s.arg(value.line) : QString();
    };
    const std::optional<MapView> map = reader.mapOf(YamlReader::document(YAML::Load(yaml.toStdString())),
                                                    {u"port"_s, u"name"_s, u"tls"_s}, {{u"tls"_s, u"no TLS here"_s}},
                                                    misplaced);
    QCOMPARE(map.has_value(), !error.startsWith(u"1||expected"_s));
    QCOMPARE(error.isEmpty() ? QString() : onlyError(reader), error);
    QCOMPARE(warning.isEmpty() ? QString() : onlyWarning(reader), warning);
    QCOMPARE(reader.errors().isEmpty(), error.isEmpty());
    QCOMPARE(reader.warnings().isEmpty(), warning.isEmpty());
}

void TestYamlReader::requiredKeys()
{
    const YAML::Node root = YAML::Load("backends:\n  - provider: xai\n");
    YamlReader reader(kFileName);
    const MapView top = topOf(reader, root);
    const std::optional<MapView> backend = reader.mapOf(YamlReader::element(*top.given(u"backends"_s), 0), {});
    QVERIFY(backend);
    QVERIFY(reader.required(*backend, u"provider"_s));
    QVERIFY(!reader.required(*backend, u"name"_s));
    // A missing key has no line of its own: the map's line is the place to add it.
    QCOMPARE(onlyError(reader), u"2|backends[0].name|is required but missing"_s);
}

void TestYamlReader::integers_data()
{
    QTest::addColumn<QByteArray>("written");
    QTest::addColumn<qint64>("min");
    QTest::addColumn<qint64>("max");
    QTest::addColumn<qint64>("expected"); // when error is empty
    QTest::addColumn<QString>("error");
    const qint64 intMax = std::numeric_limits<int>::max();
    QTest::newRow("plain") << QByteArray("42") << qint64(1) << intMax << qint64(42) << QString();
    QTest::newRow("underscores") << QByteArray("250_000") << qint64(1) << intMax << qint64(250000) << QString();
    QTest::newRow("negative") << QByteArray("-3") << qint64(-10) << qint64(10) << qint64(-3) << QString();
    QTest::newRow("decimal") << QByteArray("1.5") << qint64(1) << intMax << qint64(0)
                             << u"expected a whole number, found `1.5`"_s;
    QTest::newRow("word") << QByteArray("many") << qint64(1) << intMax << qint64(0)
                          << u"expected a whole number, found `many`"_s;
    QTest::newRow("quoted") << QByteArray("\"5\"") << qint64(1) << intMax << qint64(0)
                            << u"expected a whole number, found the quoted text \"5\" (write numbers without quotes)"_s;
    QTest::newRow("quoted word") << QByteArray("'five'") << qint64(1) << intMax << qint64(0)
                                 << u"expected a whole number, found the quoted text \"five\""_s;
    QTest::newRow("list") << QByteArray("[1]") << qint64(1) << intMax << qint64(0)
                          << u"expected a whole number, found a list"_s;
    QTest::newRow("zero, positive wanted")
        << QByteArray("0") << qint64(1) << intMax << qint64(0) << u"must be a positive whole number, found 0"_s;
    QTest::newRow("below floor") << QByteArray("-1") << qint64(0) << intMax << qint64(0)
                                 << u"must be at least 0, found -1"_s;
    QTest::newRow("above type") << QByteArray("3000000000") << qint64(1) << intMax << qint64(0)
                                << u"is too large (at most 2147483647), found 3000000000"_s;
    QTest::newRow("outside range") << QByteArray("11") << qint64(0) << qint64(10) << qint64(0)
                                   << u"must be between 0 and 10, found 11"_s;
}

void TestYamlReader::integers()
{
    QFETCH(QByteArray, written);
    QFETCH(qint64, min);
    QFETCH(qint64, max);
    QFETCH(qint64, expected);
    QFETCH(QString, error);
    YamlReader reader(kFileName);
    const MapView top = topOf(reader, load("retries: " + written));
    const std::optional<qint64> number = reader.integer(*top.given(u"retries"_s), min, max);
    if (error.isEmpty()) {
        QCOMPARE(number, std::optional<qint64>(expected));
        QVERIFY2(reader.errors().isEmpty(), qPrintable(describeErrors(reader)));
    } else {
        QVERIFY(!number);
        QCOMPARE(onlyError(reader), u"1|retries|"_s + error);
    }
}

void TestYamlReader::decimals_data()
{
    QTest::addColumn<QByteArray>("written");
    QTest::addColumn<bool>("exclusive");
    QTest::addColumn<double>("expected");
    QTest::addColumn<QString>("error");
    QTest::newRow("decimal") << QByteArray("0.25") << true << 0.25 << QString();
    QTest::newRow("whole") << QByteArray("3") << true << 3.0 << QString();
    QTest::newRow("exponent") << QByteArray("1e3") << true << 1000.0 << QString();
    QTest::newRow("zero allowed") << QByteArray("0") << false << 0.0 << QString();
    QTest::newRow("zero refused") << QByteArray("0") << true << 0.0 << u"must be greater than 0, found 0"_s;
    QTest::newRow("negative") << QByteArray("-0.5") << false << 0.0 << u"must be at least 0, found -0.5"_s;
    QTest::newRow("quoted") << QByteArray("'0.5'") << true << 0.0
                            << u"expected a number, found the quoted text \"0.5\" (write numbers without quotes)"_s;
    QTest::newRow("infinite") << QByteArray("1e999") << true << 0.0 << u"expected a number, found `1e999`"_s;
    QTest::newRow("dot only") << QByteArray(".") << true << 0.0 << u"expected a number, found `.`"_s;
}

void TestYamlReader::decimals()
{
    QFETCH(QByteArray, written);
    QFETCH(bool, exclusive);
    QFETCH(double, expected);
    QFETCH(QString, error);
    YamlReader reader(kFileName);
    const MapView top = topOf(reader, load("delay: " + written));
    double out = -1;
    reader.readDecimal(top, u"delay"_s, &out, 0, exclusive);
    if (error.isEmpty()) {
        QCOMPARE(out, expected);
        QVERIFY2(reader.errors().isEmpty(), qPrintable(describeErrors(reader)));
    } else {
        QCOMPARE(out, -1.0); // left as it was
        QCOMPARE(onlyError(reader), u"1|delay|"_s + error);
    }
}

void TestYamlReader::booleans_data()
{
    QTest::addColumn<QByteArray>("written");
    QTest::addColumn<std::optional<bool>>("expected");
    QTest::newRow("true") << QByteArray("true") << std::optional<bool>(true);
    QTest::newRow("yes") << QByteArray("yes") << std::optional<bool>(true);
    QTest::newRow("On") << QByteArray("On") << std::optional<bool>(true);
    QTest::newRow("FALSE") << QByteArray("FALSE") << std::optional<bool>(false);
    QTest::newRow("no") << QByteArray("no") << std::optional<bool>(false);
    QTest::newRow("off") << QByteArray("off") << std::optional<bool>(false);
    QTest::newRow("mixed case") << QByteArray("tRue") << std::optional<bool>();
    QTest::newRow("quoted") << QByteArray("\"true\"") << std::optional<bool>();
    QTest::newRow("number") << QByteArray("1") << std::optional<bool>();
}

void TestYamlReader::booleans()
{
    QFETCH(QByteArray, written);
    QFETCH(std::optional<bool>, expected);
    YamlReader reader(kFileName);
    const MapView top = topOf(reader, load("agent: " + written));
    const Value *value = top.given(u"agent"_s);
    QCOMPARE(reader.boolean(*value), expected);
    if (!expected)
        QCOMPARE(onlyError(reader), u"1|agent|expected true or false, found "_s + YamlReader::describe(value->node));
}

void TestYamlReader::durations_data()
{
    QTest::addColumn<QByteArray>("written");
    QTest::addColumn<std::optional<double>>("seconds");
    QTest::newRow("milliseconds") << QByteArray("500ms") << std::optional<double>(0.5);
    QTest::newRow("seconds") << QByteArray("2s") << std::optional<double>(2);
    QTest::newRow("minutes") << QByteArray("1.5m") << std::optional<double>(90);
    QTest::newRow("hours") << QByteArray("1h") << std::optional<double>(3600);
    QTest::newRow("plain number") << QByteArray("3") << std::optional<double>(3);
    QTest::newRow("unknown unit") << QByteArray("2d") << std::optional<double>();
    QTest::newRow("quoted") << QByteArray("'2s'") << std::optional<double>();
}

void TestYamlReader::durations()
{
    QFETCH(QByteArray, written);
    QFETCH(std::optional<double>, seconds);
    YamlReader reader(kFileName);
    const MapView top = topOf(reader, load("backoff: " + written));
    const Value *value = top.given(u"backoff"_s);
    QCOMPARE(reader.duration(*value), seconds);
    if (!seconds)
        QCOMPARE(onlyError(reader),
                 u"1|backoff|expected a duration (e.g. 500ms, 2s, 1m, or a number of seconds), found "_s
                     + YamlReader::describe(value->node));
}

void TestYamlReader::texts_data()
{
    QTest::addColumn<QByteArray>("written");
    QTest::addColumn<bool>("allowEmpty");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("error");
    QTest::newRow("plain") << QByteArray("hello") << false << u"hello"_s << QString();
    QTest::newRow("number is text") << QByteArray("42") << false << u"42"_s << QString();
    QTest::newRow("trimmed") << QByteArray("'  hi  '") << false << u"hi"_s << QString();
    QTest::newRow("empty refused") << QByteArray("''") << false << QString() << u"must not be empty"_s;
    QTest::newRow("empty allowed") << QByteArray("''") << true << QString() << QString();
    QTest::newRow("map") << QByteArray("{a: 1}") << false << QString() << u"expected a text value, found a map"_s;
}

void TestYamlReader::texts()
{
    QFETCH(QByteArray, written);
    QFETCH(bool, allowEmpty);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    YamlReader reader(kFileName);
    const MapView top = topOf(reader, load("prompt: " + written));
    const std::optional<QString> result = reader.text(*top.given(u"prompt"_s), allowEmpty);
    if (error.isEmpty()) {
        QCOMPARE(result, std::optional<QString>(expected));
        QVERIFY2(reader.errors().isEmpty(), qPrintable(describeErrors(reader)));
    } else {
        QVERIFY(!result);
        QCOMPARE(onlyError(reader), u"1|prompt|"_s + error);
    }
}

void TestYamlReader::textListNamesTheBadElement()
{
    YamlReader reader(kFileName);
    const MapView top = topOf(reader, YAML::Load("models:\n  - grok\n  - {name: x}\n  - llama\n"));
    QStringList models{u"unchanged"_s};
    reader.readTextList(top, u"models"_s, &models);
    QCOMPARE(models, QStringList{u"unchanged"_s});
    QCOMPARE(onlyError(reader), u"3|models[1]|expected a text value, found a map"_s);

    YamlReader good(kFileName);
    good.readTextList(topOf(good, YAML::Load("models: [grok, llama]")), u"models"_s, &models);
    QCOMPARE(models, (QStringList{u"grok"_s, u"llama"_s}));
}

void TestYamlReader::environmentNameNeverEchoesTheValue()
{
    YamlReader reader(kFileName);
    const MapView top = topOf(reader, YAML::Load("api_key_env: xai-SECRET123\nother: XAI_API_KEY\n"));
    QVERIFY(!reader.environmentName(*top.given(u"api_key_env"_s)));
    QCOMPARE(reader.environmentName(*top.given(u"other"_s)), std::optional<QString>(u"XAI_API_KEY"_s));
    QCOMPARE(reader.errors().size(), 1);
    QVERIFY(!reader.errors().constFirst().toString().contains(u"SECRET"_s));
    QVERIFY(reader.errors().constFirst().message.startsWith(u"must be the name of an environment variable"_s));
}

void TestYamlReader::choices()
{
    YamlReader reader(kFileName);
    const MapView top = topOf(reader, YAML::Load("a: XML\nb: sometimes\n"));
    LlmToolMode a = LlmToolMode::Auto;
    LlmToolMode b = LlmToolMode::Auto;
    const QStringList names{u"auto"_s, u"native"_s, u"xml"_s};
    reader.readChoice(top, u"a"_s, &a, &parseLlmToolMode, names);
    reader.readChoice(top, u"b"_s, &b, &parseLlmToolMode, names);
    QVERIFY(a == LlmToolMode::Xml); // case-insensitive
    QVERIFY(b == LlmToolMode::Auto);
    QCOMPARE(onlyError(reader), u"2|b|unknown value `sometimes`; valid values: auto, native, xml"_s);
}

void TestYamlReader::inlineSecretsAreRefused()
{
    YamlReader reader(kFileName);
    const MapView top = topOf(reader, YAML::Load("name: x\napi_key: sk-123\n"));
    reader.refuseInlineKey(top, u"api_key"_s);
    QCOMPARE(reader.errors().size(), 1);
    QCOMPARE(reader.errors().constFirst().line, 2);
    QVERIFY(!reader.errors().constFirst().message.contains(u"sk-123"_s));
    QVERIFY(reader.errors().constFirst().message.contains(u"`api_key_env`"_s));
}

void TestYamlReader::variantKeepsYaml12Types()
{
    YamlReader reader(kFileName);
    const MapView top = topOf(reader,
                              YAML::Load("options: {word: no, flag: true, count: 3, ratio: 0.5, "
                                         "quoted: \"3\", list: [1, two]}"));
    const QVariantMap options = reader.variant(*top.given(u"options"_s)).toMap();
    QCOMPARE(options.value(u"word"_s), QVariant(u"no"_s)); // YAML 1.1's boolean `no` stays text
    QCOMPARE(options.value(u"flag"_s), QVariant(true));
    QCOMPARE(options.value(u"count"_s), QVariant(qlonglong(3)));
    QCOMPARE(options.value(u"ratio"_s), QVariant(0.5));
    QCOMPARE(options.value(u"quoted"_s), QVariant(u"3"_s));
    QCOMPARE(options.value(u"list"_s), QVariant(QVariantList{qlonglong(1), u"two"_s}));
    QVERIFY(reader.errors().isEmpty());
}

void TestYamlReader::describeShortensLongText()
{
    const YAML::Node root = YAML::Load("long: " + std::string(50, 'x') + "\nblock: |\n  first line\n  second\n");
    QCOMPARE(YamlReader::describe(root["long"]), u"`"_s + QString(40, u'x') + u"…`"_s);
    QCOMPARE(YamlReader::describe(root["block"]), u"the quoted text \"first line…\""_s);
    QCOMPARE(YamlReader::describe(YAML::Load("~")), u"nothing"_s);
}

void TestYamlReader::otherFilesKeepTheirOwnPlace()
{
    YamlReader reader(kFileName);
    reader.errorIn(u"replies.yaml"_s, 7, u"replies[2].text"_s, u"must not be empty"_s);
    reader.warn(3, u"x"_s, u"careful"_s);
    QCOMPARE(reader.errorCount(), 1);
    QCOMPARE(reader.errors().constFirst().toString(), u"replies.yaml:7: replies[2].text: must not be empty"_s);
    QCOMPARE(reader.warnings().constFirst().toString(), u"test.yaml:3: x: careful"_s);
}

QTEST_GUILESS_MAIN(TestYamlReader)
#include "tst_yamlreader.moc"
