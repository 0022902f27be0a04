// Figures for the window (prints them; asserts nothing):
//
//   bench_gui startup [runs=5]            process start → window painted, and → API answering /health
//                                         (the real agentdesk binary, offscreen, median of the runs)
//   bench_gui lag [seconds=10] [rate=10000] [page=messages]
//                                         GUI-thread event-loop lag (p50/p99/max) while `rate` messages/s
//                                         flow through the organism (injectAcknowledged on the engine thread),
//                                         the window showing the page (messages, threads, agents or load),
//                                         following the live edge
//   bench_gui rss [messages=1000000]      resident memory with that many messages stored and the Messages
//                                         page open (in this process; then a fresh agentdesk on the history)
//   bench_gui                             all three with the defaults
//
// The window runs on the offscreen platform unless QT_QPA_PLATFORM says otherwise.

#include "config/configloader.h"
#include "localsession.h"
#include "mainwindow.h"
#include "messagelogmodel.h"
#include "agentspage.h"
#include "loadpage.h"
#include "messagespage.h"
#include "threadspage.h"
#include "organism.h"
#include "store/historystore.h"
#include "injectandwait.h"
#include "organismhistory.h"

#include <QTableView>
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSettings>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QByteArray kConfig = R"(
organism: {name: bench}
max_concurrent_handlers: 64
max_concurrent_per_agent: 64
max_concurrent_pipelines: 100000
max_queue_depth: 2000000
history: {max_messages: 5000000, max_age_days: 0}
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

qint64 statusKiB(const QString &path, const char *key)
{
    QFile status(path);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith(key))
            return line.mid(qstrlen(key)).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

double percentile(QList<double> values, double share)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype index = std::min<qsizetype>(values.size() - 1, qsizetype(share * double(values.size())));
    return values.at(index);
}

double median(QList<double> values)
{
    return percentile(std::move(values), 0.5);
}

void waitFor(const std::function<bool()> &condition, int timeoutMs = 600000)
{
    QElapsedTimer clock;
    clock.start();
    while (!condition() && clock.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

int freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

// An organism on a thread of its own, as in the application.
class EngineThread
{
public:
    EngineThread()
        : m_anchor(std::make_unique<QObject>())
    {
        m_thread.setObjectName(u"engine"_s);
        m_anchor->moveToThread(&m_thread);
        m_thread.start();
    }
    ~EngineThread()
    {
        run([this] { delete m_organism; });
        m_thread.quit();
        m_thread.wait();
    }
    bool start(const QString &directory)
    {
        const ConfigLoadResult loaded = ConfigLoader::loadText(kConfig, directory + u"/organism.yaml"_s);
        if (!loaded.ok())
            return false;
        bool ok = false;
        run([&] {
            m_organism = new Organism;
            const Result<> organismLoaded = m_organism->load(*loaded.config, directory + u"/history"_s);
            ok = organismLoaded.has_value();
            if (ok)
                m_organism->start();
            else
                std::fprintf(stderr, "load: %s\n", qPrintable(organismLoaded.error().message));
        });
        return ok;
    }
    void run(const std::function<void()> &work)
    {
        QMetaObject::invokeMethod(m_anchor.get(), work, Qt::BlockingQueuedConnection);
    }
    void post(const std::function<void()> &work)
    {
        QMetaObject::invokeMethod(m_anchor.get(), work, Qt::QueuedConnection);
    }
    Organism *organism() const { return m_organism; }
    QObject *anchor() const { return m_anchor.get(); }

private:
    QThread m_thread;
    std::unique_ptr<QObject> m_anchor;
    Organism *m_organism = nullptr;
};

QList<InjectRequest> greetings(qint64 first, int count)
{
    QList<InjectRequest> batch;
    batch.reserve(count);
    for (int i = 0; i < count; ++i) {
        InjectRequest request;
        request.to = u"greeter"_s;
        request.fields.insert(u"name"_s, u"user%1"_s.arg(first + i));
        batch.append(request);
    }
    return batch;
}

// --- start-up ----------------------------------------------------------------------------------------

void benchStartup(int runs)
{
    std::printf("start-up of %s (offscreen, --gui, bundled demo, empty history), %d runs\n", AGENTDESK_BINARY, runs);
    QList<double> painted;
    QList<double> answering;
    QNetworkAccessManager network;
    for (int i = 0; i < runs; ++i) {
        QTemporaryDir dir;
        const int port = freePort();
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        environment.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s));
        environment.insert(u"XDG_DATA_HOME"_s, dir.filePath(u"data"_s));
        process.setProcessEnvironment(environment);
        QElapsedTimer clock;
        clock.start();
        process.start(QStringLiteral(AGENTDESK_BINARY),
                      {u"--gui"_s, u"--report-startup"_s, u"--port"_s, QString::number(port), u"--data-dir"_s,
                       dir.filePath(u"history"_s)});
        double shownMs = -1;
        double apiMs = -1;
        bool asking = false;
        QByteArray output;
        while ((shownMs < 0 || apiMs < 0) && clock.elapsed() < 20000) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
            output += process.readAllStandardOutput();
            if (shownMs < 0 && output.contains("window: painted"))
                shownMs = double(clock.nsecsElapsed()) / 1e6;
            if (apiMs < 0 && !asking) {
                asking = true;
                QNetworkReply *reply = network.get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/health"_s.arg(port))));
                QObject::connect(reply, &QNetworkReply::finished, reply, [&, reply] {
                    if (reply->error() == QNetworkReply::NoError && apiMs < 0)
                        apiMs = double(clock.nsecsElapsed()) / 1e6;
                    reply->deleteLater();
                    asking = false;
                });
            }
        }
        const QByteArray reported = output.mid(output.indexOf("window: painted")).split('\n').first();
        std::printf("  run %d: window painted after %.0f ms (%s), API answering after %.0f ms\n", i + 1, shownMs,
                    reported.constData(), apiMs);
        painted << shownMs;
        answering << apiMs;
        process.terminate();
        if (!process.waitForFinished(15000))
            process.kill();
    }
    std::printf("median: window painted %.0f ms, API answering %.0f ms after the process started\n", median(painted),
                median(answering));
}

