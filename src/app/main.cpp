#include "application.h"
#include "diagnostics/logfloodguard.h"

#include <QApplication>
#include <QCoreApplication>

#include <memory>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    agentdesk::Application::markProcessStart();
    // A message repeated per client or per request (Qt's own warnings included) cannot flood the log.
    static agentdesk::LogFloodGuard logGuard;
    agentdesk::LogFloodGuard::install(&logGuard);
    // The window needs QApplication, which aborts without a display: decide before creating it. Headless
    // (asked for, or no display) keeps the plain QCoreApplication it always had.
    const bool window = !agentdesk::Application::wantsHeadless(argc, argv)
        && agentdesk::Application::displayUsable(argc, argv);
    std::unique_ptr<QCoreApplication> app;
    if (window)
        app = std::make_unique<QApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(u"agentdesk"_s);
    QCoreApplication::setOrganizationName(u"agentdesk"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(AGENTDESK_VERSION));

    int code = 0;
    {
        agentdesk::Application application;
        const int failure = application.start(
            app->arguments(), window ? agentdesk::Application::Mode::Window : agentdesk::Application::Mode::Headless);
        code = failure >= 0 ? failure : QCoreApplication::exec();
    }
    return code;
}
