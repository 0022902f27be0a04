// Helper of tst_organismresume: runs the organism of <directory>/organism.yaml (history in
// <directory>/data) as agentdesk does, injects <count> new threads into <target> (payload {n: i}) and
// prints "ACK <thread id>" for each one once it is acknowledged, that is committed. Then it keeps
// running until it is killed: the test kills it with SIGKILL while the threads are in flight.

#include "organismfixture.h"

#include <QCoreApplication>

#include <cstdio>

using namespace agentdesk;
using agentdesk::test::startOrganismFromYaml;
using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    if (arguments.size() < 4) {
        std::fprintf(stderr, "usage: organismrunner <directory> <count> <target>\n");
        return 2;
    }
    const std::unique_ptr<Organism> organism = startOrganismFromYaml({}, arguments.at(1));
    if (!organism)
        return 1;
    const int count = arguments.at(2).toInt();
    for (int n = 0; n < count; ++n) {
        InjectRequest request;
        request.to = arguments.at(3);
        request.fields.insert(u"n"_s, n);
        organism->injectAcknowledged(request, nullptr, [](const InjectResult &result) {
            if (result.has_value())
                std::printf("ACK %s\n", qPrintable(result->threadId));
            else
                std::printf("REFUSED %s\n", qPrintable(failureText(result)));
            std::fflush(stdout);
        });
    }
    return app.exec();
}
