#include "originpolicy.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

class tst_OriginPolicy : public QObject
{
    Q_OBJECT
private slots:
    void hosts_data();
    void hosts();
    void origins_data();
    void origins();
    void crossSite_data();
    void crossSite();
};

void tst_OriginPolicy::hosts_data()
{
    QTest::addColumn<QStringList>("allowed");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<bool>("accepted");
    const QStringList none;
    QTest::newRow("absent (HTTP/1.0)") << none << QByteArray() << true;
    QTest::newRow("localhost") << none << QByteArray("localhost") << true;
    QTest::newRow("localhost:port") << none << QByteArray("localhost:8765") << true;
    QTest::newRow("LOCALHOST") << none << QByteArray("LOCALHOST:1") << true;
    QTest::newRow("sub.localhost") << none << QByteArray("app.localhost:80") << true;
    QTest::newRow("127.0.0.1") << none << QByteArray("127.0.0.1:8765") << true;
    QTest::newRow("[::1]") << none << QByteArray("[::1]:8765") << true;
    QTest::newRow("lan ip") << none << QByteArray("192.168.1.20:8765") << true;
    QTest::newRow("rebinding name") << none << QByteArray("evil.example:8765") << false;
    QTest::newRow("localhost lookalike") << none << QByteArray("localhost.evil.example") << false;
    QTest::newRow("broken bracket") << none << QByteArray("[::1") << false;
    QTest::newRow("listed") << QStringList{u"agentdesk.lan"_s} << QByteArray("AgentDesk.lan:8765") << true;
    QTest::newRow("suffix") << QStringList{u".corp.example"_s} << QByteArray("a.corp.example") << true;
    QTest::newRow("suffix not itself") << QStringList{u".corp.example"_s} << QByteArray("xcorp.example") << false;
    QTest::newRow("wildcard") << QStringList{u"*"_s} << QByteArray("anything.example") << true;
}

void tst_OriginPolicy::hosts()
{
    QFETCH(QStringList, allowed);
    QFETCH(QByteArray, host);
    QFETCH(bool, accepted);
    QCOMPARE(OriginPolicy(allowed, {}).hostAllowed(host), accepted);
}

void tst_OriginPolicy::origins_data()
{
    QTest::addColumn<QStringList>("configured");
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<bool>("accepted");
    const QStringList none;
    QTest::newRow("localhost any port") << none << QByteArray("http://localhost:3000") << true;
    QTest::newRow("localhost no port") << none << QByteArray("http://localhost") << true;
    QTest::newRow("127 port") << none << QByteArray("http://127.0.0.1:5173") << true;
    QTest::newRow("https localhost not default") << none << QByteArray("https://localhost:3000") << false;
    QTest::newRow("other site") << none << QByteArray("https://evil.example") << false;
    QTest::newRow("port trick") << none << QByteArray("http://localhost:3000.evil.example") << false;
    QTest::newRow("null origin") << none << QByteArray("null") << false;
    QTest::newRow("empty") << none << QByteArray() << false;
    QTest::newRow("configured exact") << QStringList{u"https://dash.example"_s} << QByteArray("https://dash.example")
                                      << true;
    QTest::newRow("configured not prefix")
        << QStringList{u"https://dash.example"_s} << QByteArray("https://dash.example.evil") << false;
    QTest::newRow("configured subdomains")
        << QStringList{u"https://*.example.com"_s} << QByteArray("https://a.b.example.com") << true;
    QTest::newRow("everything") << QStringList{u"*"_s} << QByteArray("https://x.y") << true;
}

void tst_OriginPolicy::origins()
{
    QFETCH(QStringList, configured);
    QFETCH(QByteArray, origin);
    QFETCH(bool, accepted);
    QCOMPARE(OriginPolicy({}, configured).originAllowed(origin), accepted);
}

void tst_OriginPolicy::crossSite_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<QByteArray>("secFetchSite");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<bool>("hasBody");
    QTest::addColumn<bool>("refused");
    const QByteArray none;
    const QByteArray json = "application/json";
    QTest::newRow("curl, JSON body") << none << none << json << true << false;
    QTest::newRow("curl, no body") << none << none << none << false << false;
    QTest::newRow("vendor JSON type") << none << none << QByteArray("application/vnd.api+json") << true << false;
    QTest::newRow("JSON, upper case, charset")
        << none << none << QByteArray("Application/JSON; charset=UTF-8") << true << false;
    QTest::newRow("same origin") << QByteArray("http://desk.lan:8765") << QByteArray("same-origin") << json << true
                                 << false;
    QTest::newRow("localhost page") << QByteArray("http://localhost:5173") << QByteArray("same-site") << json << true
                                    << false;
    QTest::newRow("configured origin, cross-site")
        << QByteArray("https://dash.example") << QByteArray("cross-site") << json << true << false;
    QTest::newRow("foreign origin") << QByteArray("https://evil.example") << none << json << true << true;
    QTest::newRow("empty origin") << QByteArray("") << none << json << true << true;
    QTest::newRow("null origin") << QByteArray("null") << none << json << true << true;
    QTest::newRow("https same host") << QByteArray("https://desk.lan:8765") << none << json << true << true;
    QTest::newRow("cross-site, no origin") << none << QByteArray("cross-site") << json << true << true;
    QTest::newRow("cross-site, foreign origin")
        << QByteArray("https://evil.example") << QByteArray("Cross-Site") << json << true << true;
    QTest::newRow("same-site fetch") << none << QByteArray("same-site") << json << true << false;
    QTest::newRow("text/plain") << none << none << QByteArray("text/plain") << true << true;
    QTest::newRow("form") << none << none << QByteArray("application/x-www-form-urlencoded") << true << true;
    QTest::newRow("multipart") << none << none << QByteArray("multipart/form-data; boundary=x") << true << true;
    QTest::newRow("text/plain, no body") << none << none << QByteArray("text/plain") << false << true;
    QTest::newRow("json lookalike") << none << none << QByteArray("text/json") << true << true;
    QTest::newRow("body without type") << none << none << none << true << true;
}

void tst_OriginPolicy::crossSite()
{
    QFETCH(QByteArray, origin);
    QFETCH(QByteArray, secFetchSite);
    QFETCH(QByteArray, contentType);
    QFETCH(bool, hasBody);
    QFETCH(bool, refused);
    const OriginPolicy policy({u"desk.lan"_s}, {u"https://dash.example"_s});
    const auto refusal = policy.crossSiteRefusal({origin, "desk.lan:8765", secFetchSite, contentType, hasBody});
    QCOMPARE(refusal.has_value(), refused);
    if (refusal)
        QVERIFY(!refusal->isEmpty());
}

QTEST_APPLESS_MAIN(tst_OriginPolicy)
#include "tst_originpolicy.moc"
