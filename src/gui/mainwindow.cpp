#include "mainwindow.h"
#include "ui_mainwindow.h"

#include "agentspage.h"
#include "alertcenter.h"
#include "batchingsession.h"
#include "capabilitiespage.h"
#include "combinedusagepage.h"
#include "confirmation.h"
#include "connectdialog.h"
#include "injectdialog.h"
#include "loadpage.h"
#include "messagespage.h"
#include "organismdirectorymodel.h"
#include "organismsdock.h"
#include "organismsidebar.h"
#include "providerdirectory.h"
#include "session.h"
#include "sessionalerts.h"
#include "stateicons.h"
#include "threadlabels.h"
#include "threadspage.h"
#include "usagepage.h"

#include <QCloseEvent>
#include <QTreeView>
#include <QMessageBox>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

constexpr int kStatusMessageMs = 8000;

QString reloadSummary(const ConfigChanges &changes)
{
    QStringList parts;
    if (!changes.added.isEmpty())
        parts << MainWindow::tr("added %1").arg(changes.added.join(u", "_s));
    if (!changes.removed.isEmpty())
        parts << MainWindow::tr("removed %1").arg(changes.removed.join(u", "_s));
    if (!changes.updated.isEmpty())
        parts << MainWindow::tr("updated %1").arg(changes.updated.join(u", "_s));
    if (parts.isEmpty())
        return MainWindow::tr("Configuration reloaded: nothing changed");
    return MainWindow::tr("Configuration reloaded: %1").arg(parts.join(u"; "_s));
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
{
    m_ui->setupUi(this);
    setWindowIcon(stateicons::application());
    m_providers = new ProviderDirectory(this);
    m_alerts = new AlertCenter(this);
    m_tray = new TrayNotifier(this);
    connect(m_tray, &TrayNotifier::activated, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });

    m_agents = new AgentsPage(this);
    m_threads = new ThreadsPage(this);
    m_messages = new MessagesPage(this);
    m_usage = new UsagePage(this);
    m_capabilities = new CapabilitiesPage(this);
    m_load = new LoadPage(this);
    m_ui->pageTabs->addTab(m_agents, tr("&Agents"));
    m_ui->pageTabs->addTab(m_threads, tr("&Threads"));
    m_ui->pageTabs->addTab(m_messages, tr("&Messages"));
    m_ui->pageTabs->addTab(m_usage, tr("&Usage"));
    m_ui->pageTabs->addTab(m_capabilities, tr("&Capabilities"));
    m_ui->pageTabs->addTab(m_load, tr("&Load"));
    setupOrganisms();

    connect(m_agents, &AgentsPage::statusMessage, this, &MainWindow::showStatus);
    connect(m_threads, &ThreadsPage::statusMessage, this, &MainWindow::showStatus);
    connect(m_usage, &UsagePage::statusMessage, this, &MainWindow::showStatus);
    connect(m_agents, &AgentsPage::commandFailed, this, &MainWindow::reportFailure);
    connect(m_threads, &ThreadsPage::commandFailed, this, &MainWindow::reportFailure);
    connect(m_usage, &UsagePage::commandFailed, this, &MainWindow::reportFailure);
    connect(m_combined, &CombinedUsagePage::statusMessage, this, &MainWindow::showStatus);
    connect(m_combined, &CombinedUsagePage::commandFailed, this, &MainWindow::reportFailure);
    connect(m_agents, &AgentsPage::injectRequested, this, [this](const QString &target) { openInjectDialog(target); });
    connect(m_capabilities, &CapabilitiesPage::injectRequested, this,
            [this](const QString &target, const QString &xml) { openInjectDialog(target, xml); });
    connect(m_messages, &MessagesPage::showThreadRequested, this, [this](const QString &threadId) {
        showPage(Page::Threads);
        m_threads->showThread(threadId);
    });
    connect(m_threads, &ThreadsPage::commandsChanged, this, &MainWindow::updateCommandActions);
    connect(m_agents, &AgentsPage::commandsChanged, this, &MainWindow::updateCommandActions);
    m_banner = new SessionBanner(m_ui->banner, m_ui->bannerLabel, m_ui->bannerButton, this);
    connect(m_banner, &SessionBanner::actionTriggered, this, &MainWindow::onBannerAction);
    setupActions();
    setupSessions();
    useSession(nullptr, {});
}

