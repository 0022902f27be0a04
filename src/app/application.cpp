#include "application.h"

#include "configcheck.h"
#include "engine.h"
#include "enginehost.h"
#include "agentspage.h"
#include "connectdialog.h"
#include "injectdialog.h"
#include "messagespage.h"
#include "localsession.h"
#include "mainwindow.h"
#include "organism.h"
#include "providerdirectory.h"
#include "remotesession.h"
#include "threadspage.h"
#include "threadtimelineview.h"
#include "translations.h"
#include "unixsignalwatcher.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QTreeView>

#include <csignal>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

constexpr auto kDrainBound = std::chrono::seconds(10);
// SIGTERM or closing the window: the drain (10 s), the history's last commit (at most 5 s, see
// Organism::stop), then out regardless — a full or hung disk never keeps the process alive.
constexpr int kForcedExitMs = 16000;
constexpr int kStatisticsIntervalMs = 10000;
const QString kBundledDemo = u":/organisms/hello-world.yaml"_s;

void printLine(FILE *stream, const QString &text)
{
    std::fprintf(stream, "%s\n", qPrintable(text));
    std::fflush(stream);
}

// The model → provider pairs the configuration states outright, so the window can label the demo
// provider's usage before the first call reports it.
QHash<QString, QString> modelProviders(const OrganismConfig &config)
{
    QHash<QString, QString> providers;
    bool onlyDemo = !config.llm.backends.isEmpty();
    for (const LlmBackendConfig &backend : config.llm.backends) {
        onlyDemo = onlyDemo && backend.provider == u"demo";
        for (const QString &model : backend.models)
            providers.insert(model, backend.provider);
    }
    if (onlyDemo) {
        for (const ListenerConfig &listener : config.listeners) {
            if (listener.agent && !listener.model.isEmpty())
                providers.insert(listener.model, u"demo"_s);
        }
    }
    return providers;
}

QElapsedTimer &processClock()
{
    static QElapsedTimer clock;
    return clock;
}

// Prints when the window is first painted: what the operator sees, not when show() returned.
class FirstPaintReporter final : public QObject
{
public:
    using QObject::QObject;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_reported) {
            m_reported = true;
            printLine(stdout, u"window: painted %1 ms after the process started"_s.arg(processClock().elapsed()));
            watched->removeEventFilter(this);
        }
        return false;
    }

private:
    bool m_reported = false;
};

bool argumentGiven(int argc, char **argv, const char *name)
{
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], name) == 0)
            return true;
    }
    return false;
}

} // namespace

Application::Application(QObject *parent)
    : QObject(parent)
{ }

Application::~Application()
{
    // The window and its session go before the engine they watch; the engine goes on its own thread.
    m_window.reset();
    m_session.reset();
    m_host.reset();
}

void Application::markProcessStart()
{
    processClock().start();
}

bool Application::wantsHeadless(int argc, char **argv)
{
    // --check starts nothing, so it needs no window either.
    return argumentGiven(argc, argv, "--headless") || argumentGiven(argc, argv, "--check");
}

bool Application::forcesWindow(int argc, char **argv)
{
    return argumentGiven(argc, argv, "--gui");
}

bool Application::displayUsable(int argc, char **argv)
{
    QString platform = qEnvironmentVariable("QT_QPA_PLATFORM");
    for (int i = 1; i + 1 < argc; ++i) {
        if (qstrcmp(argv[i], "-platform") == 0 || qstrcmp(argv[i], "--platform") == 0)
            platform = QString::fromLocal8Bit(argv[i + 1]);
    }
    platform = platform.section(u':', 0, 0).trimmed();
    if (platform == u"offscreen" || platform == u"minimal")
        return forcesWindow(argc, argv);
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    // X11 and Wayland need a server to talk to; without one QApplication would abort.
    if (platform.isEmpty() || platform == u"xcb" || platform.startsWith(u"wayland"))
        return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
#endif
    return true;
}

