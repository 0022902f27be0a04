// What a Prometheus scrape of /metrics costs the engine thread, with many label series: an organism of
// N LLM agents (answered by the offline demo provider through the real router, over three models and
// two backends) and a sink, every agent called a few times, and a spread of HTTP routes and statuses.
// Prints figures; asserts nothing.
//
//   bench_metrics [agents=100] [scrapes=200]
//
// Reports the exposition's size and sample count; what a scrape holds the engine thread up for
// (collecting the figures: the text is written by a worker); what writing the whole text costs (on one
// thread); and a whole GET /metrics from a client on another thread over a kept-alive connection.
// Wall-clock and CPU time: on a machine shared with builds, the CPU time is the steadier figure.

#include "apiserver.h"
#include "config/configloader.h"
#include "llmrouter.h"
#include "organism.h"
#include "organismmetrics.h"
#include "injectandwait.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

QByteArray organismYaml(int agents)
{
    QByteArray yaml = R"(
organism: {name: bench-metrics}
max_concurrent_handlers: 64
max_concurrent_per_agent: 8
max_queue_depth: 100000
llm:
  strategy: round-robin
  backends:
    - {name: demo-a, provider: demo, models: [model-a, model-b, model-c]}
    - {name: demo-b, provider: demo, models: [model-a, model-b, model-c]}
payloads:
  Question: {text: string}
  Done: {text: string}
listeners:
  - {name: done, description: collects, payload_class: Done, handler: "builtin:sink"}
)";
    for (int i = 0; i < agents; ++i) {
        yaml += QStringLiteral("  - {name: agent-%1, description: answers, payload_class: Question, agent: true, "
                               "model: model-%2, prompt: Answer., peers: [done]}\n")
                    .arg(i, 3, 10, QChar(u'0'))
                    .arg(QChar(u'a' + i % 3))
                    .toUtf8();
    }
    return yaml;
}

// This thread's CPU time in milliseconds: on a machine shared with builds, wall-clock figures measure
// the neighbours as much as the code.
double threadCpuMs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values.at(std::min(values.size() - 1, std::size_t(p * double(values.size()))));
}

