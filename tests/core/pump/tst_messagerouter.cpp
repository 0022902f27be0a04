// MessageRouter on its own: where a handler's reply goes (by name, by root tag, to broadcast listeners),
// what it refuses and with which words (unknown target, nobody accepts, ambiguous type, agents' peers,
// the depth limit, invalid payloads with the field's path), and payloads from outside (buildForTarget).

#include "pump/messagerouter.h"
#include "schema/schemaregistry.h"
#include "support/payloadtypes.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::payloadType;

namespace {

RouteEntry route(const QString &name, const QString &type, bool agent = false, bool broadcast = false,
                 const QStringList &peers = {})
{
    return RouteEntry{name, type, agent, broadcast, peers};
}

MessageRecord incomingTo(const QString &listener, int depth = 0)
{
    MessageRecord incoming;
    incoming.threadId = u"thread-1"_s;
    incoming.from = u"operator"_s;
    incoming.to = listener;
    incoming.depth = depth;
    return incoming;
}

OutgoingMessage withFields(const QString &to, const QString &payloadType, const QVariantMap &fields)
{
    OutgoingMessage message;
    message.to = to;
    message.payload.type = payloadType;
    message.payload.fields = fields;
    return message;
}

OutgoingMessage withXml(const QString &to, const QByteArray &xml)
{
    OutgoingMessage message;
    message.to = to;
    message.payload.xml = xml;
    return message;
}

const QVariantMap kAda{{u"name"_s, u"Ada"_s}};

} // namespace

class tst_MessageRouter : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void routesByName();
    void routesByRootTag();
    void routesXmlByRootTag();
    void unknownTarget();
    void payloadNobodyAccepts();
    void severalListenersForOneTypeNeedBroadcast();
    void broadcastReachesEveryListener();
    void agentsKeepToTheirPeers();
    void depthLimit();
    void invalidFieldsCarryTheFieldPath();
    void invalidXmlCarriesTheFieldPath();
    void typeMismatchForNamedTarget();
    void buildForTargetFromFields();
    void buildForTargetFromXml();
    void buildForTargetRefusals();

private:
    MessageRouter router(const QList<RouteEntry> &entries, int maxDepth = 50) const;

    std::unique_ptr<SchemaRegistry> m_schemas;
};

void tst_MessageRouter::initTestCase()
{
    QString error;
    m_schemas = SchemaRegistry::build({payloadType(u"Greeting"_s, {u"name:string"_s}),
                                       payloadType(u"Reply"_s, {u"text:string"_s}),
                                       payloadType(u"Order"_s, {u"id:integer"_s, u"items:Item[]"_s}),
                                       payloadType(u"Item"_s, {u"sku:string"_s, u"qty:integer"_s})},
                                      &error);
    QVERIFY2(m_schemas, qPrintable(error));
}

MessageRouter tst_MessageRouter::router(const QList<RouteEntry> &entries, int maxDepth) const
{
    MessageRouter result;
    result.setSchemas(m_schemas.get());
    result.setMaxDepth(maxDepth);
    result.setEntries(entries);
    return result;
}

void tst_MessageRouter::routesByName()
{
    const MessageRouter r = router(
        {route(u"greeter"_s, u"Greeting"_s), route(u"second"_s, u"Greeting"_s), route(u"replier"_s, u"Reply"_s)});
    QList<MessageRecord> out;
    RouteError error;
    // Two listeners take Greeting; naming one picks it alone. The payload's type may be left out: the
    // target's type fills it in.
    QVERIFY2(r.routeReply(incomingTo(u"replier"_s, 3), withFields(u"second"_s, {}, kAda), &out, &error),
             qPrintable(error.message));
    QCOMPARE(out.size(), 1);
    const MessageRecord &envelope = out.first();
    QCOMPARE(envelope.threadId, u"thread-1"_s);
    QCOMPARE(envelope.from, u"replier"_s);
    QCOMPARE(envelope.to, u"second"_s);
    QCOMPARE(envelope.payloadType, u"Greeting"_s);
    QCOMPARE(envelope.fields, kAda);
    QCOMPARE(envelope.xml, QByteArray("<Greeting><Name>Ada</Name></Greeting>"));
    QCOMPARE(envelope.depth, 4);
}

