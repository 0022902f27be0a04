// A thread's trace with an LLM agent in it: each LLM attempt beside the hop it was made for, with its
// usage and what it was sent and answered; and a fork whose LLM agent really has the copied history
// behind the forked message (its prompt shows the copies, in order, as the original's did).

#include "config/configloader.h"
#include "llm/llmclient.h"
#include "organism.h"
#include "injectandwait.h"

#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <deque>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

// Answers every call on the next turn with the next scripted reply; keeps every request.
class CapturingLlm final : public LlmClient
{
public:
    quint64 complete(const LlmRequest &request, Completion done) override
    {
        requests.append(request);
        LlmResult result;
        result.ok = true;
        result.model = request.model;
        result.provider = u"fake"_s;
        result.backend = u"scripted"_s;
        result.promptTokens = 120;
        result.cachedPromptTokens = 100;
        result.completionTokens = 8;
        result.latencyMs = 42;
        result.content = replies.empty() ? u"<Done><Text>fine</Text></Done>"_s : replies.front();
        if (!replies.empty())
            replies.pop_front();
        QTimer::singleShot(0, this, [done = std::move(done), result] { done(result); });
        return ++m_next;
    }
    void cancel(quint64) override {}
    bool serves(const QString &model) const override { return model == u"fake-1"; }

    QList<LlmRequest> requests;
    std::deque<QString> replies;

private:
    quint64 m_next = 0;
};

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
    return QTest::qWaitFor([&] {
        const auto thread = organism.thread(threadId);
        return thread && thread->status == ThreadStatus::Completed;
    }, 10000);
}

} // namespace

class tst_OrganismTrace : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        QVERIFY(m_dir.emplace().isValid());
        QFile file(m_dir->filePath(u"organism.yaml"_s));
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(kWriters) == kWriters.size());
        file.close();
        m_llm = std::make_unique<CapturingLlm>();
        m_organism = std::make_unique<Organism>();
        m_organism->setLlmClient(m_llm.get());
        const ConfigLoadResult loaded = ConfigLoader::loadFile(m_dir->filePath(u"organism.yaml"_s));
        QVERIFY(loaded.ok());
        QString error;
        QVERIFY2(m_organism->load(*loaded.config, m_dir->filePath(u"data"_s), &error), qPrintable(error));
        QVERIFY(m_organism->start(&error));
    }
    void cleanup()
    {
        m_organism.reset();
        m_llm.reset();
        m_dir.reset();
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
        m_organism->branchAcknowledged(fork, m_organism.get(), [&forked](const InjectResult &r) { forked = r; });
        QTRY_VERIFY(forked.has_value());
        QVERIFY2(forked->ok(), qPrintable(forked->message));
        QVERIFY(completes(*m_organism, forked->threadId));
        const QList<LlmMessage> again = m_llm->requests.last().messages;
        QCOMPARE(again.size(), original.size()); // system, draft one, its answer, draft two
        for (int i = 0; i + 1 < again.size(); ++i) {
            QCOMPARE(again.at(i).role, original.at(i).role);
            QCOMPARE(again.at(i).content, original.at(i).content);
        }
        QVERIFY(again.last().content.contains(u"<Text>two, edited</Text>"_s));
        QVERIFY(!again.last().content.contains(u"<Text>two</Text>"_s));
        // The fork's own trace: two copies, then the forked hop with its call and the answer.
        const std::optional<ThreadTrace> trace = m_organism->trace(forked->threadId, 100);
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
        return result.ok() ? result.threadId : QString();
    }

    std::optional<QTemporaryDir> m_dir;
    std::unique_ptr<CapturingLlm> m_llm;
    std::unique_ptr<Organism> m_organism;
};

QTEST_GUILESS_MAIN(tst_OrganismTrace)
#include "tst_organismtrace.moc"
