#include "apiauth.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

class tst_ApiAuth : public QObject
{
    Q_OBJECT
private slots:
    void disabledAllowsEverything();
    void protectsWritesOnlyByDefault();
    void protectReadsCoversReads();
    void headers_data();
    void headers();
    void tokens();
};

void tst_ApiAuth::disabledAllowsEverything()
{
    const ApiAuth auth;
    QVERIFY(!auth.enabled());
    QVERIFY(!auth.check(Access::Write, {}).has_value());
    QVERIFY(auth.acceptsToken({}));
    // protect_reads without a key protects nothing: there is nothing to check against.
    QVERIFY(!ApiAuth({}, true).protectReads());
}

void tst_ApiAuth::protectsWritesOnlyByDefault()
{
    const ApiAuth auth("k", false);
    QVERIFY(auth.protects(Access::Write));
    QVERIFY(!auth.protects(Access::Read));
    QVERIFY(!auth.protects(Access::Open));
    QVERIFY(!auth.check(Access::Read, {}).has_value());
}

void tst_ApiAuth::protectReadsCoversReads()
{
    const ApiAuth auth("k", true);
    QVERIFY(auth.protects(Access::Read));
    QVERIFY(!auth.protects(Access::Open));
    QVERIFY(auth.check(Access::Read, {}).has_value());
}

void tst_ApiAuth::headers_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("status"); // 0 = allowed
    QTest::newRow("right key") << QByteArray("Bearer test-secret-key-12345") << 0;
    QTest::newRow("scheme case") << QByteArray("bEaReR test-secret-key-12345") << 0;
    QTest::newRow("extra spaces") << QByteArray("  Bearer   test-secret-key-12345  ") << 0;
    QTest::newRow("missing") << QByteArray() << 401;
    QTest::newRow("basic scheme") << QByteArray("Basic dXNlcjpwYXNz") << 401;
    QTest::newRow("empty credentials") << QByteArray("Bearer ") << 401;
    QTest::newRow("scheme only") << QByteArray("Bearer") << 401;
    QTest::newRow("wrong key") << QByteArray("Bearer nope") << 403;
    QTest::newRow("prefix of key") << QByteArray("Bearer test-secret") << 403;
    QTest::newRow("key plus more") << QByteArray("Bearer test-secret-key-123456") << 403;
}

void tst_ApiAuth::headers()
{
    QFETCH(QByteArray, header);
    QFETCH(int, status);
    const ApiAuth auth("test-secret-key-12345", false);
    const auto refusal = auth.check(Access::Write, header);
    QCOMPARE(refusal.has_value() ? refusal->status : 0, status);
    if (status == 401) {
        QCOMPARE(QJsonDocument::fromJson(refusal->body).object().value(u"detail"_s).toString(),
                 u"Authentication required"_s);
        QCOMPARE(refusal->headers.value(0), (QPair<QByteArray, QByteArray>{"WWW-Authenticate", "Bearer"}));
    } else if (status == 403) {
        QCOMPARE(QJsonDocument::fromJson(refusal->body).object().value(u"detail"_s).toString(), u"Invalid API key"_s);
    }
}

void tst_ApiAuth::tokens()
{
    const ApiAuth auth("k3y", true);
    QVERIFY(auth.acceptsToken(u"k3y"_s));
    QVERIFY(!auth.acceptsToken(u"k3"_s));
    QVERIFY(!auth.acceptsToken({}));
}

QTEST_APPLESS_MAIN(tst_ApiAuth)
#include "tst_apiauth.moc"
