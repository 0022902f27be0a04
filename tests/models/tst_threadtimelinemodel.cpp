// ThreadTimelineModel: a thread's timeline as a tree (hops; their payload, LLM calls with prompt and
// response, and errors), kept current from live batches without resetting what the operator has open;
// on a hand-driven session (exact answers and signals) and on a real organism.

#include "helloworldyaml.h"
#include "fakesession.h"
#include "localsession.h"
#include "modelspies.h"
#include "testengine.h"
#include "threadtimelinemodel.h"
#include "injectandwait.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

namespace {

using Model = ThreadTimelineModel;

const QDateTime kAt(QDate(2026, 2, 10), QTime(12, 0), Qt::UTC);

TraceHop hop(qint64 seq, const QString &from, const QString &to, std::optional<HandlerRun> run = std::nullopt)
{
    TraceHop hop;
    hop.message.seq = seq;
    hop.message.id = u"m-%1"_s.arg(seq);
    hop.message.threadId = u"t"_s;
    hop.message.from = from;
    hop.message.to = to;
    hop.message.payloadType = u"Greeting"_s;
    hop.message.xml = "<Greeting><Name>Ada</Name></Greeting>";
    hop.message.timestamp = kAt.addSecs(seq);
    hop.run = run;
    return hop;
}

HandlerRun ran(qint64 seq, int waitMs, int handlerMs, const QString &error = {})
{
    const QDateTime started = kAt.addSecs(seq).addMSecs(waitMs);
    return HandlerRun{seq, started, handlerMs < 0 ? QDateTime() : started.addMSecs(handlerMs), error};
}

LlmExchange call(std::optional<double> cost)
{
    LlmExchange exchange;
    exchange.usage.model = u"gpt-4o-mini"_s;
    exchange.usage.provider = u"openai"_s;
    exchange.usage.promptTokens = 1200;
    exchange.usage.cachedPromptTokens = 1024;
    exchange.usage.completionTokens = 80;
    exchange.usage.totalTokens = 1280;
    exchange.usage.latencyMs = 900;
    exchange.usage.estimatedCost = cost;
    exchange.prompt = {{u"system"_s, u"You greet."_s}, {u"user"_s, u"Message from api:\n<Greeting/>"_s}};
    exchange.response = u"<GreetingResponse><Message>Hi</Message></GreetingResponse>"_s;
    return exchange;
}

ThreadTrace trace(QList<TraceHop> hops, ThreadStatus status = ThreadStatus::Active)
{
    ThreadTrace trace;
    trace.thread.id = u"t"_s;
    trace.thread.status = status;
    trace.hops = std::move(hops);
    trace.totalHops = trace.hops.size();
    return trace;
}

QString text(const QAbstractItemModel &model, int row, int column, const QModelIndex &parent = {})
{
    return model.index(row, column, parent).data().toString();
}

const QByteArray kChain = test::HelloWorldYaml("timeline").sink("sink").text();

} // namespace

