// The built-in handlers, each driven through handle() with a HandlerCall as the pump drives them: what
// each one sends to whom (peers, or back to the sender), how fields map onto the target's own type, the
// format templates and their placeholders, calculate's results and refusals, and sink's silence.

#include "listeners/builtinlistener.h"
#include "schema/schemaregistry.h"
#include "support/payloadtypes.h"

#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::payloadType;

namespace {

// What the listener reported for one call.
struct Outcome
{
    HandlerCall::Outcome kind = HandlerCall::Outcome::Held;
    QList<OutgoingMessage> replies;
    QString text;
    int reports = 0;
};

} // namespace

class tst_BuiltinListener : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void namesAndUnknownKind();
    void shoutUpperCasesEveryString();
    void echoMapsFieldsOntoEachPeersType();
    void repliesToTheSenderWithoutPeers();
    void noPeersAndNoListenerSenderSendsNothing();
    void peerOfUnknownTypeFails();
    void formatFillsTemplates();
    void calculateAddsTheResult();
    void calculateFromAnotherField();
    void calculateRefusals_data();
    void calculateRefusals();
    void sinkSendsNothing();

private:
    std::unique_ptr<BuiltinListener> make(const QString &kind, const QStringList &peers = {},
                                          const QVariantMap &options = {});
    Outcome run(BuiltinListener &listener, const QString &from, const QVariantMap &fields);

    std::unique_ptr<SchemaRegistry> m_schemas;
    // listener name → payload type, as the organism's table would answer.
    QHash<QString, QString> m_types;
};

void tst_BuiltinListener::initTestCase()
{
    QString error;
    m_schemas = SchemaRegistry::build(
        {payloadType(u"Greeting"_s, {u"name:string"_s, u"count:integer?"_s}),
         payloadType(u"Reply"_s, {u"name:string"_s, u"message:string?"_s}),
         payloadType(u"Letter"_s, {u"name:string"_s, u"tags:string[]"_s, u"address:Address?"_s, u"count:integer?"_s}),
         payloadType(u"Address"_s, {u"street:string"_s}),
         payloadType(u"Sum"_s, {u"expression:string?"_s, u"formula:string?"_s, u"result:decimal?"_s})},
        &error);
    QVERIFY2(m_schemas, qPrintable(error));
    m_types = {{u"greeter"_s, u"Greeting"_s},
               {u"replier"_s, u"Reply"_s},
               {u"post"_s, u"Letter"_s},
               {u"adder"_s, u"Sum"_s},
               {u"ghost"_s, u"Phantom"_s}};
}

std::unique_ptr<BuiltinListener> tst_BuiltinListener::make(const QString &kind, const QStringList &peers,
                                                           const QVariantMap &options)
{
    ListenerConfig config;
    config.name = u"worker"_s;
    config.handler.builtin = kind;
    config.peers = peers;
    config.options = options;
    ListenerEnvironment environment;
    environment.schemas = [this] { return m_schemas.get(); };
    environment.payloadTypeOf = [this](const QString &name) { return m_types.value(name); };
    QString error;
    auto listener = BuiltinListener::create(config, environment, &error);
    if (!listener)
        qWarning("%s", qPrintable(error));
    return listener;
}

Outcome tst_BuiltinListener::run(BuiltinListener &listener, const QString &from, const QVariantMap &fields)
{
    MessageRecord incoming;
    incoming.threadId = u"t-42"_s;
    incoming.from = from;
    incoming.to = listener.name();
    incoming.fields = fields;
    Outcome outcome;
    auto call = std::make_shared<HandlerCall>(
        7, incoming, [&outcome](quint64 id, HandlerCall::Outcome kind, QList<OutgoingMessage> replies, QString text) {
            QCOMPARE(id, quint64(7));
            outcome.kind = kind;
            outcome.replies = std::move(replies);
            outcome.text = std::move(text);
            ++outcome.reports;
        });
    listener.handle(call);
    // Built-ins answer at once and exactly once.
    [&] { QVERIFY(call->isDone()); }();
    return outcome;
}

void tst_BuiltinListener::namesAndUnknownKind()
{
    QCOMPARE(BuiltinListener::names(), (QStringList{u"shout"_s, u"echo"_s, u"sink"_s, u"calculate"_s, u"format"_s}));
    for (const QString &kind : BuiltinListener::names())
        QVERIFY2(make(kind), qPrintable(kind));
    ListenerConfig config;
    config.handler.builtin = u"whisper"_s;
    QString error;
    QVERIFY(!BuiltinListener::create(config, {}, &error));
    QCOMPARE(error, u"unknown built-in handler 'whisper' (built-ins: shout, echo, sink, calculate, format)"_s);
}