// --- event-loop lag ----------------------------------------------------------------------------------

void benchLag(int seconds, int rate, MainWindow::Page page)
{
    QTemporaryDir dir;
    EngineThread engine;
    if (!engine.start(dir.path()))
        return;
    LocalSession session(engine.organism());
    MainWindow window;
    window.setLocalSession(&session, {});
    session.open();
    window.show();
    window.showPage(page);
    waitFor([&] { return window.areCommandsEnabled(); });
    qint64 batches = 0;
    QObject::connect(&session, &Session::messagesRecorded, [&] { ++batches; });

    // The flood: every 10 ms, a batch of greetings (3 messages each) on the engine thread.
    constexpr int kTickMs = 10;
    const double perTick = double(rate) / 3.0 / (1000.0 / kTickMs);
    auto *driver = new QTimer;
    driver->setTimerType(Qt::PreciseTimer);
    driver->setInterval(kTickMs);
    driver->moveToThread(engine.anchor()->thread());
    double owed = 0;
    qint64 injected = 0;
    QObject::connect(driver, &QTimer::timeout, driver, [&] {
        owed += perTick;
        const int count = int(owed);
        owed -= count;
        test::injectBatchNoWait(*engine.organism(), greetings(injected, count));
        injected += count;
    });
    engine.run([driver] { driver->start(); });

    // The probe: a 5 ms timer on the GUI thread; lag = how late each tick comes.
    constexpr double kProbeMs = 5;
    QList<double> lags;
    QElapsedTimer sinceTick;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(int(kProbeMs));
    bool measuring = false;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        if (measuring)
            lags << std::max(0.0, double(sinceTick.nsecsElapsed()) / 1e6 - kProbeMs);
        sinceTick.start();
    });
    sinceTick.start();
    probe.start();

    QElapsedTimer clock;
    clock.start();
    waitFor([&] { return clock.elapsed() > 2000; }); // warm up
    qint64 startMessages = 0;
    engine.run([&] { startMessages = engine.organism()->info().totalMessages; });
    batches = 0;
    measuring = true;
    clock.restart();
    waitFor([&] { return clock.elapsed() > seconds * 1000; });
    measuring = false;
    const double elapsed = double(clock.nsecsElapsed()) / 1e9;
    qint64 endMessages = 0;
    engine.run([&] {
        endMessages = engine.organism()->info().totalMessages;
        driver->stop();
        delete driver;
    });
    const QTableView *shown = page == MainWindow::Page::Threads ? window.threadsPage()->table()
        : page == MainWindow::Page::Agents                      ? window.agentsPage()->table()
        : page == MainWindow::Page::Load                        ? window.loadPage()->backlogTable()
                                                                : window.messagesPage()->table();
    const char *pageName = page == MainWindow::Page::Threads ? "Threads"
        : page == MainWindow::Page::Agents                   ? "Agents"
        : page == MainWindow::Page::Load                     ? "Load"
                                                             : "Messages";
    std::printf("GUI-thread lag while %d messages/s were asked for, %.0f messages/s flowed (%.1f s, %s page "
                "following, %d rows held; the organism emitted %.0f batches/s):\n"
                "  p50 %.2f ms, p99 %.2f ms, max %.2f ms over %lld probes of %.0f ms\n",
                rate, double(endMessages - startMessages) / elapsed, elapsed, pageName, shown->model()->rowCount(),
                double(batches) / elapsed, percentile(lags, 0.5), percentile(lags, 0.99), percentile(lags, 1.0),
                static_cast<long long>(lags.size()), kProbeMs);
    window.close();
}

// --- memory ------------------------------------------------------------------------------------------

