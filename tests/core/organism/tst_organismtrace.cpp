// A thread's trace with an LLM agent in it: each LLM attempt beside the hop it was made for, with its
// usage and what it was sent and answered; and a fork whose LLM agent really has the copied history
// behind the forked message (its prompt shows the copies, in order, as the original's did).

#include "organism.h"
#include "injectandwait.h"
#include "organismfixture.h"
#include "scriptedllm.h"

#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QByteArray kWriters = R"(
organism: {name: trace}
payloads:
  Draft: {text: string}
  Done: {text: string}
listeners:
  - name: writer
    description: writes
    payload_class: Draft
    agent: true
    model: fake-1
    prompt: You write.
    peers: [done]
  - name: done
    description: ends it
    payload_class: Done
    handler: builtin:sink
)";

bool completes(Organism &organism, const QString &threadId)
{
    return QTest::qWaitFor(
        [&] {
            const auto thread = organism.thread(threadId);
            return thread && thread->status == ThreadStatus::Completed;
        },
        10000);
}

} // namespace

class tst_OrganismTrace : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        m_llm = std::make_unique<test::ScriptedLlm>();
        m_llm->defaultReply = u"<Done><Text>fine</Text></Done>"_s;
        m_llm->promptTokens = 120;
        m_llm->cachedPromptTokens = 100;
        m_llm->completionTokens = 8;
        m_llm->latencyMs = 42;
        m_llm->servedModels = {u"fake-1"_s};
        m_fixture.emplace();
        m_fixture->setLlmClient(m_llm.get());
        QString error;
        QVERIFY2(m_fixture->start(kWriters, &error), qPrintable(error));
        m_organism = m_fixture->organism();
    }
    void cleanup()
    {
        m_organism = nullptr;
        m_fixture.reset();
        m_llm.reset();
    }

    void llmCallsSitBesideTheirHop()
    {
        m_llm->replies = {u"Sure. <Done><Text>first</Text></Done>"_s};
        const QString thread = draft(u"one"_s);
        QVERIFY(completes(*m_organism, thread));
        const std::optional<ThreadTrace> trace = m_organism->trace(thread, 100);
        QVERIFY(trace);
        QCOMPARE(trace->hops.size(), 2);
        const TraceHop &asked = trace->hops.first(); // api → writer: the writer's handler made the call
        QCOMPARE(asked.llm.size(), 1);
        const LlmExchange &call = asked.llm.first();
        QCOMPARE(call.usage.model, u"fake-1"_s);
        QCOMPARE(call.usage.promptTokens, 120);
        QCOMPARE(call.usage.cachedPromptTokens, 100);
        QCOMPARE(call.usage.completionTokens, 8);
        QCOMPARE(call.response, u"Sure. <Done><Text>first</Text></Done>"_s);
        QCOMPARE(call.prompt.first().role, u"system"_s);
        QVERIFY(call.prompt.first().content.startsWith(u"You write."_s));
        QCOMPARE(call.prompt.last().role, u"user"_s);
        QVERIFY(call.prompt.last().content.contains(u"<Text>one</Text>"_s));
        QVERIFY(trace->hops.last().llm.isEmpty()); // the sink made none
    }

    void aForkedAgentHasTheCopiedHistoryBehindIt()
    {
        m_llm->replies = {u"<Done><Text>first answer</Text></Done>"_s, u"<Done><Text>second answer</Text></Done>"_s};
        const QString thread = draft(u"one"_s);
        QVERIFY(completes(*m_organism, thread));
        draft(u"two"_s, thread); // the same conversation goes on
        QVERIFY(completes(*m_organism, thread));
        const std::optional<ThreadTrace> source = m_organism->trace(thread, 100);
        QCOMPARE(source->hops.size(), 4); // draft one, done, draft two, done
        const QList<LlmMessage> original = m_llm->requests.last().messages;

        // Fork at "draft two", edited: the writer is asked again with the same history behind it.
        std::optional<InjectResult> forked;
        BranchRequest fork;
        fork.kind = ThreadOriginKind::Fork;
        fork.threadId = thread;
        fork.messageId = source->hops.at(2).message.id;
        fork.fields = {{u"text"_s, u"two, edited"_s}};
        m_organism->branchAcknowledged(fork, m_organism, [&forked](const InjectResult &r) { forked = r; });
        QTRY_VERIFY(forked.has_value());
        QVERIFY2(forked->has_value(), qPrintable(failureText(*forked)));
        QVERIFY(completes(*m_organism, (*forked)->threadId));
        const QList<LlmMessage> again = m_llm->requests.last().messages;
        QCOMPARE(again.size(), original.size()); // system, draft one, its answer, draft two
        for (int i = 0; i + 1 < again.size(); ++i) {
            QCOMPARE(again.at(i).role, original.at(i).role);
            QCOMPARE(again.at(i).content, original.at(i).content);
        }
        QVERIFY(again.last().content.contains(u"<Text>two, edited</Text>"_s));
        QVERIFY(!again.last().content.contains(u"<Text>two</Text>"_s));
        // The fork's own trace: two copies, then the forked hop with its call and the answer.
        const std::optional<ThreadTrace> trace = m_organism->trace((*forked)->threadId, 100);
        QCOMPARE(trace->hops.size(), 4);
        QVERIFY(trace->hops.at(0).copied && trace->hops.at(1).copied && !trace->hops.at(2).copied);
        QVERIFY(trace->hops.at(0).llm.isEmpty()); // a copy has no calls of its own
        QCOMPARE(trace->hops.at(2).llm.size(), 1);
    }

private:
    QString draft(const QString &text, const QString &threadId = {})
    {
        InjectRequest request;
        request.to = u"writer"_s;
        request.fields = {{u"text"_s, text}};
        request.threadId = threadId;
        const InjectResult result = test::injectAndWait(*m_organism, request);
        return result.has_value() ? result->threadId : QString();
    }

    std::unique_ptr<test::ScriptedLlm> m_llm; // outlives the organism that calls it
    std::optional<test::OrganismFixture> m_fixture;
    Organism *m_organism = nullptr; // the fixture's
};

QTEST_GUILESS_MAIN(tst_OrganismTrace)
#include "tst_organismtrace.moc"
