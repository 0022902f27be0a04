// LocalSession over a real Organism running on its own thread, as in the application: the snapshot on
// connect, batches arriving on the test (GUI) thread, commands completing, pages read, replies dropped
// for contexts that have gone, and close().

#include "helloworldyaml.h"
#include "resultvalue.h"
#include "localsession.h"
#include "testengine.h"
#include "injectandwait.h"
#include "clearofmidnight.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::TestEngine;

namespace {

const QByteArray kConfig = test::HelloWorldYaml("session-test")
                               .settings(R"(max_tokens_per_thread: 1000
budgets: {agents: {writer: {max_tokens: 1000000000, period: day}}}
)")
                               .payloads(R"(  Draft: {text: string}
  Done: {text: string}
)")
                               .listeners(R"(  - name: writer
    description: Writes until it is done
    payload_class: Draft
    agent: true
    model: fake-1
    prompt: You write.
    peers: [done]
  - name: done
    description: Receives the final text
    payload_class: Done
    handler: builtin:sink
)")
                               .text();

InjectRequest greeting(const QString &name, const QString &thread = {})
{
    InjectRequest request;
    request.to = u"greeter"_s;
    request.fields.insert(u"name"_s, name);
    request.threadId = thread;
    return request;
}

} // namespace

class TestLocalSession : public QObject
{
    Q_OBJECT

private:
    // Runs a command through the session and waits for its completion.
    Result<> await(const std::function<void(Session::Done)> &command)
    {
        std::optional<Result<>> result;
        command([&result](const Result<> &r) { result = r; });
        [&] { QTRY_VERIFY(result.has_value()); }();
        return result.value_or(fail(u"no completion"_s));
    }
    InjectResult injectThroughSession(const InjectRequest &request)
    {
        std::optional<InjectResult> result;
        session->inject(request, this, [&result](const InjectResult &r) { result = r; });
        [&] { QTRY_VERIFY(result.has_value()); }();
        return result.value_or(InjectResult{});
    }
    MessagePage messagesPage(const MessageQuery &query)
    {
        std::optional<MessagePage> page;
        session->fetchMessages(query, this,
                               [&page](const Result<MessagePage> &pResult) { page = pResult.value_or(MessagePage{}); });
        [&] { QTRY_VERIFY(page.has_value()); }();
        return page.value_or(MessagePage{});
    }
    // Names, not enum values: QCOMPARE then prints what it got.
    QString stateOf(const QString &agent) const
    {
        const auto info = session->agent(agent);
        return info ? toString(info->state) : u"unknown"_s;
    }

private slots:
    void init()
    {
        test::keepClearOfMidnightUtc(); // budgets per day and month
        QVERIFY(dir.emplace().isValid());
        engine.emplace(TestEngine::Threading::OwnThread);
        QString error;
        QVERIFY2(engine->start(kConfig, dir->path(), &error), qPrintable(error));
        QVERIFY(engine->organism()->QObject::thread() != QThread::currentThread());
        session.emplace(engine->organism());
        QSignalSpy states(&*session, &Session::stateChanged);
        session->open();
        QTRY_VERIFY(session->isConnected());
        QCOMPARE(states.size(), 2);
        QCOMPARE(states.at(0).at(0).value<Session::State>(), Session::State::Connecting);
        QCOMPARE(states.at(1).at(0).value<Session::State>(), Session::State::Connected);
    }
    void cleanup()
    {
        session.reset();
        engine.reset();
        dir.reset();
    }

    void connectsWithTheOrganismsSnapshots()
    {
        QCOMPARE(session->organism().name, u"session-test"_s);
        QCOMPARE(toString(session->organism().status), u"running"_s);
        QStringList agents;
        for (const AgentInfo &agent : session->agents())
            agents << agent.name;
        QCOMPARE(agents, (QStringList{u"greeter"_s, u"shouter"_s, u"response-handler"_s, u"writer"_s, u"done"_s}));
        QStringList capabilities;
        for (const Capability &capability : session->capabilities())
            capabilities << capability.name;
        QCOMPARE(capabilities,
                 (QStringList{u"done"_s, u"greeter"_s, u"response-handler"_s, u"shouter"_s, u"writer"_s}));
        QVERIFY(session->capabilities().at(1).schemaXsd.contains(u"Greeting"_s));
        QCOMPARE(session->endpoint(), u"local: "_s + dir->filePath(u"organism.yaml"_s));
        QCOMPARE(session->usage().totals.totalTokens, 0);
        QVERIFY(session->budgets().isEmpty());
    }

