// Two agentdesk processes, two organisms, one PostgreSQL database (issue 14 §2, §4): each sees only its
// own threads and messages, their usage adds up in /usage/billing?scope=all, /history/organisms lists
// both, a second process for the same organism and instance is refused, and after a kill -9 the
// organism's next process takes its history over. The server is a private PostgreSQL started for
// the test (Debian's postgresql package, which scripts/dev.sh installs).

#include "headlessprocess.h"
#include "postgrestestserver.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

// One agentdesk --headless serving the hello-world demo (its greeter an LLM agent on the scripted
// provider, so every greeting is a metered call) under `name`, its history on `url`.
class Instance
{
public:
    Instance(const QString &directory, const QString &name, const QString &url)
        : m_directory(directory)
    {
        QDir().mkpath(directory);
        const QString demo = QStringLiteral(AGENTDESK_SOURCE_DIR) + u"/examples/organisms/hello-world/"_s;
        QFile::copy(demo + u"replies.yaml"_s, directory + u"/replies.yaml"_s);
        QFile source(demo + u"organism.yaml"_s);
        source.open(QIODevice::ReadOnly);
        QByteArray yaml = source.readAll();
        yaml.replace("name: hello-world", QByteArray("name: " + name.toUtf8()));
        yaml += "history:\n  backend: postgresql\n  url: " + url.toUtf8() + "\n";
        QFile config(directory + u"/organism.yaml"_s);
        config.open(QIODevice::WriteOnly);
        config.write(yaml);
    }
    ~Instance()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
        }
    }

    bool start()
    {
        m_port = agentdesk::test::startHeadless(
            process, {u"--config"_s, m_directory + u"/organism.yaml"_s, u"--data-dir"_s, m_directory + u"/data"_s},
            60000);
        return m_port != 0;
    }

    QJsonObject get(const QString &path) { return request("GET", path).second; }
    int post(const QString &path, const QByteArray &body) { return request("POST", path, body).first; }
    int status(const QString &path) { return request("GET", path).first; }

    QProcess process;

private:
    std::pair<int, QJsonObject> request(const QByteArray &verb, const QString &path, const QByteArray &body = {})
    {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path)));
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        QNetworkReply *reply = m_network.sendCustomRequest(request, verb, body);
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 30000))
            return {};
        reply->deleteLater();
        return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                QJsonDocument::fromJson(reply->readAll()).object()};
    }

    QString m_directory;
    int m_port = 0;
    QNetworkAccessManager m_network;
};

QByteArray greeting(const QString &name)
{
    return "{\"to\":\"greeter\",\"payload\":{\"name\":\"" + name.toUtf8() + "\"}}";
}

} // namespace

class tst_SharedHistory : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void twoOrganismsShareOneDatabase();

private:
    agentdesk::test::PostgresTestServer m_server;
    QTemporaryDir m_dir;
};

void tst_SharedHistory::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
}