void tst_BuiltinListener::shoutUpperCasesEveryString()
{
    auto listener = make(u"shout"_s, {u"post"_s});
    const QVariantMap fields{{u"name"_s, u"Ada Lovelace"_s},
                             {u"tags"_s, QVariantList{u"one"_s, u"twö"_s}},
                             {u"address"_s, QVariantMap{{u"street"_s, u"main st"_s}}},
                             {u"count"_s, qint64(3)}};
    const Outcome outcome = run(*listener, u"greeter"_s, fields);
    QCOMPARE(outcome.kind, HandlerCall::Outcome::Finished);
    QCOMPARE(outcome.reports, 1);
    QCOMPARE(outcome.replies.size(), 1);
    const OutgoingMessage &reply = outcome.replies.first();
    QCOMPARE(reply.to, u"post"_s);
    QCOMPARE(reply.payload.type, u"Letter"_s);
    QCOMPARE(reply.payload.fields.value(u"name"_s), QVariant(u"ADA LOVELACE"_s));
    QCOMPARE(reply.payload.fields.value(u"tags"_s), QVariant(QVariantList{u"ONE"_s, u"TWÖ"_s}));
    QCOMPARE(reply.payload.fields.value(u"address"_s), QVariant(QVariantMap{{u"street"_s, u"MAIN ST"_s}}));
    QCOMPARE(reply.payload.fields.value(u"count"_s), QVariant(qint64(3))); // not a string: unchanged
}

void tst_BuiltinListener::echoMapsFieldsOntoEachPeersType()
{
    auto listener = make(u"echo"_s, {u"replier"_s, u"greeter"_s});
    const QVariantMap fields{{u"name"_s, u"Ada"_s}, {u"count"_s, qint64(2)}, {u"extra"_s, u"dropped"_s}};
    const Outcome outcome = run(*listener, u"someone"_s, fields);
    QCOMPARE(outcome.kind, HandlerCall::Outcome::Finished);
    QCOMPARE(outcome.replies.size(), 2);
    // Each peer gets its own type; only the fields that type declares are copied, unchanged.
    QCOMPARE(outcome.replies[0].to, u"replier"_s);
    QCOMPARE(outcome.replies[0].payload.type, u"Reply"_s);
    QCOMPARE(outcome.replies[0].payload.fields, (QVariantMap{{u"name"_s, u"Ada"_s}}));
    QCOMPARE(outcome.replies[1].to, u"greeter"_s);
    QCOMPARE(outcome.replies[1].payload.type, u"Greeting"_s);
    QCOMPARE(outcome.replies[1].payload.fields, (QVariantMap{{u"name"_s, u"Ada"_s}, {u"count"_s, qint64(2)}}));
}

void tst_BuiltinListener::repliesToTheSenderWithoutPeers()
{
    auto listener = make(u"echo"_s);
    const Outcome outcome = run(*listener, u"replier"_s, {{u"name"_s, u"Ada"_s}});
    QCOMPARE(outcome.kind, HandlerCall::Outcome::Finished);
    QCOMPARE(outcome.replies.size(), 1);
    QCOMPARE(outcome.replies.first().to, u"replier"_s);
    QCOMPARE(outcome.replies.first().payload.type, u"Reply"_s);
    QCOMPARE(outcome.replies.first().payload.fields, (QVariantMap{{u"name"_s, u"Ada"_s}}));
}

void tst_BuiltinListener::noPeersAndNoListenerSenderSendsNothing()
{
    // The operator (or the API) is not a listener: there is nobody to answer, and that is no failure.
    auto listener = make(u"shout"_s);
    const Outcome outcome = run(*listener, u"operator"_s, {{u"name"_s, u"Ada"_s}});
    QCOMPARE(outcome.kind, HandlerCall::Outcome::Finished);
    QVERIFY(outcome.replies.isEmpty());
    QCOMPARE(outcome.reports, 1);
}

void tst_BuiltinListener::peerOfUnknownTypeFails()
{
    auto listener = make(u"echo"_s, {u"replier"_s, u"ghost"_s});
    const Outcome outcome = run(*listener, u"greeter"_s, {{u"name"_s, u"Ada"_s}});
    QCOMPARE(outcome.kind, HandlerCall::Outcome::Failed);
    QCOMPARE(outcome.text, u"worker cannot address ghost: its payload type 'Phantom' is unknown"_s);
    QVERIFY(outcome.replies.isEmpty()); // nothing half-sent
}

