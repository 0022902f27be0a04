#include "organism/reloadplanner.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

ListenerConfig listener(const QString &name, const QString &type = u"Text"_s)
{
    ListenerConfig config;
    config.name = name;
    config.payloadType = type;
    config.handler.builtin = u"echo"_s;
    return config;
}

PayloadTypeSpec textType(const QString &field)
{
    PayloadTypeSpec type;
    type.name = u"Text"_s;
    type.fields.append(FieldSpec{field, u"string"_s, false, false, 0});
    return type;
}

OrganismConfig organism(QList<ListenerConfig> listeners)
{
    OrganismConfig config;
    config.listeners = std::move(listeners);
    config.payloads = {textType(u"text"_s)};
    return config;
}

} // namespace

class TestReloadPlanner : public QObject
{
    Q_OBJECT

private slots:
    void nothingChanged()
    {
        const OrganismConfig config = organism({listener(u"a"_s), listener(u"b"_s)});
        const ReloadPlan plan = ReloadPlanner::plan(config, config, {u"a"_s, u"b"_s});
        QVERIFY(plan.added.isEmpty());
        QVERIFY(plan.updated.isEmpty());
        QVERIFY(plan.removed.isEmpty());
        QVERIFY(!plan.llmChanged);
    }

    void addedUpdatedAndRemoved()
    {
        const OrganismConfig current = organism({listener(u"a"_s), listener(u"b"_s), listener(u"c"_s)});
        ListenerConfig changed = listener(u"b"_s);
        changed.description = u"now with a description"_s;
        const OrganismConfig next = organism({listener(u"new2"_s), changed, listener(u"a"_s), listener(u"new1"_s)});
        const ReloadPlan plan = ReloadPlanner::plan(current, next, {u"c"_s, u"a"_s, u"b"_s});
        QCOMPARE(plan.added, (QStringList{u"new2"_s, u"new1"_s})); // the new config's order
        QCOMPARE(plan.updated, QStringList{u"b"_s});
        QCOMPARE(plan.removed, QStringList{u"c"_s});
        QVERIFY(plan.builds(u"new1"_s));
        QVERIFY(plan.builds(u"b"_s));
        QVERIFY(!plan.builds(u"a"_s));
    }

    void aChangedPayloadTypeChangesItsListeners()
    {
        const OrganismConfig current = organism({listener(u"a"_s)});
        OrganismConfig next = current;
        next.payloads = {textType(u"body"_s)};
        QCOMPARE(ReloadPlanner::plan(current, next, {u"a"_s}).updated, QStringList{u"a"_s});
    }

    void everyBehaviourFieldCounts_data()
    {
        QTest::addColumn<int>("field");
        for (int i = 0; i < 8; ++i)
            QTest::addRow("field %d", i) << i;
    }

    void everyBehaviourFieldCounts()
    {
        QFETCH(int, field);
        const ListenerConfig a = listener(u"a"_s);
        ListenerConfig b = a;
        switch (field) {
        case 0:
            b.peers = QStringList{u"x"_s};
            break;
        case 1:
            b.prompt = u"be brief"_s;
            break;
        case 2:
            b.model = u"m"_s;
            break;
        case 3:
            b.timeoutSeconds = 5;
            break;
        case 4:
            b.options.insert(u"template"_s, u"{x}"_s);
            break;
        case 5:
            b.handler.builtin = u"shout"_s;
            break;
        case 6:
            b.handler.argv = QStringList{u"prog"_s};
            break;
        case 7:
            b.broadcast = !a.broadcast;
            break;
        }
        const OrganismConfig config = organism({a});
        QVERIFY(ReloadPlanner::sameListener(a, a, config, config));
        QVERIFY(!ReloadPlanner::sameListener(a, b, config, config));
    }

    void llmRoutingChanges()
    {
        OrganismConfig current = organism({});
        LlmBackendConfig backend;
        backend.name = u"main"_s;
        backend.provider = u"openai"_s;
        current.llm.backends = {backend};
        OrganismConfig next = current;
        QVERIFY(!ReloadPlanner::plan(current, next, {}).llmChanged);
        next.llm.backends[0].models = QStringList{u"gpt-4o"_s};
        QVERIFY(ReloadPlanner::plan(current, next, {}).llmChanged);
        next = current;
        next.llm.backends.append(backend);
        QVERIFY(ReloadPlanner::plan(current, next, {}).llmChanged);
    }
};

QTEST_GUILESS_MAIN(TestReloadPlanner)
#include "tst_reloadplanner.moc"