void tst_SharedHistory::twoOrganismsShareOneDatabase()
{
    const QString host = QSysInfo::machineHostName();
    Instance alpha(m_dir.filePath(u"alpha"_s), u"alpha"_s, m_server.url());
    Instance beta(m_dir.filePath(u"beta"_s), u"beta"_s, m_server.url());
    QVERIFY(alpha.start());
    QVERIFY(beta.start());

    for (const QString &name : {u"Ada"_s, u"Grace"_s, u"Edsger"_s})
        QCOMPARE(alpha.post(u"/api/v1/inject"_s, greeting(name)), 200);
    for (const QString &name : {u"Barbara"_s, u"Donald"_s})
        QCOMPARE(beta.post(u"/api/v1/inject"_s, greeting(name)), 200);
    QTRY_COMPARE_WITH_TIMEOUT(alpha.get(u"/api/v1/threads?status=completed"_s).value(u"total"_s).toInt(), 3, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(beta.get(u"/api/v1/threads?status=completed"_s).value(u"total"_s).toInt(), 2, 60000);

    // Each sees its own threads and messages only.
    QCOMPARE(alpha.get(u"/api/v1/threads"_s).value(u"total"_s).toInt(), 3);
    QCOMPARE(beta.get(u"/api/v1/threads"_s).value(u"total"_s).toInt(), 2);
    QCOMPARE(alpha.get(u"/api/v1/messages"_s).value(u"total"_s).toInt(), 9); // 3 hops each
    QCOMPARE(beta.get(u"/api/v1/messages"_s).value(u"total"_s).toInt(), 6);
    const QString alphaThread =
        alpha.get(u"/api/v1/threads"_s).value(u"threads"_s).toArray().at(0).toObject().value(u"id"_s).toString();
    QVERIFY(!alphaThread.isEmpty());
    QCOMPARE(alpha.status(u"/api/v1/threads/"_s + alphaThread), 200);
    QCOMPARE(beta.status(u"/api/v1/threads/"_s + alphaThread), 404);

    // Their usage adds up for the team's invoice; by default each bills its own.
    const int alphaCalls = alpha.get(u"/api/v1/usage/billing"_s).value(u"requestCount"_s).toInt();
    const int betaCalls = beta.get(u"/api/v1/usage/billing"_s).value(u"requestCount"_s).toInt();
    QVERIFY(alphaCalls >= 3);
    QVERIFY(betaCalls >= 2);
    const QJsonObject all = alpha.get(u"/api/v1/usage/billing?scope=all"_s);
    QCOMPARE(all.value(u"requestCount"_s).toInt(), alphaCalls + betaCalls);
    const QJsonObject byOrganism = all.value(u"byOrganism"_s).toObject();
    QCOMPARE(byOrganism.value(u"alpha/"_s + host).toObject().value(u"request_count"_s).toInt(), alphaCalls);
    QCOMPARE(byOrganism.value(u"beta/"_s + host).toObject().value(u"request_count"_s).toInt(), betaCalls);
    QCOMPARE(beta.get(u"/api/v1/usage/billing?scope=all"_s).value(u"requestCount"_s).toInt(), alphaCalls + betaCalls);

    // Both are listed, running; the asking organism first.
    const QJsonArray organisms = beta.get(u"/api/v1/history/organisms"_s).value(u"organisms"_s).toArray();
    QCOMPARE(organisms.size(), 2);
    QCOMPARE(organisms.at(0).toObject().value(u"organism"_s).toString(), u"beta"_s);
    QVERIFY(organisms.at(0).toObject().value(u"self"_s).toBool());
    QCOMPARE(organisms.at(1).toObject().value(u"organism"_s).toString(), u"alpha"_s);
    QVERIFY(organisms.at(1).toObject().value(u"running"_s).toBool());
    QCOMPARE(organisms.at(1).toObject().value(u"pid"_s).toInteger(), alpha.process.processId());

    // A second process for alpha (same organism, same instance) is refused, saying who holds it.
    Instance intruder(m_dir.filePath(u"alpha-again"_s), u"alpha"_s, m_server.url());
    QVERIFY(!intruder.start());
    QTRY_COMPARE_WITH_TIMEOUT(intruder.process.state(), QProcess::NotRunning, 30000);
    QVERIFY(intruder.process.exitCode() != 0);
    const QString refusal = QString::fromUtf8(intruder.process.readAllStandardError());
    QVERIFY2(refusal.contains(u"in use by process %1 on %2"_s.arg(alpha.process.processId()).arg(host)),
             qPrintable(refusal));

    // kill -9: the lock goes with the process; the next alpha takes its history over.
    ::kill(pid_t(alpha.process.processId()), SIGKILL);
    QVERIFY(alpha.process.waitForFinished(30000));
    QTRY_VERIFY_WITH_TIMEOUT(!beta.get(u"/api/v1/history/organisms"_s)
                                  .value(u"organisms"_s)
                                  .toArray()
                                  .at(1)
                                  .toObject()
                                  .value(u"running"_s)
                                  .toBool(),
                             30000);
    QVERIFY(alpha.start());
    QCOMPARE(alpha.get(u"/api/v1/threads"_s).value(u"total"_s).toInt(), 3);
    QCOMPARE(alpha.get(u"/api/v1/messages"_s).value(u"total"_s).toInt(), 9);
    QCOMPARE(beta.get(u"/api/v1/threads"_s).value(u"total"_s).toInt(), 2);
}

QTEST_GUILESS_MAIN(tst_SharedHistory)
#include "tst_sharedhistory.moc"
