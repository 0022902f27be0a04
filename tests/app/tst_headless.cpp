// agentdesk headless, as an operator runs it: a child process on a free port. POST /organism/stop
// leaves the API answering (status stopped) until SIGTERM, POST /organism/start starts it again;
// SIGTERM ends the process with 0 even while the disk is full; a start on a full disk says so.
// The full-disk cases mount a 4 MiB tmpfs and are skipped, saying why, without root.

#include "headlessprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <sys/mount.h>

using namespace Qt::StringLiterals;

namespace {

// (No raw string literals in this file: moc cannot parse one with quotes inside.)
const QByteArray kConfig =
    "organism: {name: headless-test}\n"
    "payloads:\n"
    "  Greeting: {name: string}\n"
    "listeners:\n"
    "  - {name: greeter, description: takes greetings, payload_class: Greeting, handler: 'builtin:sink'}\n";
const QByteArray kGreeting = "{\"to\":\"greeter\",\"payload\":{\"name\":\"Ada\"}}";

struct Reply
{
    int status = 0;
    QJsonObject body;
};

} // namespace

class tst_Headless : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void stopKeepsTheApiAnsweringUntilSigterm();
    void sigtermEndsWhileTheDiskIsFull();
    void startOnAFullDiskNamesTheCause();

private:
    bool startProcess(const QString &dataDirectory);
    Reply request(const QByteArray &verb, const QString &path, const QByteArray &body = {});
    // Mounts a 4 MiB tmpfs at `path`; empty, or why it could not (the test is then skipped, saying so).
    QByteArray mountSmallDisk(const QString &path);
    bool fill(const QString &directory);

    std::optional<QTemporaryDir> m_dir;
    QProcess m_process;
    int m_port = 0;
    QString m_mounted;
    QNetworkAccessManager m_network;
};

void tst_Headless::init()
{
    QVERIFY(m_dir.emplace().isValid());
    QFile config(m_dir->filePath(u"organism.yaml"_s));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(kConfig);
}

void tst_Headless::cleanup()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished();
    }
    if (!m_mounted.isEmpty())
        ::umount2(QFile::encodeName(m_mounted).constData(), MNT_DETACH);
    m_mounted.clear();
    m_dir.reset();
}

bool tst_Headless::startProcess(const QString &dataDirectory)
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_port = agentdesk::test::startHeadless(
        m_process, {u"--config"_s, m_dir->filePath(u"organism.yaml"_s), u"--data-dir"_s, dataDirectory});
    return m_port != 0;
}

Reply tst_Headless::request(const QByteArray &verb, const QString &path, const QByteArray &body)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path)));
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *reply = m_network.sendCustomRequest(request, verb, body);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 30000))
        return {};
    reply->deleteLater();
    return Reply{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                 QJsonDocument::fromJson(reply->readAll()).object()};
}

QByteArray tst_Headless::mountSmallDisk(const QString &path)
{
    QDir().mkpath(path);
    if (::mount("tmpfs", QFile::encodeName(path).constData(), "tmpfs", 0, "size=4m") != 0)
        return "needs a 4 MiB tmpfs, and mounting one failed (" + QByteArray(std::strerror(errno))
            + "): run as root (CAP_SYS_ADMIN) to test a full disk";
    m_mounted = path;
    return {};
}

bool tst_Headless::fill(const QString &directory)
{
    QFile filler(directory + u"/filler"_s);
    if (!filler.open(QIODevice::WriteOnly))
        return false;
    const QByteArray page(4096, 'f');
    while (filler.write(page) == page.size() && filler.flush()) { }
    return true;
}

