#include "backendtestutil.h"
#include "demobackend.h"

#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

// What the agent listener writes into the system prompt for each peer.
const QString HelloSystemPrompt = u"You are the greeter. Greet the person named in the message.\n"
                                  "Reply with a short sentence and one payload for a peer.\n"
                                  "<example peer=\"shouter\">\n"
                                  "<GreetingResponse>\n"
                                  "  <Message>...</Message>\n"
                                  "  <OriginalSender>...</OriginalSender>\n"
                                  "</GreetingResponse>\n"
                                  "</example>\n"_s;

const QString HelloPayload = u"<Greeting><Name>Dan</Name></Greeting>"_s;

LlmRequest demoRequest(const QString &system, const QString &user)
{
    LlmRequest request = chatRequest(u"demo-1"_s, system, user);
    return request;
}

// The payload part of a demo reply: everything after the prose paragraph.
QString payloadOf(const QString &reply)
{
    const qsizetype gap = reply.indexOf(u"\n\n"_s);
    return gap < 0 ? QString() : reply.mid(gap + 2);
}

} // namespace

// The offline demo: deterministic replies shaped like a model's, clearly labelled, never a network.
class tst_DemoBackend : public QObject
{
    Q_OBJECT
private slots:
    void helloWorldReply();
    void tokensAreEstimatedFromTheText();
    void sameRequestSameReply();
    void onlyTheFirstPeerGetsAPayload();
    void proseWithoutExample();
    void fieldValues_data();
    void fieldValues();
    void valuesAreEscapedAndThePayloadIsWellFormed();
    void replyIsNeverSynchronous();
    void abortedAttemptIsNeverAnswered();
    void servesEveryModelUnlessListed();
};

void tst_DemoBackend::helloWorldReply()
{
    DemoBackend backend(backendConfig(u"demo"_s, {}));
    const std::optional<BackendReply> reply = sendAndWait(backend, demoRequest(HelloSystemPrompt, HelloPayload));
    QVERIFY(reply);
    QVERIFY(reply->ok);
    QCOMPARE(reply->result.content,
             u"Demo reply from demo-1 (no language model was called): passing \"Dan\" on to shouter.\n\n"
             "<GreetingResponse>\n"
             "  <Message>Hello, Dan! (demo)</Message>\n"
             "  <OriginalSender>Dan</OriginalSender>\n"
             "</GreetingResponse>"_s);
    QCOMPARE(reply->result.model, u"demo-1"_s);
    QVERIFY(reply->result.estimatedTokens);
}

void tst_DemoBackend::tokensAreEstimatedFromTheText()
{
    DemoBackend backend(backendConfig(u"demo"_s, {}));
    const LlmRequest request = demoRequest(HelloSystemPrompt, HelloPayload);
    const std::optional<BackendReply> reply = sendAndWait(backend, request);
    QVERIFY(reply);
    const qsizetype promptChars = HelloSystemPrompt.size() + HelloPayload.size();
    QCOMPARE(reply->result.promptTokens, (promptChars + 3) / 4);
    QCOMPARE(reply->result.completionTokens, (reply->result.content.size() + 3) / 4);
    QCOMPARE(reply->result.cachedPromptTokens, 0);
    QVERIFY(reply->result.estimatedTokens);
}

void tst_DemoBackend::sameRequestSameReply()
{
    const LlmRequest request = demoRequest(HelloSystemPrompt, u"<Greeting><Name>Ada</Name></Greeting>"_s);
    QCOMPARE(DemoBackend::compose(request), DemoBackend::compose(request));
    QVERIFY(DemoBackend::compose(request).contains(u"<Message>Hello, Ada! (demo)</Message>"_s));
}

void tst_DemoBackend::onlyTheFirstPeerGetsAPayload()
{
    const QString system = HelloSystemPrompt
                           + u"<example peer=\"logger\">\n<LogEntry>\n  <Text>...</Text>\n</LogEntry>\n</example>\n"_s;
    const QString reply = DemoBackend::compose(demoRequest(system, HelloPayload));
    QVERIFY(reply.contains(u"on to shouter."_s));
    QVERIFY(reply.contains(u"<GreetingResponse>"_s));
    QVERIFY(!reply.contains(u"LogEntry"_s));
}

void tst_DemoBackend::proseWithoutExample()
{
    const QString reply =
        DemoBackend::compose(demoRequest(u"You are helpful."_s, u"What is the capital of France?"_s));
    QCOMPARE(reply, u"Demo reply from demo-1 (no language model was called): you wrote about \"What is the "
                    "capital of France?\". This canned answer stands in for a real model in the offline demo."_s);
    QVERIFY(!reply.contains(u'<'));
}