MainWindow::~MainWindow()
{
    // The pages' models hold the session: let them go before an owned session does.
    m_sessions.setCurrent(nullptr);
    for (Session *attached : m_sessions.attached()) {
        m_directory->removeSession(attached);
        m_sessionAlerts->forget(attached);
    }
}

// The Organisms dock (left of the pages, closed and moved like any dock; saveState keeps where) and the
// All organisms page over the same list.
void MainWindow::setupOrganisms()
{
    m_directory = new OrganismDirectoryModel(this);
    m_combined = new CombinedUsagePage(m_directory, this);
    m_ui->pageTabs->addTab(m_combined, tr("All &organisms"));
    auto *dock = new OrganismsDock(m_directory, this);
    m_dock = dock;
    m_sidebar = dock->sidebar();
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    m_ui->menuView->insertAction(m_ui->actionNextPage, dock->toggleViewAction());
    m_sessionAlerts = new SessionAlerts(this);
    connect(m_sessionAlerts, &SessionAlerts::alertRaised, this, &MainWindow::onAlert);
    auto *allOrganisms = new QAction(tr("&All organisms"), this);
    allOrganisms->setObjectName(u"actionAllOrganisms"_s);
    m_ui->menuView->insertAction(m_ui->actionNextPage, allOrganisms);
    connect(allOrganisms, &QAction::triggered, this, [this] { showPage(Page::AllOrganisms); });
    m_disconnectAction = new QAction(tr("&Disconnect from this organism"), this);
    m_disconnectAction->setObjectName(u"actionDisconnect"_s);
    m_ui->menuFile->insertAction(m_ui->actionLocal, m_disconnectAction);
    connect(m_disconnectAction, &QAction::triggered, this, [this] { disconnectSession(session()); });

    connect(m_sidebar, &OrganismSidebar::sessionChosen, this, &MainWindow::showSession);
    connect(m_sidebar, &OrganismSidebar::reconnectRequested, this, &OrganismSessions::reconnect);
    connect(m_sidebar, &OrganismSidebar::disconnectRequested, this, &MainWindow::disconnectSession);
    connect(m_sidebar, &OrganismSidebar::combinedUsageRequested, this, [this] { showPage(Page::AllOrganisms); });
    connect(m_sidebar, &OrganismSidebar::connectRequested, this, &MainWindow::chooseServer);
}

