// LLM agents inside a real organism, with tests/support's ScriptedLlm standing in for the router: prompts,
// payload extraction, usage metering, budget thresholds, holds at exhaustion, release and kill.

#include "config/configloader.h"
#include "listeners/agentlistener.h"
#include "scriptedllm.h"
#include "organism.h"
#include "store/historystore.h"
#include "injectandwait.h"
#include "organismfixture.h"
#include "organismhistory.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QByteArray kConfig = R"(
organism: {name: agents}
max_tokens_per_thread: 1000
payloads:
  Draft: {text: string}
  Done: {text: string}
listeners:
  - name: writer
    description: Writes drafts until it is done
    payload_class: Draft
    agent: true
    model: fake-1
    prompt: You are a careful writer.
    peers: [writer, done]
  - name: done
    description: Receives the final text
    payload_class: Done
    handler: builtin:sink
)";

// The writer of kConfig, made to send something with every reply; a failed delivery is tried twice.
QByteArray requiringReply(bool retry)
{
    QByteArray config = kConfig;
    config.replace("    peers: [writer, done]\n", "    peers: [writer, done]\n    require_reply: true\n");
    if (retry)
        config.replace("    require_reply: true\n",
                       "    require_reply: true\n    retry: {attempts: 2, backoff: 10ms}\n");
    return config;
}

// The fenced block that follows `<!-- generated: NAME -->` in docs/agent-contract.md.
QString documentedBlock(const QString &name)
{
    QFile file(QStringLiteral(AGENTDESK_SOURCE_DIR) + u"/docs/agent-contract.md"_s);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString doc = QString::fromUtf8(file.readAll());
    const qsizetype marker = doc.indexOf(u"<!-- generated: %1 -->"_s.arg(name));
    if (marker < 0)
        return {};
    const qsizetype open = doc.indexOf(u"```"_s, marker);
    const qsizetype start = doc.indexOf(u'\n', open) + 1;
    const qsizetype close = doc.indexOf(u"\n```"_s, start);
    return open < 0 || close < 0 ? QString() : doc.mid(start, close - start + 1);
}

QString toolsJson(const QList<LlmTool> &tools)
{
    QJsonArray list;
    for (const LlmTool &tool : tools)
        list.append(QJsonObject{{u"name"_s, tool.name},
                                {u"description"_s, tool.description},
                                {u"parameters"_s, QJsonObject::fromVariantMap(tool.parameters)}});
    return QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Indented));
}

} // namespace

class TestAgentListener : public QObject
{
    Q_OBJECT

private:
    QString inject(const QString &text)
    {
        InjectRequest request;
        request.to = u"writer"_s;
        request.fields.insert(u"text"_s, text);
        const InjectResult result = test::injectAndWait(*organism, request);
        return result.has_value() ? result->threadId : QString();
    }
    QString statusOf(const QString &thread)
    {
        const auto info = organism->thread(thread);
        return info ? toString(info->status) : u"unknown"_s;
    }
    QList<MessageRecord> conversation(const QString &thread)
    {
        MessageQuery query;
        query.threadId = thread;
        query.newestFirst = false;
        query.limit = 100;
        return organism->messages(query).items;
    }

    // Replaces the running organism with one of `config`, on the same history.
    bool startWith(const QByteArray &config)
    {
        organism.reset();
        organism = test::startOrganismFromYaml(config, dir->path(), llm.get());
        return organism != nullptr;
    }
    // What the agent's calls for the thread answered, as the timeline shows them.
    QStringList llmResponses(const QString &thread)
    {
        test::historyStoreOf(*organism)->sync(std::chrono::seconds(10));
        QStringList responses;
        if (const std::optional<ThreadTrace> trace = organism->trace(thread, 100)) {
            for (const TraceHop &hop : trace->hops) {
                for (const LlmExchange &exchange : hop.llm)
                    responses.append(exchange.response);
            }
        }
        return responses;
    }

private slots:
    void init()
    {
        QVERIFY(dir.emplace().isValid());
        llm = std::make_unique<test::ScriptedLlm>();
        llm->defaultReply = QString(); // a call nobody scripted answers with an empty text
        llm->modelSuffix = u"-2026"_s; // the dated model the "provider" says it ran
        llm->latencyMs = 12.5;
        llm->servedModels = {u"fake-1"_s, u"desk-model"_s};
        QVERIFY(startWith(kConfig));
    }
    void cleanup()
    {
        organism.reset();
        llm.reset();
        dir.reset();
    }