void tst_MessageRouter::routesByRootTag()
{
    const MessageRouter r = router({route(u"greeter"_s, u"Greeting"_s), route(u"replier"_s, u"Reply"_s)});
    QList<MessageRecord> out;
    RouteError error;
    QVERIFY2(r.routeReply(incomingTo(u"greeter"_s), withFields({}, u"Reply"_s, {{u"text"_s, u"hi"_s}}), &out, &error),
             qPrintable(error.message));
    QCOMPARE(out.size(), 1);
    QCOMPARE(out.first().to, u"replier"_s);
    QCOMPARE(out.first().from, u"greeter"_s);
    QCOMPARE(out.first().xml, QByteArray("<Reply><Text>hi</Text></Reply>"));
}

void tst_MessageRouter::routesXmlByRootTag()
{
    // Only XML came back (an exec or LLM listener): the root element decides where it goes.
    const MessageRouter r = router({route(u"greeter"_s, u"Greeting"_s), route(u"replier"_s, u"Reply"_s)});
    QList<MessageRecord> out;
    RouteError error;
    QVERIFY2(r.routeReply(incomingTo(u"replier"_s), withXml({}, "<Greeting><Name>Ada</Name></Greeting>"), &out, &error),
             qPrintable(error.message));
    QCOMPARE(out.size(), 1);
    QCOMPARE(out.first().to, u"greeter"_s);
    QCOMPARE(out.first().payloadType, u"Greeting"_s);
    QCOMPARE(out.first().fields, kAda);
}

void tst_MessageRouter::unknownTarget()
{
    const MessageRouter r = router({route(u"greeter"_s, u"Greeting"_s)});
    QList<MessageRecord> out;
    RouteError error;
    QVERIFY(!r.routeReply(incomingTo(u"greeter"_s), withFields(u"nobody"_s, u"Greeting"_s, kAda), &out, &error));
    QCOMPARE(error.message, u"greeter sent to an unknown listener: nobody"_s);
    QVERIFY(out.isEmpty());
    QCOMPARE(r.entry(u"nobody"_s), nullptr);
    QVERIFY(r.entry(u"greeter"_s));
    QCOMPARE(r.entry(u"greeter"_s)->payloadType, u"Greeting"_s);
}

void tst_MessageRouter::payloadNobodyAccepts()
{
    const MessageRouter r = router({route(u"greeter"_s, u"Greeting"_s)});
    QList<MessageRecord> out;
    RouteError error;
    QVERIFY(!r.routeReply(incomingTo(u"greeter"_s), withFields({}, u"Reply"_s, {{u"text"_s, u"x"_s}}), &out, &error));
    QCOMPARE(error.message, u"greeter sent a Reply payload, which no listener accepts"_s);
    QVERIFY(out.isEmpty());
}

void tst_MessageRouter::severalListenersForOneTypeNeedBroadcast()
{
    // One of the two is broadcast, the other not: still ambiguous.
    const MessageRouter r = router(
        {route(u"greeter"_s, u"Greeting"_s), route(u"a"_s, u"Reply"_s, false, true), route(u"b"_s, u"Reply"_s)});
    QList<MessageRecord> out;
    RouteError error;
    QVERIFY(!r.routeReply(incomingTo(u"greeter"_s), withFields({}, u"Reply"_s, {{u"text"_s, u"x"_s}}), &out, &error));
    QCOMPARE(error.message,
             u"greeter sent a Reply payload without a target, and 2 listeners accept it "
             "(mark them broadcast: true or name the target)"_s);
    QVERIFY(out.isEmpty());
}

void tst_MessageRouter::broadcastReachesEveryListener()
{
    const MessageRouter r = router({route(u"greeter"_s, u"Greeting"_s), route(u"a"_s, u"Reply"_s, false, true),
                                    route(u"b"_s, u"Reply"_s, false, true), route(u"c"_s, u"Reply"_s, false, true)});
    QList<MessageRecord> out;
    RouteError error;
    QVERIFY2(
        r.routeReply(incomingTo(u"greeter"_s, 1), withFields({}, u"Reply"_s, {{u"text"_s, u"all"_s}}), &out, &error),
        qPrintable(error.message));
    QStringList targets;
    for (const MessageRecord &envelope : std::as_const(out)) {
        targets.append(envelope.to);
        QCOMPARE(envelope.xml, QByteArray("<Reply><Text>all</Text></Reply>"));
        QCOMPARE(envelope.depth, 2);
        QCOMPARE(envelope.from, u"greeter"_s);
    }
    targets.sort();
    QCOMPARE(targets, (QStringList{u"a"_s, u"b"_s, u"c"_s}));
}