void MainWindow::setupActions()
{
    m_ui->actionFollow->setCheckable(false);
    connect(m_ui->actionConnect, &QAction::triggered, this, [this] { chooseServer(); });
    connect(m_ui->actionLocal, &QAction::triggered, this, &MainWindow::showLocal);
    connect(m_ui->actionQuit, &QAction::triggered, this, &MainWindow::close);
    connect(m_ui->actionInject, &QAction::triggered, this, [this] { openInjectDialog(m_agents->selectedAgent()); });
    connect(m_ui->actionPause, &QAction::triggered, m_agents, &AgentsPage::pauseSelected);
    connect(m_ui->actionResume, &QAction::triggered, m_agents, &AgentsPage::resumeSelected);
    connect(m_ui->actionKill, &QAction::triggered, m_threads, &ThreadsPage::killSelected);
    connect(m_ui->actionRetry, &QAction::triggered, m_threads, &ThreadsPage::retrySelected);
    connect(m_ui->actionRaise, &QAction::triggered, m_threads, &ThreadsPage::raiseSelectedBudget);
    connect(m_ui->actionReload, &QAction::triggered, this, &MainWindow::reloadConfig);
    connect(m_ui->actionStop, &QAction::triggered, this, &MainWindow::stopOrganism);
    connect(m_ui->actionStart, &QAction::triggered, this, &MainWindow::requestStart);
    connect(m_ui->actionResetUsage, &QAction::triggered, m_usage, &UsagePage::resetUsage);
    connect(m_ui->actionAgents, &QAction::triggered, this, [this] { showPage(Page::Agents); });
    connect(m_ui->actionThreads, &QAction::triggered, this, [this] { showPage(Page::Threads); });
    connect(m_ui->actionMessages, &QAction::triggered, this, [this] { showPage(Page::Messages); });
    connect(m_ui->actionUsage, &QAction::triggered, this, [this] { showPage(Page::Usage); });
    connect(m_ui->actionCapabilities, &QAction::triggered, this, [this] { showPage(Page::Capabilities); });
    connect(m_ui->actionLoad, &QAction::triggered, this, [this] { showPage(Page::Load); });
    // Before a table's own Ctrl+Tab (moving to the next cell): the window's, as in every tabbed program.
    m_ui->actionNextPage->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Tab), QKeySequence(Qt::CTRL | Qt::Key_PageDown)});
    m_ui->actionPreviousPage->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backtab),
                                            QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Tab),
                                            QKeySequence(Qt::CTRL | Qt::Key_PageUp)});
    connect(m_ui->actionNextPage, &QAction::triggered, this, [this] { switchPage(1); });
    connect(m_ui->actionPreviousPage, &QAction::triggered, this, [this] { switchPage(-1); });
    connect(m_ui->actionFollow, &QAction::triggered, this, [this] {
        showPage(Page::Messages);
        m_messages->setFollowing(!m_messages->isFollowing());
    });
    connect(m_ui->actionFind, &QAction::triggered, this, [this] {
        showPage(Page::Messages);
        m_messages->focusSearch();
    });
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
}

// --- sessions -------------------------------------------------------------------------------------

// The Organisms list and the alerts follow the sessions as they come and go; the pages show the current.
void MainWindow::setupSessions()
{
    connect(&m_sessions, &OrganismSessions::currentChanged, this, &MainWindow::useSession);
    connect(&m_sessions, &OrganismSessions::attachedSession, this, [this](Session *session, const QUrl &url) {
        m_directory->addSession(session, url.toDisplayString());
        m_sessionAlerts->watch(session);
    });
    connect(&m_sessions, &OrganismSessions::attachFailed, this, [this](const QUrl &url) {
        reportFailure(tr("Connect to %1").arg(url.toDisplayString()), tr("this kind of server is not supported"));
    });
    connect(&m_sessions, &OrganismSessions::detaching, this, [this](Session *session) {
        m_directory->removeSession(session);
        m_sessionAlerts->forget(session);
    });
    connect(&m_sessions, &OrganismSessions::detached, this, [this](const QString &name) {
        showStatus(tr("Disconnected from %1").arg(name));
        updateState();
    });
}

Session *MainWindow::session() const
{
    return m_sessions.current();
}

AlertCenter *MainWindow::alertCenter() const
{
    AlertCenter *center = m_sessionAlerts->centerOf(session());
    return center ? center : m_alerts;
}

void MainWindow::setLocalSession(Session *session, const QString &apiAddress)
{
    if (Session *previous = m_sessions.local(); previous && previous != session)
        m_sessionAlerts->forget(previous);
    m_sessions.setLocal(session, apiAddress);
    m_directory->setLocalSession(session, apiAddress);
    if (session) {
        m_starting = false;
        m_startError.clear();
        m_sessionAlerts->watch(session);
    }
    if (!isAttached())
        m_sessions.setCurrent(session);
    else
        updateState();
}

void MainWindow::setLocalStartable(bool startable)
{
    m_localStartable = startable;
    updateState();
}

void MainWindow::reportStartFailure(const QString &error)
{
    m_starting = false;
    m_startError = error;
    updateState();
}

void MainWindow::setSessionFactory(SessionFactory factory)
{
    m_sessions.setFactory(std::move(factory));
    updateState();
}