    void batchesArriveOnTheSessionsThread()
    {
        QList<QThread *> deliveredOn;
        QList<MessageRecord> messages;
        connect(&*session, &Session::messagesRecorded, this, [&](const QList<MessageRecord> &batch) {
            deliveredOn << QThread::currentThread();
            messages << batch;
        });
        QSignalSpy created(&*session, &Session::threadsCreated);
        QSignalSpy updated(&*session, &Session::threadsUpdated);
        QSignalSpy organismChanged(&*session, &Session::organismChanged);

        const InjectResult result = injectThroughSession(greeting(u"Dan"_s));
        QVERIFY2(result.has_value(), qPrintable(failureText(result)));
        QTRY_COMPARE(messages.size(), 3);
        for (QThread *thread : std::as_const(deliveredOn))
            QCOMPARE(thread, QThread::currentThread());
        QCOMPARE(messages.at(0).from, u"api"_s);
        QCOMPARE(messages.at(1).from, u"greeter"_s);
        QCOMPARE(messages.at(2).to, u"response-handler"_s);
        QCOMPARE(messages.at(2).fields.value(u"message"_s).toString(), u"HELLO, DAN!"_s);
        QVERIFY(messages.at(0).seq < messages.at(1).seq && messages.at(1).seq < messages.at(2).seq);

        QTRY_VERIFY(!created.isEmpty());
        QCOMPARE(created.first().first().value<QList<ThreadInfo>>().first().id, result->threadId);
        QTRY_VERIFY(!updated.isEmpty());
        const ThreadInfo finished = updated.last().first().value<QList<ThreadInfo>>().last();
        QCOMPARE(finished.id, result->threadId);
        QCOMPARE(toString(finished.status), u"completed"_s);

        // The caches follow the batches.
        QTRY_COMPARE(session->agent(u"greeter"_s)->messageCount, 1);
        QTRY_COMPARE(session->organism().totalMessages, 3);
        QVERIFY(!organismChanged.isEmpty());
        QCOMPARE(organismChanged.last().first().value<OrganismInfo>().totalMessages, 3);
    }

    void commandsAnswerWithTheReason_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("error"); // empty: success

