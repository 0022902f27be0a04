#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <optional>

namespace agentdesk {

// `agentdesk [--config FILE] [--headless | --gui] [--bind ADDR] [--port N] [--data-dir DIR]
//            [--connect URL [--api-key-env VAR]] [--check] [--version] [--help]`
struct CommandLine
{
    QString configFile; // empty = the bundled demo organism
    bool headless = false;
    bool forceWindow = false; // --gui: a window even on the offscreen/minimal platforms
    bool checkOnly = false;   // --check: load and validate the configuration, print every problem, start nothing
    std::optional<QHostAddress> bind;
    std::optional<int> port;
    QString dataDirectory; // empty = the user's data directory
    // --connect: open the window attached to this AgentServer instead of running the organism here (it
    // can still be started from the window); the key from the environment variable --api-key-env names.
    QString connectUrl;
    QString apiKeyVariable;
    // Hidden, for scripts/screenshots.sh and bench/gui: grab every page into PNGs after a delay, then quit;
    // print when the window was first painted.
    QString screenshotDirectory;
    int screenshotDelayMs = 5000;
    bool reportStartup = false;
};

struct CommandLineResult
{
    enum class Action { Run, ShowHelp, ShowVersion, Fail };
    Action action = Action::Run;
    CommandLine options;
    QString text; // help text, version text or the error
};

CommandLineResult parseCommandLine(const QStringList &arguments);

} // namespace agentdesk