void MainWindow::useSession(Session *session, const QString &apiAddress)
{
    for (const QMetaObject::Connection &connection : std::as_const(m_sessionConnections))
        disconnect(connection);
    m_sessionConnections.clear();
    m_stopRequested = false;
    // The pages let go of the previous view before it goes.
    std::unique_ptr<BatchingSession> previous = std::move(m_view);
    if (session)
        m_view = std::make_unique<BatchingSession>(session);
    Session *view = m_view.get();
    m_providers->setSession(view);
    m_sidebar->setCurrentSession(session);
    m_ui->header->setSession(view, m_providers);
    m_ui->header->setApiAddress(apiAddress);
    m_agents->setSession(view, m_providers);
    m_threads->setSession(view);
    m_messages->setSession(view);
    m_usage->setSession(view, m_providers);
    m_capabilities->setSession(view);
    m_load->setSession(view);
    previous.reset();
    if (session) {
        m_sessionConnections << connect(session, &Session::stateChanged, this, &MainWindow::updateState);
        m_sessionConnections << connect(session, &Session::organismChanged, this, &MainWindow::updateState);
        m_sessionConnections << connect(session, &Session::updateModeChanged, this, &MainWindow::updateState);
        m_sessionConnections << connect(session, &Session::reloaded, this, [this](const ReloadResult &result) {
            if (result)
                showStatus(reloadSummary(*result));
        });
        m_sessionConnections << connect(session, &Session::errorsRaised, this, [this](const QList<ErrorEvent> &errors) {
            if (!errors.isEmpty())
                showStatus(tr("Error in %1: %2").arg(errors.last().agent, errors.last().error));
        });
    }
    updateState();
}

// --- state ------------------------------------------------------------------------------------------

void MainWindow::updateState()
{
    Session *current = session();
    const bool connected = current && current->isConnected();
    const OrganismInfo organism = connected ? current->organism() : OrganismInfo();
    const OrganismStatus status = connected ? organism.status : OrganismStatus::Stopped;
    const ServerAbilities abilities = connected ? current->abilities() : ServerAbilities();
    // The original's stop only says "stopping": the organism goes on, and so do the commands.
    const bool cosmeticStop = connected && !abilities.stopStopsWork && status == OrganismStatus::Stopping;
    const bool running = connected && (status == OrganismStatus::Running || cosmeticStop);
    const bool attached = isAttached();
    const QString where = attached ? m_sessions.apiAddressOf(current) : (current ? current->endpoint() : QString());
    const bool localStopped = !attached && ((connected && status == OrganismStatus::Stopped) || !current);
    const bool canStart = localStopped && m_localStartable && !m_starting;

    m_banner->show({current, attached, where, m_starting, m_startError, canStart});

    if (m_stopRequested && connected && (status == OrganismStatus::Stopped || cosmeticStop)) {
        m_stopRequested = false;
        showStatus(cosmeticStop   ? tr("The server now says “stopping”, but its stop changes only that word: the "
                                         "organism goes on, and so do the commands.")
                       : attached ? tr("The organism at %1 has stopped.").arg(where)
                                  : tr("The organism has stopped; Start runs it again."));
    }

    m_commandsEnabled = running;
    for (QAction *action : {m_ui->actionInject, m_ui->actionPause, m_ui->actionResume, m_ui->actionReload})
        action->setEnabled(running);
    m_ui->actionStop->setEnabled(running && !cosmeticStop);
    m_ui->actionResetUsage->setEnabled(connected && abilities.tracksUsage);
    m_ui->actionStart->setEnabled(canStart);
    m_ui->actionStart->setVisible(!attached);
    m_ui->actionConnect->setEnabled(m_sessions.canConnect());
    m_ui->actionConnect->setToolTip(m_sessions.canConnect()
                                        ? tr("Watch one more organism, served by another agentdesk or AgentServer")
                                        : tr("Not available in this build"));
    m_disconnectAction->setEnabled(attached);
    m_ui->actionLocal->setEnabled(attached && (m_sessions.local() || m_localStartable));
    m_ui->actionPause->setToolTip(abilities.pauseHoldsWork
                                      ? tr("Hold the selected agent's queue")
                                      : tr("This server's pause only changes the agent's state: it goes on working"));
    m_ui->actionKill->setToolTip(abilities.killCancelsWork
                                     ? tr("Cancel the selected thread's work")
                                     : tr("This server's kill only marks the thread killed: its work goes on"));
    m_ui->actionStop->setToolTip(abilities.stopStopsWork
                                     ? tr("Stop taking work, let in-flight work finish (bounded), then stop")
                                     : tr("This server's stop only changes its status to “stopping”: nothing stops"));
    m_agents->setCommandsEnabled(running);
    m_threads->setCommandsEnabled(running);
    m_usage->setCommandsEnabled(connected && abilities.tracksUsage);
    m_capabilities->setCommandsEnabled(running);
    updateCommandActions();

    const QString name = connected ? organism.name : QString();
    setWindowTitle(name.isEmpty() ? tr("agentdesk")
                       : attached ? tr("%1 at %2 (remote) — agentdesk").arg(name, where)
                                  : tr("%1 — agentdesk").arg(name));
}

