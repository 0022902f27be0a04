#include "injectjson.h"
#include "jsonwriter.h"

#include <QCborArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::wire;

class tst_InjectJson : public QObject
{
    Q_OBJECT
private slots:
    void validBody();
    void snakeCaseThreadId();
    void aliasWinsOverSnakeCase();
    void nullThreadIdIsAbsent();
    void badBodies_data();
    void badBodies();
    void clientStringsAreBounded_data();
    void clientStringsAreBounded();
    void reportsEveryProblem();
    void malformedJsonPosition();
    void invalidPayloadNamesTheField();
    void response();
};

void tst_InjectJson::validBody()
{
    const InjectParse parse = parseInjectBody(R"({"to":"greeter","payload":{"name":"Dan","n":2},"extra":1})");
    QVERIFY(parse.ok());
    QCOMPARE(parse.request.to, u"greeter"_s);
    QCOMPARE(parse.request.from, u"api"_s);
    QCOMPARE(parse.request.fields.value(u"name"_s).toString(), u"Dan"_s);
    QCOMPARE(parse.request.fields.value(u"n"_s).toLongLong(), 2);
    QVERIFY(parse.request.threadId.isEmpty());
}

void tst_InjectJson::snakeCaseThreadId()
{
    const InjectParse parse = parseInjectBody(R"({"to":"g","payload":{},"thread_id":"t-9"})");
    QVERIFY(parse.ok());
    QCOMPARE(parse.request.threadId, u"t-9"_s);
}

void tst_InjectJson::aliasWinsOverSnakeCase()
{
    const InjectParse parse = parseInjectBody(R"({"to":"g","payload":{},"thread_id":"snake","threadId":"camel"})");
    QCOMPARE(parse.request.threadId, u"camel"_s);
}

void tst_InjectJson::nullThreadIdIsAbsent()
{
    const InjectParse parse = parseInjectBody(R"({"to":"g","payload":{},"threadId":null})");
    QVERIFY(parse.ok());
    QVERIFY(parse.request.threadId.isEmpty());
}

void tst_InjectJson::badBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("loc");
    QTest::newRow("empty") << QByteArray() << u"missing"_s << u"[\"body\"]"_s;
    QTest::newRow("whitespace") << QByteArray(" \n") << u"missing"_s << u"[\"body\"]"_s;
    QTest::newRow("malformed") << QByteArray("{\"to\":") << u"json_invalid"_s << u"[\"body\",6]"_s;
    QTest::newRow("truncated string") << QByteArray("{\"to\":\"gr") << u"json_invalid"_s << QString();
    QTest::newRow("array") << QByteArray("[1,2]") << u"model_attributes_type"_s << u"[\"body\"]"_s;
    QTest::newRow("number") << QByteArray("42") << u"model_attributes_type"_s << u"[\"body\"]"_s;
    QTest::newRow("string") << QByteArray("\"hi\"") << u"model_attributes_type"_s << u"[\"body\"]"_s;
    QTest::newRow("null") << QByteArray("null") << u"model_attributes_type"_s << u"[\"body\"]"_s;
    QTest::newRow("missing to") << QByteArray(R"({"payload":{}})") << u"missing"_s << u"[\"body\",\"to\"]"_s;
    QTest::newRow("numeric to") << QByteArray(R"({"to":5,"payload":{}})") << u"string_type"_s << u"[\"body\",\"to\"]"_s;
    QTest::newRow("null to") << QByteArray(R"({"to":null,"payload":{}})") << u"string_type"_s << u"[\"body\",\"to\"]"_s;
    QTest::newRow("missing payload") << QByteArray(R"({"to":"g"})") << u"missing"_s << u"[\"body\",\"payload\"]"_s;
    QTest::newRow("string payload") << QByteArray(R"({"to":"g","payload":"x"})") << u"dict_type"_s
                                    << u"[\"body\",\"payload\"]"_s;
    QTest::newRow("list payload") << QByteArray(R"({"to":"g","payload":[1]})") << u"dict_type"_s
                                  << u"[\"body\",\"payload\"]"_s;
    QTest::newRow("numeric threadId") << QByteArray(R"({"to":"g","payload":{},"threadId":7})") << u"string_type"_s
                                      << u"[\"body\",\"threadId\"]"_s;
    QTest::newRow("numeric thread_id") << QByteArray(R"({"to":"g","payload":{},"thread_id":[]})") << u"string_type"_s
                                       << u"[\"body\",\"thread_id\"]"_s;
}

void tst_InjectJson::badBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, type);
    QFETCH(QString, loc);
    const InjectParse parse = parseInjectBody(body);
    QCOMPARE(parse.errors.size(), 1);
    QCOMPARE(parse.errors.first().type, type);
    if (!loc.isEmpty())
        QCOMPARE(QString::fromUtf8(writeJson(parse.errors.first().loc)), loc);
}

