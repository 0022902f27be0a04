// Throughput and memory of the runtime: greetings through the 3-hop hello-world chain of built-ins
// (greeter → shouter → response-handler) with the history on. Prints figures; asserts nothing.
//
//   bench_runtime [messages=300000] [runs=5] [rssMessages=1000000] [--synchronous normal|full] [--metrics]
//                 [--history sqlite|postgresql [--history-url URL]]
//
// A run injects the greetings in batches (one commit per batch, as a bulk client would) and stops the
// clock when every thread has completed and the history has committed every message. Then one long run
// stores `rssMessages` messages and reports how much the resident set grew per million stored messages.
// --synchronous: the history's `history.synchronous` (normal by default); `full` fsyncs every commit.
// --history postgresql: the history on PostgreSQL — the server at --history-url, or else a private one
// started for the benchmark (initdb + pg_ctl on 127.0.0.1, fsync on), each run in an organism of its own.
// --metrics: attaches what GET /metrics counts with (its counters fed by the organism's change signals),
// as the API server does, to measure what metrics cost the pump.

#include "config/configloader.h"
#include "organism.h"
#include "organismmetrics.h"
#include "store/historystore.h"

#include "benchhistory.h"
#include "injectandwait.h"
#include "organismhistory.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QByteArray kConfig = R"(
organism: {name: bench}
max_concurrent_handlers: 64
max_concurrent_per_agent: 64
max_concurrent_pipelines: 100000
max_queue_depth: 2000000
payloads:
  Greeting: {name: string}
  GreetingResponse: {message: string, original_sender: string}
  ShoutedResponse: {message: string}
listeners:
  - {name: greeter, description: greets, payload_class: Greeting, handler: "builtin:format", peers: [shouter],
     options: {message: "Hello, {name}!", original_sender: "{from}"}}
  - {name: shouter, description: shouts, payload_class: GreetingResponse, handler: "builtin:shout",
     peers: [response-handler]}
  - {name: response-handler, description: ends it, payload_class: ShoutedResponse, handler: "builtin:sink"}
)";

qint64 statusKiB(const char *key)
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith(key))
            return line.mid(qstrlen(key)).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

struct RunResult
{
    qint64 messages = 0;
    double seconds = 0;
};

// Injects greetings (in batches, one commit each, as a bulk client would) and runs the organism until
// every thread has completed and the history has committed every message. Injection is part of the
// measured time; it goes first so that an acknowledged inject (which waits for its commit) does not
// stall the pump in the middle of the run.
// `maxActiveThreads` bounds the conversations in flight (0 = inject everything first): the memory run keeps
// it small so that what grows is the history, not the queue.
RunResult run(Organism &organism, qint64 messages, qint64 maxActiveThreads = 0,
              const std::function<void(qint64)> &progress = {})
{
    constexpr int kBatch = 1000;
    const qint64 threadsWanted = messages / 3;
    qint64 completed = 0;
    const auto connection = QObject::connect(&organism, &Organism::threadsUpdated,
                                             [&](const QList<ThreadInfo> &threads) {
                                                 for (const ThreadInfo &thread : threads)
                                                     completed += thread.status == ThreadStatus::Completed ? 1 : 0;
                                                 if (progress)
                                                     progress(completed * 3);
                                             });

    QElapsedTimer clock;
    clock.start();
    const qint64 startMessages = organism.info().totalMessages;
    for (qint64 injected = 0; injected < threadsWanted;) {
        if (maxActiveThreads > 0 && injected - completed >= maxActiveThreads) {
            QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
            continue;
        }
        QList<InjectRequest> batch;
        for (int i = 0; i < kBatch && injected < threadsWanted; ++i, ++injected) {
            InjectRequest request;
            request.to = u"greeter"_s;
            request.fields.insert(u"name"_s, u"user%1"_s.arg(injected));
            batch.append(request);
        }
        test::injectBatchAndWait(organism, batch);
    }
    while (completed < threadsWanted)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    test::historyStoreOf(organism)->sync(std::chrono::minutes(5));
    QObject::disconnect(connection);
    return RunResult{organism.info().totalMessages - startMessages, double(clock.nsecsElapsed()) / 1e9};
}

struct HistoryChoice
{
    HistoryDurability synchronous = HistoryDurability::Normal;
    QString postgresUrl; // empty: SQLite
};

