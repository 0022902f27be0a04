// CapabilityModel: one row per listener, sorted by name as the session gives them, with schema and
// example as roles; replaced as a whole when the capabilities change.

#include "capabilitymodel.h"
#include "fakesession.h"
#include "modelspies.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

Capability capability(const QString &name, bool agent, const QStringList &peers = {})
{
    Capability c;
    c.name = name;
    c.description = name + u" does things"_s;
    c.isAgent = agent;
    c.peers = peers;
    c.payloadType = u"Greeting"_s;
    c.payloadClass = u"handlers.hello.Greeting"_s;
    c.rootTag = u"Greeting"_s;
    c.schemaXsd = u"<xs:schema/>"_s;
    c.exampleXml = u"<Greeting><Name>x</Name></Greeting>"_s;
    return c;
}

} // namespace

class TestCapabilityModel : public QObject
{
    Q_OBJECT

private slots:
    void rowsAndRoles()
    {
        FakeSession session;
        session.snapshot.capabilities = {capability(u"greeter"_s, false, {u"shouter"_s, u"sink"_s}),
                                         capability(u"writer"_s, true)};
        session.open();
        CapabilityModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(columnTexts(model, CapabilityModel::NameColumn), (QStringList{u"greeter"_s, u"writer"_s}));
        QCOMPARE(columnTexts(model, CapabilityModel::KindColumn), (QStringList{u"handler"_s, u"agent"_s}));
        QCOMPARE(model.index(0, CapabilityModel::PeersColumn).data().toString(), u"shouter, sink"_s);
        QCOMPARE(model.index(0, CapabilityModel::PeersColumn).data(CapabilityModel::PeersRole).toStringList(),
                 (QStringList{u"shouter"_s, u"sink"_s}));
        QCOMPARE(model.index(1, 0).data(CapabilityModel::IsAgentRole).toBool(), true);
        QCOMPARE(model.index(0, 0).data(CapabilityModel::SchemaXsdRole).toString(), u"<xs:schema/>"_s);
        QCOMPARE(model.index(0, 0).data(CapabilityModel::ExampleXmlRole).toString(),
                 u"<Greeting><Name>x</Name></Greeting>"_s);
        QCOMPARE(model.index(0, 0).data(CapabilityModel::PayloadClassRole).toString(), u"handlers.hello.Greeting"_s);
        QCOMPARE(model.rowOf(u"writer"_s), 1);

        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        session.replaceCapabilities({capability(u"echo"_s, false)});
        QCOMPARE(reset.size(), 1);
        QCOMPARE(columnTexts(model, CapabilityModel::NameColumn), QStringList{u"echo"_s});
    }

    void emptyUntilConnected()
    {
        FakeSession session;
        session.snapshot.capabilities = {capability(u"greeter"_s, false)};
        CapabilityModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(model.rowCount(), 0);
        session.open();
        QCOMPARE(model.rowCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCapabilityModel)
#include "tst_capabilitymodel.moc"