void tst_BuiltinListener::formatFillsTemplates()
{
    auto listener = make(
        u"format"_s, {u"replier"_s},
        {{u"message"_s, u"Hello, {name}! {count} from {from} to {to} in {thread}; {missing} {not a key}"_s}});
    const Outcome outcome = run(*listener, u"greeter"_s, {{u"name"_s, u"Ada"_s}, {u"count"_s, qint64(3)}});
    QCOMPARE(outcome.kind, HandlerCall::Outcome::Finished);
    QCOMPARE(outcome.replies.size(), 1);
    const QVariantMap sent = outcome.replies.first().payload.fields;
    // A field with a template gets the rendered text; unknown placeholders stay as written; a field
    // without a template is copied.
    QCOMPARE(sent.value(u"message"_s),
             QVariant(u"Hello, Ada! 3 from greeter to worker in t-42; {missing} {not a key}"_s));
    QCOMPARE(sent.value(u"name"_s), QVariant(u"Ada"_s));
    QCOMPARE(sent.size(), 2);

    // A template may overwrite a same-named field, and a non-string option is no template.
    auto renamer = make(u"format"_s, {u"replier"_s}, {{u"name"_s, u"Dr {name}"_s}, {u"message"_s, 42}});
    const Outcome renamed = run(*renamer, u"greeter"_s, {{u"name"_s, u"Ada"_s}});
    QCOMPARE(renamed.replies.first().payload.fields, (QVariantMap{{u"name"_s, u"Dr Ada"_s}}));
}

void tst_BuiltinListener::calculateAddsTheResult()
{
    auto listener = make(u"calculate"_s, {u"adder"_s});
    const Outcome outcome = run(*listener, u"greeter"_s, {{u"expression"_s, u"2 * (3 + 4) - sqrt(16)"_s}});
    QCOMPARE(outcome.kind, HandlerCall::Outcome::Finished);
    QCOMPARE(outcome.replies.size(), 1);
    const QVariantMap sent = outcome.replies.first().payload.fields;
    QCOMPARE(sent.value(u"result"_s).toDouble(), 10.0);
    QCOMPARE(sent.value(u"expression"_s), QVariant(u"2 * (3 + 4) - sqrt(16)"_s));
}

void tst_BuiltinListener::calculateFromAnotherField()
{
    auto listener = make(u"calculate"_s, {u"adder"_s}, {{u"field"_s, u"formula"_s}});
    const Outcome outcome = run(*listener, u"greeter"_s, {{u"formula"_s, u"1.5 + 1"_s}, {u"expression"_s, u"junk("_s}});
    QCOMPARE(outcome.kind, HandlerCall::Outcome::Finished);
    QCOMPARE(outcome.replies.first().payload.fields.value(u"result"_s).toDouble(), 2.5);
}

void tst_BuiltinListener::calculateRefusals_data()
{
    QTest::addColumn<QVariantMap>("fields");
    QTest::addColumn<QString>("errorStart");
    QTest::newRow("no expression") << QVariantMap{{u"name"_s, u"x"_s}}
                                   << u"calculate: the payload has no 'expression' to evaluate"_s;
    QTest::newRow("blank expression") << QVariantMap{{u"expression"_s, u"   "_s}}
                                      << u"calculate: the payload has no 'expression' to evaluate"_s;
    QTest::newRow("syntax error") << QVariantMap{{u"expression"_s, u"2 +* 3"_s}}
                                  << u"calculate: cannot evaluate '2 +* 3': "_s;
    // Nothing that can run code: a call to something that is not a math function is refused.
    QTest::newRow("not a math function") << QVariantMap{{u"expression"_s, u"system(\"rm -rf /\")"_s}}
                                         << u"calculate: cannot evaluate 'system(\"rm -rf /\")': "_s;
    QTest::newRow("unknown variable") << QVariantMap{{u"expression"_s, u"x + 1"_s}}
                                      << u"calculate: cannot evaluate 'x + 1': "_s;
    QTest::newRow("division by zero") << QVariantMap{{u"expression"_s, u"1/0"_s}}
                                      << u"calculate: 1/0 has no finite value (division by zero?)"_s;
    QTest::newRow("too long") << QVariantMap{{u"expression"_s, QString(4097, u'1')}}
                              << u"calculate: the expression is longer than 4096 characters"_s;
}

void tst_BuiltinListener::calculateRefusals()
{
    QFETCH(QVariantMap, fields);
    QFETCH(QString, errorStart);
    auto listener = make(u"calculate"_s, {u"adder"_s});
    const Outcome outcome = run(*listener, u"greeter"_s, fields);
    QCOMPARE(outcome.kind, HandlerCall::Outcome::Failed);
    QVERIFY2(outcome.text.startsWith(errorStart), qPrintable(outcome.text));
    QVERIFY(outcome.text.size() >= errorStart.size());
    QVERIFY(outcome.replies.isEmpty());
    QCOMPARE(outcome.reports, 1);
}

void tst_BuiltinListener::sinkSendsNothing()
{
    // Even with peers and a sender it could answer.
    auto listener = make(u"sink"_s, {u"replier"_s});
    const Outcome outcome = run(*listener, u"greeter"_s, {{u"name"_s, u"Ada"_s}});
    QCOMPARE(outcome.kind, HandlerCall::Outcome::Finished);
    QVERIFY(outcome.replies.isEmpty());
    QCOMPARE(outcome.reports, 1);
}

QTEST_GUILESS_MAIN(tst_BuiltinListener)
#include "tst_builtinlistener.moc"
