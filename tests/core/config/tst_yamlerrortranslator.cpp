// yaml-cpp's messages read back into which key, what is wrong and how to fix it: each row is a mistake
// people make in organism.yaml, the line and key the message names, and the fix it must state.

#include "config/configloader.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

class tst_YamlErrorTranslator : public QObject
{
    Q_OBJECT
private slots:
    void mistakes_data();
    void mistakes();
    void theParserIsStillQuoted();
};

void tst_YamlErrorTranslator::mistakes_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("fix");

    QTest::newRow("? unquoted in a flow map")
        << QByteArray("payloads:\n  Ticket: {text: string, priority: integer?}\n") << 2 << u"payloads.Ticket.priority"_s
        << u"quote `integer?` inside `{…}`: write `priority: \"integer?\"`"_s;
    QTest::newRow("? in a nested flow map")
        << QByteArray("payloads: {Ticket: {text: string}, Other: {a: boolean?}}\n") << 1 << u"payloads.Other.a"_s
        << u"quote `boolean?` inside `{…}`: write `a: \"boolean?\"`"_s;
    QTest::newRow("[] unquoted in a flow map")
        << QByteArray("payloads:\n  Ticket: {text: string, tags: string[]}\n") << 2 << u"payloads.Ticket.tags"_s
        << u"quote `string[]` inside `{…}`: write `tags: \"string[]\"`"_s;
    QTest::newRow("[]? unquoted in a flow map")
        << QByteArray("payloads:\n  Ticket: {text: string, tags: string[]?}\n") << 2 << u"payloads.Ticket.tags"_s
        << u"quote `string[]?` inside `{…}`: write `tags: \"string[]?\"`"_s;
    QTest::newRow("key indented under a value")
        << QByteArray("listeners:\n  - name: a\n    description: x\n      peers: [b]\n") << 4 << u"listeners[0].peers"_s
        << u"check the indentation of `peers` (line 4): it is indented more than `description` (line 3) above it, "
           "which already has a value; line it up with `description` (column 5)"_s;
    QTest::newRow("organism key indented under a value")
        << QByteArray("organism:\n  name: x\n   port: 1\n") << 3 << u"organism.port"_s
        << u"check the indentation of `port` (line 3)"_s;
    QTest::newRow("colon inside a value")
        << QByteArray("listeners:\n  - name: a\n    prompt: You are: a bot\n") << 3 << u"listeners[0].prompt"_s
        << u"the value of `prompt` contains `: `, which YAML reads as another key: quote the value (`prompt: \"You are: "
           "a bot\"`) or write it as a block (`prompt: |`"_s;
    QTest::newRow("key outdented out of a list entry")
        << QByteArray("listeners:\n  - name: a\n    description: x\n   peers: [b]\n") << 4 << u"listeners[0].peers"_s
        << u"check the indentation of `peers` (line 4): it starts in column 4, which lines up with no key above it; "
           "start it in column 5 like `description` (line 3)"_s;
    QTest::newRow("field outdented in a payload type")
        << QByteArray("payloads:\n  Ticket:\n    text: string\n   priority: integer\n") << 4
        << u"payloads.Ticket.priority"_s << u"check the indentation of `priority` (line 4): it starts in column 4"_s;
    QTest::newRow("list entry indented one space too far")
        << QByteArray("listeners:\n  - name: a\n  - name: b\n   description: c\n") << 4 << u"listeners[1].description"_s
        << u"check the indentation of `description` (line 4)"_s;
    QTest::newRow("second listener key at the dash column")
        << QByteArray("listeners:\n  - name: a\n    description: x\n  peers: [b]\n") << 4 << u"listeners[0].peers"_s
        << u"check the indentation of `peers` (line 4): it starts in column 3, the column of the dash of the list "
           "entry on line 2, so it is outside that entry; start it in column 5 like `name`"_s;
    QTest::newRow("indentless list") << QByteArray("listeners:\n- name: a\n  description: x\n peers: [b]\n") << 4
                                     << u"listeners[0].peers"_s
                                     << u"start it in column 3 like `description` (line 3)"_s;
    QTest::newRow("extra closing brace") << QByteArray("organism: {name: x}}\n") << 1 << u"organism"_s
                                         << u"a `}` at column 20 closes nothing: remove it"_s;
    QTest::newRow("? after a space") << QByteArray("payloads:\n  Ticket: {text: string, priority: integer ?}\n") << 2
                                     << u"payloads.Ticket.priority"_s << u"quote `integer?` inside `{…}`"_s;
    QTest::newRow("block text outdented")
        << QByteArray("listeners:\n  - name: a\n    prompt: |\n      hello\n     world\n    peers: [b]\n") << 5
        << u"listeners[0].prompt"_s
        << u"check the indentation of line 5: it is inside the block text of `prompt` (line 3), whose lines must all "
           "start at least in column 7"_s;
    QTest::newRow("flow map not closed") << QByteArray("organism: {name: x\nlisteners: []\n") << 1 << u"organism"_s
                                         << u"the map `{` opened on line 1 (column 11) is not closed: add `}`"_s;
    QTest::newRow("flow list not closed")
        << QByteArray("listeners:\n  - name: a\n    peers: [b, c\n  - name: b\n") << 3 << u"listeners[0].peers"_s
        << u"the list `[` opened on line 3 (column 12) is not closed: add `]`"_s;
    QTest::newRow("braces in a flow value")
        << QByteArray("listeners:\n  - name: a\n    options: {message: Hello, {name}!}\n") << 3
        << u"listeners[0].options.message"_s << u"must be quoted, e.g. `message: \"Hello, {name}!\"`"_s;
    QTest::newRow("list on the key's line")
        << QByteArray("listeners:\n  - name: a\n    peers: - b\n") << 3 << u"listeners[0].peers"_s
        << u"a list cannot start on the line of its key: write `peers: [b]`"_s;
    QTest::newRow("tab indentation") << QByteArray("listeners:\n  - name: a\n\tdescription: x\n") << 3 << QString()
                                     << u"line 3 is indented with a tab; YAML indents with spaces only"_s;
    QTest::newRow("value starting with @")
        << QByteArray("listeners:\n  - name: a\n    description: @mention\n") << 3 << u"listeners[0].description"_s
        << u"a value cannot start with `@` in YAML: quote it, `description: \"@mention\"`"_s;
    QTest::newRow("unknown escape") << QByteArray("listeners:\n  - name: a\n    prompt: \"say \\q\"\n") << 3
                                    << u"listeners[0].prompt"_s
                                    << u"write \\\\ for a backslash, or use single quotes"_s;
}

void tst_YamlErrorTranslator::mistakes()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(QString, key);
    QFETCH(QString, fix);

    const ConfigLoadResult result = ConfigLoader::loadText(yaml, u"organism.yaml"_s);
    QCOMPARE(result.errors.size(), 1);
    const ConfigError &error = result.errors.first();
    QVERIFY2(error.message.startsWith(u"invalid YAML: "_s), qPrintable(error.toString()));
    QVERIFY2(error.message.contains(fix), qPrintable(error.toString()));
    QCOMPARE(error.line, line);
    QCOMPARE(error.key, key);
}

void tst_YamlErrorTranslator::theParserIsStillQuoted()
{
    const ConfigLoadResult result = ConfigLoader::loadText("payloads:\n  Ticket: {text: string, priority: integer?}\n",
                                                           u"organism.yaml"_s);
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors.first().message.endsWith(u"(the YAML reader said: unknown token at column 43)"_s),
             qPrintable(result.errors.first().message));
}

QTEST_GUILESS_MAIN(tst_YamlErrorTranslator)
#include "tst_yamlerrortranslator.moc"
