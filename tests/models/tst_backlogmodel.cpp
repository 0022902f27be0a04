// BacklogModel: the listeners with work, from the organism's saturation; rows keep their place while
// their listener has work, finished ones go, new ones are appended.

#include "backlogmodel.h"
#include "fakesession.h"
#include "modelspies.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

OrganismInfo withBacklog(const QList<AgentBacklog> &backlog)
{
    OrganismInfo info;
    info.name = u"o"_s;
    info.status = OrganismStatus::Running;
    info.saturation.backlog = backlog;
    return info;
}

} // namespace

class TestBacklogModel : public QObject
{
    Q_OBJECT

private slots:
    void followsTheSaturation()
    {
        FakeSession session;
        session.snapshot.organism = withBacklog({{u"greeter"_s, 9000, 5, 12.5}, {u"shouter"_s, 3, 1, 0}});
        session.open();
        BacklogModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, BacklogModel::AgentColumn).data().toString(), u"greeter"_s);
        QCOMPARE(model.index(0, BacklogModel::QueuedColumn).data().toString(), u"9,000"_s);
        QCOMPARE(model.index(0, BacklogModel::RateLimitColumn).data().toString(), u"12.5 s"_s);
        QCOMPARE(model.index(1, BacklogModel::RateLimitColumn).data().toString(), QString());
        QCOMPARE(model.index(0, BacklogModel::QueuedColumn).data(BacklogModel::RawValueRole).toInt(), 9000);

        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        // The shouter is done, the greeter's queue shrank, the sink got work.
        session.replaceOrganism(withBacklog({{u"greeter"_s, 8000, 5, 3.0}, {u"sink"_s, 1, 0, 0}}));
        QCOMPARE(rowRanges(removed), QStringList{u"1,1"_s});
        QCOMPARE(rowRanges(inserted), QStringList{u"1,1"_s});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(resets.size(), 0);
        QCOMPARE(model.index(0, BacklogModel::QueuedColumn).data().toString(), u"8,000"_s);
        QCOMPARE(model.index(1, BacklogModel::AgentColumn).data().toString(), u"sink"_s);

        // Nothing changed: nothing reported.
        session.replaceOrganism(withBacklog({{u"greeter"_s, 8000, 5, 3.0}, {u"sink"_s, 1, 0, 0}}));
        QCOMPARE(changed.size(), 1);

        session.close();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestBacklogModel)
#include "tst_backlogmodel.moc"
