// The window with several organisms at once: two real agentdesk API servers on 127.0.0.1 attached side
// by side, the Organisms sidebar choosing which one the pages show, disconnecting one while the other
// stays, the All organisms page summing their usage, the connections reopened at the next start, and an
// organism found only in a shared PostgreSQL history listed with its status and its usage.

#include "agentmodel.h"
#include "agentspage.h"
#include "apiserver.h"
#include "combinedusagemodel.h"
#include "combinedusagepage.h"
#include "localsession.h"
#include "mainwindow.h"
#include "organismdirectorymodel.h"
#include "organismsidebar.h"
#include "postgrestestserver.h"
#include "remotesession.h"
#include "testengine.h"
#include "translations.h"

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QSysInfo>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::TestEngine;

namespace {

// NAME's agents: a greeter and an LLM writer whose every call spends 400 tokens on the scripted client,
// past 95 % of its thread's budget (an alert).
QByteArray organismYaml(const QString &name, const QString &greeter, const QByteArray &history = {})
{
    QByteArray yaml = R"(
organism: {name: NAME}
max_tokens_per_thread: 420
payloads:
  Greeting: {name: string}
  Draft: {text: string}
  Done: {text: string}
listeners:
  - name: GREETER
    description: Greets
    payload_class: Greeting
    handler: builtin:sink
  - name: writer
    description: Writes
    payload_class: Draft
    agent: true
    model: fake-1
    prompt: You write.
    peers: [done]
  - name: done
    description: Receives the text
    payload_class: Done
    handler: builtin:sink
)";
    yaml.replace("NAME", name.toUtf8()).replace("GREETER", greeter.toUtf8());
    return yaml + history;
}

// One organism behind its own API server on a free port of 127.0.0.1.
struct Served
{
    QTemporaryDir dir;
    TestEngine engine{TestEngine::Threading::SameThread};
    std::unique_ptr<ApiServer> api;

    bool start(const QByteArray &yaml)
    {
        QString error;
        if (!engine.start(yaml, dir.path(), &error)) {
            qWarning().noquote() << error;
            return false;
        }
        engine.llm()->defaultReply = u"<Done><Text>ok</Text></Done>"_s;
        ApiServerOptions options;
        options.address = QHostAddress::LocalHost;
        options.port = 0;
        api = std::make_unique<ApiServer>(engine.organism(), options);
        return api->start(&error);
    }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(api->port())); }
};

QStringList agentNames(MainWindow &window)
{
    QStringList names;
    const QAbstractItemModel *model = window.agentsPage()->table()->model();
    for (int row = 0; row < model->rowCount(); ++row)
        names << model->index(row, AgentModel::NameColumn).data().toString();
    return names;
}

InjectRequest draft()
{
    InjectRequest request;
    request.to = u"writer"_s;
    request.fields.insert(u"text"_s, u"go"_s);
    return request;
}

QString cell(const QAbstractItemModel *model, int row, int column)
{
    return model->index(row, column).data().toString();
}

} // namespace