int Application::start(const QStringList &arguments, Mode mode)
{
    const CommandLineResult parsed = parseCommandLine(arguments);
    switch (parsed.action) {
    case CommandLineResult::Action::ShowHelp:
    case CommandLineResult::Action::ShowVersion:
        printLine(stdout, parsed.text.trimmed());
        return 0;
    case CommandLineResult::Action::Fail:
        printLine(stderr, u"agentdesk: "_s + parsed.text);
        printLine(stderr, u"Try 'agentdesk --help' for more information."_s);
        return 2;
    case CommandLineResult::Action::Run:
        break;
    }
    const CommandLine &options = parsed.options;
    if (options.checkOnly)
        return checkConfig(options);

    if (mode == Mode::Window) {
        // QApplication may still land on a platform nobody sees (e.g. the default plugin is offscreen).
        const QString platform = QGuiApplication::platformName();
        if ((platform == u"offscreen" || platform == u"minimal") && !options.forceWindow)
            mode = Mode::Headless;
    }
    if (mode == Mode::Window)
        translations::install(QLocale());

    if (!options.connectUrl.isEmpty() && mode != Mode::Window) {
        printLine(stderr, u"agentdesk: --connect needs a window, and there is no display to show one on"_s);
        return 2;
    }
    OrganismConfig config;
    if (!loadConfig(options, &config))
        return 2;
    const QString dataDirectory = dataDirectoryFor(options, config);
    if (mode == Mode::Window)
        return startWindow(options, config, dataDirectory);

    m_engine = std::make_unique<Engine>();
    m_engine->setApiOutlivesOrganism(true); // POST /organism/stop leaves the API answering until a signal
    if (const Result<> started = m_engine->start(config, dataDirectory); !started) {
        printLine(stderr, u"agentdesk: "_s + started.error().message);
        return 2;
    }

    m_signals = new UnixSignalWatcher(this);
    m_signals->watch(SIGINT);
    m_signals->watch(SIGTERM);
    connect(m_signals, &UnixSignalWatcher::received, this, &Application::onSignal);
    connect(m_engine.get(), &Engine::stopped, this, [] { QCoreApplication::exit(0); });
    Organism *organism = m_engine->organism();
    connect(organism, &Organism::historyHealthChanged, this, [organism] {
        const QString problem = organism->info().historyProblem;
        printLine(stderr,
                  problem.isEmpty() ? u"agentdesk: the history commits again; injects are accepted"_s
                                    : u"agentdesk: the history cannot commit, injects are refused (507): "_s + problem);
    });
    connect(organism, &Organism::statusChanged, this,
            [](OrganismStatus status) { printLine(stdout, u"agentdesk: organism %1"_s.arg(toString(status))); });

    printLine(stdout,
              u"agentdesk %1: organism '%2' running with %3 listeners (%4)"_s
                  .arg(QCoreApplication::applicationVersion(), config.name)
                  .arg(config.listeners.size())
                  .arg(m_engine->organism()->listenerNames().join(u", ")));
    printLine(stdout, u"API: %1/api/v1 (OpenAPI at %1/docs)"_s.arg(m_engine->apiUrl()));
    printLine(stdout, u"history: %1"_s.arg(QDir::toNativeSeparators(dataDirectory)));
    printLine(stdout, u"stop with Ctrl+C (SIGINT) or SIGTERM"_s);

    auto *statistics = new QTimer(this);
    connect(statistics, &QTimer::timeout, this, &Application::printStatistics);
    statistics->start(kStatisticsIntervalMs);
    return -1;
}

int Application::checkConfig(const CommandLine &options)
{
    const ConfigCheck::Report report = ConfigCheck::run(configPath(options));
    ConfigCheck::print(report, stderr);
    if (!report.ok()) {
        printLine(stderr,
                  u"agentdesk: %1 error(s), %2 warning(s): the organism cannot start"_s.arg(report.errors.size())
                      .arg(report.warnings.size()));
        return 2;
    }
    const OrganismConfig &config = *report.config;
    printLine(
        stdout,
        u"%1: ok: organism '%2', %3 listener(s), %4 payload type(s), %5 warning(s)"_s.arg(config.filePath, config.name)
            .arg(config.listeners.size())
            .arg(config.payloads.size())
            .arg(report.warnings.size()));
    return 0;
}