class TestThreadTimelineModel : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        session.emplace();
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

    void hopsWithTheirRunsCallsAndErrors()
    {
        model->setThreadId(u"t"_s);
        QCOMPARE(session->timelineCalls.size(), 1);
        QCOMPARE(session->timelineCalls.first().limit, Model::kDefaultLimit);
        QVERIFY(model->isLoading());
        TraceHop failed = hop(2, u"greeter"_s, u"shouter"_s, ran(2, 40, 1500, u"shouter timed out after 1.5 s"_s));
        failed.llm = {call(0.00023), call(std::nullopt)};
        QVERIFY(session->answerTimeline(
            trace({hop(1, u"api"_s, u"greeter"_s, ran(1, 5, 120)), failed, hop(3, u"shouter"_s, u"sink"_s)})));
        QVERIFY(!model->isLoading());
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(text(*model, 0, Model::HopColumn), u"api → greeter · Greeting"_s);
        QCOMPARE(text(*model, 0, Model::WaitColumn), u"5.0 ms"_s);
        QCOMPARE(text(*model, 0, Model::HandlerColumn), u"120.0 ms"_s);
        QCOMPARE(text(*model, 0, Model::OutcomeColumn), u"done"_s);
        QCOMPARE(model->index(0, Model::WaitColumn).data(Model::RawValueRole).toDouble(), 5.0);
        QCOMPARE(text(*model, 1, Model::OutcomeColumn), u"failed"_s);
        QCOMPARE(model->index(1, Model::OutcomeColumn).data(Qt::ToolTipRole).toString(),
                 u"shouter timed out after 1.5 s"_s);
        QVERIFY(model->index(1, 0).data(Model::FailedRole).toBool());
        QCOMPARE(text(*model, 1, Model::LlmColumn), u"2 × gpt-4o-mini · 2,560 tokens"_s);
        QCOMPARE(text(*model, 1, Model::CostColumn), u"$0.0002 + unpriced"_s);
        QCOMPARE(text(*model, 2, Model::OutcomeColumn), u"waiting"_s); // its thread is still active

        // Under the failed hop: its payload, both calls, then the error; under a call its prompt and response.
        const QModelIndex second = model->index(1, 0);
        QCOMPARE(model->rowCount(second), 4);
        const auto kind = [&](int row, const QModelIndex &parent) {
            return Model::RowKind(model->index(row, 0, parent).data(Model::KindRole).toInt());
        };
        QCOMPARE(kind(0, second), Model::RowKind::Payload);
        QCOMPARE(kind(1, second), Model::RowKind::LlmCall);
        QCOMPARE(kind(3, second), Model::RowKind::Error);
        QCOMPARE(model->index(0, 0, second).data(Model::TextRole).toString(),
                 u"<Greeting><Name>Ada</Name></Greeting>"_s);
        QCOMPARE(model->index(3, 0, second).data(Model::TextRole).toString(), u"shouter timed out after 1.5 s"_s);
        QCOMPARE(text(*model, 1, Model::HopColumn, second), u"LLM call 1: gpt-4o-mini (openai)"_s);
        QCOMPARE(text(*model, 1, Model::LlmColumn, second), u"1,200 in (1,024 cached) · 80 out"_s);
        QCOMPARE(model->index(1, Model::LlmColumn, second).data(Qt::ToolTipRole).toString(),
                 u"1,200 prompt (1,024 cached) · 80 completion"_s);
        QCOMPARE(text(*model, 1, Model::HandlerColumn, second), u"900.0 ms"_s);
        QCOMPARE(text(*model, 2, Model::CostColumn, second), u"unpriced"_s);
        const QModelIndex firstCall = model->index(1, 0, second);
        QCOMPARE(model->rowCount(firstCall), 2);
        QCOMPARE(kind(0, firstCall), Model::RowKind::Prompt);
        QCOMPARE(text(*model, 0, 0, firstCall), u"Prompt: 65 characters"_s);
        QVERIFY(
            model->index(0, 0, firstCall).data(Model::TextRole).toString().startsWith(u"── system ──\nYou greet."_s));
        QCOMPARE(model->index(1, 0, firstCall).data(Model::TextRole).toString(),
                 u"<GreetingResponse><Message>Hi</Message></GreetingResponse>"_s);
        QCOMPARE(model->rowCount(model->index(0, 0, firstCall)), 0);
        QCOMPARE(model->messageAt(model->index(0, 0, firstCall))->seq, 2);
        QCOMPARE(model->hopIndex(3).row(), 2);
    }

    void liveChangesKeepWhatIsShown()
    {
        model->setThreadId(u"t"_s);
        QVERIFY(session->answerTimeline(trace({hop(1, u"api"_s, u"greeter"_s, ran(1, 5, -1))})));
        QCOMPARE(text(*model, 0, Model::HandlerColumn), u"running…"_s);
        QSignalSpy resets(&*model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&*model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&*model, &QAbstractItemModel::dataChanged);

        // Another thread's batch: nothing to read again.
        MessageRecord other = hop(9, u"api"_s, u"x"_s).message;
        other.threadId = u"other"_s;
        emit session->messagesRecorded({other});
        QTest::qWait(Model::kRefreshMs + 100);
        QCOMPARE(session->timelineCalls.size(), 0);

        // This thread's: read again (once for the burst), applied in place.
        MessageRecord next = hop(2, u"greeter"_s, u"shouter"_s).message;
        emit session->messagesRecorded({next});
        emit session->messagesRecorded({next});
        QTRY_COMPARE(session->timelineCalls.size(), 1);
        TraceHop first = hop(1, u"api"_s, u"greeter"_s, ran(1, 5, 30));
        first.llm = {call(0.001)};
        QVERIFY(session->answerTimeline(trace({first, hop(2, u"greeter"_s, u"shouter"_s)})));
        QCOMPARE(resets.size(), 0);
        QCOMPARE(rowRanges(inserted), (QStringList{u"1,1"_s, u"1,1"_s})); // the call under hop 0, then hop 1
        QCOMPARE(inserted.first().first().value<QModelIndex>().row(), 0);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(text(*model, 0, Model::HandlerColumn), u"30.0 ms"_s);
        QCOMPARE(model->rowCount(), 2);

        // The window of newest hops moved on: a reset.
        model->reload();
        QVERIFY(session->answerTimeline(trace({hop(2, u"greeter"_s, u"shouter"_s), hop(3, u"shouter"_s, u"sink"_s)})));
        QCOMPARE(resets.size(), 1);
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(text(*model, 0, Model::HopColumn), u"greeter → shouter · Greeting"_s);
    }

    void errorsAndServersWithoutRuns()
    {
        model->setThreadId(u"gone"_s);
        QVERIFY(session->answerTimeline(std::nullopt, u"Thread not found: gone"_s));
        QCOMPARE(model->errorText(), u"Thread not found: gone"_s);
        QCOMPARE(model->rowCount(), 0);

        // The original keeps no runs: no "waiting" or "not handled" for what it cannot know.
        session->snapshot.abilities.tracesThreads = false;
        session->close();
        session->open();
        QTRY_VERIFY(!session->timelineCalls.isEmpty());
        session->timelineCalls.clear();
        model->setThreadId(u"t"_s);
        QVERIFY(!model->hasRuns());
        QVERIFY(session->answerTimeline(trace({hop(1, u"api"_s, u"greeter"_s)}, ThreadStatus::Completed)));
        QCOMPARE(text(*model, 0, Model::OutcomeColumn), QString());
        QCOMPARE(text(*model, 0, Model::WaitColumn), QString());
        QVERIFY(model->errorText().isEmpty());
    }

    void offlineCallsHaveNoPriceRatherThanAnUnknownOne()
    {
        model->setThreadId(u"t"_s);
        TraceHop demo = hop(1, u"api"_s, u"greeter"_s, ran(1, 5, 120));
        LlmExchange offline = call(std::nullopt);
        offline.usage.provider = u"demo"_s;
        demo.llm = {offline};
        TraceHop mixed = hop(2, u"greeter"_s, u"writer"_s, ran(2, 5, 120));
        mixed.llm = {offline, call(0.0004)};
        QVERIFY(session->answerTimeline(trace({demo, mixed})));
        QCOMPARE(text(*model, 0, Model::CostColumn), u"—"_s);                     // as the Usage page shows the demo
        QCOMPARE(text(*model, 1, Model::CostColumn), u"$0.0004"_s);               // the demo adds nothing unknown
        QCOMPARE(text(*model, 1, Model::CostColumn, model->index(0, 0)), u"—"_s); // the call, under its payload
    }

    void copiesOfAForkSayWhereTheyCameFrom()
    {
        model->setThreadId(u"t"_s);
        ThreadTrace forked = trace({hop(1, u"api"_s, u"greeter"_s), hop(2, u"greeter"_s, u"shouter"_s, ran(2, 1, 1))},
                                   ThreadStatus::Completed);
        forked.hops[0].copied = true;
        forked.origin = ThreadOrigin{ThreadOriginKind::Fork, u"0190a000-0000-7000-8000-00000abcdef1"_s, u"m"_s, 2};
        QVERIFY(session->answerTimeline(forked));
        QCOMPARE(text(*model, 0, Model::OutcomeColumn), u"copied from abcdef1"_s);
        QCOMPARE(text(*model, 1, Model::OutcomeColumn), u"done"_s);
    }

    // A real organism: the timeline follows the thread as it runs, and ends with every hop done.
    void followsARealThread()
    {
        cleanup();
        QTemporaryDir dir;
        TestEngine engine(TestEngine::Threading::OwnThread);
        QString error;
        QVERIFY2(engine.start(kChain, dir.path(), &error), qPrintable(error));
        LocalSession local(engine.organism());
        local.open();
        QTRY_VERIFY(local.isConnected());
        Model timeline(&local);
        QAbstractItemModelTester check(&timeline, QAbstractItemModelTester::FailureReportingMode::Fatal);
        InjectRequest request;
        request.to = u"greeter"_s;
        request.fields = {{u"name"_s, u"Ada"_s}};
        const InjectResult result = engine.call(
            [&](Organism &organism) { return test::injectAndWait(organism, request); });
        QVERIFY(result.has_value());
        timeline.setThreadId(result->threadId);
        QTRY_COMPARE(timeline.rowCount(), 3);
        QTRY_COMPARE(text(timeline, 2, Model::OutcomeColumn), u"done"_s);
        QCOMPARE(text(timeline, 1, Model::HopColumn), u"greeter → shouter · GreetingResponse"_s);
        QVERIFY(timeline.index(1, Model::HandlerColumn).data(Model::RawValueRole).toDouble() >= 0);
    }

private:
    std::optional<FakeSession> session;
    std::optional<Model> model;
    std::optional<QAbstractItemModelTester> tester;
};

QTEST_MAIN(TestThreadTimelineModel)
#include "tst_threadtimelinemodel.moc"