void tst_Headless::stopKeepsTheApiAnsweringUntilSigterm()
{
    QVERIFY(startProcess(m_dir->filePath(u"history"_s)));
    QCOMPARE(request("GET", u"/api/v1/organism"_s).body.value(u"status"_s).toString(), u"running"_s);

    QCOMPARE(request("POST", u"/api/v1/organism/stop"_s).status, 200);
    QTRY_COMPARE(request("GET", u"/api/v1/organism"_s).body.value(u"status"_s).toString(), u"stopped"_s);
    QCOMPARE(request("GET", u"/health"_s).status, 200);
    QCOMPARE(m_process.state(), QProcess::Running);

    const Reply started = request("POST", u"/api/v1/organism/start"_s);
    QCOMPARE(started.status, 200);
    QCOMPARE(started.body.value(u"status"_s).toString(), u"running"_s);
    QCOMPARE(request("POST", u"/api/v1/inject"_s, kGreeting).status, 200);

    ::kill(pid_t(m_process.processId()), SIGTERM);
    QVERIFY(m_process.waitForFinished(30000));
    QCOMPARE(m_process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_process.exitCode(), 0);
}

void tst_Headless::sigtermEndsWhileTheDiskIsFull()
{
    const QString disk = m_dir->filePath(u"small"_s);
    if (const QByteArray why = mountSmallDisk(disk); !why.isEmpty())
        QSKIP(why.constData());
    QVERIFY(startProcess(disk + u"/history"_s));
    QVERIFY(fill(disk));
    // Injects until the history reports that it cannot commit.
    QTRY_VERIFY_WITH_TIMEOUT(
        ([&] {
            m_network.post(
                [&] {
                    QNetworkRequest post(QUrl(u"http://127.0.0.1:%1/api/v1/inject"_s.arg(m_port)));
                    post.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
                    return post;
                }(),
                QByteArray(kGreeting).replace("Ada", QByteArray(3000, 'x')));
            return request("GET", u"/health"_s).body.value(u"history"_s).toString().startsWith(u"degraded: "_s);
        }()),
        60000);
    const Reply refused = request("POST", u"/api/v1/inject"_s, kGreeting);
    QCOMPARE(refused.status, 507);
    QVERIFY2(refused.body.value(u"detail"_s).toString().contains(u"No space left on device"_s),
             qPrintable(refused.body.value(u"detail"_s).toString()));

    ::kill(pid_t(m_process.processId()), SIGTERM);
    QVERIFY(m_process.waitForFinished(30000)); // its bound is 16 s
    QCOMPARE(m_process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_process.exitCode(), 0);
}

void tst_Headless::startOnAFullDiskNamesTheCause()
{
    const QString disk = m_dir->filePath(u"small"_s);
    if (const QByteArray why = mountSmallDisk(disk); !why.isEmpty())
        QSKIP(why.constData());
    // The previous process died holding the lock (its pid is gone), then the disk filled up.
    QProcess gone;
    gone.start(u"true"_s);
    QVERIFY(gone.waitForStarted());
    const qint64 deadPid = gone.processId();
    QVERIFY(gone.waitForFinished());
    QVERIFY(QDir().mkpath(disk + u"/history"_s));
    QFile lock(disk + u"/history/history.lock"_s);
    QVERIFY(lock.open(QIODevice::WriteOnly));
    lock.write(QByteArray::number(deadPid) + "\nagentdesk\n" + QSysInfo::machineHostName().toUtf8() + "\n");
    lock.close();
    QVERIFY(fill(disk));

    m_process.start(QStringLiteral(AGENTDESK_PATH),
                    {u"--headless"_s, u"--config"_s, m_dir->filePath(u"organism.yaml"_s), u"--port"_s, u"0"_s,
                     u"--data-dir"_s, disk + u"/history"_s});
    QVERIFY(m_process.waitForFinished(30000));
    QCOMPARE(m_process.exitCode(), 2);
    const QString error = QString::fromUtf8(m_process.readAllStandardError());
    QVERIFY2(error.contains(u"No space left on device (ENOSPC)"_s), qPrintable(error));
    QVERIFY2(!error.contains(u"in use"_s), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_Headless)
#include "tst_headless.moc"
