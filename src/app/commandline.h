#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <optional>

namespace agentdesk {

// `agentdesk [--config FILE] [--headless] [--bind ADDR] [--port N] [--data-dir DIR] [--version] [--help]`
struct CommandLine
{
    QString configFile; // empty = the bundled demo organism
    bool headless = false;
    std::optional<QHostAddress> bind;
    std::optional<int> port;
    QString dataDirectory; // empty = the user's data directory
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