    void replyPayloadsAreExtractedAndRouted()
    {
        llm->replies = {u"Here is my final text:\n<Done><Text>All done &amp; dusted</Text></Done>\nThanks!"_s};
        const QString thread = inject(u"start"_s);
        QTRY_COMPARE(statusOf(thread), u"completed"_s);
        const QList<MessageRecord> messages = conversation(thread);
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages[1].from, u"writer"_s);
        QCOMPARE(messages[1].to, u"done"_s);
        QCOMPARE(messages[1].fields.value(u"text"_s).toString(), u"All done & dusted"_s);

        // The call carried the agent, the thread, the model and a prompt built from the peers.
        QCOMPARE(llm->requests.size(), 1);
        const LlmRequest &request = llm->requests.first();
        QCOMPARE(request.agentId, u"writer"_s);
        QCOMPARE(request.threadId, thread);
        QCOMPARE(request.model, u"fake-1"_s);
        const QString system = request.messages.first().content;
        QVERIFY(system.startsWith(u"You are a careful writer."_s));
        QVERIFY(system.contains(u"<example peer=\"done\">\n<Done>"_s));
        QVERIFY(system.contains(u"Receives the final text"_s));
        QCOMPARE(request.messages.last().content, u"Message from api:\n<Draft><Text>start</Text></Draft>"_s);
    }

    void usageIsMeteredPerAgentAndModelAndStored()
    {
        QSignalSpy usageSpy(organism.get(), &Organism::usageRecorded);
        llm->replies = {u"<Done><Text>x</Text></Done>"_s};
        const QString thread = inject(u"go"_s);
        QTRY_COMPARE(statusOf(thread), u"completed"_s);
        const UsageSnapshot usage = organism->usage();
        QCOMPARE(usage.totals.totalTokens, 400);
        QCOMPARE(usage.totals.requestCount, 1);
        QCOMPARE(usage.totals.avgLatencyMs(), 12.5);
        QCOMPARE(organism->agentUsage(u"writer"_s).totalTokens, 400);
        QCOMPARE(organism->modelUsage(u"fake-1-2026"_s).requestCount, 1); // the model the provider returned
        QTRY_COMPARE(usageSpy.size(), 1);

        test::historyStoreOf(*organism)->sync(std::chrono::seconds(10));
        UsageQuery query;
        const Page<UsageEvent> stored = test::historyStoreOf(*organism)->usageEvents(query);
        QCOMPARE(stored.total, 1);
        QCOMPARE(stored.items.first().threadId, thread);
        QCOMPARE(stored.items.first().agentId, u"writer"_s);
        QVERIFY(!stored.items.first().estimatedCost); // no price for fake-1: null, not $0

        organism->resetUsage();
        QCOMPARE(organism->usage().totals.totalTokens, 0);
        QCOMPARE(test::historyStoreOf(*organism)->usageEvents(query).total, 1);
    }

    // The gauge counts the events since the last reset, across a restart (rebuilt from the history).
    void gaugeSurvivesARestartSinceTheLastReset()
    {
        llm->promptTokens = 30;
        llm->completionTokens = 10;
        llm->replies = {u"<Done><Text>one</Text></Done>"_s, u"<Done><Text>two</Text></Done>"_s,
                        u"<Done><Text>three</Text></Done>"_s};
        const QString before = inject(u"before"_s);
        QTRY_COMPARE(statusOf(before), u"completed"_s);
        organism->resetUsage();
        for (const QString &text : {u"after"_s, u"after again"_s}) {
            const QString thread = inject(text);
            QTRY_COMPARE(statusOf(thread), u"completed"_s);
        }
        QCOMPARE(organism->usage().totals.totalTokens, 80);

        // Restart on the same history.
        const OrganismConfig config = organism->config();
        organism.reset();
        organism = std::make_unique<Organism>();
        organism->setLlmClient(llm.get());
        const Result<> organismLoaded = organism->load(config, dir->path() + u"/data"_s);
        QVERIFY2(organismLoaded, qPrintable(failureText(organismLoaded)));
        const UsageSnapshot usage = organism->usage();
        QCOMPARE(usage.totals.totalTokens, 80);
        QCOMPARE(usage.totals.requestCount, 2);
        QCOMPARE(usage.totals.avgLatencyMs(), 12.5);
        QCOMPARE(usage.byAgent.size(), 1);
        QCOMPARE(usage.byAgent.first().key, u"writer"_s);
        QCOMPARE(organism->agentUsage(u"writer"_s).totalTokens, 80);
        QCOMPARE(organism->modelUsage(u"fake-1-2026"_s).unpricedRequests, 2);
        QCOMPARE(organism->modelUsage(u"fake-1-2026"_s).unpricedTokens, 80);
        QCOMPARE(test::historyStoreOf(*organism)->usageEvents(UsageQuery{}).total, 3); // the history keeps every event
    }

    void severalPayloadsInOneReply()
    {
        llm->promptTokens = 10; // stay far from the budget's thresholds
        llm->replies = {u"First <Draft><Text>one</Text></Draft> and then <Done><Text>two</Text></Done>."_s,
                        u"<Done><Text>three</Text></Done>"_s};
        const QString thread = inject(u"go"_s);
        QTRY_COMPARE(statusOf(thread), u"completed"_s);
        const QList<MessageRecord> messages = conversation(thread);
        QCOMPARE(messages.size(), 4);
        QCOMPARE(messages[1].to, u"writer"_s);
        QCOMPARE(messages[2].to, u"done"_s);
        QCOMPARE(messages[3].fields.value(u"text"_s).toString(), u"three"_s);
        // The second call saw the first reply in its history.
        QVERIFY(llm->requests.last().messages.size() >= 4);
    }

    // The prompt says that replying with no payload ends the agent's part: the thread completes, and
    // what the agent said stays in the timeline.
    void replyWithoutPayloadEndsTheAgentsPart()
    {
        llm->replies = {u"Nothing to add: the draft is fine as it is."_s};
        const QString thread = inject(u"go"_s);
        QTRY_COMPARE(statusOf(thread), u"completed"_s);
        QCOMPARE(conversation(thread).size(), 1);
        QVERIFY(organism->thread(thread)->error.isEmpty());
        QTRY_COMPARE(toString(organism->agent(u"writer"_s)->state), u"idle"_s);
        QVERIFY(llm->requests.first().messages.first().content.contains(
            u"replying with no payload ends your part of it"_s));
        QCOMPARE(llmResponses(thread), QStringList{u"Nothing to add: the draft is fine as it is."_s});
        const std::optional<ThreadTrace> trace = organism->trace(thread, 100);
        QVERIFY(trace && trace->hops.first().run);
        QVERIFY(!trace->hops.first().run->failed());
    }

    void nativeReplyWithoutToolCallEndsTheAgentsPart()
    {
        llm->native = true;
        llm->replies = {u"I have nothing to send."_s};
        const QString thread = inject(u"go"_s);
        QTRY_COMPARE(statusOf(thread), u"completed"_s);
        QCOMPARE(conversation(thread).size(), 1);
        const LlmRequest &request = llm->requests.first();
        QCOMPARE(request.tools.size(), 2);
        QVERIFY(request.messages.first().content.contains(u"replying without a tool call ends your part of it"_s));
        QCOMPARE(llmResponses(thread), QStringList{u"I have nothing to send."_s});
    }

    void requireReplyMakesAReplyWithoutPayloadAnError()
    {
        QVERIFY(startWith(requiringReply(false)));
        QSignalSpy errors(organism.get(), &Organism::errorsRaised);
        llm->replies = {u"I would rather not."_s};
        const QString thread = inject(u"go"_s);
        QTRY_COMPARE(statusOf(thread), u"error"_s);
        QCOMPARE(organism->thread(thread)->error,
                 u"writer replied without a payload, and it has `require_reply: true`: a payload for one of its peers "
                 "(writer, done) was required; the reply was: I would rather not."_s);
        QCOMPARE(toString(organism->agent(u"writer"_s)->state), u"error"_s);
        QTRY_VERIFY(!errors.isEmpty());
        QVERIFY(llm->requests.first().messages.first().content.contains(
            u"you must send at least one payload: a reply without one is an error"_s));
    }

    void requireReplyInNativeModeToo()
    {
        QVERIFY(startWith(requiringReply(false)));
        llm->native = true;
        llm->replies = {QString()};
        const QString thread = inject(u"go"_s);
        QTRY_COMPARE(statusOf(thread), u"error"_s);
        QVERIFY2(organism->thread(thread)->error.endsWith(u"was required; the reply was: (empty)"_s),
                 qPrintable(organism->thread(thread)->error));
        QVERIFY(llm->requests.first().messages.first().content.contains(
            u"you must call at least one tool: a reply without a tool call is an error"_s));
    }

    void requireReplyFailureIsRetried()
    {
        QVERIFY(startWith(requiringReply(true)));
        llm->promptTokens = 10; // no budget warning in the thread
        llm->replies = {u"Thinking about it."_s, u"<Done><Text>there</Text></Done>"_s};
        const QString thread = inject(u"go"_s);
        QTRY_COMPARE(statusOf(thread), u"completed"_s);
        QCOMPARE(llm->requests.size(), 2);
        const QList<MessageRecord> messages = conversation(thread);
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages[1].fields.value(u"text"_s).toString(), u"there"_s);
    }

    // docs/agent-contract.md shows what the research-desk example's planner is really sent: its system
    // prompt in both tool modes and its tools.
    void theDocumentedPromptsAreTheRealOnes()
    {
        const ConfigLoadResult loaded = ConfigLoader::loadFile(QStringLiteral(AGENTDESK_SOURCE_DIR)
                                                               + u"/examples/organisms/research-desk/organism.yaml"_s);
        QVERIFY(loaded.ok());
        llm->holdEveryCall = true;
        for (const bool native : {false, true}) {
            organism.reset();
            llm->native = native;
            llm->requests.clear();
            organism = std::make_unique<Organism>();
            organism->setLlmClient(llm.get());
            const Result<> organismLoaded = organism->load(*loaded.config,
                                                           dir->path() + (native ? u"/native"_s : u"/xml"_s));
            QVERIFY2(organismLoaded, qPrintable(failureText(organismLoaded)));
            organism->start();
            InjectRequest request;
            request.to = u"planner"_s;
            request.fields.insert(u"text"_s, u"How many wheels do three cars have?"_s);
            QVERIFY(test::injectAndWait(*organism, request).has_value());
            QTRY_COMPARE(llm->requests.size(), 1);
            const LlmRequest &sent = llm->requests.first();
            const QString system = sent.messages.first().content;
            QCOMPARE(sent.messages.first().role, u"system"_s);
            QVERIFY2(documentedBlock(native ? u"native prompt"_s : u"xml prompt"_s) == system, qPrintable(system));
            QCOMPARE(sent.messages.last().content,
                     u"Message from api:\n<Request><Text>How many wheels do three cars have?</Text></Request>"_s);
            if (native)
                QVERIFY2(documentedBlock(u"native tools"_s) == toolsJson(sent.tools),
                         qPrintable(toolsJson(sent.tools)));
        }
    }

    void invalidPayloadInTheReplyIsAnError()
    {
        llm->replies = {u"<Done><Wrong>x</Wrong></Done>"_s};
        const QString thread = inject(u"go"_s);
        QTRY_COMPARE(statusOf(thread), u"error"_s);
        QVERIFY2(organism->thread(thread)->error.contains(u"invalid payload"_s),
                 qPrintable(organism->thread(thread)->error));
    }

    void failedCallFailsTheThread()
    {
        llm->replies = {u"!error:All backends failed for fake-1: HTTP 500"_s};
        const QString thread = inject(u"go"_s);
        QTRY_COMPARE(statusOf(thread), u"error"_s);
        QVERIFY(organism->thread(thread)->error.contains(u"All backends failed"_s));
    }

    void budgetWarnsOnceThenHoldsAndARaiseReleases()
    {
        QSignalSpy budgetSpy(organism.get(), &Organism::budgetEvents);
        llm->replies = {u"<Draft><Text>1</Text></Draft>"_s, u"<Draft><Text>2</Text></Draft>"_s,
                        u"<Draft><Text>3</Text></Draft>"_s, u"<Done><Text>end</Text></Done>"_s};
        const QString thread = inject(u"go"_s);

        // 400 then 800 of 1000 tokens: the 75 % warning fires, then the third call would overrun: held.
        QTRY_VERIFY(organism->budget(thread) && organism->budget(thread)->totalTokens() == 800);
        QTRY_COMPARE(toString(organism->agent(u"writer"_s)->state), u"waiting"_s);
        QTest::qWait(100);
        QCOMPARE(llm->requests.size(), 2);
        QCOMPARE(statusOf(thread), u"active"_s);

        QStringList kinds;
        for (const auto &batch : std::as_const(budgetSpy)) {
            for (const BudgetEvent &event : batch.first().value<QList<BudgetEvent>>())
                kinds << toString(event.kind);
        }
        QCOMPARE(kinds, (QStringList{u"warning"_s, u"exhausted"_s}));
        int warnings = 0;
        for (const MessageRecord &message : conversation(thread)) {
            if (message.payloadType == u"BudgetWarning") {
                ++warnings;
                QCOMPARE(message.from, u"system.budget"_s);
                QCOMPARE(message.to, u"writer"_s);
                QCOMPARE(message.fields.value(u"severity"_s).toString(), u"warning"_s);
                QCOMPARE(message.fields.value(u"percent_used"_s).toDouble(), 80.0);
            }
        }
        QCOMPARE(warnings, 1);

        const std::optional<ThreadBudget> raised = organism->setThreadBudget(thread, 100000);
        QVERIFY(raised);
        QCOMPARE(raised->maxTokens, 100000);
        QTRY_COMPARE(statusOf(thread), u"completed"_s);
        QCOMPARE(llm->requests.size(), 4);
        QVERIFY(!organism->budget(thread)); // a finished thread's budget is gone (B2)
        QVERIFY(!organism->setThreadBudget(u"no-such-thread"_s, 5));
    }

    void killingAHeldThreadFreesIt()
    {
        llm->promptTokens = 1000;
        llm->completionTokens = 0;
        llm->replies = {u"<Draft><Text>1</Text></Draft>"_s, u"<Done><Text>never</Text></Done>"_s};
        const QString thread = inject(u"go"_s);
        QTRY_VERIFY(organism->budget(thread) && organism->budget(thread)->isExhausted());
        QTRY_COMPARE(toString(organism->agent(u"writer"_s)->state), u"waiting"_s);
        QVERIFY(organism->killThread(thread));
        QCOMPARE(statusOf(thread), u"killed"_s);
        QVERIFY(!organism->budget(thread));
        QCOMPARE(organism->agent(u"writer"_s)->queueDepth, 0);
        QTest::qWait(50);
        QCOMPARE(llm->requests.size(), 1);
    }

    void killCancelsAnInFlightRequest()
    {
        llm->holdEveryCall = true;
        const QString thread = inject(u"go"_s);
        QTRY_COMPARE(llm->pending.size(), 1);
        QCOMPARE(toString(organism->agent(u"writer"_s)->state), u"processing"_s);
        const quint64 inFlight = llm->pending.first().id;
        QVERIFY(organism->killThread(thread));
        QCOMPARE(llm->cancelled, QList<quint64>{inFlight});
        QCOMPARE(statusOf(thread), u"killed"_s);
        QTRY_COMPARE(toString(organism->agent(u"writer"_s)->state), u"idle"_s);
    }

private:
    std::optional<QTemporaryDir> dir;
    std::unique_ptr<test::ScriptedLlm> llm;
    std::unique_ptr<Organism> organism;
};

QTEST_GUILESS_MAIN(TestAgentListener)
#include "tst_agentlistener.moc"