QString Application::configPath(const CommandLine &options)
{
    return options.configFile.isEmpty() ? kBundledDemo : options.configFile;
}

bool Application::loadConfig(const CommandLine &options, OrganismConfig *config)
{
    // The same checks and the same report as --check: every error and warning, in file order.
    ConfigCheck::Report report = ConfigCheck::run(configPath(options));
    ConfigCheck::print(report, stderr);
    if (!report.ok())
        return false;
    *config = std::move(*report.config);
    if (options.bind)
        config->api.bind = options.bind->toString();
    if (options.port)
        config->api.port = *options.port;
    return true;
}

QString Application::dataDirectoryFor(const CommandLine &options, const OrganismConfig &config) const
{
    if (!options.dataDirectory.isEmpty())
        return QDir(options.dataDirectory).absolutePath();
    // One history per organism, so two organisms never mix their threads.
    QString name = config.name;
    name.replace(QRegularExpression(u"[^A-Za-z0-9._-]"_s), u"_"_s);
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u'/' + name;
}

void Application::onSignal(int signalNumber)
{
    if (m_window) { // the same as closing the window
        if (m_closing) {
            printLine(stderr, u"agentdesk: second signal, exiting without waiting for the drain"_s);
            QCoreApplication::exit(0);
            return;
        }
        printLine(stdout, u"agentdesk: signal %1 received, closing the window"_s.arg(signalNumber));
        m_window->close();
        return;
    }
    if (m_stopping) {
        printLine(stderr, u"agentdesk: second signal, exiting without waiting for the drain"_s);
        QCoreApplication::exit(0);
        return;
    }
    m_stopping = true;
    printLine(stdout,
              u"agentdesk: signal %1 received, draining (at most %2 s)…"_s.arg(signalNumber)
                  .arg(std::chrono::duration_cast<std::chrono::seconds>(kDrainBound).count()));
    m_engine->stop(kDrainBound);
    QTimer::singleShot(kForcedExitMs, this, [] {
        printLine(stderr, u"agentdesk: the organism did not stop in time, exiting"_s);
        QCoreApplication::exit(0);
    });
}

void Application::printStatistics()
{
    const OrganismInfo info = m_engine->organism()->info();
    const qint64 delta = info.totalMessages - m_lastReportedMessages;
    if (delta == 0)
        return;
    m_lastReportedMessages = info.totalMessages;
    QString line = u"messages: %1 total, %2/s; active threads: %3"_s.arg(info.totalMessages)
                       .arg(double(delta) * 1000.0 / kStatisticsIntervalMs, 0, 'f', 1)
                       .arg(info.activeThreads);
    const Saturation &saturation = info.saturation;
    if (saturation.queueDepth > 0 || saturation.injectsRefused > 0)
        line += u"; queue %1 (injects admitted below %2), %3 injects refused"_s.arg(saturation.queueDepth)
                    .arg(saturation.admissionLimit)
                    .arg(saturation.injectsRefused);
    printLine(stdout, line);
}

// --- window mode ------------------------------------------------------------------------------------

