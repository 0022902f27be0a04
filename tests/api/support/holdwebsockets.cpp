// A second local program for the tests: opens N WebSocket connections to 127.0.0.1:<port><path>,
// prints "HELD <upgraded> <closed-by-server>" once every handshake is answered, and holds the
// connections until its standard input closes. The tests use it to be a client other than themselves.
//
//   holdwebsockets <port> <path> <count>

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTcpSocket>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <vector>

#include <unistd.h>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4) {
        std::fprintf(stderr, "usage: holdwebsockets <port> <path> <count>\n");
        return 2;
    }
    const quint16 port = quint16(args.at(1).toUInt());
    const QByteArray path = args.at(2).toUtf8();
    const int count = args.at(3).toInt();

    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    int answered = 0;
    int upgraded = 0;
    const auto report = [&] {
        if (answered == count) {
            int closed = 0;
            for (const auto &socket : sockets)
                closed += socket->state() != QAbstractSocket::ConnectedState ? 1 : 0;
            std::printf("HELD %d %d\n", upgraded, closed);
            std::fflush(stdout);
        }
    };
    for (int i = 0; i < count; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        QTcpSocket *raw = socket.get();
        auto *seen = new QByteArray;
        QObject::connect(raw, &QTcpSocket::connected, raw, [raw, path] {
            raw->write("GET " + path
                       + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        });
        QObject::connect(raw, &QTcpSocket::readyRead, raw, [&, raw, seen] {
            if (seen->contains("\r\n\r\n"))
                return raw->skip(raw->bytesAvailable()), void();
            *seen += raw->readAll();
            if (!seen->contains("\r\n\r\n"))
                return;
            upgraded += seen->startsWith("HTTP/1.1 101") ? 1 : 0;
            ++answered;
            report();
        });
        QObject::connect(raw, &QObject::destroyed, [seen] { delete seen; });
        raw->connectToHost(QHostAddress::LocalHost, port);
        sockets.push_back(std::move(socket));
    }
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&input, &QSocketNotifier::activated, &app, [&] {
        char byte = 0;
        if (::read(STDIN_FILENO, &byte, 1) <= 0)
            app.quit();
    });
    QTimer::singleShot(60000, &app, &QCoreApplication::quit); // never outlive a test that forgot us
    return app.exec();
}
