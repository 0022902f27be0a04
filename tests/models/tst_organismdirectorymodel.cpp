// OrganismDirectoryModel and CombinedUsageModel over hand-driven sessions: the local one first, the
// attached ones after it, the organisms found in a shared history once (not those a session shows), their
// status words, rows leaving with their session; the combined usage sums live counters and the history's
// billing, with a totals row. Both under QAbstractItemModelTester.

#include "combinedusagemodel.h"
#include "fakesession.h"
#include "organismdirectorymodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

HistoryInstance instance(const QString &organism, const QString &name, bool self, bool running = true)
{
    HistoryInstance found;
    found.organism = organism;
    found.instance = name;
    found.host = u"host-"_s + name;
    found.pid = 4242;
    found.running = running;
    found.isThisProcess = self;
    found.lastSeen = QDateTime(QDate(2026, 12, 5), QTime(8, 0), Qt::UTC);
    return found;
}

std::unique_ptr<FakeSession> organismSession(const QString &name)
{
    auto session = std::make_unique<FakeSession>();
    session->snapshot.organism.name = name;
    session->snapshot.organism.status = OrganismStatus::Running;
    return session;
}

QStringList column(const QAbstractItemModel &model, int column)
{
    QStringList texts;
    for (int row = 0; row < model.rowCount(); ++row)
        texts << model.index(row, column).data().toString();
    return texts;
}

UsageSnapshot usage(qint64 prompt, qint64 completion, qint64 cached, qint64 requests, double cost)
{
    UsageSnapshot snapshot;
    snapshot.totals.promptTokens = prompt;
    snapshot.totals.completionTokens = completion;
    snapshot.totals.totalTokens = prompt + completion;
    snapshot.totals.cachedPromptTokens = cached;
    snapshot.totals.requestCount = requests;
    snapshot.totals.totalCost = cost;
    return snapshot;
}

} // namespace

class TestOrganismDirectoryModel : public QObject
{
    Q_OBJECT

private slots:
    void listsLocalAttachedAndFoundOnce()
    {
        OrganismDirectoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        auto local = organismSession(u"alpha"_s);
        auto remote = organismSession(u"beta"_s);
        // One PostgreSQL history shared by alpha/a1 (local), beta/b1 (attached) and gamma/g1 (neither).
        local->historyInstances = {instance(u"alpha"_s, u"a1"_s, true), instance(u"beta"_s, u"b1"_s, false),
                                   instance(u"gamma"_s, u"g1"_s, false, false)};
        remote->historyInstances = {instance(u"beta"_s, u"b1"_s, true), instance(u"alpha"_s, u"a1"_s, false),
                                    instance(u"gamma"_s, u"g1"_s, false, false)};
        model.setLocalSession(local.get(), u"http://127.0.0.1:8765"_s);
        local->open();
        QTRY_COMPARE(model.rowCount(), 3); // alpha, and beta and gamma from its history
        QCOMPARE(model.kindAt(1), OrganismDirectoryModel::Kind::InHistory);

        model.addSession(remote.get(), u"http://10.0.0.7:8765"_s);
        QCOMPARE(model.index(1, OrganismDirectoryModel::StatusColumn).data().toString(), u"not connected"_s);
        remote->open();
        // beta is now a connection, and so no longer a row of the history: listed once.
        QTRY_COMPARE(column(model, OrganismDirectoryModel::NameColumn),
                     QStringList({u"alpha (a1)"_s, u"beta (b1)"_s, u"gamma (g1)"_s}));
        QCOMPARE(column(model, OrganismDirectoryModel::KindColumn),
                 QStringList({u"local"_s, u"attached"_s, u"in history"_s}));
        QCOMPARE(model.index(0, OrganismDirectoryModel::StatusColumn).data().toString(), u"running"_s);
        QCOMPARE(model.index(1, OrganismDirectoryModel::StatusColumn).data().toString(), u"connected"_s);
        QVERIFY2(model.index(2, OrganismDirectoryModel::StatusColumn)
                     .data()
                     .toString()
                     .startsWith(
                         u"not running, last seen "_s
                         + QDateTime(QDate(2026, 12, 5), QTime(8, 0), Qt::UTC).toLocalTime().toString(u"yyyy-MM-dd"_s)),
                 qPrintable(model.index(2, OrganismDirectoryModel::StatusColumn).data().toString()));
        QCOMPARE(model.sessionAt(2), nullptr);
        QCOMPARE(model.historySourceAt(2), local.get());
        QCOMPARE(model.historyKeyAt(2), u"gamma/g1"_s);
        QVERIFY(!(model.flags(model.index(2, 0)) & Qt::ItemIsSelectable)); // cannot be shown live
        QVERIFY(model.index(2, 0).data(Qt::ToolTipRole).toString().contains(u"connect to its API"_s));
        QCOMPARE(model.index(1, OrganismDirectoryModel::EndpointColumn).data().toString(), u"http://10.0.0.7:8765"_s);

        // gamma starts somewhere: the next read says where.
        local->historyInstances[2].running = true;
        model.refreshHistories();
        QTRY_COMPARE(model.index(2, OrganismDirectoryModel::StatusColumn).data().toString(),
                     u"running on host-g1, pid 4242"_s);

        // The connection goes: said with its reason; removed, its row leaves and the rest stays.
        remote->close();
        QCOMPARE(model.index(1, OrganismDirectoryModel::StatusColumn).data().toString(), u"not connected"_s);
        model.removeSession(remote.get());
        QTRY_COMPARE(column(model, OrganismDirectoryModel::NameColumn),
                     QStringList({u"alpha (a1)"_s, u"beta (b1)"_s, u"gamma (g1)"_s}));
        QCOMPARE(model.kindAt(1), OrganismDirectoryModel::Kind::InHistory); // still in alpha's history
        QCOMPARE(model.rowOf(remote.get()), -1);
    }

