#include "wstestclient.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

WsTestClient::WsTestClient(QObject *parent)
    : QObject(parent)
{
    connect(&socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { frames.append(QJsonDocument::fromJson(text.toUtf8()).object()); });
}

bool WsTestClient::open(const QUrl &url, int timeoutMs)
{
    socket.open(url);
    return QTest::qWaitFor([this] { return socket.state() == QAbstractSocket::ConnectedState; }, timeoutMs);
}

void WsTestClient::send(const QJsonObject &command)
{
    socket.sendTextMessage(QString::fromUtf8(QJsonDocument(command).toJson(QJsonDocument::Compact)));
}

void WsTestClient::sendText(const QString &text)
{
    socket.sendTextMessage(text);
}

QJsonObject WsTestClient::waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs)
{
    QJsonObject found;
    (void)QTest::qWaitFor(
        [&] {
            while (m_consumed < frames.size()) {
                const QJsonObject frame = frames.at(m_consumed++);
                if (match(frame)) {
                    found = frame;
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

QJsonObject WsTestClient::waitForEvent(const QString &event, int timeoutMs)
{
    return waitFor([&](const QJsonObject &frame) { return frame.value(u"event"_s).toString() == event; }, timeoutMs);
}

bool WsTestClient::waitClosed(int timeoutMs)
{
    return QTest::qWaitFor([this] { return socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
}

bool StalledWsClient::open(quint16 port, const QByteArray &path, int timeoutMs)
{
    // Small buffers on our side make the server's own queue fill quickly.
    socket.setReadBufferSize(1024);
    socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeoutMs))
        return false;
    // Again now that the socket exists: this also stops the kernel from growing the buffer.
    socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
    socket.write("GET " + path
                 + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray response;
    const bool upgraded = QTest::qWaitFor(
        [&] {
            response += socket.read(1024 - response.size());
            return response.contains("\r\n\r\n");
        },
        timeoutMs);
    return upgraded && response.startsWith("HTTP/1.1 101");
}

void StalledWsClient::sendText(const QByteArray &utf8)
{
    QByteArray frame;
    frame.append(char(0x81));
    frame.append(char(0x80 | utf8.size())); // tests send short frames only (< 126 bytes)
    const quint32 mask = QRandomGenerator::global()->generate();
    const char key[4] = {char(mask >> 24), char(mask >> 16), char(mask >> 8), char(mask)};
    frame.append(key, 4);
    for (qsizetype i = 0; i < utf8.size(); ++i)
        frame.append(char(utf8.at(i) ^ key[i % 4]));
    socket.write(frame);
}
