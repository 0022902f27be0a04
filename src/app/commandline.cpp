#include "commandline.h"

#include <QCommandLineParser>
#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace agentdesk {

CommandLineResult parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("CommandLine",
                                    "Hosts a multi-agent organism, serves the AgentServer API "
                                    "and shows it live in a desktop window."));
    const QCommandLineOption config(
        u"config"_s,
        QCoreApplication::translate("CommandLine",
                                    "Organism configuration (organism.yaml). Default: the bundled demo."),
        u"FILE"_s);
    const QCommandLineOption headless(
        u"headless"_s, QCoreApplication::translate("CommandLine", "Run without a window until SIGINT or SIGTERM."));
    const QCommandLineOption check(
        u"check"_s,
        QCoreApplication::translate("CommandLine",
                                    "Check the configuration: print every error and warning (file:line: "
                                    "key: message), start nothing; exit 0 when it can run, 2 when not."));
    const QCommandLineOption gui(
        u"gui"_s,
        QCoreApplication::translate("CommandLine", "Show the window even on the offscreen or minimal platform."));
    QCommandLineOption screenshots(
        u"screenshot-dir"_s,
        QCoreApplication::translate("CommandLine", "Save a PNG of every page into DIR, then quit."), u"DIR"_s);
    screenshots.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption screenshotDelay(
        u"screenshot-delay"_s,
        QCoreApplication::translate("CommandLine", "Seconds to wait before the screenshots. Default: 5."), u"S"_s);
    screenshotDelay.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption reportStartup(
        u"report-startup"_s, QCoreApplication::translate("CommandLine", "Print when the window was first painted."));
    reportStartup.setFlags(QCommandLineOption::HiddenFromHelp);
    const QCommandLineOption bind(
        u"bind"_s, QCoreApplication::translate("CommandLine", "Address the API listens on. Default: 127.0.0.1."),
        u"ADDR"_s);
    const QCommandLineOption port(
        u"port"_s, QCoreApplication::translate("CommandLine", "API port. Default: organism.port (8765)."), u"N"_s);
    const QCommandLineOption dataDir(
        u"data-dir"_s,
        QCoreApplication::translate("CommandLine", "Where the history is kept. Default: the user's data directory."),
        u"DIR"_s);
    const QCommandLineOption connect(
        u"connect"_s,
        QCoreApplication::translate("CommandLine",
                                    "Open the window attached to the AgentServer at URL (another "
                                    "agentdesk, or the original) instead of running an organism here."),
        u"URL"_s);
    const QCommandLineOption apiKeyEnv(
        u"api-key-env"_s,
        QCoreApplication::translate("CommandLine",
                                    "With --connect: the environment variable that holds the "
                                    "server's API key."),
        u"VAR"_s);
    parser.addOptions({config, check, headless, gui, bind, port, dataDir, connect, apiKeyEnv, screenshots,
                       screenshotDelay, reportStartup});
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();

    CommandLineResult result;
    if (!parser.parse(arguments)) {
        result.action = CommandLineResult::Action::Fail;
        result.text = parser.errorText();
        return result;
    }
    if (parser.isSet(help)) {
        result.action = CommandLineResult::Action::ShowHelp;
        result.text = parser.helpText();
        return result;
    }
    if (parser.isSet(version)) {
        result.action = CommandLineResult::Action::ShowVersion;
        result.text = QCoreApplication::applicationName() + u' ' + QCoreApplication::applicationVersion();
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        result.action = CommandLineResult::Action::Fail;
        result.text = u"unexpected argument '%1' (did you mean --config %1?)"_s.arg(
            parser.positionalArguments().first());
        return result;
    }
    CommandLine &options = result.options;
    options.configFile = parser.value(config);
    options.headless = parser.isSet(headless);
    options.forceWindow = parser.isSet(gui);
    options.checkOnly = parser.isSet(check);
    if (options.checkOnly && parser.isSet(connect)) {
        result.action = CommandLineResult::Action::Fail;
        result.text = u"--check checks a configuration file (--config FILE); it does not go with --connect"_s;
        return result;
    }
    if (options.headless && options.forceWindow) {
        result.action = CommandLineResult::Action::Fail;
        result.text = u"--headless and --gui exclude each other"_s;
        return result;
    }
    options.screenshotDirectory = parser.value(screenshots);
    options.reportStartup = parser.isSet(reportStartup);
    if (parser.isSet(screenshotDelay)) {
        bool ok = false;
        const double seconds = parser.value(screenshotDelay).toDouble(&ok);
        if (!ok || seconds < 0) {
            result.action = CommandLineResult::Action::Fail;
            result.text = u"--screenshot-delay: '%1' is not a number of seconds"_s.arg(parser.value(screenshotDelay));
            return result;
        }
        options.screenshotDelayMs = int(seconds * 1000);
    }
    options.dataDirectory = parser.value(dataDir);
    options.connectUrl = parser.value(connect);
    options.apiKeyVariable = parser.value(apiKeyEnv);
    if (!options.apiKeyVariable.isEmpty() && options.connectUrl.isEmpty()) {
        result.action = CommandLineResult::Action::Fail;
        result.text = u"--api-key-env only goes with --connect"_s;
        return result;
    }
    if (!options.connectUrl.isEmpty() && options.headless) {
        result.action = CommandLineResult::Action::Fail;
        result.text = u"--connect shows another server's organism in the window: it does not go with --headless"_s;
        return result;
    }
    if (parser.isSet(bind)) {
        QHostAddress address;
        const QString text = parser.value(bind);
        if (text == u"localhost")
            address = QHostAddress(QHostAddress::LocalHost);
        else if (!address.setAddress(text)) {
            result.action = CommandLineResult::Action::Fail;
            result.text = u"--bind: '%1' is not an IP address (e.g. 127.0.0.1, ::1 or 0.0.0.0)"_s.arg(text);
            return result;
        }
        options.bind = address;
    }
    if (parser.isSet(port)) {
        bool ok = false;
        const int value = parser.value(port).toInt(&ok);
        if (!ok || value < 0 || value > 65535) {
            result.action = CommandLineResult::Action::Fail;
            result.text = u"--port: '%1' is not a port number (0 to 65535; 0 picks a free one)"_s.arg(
                parser.value(port));
            return result;
        }
        options.port = value;
    }
    return result;
}

} // namespace agentdesk
