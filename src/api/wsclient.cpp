#include "wsclient.h"

#include <QTcpSocket>
#include <QWebSocket>

#include <utility>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {
qint64 frameHeaderBytes(qint64 payload)
{
    return payload < 126 ? 2 : (payload <= 0xffff ? 4 : 10);
}
} // namespace

WsClient::WsClient(QWebSocket *socket, QTcpSocket *rawSocket, Kind kind, const Limits &limits, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_raw(rawSocket)
    , m_kind(kind)
    , m_limits(limits)
    , m_peerAddress(socket->peerAddress())
{
    m_socket->setParent(this);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(limits.maxIncomingMessageBytes));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(limits.maxIncomingMessageBytes));
    m_idle.setSingleShot(true);
    m_idle.setInterval(limits.idleTimeoutMs);
    connect(&m_idle, &QTimer::timeout, this,
            [this] { closeWith(QWebSocketProtocol::CloseCodeNormal, u"idle timeout"_s); });
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        touch();
        if (!m_closing)
            emit textReceived(this, text);
    });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this] {
        touch();
        closeWith(QWebSocketProtocol::CloseCodeDatatypeNotSupported, u"binary frames are not supported"_s);
    });
    connect(m_socket, &QWebSocket::pong, this, &WsClient::touch);
    connect(m_socket, &QWebSocket::bytesWritten, this, &WsClient::onBytesWritten);
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        m_closing = true;
        if (!std::exchange(m_finished, true))
            emit finished(this);
    });
    // QWebSocket answers pings itself without telling anyone; the raw socket still sees them.
    if (m_raw)
        connect(m_raw, &QIODevice::readyRead, this, &WsClient::touch);
    m_idle.start();
}

WsClient::~WsClient() = default;

void WsClient::touch()
{
    if (!m_closing)
        m_idle.start();
}

void WsClient::onBytesWritten(qint64 bytes)
{
    m_writtenTotal += bytes;
    while (!m_pendingEnds.empty() && m_pendingEnds.front() <= m_writtenTotal)
        m_pendingEnds.pop_front();
}

QByteArray WsClient::textFrame(const QByteArray &utf8)
{
    const qint64 size = utf8.size();
    QByteArray frame;
    frame.reserve(size + frameHeaderBytes(size));
    frame.append(char(0x81)); // FIN + text
    if (size < 126) {
        frame.append(char(size));
    } else if (size <= 0xffff) {
        frame.append(char(126));
        frame.append(char(size >> 8)).append(char(size & 0xff));
    } else {
        frame.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((size >> shift) & 0xff));
    }
    frame.append(utf8);
    return frame;
}

bool WsClient::send(const QByteArray &frame)
{
    if (m_closing)
        return false;
    const auto full = [&] {
        return m_socket->bytesToWrite() + frame.size() > m_limits.maxQueuedBytes
            || qint64(m_pendingEnds.size()) >= m_limits.maxQueuedFrames;
    };
    // A burst within one event-loop turn is not a slow reader: first hand what is queued to the
    // kernel; only a client whose socket takes nothing more is cut off.
    if (full() && (m_socket->flush(), full())) {
        closeWith(QWebSocketProtocol::CloseCodePolicyViolated, u"send queue overflow: client is not reading"_s);
        return false;
    }
    if (m_raw) {
        // Whole frames on the socket QWebSocket also writes to: frames never interleave, and the
        // shared QByteArray is copied once into the socket buffer instead of re-encoded per client.
        m_raw->write(frame);
    } else {
        const int length = static_cast<unsigned char>(frame.at(1)) & 0x7f;
        const qsizetype header = length < 126 ? 2 : (length == 126 ? 4 : 10);
        m_socket->sendTextMessage(QString::fromUtf8(frame.mid(header)));
    }
    m_queuedTotal += frame.size();
    m_pendingEnds.push_back(m_queuedTotal);
    ++m_framesSent;
    return true;
}

void WsClient::closeWith(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    if (std::exchange(m_closing, true))
        return;
    m_idle.stop();
    m_socket->close(code, reason);
    // A client that never answers the close handshake (or never reads) is cut off.
    QTimer::singleShot(m_limits.closeGraceMs, this, [this] {
        if (m_finished)
            return;
        m_socket->abort();
        if (!std::exchange(m_finished, true))
            emit finished(this);
    });
}

} // namespace agentdesk
