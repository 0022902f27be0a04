// provider: scripted, as a person testing an organism uses it: organism.yaml and replies.yaml on disk,
// the real loader, router, agent listeners and history. Rules pick replies by the incoming payload,
// replies without rules come in turn, placeholders are filled, an `error` entry fails the call (and a
// listener's retry: goes on), `usage` is metered as given; every mistake in the replies file is named
// with its file, line and key.

#include "config/configloader.h"
#include "llmrouter.h"
#include "organism.h"
#include "injectandwait.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QByteArray kOrganism = R"(organism: {name: scripted-test}
payloads:
  Ticket: {subject: string, priority: string}
  BillingCase: {note: string}
  Verdict: {label: string, note: string}
listeners:
  - name: triage
    description: Sorts tickets
    payload_class: Ticket
    agent: true
    model: test-model
    peers: [billing, general]
  - name: billing
    description: Billing tickets
    payload_class: BillingCase
    handler: builtin:sink
  - name: general
    description: Everything else
    payload_class: Verdict
    handler: builtin:sink
llm:
  backends:
    - {provider: scripted, replies: replies.yaml}
)";

const QByteArray kRules = R"(triage:
  - when: {contains: refund}
    reply: |
      Billing, clearly.
      <BillingCase><Note>{subject} (from {from})</Note></BillingCase>
  - when: {fields: {priority: high}}
    reply: <Verdict><Label>urgent</Label><Note>{subject}</Note></Verdict>
    usage: {prompt_tokens: 600, completion_tokens: 50}
  - reply: <Verdict><Label>general</Label><Note>{subject}</Note></Verdict>
)";

struct Running
{
    std::unique_ptr<LlmRouter> router;
    std::unique_ptr<Organism> organism;
};

} // namespace

class tst_ScriptedProvider : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void rulesPickTheReplyByThePayload();
    void repliesWithoutRulesComeInTurn();
    void anErrorEntryFailsTheCallAndRetryGoesOn();
    void noMatchingRuleNamesTheAgentAndThePayload();
    void mistakesInTheRepliesFile_data();
    void mistakesInTheRepliesFile();

private:
    bool write(const QString &name, const QByteArray &content);
    Running start(QString *error);
    QString inject(Organism &organism, const QString &subject, const QString &priority = u"low"_s);
    QString statusOf(Organism &organism, const QString &threadId);
    QStringList deliveredTo(Organism &organism, const QString &threadId);

    std::optional<QTemporaryDir> m_dir;
};

void tst_ScriptedProvider::init()
{
    QVERIFY(m_dir.emplace().isValid());
}

void tst_ScriptedProvider::cleanup()
{
    m_dir.reset();
}