std::unique_ptr<Organism> makeOrganism(const QString &directory, const HistoryChoice &history)
{
    static int serial = 0;
    const ConfigLoadResult loaded = ConfigLoader::loadText(kConfig, directory + u"/organism.yaml"_s);
    if (!loaded.ok()) {
        std::fprintf(stderr, "config: %s\n", qPrintable(loaded.errors.first().toString()));
        return nullptr;
    }
    OrganismConfig config = *loaded.config;
    config.history.synchronous = history.synchronous;
    if (!history.postgresUrl.isEmpty()) {
        config.history.backend = HistoryBackend::Postgresql;
        config.history.url = history.postgresUrl;
        config.name = u"bench-%1-%2"_s.arg(QCoreApplication::applicationPid()).arg(++serial);
    }
    auto organism = std::make_unique<Organism>();
    if (const Result<> organismLoaded = organism->load(config, directory + u"/history"_s); !organismLoaded) {
        std::fprintf(stderr, "load: %s\n", qPrintable(organismLoaded.error().message));
        return nullptr;
    }
    organism->start();
    return organism;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    const bool withMetrics = args.removeAll(u"--metrics"_s) > 0;
    HistoryChoice history;
    if (const qsizetype flag = args.indexOf(u"--synchronous"_s); flag > 0) {
        history.synchronous = args.value(flag + 1) == u"full" ? HistoryDurability::Full : HistoryDurability::Normal;
        args.remove(flag, std::min<qsizetype>(2, args.size() - flag));
    }
    agentdesk::test::PostgresTestServer server;
    QString serverError;
    history.postgresUrl = agentdesk::test::benchHistoryUrl(&args, &server, &serverError);
    if (!serverError.isEmpty()) {
        std::fprintf(stderr, "PostgreSQL: %s\n", qPrintable(serverError));
        return 1;
    }
    const HistoryDurability synchronous = history.synchronous;
    const qint64 messages = args.size() > 1 ? args[1].toLongLong() : 300000;
    const int runs = args.size() > 2 ? args[2].toInt() : 5;
    const qint64 rssMessages = args.size() > 3 ? args[3].toLongLong() : 1000000;

    std::printf("3-hop chain of built-ins, history on (%s, synchronous=%s)%s: %lld messages per run, %d runs\n",
                history.postgresUrl.isEmpty() ? "SQLite WAL" : "PostgreSQL, local",
                synchronous == HistoryDurability::Full ? "full" : "normal", withMetrics ? ", metrics on" : "",
                static_cast<long long>(messages), runs);
    QList<double> rates;
    for (int i = 0; i < runs; ++i) {
        QTemporaryDir dir;
        auto organism = makeOrganism(dir.path(), history);
        if (!organism)
            return 1;
        std::unique_ptr<metrics::OrganismMetrics> metrics;
        if (withMetrics)
            metrics = std::make_unique<metrics::OrganismMetrics>(organism.get());
        const RunResult result = run(*organism, messages);
        rates.append(double(result.messages) / result.seconds);
        std::printf("  run %d: %lld messages in %.2f s = %.0f messages/s\n", i + 1,
                    static_cast<long long>(result.messages), result.seconds, rates.last());
    }
    std::sort(rates.begin(), rates.end());
    std::printf("median: %.0f messages/s\n", rates[rates.size() / 2]);

    if (rssMessages > 0) {
        QTemporaryDir dir;
        auto organism = makeOrganism(dir.path(), history);
        if (!organism)
            return 1;
        constexpr qint64 kActiveThreads = 2000;
        run(*organism, 30000, kActiveThreads); // warm up: caches, connections, allocator pools
        const qint64 before = statusKiB("VmRSS:");
        qint64 peakDuring = before;
        const RunResult result = run(*organism, rssMessages, kActiveThreads,
                                     [&](qint64) { peakDuring = std::max(peakDuring, statusKiB("VmRSS:")); });
        const qint64 after = statusKiB("VmRSS:");
        std::printf("memory: %lld messages stored in %.1f s; RSS %.1f MiB before, %.1f MiB after (peak %.1f MiB, "
                    "VmHWM %.1f MiB)\n",
                    static_cast<long long>(result.messages), result.seconds, before / 1024.0, after / 1024.0,
                    peakDuring / 1024.0, statusKiB("VmHWM:") / 1024.0);
        std::printf("RSS growth: %.1f MiB per 1,000,000 stored messages\n",
                    (after - before) / 1024.0 * 1e6 / double(result.messages));
    }
    return 0;
}
