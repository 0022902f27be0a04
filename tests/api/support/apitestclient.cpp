#include "apitestclient.h"

#include <QEventLoop>
#include <QNetworkRequest>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;

QByteArray HttpResult::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

ApiTestClient::ApiTestClient(quint16 port)
    : m_port(port)
{
    m_manager.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

QUrl ApiTestClient::url(const QString &path) const
{
    return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path), QUrl::TolerantMode);
}

HttpResult ApiTestClient::get(const QString &path, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return send("GET", path, {}, headers);
}

HttpResult ApiTestClient::post(const QString &path, const QByteArray &body,
                               const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return send("POST", path, body, headers);
}

HttpResult ApiTestClient::send(const QByteArray &verb, const QString &path, const QByteArray &body,
                               const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(url(path));
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_manager.sendCustomRequest(request, verb, body);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        reply->abort();
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    result.error = reply->error();
    reply->deleteLater();
    return result;
}

int RawExchange::status() const
{
    if (!response.startsWith("HTTP/1."))
        return 0;
    return response.mid(9, 3).toInt();
}

RawExchange rawExchange(quint16 port, const QByteArray &request, int timeoutMs)
{
    RawExchange exchange;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 3000))
        return exchange;
    socket.write(request);
    // Timing out is a normal outcome here: the caller looks at what arrived and whether we were closed.
    (void)QTest::qWaitFor(
        [&] {
            exchange.response += socket.readAll();
            return socket.state() != QAbstractSocket::ConnectedState;
        },
        timeoutMs);
    exchange.response += socket.readAll();
    exchange.closedByServer = socket.state() != QAbstractSocket::ConnectedState;
    return exchange;
}

RawClose rawWebSocketClose(quint16 port, const QByteArray &path, int timeoutMs)
{
    RawClose result;
    const QByteArray handshake = "GET " + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n\r\n";
    const RawExchange exchange = rawExchange(port, handshake, timeoutMs);
    const qsizetype headerEnd = exchange.response.indexOf("\r\n\r\n");
    result.upgraded = exchange.response.startsWith("HTTP/1.1 101");
    if (!result.upgraded || headerEnd < 0)
        return result;
    // Scan the server frames (unmasked) for the close frame.
    QByteArray frames = exchange.response.mid(headerEnd + 4);
    while (frames.size() >= 2) {
        const auto opcode = static_cast<unsigned char>(frames.at(0)) & 0x0f;
        qint64 length = static_cast<unsigned char>(frames.at(1)) & 0x7f;
        int offset = 2;
        if (length == 126) {
            length = (static_cast<unsigned char>(frames.at(2)) << 8) | static_cast<unsigned char>(frames.at(3));
            offset = 4;
        } else if (length == 127) {
            return result; // not expected for the frames under test
        }
        if (frames.size() < offset + length)
            return result;
        const QByteArray payload = frames.mid(offset, length);
        if (opcode == 0x8 && payload.size() >= 2) {
            result.code = (static_cast<unsigned char>(payload.at(0)) << 8) | static_cast<unsigned char>(payload.at(1));
            result.reason = QString::fromUtf8(payload.mid(2));
            return result;
        }
        frames.remove(0, offset + length);
    }
    return result;
}