void tst_MessageRouter::agentsKeepToTheirPeers()
{
    const MessageRouter r = router({route(u"writer"_s, u"Greeting"_s, true, false, {u"done"_s}),
                                    route(u"loner"_s, u"Greeting"_s, true, false, {}), route(u"plain"_s, u"Greeting"_s),
                                    route(u"done"_s, u"Reply"_s), route(u"other"_s, u"Order"_s)});
    const QVariantMap order{{u"id"_s, 1}, {u"items"_s, QVariantList()}};
    QList<MessageRecord> out;
    RouteError error;
    QVERIFY(!r.routeReply(incomingTo(u"writer"_s), withFields(u"other"_s, {}, order), &out, &error));
    QCOMPARE(error.message, u"agent writer may not send to other (its peers: done)"_s);
    // By root tag too: the type's listener must be a peer.
    QVERIFY(!r.routeReply(incomingTo(u"writer"_s), withFields({}, u"Order"_s, order), &out, &error));
    QCOMPARE(error.message, u"agent writer may not send to other (its peers: done)"_s);
    QVERIFY(!r.routeReply(incomingTo(u"loner"_s), withFields(u"done"_s, {}, {{u"text"_s, u"x"_s}}), &out, &error));
    QCOMPARE(error.message, u"agent loner may not send to done (its peers: none)"_s);
    QVERIFY(out.isEmpty());

    // A peer is allowed; a listener that is not an agent has no peer rule.
    QVERIFY2(r.routeReply(incomingTo(u"writer"_s), withFields(u"done"_s, {}, {{u"text"_s, u"x"_s}}), &out, &error),
             qPrintable(error.message));
    QVERIFY2(r.routeReply(incomingTo(u"plain"_s), withFields(u"other"_s, {}, order), &out, &error),
             qPrintable(error.message));
    QCOMPARE(out.size(), 2);
    QCOMPARE(out[0].to, u"done"_s);
    QCOMPARE(out[1].to, u"other"_s);
}

void tst_MessageRouter::depthLimit()
{
    const MessageRouter r = router({route(u"greeter"_s, u"Greeting"_s)}, 3);
    QCOMPARE(r.maxDepth(), 3);
    QList<MessageRecord> out;
    RouteError error;
    // Depth 2 + 1 = the limit: allowed.
    QVERIFY2(r.routeReply(incomingTo(u"greeter"_s, 2), withFields(u"greeter"_s, {}, kAda), &out, &error),
             qPrintable(error.message));
    QCOMPARE(out.last().depth, 3);
    // One more hop: refused, naming the loop.
    QVERIFY(!r.routeReply(incomingTo(u"greeter"_s, 3), withFields(u"greeter"_s, {}, kAda), &out, &error));
    QCOMPARE(error.message,
             u"message depth limit (3) reached in thread thread-1: greeter → greeter looks like an endless loop"_s);
    QVERIFY(!r.routeReply(incomingTo(u"greeter"_s, 3), withFields({}, u"Greeting"_s, kAda), &out, &error));
    QCOMPARE(error.message,
             u"message depth limit (3) reached in thread thread-1: greeter → Greeting looks like an endless loop"_s);
    QCOMPARE(out.size(), 1);
}

void tst_MessageRouter::invalidFieldsCarryTheFieldPath()
{
    const MessageRouter r = router({route(u"greeter"_s, u"Greeting"_s), route(u"shop"_s, u"Order"_s)});
    const QVariantMap order{{u"id"_s, 1},
                            {u"items"_s,
                             QVariantList{QVariantMap{{u"sku"_s, u"a"_s}, {u"qty"_s, 1}},
                                          QVariantMap{{u"sku"_s, u"b"_s}, {u"qty"_s, u"two"_s}}}}};
    QList<MessageRecord> out;
    RouteError error;
    QVERIFY(!r.routeReply(incomingTo(u"greeter"_s), withFields(u"shop"_s, {}, order), &out, &error));
    QVERIFY2(error.message.startsWith(u"greeter sent an invalid payload for shop: "_s), qPrintable(error.message));
    QCOMPARE(error.fieldPath, (QStringList{u"items"_s, u"1"_s, u"qty"_s}));
    QVERIFY(out.isEmpty());
}

