// The application in window mode, as the operator meets it: the engine on a thread of its own and the
// window over it; Stop ends the organism and its API, Start brings up a fresh engine from the
// configuration file (edited meanwhile) on the same port; closing the window drains and exits with 0.

#include "application.h"
#include "fakeoriginalserver.h"
#include "localsession.h"
#include "mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QByteArray kConfig = R"(
organism: {name: app-test}
payloads:
  Greeting: {name: string}
  ShoutedResponse: {message: string}
listeners:
  - {name: shouter, description: shouts, payload_class: Greeting, handler: "builtin:sink"}
)";

int freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

} // namespace

class TestApplication : public QObject
{
    Q_OBJECT

private:
    MainWindow *window() const
    {
        for (QWidget *widget : QApplication::topLevelWidgets()) {
            if (auto *main = qobject_cast<MainWindow *>(widget))
                return main;
        }
        return nullptr;
    }
    // Stop asks first; the test says yes.
    void stop(MainWindow *main)
    {
        main->findChild<QAction *>(u"actionStop"_s)->trigger();
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = main->findChild<QMessageBox *>(u"confirmStop"_s)) != nullptr);
        box->findChild<QPushButton *>(u"confirmStopButton"_s)->click();
    }
    // A fresh connection each time: a stopped API refuses new ones (keep-alive ones may outlive it).
    QString health()
    {
        QNetworkAccessManager network;
        QNetworkReply *reply = network.get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/health"_s.arg(port))));
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }))
            return u"no answer"_s;
        reply->deleteLater();
        if (reply->error() != QNetworkReply::NoError)
            return u"error"_s;
        return QString::fromUtf8(reply->readAll());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.filePath(u"settings"_s));
        QFile file(dir.filePath(u"organism.yaml"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kConfig);
        file.close();
        port = freePort();
    }

    void stopStartAndClose()
    {
        Application application;
        const QStringList arguments{u"agentdesk"_s,  u"--gui"_s,
                                    u"--config"_s,   dir.filePath(u"organism.yaml"_s),
                                    u"--port"_s,     QString::number(port),
                                    u"--data-dir"_s, dir.filePath(u"history"_s)};
        QCOMPARE(application.start(arguments, Application::Mode::Window), -1);
        QPointer<MainWindow> main = window();
        QVERIFY(main);
        QVERIFY(main->isVisible());
        QTRY_VERIFY(main->areCommandsEnabled());
        QVERIFY(main->session()->thread() == QThread::currentThread());
        QVERIFY(health().contains(u"app-test"_s));

        stop(main);
        QTRY_VERIFY(main->bannerText().contains(u"stopped"_s));
        QTRY_COMPARE(health(), u"error"_s); // the API went with the organism
        QVERIFY(main->findChild<QAction *>(u"actionStart"_s)->isEnabled());

        // Edited while stopped: the new engine reads the file as it is now.
        QFile file(dir.filePath(u"organism.yaml"_s));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QByteArray(kConfig).replace("app-test", "app-test-2"));
        file.close();
        main->findChild<QAction *>(u"actionStart"_s)->trigger();
        QTRY_VERIFY(main->areCommandsEnabled());
        QVERIFY(!main->isBannerVisible());
        QCOMPARE(main->session()->organism().name, u"app-test-2"_s);
        QTRY_VERIFY(health().contains(u"app-test-2"_s));

        // Closing drains and ends the event loop with 0.
        int code = -1;
        QTimer::singleShot(0, main, &QWidget::close);
        code = QCoreApplication::exec();
        QCOMPARE(code, 0);
        QVERIFY(!main); // the window went before the engine
    }

    void attachThroughTheApi()
    {
        // The window attaches to an AgentServer — here its own organism's API — over REST + WebSocket.
        Application application;
        const QStringList arguments{u"agentdesk"_s,  u"--gui"_s,
                                    u"--config"_s,   dir.filePath(u"organism.yaml"_s),
                                    u"--port"_s,     QString::number(port),
                                    u"--data-dir"_s, dir.filePath(u"history"_s)};
        QCOMPARE(application.start(arguments, Application::Mode::Window), -1);
        QPointer<MainWindow> main = window();
        QTRY_VERIFY(main && main->areCommandsEnabled());
        Session *local = main->session();
        QVERIFY(main->findChild<QAction *>(u"actionConnect"_s)->isEnabled());
        QVERIFY(main->connectTo(QUrl(u"http://127.0.0.1:%1"_s.arg(port)), QString()));
        QVERIFY(main->isAttached());
        QVERIFY(main->session() != local);
        QTRY_VERIFY_WITH_TIMEOUT(main->areCommandsEnabled(), 10000);
        QCOMPARE(main->session()->organism().name, local->organism().name);

        // Stopping the organism through the API takes the API down: the window says the connection is gone.
        stop(main);
        QTRY_VERIFY_WITH_TIMEOUT(!main->areCommandsEnabled(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(main->isBannerVisible(), 10000);
        QVERIFY(!main->findChild<QAction *>(u"actionInject"_s)->isEnabled());

        main->showLocal();
        QCOMPARE(main->session(), local);
        QTimer::singleShot(0, main, &QWidget::close);
        QCOMPARE(QCoreApplication::exec(), 0);
    }

    void closeAStoppedOrganism()
    {
        Application application;
        const QStringList arguments{u"agentdesk"_s,  u"--gui"_s,
                                    u"--config"_s,   dir.filePath(u"organism.yaml"_s),
                                    u"--port"_s,     QString::number(port),
                                    u"--data-dir"_s, dir.filePath(u"history"_s)};
        QCOMPARE(application.start(arguments, Application::Mode::Window), -1);
        QPointer<MainWindow> main = window();
        QTRY_VERIFY(main && main->areCommandsEnabled());
        stop(main);
        QTRY_VERIFY(main->bannerText().contains(u"stopped"_s));
        QTimer::singleShot(0, main, &QWidget::close);
        QCOMPARE(QCoreApplication::exec(), 0);
        QVERIFY(!main);
    }

    // `agentdesk --connect URL --api-key-env VAR`: the window opens attached; the organism here is not
    // started (its port may be the very server watched) until the window starts it.
    void connectFromTheCommandLine()
    {
        test::FakeOriginalServer server(test::FakeOriginalServer::WebSocket::DropsBeforeSnapshot);
        server.recordMessage(u"boot"_s, u"system"_s, u"greeter"_s, {{u"name"_s, u"Boot"_s}});
        qputenv("AGENTDESK_TEST_KEY", "secret");
        Application application;
        const QStringList arguments{u"agentdesk"_s,     u"--gui"_s,
                                    u"--config"_s,      dir.filePath(u"organism.yaml"_s),
                                    u"--port"_s,        QString::number(port),
                                    u"--data-dir"_s,    dir.filePath(u"history"_s),
                                    u"--connect"_s,     server.url(),
                                    u"--api-key-env"_s, u"AGENTDESK_TEST_KEY"_s};
        QCOMPARE(application.start(arguments, Application::Mode::Window), -1);
        QPointer<MainWindow> main = window();
        QVERIFY(main && main->isAttached());
        QTRY_VERIFY_WITH_TIMEOUT(main->areCommandsEnabled(), 15000);
        QCOMPARE(main->session()->organism().name, u"hello-world"_s);
        QVERIFY(main->isRemoteBanner());
        QVERIFY2(main->bannerText().contains(u"the original AgentServer"_s), qPrintable(main->bannerText()));
        QVERIFY2(main->bannerText().contains(u"Live updates unavailable — polling every 2 s."_s),
                 qPrintable(main->bannerText()));
        QCOMPARE(health(), u"error"_s); // nothing runs here
        QVERIFY(main->findChild<QAction *>(u"actionLocal"_s)->isEnabled());
        QTimer::singleShot(0, main, &QWidget::close);
        QCOMPARE(QCoreApplication::exec(), 0);
    }

    // Refused with status 2 (and the reason on stderr) before any window or organism.
    void connectNeedsItsKey_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::newRow("an unset variable")
            << QStringList{u"--connect"_s, u"http://127.0.0.1:8080"_s, u"--api-key-env"_s, u"AGENTDESK_UNSET_KEY"_s};
        QTest::newRow("a key without a server") << QStringList{u"--api-key-env"_s, u"HOME"_s};
        QTest::newRow("not an http URL") << QStringList{u"--connect"_s, u"ftp://x"_s};
        QTest::newRow("headless") << QStringList{u"--connect"_s, u"http://127.0.0.1:8080"_s, u"--headless"_s};
    }
    void connectNeedsItsKey()
    {
        QFETCH(QStringList, options);
        qunsetenv("AGENTDESK_UNSET_KEY");
        Application application;
        QCOMPARE(
            application.start(QStringList{u"agentdesk"_s, u"--config"_s, dir.filePath(u"organism.yaml"_s)} + options,
                              Application::Mode::Window),
            2);
        QVERIFY(!window());
        QCOMPARE(health(), u"error"_s);
    }

private:
    QTemporaryDir dir;
    int port = 0;
};

QTEST_MAIN(TestApplication)
#include "tst_application.moc"
