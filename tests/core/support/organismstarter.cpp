#include "organismstarter.h"

#include "testhistory.h"

#include "config/configloader.h"

#include <QCoreApplication>
#include <QDebug>
#include <QDeadlineTimer>
#include <QFile>

#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;

std::unique_ptr<Organism> startOrganismFromYaml(const QByteArray &yaml, const QString &directory)
{
    const QString path = directory + u"/organism.yaml"_s;
    QFile file(path);
    if (!file.exists()) {
        if (!file.open(QIODevice::WriteOnly) || file.write(yaml) != yaml.size()) {
            qWarning() << "cannot write" << path;
            return nullptr;
        }
        file.close();
    }
    const ConfigLoadResult loaded = ConfigLoader::loadFile(path);
    if (!loaded.ok()) {
        qWarning() << loaded.errors.first().toString();
        return nullptr;
    }
    OrganismConfig config = *loaded.config;
    agentdesk::test::useTestHistory(&config.history, directory); // SQLite, or the test's PostgreSQL server
    auto organism = std::make_unique<Organism>();
    QString error;
    if (!organism->load(config, directory + u"/data"_s, &error)) {
        qWarning() << error;
        return nullptr;
    }
    organism->start();
    return organism;
}

QByteArray greetingChainYaml(const QByteArray &name, const QByteArray &extra)
{
    return "organism: {name: " + name + "}\n" + extra + R"(
payloads:
  Greeting: {name: string}
  GreetingResponse: {message: string, original_sender: string}
  ShoutedResponse: {message: string}
listeners:
  - name: greeter
    description: greets
    payload_class: Greeting
    handler: builtin:format
    peers: [shouter]
    options: {message: "Hello, {name}!", original_sender: "{from}"}
  - name: shouter
    description: shouts
    payload_class: GreetingResponse
    handler: builtin:shout
    peers: [sink]
  - name: sink
    description: ends it
    payload_class: ShoutedResponse
    handler: builtin:sink
)";
}

qint64 countThreads(Organism &organism, ThreadStatus status)
{
    ThreadQuery query;
    query.status = status;
    query.limit = 0;
    return organism.threads(query).total;
}

RetryResult retryThread(Organism &organism, const QString &threadId)
{
    std::optional<RetryResult> answer;
    QObject context;
    organism.retryThreadAcknowledged(threadId, &context, [&answer](const RetryResult &result) { answer = result; });
    QDeadlineTimer deadline(30000);
    while (!answer && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (!answer) {
        RetryResult none;
        none.error = RetryResult::Error::HistoryUnavailable;
        return none;
    }
    return *answer;
}