void tst_MessageRouter::invalidXmlCarriesTheFieldPath()
{
    const MessageRouter r = router({route(u"greeter"_s, u"Greeting"_s), route(u"shop"_s, u"Order"_s)});
    QList<MessageRecord> out;
    RouteError error;
    // Routed by root tag: the XML is parsed (and refused) before any target is known.
    QVERIFY(!r.routeReply(incomingTo(u"greeter"_s), withXml({}, "<Order><Id>seven</Id></Order>"), &out, &error));
    QVERIFY2(error.message.startsWith(u"greeter sent an invalid payload: "_s), qPrintable(error.message));
    QCOMPARE(error.fieldPath, QStringList{u"id"_s});
    // Named target: the XML must be the target's type and valid.
    error = {};
    QVERIFY(!r.routeReply(incomingTo(u"greeter"_s), withXml(u"shop"_s, "<Order><Id>seven</Id></Order>"), &out, &error));
    QVERIFY2(error.message.startsWith(u"greeter sent an invalid payload for shop: "_s), qPrintable(error.message));
    QCOMPARE(error.fieldPath, QStringList{u"id"_s});
    error = {};
    QVERIFY(!r.routeReply(incomingTo(u"greeter"_s), withXml(u"shop"_s, "<Greeting><Name>x</Name></Greeting>"), &out,
                          &error));
    QVERIFY2(error.message.startsWith(u"greeter sent an invalid payload for shop: "_s), qPrintable(error.message));
    QVERIFY(out.isEmpty());
}

void tst_MessageRouter::typeMismatchForNamedTarget()
{
    const MessageRouter r = router({route(u"greeter"_s, u"Greeting"_s), route(u"replier"_s, u"Reply"_s)});
    QList<MessageRecord> out;
    RouteError error;
    QVERIFY(!r.routeReply(incomingTo(u"greeter"_s), withFields(u"replier"_s, u"Greeting"_s, kAda), &out, &error));
    QCOMPARE(
        error.message,
        u"greeter sent an invalid payload for replier: payload type Greeting does not match the target's type Reply"_s);
    QVERIFY(out.isEmpty());
}

void tst_MessageRouter::buildForTargetFromFields()
{
    const MessageRouter r = router({route(u"greeter"_s, u"Greeting"_s)});
    Payload in;
    in.fields = kAda; // no type: the target's
    Payload out;
    RouteError error;
    QVERIFY2(r.buildForTarget(u"greeter"_s, in, &out, &error), qPrintable(error.message));
    QCOMPARE(out.type, u"Greeting"_s);
    QCOMPARE(out.fields, kAda);
    QCOMPARE(out.xml, QByteArray("<Greeting><Name>Ada</Name></Greeting>"));
}

void tst_MessageRouter::buildForTargetFromXml()
{
    const MessageRouter r = router({route(u"greeter"_s, u"Greeting"_s)});
    Payload in;
    in.xml = "<Greeting><Name>Ada</Name></Greeting>";
    Payload out;
    RouteError error;
    QVERIFY2(r.buildForTarget(u"greeter"_s, in, &out, &error), qPrintable(error.message));
    QCOMPARE(out.type, u"Greeting"_s);
    QCOMPARE(out.fields, kAda);
}

void tst_MessageRouter::buildForTargetRefusals()
{
    const MessageRouter r = router({route(u"greeter"_s, u"Greeting"_s), route(u"shop"_s, u"Order"_s)});
    Payload out;
    RouteError error;
    Payload greeting;
    greeting.fields = kAda;
    QVERIFY(!r.buildForTarget(u"nobody"_s, greeting, &out, &error));
    QCOMPARE(error.message, u"Unknown target agent: nobody"_s);

    Payload wrongType;
    wrongType.type = u"Reply"_s;
    wrongType.fields = {{u"text"_s, u"x"_s}};
    QVERIFY(!r.buildForTarget(u"greeter"_s, wrongType, &out, &error));
    QCOMPARE(error.message, u"payload type Reply does not match the target's type Greeting"_s);

    Payload wrongRoot;
    wrongRoot.xml = "<Reply><Text>x</Text></Reply>";
    error = {};
    QVERIFY(!r.buildForTarget(u"greeter"_s, wrongRoot, &out, &error));
    QVERIFY(!error.message.isEmpty());

    Payload badField;
    badField.fields = {{u"id"_s, u"seven"_s}, {u"items"_s, QVariantList()}};
    error = {};
    QVERIFY(!r.buildForTarget(u"shop"_s, badField, &out, &error));
    QCOMPARE(error.fieldPath, QStringList{u"id"_s});
    QVERIFY(!error.message.isEmpty());
}

QTEST_GUILESS_MAIN(tst_MessageRouter)
#include "tst_messagerouter.moc"
