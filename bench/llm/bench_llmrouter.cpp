// Prints figures for the LLM router; not a test, asserts nothing.
//   bench_llmrouter [calls] [runs]      (defaults: 5000 calls, 5 runs)
// Each run sends `calls` sequential requests down each of two paths, alternating call by call, to a
// fake OpenAI-compatible server on 127.0.0.1 (its own thread, like a separate process): through
// LlmRouter, and directly with a QNetworkAccessManager that builds the same JSON body, posts it with
// the same headers, reads the reply and parses it. The difference of the percentiles is what the
// router adds per call; figures are medians over the runs.

#include "fakeprovider.h"
#include "llmrouter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace agentdesk;
using namespace Qt::StringLiterals;

namespace {

constexpr int kWarmUp = 200;

struct Figures
{
    double p50 = 0;
    double p99 = 0;
};

Figures percentiles(std::vector<double> micros)
{
    std::sort(micros.begin(), micros.end());
    const auto at = [&micros](double q) {
        const size_t index = size_t(std::max(0.0, std::ceil(q * double(micros.size())) - 1));
        return micros[std::min(index, micros.size() - 1)];
    };
    return Figures{at(0.50), at(0.99)};
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

LlmRequest benchRequest()
{
    LlmRequest request;
    request.model = u"bench-model"_s;
    request.messages = {{u"system"_s, u"You are the greeter. Reply with one payload."_s},
                        {u"user"_s, u"<Greeting><Name>Dan</Name></Greeting>"_s}};
    return request;
}

using Sender = std::function<void(std::function<void()>)>;

struct Samples
{
    std::vector<double> router;
    std::vector<double> direct;
};

// Runs `calls` sequential requests on each path, alternating router and direct call by call so both
// see the same machine load; each sample is microseconds from sending to having the parsed answer.
Samples interleaved(int calls, const Sender &viaRouter, const Sender &viaDirect)
{
    Samples samples;
    samples.router.reserve(size_t(calls));
    samples.direct.reserve(size_t(calls));
    QEventLoop loop;
    QElapsedTimer clock;
    int sent = 0;
    std::function<void()> next;
    next = [&] {
        if (sent == 2 * calls) {
            loop.quit();
            return;
        }
        const bool router = sent++ % 2 == 0;
        std::vector<double> &into = router ? samples.router : samples.direct;
        clock.start();
        (router ? viaRouter : viaDirect)([&] {
            into.push_back(double(clock.nsecsElapsed()) / 1000.0);
            // Not from inside the reply's own signal: the next request starts on a fresh turn.
            QMetaObject::invokeMethod(&loop, next, Qt::QueuedConnection);
        });
    };
    QMetaObject::invokeMethod(&loop, next, Qt::QueuedConnection);
    loop.exec();
    return samples;
}

Sender routerSender(LlmRouter &router)
{
    return [&router](std::function<void()> done) {
        router.complete(benchRequest(), [done = std::move(done)](const LlmResult &result) {
            if (!result.ok)
                qFatal("router call failed: %s", qPrintable(result.error));
            done();
        });
    };
}

// What a caller without the router does for the same call: build the body, post, read, parse.
Sender directSender(QNetworkAccessManager &network, const QUrl &url)
{
    return [&network, url](std::function<void()> done) {
        const LlmRequest request = benchRequest();
        QJsonArray messages;
        for (const LlmMessage &message : request.messages)
            messages.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, message.content}});
        const QJsonObject body{
            {u"model"_s, request.model}, {u"messages"_s, messages}, {u"temperature"_s, request.temperature}};
        QNetworkRequest http(url);
        http.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        http.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("agentdesk"));
        http.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
        QNetworkReply *reply = network.post(http, QJsonDocument(body).toJson(QJsonDocument::Compact));
        QObject::connect(reply, &QNetworkReply::finished, reply, [reply, done = std::move(done)] {
            const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
            if (answer.value(u"choices"_s).toArray().isEmpty())
                qFatal("direct call failed: %s", qPrintable(reply->errorString()));
            reply->deleteLater();
            done();
        });
    };
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int calls = argc > 1 ? std::max(100, atoi(argv[1])) : 5000;
    const int runs = argc > 2 ? std::max(1, atoi(argv[2])) : 5;

    QThread serverThread;
    serverThread.start();
    QObject anchor;
    anchor.moveToThread(&serverThread);
    FakeProvider *fake = nullptr;
    QMetaObject::invokeMethod(
        &anchor, [&fake] { fake = new FakeProvider(FakeProvider::Format::OpenAi); }, Qt::BlockingQueuedConnection);

    LlmConfig config;
    config.retries = 0;
    LlmBackendConfig backend;
    backend.name = u"fake"_s;
    backend.provider = u"openai-compatible"_s;
    backend.baseUrl = fake->baseUrl();
    backend.rateLimitTpm = 1'000'000'000; // measure the router, not the default 100,000 tokens/minute
    config.backends = {backend};
    LlmRouter router(config);
    QNetworkAccessManager network;
    const QUrl url(fake->baseUrl() + u"/chat/completions"_s);

    const Sender viaRouter = routerSender(router);
    const Sender viaDirect = directSender(network, url);
    interleaved(kWarmUp, viaRouter, viaDirect);

    std::printf("bench_llmrouter: %d sequential calls per path per run (router and direct alternating), %d runs, "
                "fake OpenAI-compatible server on 127.0.0.1\n",
                calls, runs);
    std::printf("%-6s %14s %14s %14s %14s\n", "run", "router p50 us", "router p99 us", "direct p50 us",
                "direct p99 us");
    std::vector<double> routerP50, routerP99, directP50, directP99, overheadP50, overheadP99;
    for (int run = 1; run <= runs; ++run) {
        const Samples samples = interleaved(calls, viaRouter, viaDirect);
        const Figures routed = percentiles(samples.router);
        const Figures straight = percentiles(samples.direct);
        std::printf("%-6d %14.1f %14.1f %14.1f %14.1f\n", run, routed.p50, routed.p99, straight.p50, straight.p99);
        routerP50.push_back(routed.p50);
        routerP99.push_back(routed.p99);
        directP50.push_back(straight.p50);
        directP99.push_back(straight.p99);
        overheadP50.push_back(routed.p50 - straight.p50);
        overheadP99.push_back(routed.p99 - straight.p99);
    }
    std::printf("%-6s %14.1f %14.1f %14.1f %14.1f\n", "median", median(routerP50), median(routerP99), median(directP50),
                median(directP99));
    std::printf("router overhead per call (median of runs): p50 %.1f us, p99 %.1f us (target p99 <= 1000 us)\n",
                median(overheadP50), median(overheadP99));

    QMetaObject::invokeMethod(
        &anchor, [fake] { delete fake; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return 0;
}
