#pragma once

#include "commandline.h"
#include "config/organismconfig.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace agentdesk {

class Engine;
class EngineHost;
class LocalSession;
class MainWindow;
class UnixSignalWatcher;

// The composition root: reads the command line and the config, owns the organism, the API server and
// the window, and turns SIGINT/SIGTERM (or closing the window) into a graceful stop.
//
// Headless, the engine runs on the main thread until a signal. With a window, the engine lives on a
// thread of its own (EngineHost) and the window watches it through a LocalSession; Stop/Start in the
// window stop the organism and start a fresh engine from the configuration file; closing the window
// drains the organism (bounded) and exits 0.
class Application : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Headless, Window };

    explicit Application(QObject *parent = nullptr);
    ~Application() override;

    // Returns the process exit code when start-up fails (2: bad argument or config), or -1 when running.
    int start(const QStringList &arguments, Mode mode = Mode::Headless);

    // What the command line says about the mode, before any application object exists: --headless, or
    // --gui to insist on a window even on the offscreen/minimal platforms.
    static void markProcessStart(); // first thing in main(): the clock --report-startup reads
    static bool wantsHeadless(int argc, char **argv);
    static bool forcesWindow(int argc, char **argv);
    // Whether a window can be shown: a platform plugin that draws somewhere a person looks (not
    // offscreen/minimal unless forced) and, on X11/Wayland, a display to connect to.
    static bool displayUsable(int argc, char **argv);

private:
    bool loadConfig(const CommandLine &options, OrganismConfig *config);
    static QString configPath(const CommandLine &options);
    int checkConfig(const CommandLine &options); // --check: the exit code
    QString dataDirectoryFor(const CommandLine &options, const OrganismConfig &config) const;
    void onSignal(int signalNumber);
    void printStatistics();

    // --- window mode ---
    int startWindow(const CommandLine &options, const OrganismConfig &config, const QString &dataDirectory);
    void openLocalSession();
    void restartEngine();
    void onWindowClosed();
    void onEngineStopped();
    void finish();
    void scheduleScreenshots(const QString &directory, int delayMs);
    void takeScreenshots(const QString &directory);
    void saveScreenshot(const QString &path);

    std::unique_ptr<Engine> m_engine;
    UnixSignalWatcher *m_signals = nullptr;
    qint64 m_lastReportedMessages = 0;
    bool m_stopping = false;

    CommandLine m_options;
    QString m_dataDirectory;
    std::unique_ptr<EngineHost> m_host;
    std::unique_ptr<LocalSession> m_session;
    std::unique_ptr<MainWindow> m_window;
    bool m_closing = false;
};

} // namespace agentdesk
