#include "testhistory.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>

#include <cstdio>
#include <cstdlib>

namespace agentdesk::test {

using namespace Qt::StringLiterals;

bool historyOnPostgres()
{
    static const bool postgres = qEnvironmentVariable("AGENTDESK_TEST_HISTORY") == u"postgresql"_s;
    return postgres;
}

PostgresTestServer *testPostgresServer()
{
    if (!historyOnPostgres())
        return nullptr;
    static PostgresTestServer server;
    if (!server.isStarted()) {
        QString error;
        if (!server.start(&error)) {
            std::fprintf(stderr, "AGENTDESK_TEST_HISTORY=postgresql, but the test server did not start: %s\n",
                         qPrintable(error));
            std::abort();
        }
        qputenv("AGENTDESK_TEST_HISTORY_URL", server.url().toUtf8());
        // Stopped with the application, while QProcess still works.
        qAddPostRoutine([] { server.stop(); });
    }
    return &server;
}

QString testHistoryUrl()
{
    if (!historyOnPostgres())
        return {};
    if (const QString inherited = qEnvironmentVariable("AGENTDESK_TEST_HISTORY_URL"); !inherited.isEmpty())
        return inherited;
    return testPostgresServer()->url();
}

void useTestHistory(HistoryConfig *history, const QString &directory)
{
    const QString url = testHistoryUrl();
    if (url.isEmpty())
        return;
    history->backend = HistoryBackend::Postgresql;
    history->url = url;
    const QByteArray path = QDir(directory).absolutePath().toUtf8();
    history->instance = u"t"_s
        + QString::fromLatin1(QCryptographicHash::hash(path, QCryptographicHash::Sha1).toHex().left(16));
}

} // namespace agentdesk::test
