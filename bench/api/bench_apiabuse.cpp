// Greedy clients against a running API server (bench_apiserver or agentdesk), client side. Prints
// figures; asserts nothing.
//
//   bench_apiabuse --port N --server-pid PID [--idle 2000] [--dribblers 300] [--pipelined 10000]
//                  [--samples 30]
//
// 1. /health as a well-behaved client sees it (a new connection per request): latency median and
//    maximum over --samples requests, and how many got no 200 — first alone, then while this process
//    holds --idle idle connections, then while it holds --dribblers connections that send one header
//    byte per second and never finish their heads.
// 2. The server's RSS (VmRSS of --server-pid) before and after one connection pipelines --pipelined
//    `GET /docs` requests and reads none of the answers (waits until the RSS stops growing).

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include <sys/resource.h>

namespace {

struct Probe
{
    std::vector<double> latenciesMs; // of the requests answered 200
    int failed = 0;                  // other status, refused, or no answer within 10 s
    QByteArray lastFailure;
};

// One request on a new connection, as curl or a monitoring probe would send it.
void probeOnce(quint16 port, Probe *probe)
{
    QElapsedTimer clock;
    clock.start();
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QByteArray answer;
    if (socket.waitForConnected(10000)) {
        socket.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        while (clock.elapsed() < 10000 && !answer.contains("\r\n\r\n")) {
            if (!socket.waitForReadyRead(int(10000 - clock.elapsed())))
                break;
            answer += socket.readAll();
        }
    }
    if (answer.startsWith("HTTP/1.1 200")) {
        probe->latenciesMs.push_back(double(clock.nsecsElapsed()) / 1e6);
    } else {
        ++probe->failed;
        probe->lastFailure = answer.isEmpty() ? QByteArray("no answer") : answer.left(answer.indexOf("\r\n"));
    }
}

void report(const char *label, Probe probe, int samples)
{
    std::sort(probe.latenciesMs.begin(), probe.latenciesMs.end());
    const auto at = [&](double q) {
        return probe.latenciesMs.empty() ? 0.0 : probe.latenciesMs[size_t(q * double(probe.latenciesMs.size() - 1))];
    };
    std::printf("%-34s /health: %3zu of %d answered 200, latency ms median %.2f max %.2f", label,
                probe.latenciesMs.size(), samples, at(0.5), at(1.0));
    if (probe.failed)
        std::printf("; %d failed (last: %s)", probe.failed, probe.lastFailure.constData());
    std::printf("\n");
    std::fflush(stdout);
}

Probe probe(quint16 port, int samples)
{
    Probe result;
    for (int i = 0; i < samples; ++i) {
        probeOnce(port, &result);
        QCoreApplication::processEvents(); // the greedy connections keep being served meanwhile
    }
    return result;
}

void settle(int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
}

qint64 rssKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

int openCount(const std::vector<std::unique_ptr<QTcpSocket>> &sockets)
{
    return int(std::count_if(sockets.cbegin(), sockets.cend(),
                             [](const auto &socket) { return socket->state() == QAbstractSocket::ConnectedState; }));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions(
        {{QStringLiteral("port"), QStringLiteral("API port"), QStringLiteral("N")},
         {QStringLiteral("server-pid"), QStringLiteral("server process (for its RSS)"), QStringLiteral("PID")},
         {QStringLiteral("idle"), QStringLiteral("idle connections"), QStringLiteral("N"), QStringLiteral("2000")},
         {QStringLiteral("dribblers"), QStringLiteral("dribbling connections"), QStringLiteral("N"),
          QStringLiteral("300")},
         {QStringLiteral("pipelined"), QStringLiteral("unread GET /docs"), QStringLiteral("N"),
          QStringLiteral("10000")},
         {QStringLiteral("samples"), QStringLiteral("/health probes per phase"), QStringLiteral("N"),
          QStringLiteral("30")}});
    parser.process(app);
    const quint16 port = quint16(parser.value(QStringLiteral("port")).toUInt());
    const qint64 serverPid = parser.value(QStringLiteral("server-pid")).toLongLong();
    const int idle = parser.value(QStringLiteral("idle")).toInt();
    const int dribblers = parser.value(QStringLiteral("dribblers")).toInt();
    const int pipelined = parser.value(QStringLiteral("pipelined")).toInt();
    const int samples = parser.value(QStringLiteral("samples")).toInt();

    rlimit files{};
    ::getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = std::min<rlim_t>(files.rlim_max, rlim_t(idle + dribblers + 1024));
    ::setrlimit(RLIMIT_NOFILE, &files);

    report("alone", probe(port, samples), samples);

    {
        std::vector<std::unique_ptr<QTcpSocket>> greedy;
        for (int i = 0; i < idle; ++i) {
            greedy.push_back(std::make_unique<QTcpSocket>());
            greedy.back()->connectToHost(QHostAddress::LocalHost, port);
        }
        settle(3000);
        std::printf("(holding %d idle connections: %d still open)\n", idle, openCount(greedy));
        report("while one client holds idle ones", probe(port, samples), samples);
    }
    settle(3000);

    {
        std::vector<std::unique_ptr<QTcpSocket>> slow;
        for (int i = 0; i < dribblers; ++i) {
            slow.push_back(std::make_unique<QTcpSocket>());
            QTcpSocket *socket = slow.back().get();
            QObject::connect(socket, &QTcpSocket::connected, socket,
                             [socket] { socket->write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "); });
            socket->connectToHost(QHostAddress::LocalHost, port);
        }
        QTimer drip;
        QObject::connect(&drip, &QTimer::timeout, &app, [&slow] {
            for (const auto &socket : slow) {
                if (socket->state() == QAbstractSocket::ConnectedState)
                    socket->write("a");
            }
        });
        drip.start(1000);
        settle(3000);
        std::printf("(%d dribbling connections: %d still open)\n", dribblers, openCount(slow));
        report("while one client dribbles", probe(port, samples), samples);
    }
    settle(3000);

    if (serverPid > 0 && pipelined > 0) {
        const qint64 before = rssKiB(serverPid);
        QTcpSocket greedy;
        greedy.setReadBufferSize(4096); // reads (almost) nothing of the answers
        greedy.connectToHost(QHostAddress::LocalHost, port);
        greedy.waitForConnected(10000);
        greedy.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 64 * 1024);
        QByteArray requests;
        for (int i = 0; i < pipelined; ++i)
            requests += "GET /docs HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        greedy.write(requests);
        // Until the server's RSS has not grown for 3 s (at most 60 s).
        qint64 peak = before;
        QElapsedTimer sinceGrowth;
        sinceGrowth.start();
        QElapsedTimer total;
        total.start();
        while (sinceGrowth.elapsed() < 3000 && total.elapsed() < 60000) {
            settle(250);
            const qint64 now = rssKiB(serverPid);
            if (now > peak + 256) {
                peak = now;
                sinceGrowth.restart();
            }
        }
        const qint64 after = rssKiB(serverPid);
        std::printf("server RSS with %d unread pipelined GET /docs on one connection: %.1f -> %.1f MiB (+%.1f MiB)\n",
                    pipelined, double(before) / 1024, double(after) / 1024, double(after - before) / 1024);
        std::fflush(stdout);
    }
    return 0;
}