void tst_DemoBackend::fieldValues_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("incoming");
    QTest::addColumn<QString>("expected");
    const QString greeting = u"<Greeting><Name>Dan</Name><Age>42</Age></Greeting>"_s;
    QTest::newRow("first text field greets") << u"Message"_s << greeting << u"Hello, Dan! (demo)"_s;
    QTest::newRow("same name is copied") << u"Age"_s << greeting << u"42"_s;
    QTest::newRow("snake_case matches PascalCase") << u"name"_s << greeting << u"Dan"_s;
    QTest::newRow("sender gets the subject") << u"OriginalSender"_s << greeting << u"Dan"_s;
    QTest::newRow("author gets the subject") << u"Author"_s << greeting << u"Dan"_s;
    QTest::newRow("count gets the first number") << u"WordCount"_s << greeting << u"42"_s;
    QTest::newRow("count without numbers is 1") << u"Count"_s << u"<Ping><Who>Eve</Who></Ping>"_s << u"1"_s;
    QTest::newRow("flag is true") << u"IsUrgent"_s << greeting << u"true"_s;
    QTest::newRow("snake flag is true") << u"has_reply"_s << greeting << u"true"_s;
    QTest::newRow("Issue is no flag") << u"Issue"_s << greeting << u"Hello, Dan! (demo)"_s;
    QTest::newRow("namespaced incoming") << u"Message"_s
                                         << u"<?xml version=\"1.0\"?><g:Greeting xmlns:g=\"urn:x\"><g:Name>Bo</g:Name></g:Greeting>"_s
                                         << u"Hello, Bo! (demo)"_s;
    QTest::newRow("prose around the payload") << u"Message"_s
                                              << u"New message from api:\n<Greeting><Name>Kim</Name></Greeting>\nThanks"_s
                                              << u"Hello, Kim! (demo)"_s;
    QTest::newRow("no payload at all") << u"Message"_s << u"just text"_s << u"Hello, just text! (demo)"_s;
    QTest::newRow("empty message") << u"Message"_s << QString() << u"Hello, world! (demo)"_s;
}

void tst_DemoBackend::fieldValues()
{
    QFETCH(QString, field);
    QFETCH(QString, incoming);
    QFETCH(QString, expected);
    const QString system = u"<example peer=\"p\">\n<Out>\n  <%1>...</%1>\n</Out>\n</example>"_s.arg(field);
    const QString reply = DemoBackend::compose(demoRequest(system, incoming));
    QVERIFY2(reply.contains(u"<%1>%2</%1>"_s.arg(field, expected)), qPrintable(reply));
}

void tst_DemoBackend::valuesAreEscapedAndThePayloadIsWellFormed()
{
    const QString reply =
        DemoBackend::compose(demoRequest(HelloSystemPrompt, u"<Greeting><Name>A &amp; B &lt;x&gt;</Name></Greeting>"_s));
    QVERIFY2(reply.contains(u"<Message>Hello, A &amp; B &lt;x&gt;! (demo)</Message>"_s), qPrintable(reply));
    // The prose never holds an element start, so a reader looking for the payload finds the real one.
    QCOMPARE(reply.indexOf(u'<'), reply.indexOf(u"<GreetingResponse>"_s));
    QXmlStreamReader reader(payloadOf(reply));
    QStringList texts;
    while (!reader.atEnd()) {
        if (reader.readNext() == QXmlStreamReader::Characters && !reader.isWhitespace())
            texts.append(reader.text().toString());
    }
    QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
    QCOMPARE(texts, QStringList({u"Hello, A & B <x>! (demo)"_s, u"A & B <x>"_s}));
}

void tst_DemoBackend::replyIsNeverSynchronous()
{
    DemoBackend backend(backendConfig(u"demo"_s, {}));
    bool answered = false;
    backend.send(demoRequest(HelloSystemPrompt, HelloPayload), [&answered](const BackendReply &) { answered = true; });
    QVERIFY(!answered);
    QTRY_VERIFY(answered);
}

void tst_DemoBackend::abortedAttemptIsNeverAnswered()
{
    DemoBackend backend(backendConfig(u"demo"_s, {}));
    int answers = 0;
    const quint64 first =
        backend.send(demoRequest(HelloSystemPrompt, HelloPayload), [&answers](const BackendReply &) { answers += 100; });
    backend.send(demoRequest(HelloSystemPrompt, HelloPayload), [&answers](const BackendReply &) { ++answers; });
    backend.abort(first);
    // The second reply comes after the first would have: once it is in, the first is known to be gone.
    QTRY_COMPARE(answers, 1);
    QCOMPARE(backend.active(), 0);
}

void tst_DemoBackend::servesEveryModelUnlessListed()
{
    DemoBackend any(backendConfig(u"demo"_s, {}));
    QVERIFY(any.serves(u"demo-1"_s));
    QVERIFY(any.serves(u"gpt-4o"_s));
    QVERIFY(any.problem().isEmpty());
    LlmBackendConfig listed = backendConfig(u"demo"_s, {});
    listed.models = QStringList{u"demo-1"_s};
    DemoBackend only(listed);
    QVERIFY(only.serves(u"demo-1"_s));
    QVERIFY(!only.serves(u"demo-2"_s));
}

QTEST_MAIN(tst_DemoBackend)
#include "tst_demobackend.moc"
