#include "application.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"agentdesk"_s);
    QCoreApplication::setOrganizationName(u"agentdesk"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(AGENTDESK_VERSION));

    agentdesk::Application application;
    const int failure = application.start(app.arguments());
    if (failure >= 0)
        return failure;
    return app.exec();
}