        QTest::newRow("pause a listener") << u"pause greeter"_s << QString();
        QTest::newRow("resume a listener") << u"resume greeter"_s << QString();
        QTest::newRow("pause an unknown agent") << u"pause nobody"_s << u"Agent not found: nobody"_s;
        QTest::newRow("resume an unknown agent") << u"resume nobody"_s << u"Agent not found: nobody"_s;
        QTest::newRow("kill an unknown thread") << u"kill no-such-thread"_s << u"Thread not found: no-such-thread"_s;
        QTest::newRow("retry an unknown thread") << u"retry no-such-thread"_s << u"Thread not found: no-such-thread"_s;
        QTest::newRow("budget of an unknown thread")
            << u"budget no-such-thread 500"_s << u"Thread not found: no-such-thread"_s;
        QTest::newRow("budget below one token") << u"budget no-such-thread 0"_s << u"maxTokens must be at least 1"_s;
        QTest::newRow("reset usage") << u"reset"_s << QString();
        QTest::newRow("stop") << u"stop"_s << QString();
    }
    void commandsAnswerWithTheReason()
    {
        QFETCH(QString, command);
        QFETCH(QString, error);
        const QStringList words = command.split(u' ');
        const Result<> result = await([&](Session::Done done) {
            if (words[0] == u"pause")
                session->pauseAgent(words[1], this, done);
            else if (words[0] == u"resume")
                session->resumeAgent(words[1], this, done);
            else if (words[0] == u"kill")
                session->killThread(words[1], this, done);
            else if (words[0] == u"retry")
                session->retryThread(words[1], this, done);
            else if (words[0] == u"budget")
                session->setThreadBudget(words[1], words[2].toLongLong(), this, done);
            else if (words[0] == u"reset")
                session->resetUsage(this, done);
            else if (words[0] == u"stop")
                session->stopOrganism(this, done);
        });
        QCOMPARE(failureText(result), error);
        QCOMPARE(result.has_value(), error.isEmpty());
    }

    void pauseHoldsWorkUntilResume()
    {
        QVERIFY(await([&](Session::Done done) { session->pauseAgent(u"greeter"_s, this, done); }).has_value());
        QTRY_COMPARE(stateOf(u"greeter"_s), u"paused"_s);

        QSignalSpy updated(&*session, &Session::threadsUpdated);
        const InjectResult result = injectThroughSession(greeting(u"Ann"_s));
        QVERIFY(result.has_value());
        QTRY_COMPARE(session->agent(u"greeter"_s)->queueDepth, 1);
        QVERIFY(updated.isEmpty()); // held, not finished

        QVERIFY(await([&](Session::Done done) { session->resumeAgent(u"greeter"_s, this, done); }).has_value());
        QTRY_VERIFY(!updated.isEmpty());
        QCOMPARE(toString(updated.last().first().value<QList<ThreadInfo>>().last().status), u"completed"_s);
        QTRY_COMPARE(stateOf(u"greeter"_s), u"idle"_s);
    }

    void killEndsAHeldThread()
    {
        QVERIFY(await([&](Session::Done done) { session->pauseAgent(u"greeter"_s, this, done); }).has_value());
        const InjectResult result = injectThroughSession(greeting(u"Bo"_s));
        QVERIFY(result.has_value());
        QSignalSpy updated(&*session, &Session::threadsUpdated);
        QVERIFY(await([&](Session::Done done) { session->killThread(result->threadId, this, done); }).has_value());
        QTRY_VERIFY(!updated.isEmpty());
        const ThreadInfo killed = updated.last().first().value<QList<ThreadInfo>>().last();
        QCOMPARE(killed.id, result->threadId);
        QCOMPARE(toString(killed.status), u"killed"_s);
    }

    void pagesAndThreadsAreRead()
    {
        const InjectResult chain = injectThroughSession(greeting(u"Cy"_s));
        QVERIFY(chain.has_value());
        QList<InjectRequest> requests;
        for (int i = 0; i < 30; ++i) {
            InjectRequest request;
            request.to = u"response-handler"_s;
            request.fields.insert(u"message"_s, u"m%1"_s.arg(i));
            requests << request;
        }
        engine->call([&requests](Organism &organism) { return test::injectBatchAndWait(organism, requests).size(); });
        QTRY_COMPARE(session->organism().totalMessages, 33);

        MessageQuery query;
        query.limit = 10;
        const MessagePage newest = messagesPage(query);
        QCOMPARE(newest.total, 33);
        QCOMPARE(newest.items.size(), 10);
        QCOMPARE(newest.items.first().seq, 33);
        QCOMPARE(newest.items.last().seq, 24);
        query.beforeSeq = newest.items.last().seq;
        const MessagePage older = messagesPage(query);
        QCOMPARE(older.items.first().seq, 23);
        QCOMPARE(older.items.last().seq, 14);

        std::optional<MessagePage> conversation;
        session->fetchConversation(chain->threadId, -1, this, [&](const Result<MessagePage> &pageResult) {
            conversation = pageResult.value_or(MessagePage{});
        });
        QTRY_VERIFY(conversation.has_value());
        QCOMPARE(conversation->total, 3);
        QCOMPARE(conversation->items.size(), 3);
        QCOMPARE(conversation->items.first().from, u"api"_s); // oldest first
        QCOMPARE(conversation->items.last().from, u"shouter"_s);

        std::optional<ThreadPage> threads;
        ThreadQuery threadQuery;
        threadQuery.limit = 5;
        session->fetchThreads(threadQuery, this, [&](const Result<ThreadPage> &pageResult) {
            threads = pageResult.value_or(ThreadPage{});
        });
        QTRY_VERIFY(threads.has_value());
        QCOMPARE(threads->total, 31);
        QCOMPARE(threads->items.size(), 5);

        std::optional<std::pair<std::optional<ThreadInfo>, QString>> found;
        session->fetchThread(chain->threadId, this, [&](const Result<ThreadInfo> &threadResult) {
            const std::optional<ThreadInfo> thread = test::valueOf(threadResult);
            const QString error = failureText(threadResult);
            found = std::pair(thread, error);
        });
        QTRY_VERIFY(found.has_value());
        QVERIFY(found->first.has_value());
        QCOMPARE(found->first->messageCount, 3);
        QVERIFY(found->second.isEmpty());

        found.reset();
        session->fetchThread(u"nope"_s, this, [&](const Result<ThreadInfo> &threadResult) {
            const std::optional<ThreadInfo> thread = test::valueOf(threadResult);
            const QString error = failureText(threadResult);
            found = std::pair(thread, error);
        });
        QTRY_VERIFY(found.has_value());
        QVERIFY(!found->first.has_value());
        QCOMPARE(found->second, u"Thread not found: nope"_s);
    }

    // The timeline is read on the engine (runs in flight are the pump's); replay answers once committed.
    void timelineAndReplay()
    {
        const InjectResult chain = injectThroughSession(greeting(u"Cy"_s));
        QVERIFY(chain.has_value());
        QTRY_COMPARE(session->organism().totalMessages, 3);
        std::optional<ThreadTrace> trace;
        QString error = u"unanswered"_s;
        const auto read = [&](const QString &threadId) {
            error = u"unanswered"_s;
            session->fetchTimeline(threadId, 10, this, [&](const Result<ThreadTrace> &tResult) {
                const std::optional<ThreadTrace> t = test::valueOf(tResult);
                const QString e = failureText(tResult);
                trace = t;
                error = e;
            });
            [&] { QTRY_VERIFY(error != u"unanswered"_s); }();
        };
        QTRY_VERIFY(([&] {
            read(chain->threadId);
            return trace && trace->hops.size() == 3 && trace->hops.last().run;
        }()));
        QCOMPARE(trace->hops.first().message.to, u"greeter"_s);
        read(u"nope"_s);
        QVERIFY(!trace);
        QCOMPARE(error, u"Thread not found: nope"_s);

        BranchRequest replay;
        replay.threadId = chain->threadId;
        read(chain->threadId);
        replay.messageId = trace->hops.first().message.id;
        replay.from = u"operator"_s;
        std::optional<InjectResult> result;
        session->branch(replay, this, [&result](const InjectResult &r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY2(result->has_value(), qPrintable(failureText(*result)));
        QVERIFY((*result)->threadId != chain->threadId);
        read((*result)->threadId);
        QVERIFY(trace && trace->origin);
        QCOMPARE(trace->hops.first().message.from, u"operator"_s);
    }

    // Its own history (SQLite: this organism alone, itself), and what it spent, as the window's
    // organism list and combined usage read them.
    void listsItsHistoryAndBillsIt()
    {
        QVERIFY(session->abilities().sharesHistory);
        std::optional<QList<HistoryInstance>> instances;
        session->fetchHistoryInstances(this, [&](const Result<QList<HistoryInstance>> &listResult) {
            const QString error = failureText(listResult);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            instances = listResult.value_or(QList<HistoryInstance>{});
        });
        QTRY_VERIFY(instances.has_value());
        QCOMPARE(instances->size(), 1);
        QCOMPARE(instances->first().organism, u"session-test"_s);
        QVERIFY(instances->first().isThisProcess);
        QVERIFY(instances->first().running);

        engine->call([this](Organism &) { engine->llm()->defaultReply = u"<Done><Text>ok</Text></Done>"_s; });
        InjectRequest draft;
        draft.to = u"writer"_s;
        draft.fields.insert(u"text"_s, u"go"_s);
        QVERIFY(injectThroughSession(draft).has_value());
        QTRY_COMPARE(session->usage().totals.totalTokens, 400);
        std::optional<HistoryBilling> billing;
        session->fetchHistoryBilling(this, [&](const Result<HistoryBilling> &bResult) {
            const QString error = failureText(bResult);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            billing = bResult.value_or(HistoryBilling{});
        });
        QTRY_VERIFY(billing.has_value());
        QVERIFY(billing->readAt.isValid());
        QCOMPARE(billing->organisms.size(), 1);
        QCOMPARE(billing->organisms.first().organism, u"session-test"_s);
        QCOMPARE(billing->organisms.first().instance, QString());
        QCOMPARE(billing->organisms.first().usage.totalTokens, 400);
        QCOMPARE(billing->organisms.first().usage.requestCount, 1);

        // Closed: refused in the reply's own shape.
        session->close();
        QString refused;
        session->fetchHistoryInstances(
            this, [&](const Result<QList<HistoryInstance>> &answer) { refused = failureText(answer); });
        QTRY_COMPARE(refused, u"not connected to the organism"_s);
    }

    void usageSnapshotFollowsItsBatch()
    {
        engine->call([this](Organism &) { engine->llm()->defaultReply = u"<Done><Text>ok</Text></Done>"_s; });
        QStringList order;
        connect(&*session, &Session::usageRecorded, this,
                [&](const QList<UsageEvent> &events) { order << u"recorded %1"_s.arg(events.size()); });
        connect(&*session, &Session::usageChanged, this,
                [&] { order << u"changed %1"_s.arg(session->usage().totals.totalTokens); });

        InjectRequest draft;
        draft.to = u"writer"_s;
        draft.fields.insert(u"text"_s, u"go"_s);
        QVERIFY(injectThroughSession(draft).has_value());
        QTRY_COMPARE(order, (QStringList{u"recorded 1"_s, u"changed 400"_s}));
        QCOMPARE(session->usage().byModel.size(), 1);
        QCOMPARE(session->usage().byModel.first().key, u"fake-1"_s);
        QCOMPARE(session->usage().byAgent.first().key, u"writer"_s);

        // The history keeps the event, per minute and model.
        std::optional<QList<UsageBucket>> buckets;
        session->fetchUsageBuckets(
            UsageBucketSize::Minute, UsageGroupBy::Model, {}, {}, {}, this,
            [&](const Result<QList<UsageBucket>> &bResult) { buckets = bResult.value_or(QList<UsageBucket>{}); });
        QTRY_VERIFY(buckets.has_value());
        QCOMPARE(buckets->size(), 1);
        QCOMPARE(buckets->first().key, u"fake-1"_s);
        QCOMPARE(buckets->first().totalTokens, 400);

        // Filtered by agent, model and outcome (the Usage page's filters): only the calls that match.
        const auto tokensOf = [&](const UsageSeriesFilter &filter) {
            std::optional<qint64> tokens;
            session->fetchUsageBuckets(UsageBucketSize::Minute, UsageGroupBy::Model, {}, {}, filter, this,
                                       [&](const Result<QList<UsageBucket>> &bResult) {
                                           const QList<UsageBucket> b = bResult.value_or(QList<UsageBucket>{});
                                           const QString error = failureText(bResult);
                                           QVERIFY2(error.isEmpty(), qPrintable(error));
                                           tokens = 0;
                                           for (const UsageBucket &bucket : b)
                                               *tokens += bucket.totalTokens;
                                       });
            [&] { QTRY_VERIFY(tokens.has_value()); }();
            return tokens.value_or(-1);
        };
        QCOMPARE(tokensOf({u"writer"_s, u"fake-1"_s, UsageOutcome::Ok}), 400);
        QCOMPARE(tokensOf({u"nobody"_s, {}, {}}), 0);
        QCOMPARE(tokensOf({{}, u"other-model"_s, {}}), 0);
        QCOMPARE(tokensOf({{}, {}, UsageOutcome::Error}), 0);

        QVERIFY(await([&](Session::Done done) { session->resetUsage(this, done); }).has_value());
        QCOMPARE(session->usage().totals.totalTokens, 0);
        QCOMPARE(order.last(), u"changed 0"_s);
    }

    void budgetChangesReachTheCache()
    {
        QVERIFY(await([&](Session::Done done) { session->pauseAgent(u"writer"_s, this, done); }).has_value());
        InjectRequest draft;
        draft.to = u"writer"_s;
        draft.fields.insert(u"text"_s, u"wait"_s);
        const InjectResult held = injectThroughSession(draft);
        QVERIFY(held.has_value());

        QSignalSpy events(&*session, &Session::budgetEvents);
        QSignalSpy budgets(&*session, &Session::budgetsChanged);
        QVERIFY(
            await([&](Session::Done done) { session->setThreadBudget(held->threadId, 5000, this, done); }).has_value());
        QTRY_VERIFY(!events.isEmpty());
        const BudgetEvent raised = events.first().first().value<QList<BudgetEvent>>().first();
        QCOMPARE(toString(raised.kind), u"raised"_s);
        QCOMPARE(raised.threadId, held->threadId);
        QTRY_VERIFY(!budgets.isEmpty());
        QVERIFY(session->budget(held->threadId).has_value());
        QCOMPARE(session->budget(held->threadId)->maxTokens, 5000);

        // The thread ends: its budget goes, with no budget event saying so.
        QVERIFY(await([&](Session::Done done) { session->killThread(held->threadId, this, done); }).has_value());
        QTRY_VERIFY(!session->budget(held->threadId).has_value());
    }

    // The agent and organism budgets: in the snapshot, changed through the session (the list it
    // answers with is already in the cache), and spent by calls.
    void scopeBudgetsReachTheCache()
    {
        QCOMPARE(session->scopeBudgets().size(), 1);
        QCOMPARE(session->scopeBudget(u"agent:writer"_s)->maxTokens, std::optional<qint64>(1000000000));
        ScopeBudgetChange lower;
        lower.maxTokens = 2000;
        QVERIFY(await([&](Session::Done done) {
                    session->setScopeBudget(u"agent:writer"_s, lower, this, done);
                }).has_value());
        QCOMPARE(session->scopeBudget(u"agent:writer"_s)->maxTokens, std::optional<qint64>(2000));
        ScopeBudgetChange organism;
        organism.maxCost = 5.0;
        organism.period = BudgetPeriod::Month;
        QVERIFY(await([&](Session::Done done) {
                    session->setScopeBudget(u"organism"_s, organism, this, done);
                }).has_value());
        QCOMPARE(session->scopeBudgets().size(), 2);
        QCOMPARE(session->scopeBudgets().first().scope, u"organism"_s);
        const Result<> refused = await(
            [&](Session::Done done) { session->setScopeBudget(u"agent:nobody"_s, lower, this, done); });
        QVERIFY(!refused.has_value());
        QCOMPARE(failureText(refused), u"Unknown budget scope: agent:nobody (use organism or agent:<name>)"_s);

        // A call spends from the agent's budget.
        InjectRequest draft;
        draft.to = u"writer"_s;
        draft.fields.insert(u"text"_s, u"go"_s);
        QVERIFY(injectThroughSession(draft).has_value());
        QTRY_COMPARE(session->scopeBudget(u"agent:writer"_s)->usedTokens, 400);
        QCOMPARE(session->scopeBudget(u"agent:writer"_s)->percentUsed(), 20.0);
    }

    // The backends' state has no change signal: the session reads it every second and signals when it moved.
    void llmBackendsAreReadAgain()
    {
        QVERIFY(session->llmBackends().isEmpty());
        QSignalSpy changed(&*session, &Session::llmBackendsChanged);
        LlmBackendState limited;
        limited.name = u"xai"_s;
        limited.health = LlmBackendState::Health::RateLimited;
        limited.rateLimitedForSeconds = 30;
        engine->call([this, limited](Organism &) { // the scripted client is read on the engine thread
            engine->llm()->states = {limited};
            return 0;
        });
        QTRY_COMPARE_WITH_TIMEOUT(session->llmBackends().size(), 1, 5000);
        QCOMPARE(session->llmBackends().first().name, u"xai"_s);
        QCOMPARE(changed.size(), 1);
    }

    void reloadReplacesAgentsAndCapabilities()
    {
        QByteArray changed = kConfig;
        changed.replace("  Done: {text: string}\n", "  Done: {text: string}\n  Ping: {text: string}\n");
        changed.append("  - name: extra\n    description: Added by reload\n    payload_class: Ping\n"
                       "    handler: builtin:sink\n");
        QFile file(dir->filePath(u"organism.yaml"_s));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(changed);
        file.close();

        QSignalSpy agentsReset(&*session, &Session::agentsReset);
        QSignalSpy capabilities(&*session, &Session::capabilitiesChanged);
        QSignalSpy reloaded(&*session, &Session::reloaded);
        std::optional<ReloadResult> result;
        session->reloadConfig(this, [&](const ReloadResult &r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY2(result->has_value(), qPrintable(failureText(*result)));
        QCOMPARE((*result)->added, QStringList{u"extra"_s});
        QTRY_COMPARE(reloaded.size(), 1);
        // The lists were replaced before `reloaded` was re-emitted.
        QCOMPARE(agentsReset.size(), 1);
        QCOMPARE(capabilities.size(), 1);
        QVERIFY(session->agent(u"extra"_s).has_value());
        QCOMPARE(session->agents().last().name, u"extra"_s);
        bool listed = false;
        for (const Capability &capability : session->capabilities())
            listed = listed || capability.name == u"extra";
        QVERIFY(listed);
    }

    void stopReportsTheStatus()
    {
        // Starting and stopping may change the usage counters without a usage event (a start rebuilds
        // them from the history): the session reads them again with the status.
        QSignalSpy usage(&*session, &Session::usageChanged);
        QSignalSpy budgets(&*session, &Session::budgetsChanged);
        QVERIFY(await([&](Session::Done done) { session->stopOrganism(this, done); }).has_value());
        QTRY_COMPARE(toString(session->organism().status), u"stopped"_s);
        QTRY_VERIFY(!usage.isEmpty());
        QVERIFY(!budgets.isEmpty());
        const InjectResult refused = injectThroughSession(greeting(u"late"_s));
        QCOMPARE(refused.error().kind, InjectError::NotRunning);
    }

    void repliesSkipContextsThatHaveGone()
    {
        bool goneCalled = false;
        bool liveCalled = false;
        auto gone = std::make_unique<QObject>();
        session->fetchThreads(ThreadQuery{}, gone.get(), [&](const Result<ThreadPage> &) { goneCalled = true; });
        session->fetchMessages(MessageQuery{}, gone.get(), [&](const Result<MessagePage> &) { goneCalled = true; });
        session->pauseAgent(u"greeter"_s, gone.get(), [&](const Result<> &) { goneCalled = true; });
        gone.reset();
        // Replies come back in order: once the later one is here, the earlier ones have been dropped.
        session->fetchThreads(ThreadQuery{}, this, [&](const Result<ThreadPage> &) { liveCalled = true; });
        QTRY_VERIFY(liveCalled);
        QCoreApplication::sendPostedEvents();
        QVERIFY(!goneCalled);
        // The command itself still ran.
        QTRY_COMPARE(stateOf(u"greeter"_s), u"paused"_s);
    }

    void closeStopsSignalsAndCommands()
    {
        QSignalSpy messages(&*session, &Session::messagesRecorded);
        QSignalSpy states(&*session, &Session::stateChanged);
        session->close();
        QCOMPARE(session->state(), Session::State::Disconnected);
        QCOMPARE(states.size(), 1);

        engine->call([](Organism &organism) {
            test::injectAndWait(organism, greeting(u"after"_s));
            organism.flushChanges();
        });
        QCoreApplication::sendPostedEvents(); // anything queued to the session is delivered now
        QCOMPARE(messages.size(), 0);

        const InjectResult refused = injectThroughSession(greeting(u"closed"_s));
        QCOMPARE(refused.error().kind, InjectError::NotRunning);
        QCOMPARE(failureText(refused), u"not connected to the organism"_s);

        // Opening again reloads everything, then batches flow again.
        session->open();
        QTRY_VERIFY(session->isConnected());
        QVERIFY(injectThroughSession(greeting(u"again"_s)).has_value());
        QTRY_VERIFY(!messages.isEmpty());
    }

private:
    std::optional<QTemporaryDir> dir;
    std::optional<TestEngine> engine;
    std::optional<LocalSession> session;
};

QTEST_GUILESS_MAIN(TestLocalSession)
#include "tst_localsession.moc"