int Application::startWindow(const CommandLine &options, const OrganismConfig &config, const QString &dataDirectory)
{
    m_options = options;
    m_dataDirectory = dataDirectory;
    // Attached from the start: the organism here is not started (its port may be the very server
    // watched); the window can start it later.
    QUrl remote;
    QString remoteKey;
    if (!options.connectUrl.isEmpty()) {
        remote = ConnectDialog::parseUrl(options.connectUrl);
        if (!remote.isValid()) {
            printLine(
                stderr,
                u"agentdesk: --connect: '%1' is not an http:// or https:// URL with a host"_s.arg(options.connectUrl));
            return 2;
        }
        if (!options.apiKeyVariable.isEmpty()) {
            remoteKey = qEnvironmentVariable(qPrintable(options.apiKeyVariable));
            if (remoteKey.isEmpty()) {
                printLine(stderr,
                          u"agentdesk: --api-key-env: the environment variable %1 is not set or empty"_s.arg(
                              options.apiKeyVariable));
                return 2;
            }
        }
    }
    m_host = std::make_unique<EngineHost>();
    if (!remote.isValid()) {
        if (const Result<> started = m_host->start(config, dataDirectory); !started) {
            printLine(stderr, u"agentdesk: "_s + started.error().message);
            return 2;
        }
    }
    connect(m_host.get(), &EngineHost::stopped, this, &Application::onEngineStopped);

    QApplication::setQuitOnLastWindowClosed(false); // closing drains the organism first
    m_window = std::make_unique<MainWindow>();
    m_window->providers()->setKnownModels(modelProviders(config));
    m_window->setLocalStartable(true);
    // File → Connect to AgentServer: the same window over any AgentServer's REST + WebSocket API.
    m_window->setSessionFactory(
        [](const QUrl &url, const QString &apiKey) -> Session * { return new RemoteSession(url, apiKey); });
    connect(m_window.get(), &MainWindow::closed, this, &Application::onWindowClosed);
    connect(m_window.get(), &MainWindow::startRequested, this, &Application::restartEngine);
    if (remote.isValid())
        m_window->connectTo(remote, remoteKey);
    else
        openLocalSession();
    m_window->restoreSettings();
    if (options.reportStartup)
        m_window->centralWidget()->installEventFilter(new FirstPaintReporter(m_window.get()));
    m_window->show();

    m_signals = new UnixSignalWatcher(this);
    m_signals->watch(SIGINT);
    m_signals->watch(SIGTERM);
    connect(m_signals, &UnixSignalWatcher::received, this, &Application::onSignal);

    if (remote.isValid()) {
        printLine(stdout,
                  u"agentdesk %1: watching the AgentServer at %2 in a window"_s.arg(
                      QCoreApplication::applicationVersion(), remote.toDisplayString()));
    } else {
        printLine(stdout,
                  u"agentdesk %1: organism '%2' running with %3 listeners, in a window"_s
                      .arg(QCoreApplication::applicationVersion(), config.name)
                      .arg(config.listeners.size()));
        printLine(stdout, u"API: %1/api/v1 (OpenAPI at %1/docs)"_s.arg(m_host->apiUrl()));
        printLine(stdout, u"history: %1"_s.arg(QDir::toNativeSeparators(dataDirectory)));
    }
    if (!options.screenshotDirectory.isEmpty())
        scheduleScreenshots(options.screenshotDirectory, options.screenshotDelayMs);
    return -1;
}

void Application::openLocalSession()
{
    m_session = std::make_unique<LocalSession>(m_host->organism());
    m_window->setLocalSession(m_session.get(), m_host->apiUrl());
    m_session->open();
}

// Start after stop: a fresh engine from the configuration file as it is now (it may have been edited).
void Application::restartEngine()
{
    m_window->setLocalSession(nullptr, {});
    m_session.reset();
    m_host->destroy(); // releases the history and the API port before the new engine takes them
    OrganismConfig config;
    if (!loadConfig(m_options, &config)) {
        m_window->reportStartFailure(tr("the configuration has errors (see the terminal)"));
        return;
    }
    if (const Result<> started = m_host->start(config, dataDirectoryFor(m_options, config)); !started) {
        printLine(stderr, u"agentdesk: "_s + started.error().message);
        m_window->reportStartFailure(started.error().message);
        return;
    }
    m_window->providers()->setKnownModels(modelProviders(config));
    openLocalSession();
    printLine(stdout, u"agentdesk: organism '%1' started again; API: %2/api/v1"_s.arg(config.name, m_host->apiUrl()));
}