// GET /metrics `count` times over one kept-alive connection, from a thread of its own (the server's
// event loop runs in main). Milliseconds per request.
std::vector<double> scrapeOverHttp(quint16 port, int count)
{
    std::vector<double> times;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return times;
    for (int i = 0; i < count; ++i) {
        QElapsedTimer clock;
        clock.start();
        socket.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray response;
        qsizetype expected = -1;
        while (expected < 0 || response.size() < expected) {
            if (!socket.waitForReadyRead(10000))
                return times;
            response += socket.readAll();
            const qsizetype headEnd = response.indexOf("\r\n\r\n");
            if (expected < 0 && headEnd >= 0) {
                const qsizetype at = response.indexOf("Content-Length: ");
                expected = headEnd + 4 + response.mid(at + 16, response.indexOf('\r', at) - at - 16).toLongLong();
            }
        }
        times.push_back(double(clock.nsecsElapsed()) / 1e6);
    }
    return times;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int agents = args.size() > 1 ? args[1].toInt() : 100;
    const int scrapes = args.size() > 2 ? args[2].toInt() : 200;

    QTemporaryDir dir;
    const ConfigLoadResult loaded = ConfigLoader::loadText(organismYaml(agents), dir.path() + u"/organism.yaml"_s);
    if (!loaded.ok()) {
        std::fprintf(stderr, "config: %s\n", qPrintable(loaded.errors.first().toString()));
        return 1;
    }
    LlmRouter router(loaded.config->llm);
    Organism organism;
    organism.setLlmClient(&router);
    const Result<> started = organism.load(*loaded.config, dir.path() + u"/history"_s).and_then([&organism] {
        return organism.start();
    });
    if (!started) {
        std::fprintf(stderr, "organism: %s\n", qPrintable(started.error().message));
        return 1;
    }
    ApiServerOptions options;
    options.port = 0;
    ApiServer api(&organism, options);
    if (QString error; !api.start(&error)) {
        std::fprintf(stderr, "api: %s\n", qPrintable(error));
        return 1;
    }

    // Every agent is called three times: handler histograms, tokens by category, cost, calls by backend.
    constexpr int kRounds = 3;
    QList<InjectRequest> requests;
    for (int round = 0; round < kRounds; ++round) {
        for (int i = 0; i < agents; ++i) {
            InjectRequest request;
            request.to = u"agent-%1"_s.arg(i, 3, 10, QChar(u'0'));
            request.fields.insert(u"text"_s, u"question %1"_s.arg(round));
            requests.append(request);
        }
    }
    test::injectBatchAndWait(organism, requests);
    while (organism.info().activeThreads > 0 || organism.info().saturation.queueDepth > 0)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 100);

    // A spread of HTTP series: routes, methods and statuses, from a client thread. The server's loop
    // waits for events meanwhile (a spinning loop would take a core from the threads it measures).
    QEventLoop trafficLoop;
    std::thread traffic([&] {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, api.port());
        socket.waitForConnected(5000);
        const QList<QByteArray> targets{"/health",
                                        "/api/v1/organism",
                                        "/api/v1/agents",
                                        "/api/v1/agents/agent-001",
                                        "/api/v1/agents/nobody",
                                        "/api/v1/threads",
                                        "/api/v1/messages?limit=5",
                                        "/api/v1/usage",
                                        "/api/v1/usage/threads",
                                        "/nowhere",
                                        "/openapi.json"};
        for (const QByteArray &target : targets) {
            socket.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            socket.waitForReadyRead(5000);
            socket.close();
            socket.connectToHost(QHostAddress::LocalHost, api.port());
            socket.waitForConnected(5000);
        }
        QMetaObject::invokeMethod(&trafficLoop, &QEventLoop::quit, Qt::QueuedConnection);
    });
    trafficLoop.exec();
    traffic.join();

    const QByteArray exposition = api.metrics()->exposition();
    const qsizetype series = exposition.count('\n') - 2 * exposition.count("# HELP") / 1;
    std::printf("%d LLM agents (+1 sink), %d calls each: exposition %lld bytes, %lld samples, %lld families\n", agents,
                kRounds, static_cast<long long>(exposition.size()), static_cast<long long>(series),
                static_cast<long long>(exposition.count("# TYPE")));

    std::vector<double> render;
    std::vector<double> renderCpu;
    for (int i = 0; i < scrapes; ++i) {
        QElapsedTimer clock;
        clock.start();
        const double cpu = threadCpuMs();
        const QByteArray text = api.metrics()->exposition();
        renderCpu.push_back(threadCpuMs() - cpu);
        render.push_back(double(clock.nsecsElapsed()) / 1e6);
        Q_UNUSED(text);
    }
    std::printf(
        "collect and write the text on one thread: median %.2f ms, p99 %.2f ms; CPU median %.2f ms (%d scrapes)\n",
        percentile(render, 0.5), percentile(render, 0.99), percentile(renderCpu, 0.5), scrapes);
    std::vector<double> collectCpu;
    for (int i = 0; i < scrapes; ++i) {
        const double cpu = threadCpuMs();
        const auto families = api.metrics()->collect();
        collectCpu.push_back(threadCpuMs() - cpu);
        Q_UNUSED(families);
    }
    std::printf("collect only (what a scrape costs the engine thread): CPU median %.2f ms, p99 %.2f ms\n",
                percentile(collectCpu, 0.5), percentile(collectCpu, 0.99));

    // What counting one answered request costs the HTTP service (route, method, status, duration).
    {
        constexpr int kCounted = 1000000;
        const QList<QString> routes{u"/api/v1/threads"_s, u"/api/v1/threads/{thread_id}"_s, u"/api/v1/agents"_s};
        const QByteArray get("GET");
        const double cpu = threadCpuMs();
        for (int i = 0; i < kCounted; ++i)
            api.metrics()->http().requestAnswered(routes.at(i % 3), get, 200, 0.0001);
        std::printf("counting an answered request: %.0f ns CPU\n", (threadCpuMs() - cpu) * 1e6 / kCounted);
    }

    std::vector<double> http;
    QEventLoop clientLoop;
    std::thread client([&] {
        http = scrapeOverHttp(api.port(), scrapes);
        QMetaObject::invokeMethod(&clientLoop, &QEventLoop::quit, Qt::QueuedConnection);
    });
    clientLoop.exec();
    client.join();
    if (http.empty()) {
        std::fprintf(stderr, "GET /metrics failed\n");
        return 1;
    }
    std::printf("GET /metrics over a kept-alive connection: median %.2f ms, p99 %.2f ms (%zu requests)\n",
                percentile(http, 0.5), percentile(http, 0.99), http.size());
    return 0;
}
