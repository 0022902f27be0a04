// LlmBackendModel: the LLM backends from the session, their state in the operator's words, and the
// reason an agent's queue grows (AgentModel's Queue column) when a backend holds its calls up.

#include "agentmodel.h"
#include "fakesession.h"
#include "llmbackendmodel.h"
#include "modelspies.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

LlmBackendState backend(const QString &name)
{
    LlmBackendState state;
    state.name = name;
    state.provider = u"xai"_s;
    state.models = {u"grok-4"_s};
    state.streaming = true;
    state.maxConcurrent = 4;
    state.rateLimitTpm = 100000;
    state.tokensLeft = 100000;
    return state;
}

AgentInfo llmAgent(const QString &name, int queued)
{
    AgentInfo agent;
    agent.name = name;
    agent.isAgent = true;
    agent.queueDepth = queued;
    return agent;
}

} // namespace

class TestLlmBackendModel : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        session.emplace();
        LlmBackendState measured = backend(u"xai"_s);
        measured.calls = 12;
        measured.latencyP50Ms = 812.4;
        measured.latencyP95Ms = 2400.0;
        measured.ttftP50Ms = 210.0;
        measured.ttftP95Ms = 655.0;
        LlmBackendState local = backend(u"local"_s);
        local.provider = u"ollama"_s;
        local.models = {};
        local.streaming = false;
        local.rateLimitTpm = 0;
        session->snapshot.llmBackends = {measured, local};
        session->snapshot.agents = {llmAgent(u"writer"_s, 9662), llmAgent(u"critic"_s, 0)};
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

    void showsTheFigures()
    {
        QCOMPARE(columnTexts(*model, LlmBackendModel::NameColumn), (QStringList{u"xai"_s, u"local"_s}));
        QCOMPARE(model->index(0, LlmBackendModel::StateColumn).data().toString(), u"ok"_s);
        QCOMPARE(model->index(0, LlmBackendModel::InFlightColumn).data().toString(), u"0 / 4"_s);
        QCOMPARE(model->index(0, LlmBackendModel::TokensLeftColumn).data().toString(), u"100,000 of 100,000"_s);
        QCOMPARE(model->index(0, LlmBackendModel::LatencyColumn).data().toString(), u"812 / 2,400 ms"_s);
        QCOMPARE(model->index(0, LlmBackendModel::TtftColumn).data().toString(), u"210 / 655 ms"_s);
        QCOMPARE(model->index(1, LlmBackendModel::ModelsColumn).data().toString(), u"by name"_s);
        QCOMPARE(model->index(1, LlmBackendModel::TokensLeftColumn).data().toString(), u"unlimited"_s);
        QCOMPARE(model->index(1, LlmBackendModel::LatencyColumn).data().toString(), u"—"_s);
        QCOMPARE(model->index(1, LlmBackendModel::TtftColumn).data().toString(), u"not streamed"_s);
    }

    void statesInTheOperatorsWords_data()
    {
        QTest::addColumn<int>("health");
        QTest::addColumn<bool>("bucket");
        QTest::addColumn<int>("active");
        QTest::addColumn<int>("queued");
        QTest::addColumn<QString>("expected");
        QTest::newRow("rate-limited") << int(LlmBackendState::Health::RateLimited) << false << 0 << 0
                                      << u"rate-limited for 12 s"_s;
        QTest::newRow("bucket") << int(LlmBackendState::Health::Ok) << true << 1 << 7
                                << u"waiting for its token bucket: 420 of 100,000 tokens a minute left"_s;
        QTest::newRow("busy") << int(LlmBackendState::Health::Ok) << false << 4 << 9
                              << u"all slots busy (4), 9 queued"_s;
        QTest::newRow("fine") << int(LlmBackendState::Health::Ok) << false << 3 << 0 << QString();
    }
    void statesInTheOperatorsWords()
    {
        QFETCH(int, health);
        QFETCH(bool, bucket);
        QFETCH(int, active);
        QFETCH(int, queued);
        QFETCH(QString, expected);
        LlmBackendState state = backend(u"xai"_s);
        state.health = LlmBackendState::Health(health);
        state.rateLimitedForSeconds = 11.2;
        state.waitingForTokens = bucket;
        state.tokensLeft = 420;
        state.active = active;
        state.queued = queued;
        QCOMPARE(LlmBackendModel::holdUpText(state), expected);
        // A table cell leaves out the figures its columns show.
        QVERIFY(expected.startsWith(LlmBackendModel::holdUpText(state, LlmBackendModel::Wording::Brief)));
        QCOMPARE(state.holdsCalls(), !expected.isEmpty());
    }

    void aFailingBackendSaysSinceWhenAndWhy()
    {
        LlmBackendState failing = backend(u"xai"_s);
        failing.health = LlmBackendState::Health::Failing;
        failing.failingSince = QDateTime(QDate(2026, 2, 10), QTime(12, 0), Qt::UTC);
        failing.lastError = u"HTTP 500: upstream error"_s;
        QSignalSpy changed(&*model, &QAbstractItemModel::dataChanged);
        session->replaceLlmBackends({failing, session->llmBackends().last()});
        QCOMPARE(changed.size(), 1); // the first row, whole
        QVERIFY(model->index(0, LlmBackendModel::StateColumn)
                    .data()
                    .toString()
                    .startsWith(u"failing since "_s + failing.failingSince.toLocalTime().toString(u"yyyy-MM-dd"_s)));
        QVERIFY(model->index(0, LlmBackendModel::StateColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .endsWith(u"\nHTTP 500: upstream error"_s));
        QCOMPARE(model->index(0, LlmBackendModel::StateColumn).data(LlmBackendModel::HoldsCallsRole).toBool(), true);
        // Nothing new: no signal.
        session->replaceLlmBackends(session->llmBackends());
        QCOMPARE(changed.size(), 1);
    }

    // "queue 9,662" on an LLM agent comes with the reason: its backend's token bucket.
    void theAgentsQueueSaysWhyItGrows()
    {
        AgentModel agents(&*session);
        QAbstractItemModelTester agentTester(&agents, QAbstractItemModelTester::FailureReportingMode::Fatal);
        const QModelIndex writerQueue = agents.index(agents.rowOf(u"writer"_s), AgentModel::QueueDepthColumn);
        QCOMPARE(writerQueue.data().toString(), u"9,662"_s);
        QSignalSpy changed(&agents, &QAbstractItemModel::dataChanged);

        LlmBackendState waiting = backend(u"xai"_s);
        waiting.waitingForTokens = true;
        waiting.tokensLeft = 420;
        waiting.active = 1;
        waiting.queued = 3;
        waiting.agents = {u"writer"_s};
        session->replaceLlmBackends({waiting, session->llmBackends().last()});
        QCOMPARE(changedRanges(changed),
                 QStringList{u"0,%1-0,%1 [%2]"_s.arg(AgentModel::QueueDepthColumn)
                                 .arg(rolesText({Qt::DisplayRole, Qt::ToolTipRole}))});
        QCOMPARE(writerQueue.data().toString(), u"9,662 · xai: waiting for its token bucket"_s);
        QCOMPARE(writerQueue.data(AgentModel::RawValueRole).toInt(), 9662); // still sorts as a number
        QCOMPARE(writerQueue.data(Qt::ToolTipRole).toString(),
                 u"Its LLM calls wait at xai: waiting for its token bucket: 420 of 100,000 tokens a minute left"_s);
        const QModelIndex criticQueue = agents.index(agents.rowOf(u"critic"_s), AgentModel::QueueDepthColumn);
        QCOMPARE(criticQueue.data().toString(), u"0"_s); // its calls are not there

        waiting.waitingForTokens = false;
        waiting.queued = 0;
        session->replaceLlmBackends({waiting, session->llmBackends().last()});
        QCOMPARE(writerQueue.data().toString(), u"9,662"_s);
    }

private:
    std::optional<FakeSession> session;
    std::optional<LlmBackendModel> model;
    std::optional<QAbstractItemModelTester> tester;
};

QTEST_GUILESS_MAIN(TestLlmBackendModel)
#include "tst_llmbackendmodel.moc"
