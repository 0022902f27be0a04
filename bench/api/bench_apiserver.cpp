// The API under load, server side: an Organism with a history, its ApiServer on 127.0.0.1, and a
// probe of the engine thread's event-loop lag. Prints figures; asserts nothing.
//
//   bench_apiserver --port N [--prefill T] [--clients C --rate R --seconds S]
//
// --organism F  serves this organism.yaml (the HTTP benchmark passes the bundled hello-world demo, whose
//               greeter is an LLM agent on the offline demo provider) instead of the built-in chain of
//               built-in handlers with an `events` sink (which the WebSocket benchmark injects into).
// --prefill T   conversations injected to `greeter` before serving (3 messages each), so list endpoints
//               return full pages. Then it prints "READY <port>" and serves until killed (HTTP), or:
// --clients C   waits until C WebSocket clients are connected, then injects R messages per second into
//               a sink for S seconds (one message event each), prints the injected count and the loop
//               lag, and exits a few seconds later.
// --data-dir D  puts the history there (e.g. /dev/shm, to take the disk out of the figures).
// --synthetic   emits the recorded-message batches itself instead of injecting: only the API works.
// Otherwise messages are injected one by one with Organism::injectAcknowledged, as the API's inject
// does: the engine thread does not wait for the commit; each accepted message is acknowledged once the
// history has committed it (a refused one is not retried). It then also prints how many were
// acknowledged and how long after their inject (what an API client waits for its reply).
// --batch       injects what is due each tick with one injectBatch instead: one blocking wait for one
//               commit per tick on the engine thread.

#include "apiserver.h"
#include "config/configloader.h"
#include "llmrouter.h"
#include "organism.h"
#include "injectandwait.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QByteArray kConfig = R"(
organism: {name: bench-api}
max_concurrent_handlers: 64
max_concurrent_per_agent: 64
max_concurrent_pipelines: 10000
max_queue_depth: 100000
payloads:
  Greeting: {name: string}
  GreetingResponse: {message: string, original_sender: string}
  ShoutedResponse: {message: string}
  Event: {source: string, sequence: integer, text: string}
listeners:
  - {name: greeter, description: Greeting agent, payload_class: Greeting, handler: "builtin:format", peers: [shouter],
     options: {message: "Hello, {name}!", original_sender: "{from}"}}
  - {name: shouter, description: Shouting handler, payload_class: GreetingResponse, handler: "builtin:shout",
     peers: [response-handler]}
  - {name: response-handler, description: Ends the chain, payload_class: ShoutedResponse, handler: "builtin:sink"}
  - {name: events, description: Event sink, payload_class: Event, handler: "builtin:sink"}
)";

// Measures how late a 5 ms timer fires: the time the engine thread was busy with something else.
class LoopLagProbe : public QObject
{
public:
    LoopLagProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kIntervalMs);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last > 0)
                m_lagsUs.push_back(std::max<qint64>(0, (now - m_last) / 1000 - kIntervalMs * 1000));
            m_last = now;
        });
        m_clock.start();
    }
    void start()
    {
        m_lagsUs.clear();
        m_last = 0;
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    void print(const char *label)
    {
        if (m_lagsUs.empty())
            return;
        std::sort(m_lagsUs.begin(), m_lagsUs.end());
        const auto at = [&](double q) { return m_lagsUs[size_t(q * double(m_lagsUs.size() - 1))] / 1000.0; };
        std::printf("%s loop lag ms: p50 %.2f p99 %.2f max %.2f (%zu samples)\n", label, at(0.5), at(0.99),
                    m_lagsUs.back() / 1000.0, m_lagsUs.size());
    }

private:
    static constexpr int kIntervalMs = 5;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    std::vector<qint64> m_lagsUs;
};

