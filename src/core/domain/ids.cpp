#include "ids.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QUuid>

namespace agentdesk {

QString newTimeOrderedId()
{
    // RFC 9562 §6.2 method 1: a 12-bit counter in rand_a keeps ids from one thread monotonic within a
    // millisecond; when it overflows the timestamp is advanced by one.
    thread_local quint64 lastMs = 0;
    thread_local quint16 counter = 0;
    quint64 ms = quint64(QDateTime::currentMSecsSinceEpoch());
    if (ms <= lastMs) {
        ms = lastMs;
        if (++counter > 0x0fff) {
            ++ms;
            counter = 0;
        }
    } else {
        counter = quint16(QRandomGenerator::global()->bounded(0x0200)); // leave room to count up
    }
    lastMs = ms;
    const quint64 random = QRandomGenerator::global()->generate64();
    const uint timeHigh = uint(ms >> 16);
    const ushort timeLow = ushort(ms & 0xffff);
    const ushort versionAndCounter = ushort(0x7000 | (counter & 0x0fff));
    const uchar variant = uchar(0x80 | ((random >> 56) & 0x3f));
    return QUuid(timeHigh, timeLow, versionAndCounter, variant, uchar(random >> 48), uchar(random >> 40),
                 uchar(random >> 32), uchar(random >> 24), uchar(random >> 16), uchar(random >> 8), uchar(random))
        .toString(QUuid::WithoutBraces);
}

} // namespace agentdesk
