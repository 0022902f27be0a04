// The Connect dialog: wide enough for an address and its placeholder, the port of the kind of server
// (8765 agentdesk, 8080 the original) when none is typed, the kind and the last address remembered, and
// saved connections that keep the URL and the name of the key's environment variable — never the key.

#include "connectdialog.h"
#include "savedconnections.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

class TestConnectDialog : public QObject
{
    Q_OBJECT

private:
    static QPushButton *connectButton(ConnectDialog &dialog)
    {
        return dialog.findChild<QDialogButtonBox *>(u"buttons"_s)->button(QDialogButtonBox::Ok);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(settingsDir.isValid());
        QCoreApplication::setOrganizationName(u"agentdesk-tests"_s);
        QCoreApplication::setApplicationName(u"tst_connectdialog"_s);
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
    }
    void init() { QSettings().clear(); }

    void roomForTheAddress()
    {
        ConnectDialog dialog;
        auto *url = dialog.findChild<QComboBox *>(u"urlCombo"_s);
        const QString placeholder = url->lineEdit()->placeholderText();
        QCOMPARE(placeholder, u"http://127.0.0.1:8765"_s);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY2(url->lineEdit()->width() > url->fontMetrics().horizontalAdvance(u"http://127.0.0.1:8765/prefix"_s),
                 qPrintable(QString::number(url->lineEdit()->width())));
    }

    void thePortFollowsTheKindOfServer()
    {
        ConnectDialog dialog;
        QCOMPARE(dialog.url(), QUrl(u"http://127.0.0.1:8765"_s));
        dialog.setServerKind(ConnectDialog::ServerKind::Original);
        QCOMPARE(dialog.url(), QUrl(u"http://127.0.0.1:8080"_s)); // the other kind's default moved along
        dialog.setUrl(u"example.org"_s);
        QCOMPARE(dialog.url(), QUrl(u"http://example.org:8080"_s));
        dialog.setServerKind(ConnectDialog::ServerKind::Agentdesk);
        QCOMPARE(dialog.url(), QUrl(u"http://example.org:8765"_s)); // typed: kept, only the default port
        dialog.setUrl(u"https://example.org/api"_s);
        QCOMPARE(dialog.url().port(), -1); // https keeps its own default
        QVERIFY(!ConnectDialog::parseUrl(u"ftp://x"_s).isValid());

        // Remembered: the kind and the address.
        dialog.setServerKind(ConnectDialog::ServerKind::Original);
        dialog.setUrl(u"10.0.0.7"_s);
        dialog.accept();
        ConnectDialog again;
        QCOMPARE(again.serverKind(), ConnectDialog::ServerKind::Original);
        QCOMPARE(again.url(), QUrl(u"http://10.0.0.7:8080"_s));
    }

    void savedConnectionsNeverHoldTheKey()
    {
        qputenv("TST_CONNECT_KEY", "s3cret-from-env");
        {
            ConnectDialog dialog;
            dialog.setUrl(u"http://10.0.0.7:8080"_s);
            dialog.setApiKey(u"typed-secret"_s);
            dialog.setKeyVariable(u"TST_CONNECT_KEY"_s);
            QCOMPARE(dialog.apiKey(), u"typed-secret"_s); // typed wins, for this connection
            QVERIFY(dialog.saveAs(u"lab"_s));
        }
        QSettings().sync();
        QFile file(QSettings().fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray stored = file.readAll();
        QVERIFY2(stored.contains("TST_CONNECT_KEY"), stored.constData());
        QVERIFY(!stored.contains("typed-secret"));
        QVERIFY(!stored.contains("s3cret-from-env"));

        ConnectDialog dialog;
        QVERIFY(dialog.chooseSaved(u"lab"_s));
        QCOMPARE(dialog.url(), QUrl(u"http://10.0.0.7:8080"_s));
        QCOMPARE(dialog.keyVariable(), u"TST_CONNECT_KEY"_s);
        QCOMPARE(dialog.apiKey(), u"s3cret-from-env"_s);
        QVERIFY(connectButton(dialog)->isEnabled());

        // A variable that is not set: said, and no connecting without the key.
        qunsetenv("TST_CONNECT_KEY");
        dialog.setKeyVariable(u"TST_CONNECT_KEY "_s);
        QVERIFY(!connectButton(dialog)->isEnabled());
        QVERIFY(dialog.findChild<QLabel *>(u"errorLabel"_s)->text().contains(u"TST_CONNECT_KEY"_s));
        dialog.setKeyVariable(u"not a name"_s);
        QVERIFY(!connectButton(dialog)->isEnabled());

        SavedConnections::forget(u"lab"_s);
        QVERIFY(!SavedConnections::find(u"lab"_s));
        QVERIFY(!ConnectDialog().chooseSaved(u"lab"_s));
    }

private:
    QTemporaryDir settingsDir;
};

QTEST_MAIN(TestConnectDialog)
#include "tst_connectdialog.moc"