void benchRss(qint64 messages)
{
    QTemporaryDir dir;
    const QString self = u"/proc/self/status"_s;
    {
        EngineThread engine;
        if (!engine.start(dir.path()))
            return;
        std::printf("storing %lld messages (3-hop greetings)…\n", static_cast<long long>(messages));
        QElapsedTimer clock;
        clock.start();
        const qint64 threads = messages / 3;
        constexpr int kBatch = 2000;
        for (qint64 sent = 0; sent < threads; sent += kBatch) {
            const int count = int(std::min<qint64>(kBatch, threads - sent));
            engine.run([&] { test::injectBatchAndWait(*engine.organism(), greetings(sent, count)); });
            // Keep the queue short: what should grow is the history, not the pump.
            qint64 stored = 0;
            do {
                QThread::msleep(5);
                engine.run([&] { stored = engine.organism()->info().totalMessages; });
            } while (stored < (sent + count) * 3 - 3 * kBatch);
        }
        qint64 stored = 0;
        waitFor([&] {
            engine.run([&] { stored = engine.organism()->info().totalMessages; });
            return stored >= threads * 3;
        });
        engine.run([&] { test::historyStoreOf(*engine.organism())->sync(std::chrono::minutes(5)); });
        std::printf("  %lld messages stored in %.1f s; RSS now %.1f MiB\n", static_cast<long long>(stored),
                    clock.elapsed() / 1000.0, statusKiB(self, "VmRSS:") / 1024.0);

        LocalSession session(engine.organism());
        auto window = std::make_unique<MainWindow>();
        window->setLocalSession(&session, {});
        session.open();
        window->show();
        window->showPage(MainWindow::Page::Messages);
        const auto *log = window->messagesPage()->model();
        waitFor([&] { return log->rowCount() > 0 && !log->isLoading(); });
        QElapsedTimer settle;
        settle.start();
        waitFor([&] { return settle.elapsed() > 2000; });
        std::printf("  this process (organism + window), Messages page open (%d rows): RSS %.1f MiB\n", log->rowCount(),
                    statusKiB(self, "VmRSS:") / 1024.0);
        auto *model = window->messagesPage()->model();
        for (int i = 0; i < 50 && model->canFetchMore({}); ++i) {
            model->fetchMore({});
            waitFor([&] { return !model->isFetching(); });
        }
        std::printf("  after paging 50 pages deeper (%d rows held, at most %d): RSS %.1f MiB, peak %.1f MiB\n",
                    model->rowCount(), model->maxRows(), statusKiB(self, "VmRSS:") / 1024.0,
                    statusKiB(self, "VmHWM:") / 1024.0);
        window.reset();
    }

    // A fresh agentdesk on that history, the window opening on the Messages page.
    const int port = freePort();
    const QString config = dir.filePath(u"config"_s);
    QFile yaml(dir.filePath(u"organism.yaml"_s));
    if (!yaml.open(QIODevice::WriteOnly) || yaml.write(kConfig) != kConfig.size())
        return;
    yaml.close();
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    environment.insert(u"XDG_CONFIG_HOME"_s, config);
    process.setProcessEnvironment(environment);
    {
        QSettings settings(config + u"/agentdesk/agentdesk.conf"_s, QSettings::IniFormat);
        settings.setValue(u"window/page"_s, int(MainWindow::Page::Messages));
    }
    process.start(QStringLiteral(AGENTDESK_BINARY),
                  {u"--gui"_s, u"--config"_s, yaml.fileName(), u"--port"_s, QString::number(port), u"--data-dir"_s,
                   dir.filePath(u"history"_s)});
    QElapsedTimer clock;
    clock.start();
    QByteArray output;
    waitFor(
        [&] {
            output += process.readAllStandardOutput();
            return output.contains("API:") || process.state() == QProcess::NotRunning;
        },
        60000);
    waitFor([&] { return clock.elapsed() > 5000; });
    const QString status = u"/proc/%1/status"_s.arg(process.processId());
    std::printf(
        "  a fresh agentdesk on that history (window on the Messages page, API up): RSS %.1f MiB, peak %.1f MiB\n",
        statusKiB(status, "VmRSS:") / 1024.0, statusKiB(status, "VmHWM:") / 1024.0);
    process.terminate();
    if (!process.waitForFinished(20000))
        process.kill();
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"agentdesk-bench"_s);
    QApplication::setApplicationName(u"bench_gui"_s);
    const QStringList args = app.arguments();
    const QString mode = args.value(1);
    if (mode == u"--help" || mode == u"-h") {
        std::printf(
            "usage: bench_gui [startup [runs] | lag [seconds] [rate] [messages|threads|agents|load] | rss [messages]]\n");
        return 0;
    }
    if (mode.isEmpty() || mode == u"startup")
        benchStartup(mode.isEmpty() ? 5 : args.value(2, u"5"_s).toInt());
    if (mode.isEmpty() || mode == u"lag") {
        const QString page = args.value(4, u"messages"_s);
        benchLag(mode.isEmpty() ? 10 : args.value(2, u"10"_s).toInt(),
                 mode.isEmpty() ? 10000 : args.value(3, u"10000"_s).toInt(),
                 page == u"threads"      ? MainWindow::Page::Threads
                     : page == u"agents" ? MainWindow::Page::Agents
                     : page == u"load"   ? MainWindow::Page::Load
                                         : MainWindow::Page::Messages);
    }
    if (mode.isEmpty() || mode == u"rss")
        benchRss(mode.isEmpty() ? 1000000 : args.value(2, u"1000000"_s).toLongLong());
    return 0;
}
