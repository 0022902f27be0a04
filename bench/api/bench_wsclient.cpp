// The API under load, client side: C WebSocket subscribers of /ws/messages in one process, each
// counting the frames it receives and the slotIndex values it never saw (lost frames).
//
//   bench_wsclient --port N [--clients 50] [--quiet-ms 3000]
//
// Exits when every client has been quiet for --quiet-ms after receiving something.

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <cstdio>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

struct Subscriber
{
    QWebSocket socket;
    qint64 frames = 0;
    qint64 firstSlot = -1;
    qint64 lastSlot = -1;
    qint64 gaps = 0; // slotIndex values skipped between consecutive frames
    qint64 firstAtMs = -1;
    qint64 lastAtMs = -1;
};

// slotIndex is the last key of a MessageInfo frame: read it without parsing the whole JSON.
qint64 slotIndexOf(const QString &frame)
{
    const qsizetype at = frame.lastIndexOf(u"\"slotIndex\":"_s);
    if (at < 0)
        return -1;
    qint64 value = 0;
    for (qsizetype i = at + 12; i < frame.size() && frame.at(i).isDigit(); ++i)
        value = value * 10 + frame.at(i).digitValue();
    return value;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{u"port"_s, u"API port"_s, u"N"_s},
                       {u"clients"_s, u"subscribers"_s, u"C"_s, u"50"_s},
                       {u"quiet-ms"_s, u"stop after this long without frames"_s, u"MS"_s, u"3000"_s}});
    parser.process(app);
    const QUrl url(u"ws://127.0.0.1:%1/ws/messages"_s.arg(parser.value(u"port"_s)));
    const int count = parser.value(u"clients"_s).toInt();
    const qint64 quietMs = parser.value(u"quiet-ms"_s).toLongLong();

    QElapsedTimer clock;
    clock.start();
    std::vector<std::unique_ptr<Subscriber>> subscribers;
    for (int i = 0; i < count; ++i) {
        auto subscriber = std::make_unique<Subscriber>();
        Subscriber *s = subscriber.get();
        QObject::connect(&s->socket, &QWebSocket::textMessageReceived, &app, [s, &clock](const QString &frame) {
            const qint64 slot = slotIndexOf(frame);
            if (s->lastSlot >= 0 && slot > s->lastSlot + 1)
                s->gaps += slot - s->lastSlot - 1;
            if (s->firstSlot < 0) {
                s->firstSlot = slot;
                s->firstAtMs = clock.elapsed();
            }
            s->lastSlot = slot;
            s->lastAtMs = clock.elapsed();
            ++s->frames;
        });
        QObject::connect(&s->socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), &app,
                         [s](QAbstractSocket::SocketError) {
                             std::fprintf(stderr, "client error: %s\n", qPrintable(s->socket.errorString()));
                         });
        s->socket.open(url);
        subscribers.push_back(std::move(subscriber));
    }

    QTimer check;
    check.setInterval(200);
    QObject::connect(&check, &QTimer::timeout, &app, [&] {
        qint64 lastAt = -1;
        int closed = 0;
        for (const auto &s : subscribers) {
            lastAt = std::max(lastAt, s->lastAtMs);
            closed += s->socket.state() != QAbstractSocket::ConnectedState;
        }
        if (lastAt < 0 && closed == count && clock.elapsed() > 2000) {
            std::printf("FAILED: no client could connect\n");
            std::fflush(stdout);
            app.exit(1);
            return;
        }
        if (lastAt < 0 || clock.elapsed() - lastAt < quietMs)
            return;
        qint64 frames = 0, gaps = 0, minFrames = -1, maxFrames = 0, first = -1, last = -1;
        for (const auto &s : subscribers) {
            frames += s->frames;
            gaps += s->gaps;
            minFrames = minFrames < 0 ? s->frames : std::min(minFrames, s->frames);
            maxFrames = std::max(maxFrames, s->frames);
            first = first < 0 ? s->firstAtMs : std::min(first, s->firstAtMs);
            last = std::max(last, s->lastAtMs);
        }
        const double seconds = (last - first) / 1000.0;
        std::printf("RECEIVED %lld frames by %d clients in %.2f s: %.0f frames/s; per client min %lld max %lld; "
                    "lost (slotIndex gaps) %lld; closed %d\n",
                    frames, count, seconds, seconds > 0 ? frames / seconds : 0.0, minFrames, maxFrames, gaps, closed);
        std::fflush(stdout);
        app.quit();
    });
    check.start();
    return app.exec();
}