// Kill and raise follow the thread on show (a finished thread has nothing to kill), pause and resume
// the agent.
void MainWindow::updateCommandActions()
{
    m_ui->actionKill->setEnabled(m_commandsEnabled && m_threads->canKillSelected());
    m_ui->actionRetry->setEnabled(m_commandsEnabled && m_threads->canRetrySelected());
    m_ui->actionRaise->setEnabled(m_commandsEnabled && m_threads->canRaiseSelected());
    m_ui->actionPause->setEnabled(m_commandsEnabled && m_agents->canPauseSelected());
    m_ui->actionResume->setEnabled(m_commandsEnabled && m_agents->canResumeSelected());
}

void MainWindow::switchPage(int step)
{
    const int count = m_ui->pageTabs->count();
    m_ui->pageTabs->setCurrentIndex((m_ui->pageTabs->currentIndex() + step + count) % count);
}

bool MainWindow::isBannerVisible() const
{
    return m_banner->isVisible();
}

QString MainWindow::bannerText() const
{
    return m_banner->text();
}

bool MainWindow::isRemoteBanner() const
{
    return m_banner->style() == SessionBanner::Style::Remote;
}

void MainWindow::onBannerAction(SessionBanner::Action action)
{
    switch (action) {
    case SessionBanner::Action::Start:
        requestStart();
        break;
    case SessionBanner::Action::Reconnect:
        if (Session *current = session())
            OrganismSessions::reconnect(current);
        break;
    case SessionBanner::Action::Local:
        showLocal();
        break;
    case SessionBanner::Action::None:
        break;
    }
}

// --- pages ------------------------------------------------------------------------------------------

void MainWindow::showPage(Page page)
{
    m_ui->pageTabs->setCurrentWidget(pageWidget(page));
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(m_ui->pageTabs->currentIndex());
}

QWidget *MainWindow::pageWidget(Page page) const
{
    return m_ui->pageTabs->widget(int(page));
}