bool tst_ScriptedProvider::write(const QString &name, const QByteArray &content)
{
    QFile file(m_dir->filePath(name));
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

Running tst_ScriptedProvider::start(QString *error)
{
    Running running;
    const ConfigLoadResult loaded = ConfigLoader::loadFile(m_dir->filePath(u"organism.yaml"_s));
    if (!loaded.ok()) {
        for (const ConfigError &problem : loaded.errors)
            *error += problem.toString() + u'\n';
        return running;
    }
    running.router = std::make_unique<LlmRouter>(loaded.config->llm);
    running.organism = std::make_unique<Organism>();
    running.organism->setLlmClient(running.router.get());
    const Result<> started = running.organism->load(*loaded.config, m_dir->filePath(u"data"_s)).and_then([&running] {
        return running.organism->start();
    });
    if (!started) {
        *error = started.error().message;
        running.organism.reset();
    }
    return running;
}

QString tst_ScriptedProvider::inject(Organism &organism, const QString &subject, const QString &priority)
{
    InjectRequest request;
    request.to = u"triage"_s;
    request.fields = {{u"subject"_s, subject}, {u"priority"_s, priority}};
    const InjectResult result = test::injectAndWait(organism, request);
    return result.has_value() ? result->threadId : QString();
}

QString tst_ScriptedProvider::statusOf(Organism &organism, const QString &threadId)
{
    const auto thread = organism.thread(threadId);
    return thread ? toString(thread->status) : QString();
}

// "to:label:note" of each answer the triage agent sent in the thread (a BillingCase has no label), oldest first.
QStringList tst_ScriptedProvider::deliveredTo(Organism &organism, const QString &threadId)
{
    MessageQuery query;
    query.threadId = threadId;
    query.limit = 100;
    QStringList out;
    const MessagePage page = organism.messages(query);
    for (auto it = page.items.crbegin(); it != page.items.crend(); ++it) {
        if (it->from == u"triage")
            out.append(it->to + u':' + it->fields.value(u"label"_s).toString() + u':'
                       + it->fields.value(u"note"_s).toString());
    }
    return out;
}

void tst_ScriptedProvider::rulesPickTheReplyByThePayload()
{
    QVERIFY(write(u"organism.yaml"_s, kOrganism));
    QVERIFY(write(u"replies.yaml"_s, kRules));
    QString error;
    Running running = start(&error);
    QVERIFY2(running.organism, qPrintable(error));
    Organism &organism = *running.organism;

    const QString refund = inject(organism, u"Refund my order"_s);
    const QString urgent = inject(organism, u"Server down"_s, u"high"_s);
    const QString other = inject(organism, u"Hello"_s);
    for (const QString &thread : {refund, urgent, other})
        QTRY_COMPARE(statusOf(organism, thread), u"completed"_s);
    QCOMPARE(deliveredTo(organism, refund), QStringList{u"billing::Refund my order (from api)"_s});
    QCOMPARE(deliveredTo(organism, urgent), QStringList{u"general:urgent:Server down"_s});
    QCOMPARE(deliveredTo(organism, other), QStringList{u"general:general:Hello"_s});

    // Usage: as the entry says where it says so, estimated elsewhere; every call metered.
    const UsageCounters triage = organism.agentUsage(u"triage"_s);
    QCOMPARE(triage.requestCount, 3);
    QVERIFY(triage.promptTokens > 600);
    QVERIFY(triage.completionTokens > 50);
}

void tst_ScriptedProvider::repliesWithoutRulesComeInTurn()
{
    QVERIFY(write(u"organism.yaml"_s, kOrganism));
    QVERIFY(write(u"replies.yaml"_s,
                  "triage:\n"
                  "  - <Verdict><Label>one</Label><Note>{subject}</Note></Verdict>\n"
                  "  - '<Verdict><Label>two</Label><Note>{priority}</Note></Verdict>'\n"));
    QString error;
    Running running = start(&error);
    QVERIFY2(running.organism, qPrintable(error));
    QStringList labels;
    for (const QString &subject : {u"a"_s, u"b"_s, u"c"_s}) {
        const QString thread = inject(*running.organism, subject);
        QTRY_COMPARE(statusOf(*running.organism, thread), u"completed"_s);
        labels += deliveredTo(*running.organism, thread);
    }
    QCOMPARE(labels, (QStringList{u"general:one:a"_s, u"general:two:low"_s, u"general:one:c"_s}));
}

void tst_ScriptedProvider::anErrorEntryFailsTheCallAndRetryGoesOn()
{
    QByteArray yaml = kOrganism;
    QVERIFY(write(u"organism.yaml"_s, yaml));
    QVERIFY(write(u"replies.yaml"_s,
                  "triage:\n"
                  "  - error: the model is overloaded\n"
                  "  - <Verdict><Label>fine</Label><Note>ok</Note></Verdict>\n"));
    QString error;
    Running running = start(&error);
    QVERIFY2(running.organism, qPrintable(error));
    const QString failed = inject(*running.organism, u"x"_s);
    QTRY_COMPARE(statusOf(*running.organism, failed), u"error"_s);
    QVERIFY2(running.organism->thread(failed)->error.contains(u"scripted: the model is overloaded"_s),
             qPrintable(running.organism->thread(failed)->error));
    running.organism.reset();
    running.router.reset();

    // With retry: the second try gets the next reply and the thread completes.
    yaml.replace("    peers: [billing, general]\n",
                 "    peers: [billing, general]\n    retry: {attempts: 2, backoff: 10ms}\n");
    QVERIFY(write(u"organism.yaml"_s, yaml));
    QVERIFY(QDir(m_dir->filePath(u"data"_s)).removeRecursively());
    running = start(&error);
    QVERIFY2(running.organism, qPrintable(error));
    const QString retried = inject(*running.organism, u"y"_s);
    QTRY_COMPARE(statusOf(*running.organism, retried), u"completed"_s);
    QCOMPARE(deliveredTo(*running.organism, retried), QStringList{u"general:fine:ok"_s});
}

void tst_ScriptedProvider::noMatchingRuleNamesTheAgentAndThePayload()
{
    QVERIFY(write(u"organism.yaml"_s, kOrganism));
    QVERIFY(write(u"replies.yaml"_s, "triage:\n  - when: {from: operator}\n    reply: nothing\n"));
    QString error;
    Running running = start(&error);
    QVERIFY2(running.organism, qPrintable(error));
    const QString thread = inject(*running.organism, u"lost"_s);
    QTRY_COMPARE(statusOf(*running.organism, thread), u"error"_s);
    const QString reason = running.organism->thread(thread)->error;
    QVERIFY2(reason.contains(u"scripted: no scripted reply of triage ("_s + m_dir->filePath(u"replies.yaml"_s)
                             + u") matches the message from api: <Ticket>"_s),
             qPrintable(reason));
}

void tst_ScriptedProvider::mistakesInTheRepliesFile_data()
{
    QTest::addColumn<QByteArray>("replies");
    QTest::addColumn<QString>("expected"); // the error, with the replies file as "REPLIES", organism.yaml as "ORGANISM"
    QTest::addColumn<QByteArray>("backend"); // instead of the scripted backend line

    QTest::newRow("replies missing") << QByteArray("triage:\n  - hello\n")
                                     << u"ORGANISM:23: llm.backends[0].replies: is required but missing"_s
                                     << QByteArray("    - {provider: scripted}\n");
    QTest::newRow("file not found") << QByteArray()
                                    << u"ORGANISM:23: llm.backends[0].replies: file not found: DIR/nowhere.yaml"_s
                                    << QByteArray("    - {provider: scripted, replies: nowhere.yaml}\n");
    QTest::newRow("replies for another provider")
        << QByteArray("triage:\n  - hello\n")
        << u"ORGANISM:23: llm.backends[0].replies: only `provider: scripted` reads replies from a file"_s
        << QByteArray("    - {provider: demo, replies: replies.yaml}\n");

    QTest::newRow("unknown agent") << QByteArray("triag:\n  - hello\n")
                                   << u"REPLIES:1: triag: no listener is named `triag` (did you mean `triage`?); "
                                      "listeners: triage, billing, general"_s
                                   << QByteArray();
    QTest::newRow("entry without reply")
        << QByteArray("triage:\n  - when: {contains: x}\n")
        << u"REPLIES:2: triage[0]: needs `reply` (what the model answers) or `error` (the call fails with this)"_s
        << QByteArray();
    QTest::newRow("unknown condition")
        << QByteArray("triage:\n  - when: {contain: x}\n    reply: y\n")
        << u"REPLIES:2: triage[0].when.contain: unknown key (did you mean `contains`?); known keys here: contains, "
           "matches, fields, from, type"_s
        << QByteArray();
    QTest::newRow("bad regular expression")
        << QByteArray("triage:\n  - when: {matches: '(unclosed'}\n    reply: y\n")
        << u"REPLIES:2: triage[0].when.matches: not a regular expression: missing closing parenthesis"_s
        << QByteArray();
    QTest::newRow("not a list") << QByteArray("triage: hello\n")
                                << u"REPLIES:1: triage: expected a list of replies (- \"…\") or rules (- {when: …, "
                                   "reply: …}), found `hello`"_s
                                << QByteArray();
    QTest::newRow("invalid YAML") << QByteArray("triage:\n  - when: {contains: x\n    reply: y\n")
                                  << u"REPLIES:2: triage[0].when: invalid YAML: the map `{` opened on line 2"_s
                                  << QByteArray();
}

void tst_ScriptedProvider::mistakesInTheRepliesFile()
{
    QFETCH(QByteArray, replies);
    QFETCH(QString, expected);
    QFETCH(QByteArray, backend);
    QByteArray organism = kOrganism;
    if (!backend.isEmpty())
        organism.replace("    - {provider: scripted, replies: replies.yaml}\n", backend);
    QVERIFY(write(u"organism.yaml"_s, organism));
    if (!replies.isNull())
        QVERIFY(write(u"replies.yaml"_s, replies));
    const ConfigLoadResult loaded = ConfigLoader::loadFile(m_dir->filePath(u"organism.yaml"_s));
    QVERIFY2(loaded.errors.size() == 1,
             qPrintable(loaded.errors.isEmpty() ? u"none"_s : loaded.errors.last().toString()));
    const QString got = loaded.errors.first().toString();
    const QString want = QString(expected)
                             .replace(u"REPLIES"_s, m_dir->filePath(u"replies.yaml"_s))
                             .replace(u"ORGANISM"_s, m_dir->filePath(u"organism.yaml"_s))
                             .replace(u"DIR"_s, m_dir->path());
    QVERIFY2(got.startsWith(want), qPrintable(got + u"\nwanted: "_s + want));
}

QTEST_GUILESS_MAIN(tst_ScriptedProvider)
#include "tst_scriptedprovider.moc"
