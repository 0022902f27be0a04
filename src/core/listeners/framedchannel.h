#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace agentdesk {

// LSP-style framing of a byte stream: every frame is a header block of `Name: value` lines, each ended
// by CRLF, an empty line, then exactly Content-Length bytes of body (docs/exec-protocol.md).
// The decoder is fed whatever the pipe delivered and hands out complete bodies. A broken header leaves
// no way to find the next frame, so the first error is final until reset().
class FramedChannel
{
public:
    static constexpr qsizetype MaxFrameBytes = 16 * 1024 * 1024;
    static constexpr qsizetype MaxHeaderBytes = 8 * 1024;

    static QByteArray encode(const QByteArray &body);

    void append(const QByteArray &data);
    // The next complete body, or nullopt when more data is needed or the stream is broken (see hasError()).
    std::optional<QByteArray> takeFrame();

    bool hasError() const { return !m_error.isEmpty(); }
    const QString &errorString() const { return m_error; }
    qsizetype bufferedBytes() const { return m_buffer.size(); }
    void reset();

private:
    bool parseHeader();
    bool checkPartialHeader();
    bool parseHeaderBlock(QByteArrayView block);
    bool fail(const QString &error);

    QByteArray m_buffer;
    qsizetype m_bodyLength = -1; // -1 while the header is still being read
    QString m_error;
};

} // namespace agentdesk
