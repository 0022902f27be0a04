#pragma once

#include "commandline.h"

#include <QObject>

#include <memory>

namespace agentdesk {

class Engine;
class UnixSignalWatcher;
struct OrganismConfig;

// The composition root: reads the command line and the config, owns the organism (and the API server
// and window once they exist), and turns SIGINT/SIGTERM into a graceful stop.
class Application : public QObject
{
    Q_OBJECT
public:
    explicit Application(QObject *parent = nullptr);
    ~Application() override;

    // Returns the process exit code when start-up fails (2: bad argument or config), or -1 when running.
    int start(const QStringList &arguments);

private:
    bool loadConfig(const CommandLine &options, OrganismConfig *config);
    QString dataDirectoryFor(const CommandLine &options, const OrganismConfig &config) const;
    void onSignal(int signalNumber);
    void printStatistics();

    std::unique_ptr<Engine> m_engine;
    UnixSignalWatcher *m_signals = nullptr;
    qint64 m_lastReportedMessages = 0;
    bool m_stopping = false;
};

} // namespace agentdesk