void Application::onWindowClosed()
{
    if (m_closing)
        return;
    m_closing = true;
    if (!m_host->isRunning()) {
        // Not from inside the window's close event: finish() deletes the window.
        QMetaObject::invokeMethod(this, &Application::finish, Qt::QueuedConnection);
        return;
    }
    printLine(stdout,
              u"agentdesk: window closed, draining (at most %1 s)…"_s.arg(
                  std::chrono::duration_cast<std::chrono::seconds>(kDrainBound).count()));
    m_host->stop(kDrainBound);
    // Should the drain or the history flush hang, leave anyway: the history commits as it goes.
    QTimer::singleShot(kForcedExitMs, this, [] {
        printLine(stderr, u"agentdesk: the organism did not stop in time, exiting"_s);
        QCoreApplication::exit(0);
    });
}

void Application::onEngineStopped()
{
    if (m_closing)
        finish();
}

void Application::finish()
{
    m_window.reset();
    m_session.reset();
    m_host->destroy();
    QCoreApplication::exit(0);
}

void Application::saveScreenshot(const QString &path)
{
    QCoreApplication::processEvents();
    if (m_window->grab().save(path, "PNG"))
        printLine(stdout, u"screenshot: %1"_s.arg(path));
    else
        printLine(stderr, u"agentdesk: cannot write %1"_s.arg(path));
}

void Application::scheduleScreenshots(const QString &directory, int delayMs)
{
    QTimer::singleShot(delayMs, this, [this, directory] { takeScreenshots(directory); });
}

void Application::takeScreenshots(const QString &directory)
{
    if (!m_window)
        return;
    QDir().mkpath(directory);
    const std::pair<MainWindow::Page, QString> pages[] = {{MainWindow::Page::Agents, u"agents"_s},
                                                          {MainWindow::Page::Threads, u"threads"_s},
                                                          {MainWindow::Page::Messages, u"messages"_s},
                                                          {MainWindow::Page::Usage, u"usage"_s},
                                                          {MainWindow::Page::Capabilities, u"capabilities"_s},
                                                          {MainWindow::Page::Load, u"load"_s},
                                                          {MainWindow::Page::AllOrganisms, u"organisms"_s}};
    // Something selected on every page, so the detail panes show what they are for.
    m_window->agentsPage()->selectAgent(u"greeter"_s);
    m_window->threadsPage()->table()->selectRow(0);
    m_window->messagesPage()->table()->selectRow(0);
    // The pages as one organism shows them; the Organisms list beside the combined usage only.
    auto *organisms = m_window->findChild<QDockWidget *>(u"organismsDock"_s);
    for (const auto &[page, name] : pages) {
        if (organisms)
            organisms->setVisible(page == MainWindow::Page::AllOrganisms);
        m_window->showPage(page);
        // What a page asks for when first painted (thread labels of older threads) arrives a moment later.
        QEventLoop settle;
        QTimer::singleShot(300, &settle, &QEventLoop::quit);
        settle.exec();
        saveScreenshot(QDir(directory).filePath(name + u".png"_s));
    }
    if (organisms)
        organisms->hide();
    // The selected thread's timeline, its first hop open down to the LLM call's prompt and response.
    m_window->showPage(MainWindow::Page::Threads);
    m_window->threadsPage()->showTimeline();
    QTreeView *timeline = m_window->threadsPage()->timelineView()->tree();
    QEventLoop settle;
    QTimer::singleShot(500, &settle, &QEventLoop::quit);
    settle.exec();
    if (QAbstractItemModel *model = timeline->model(); model && model->rowCount() > 0) {
        const QModelIndex first = model->index(0, 0);
        timeline->expand(first);
        for (int row = 0; row < model->rowCount(first); ++row)
            timeline->expand(model->index(row, 0, first));
        timeline->setCurrentIndex(model->index(model->rowCount(first) > 1 ? 1 : 0, 0, first));
    }
    saveScreenshot(QDir(directory).filePath(u"timeline.png"_s));
    if (InjectDialog *dialog = m_window->openInjectDialog(u"greeter"_s)) {
        QCoreApplication::processEvents();
        const QString path = QDir(directory).filePath(u"inject-dialog.png"_s);
        if (dialog->grab().save(path, "PNG"))
            printLine(stdout, u"screenshot: %1"_s.arg(path));
        dialog->close();
    }
    m_window->close();
}

} // namespace agentdesk