    void aSessionThatGoesAwayLeavesItsRow()
    {
        OrganismDirectoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        auto local = organismSession(u"alpha"_s);
        model.setLocalSession(local.get());
        auto remote = organismSession(u"beta"_s);
        model.addSession(remote.get(), u"http://10.0.0.7:8765"_s);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1, 0).data().toString(), u"http://10.0.0.7:8765"_s); // no name before it connects
        remote->open();
        QCOMPARE(model.index(1, 0).data().toString(), u"beta"_s); // a SQLite history has no instance
        remote.reset();
        QCOMPARE(model.rowCount(), 1);
        model.setLocalSession(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    // A server without the extension (the original): listed, never asked for a history.
    void aServerWithoutSharedHistoryIsNotAsked()
    {
        OrganismDirectoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        auto remote = organismSession(u"original"_s);
        remote->snapshot.abilities.sharesHistory = false;
        remote->historyInstances = {instance(u"other"_s, u"x"_s, false)};
        model.addSession(remote.get(), u"http://127.0.0.1:8080"_s);
        remote->open();
        model.refreshHistories();
        QTest::qWait(0);
        QCOMPARE(remote->historyInstanceReads, 0);
        QCOMPARE(model.rowCount(), 1);
    }

    void combinedUsageSumsLiveAndHistory()
    {
        OrganismDirectoryModel directory;
        CombinedUsageModel combined(&directory);
        QAbstractItemModelTester tester(&combined, QAbstractItemModelTester::FailureReportingMode::Fatal);
        auto local = organismSession(u"alpha"_s);
        local->snapshot.usage = usage(1000, 200, 300, 4, 0.5);
        local->historyInstances = {instance(u"alpha"_s, u"a1"_s, true), instance(u"gamma"_s, u"g1"_s, false)};
        OrganismBilling gamma{u"gamma"_s, u"g1"_s, 70, 50, 20, 2, 0.25, 1, 30};
        local->historyBilling = HistoryBilling{{gamma}, QDateTime::currentDateTimeUtc()};
        auto remote = organismSession(u"beta"_s);
        remote->snapshot.usage = usage(100, 20, 0, 1, 0.125);
        directory.setLocalSession(local.get());
        directory.addSession(remote.get(), u"http://10.0.0.7:8765"_s);
        local->open();
        remote->open();
        QTRY_COMPARE(combined.rowCount(), 4); // alpha, beta, gamma, totals
        QTRY_VERIFY(
            combined.index(2, CombinedUsageModel::SourceColumn).data().toString().startsWith(u"history, read at"_s));
        QCOMPARE(combined.index(0, CombinedUsageModel::SourceColumn).data().toString(),
                 u"live, since its last reset"_s);
        QCOMPARE(column(combined, CombinedUsageModel::TokensColumn),
                 QStringList({u"1,200"_s, u"120"_s, u"70"_s, u"1,390"_s}));
        QCOMPARE(column(combined, CombinedUsageModel::RequestsColumn), QStringList({u"4"_s, u"1"_s, u"2"_s, u"7"_s}));
        QCOMPARE(column(combined, CombinedUsageModel::CachedColumn), QStringList({u"300"_s, u"0"_s, u"—"_s, u"300"_s}));
        QCOMPARE(column(combined, CombinedUsageModel::UnpricedColumn), QStringList({u"0"_s, u"0"_s, u"1"_s, u"1"_s}));
        QCOMPARE(combined.index(3, CombinedUsageModel::CostColumn).data(CombinedUsageModel::RawValueRole).toDouble(),
                 0.875);
        QCOMPARE(combined.index(3, CombinedUsageModel::OrganismColumn).data().toString(), u"All organisms"_s);

        // Live counters move with usageChanged: the row and the totals follow.
        QSignalSpy changed(&combined, &QAbstractItemModel::dataChanged);
        remote->replaceUsage(usage(400, 100, 0, 3, 0.25));
        QVERIFY(!changed.isEmpty());
        QCOMPARE(column(combined, CombinedUsageModel::TokensColumn),
                 QStringList({u"1,200"_s, u"500"_s, u"70"_s, u"1,770"_s}));

        // A connection that is gone has no figures, and adds none.
        remote->close();
        QCOMPARE(combined.index(1, CombinedUsageModel::TokensColumn).data().toString(), QString());
        QCOMPARE(combined.index(1, CombinedUsageModel::SourceColumn).data().toString(), u"not connected"_s);
        QCOMPARE(combined.index(3, CombinedUsageModel::TokensColumn).data().toString(), u"1,270"_s);
        directory.removeSession(remote.get());
        QCOMPARE(combined.rowCount(), 3);
    }
};

QTEST_GUILESS_MAIN(TestOrganismDirectoryModel)
#include "tst_organismdirectorymodel.moc"
