#include "application.h"

#include "config/configloader.h"
#include "engine.h"
#include "organism.h"
#include "unixsignalwatcher.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>

#include <csignal>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

constexpr auto kDrainBound = std::chrono::seconds(10);
constexpr int kStatisticsIntervalMs = 10000;
const QString kBundledDemo = u":/organisms/hello-world.yaml"_s;

void printLine(FILE *stream, const QString &text)
{
    std::fprintf(stream, "%s\n", qPrintable(text));
    std::fflush(stream);
}

} // namespace

Application::Application(QObject *parent)
    : QObject(parent)
{
}

Application::~Application() = default;

int Application::start(const QStringList &arguments)
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

    OrganismConfig config;
    if (!loadConfig(options, &config))
        return 2;
    const QString dataDirectory = dataDirectoryFor(options, config);

    m_engine = std::make_unique<Engine>();
    QString error;
    if (!m_engine->start(config, dataDirectory, &error)) {
        printLine(stderr, u"agentdesk: "_s + error);
        return 2;
    }

    m_signals = new UnixSignalWatcher(this);
    m_signals->watch(SIGINT);
    m_signals->watch(SIGTERM);
    connect(m_signals, &UnixSignalWatcher::received, this, &Application::onSignal);
    connect(m_engine.get(), &Engine::stopped, this, [] { QCoreApplication::exit(0); });

    printLine(stdout, u"agentdesk %1: organism '%2' running with %3 listeners (%4)"_s
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

bool Application::loadConfig(const CommandLine &options, OrganismConfig *config)
{
    const QString path = options.configFile.isEmpty() ? kBundledDemo : options.configFile;
    const ConfigLoadResult loaded = ConfigLoader::loadFile(path);
    for (const ConfigError &error : loaded.errors)
        printLine(stderr, u"agentdesk: "_s + error.toString());
    if (!loaded.ok())
        return false;
    *config = *loaded.config;
    for (const ConfigWarning &warning : std::as_const(config->warnings))
        printLine(stderr, u"agentdesk: warning: "_s + warning.toString());
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
    if (m_stopping) {
        printLine(stderr, u"agentdesk: second signal, exiting without waiting for the drain"_s);
        QCoreApplication::exit(0);
        return;
    }
    m_stopping = true;
    printLine(stdout, u"agentdesk: signal %1 received, draining (at most %2 s)…"_s.arg(signalNumber)
                          .arg(std::chrono::duration_cast<std::chrono::seconds>(kDrainBound).count()));
    m_engine->stop(kDrainBound);
}

void Application::printStatistics()
{
    const OrganismInfo info = m_engine->organism()->info();
    const qint64 delta = info.totalMessages - m_lastReportedMessages;
    if (delta == 0)
        return;
    m_lastReportedMessages = info.totalMessages;
    printLine(stdout, u"messages: %1 total, %2/s; active threads: %3"_s.arg(info.totalMessages)
                          .arg(double(delta) * 1000.0 / kStatisticsIntervalMs, 0, 'f', 1)
                          .arg(info.activeThreads));
}

} // namespace agentdesk