bool prefill(Organism &organism, int conversations)
{
    QList<InjectRequest> batch;
    for (int i = 0; i < conversations; ++i) {
        InjectRequest request;
        request.to = u"greeter"_s;
        request.fields = {{u"name"_s, u"visitor %1"_s.arg(i)}};
        batch.append(request);
    }
    const QList<InjectResult> results = test::injectBatchAndWait(organism, batch);
    for (const InjectResult &result : results) {
        if (!result.has_value()) {
            std::fprintf(stderr, "prefill failed: %s\n", qPrintable(failureText(result)));
            return false;
        }
    }
    QElapsedTimer waited;
    waited.start();
    while (organism.info().activeThreads > 0 && waited.elapsed() < 60000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return organism.info().activeThreads == 0;
}

void printAcknowledgements(qint64 acknowledged, qint64 injected, std::vector<qint64> latenciesUs)
{
    std::printf("ACKNOWLEDGED %lld of %lld", acknowledged, injected);
    if (!latenciesUs.empty()) {
        std::sort(latenciesUs.begin(), latenciesUs.end());
        const auto at = [&](double q) { return latenciesUs[size_t(q * double(latenciesUs.size() - 1))] / 1000.0; };
        std::printf(", after ms: p50 %.2f p99 %.2f max %.2f", at(0.5), at(0.99), latenciesUs.back() / 1000.0);
    }
    std::printf("\n");
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions(
        {{u"port"_s, u"API port"_s, u"N"_s, u"0"_s},
         {u"organism"_s, u"organism.yaml to serve (default: a built-in chain)"_s, u"FILE"_s},
         {u"prefill"_s, u"conversations before serving"_s, u"T"_s, u"400"_s},
         {u"clients"_s, u"WebSocket clients to wait for"_s, u"C"_s, u"0"_s},
         {u"rate"_s, u"messages per second to inject"_s, u"R"_s, u"2000"_s},
         {u"seconds"_s, u"injection time"_s, u"S"_s, u"10"_s},
         {u"data-dir"_s, u"where the history lives (default: a temporary directory)"_s, u"DIR"_s},
         {u"synthetic"_s, u"feed the hub recorded-message batches directly (no pump, no store)"_s},
         {u"batch"_s, u"inject what is due each tick with one injectBatch (one commit) instead of one by one"_s}});
    parser.process(app);

    QTemporaryDir dir(parser.isSet(u"data-dir"_s) ? parser.value(u"data-dir"_s) + u"/bench-api-XXXXXX"_s
                                                  : QDir::tempPath() + u"/bench-api-XXXXXX"_s);
    QString configPath = parser.value(u"organism"_s);
    if (configPath.isEmpty()) {
        QFile file(dir.path() + u"/organism.yaml"_s);
        if (!file.open(QIODevice::WriteOnly) || file.write(kConfig) != kConfig.size())
            return 1;
        configPath = file.fileName();
    }
    const ConfigLoadResult loaded = ConfigLoader::loadFile(configPath);
    if (!loaded.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(loaded.errors.first().toString()));
        return 1;
    }
    LlmRouter router(loaded.config->llm); // as the application does: agents' calls go through it
    if (!router.problems().isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(router.problems().join(u"\n"_s)));
        return 1;
    }
    Organism organism;
    organism.setLlmClient(&router);
    if (const Result<> organismLoaded = organism.load(*loaded.config, dir.path() + u"/data"_s); !organismLoaded) {
        std::fprintf(stderr, "%s\n", qPrintable(organismLoaded.error().message));
        return 1;
    }
    organism.start();
    if (!prefill(organism, parser.value(u"prefill"_s).toInt()))
        return 1;

    ApiServerOptions options = ApiServerOptions::fromConfig(organism.config());
    options.port = quint16(parser.value(u"port"_s).toUInt());
    options.ws.maxClientsPerAddress = 1000; // every bench client comes from 127.0.0.1
    options.ws.maxClients = 1000;
    ApiServer api(&organism, options);
    if (QString error; !api.start(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    std::printf("READY %u messages=%lld\n", api.port(), organism.info().totalMessages);
    std::fflush(stdout);

    LoopLagProbe lag;
    const int clients = parser.value(u"clients"_s).toInt();
    if (clients == 0) {
        lag.start();
        return app.exec(); // HTTP benchmark: serve until killed
    }

    const bool synthetic = parser.isSet(u"synthetic"_s);
    const bool batched = parser.isSet(u"batch"_s);
    const double rate = parser.value(u"rate"_s).toDouble();
    qint64 nextSeq = organism.info().totalMessages + 1;
    const qint64 durationMs = parser.value(u"seconds"_s).toLongLong() * 1000;
    QElapsedTimer clock;
    qint64 injected = 0; // issued and not refused
    qint64 refused = 0;
    qint64 acknowledged = 0;
    std::vector<qint64> acknowledgeUs; // per acknowledged inject: from the call to its acknowledgement
    QTimer pace;
    pace.setTimerType(Qt::PreciseTimer);
    pace.setInterval(2);
    QObject::connect(&pace, &QTimer::timeout, &app, [&] {
        const qint64 elapsed = clock.elapsed();
        const qint64 due = qMin(elapsed, durationMs) * qint64(rate) / 1000;
        if (synthetic) {
            // The batches the pump would emit for messages delivered to the sink, without the pump
            // and the store: isolates serialisation and fan-out.
            QList<MessageRecord> batch;
            for (; injected < due; ++injected) {
                MessageRecord record;
                record.seq = nextSeq++;
                record.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
                record.threadId = record.id;
                record.from = u"api"_s;
                record.to = u"events"_s;
                record.payloadType = u"Event"_s;
                record.fields = {{u"source"_s, u"bench"_s}, {u"sequence"_s, injected}, {u"text"_s, u"tick"_s}};
                record.timestamp = QDateTime::currentDateTimeUtc();
                batch.append(record);
            }
            if (!batch.isEmpty())
                emit organism.messagesRecorded(batch);
        }
        if (batched && injected < due) {
            QList<InjectRequest> batch;
            for (qint64 sequence = injected; sequence < due; ++sequence) {
                InjectRequest request;
                request.to = u"events"_s;
                request.fields = {{u"source"_s, u"bench"_s}, {u"sequence"_s, sequence}, {u"text"_s, u"tick"_s}};
                batch.append(request);
            }
            const QList<InjectResult> results = test::injectBatchAndWait(organism, batch);
            for (const InjectResult &result : results)
                result.has_value() ? ++injected : ++refused;
            if (injected < due) // refused ones are not retried
                injected = due;
        }
        for (qint64 issued = injected + refused; issued < due; ++issued) {
            InjectRequest request;
            request.to = u"events"_s;
            request.fields = {{u"source"_s, u"bench"_s}, {u"sequence"_s, issued}, {u"text"_s, u"tick"_s}};
            const qint64 sentNs = clock.nsecsElapsed();
            const qint64 refusedBefore = refused;
            // A refusal is answered before injectAcknowledged returns, an acceptance once committed.
            organism.injectAcknowledged(request, &app, [&, sentNs](const InjectResult &result) {
                if (!result.has_value()) {
                    ++refused;
                    return;
                }
                ++acknowledged;
                acknowledgeUs.push_back((clock.nsecsElapsed() - sentNs) / 1000);
            });
            if (refused == refusedBefore)
                ++injected;
        }
        if (elapsed >= durationMs) {
            pace.stop();
            lag.stop();
            std::printf("INJECTED %lld in %.2f s (%.0f/s), refused %lld\n", injected, elapsed / 1000.0,
                        injected * 1000.0 / elapsed, refused);
            lag.print("during fan-out");
            const WsHub::Stats &stats = api.hub()->stats();
            std::printf("hub: events %lld, frames queued %lld, clients overflowed %lld, clients %d\n",
                        stats.eventsSerialised, stats.framesQueued, stats.clientsOverflowed, api.hub()->clientCount());
            std::fflush(stdout);
            QTimer::singleShot(4000, &app, [&] {
                if (!batched && !synthetic)
                    printAcknowledgements(acknowledged, injected, acknowledgeUs);
                QCoreApplication::quit();
            });
        }
    });
    QTimer waitForClients;
    waitForClients.setInterval(50);
    QObject::connect(&waitForClients, &QTimer::timeout, &app, [&] {
        if (api.hub()->clientCount() < clients)
            return;
        waitForClients.stop();
        std::printf("CLIENTS %d connected, injecting %.0f/s for %lld s\n", clients, rate, durationMs / 1000);
        std::fflush(stdout);
        clock.start();
        lag.start();
        pace.start();
    });
    waitForClients.start();
    return app.exec();
}