class TestOrganismSidebar : public QObject
{
    Q_OBJECT

private:
    void useRemoteSessions(MainWindow &target)
    {
        target.setSessionFactory(
            [](const QUrl &url, const QString &key) -> Session * { return new RemoteSession(url, key); });
    }
    // Two organisms, north and south, each behind its own API server, attached in that order.
    void attachBoth(Served &north, Served &south)
    {
        QVERIFY(north.start(organismYaml(u"north"_s, u"north-greeter"_s)));
        QVERIFY(south.start(organismYaml(u"south"_s, u"south-greeter"_s)));
        useRemoteSessions(*window);
        QVERIFY(window->connectTo(north.url(), QString()));
        QVERIFY(window->connectTo(south.url(), QString()));
    }
    int rowNamed(const QString &name) const
    {
        const OrganismDirectoryModel *organisms = window->organisms();
        for (int row = 0; row < organisms->rowCount(); ++row) {
            if (organisms->index(row, OrganismDirectoryModel::NameColumn).data().toString() == name)
                return row;
        }
        return -1;
    }
    void choose(const QString &name)
    {
        const int row = rowNamed(name);
        QVERIFY(row >= 0);
        QTreeView *list = window->sidebar()->view();
        list->setCurrentIndex(list->model()->index(row, 0));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(settingsDir.isValid());
        QCoreApplication::setOrganizationName(u"agentdesk-tests"_s);
        QCoreApplication::setApplicationName(u"tst_organismsidebar"_s);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
        translations::install(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void init()
    {
        QSettings().clear();
        window.emplace();
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(&*window));
    }

    void cleanup() { window.reset(); }

    void twoServersAttachedAtOnce()
    {
        Served north;
        Served south;
        attachBoth(north, south);
        QCOMPARE(window->attachedSessions().size(), 2); // the second did not drop the first
        QTRY_VERIFY(window->findChild<QDockWidget *>(u"organismsDock"_s)->isVisible()); // shown from two on
        QTRY_COMPARE_WITH_TIMEOUT(rowNamed(u"north"_s), 0, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(rowNamed(u"south"_s), 1, 15000);
        QCOMPARE(cell(window->organisms(), 0, OrganismDirectoryModel::StatusColumn), u"connected"_s);
        QCOMPARE(cell(window->organisms(), 1, OrganismDirectoryModel::StatusColumn), u"connected"_s);

        // The last one made is on show; the sidebar picks the other.
        QTRY_VERIFY(agentNames(*window).contains(u"south-greeter"_s));
        QCOMPARE(window->sidebar()->view()->currentIndex().row(), 1);
        choose(u"north"_s);
        QCOMPARE(window->session()->organism().name, u"north"_s);
        QTRY_VERIFY(agentNames(*window).contains(u"north-greeter"_s));
        QVERIFY(!agentNames(*window).contains(u"south-greeter"_s));
        QVERIFY(window->bannerText().contains(north.url().toDisplayString()));
        choose(u"south"_s);
        QTRY_VERIFY(agentNames(*window).contains(u"south-greeter"_s));

        // Both spend, past 95 % of a thread's budget: each alert names its organism, the one on show or
        // not. The All organisms page has a row each and their sum.
        for (Session *attached : window->attachedSessions()) {
            std::optional<InjectResult> injected;
            attached->inject(draft(), this, [&](const InjectResult &result) { injected = result; });
            QTRY_VERIFY_WITH_TIMEOUT(injected.has_value() && injected->has_value(), 10000);
            QTRY_COMPARE_WITH_TIMEOUT(attached->usage().totals.totalTokens, 400, 15000);
            const QString name = attached->organism().name;
            QTRY_VERIFY2_WITH_TIMEOUT(window->statusBar()->currentMessage().startsWith(name + u" — Thread "_s),
                                      qPrintable(window->statusBar()->currentMessage()), 10000);
        }
        window->sidebar()->findChild<QPushButton *>(u"combinedUsageButton"_s)->click();
        QCOMPARE(window->currentPage(), MainWindow::Page::AllOrganisms);
        const QAbstractItemModel *combined = window->combinedUsagePage()->table()->model();
        QCOMPARE(combined->rowCount(), 3);
        QCOMPARE(cell(combined, 0, CombinedUsageModel::TokensColumn), u"400"_s);
        QCOMPARE(cell(combined, 1, CombinedUsageModel::TokensColumn), u"400"_s);
        QCOMPARE(cell(combined, 2, CombinedUsageModel::OrganismColumn), u"All organisms"_s);
        QCOMPARE(cell(combined, 2, CombinedUsageModel::TokensColumn), u"800"_s);
        QCOMPARE(cell(combined, 2, CombinedUsageModel::RequestsColumn), u"2"_s);
        // The scripted model has no price: the cost says so, through the Usage page's cost display.
        QCOMPARE(cell(combined, 2, CombinedUsageModel::CostColumn), u"unpriced"_s);
        QTemporaryDir out;
        const QString csvPath = out.filePath(u"usage.csv"_s);
        QCOMPARE(window->combinedUsagePage()->exportCsv(csvPath), QString());
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().split('\n');
        QVERIFY2(lines.at(3).startsWith("All organisms,sum of the rows above,800,"), lines.at(3).constData());

        // Removing one (its context menu) keeps the other, on show.
        QMenu *menu = window->sidebar()->contextMenuFor(rowNamed(u"south"_s));
        menu->findChild<QAction *>(u"disconnectOrganismAction"_s)->trigger();
        delete menu;
        QCOMPARE(window->attachedSessions().size(), 1);
        QCOMPARE(window->organisms()->rowCount(), 1);
        QCOMPARE(window->session()->organism().name, u"north"_s);
        QTRY_VERIFY(agentNames(*window).contains(u"north-greeter"_s));
        QCOMPARE(combined->rowCount(), 2);
        QCOMPARE(cell(combined, 1, CombinedUsageModel::TokensColumn), u"400"_s);

        // File → Disconnect drops the one on show; nothing is left to show.
        window->findChild<QAction *>(u"actionDisconnect"_s)->trigger();
        QVERIFY(window->attachedSessions().isEmpty());
        QCOMPARE(window->session(), nullptr);
        QCOMPARE(window->organisms()->rowCount(), 0);
    }

    void openConnectionsAreReopened()
    {
        Served north;
        Served south;
        attachBoth(north, south);
        QVERIFY(window->connectTo(north.url(), QString())); // already open: shown, not opened twice
        QCOMPARE(window->attachedSessions().size(), 2);
        QCOMPARE(window->session()->endpoint(), window->attachedSessions().first()->endpoint());
        window->close();
        window.reset();

        MainWindow again;
        useRemoteSessions(again);
        again.restoreSettings();
        QCOMPARE(again.attachedSessions().size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(again.organisms()->index(0, 0).data().toString(), u"north"_s, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(again.organisms()->index(1, 0).data().toString(), u"south"_s, 15000);
    }

    // Two organisms on one PostgreSQL database: the window runs one, and lists the other from the
    // history it shares — running, where, and what it spent — without pretending to show it live.
    void anOrganismFoundInASharedHistory()
    {
        if (test::PostgresTestServer::binDirectory().isEmpty())
            QSKIP("PostgreSQL's server package is not installed (scripts/dev.sh installs it)");
        test::PostgresTestServer postgres;
        QString error;
        QVERIFY2(postgres.start(&error), qPrintable(error));
        const auto history = [&postgres](const QString &instance) {
            return u"history: {backend: postgresql, url: \"%1\", instance: %2}\n"_s.arg(postgres.url(), instance)
                .toUtf8();
        };
        QTemporaryDir hereDir;
        QTemporaryDir thereDir;
        TestEngine here(TestEngine::Threading::OwnThread);
        TestEngine there(TestEngine::Threading::OwnThread);
        QVERIFY2(here.start(organismYaml(u"here"_s, u"greeter"_s, history(u"h1"_s)), hereDir.path(), &error),
                 qPrintable(error));
        QVERIFY2(there.start(organismYaml(u"there"_s, u"greeter"_s, history(u"t1"_s)), thereDir.path(), &error),
                 qPrintable(error));
        LocalSession local(here.organism());
        LocalSession other(there.organism()); // spends, but is not in the window
        other.open();
        QTRY_VERIFY(other.isConnected());
        there.call([&there](Organism &) { there.llm()->defaultReply = u"<Done><Text>ok</Text></Done>"_s; });
        std::optional<InjectResult> injected;
        other.inject(draft(), this, [&](const InjectResult &result) { injected = result; });
        QTRY_VERIFY_WITH_TIMEOUT(injected.has_value() && injected->has_value(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(other.usage().totals.totalTokens, 400, 10000);

        window->setLocalSession(&local, u"http://127.0.0.1:0"_s);
        local.open();
        const OrganismDirectoryModel *organisms = window->organisms();
        QTRY_COMPARE_WITH_TIMEOUT(organisms->rowCount(), 2, 10000);
        QCOMPARE(cell(organisms, 0, OrganismDirectoryModel::NameColumn), u"here (h1)"_s);
        QCOMPARE(cell(organisms, 0, OrganismDirectoryModel::KindColumn), u"local"_s);
        QCOMPARE(cell(organisms, 1, OrganismDirectoryModel::NameColumn), u"there (t1)"_s);
        QCOMPARE(cell(organisms, 1, OrganismDirectoryModel::KindColumn), u"in history"_s);
        QCOMPARE(cell(organisms, 1, OrganismDirectoryModel::StatusColumn),
                 u"running on %1, pid %2"_s.arg(QSysInfo::machineHostName()).arg(QCoreApplication::applicationPid()));
        QVERIFY(organisms->index(1, 0).data(Qt::ToolTipRole).toString().contains(u"connect to its API"_s));
        // Chosen, it is not shown (nothing live to show): the pages stay on this organism.
        choose(u"there (t1)"_s);
        QCOMPARE(window->session(), &local);

        // Its usage comes from the history, and says so.
        window->showPage(MainWindow::Page::AllOrganisms);
        const QAbstractItemModel *combined = window->combinedUsagePage()->table()->model();
        window->combinedUsagePage()->model()->refreshBilling();
        QTRY_COMPARE_WITH_TIMEOUT(cell(combined, 1, CombinedUsageModel::TokensColumn), u"400"_s, 10000);
        QVERIFY(cell(combined, 1, CombinedUsageModel::SourceColumn).startsWith(u"history, read at"_s));
        QCOMPARE(cell(combined, 0, CombinedUsageModel::SourceColumn), u"live, since its last reset"_s);
        QCOMPARE(cell(combined, 2, CombinedUsageModel::TokensColumn), u"400"_s);

        window->setLocalSession(nullptr, {});
        local.close();
        other.close();
    }

private:
    QTemporaryDir settingsDir;
    std::optional<MainWindow> window;
};

QTEST_MAIN(TestOrganismSidebar)
#include "tst_organismsidebar.moc"
