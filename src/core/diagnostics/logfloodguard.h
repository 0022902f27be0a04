#pragma once

#include <QHash>
#include <QMutex>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace agentdesk {

// Keeps one noisy message from flooding the log (a warning Qt prints for every refused WebSocket
// client, say): the same message — same category and text, numbers ignored — is written at most
// `burst` times per `windowMs`; the rest are counted, and the next one written after the window says
// how many were left out. Fatal messages always pass. Thread-safe.
class LogFloodGuard
{
public:
    struct Options
    {
        int burst = 5;
        qint64 windowMs = 60000;
        int maxTracked = 512; // distinct messages remembered; beyond that the oldest windows are dropped
    };

    LogFloodGuard() = default;
    explicit LogFloodGuard(const Options &options)
        : m_options(options)
    { }

    // The text to log for this message (possibly with a note about messages left out), or nullopt to
    // drop it. `nowMs` is any monotonic clock in milliseconds.
    std::optional<QString> admit(QtMsgType type, const char *category, const QString &message, qint64 nowMs);

    // Routes every Qt message of the process through `guard` (which must outlive its use) on to the
    // handler installed before.
    static void install(LogFloodGuard *guard);

private:
    struct Seen
    {
        qint64 windowStart = 0;
        int count = 0;
        int dropped = 0;
    };
    void forgetOldest(qint64 nowMs);

    Options m_options;
    QMutex m_mutex;
    QHash<QString, Seen> m_seen;
};

} // namespace agentdesk