void tst_InjectJson::clientStringsAreBounded_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("type"); // empty: accepted
    QTest::addColumn<QString>("loc");
    const auto body = [](const QString &to, const QString &threadKey, const QString &threadId) {
        return QString(uR"({"to":"%1","payload":{},"%2":"%3"})"_s.arg(to, threadKey, threadId)).toUtf8();
    };
    QTest::newRow("uuid") << body(u"g"_s, u"threadId"_s, u"01a24289-e8a8-718e-8aa5-df644b0b59fe"_s) << QString()
                          << QString();
    QTest::newRow("128 characters") << body(u"g"_s, u"threadId"_s, QString(128, u'a')) << QString() << QString();
    QTest::newRow("128 characters beyond the BMP")
        << body(u"g"_s, u"threadId"_s, QString(128, u'x').replace(u"x"_s, u"😀"_s)) << QString() << QString();
    QTest::newRow("any script and punctuation")
        << body(u"g"_s, u"thread_id"_s, u"日本-ü/1:#@+=~"_s) << QString() << QString();
    QTest::newRow("empty: a new thread") << body(u"g"_s, u"threadId"_s, QString()) << QString() << QString();
    QTest::newRow("129 characters") << body(u"g"_s, u"threadId"_s, QString(129, u'a')) << u"string_too_long"_s
                                    << uR"(["body","threadId"])"_s;
    QTest::newRow("space") << body(u"g"_s, u"thread_id"_s, u"a b"_s) << u"string_pattern_mismatch"_s
                           << uR"(["body","thread_id"])"_s;
    QTest::newRow("tab") << body(u"g"_s, u"threadId"_s, u"a\\tb"_s) << u"string_pattern_mismatch"_s
                         << uR"(["body","threadId"])"_s;
    QTest::newRow("zero-width joiner") << body(u"g"_s, u"threadId"_s, u"a\\u200db"_s) << u"string_pattern_mismatch"_s
                                       << uR"(["body","threadId"])"_s;
    QTest::newRow("bidi override") << body(u"g"_s, u"threadId"_s, u"a\\u202eb"_s) << u"string_pattern_mismatch"_s
                                   << uR"(["body","threadId"])"_s;
    QTest::newRow("long target") << body(QString(129, u'g'), u"threadId"_s, u"t"_s) << u"string_too_long"_s
                                 << uR"(["body","to"])"_s;
}

void tst_InjectJson::clientStringsAreBounded()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, type);
    QFETCH(QString, loc);
    const InjectParse parse = parseInjectBody(body);
    if (type.isEmpty()) {
        QVERIFY2(parse.ok(), body.constData());
        return;
    }
    QCOMPARE(parse.errors.size(), 1);
    QCOMPARE(parse.errors.first().type, type);
    QCOMPARE(QString::fromUtf8(writeJson(parse.errors.first().loc)), loc);
    QVERIFY(parse.errors.first().msg.contains(type == u"string_too_long" ? u"at most 128 characters"_s : u"pattern"_s));
}

void tst_InjectJson::reportsEveryProblem()
{
    const InjectParse parse = parseInjectBody(R"({"to":1,"payload":2})");
    QCOMPARE(parse.errors.size(), 2);
    QCOMPARE(parse.errors.at(0).type, u"string_type"_s);
    QCOMPARE(parse.errors.at(1).type, u"dict_type"_s);
    QCOMPARE(parse.errors.at(1).input.toInteger(), 2);
}

void tst_InjectJson::malformedJsonPosition()
{
    const ValidationError error = jsonDecodeError("{\"a\" 1}");
    QCOMPARE(error.type, u"json_invalid"_s);
    QCOMPARE(error.msg, u"JSON decode error"_s);
    QVERIFY(error.loc.at(1).isInteger());
    QVERIFY(!error.ctx.value(u"error"_s).toString().isEmpty());
}

void tst_InjectJson::invalidPayloadNamesTheField()
{
    InjectFailure failure;
    failure.kind = InjectError::InvalidPayload;
    failure.message = u"'abc' is not a valid integer"_s;
    failure.fieldPath = {u"inner"_s, u"count"_s};
    const QJsonObject payload{{u"inner"_s, QJsonObject{{u"count"_s, u"abc"_s}}}};
    const ValidationError error = invalidPayloadError(failure, payload);
    QCOMPARE(QString::fromUtf8(writeJson(error.loc)), u"[\"body\",\"payload\",\"inner\",\"count\"]"_s);
    QCOMPARE(error.input.toString(), u"abc"_s);
    QVERIFY(error.msg.contains(failure.message));
}

void tst_InjectJson::response()
{
    const InjectedMessage injected{u"t"_s, u"m"_s};
    QCOMPARE(writeJson(injectResponseJson(injected)), QByteArray(R"({"threadId":"t","messageId":"m"})"));
}

QTEST_APPLESS_MAIN(tst_InjectJson)
#include "tst_injectjson.moc"
