#include "backendtestutil.h"
#include "demobackend.h"
#include "schema/schemaregistry.h"

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
    void typedValues_data();
    void typedValues();
    void typedPayloadIsValidAgainstItsSchema();
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
    const QString reply = DemoBackend::compose(demoRequest(u"You are helpful."_s, u"What is the capital of France?"_s));
    QCOMPARE(reply,
             u"Demo reply from demo-1 (no language model was called): you wrote about \"What is the "
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
    QTest::newRow("namespaced incoming")
        << u"Message"_s << u"<?xml version=\"1.0\"?><g:Greeting xmlns:g=\"urn:x\"><g:Name>Bo</g:Name></g:Greeting>"_s
        << u"Hello, Bo! (demo)"_s;
    QTest::newRow("prose around the payload")
        << u"Message"_s << u"New message from api:\n<Greeting><Name>Kim</Name></Greeting>\nThanks"_s
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

// Integer, decimal and boolean fields (the example shows 0, 0.0 and false for them) get plausible values
// taken from the incoming payload, so a demo can drive numeric routing and calculations.
void tst_DemoBackend::typedValues_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("placeholder");
    QTest::addColumn<QString>("incoming");
    QTest::addColumn<QString>("expected");
    const QString order = u"<Order><Item>chairs</Item><Quantity>12</Quantity><Price>4.5</Price></Order>"_s;
    QTest::newRow("integer: same name") << u"Quantity"_s << u"0"_s << order << u"12"_s;
    QTest::newRow("integer: same name, a decimal rounded") << u"Price"_s << u"0"_s << order << u"5"_s;
    QTest::newRow("integer: the first number") << u"Priority"_s << u"0"_s << order << u"12"_s;
    QTest::newRow("integer: a number in the text")
        << u"Priority"_s << u"0"_s << u"<Ticket><Text>printer 3 is down</Text></Ticket>"_s << u"3"_s;
    QTest::newRow("integer: no number at all") << u"Priority"_s << u"0"_s << u"<Ping><Who>Eve</Who></Ping>"_s << u"1"_s;
    QTest::newRow("decimal: same name") << u"Price"_s << u"0.0"_s << order << u"4.5"_s;
    QTest::newRow("decimal: a whole number") << u"Quantity"_s << u"0.0"_s << order << u"12.0"_s;
    QTest::newRow("decimal: the first number") << u"Weight"_s << u"0.0"_s << order << u"12.0"_s;
    QTest::newRow("decimal: a confidence") << u"Confidence"_s << u"0.0"_s << order << u"0.9"_s;
    QTest::newRow("decimal: no number at all")
        << u"Weight"_s << u"0.0"_s << u"<Ping><Who>Eve</Who></Ping>"_s << u"1.0"_s;
    QTest::newRow("boolean: same name") << u"Express"_s << u"false"_s << u"<Order><Express>true</Express></Order>"_s
                                        << u"true"_s;
    QTest::newRow("boolean: mentioned") << u"IsUrgent"_s << u"false"_s
                                        << u"<Ticket><Text>URGENT: the server is down</Text></Ticket>"_s << u"true"_s;
    QTest::newRow("boolean: mentioned by its stem")
        << u"approved"_s << u"false"_s << u"<Ticket><Text>please approve</Text></Ticket>"_s << u"true"_s;
    QTest::newRow("boolean: not mentioned")
        << u"IsUrgent"_s << u"false"_s << u"<Ticket><Text>a question</Text></Ticket>"_s << u"false"_s;
    QTest::newRow("boolean: element names do not count")
        << u"HasText"_s << u"false"_s << u"<Ticket><Text>hi</Text></Ticket>"_s << u"false"_s;
    QTest::newRow("text expression: the numbers added")
        << u"Expression"_s << u"..."_s << u"<Q><Text>3 cars with 4 wheels</Text></Q>"_s << u"3 + 4"_s;
    QTest::newRow("text expression: no numbers")
        << u"Expression"_s << u"..."_s << u"<Q><Text>how many?</Text></Q>"_s << u"1 + 1"_s;
}

void tst_DemoBackend::typedValues()
{
    QFETCH(QString, field);
    QFETCH(QString, placeholder);
    QFETCH(QString, incoming);
    QFETCH(QString, expected);
    const QString system = u"<example peer=\"p\">\n<Out>\n  <%1>%2</%1>\n</Out>\n</example>"_s.arg(field, placeholder);
    const QString reply = DemoBackend::compose(demoRequest(system, incoming));
    QVERIFY2(reply.contains(u"<%1>%2</%1>"_s.arg(field, expected)), qPrintable(reply));
}

// The example the agent listener really shows (from the schema registry), filled, validates.
void tst_DemoBackend::typedPayloadIsValidAgainstItsSchema()
{
    const auto field = [](const QString &name, const QString &type) { return FieldSpec{name, type, false, false, 0}; };
    const QList<PayloadTypeSpec> types{
        {u"Ticket"_s, {field(u"text"_s, u"string"_s)}, 0},
        {u"Verdict"_s,
         {field(u"label"_s, u"string"_s), field(u"priority"_s, u"integer"_s), field(u"score"_s, u"decimal"_s),
          field(u"is_urgent"_s, u"boolean"_s), field(u"expression"_s, u"string"_s)},
         0}};
    QString error;
    const std::unique_ptr<SchemaRegistry> schemas = SchemaRegistry::build(types, &error);
    QVERIFY2(schemas, qPrintable(error));
    const QString system = u"<example peer=\"router\">\n%1\n</example>\n"_s.arg(schemas->exampleXml(u"Verdict"_s));
    const QString reply = DemoBackend::compose(
        demoRequest(system, u"Message from api:\n<Ticket><Text>Urgent: 2 of 7 printers are down</Text></Ticket>"_s));
    Payload payload;
    SchemaError invalid;
    QVERIFY2(schemas->parsePayload(payloadOf(reply).toUtf8(), u"Verdict"_s, &payload, &invalid),
             qPrintable(invalid.message + u"\n"_s + reply));
    QCOMPARE(payload.fields.value(u"priority"_s).toLongLong(), 2);
    QCOMPARE(payload.fields.value(u"score"_s).toDouble(), 7.0);
    QCOMPARE(payload.fields.value(u"is_urgent"_s).toBool(), true);
    QCOMPARE(payload.fields.value(u"expression"_s).toString(), u"2 + 7"_s);
}

void tst_DemoBackend::valuesAreEscapedAndThePayloadIsWellFormed()
{
    const QString reply = DemoBackend::compose(
        demoRequest(HelloSystemPrompt, u"<Greeting><Name>A &amp; B &lt;x&gt;</Name></Greeting>"_s));
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
    const quint64 first = backend.send(demoRequest(HelloSystemPrompt, HelloPayload),
                                       [&answers](const BackendReply &) { answers += 100; });
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
