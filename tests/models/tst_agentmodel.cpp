// AgentModel: rows in registration order, one insert per batch of new agents, coalesced dataChanged
// naming exactly the cells and roles that changed, raw values for sorting, state colour and icon roles;
// and the same model following a real organism on its engine thread.

#include "agentmodel.h"
#include "fakesession.h"
#include "localsession.h"
#include "modelformat.h"
#include "modelspies.h"
#include "testengine.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

AgentInfo agentNamed(const QString &name, qint64 messages = 0)
{
    AgentInfo agent;
    agent.name = name;
    agent.description = name + u" listener"_s;
    agent.messageCount = messages;
    return agent;
}

const QByteArray kChain = R"(
organism: {name: agents}
payloads:
  Greeting: {name: string}
  GreetingResponse: {message: string, original_sender: string}
listeners:
  - name: greeter
    description: Greets
    payload_class: Greeting
    handler: builtin:format
    peers: [sink]
    options: {message: "Hello, {name}!", original_sender: "{from}"}
  - name: sink
    description: Ends the chain
    payload_class: GreetingResponse
    handler: builtin:sink
)";

} // namespace

class TestAgentModel : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        session.emplace();
        session->snapshot.agents = {agentNamed(u"alpha"_s), agentNamed(u"beta"_s), agentNamed(u"gamma"_s)};
        session->open();
        model.emplace(&*session);
        tester.emplace(&*model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    }
    void cleanup()
    {
        tester.reset();
        model.reset();
        session.reset();
    }

    void rowsFollowRegistrationOrder()
    {
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(model->columnCount(), int(AgentModel::ColumnCount));
        QCOMPARE(columnTexts(*model, AgentModel::NameColumn), (QStringList{u"alpha"_s, u"beta"_s, u"gamma"_s}));
        QCOMPARE(model->rowOf(u"gamma"_s), 2);
        QCOMPARE(model->rowOf(u"nobody"_s), -1);
        QCOMPARE(model->headerData(AgentModel::QueueDepthColumn, Qt::Horizontal).toString(), u"Queue"_s);
    }

    void newAgentsOfABatchAreOneInsert()
    {
        QSignalSpy inserted(&*model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&*model, &QAbstractItemModel::dataChanged);
        session->applyAgentChanges({agentNamed(u"delta"_s), agentNamed(u"beta"_s, 4), agentNamed(u"epsilon"_s)});
        QCOMPARE(rowRanges(inserted), QStringList{u"3,4"_s});
        QCOMPARE(columnTexts(*model, AgentModel::NameColumn),
                 (QStringList{u"alpha"_s, u"beta"_s, u"gamma"_s, u"delta"_s, u"epsilon"_s}));
        const QString roles = rolesText({Qt::DisplayRole, AgentModel::RawValueRole});
        QCOMPARE(changedRanges(changed), QStringList{u"1,%1-1,%1 [%2]"_s.arg(AgentModel::MessagesColumn).arg(roles)});
    }

    void changesNameTheirCellsAndRoles_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QStringList>("expected");

        const QString plain = rolesText({Qt::DisplayRole, AgentModel::RawValueRole});
        const QString state = rolesText({Qt::DisplayRole, Qt::DecorationRole, AgentModel::RawValueRole,
                                         AgentModel::StateRole, AgentModel::StateColorRole,
                                         AgentModel::StateIconNameRole});
        const int s = AgentModel::StateColumn;
        const int q = AgentModel::QueueDepthColumn;
        QTest::newRow("nothing") << u"none"_s << QStringList();
        QTest::newRow("state") << u"state"_s << QStringList{u"1,%1-1,%1 [%2]"_s.arg(s).arg(state)};
        QTest::newRow("queue depth") << u"queue"_s << QStringList{u"1,%1-1,%1 [%2]"_s.arg(q).arg(plain)};
        QTest::newRow("state and queue depth: one range, the union of the roles")
            << u"state queue"_s
            << QStringList{u"1,%1-1,%2 [%3]"_s.arg(s).arg(q).arg(
                   rolesText({Qt::DisplayRole, Qt::DecorationRole, AgentModel::RawValueRole, AgentModel::StateRole,
                              AgentModel::StateColorRole, AgentModel::StateIconNameRole}))};
        QTest::newRow("last error: tooltip only")
            << u"error"_s
            << QStringList{u"1,%1-1,%1 [%2]"_s.arg(s).arg(rolesText({Qt::ToolTipRole, AgentModel::LastErrorRole}))};
        // The current thread's cell has the whole id as its tooltip.
        QTest::newRow("current thread and last activity")
            << u"thread activity"_s
            << QStringList{u"1,%1-1,%2 [%3]"_s.arg(AgentModel::CurrentThreadColumn)
                               .arg(AgentModel::LastActivityColumn)
                               .arg(rolesText({Qt::DisplayRole, Qt::ToolTipRole, AgentModel::RawValueRole}))};
    }
    void changesNameTheirCellsAndRoles()
    {
        QFETCH(QString, change);
        QFETCH(QStringList, expected);
        AgentInfo beta = session->agent(u"beta"_s).value();
        const QStringList parts = change.split(u' ');
        if (parts.contains(u"state"_s))
            beta.state = AgentState::Paused;
        if (parts.contains(u"queue"_s))
            beta.queueDepth = 7;
        if (parts.contains(u"error"_s))
            beta.lastError = u"boom"_s;
        if (parts.contains(u"thread"_s))
            beta.currentThread = u"t-1"_s;
        if (parts.contains(u"activity"_s))
            beta.lastActivity = QDateTime(QDate(2026, 2, 10), QTime(12, 0), Qt::UTC);
        QSignalSpy changed(&*model, &QAbstractItemModel::dataChanged);
        session->applyAgentChanges({beta});
        QCOMPARE(changedRanges(changed), expected);
    }

    void neighbouringRowsShareOneRange()
    {
        QList<AgentInfo> changes;
        for (const QString &name : {u"alpha"_s, u"beta"_s}) {
            AgentInfo agent = session->agent(name).value();
            agent.queueDepth = 2;
            changes << agent;
        }
        AgentInfo gammaActivity = session->agent(u"gamma"_s).value();
        gammaActivity.messageCount = 3;
        QSignalSpy changed(&*model, &QAbstractItemModel::dataChanged);
        session->applyAgentChanges(changes);
        QCOMPARE(changedRanges(changed), QStringList{u"0,%1-1,%1 [0 256]"_s.arg(AgentModel::QueueDepthColumn)});

        // alpha and gamma are not neighbours: two ranges.
        changed.clear();
        AgentInfo alpha = session->agent(u"alpha"_s).value();
        alpha.queueDepth = 0;
        session->applyAgentChanges({gammaActivity, alpha});
        QCOMPARE(changedRanges(changed),
                 (QStringList{u"0,%1-0,%1 [0 256]"_s.arg(AgentModel::QueueDepthColumn),
                              u"2,%1-2,%1 [0 256]"_s.arg(AgentModel::MessagesColumn)}));
    }

    void usageFillsTokensAndCost()
    {
        UsageSnapshot usage;
        UsageCounters gamma{u"gamma"_s};
        gamma.totalTokens = 1500;
        gamma.totalCost = 0.0125;
        gamma.requestCount = 2;
        usage.byAgent = {gamma};
        QSignalSpy changed(&*model, &QAbstractItemModel::dataChanged);
        session->replaceUsage(usage);
        QCOMPARE(changedRanges(changed),
                 QStringList{u"2,%1-2,%2 [%3]"_s.arg(AgentModel::TokensColumn)
                                 .arg(AgentModel::CostColumn)
                                 .arg(rolesText({Qt::DisplayRole, Qt::ToolTipRole, AgentModel::RawValueRole}))});
        QCOMPARE(model->index(2, AgentModel::TokensColumn).data(AgentModel::RawValueRole).toLongLong(), 1500);
        QCOMPARE(model->index(2, AgentModel::CostColumn).data().toString(), modelformat::cost(0.0125));

        changed.clear();
        session->replaceUsage(usage); // the same numbers: nothing to repaint
        QVERIFY(changed.isEmpty());
    }

    void stateRolesGiveColourAndIcon_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("icon");
        QTest::newRow("idle") << int(AgentState::Idle) << u"idle"_s << u"media-playback-stop"_s;
        QTest::newRow("processing") << int(AgentState::Processing) << u"processing"_s << u"media-playback-start"_s;
        QTest::newRow("waiting") << int(AgentState::Waiting) << u"waiting"_s << u"appointment-soon"_s;
        QTest::newRow("error") << int(AgentState::Error) << u"error"_s << u"dialog-error"_s;
        QTest::newRow("paused") << int(AgentState::Paused) << u"paused"_s << u"media-playback-pause"_s;
    }
    void stateRolesGiveColourAndIcon()
    {
        QFETCH(int, state);
        QFETCH(QString, text);
        QFETCH(QString, icon);
        AgentInfo alpha = session->agent(u"alpha"_s).value();
        alpha.state = AgentState(state);
        session->applyAgentChanges({alpha});
        const QModelIndex cell = model->index(0, AgentModel::StateColumn);
        QCOMPARE(cell.data().toString(), text);
        QCOMPARE(cell.data(AgentModel::StateRole).toInt(), state);
        QCOMPARE(cell.data(AgentModel::StateIconNameRole).toString(), icon);
        QCOMPARE(cell.data(AgentModel::StateColorRole).value<QColor>(), modelformat::stateColor(AgentState(state)));
        QCOMPARE(cell.data(Qt::DecorationRole).value<QColor>(), modelformat::stateColor(AgentState(state)));
        // State roles belong to the state cell only, where their dataChanged is reported.
        QVERIFY(!model->index(0, AgentModel::NameColumn).data(AgentModel::StateRole).isValid());
    }

    void sortsOnRawValues()
    {
        QList<AgentInfo> counts;
        for (const auto &[name, messages] :
             {std::pair(u"alpha"_s, 9), std::pair(u"beta"_s, 10), std::pair(u"gamma"_s, 100)})
            counts << agentNamed(name, messages);
        session->applyAgentChanges(counts);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&*model);
        proxy.setSortRole(AgentModel::RawValueRole);
        proxy.sort(AgentModel::MessagesColumn, Qt::AscendingOrder);
        // As text, "10" < "100" < "9"; as numbers 9 < 10 < 100.
        QCOMPARE(columnTexts(proxy, AgentModel::NameColumn), (QStringList{u"alpha"_s, u"beta"_s, u"gamma"_s}));
        QCOMPARE(model->index(0, AgentModel::MessagesColumn).data(AgentModel::RawValueRole).typeId(),
                 QMetaType::LongLong);
    }

    void agentListResetsTheModel()
    {
        QSignalSpy reset(&*model, &QAbstractItemModel::modelReset);
        session->replaceAgents({agentNamed(u"solo"_s)});
        QCOMPARE(reset.size(), 1);
        QCOMPARE(columnTexts(*model, AgentModel::NameColumn), QStringList{u"solo"_s});
    }

    void followsARealOrganismOnItsThread()
    {
        QTemporaryDir dir;
        TestEngine engine(TestEngine::Threading::OwnThread);
        QString error;
        QVERIFY2(engine.start(kChain, dir.path(), &error), qPrintable(error));
        LocalSession local(engine.organism());
        AgentModel live(&local);
        QAbstractItemModelTester liveTester(&live, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy reset(&live, &QAbstractItemModel::modelReset);
        local.open();
        QTRY_COMPARE(live.rowCount(), 2);
        QCOMPARE(reset.size(), 1);

        QSignalSpy changed(&live, &QAbstractItemModel::dataChanged);
        InjectRequest request;
        request.to = u"greeter"_s;
        request.fields.insert(u"name"_s, u"Dan"_s);
        bool injected = false;
        local.inject(request, this, [&](const InjectResult &result) { injected = result.has_value(); });
        QTRY_VERIFY(injected);
        QTRY_COMPARE(live.index(0, AgentModel::MessagesColumn).data(AgentModel::RawValueRole).toLongLong(), 1);
        QVERIFY(!changed.isEmpty());
        QVERIFY(live.index(0, AgentModel::LastActivityColumn).data(AgentModel::RawValueRole).toDateTime().isValid());
    }

private:
    std::optional<FakeSession> session;
    std::optional<AgentModel> model;
    std::optional<QAbstractItemModelTester> tester;
};

QTEST_GUILESS_MAIN(TestAgentModel)
#include "tst_agentmodel.moc"