InjectDialog *MainWindow::openInjectDialog(const QString &target, const QString &xml)
{
    if (!session() || !m_commandsEnabled)
        return nullptr;
    auto *dialog = new InjectDialog(m_view.get(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!target.isEmpty())
        dialog->setTarget(target);
    if (!xml.isEmpty())
        dialog->setRawXml(xml);
    connect(dialog, &InjectDialog::injected, this, [this](const InjectedMessage &injected) {
        ThreadLabels *labels = ThreadLabels::forSession(m_view.get());
        showStatus(tr("Injected into thread %1")
                       .arg(labels ? labels->describe(injected.threadId) : ThreadLabels::shortId(injected.threadId)));
    });
    dialog->open();
    return dialog;
}

// --- commands ---------------------------------------------------------------------------------------

void MainWindow::reloadConfig()
{
    if (!session())
        return;
    session()->reloadConfig(this, [this](const ReloadResult &result) {
        if (!result)
            reportFailure(tr("Reload the configuration"), result.error().message);
    });
}

void MainWindow::stopOrganism()
{
    Session *current = session();
    if (!current || !m_commandsEnabled)
        return;
    const bool cosmetic = !current->abilities().stopStopsWork;
    const QString detail = cosmetic
        ? tr("This server (the original AgentServer) only changes its status to “stopping”: nothing "
             "stops, and it never says “running” again.")
        : isAttached() ? tr("The organism at %1 takes no new work, lets in-flight work finish and stops.")
                             .arg(m_sessions.apiAddressOf(current))
                       : tr("The organism takes no new work, lets in-flight work finish (at most 10 s) and stops; "
                            "its API stops answering too. Start runs it again from the configuration file.");
    askToConfirm(this, u"confirmStop"_s, tr("Stop the organism “%1”?").arg(current->organism().name), detail,
                 tr("&Stop organism"), [this, current = QPointer<Session>(current)] {
                     if (!current || current != session())
                         return;
                     m_stopRequested = true;
                     showStatus(tr("Stopping the organism…"));
                     current->stopOrganism(this, [this](const Result<> &result) {
                         if (!result) {
                             m_stopRequested = false;
                             reportFailure(tr("Stop the organism"), result.error().message);
                             return;
                         }
                         updateState(); // it may have stopped already
                     });
                 });
}

void MainWindow::requestStart()
{
    if (!m_localStartable || m_starting)
        return;
    if (isAttached())
        showLocal();
    m_starting = true;
    m_startError.clear();
    updateState();
    emit startRequested();
}

// host: an agentdesk found in a shared history, whose API is offered at its default port.
void MainWindow::chooseServer(const QString &host)
{
    if (!m_sessions.canConnect())
        return;
    auto *dialog = new ConnectDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!host.isEmpty())
        dialog->setUrl(
            u"http://%1:%2"_s.arg(host).arg(ConnectDialog::defaultPort(ConnectDialog::ServerKind::Agentdesk)));
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { connectTo(dialog->url(), dialog->apiKey(), dialog->keyVariable()); });
    dialog->open();
}

void MainWindow::showStatus(const QString &text)
{
    statusBar()->showMessage(text, kStatusMessageMs);
}

void MainWindow::reportFailure(const QString &what, const QString &error)
{
    const QString text = tr("%1 failed: %2").arg(what, error);
    statusBar()->showMessage(text, kStatusMessageMs);
    auto *box = new QMessageBox(QMessageBox::Warning, tr("agentdesk"), text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(u"failureBox"_s);
    box->open();
}

void MainWindow::onAlert(const Session *session, Alert alert)
{
    // With more than one organism open, the alert says whose it is.
    if (session && m_directory->sessions().size() > 1) {
        const QString name = m_sessions.displayName(session);
        alert.title = tr("%1 — %2").arg(name, alert.title);
    }
    showStatus(alert.title + u": "_s + alert.text);
    m_tray->show(alert);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About agentdesk"),
                       tr("<b>agentdesk %1</b><p>Hosts a multi-agent organism, serves the AgentServer API and "
                          "shows it live.</p>")
                           .arg(QCoreApplication::applicationVersion()));
}

// --- settings ---------------------------------------------------------------------------------------

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/state"_s, saveState());
    settings.setValue(u"window/page"_s, int(currentPage()));
    m_dock->saveState(settings);
    m_agents->saveState(settings);
    m_threads->saveState(settings);
    m_messages->saveState(settings);
    m_usage->saveState(settings);
    m_capabilities->saveState(settings);
    m_load->saveState(settings);
    m_combined->saveState(settings);
}

void MainWindow::restoreSettings()
{
    const QSettings settings;
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    restoreState(settings.value(u"window/state"_s).toByteArray());
    m_ui->pageTabs->setCurrentIndex(settings.value(u"window/page"_s, 0).toInt());
    m_dock->restoreState(settings);
    m_agents->restoreState(settings);
    m_threads->restoreState(settings);
    m_messages->restoreState(settings);
    m_usage->restoreState(settings);
    m_capabilities->restoreState(settings);
    m_load->restoreState(settings);
    m_combined->restoreState(settings);
    m_sessions.reopenRemembered();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    event->accept();
    emit closed();
}

} // namespace agentdesk
