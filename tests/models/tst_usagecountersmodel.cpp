// UsageByModelModel and UsageByAgentModel: rows in order of first appearance from the session's usage
// snapshot, new keys as one insert, changed counters as coalesced dataChanged, a reset of the counters
// as a model reset, raw values and the unpriced-call marker.

#include "fakesession.h"
#include "modelspies.h"
#include "usagebyagentmodel.h"
#include "usagebymodelmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

UsageCounters counters(const QString &key, qint64 prompt, qint64 completion, qint64 requests, double cost,
                       double latency = 100)
{
    UsageCounters c{key};
    c.promptTokens = prompt;
    c.completionTokens = completion;
    c.totalTokens = prompt + completion;
    c.requestCount = requests;
    c.totalCost = cost;
    c.totalLatencyMs = latency * double(requests);
    return c;
}

} // namespace

class TestUsageCountersModel : public QObject
{
    Q_OBJECT

private:
    // Puts the counters where the model under test reads them.
    UsageSnapshot snapshotWith(const QList<UsageCounters> &rows) const
    {
        UsageSnapshot usage;
        (byModel ? usage.byModel : usage.byAgent) = rows;
        return usage;
    }
    void create()
    {
        QFETCH_GLOBAL(bool, perModel);
        byModel = perModel;
        session.emplace();
        session->snapshot.usage = snapshotWith({counters(u"first"_s, 100, 50, 1, 0.5)});
        session->open();
        if (byModel)
            model = std::make_unique<UsageByModelModel>(&*session);
        else
            model = std::make_unique<UsageByAgentModel>(&*session);
        tester.emplace(model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    }

private slots:
    void initTestCase_data()
    {
        QTest::addColumn<bool>("perModel");
        QTest::newRow("per model") << true;
        QTest::newRow("per agent") << false;
    }
    void init() { create(); }
    void cleanup()
    {
        tester.reset();
        model.reset();
        session.reset();
    }

    // The bill's categories, the attempts that were not ok, and the streaming figures have columns.
    void showsTheBillsCategoriesAndTimeToFirstToken()
    {
        UsageCounters streamed = counters(u"first"_s, 1000, 300, 2, 0.5);
        streamed.cachedPromptTokens = 400;
        streamed.cacheWriteTokens = 200;
        streamed.reasoningTokens = 120;
        streamed.unusableRequests = 1;
        streamed.abortedRequests = 1;
        streamed.ttftSumMs = 700;
        streamed.ttftCount = 2;
        streamed.tokensPerSecondSum = 90;
        streamed.tokensPerSecondCount = 2;
        session->replaceUsage(snapshotWith({streamed}));
        QCOMPARE(model->index(0, UsageCountersModel::CachedColumn).data(UsageCountersModel::RawValueRole).toLongLong(),
                 400);
        QCOMPARE(
            model->index(0, UsageCountersModel::CacheWriteColumn).data(UsageCountersModel::RawValueRole).toLongLong(),
            200);
        QCOMPARE(
            model->index(0, UsageCountersModel::ReasoningColumn).data(UsageCountersModel::RawValueRole).toLongLong(),
            120);
        QCOMPARE(model->index(0, UsageCountersModel::NotOkColumn).data(UsageCountersModel::RawValueRole).toLongLong(),
                 2);
        QCOMPARE(
            model->index(0, UsageCountersModel::AverageTtftColumn).data(UsageCountersModel::RawValueRole).toDouble(),
            350.0);
        QVERIFY(model->index(0, UsageCountersModel::AverageTtftColumn).data().toString().contains(u"350"_s));
        QCOMPARE(model->index(0, UsageCountersModel::TokensPerSecondColumn).data().toString(), u"45.0"_s);
        QCOMPARE(model->headerData(UsageCountersModel::AverageTtftColumn, Qt::Horizontal).toString(), u"Avg TTFT"_s);
        // Nothing streamed: no TTFT at all, rather than 0 ms or a blank cell.
        session->replaceUsage(snapshotWith({counters(u"first"_s, 1, 1, 1, 0)}));
        QCOMPARE(model->index(0, UsageCountersModel::AverageTtftColumn).data().toString(), u"—"_s);
        QCOMPARE(model->index(0, UsageCountersModel::TokensPerSecondColumn).data().toString(), u"—"_s);
        QVERIFY(!model->index(0, UsageCountersModel::TokensPerSecondColumn)
                     .data(UsageCountersModel::RawValueRole)
                     .isValid());
    }

    void readsTheSnapshot()
    {
        QCOMPARE(model->rowCount(), 1);
        QCOMPARE(model->headerData(UsageCountersModel::KeyColumn, Qt::Horizontal).toString(),
                 byModel ? u"Model"_s : u"Agent"_s);
        const auto cell = [this](int column, int role = Qt::DisplayRole) { return model->index(0, column).data(role); };
        QCOMPARE(cell(UsageCountersModel::KeyColumn).toString(), u"first"_s);
        QCOMPARE(cell(UsageCountersModel::TokensColumn, UsageCountersModel::RawValueRole).toLongLong(), 150);
        QCOMPARE(cell(UsageCountersModel::PromptColumn, UsageCountersModel::RawValueRole).toLongLong(), 100);
        QCOMPARE(cell(UsageCountersModel::CompletionColumn, UsageCountersModel::RawValueRole).toLongLong(), 50);
        QCOMPARE(cell(UsageCountersModel::RequestsColumn, UsageCountersModel::RawValueRole).toLongLong(), 1);
        QCOMPARE(cell(UsageCountersModel::CostColumn, UsageCountersModel::RawValueRole).toDouble(), 0.5);
        QCOMPARE(cell(UsageCountersModel::CostColumn).toString(), u"$0.5000"_s);
        QCOMPARE(cell(UsageCountersModel::AverageLatencyColumn, UsageCountersModel::RawValueRole).toDouble(), 100.0);
        QVERIFY(!cell(UsageCountersModel::CostColumn, Qt::ToolTipRole).isValid());
    }

    void growsAndChangesInFewSignals()
    {
        QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy reset(model.get(), &QAbstractItemModel::modelReset);
        // One more call for "first" (tokens, completion, requests, cost change; prompt and latency do not),
        // and two new keys.
        session->replaceUsage(
            snapshotWith({counters(u"first"_s, 100, 90, 2, 0.7), counters(u"second"_s, 10, 10, 1, 0.1),
                          counters(u"third"_s, 1, 1, 1, 0.0)}));
        QCOMPARE(reset.size(), 0);
        QCOMPARE(rowRanges(inserted), QStringList{u"1,2"_s});
        QCOMPARE(changedRanges(changed),
                 QStringList{u"0,%1-0,%2 [%3]"_s.arg(UsageCountersModel::TokensColumn)
                                 .arg(UsageCountersModel::CostColumn)
                                 .arg(rolesText({Qt::DisplayRole, Qt::ToolTipRole, UsageCountersModel::RawValueRole,
                                                 UsageCountersModel::UnpricedRequestsRole}))});
        QCOMPARE(columnTexts(*model, UsageCountersModel::KeyColumn),
                 (QStringList{u"first"_s, u"second"_s, u"third"_s}));
    }

    void unpricedCallsAreMarked()
    {
        UsageCounters unpriced = counters(u"first"_s, 100, 50, 2, 0.5);
        unpriced.unpricedRequests = 1;
        QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);
        session->replaceUsage(snapshotWith({unpriced}));
        QCOMPARE(changed.size(), 1);
        const QModelIndex cost = model->index(0, UsageCountersModel::CostColumn);
        QCOMPARE(cost.data(UsageCountersModel::UnpricedRequestsRole).toLongLong(), 1);
        QVERIFY(cost.data(Qt::ToolTipRole).toString().contains(u"lower bound"_s));
    }

    void aResetOfTheCountersResetsTheModel()
    {
        QSignalSpy reset(model.get(), &QAbstractItemModel::modelReset);
        bool done = false;
        session->resetUsage(this, [&done](const Result<> &result) { done = result.has_value(); });
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model->rowCount(), 0);
        QTRY_VERIFY(done);
    }

private:
    bool byModel = true;
    std::optional<FakeSession> session;
    std::unique_ptr<UsageCountersModel> model;
    std::optional<QAbstractItemModelTester> tester;
};

QTEST_GUILESS_MAIN(TestUsageCountersModel)
#include "tst_usagecountersmodel.moc"
