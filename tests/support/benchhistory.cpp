#include "benchhistory.h"

namespace agentdesk::test {

using namespace Qt::StringLiterals;

namespace {

QString takeOption(QStringList *arguments, const QString &name)
{
    const qsizetype flag = arguments->indexOf(name);
    if (flag < 0)
        return {};
    const QString value = arguments->value(flag + 1);
    arguments->remove(flag, std::min<qsizetype>(2, arguments->size() - flag));
    return value;
}

} // namespace

QString benchHistoryUrl(QStringList *arguments, PostgresTestServer *server, QString *error)
{
    const bool postgres = takeOption(arguments, u"--history"_s) == u"postgresql"_s;
    const QString url = takeOption(arguments, u"--history-url"_s);
    if (!url.isEmpty() || !postgres)
        return url;
    PostgresTestServer::Options options;
    options.fsync = true;
    if (!server->start(options, error))
        return {};
    return server->url();
}

} // namespace agentdesk::test
