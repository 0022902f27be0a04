#include "config/listenersreader.h"
#include "errorlines.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

// `listeners:` read as the loader reads it, given what `payloads:` and the top level declared.
struct ListenersRead
{
    YamlReader yaml{u"test.yaml"_s};
    QStringList declaredTypes;
    QHash<QString, int> strayTypes;
    OrganismConfig config;
    std::optional<ListenersReader> listeners;

    void read(const char *text)
    {
        const std::optional<YamlReader::MapView> top = yaml.mapOf(YamlReader::document(YAML::Load(text)), {});
        QVERIFY(top);
        listeners.emplace(yaml, QString(), declaredTypes, strayTypes);
        listeners->read(*top, &config);
    }
};

} // namespace

// What the listeners take from the other sections (declared and stray payload types) and give to them
// (the names budgets and scripted replies may refer to).
class TestListenersReader : public QObject
{
    Q_OBJECT

private slots:
    void namesIncludeListenersThatFailed();
    void payloadClassNamesAStrayType();
    void peersAreCheckedOnceAllAreKnown();
};

void TestListenersReader::namesIncludeListenersThatFailed()
{
    ListenersRead read;
    read.declaredTypes = {u"Greeting"_s};
    read.read("listeners:\n"
              "  - {name: greeter, description: d, payload_class: Greeting, handler: builtin:echo}\n"
              "  - {name: broken, description: d, payload_class: Greeting, handler: builtin:nope}\n"
              "  - {name: Greeter, description: d, payload_class: Greeting, handler: builtin:echo}\n");
    // `broken` failed (unknown built-in) but is still a name others may refer to; `Greeter` is a duplicate.
    QCOMPARE(read.listeners->names(), (QStringList{u"greeter"_s, u"broken"_s}));
    QCOMPARE(read.config.listeners.size(), 1);
    QCOMPARE(read.yaml.errors().size(), 2);
    QCOMPARE(read.yaml.errors().at(0).key, u"listeners[1].handler"_s);
    QCOMPARE(read.yaml.errors().at(1).message,
             u"duplicate listener name `Greeter` (first on line 2; names are compared ignoring case)"_s);
}

void TestListenersReader::payloadClassNamesAStrayType()
{
    ListenersRead read;
    read.declaredTypes = {u"Greeting"_s};
    read.strayTypes = {{u"Verdict"_s, 9}};
    read.read("listeners:\n"
              "  - {name: a, description: d, payload_class: Verdict, handler: builtin:sink}\n"
              "  - {name: b, description: d, payload_class: app.Greting, handler: builtin:sink}\n");
    QCOMPARE(errorLines(read.yaml),
             (QStringList{u"2|listeners[0].payload_class|`Verdict` is not a declared payload type: the `Verdict` on "
                          "line 9 is at the top level, not under `payloads:`; indent it under `payloads:`"_s,
                          u"3|listeners[1].payload_class|`app.Greting` names no declared payload type `Greting` (did "
                          "you mean `Greeting`?); declared types: Greeting"_s}));
}

void TestListenersReader::peersAreCheckedOnceAllAreKnown()
{
    ListenersRead read;
    read.declaredTypes = {u"G"_s};
    read.read("listeners:\n"
              "  - {name: a, description: d, payload_class: G, handler: builtin:sink, peers: [b, c]}\n"
              "  - {name: b, description: d, payload_class: G, handler: builtin:sink}\n");
    QVERIFY(read.yaml.errors().isEmpty()); // `b` is written after `a`: nothing is said while reading
    read.listeners->checkPeers();
    QCOMPARE(errorLines(read.yaml),
             QStringList{u"2|listeners[0].peers[1]|peer `c` is not a listener in this file; listeners: a, b"_s});
}

QTEST_GUILESS_MAIN(TestListenersReader)
#include "tst_listenersreader.moc"
