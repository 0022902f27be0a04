#include "logfloodguard.h"

#include <QMessageLogContext>

#include <atomic>
#include <chrono>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// Messages that differ only in numbers (ports, pids, counts, addresses) are the same message.
QString shapeOf(const char *category, const QString &message)
{
    QString key = QString::fromLatin1(category ? category : "default");
    key += u'\x1f';
    key.reserve(key.size() + message.size());
    bool inNumber = false;
    for (const QChar c : message) {
        const bool digit = c.isDigit();
        if (!digit)
            key += c;
        else if (!inNumber)
            key += u'#';
        inNumber = digit;
    }
    return key;
}

std::atomic<LogFloodGuard *> g_guard{nullptr};
QtMessageHandler g_next = nullptr;

void guardedHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    using namespace std::chrono;
    LogFloodGuard *guard = g_guard.load();
    const qint64 now = duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
    const std::optional<QString> text = guard ? guard->admit(type, context.category, message, now) : message;
    if (text && g_next)
        g_next(type, context, *text);
}

} // namespace

std::optional<QString> LogFloodGuard::admit(QtMsgType type, const char *category, const QString &message, qint64 nowMs)
{
    if (type == QtFatalMsg)
        return message;
    const QString key = shapeOf(category, message);
    const QMutexLocker lock(&m_mutex);
    auto seen = m_seen.find(key);
    if (seen == m_seen.end()) {
        if (m_seen.size() >= m_options.maxTracked)
            forgetOldest(nowMs);
        m_seen.insert(key, {nowMs, 1, 0});
        return message;
    }
    if (nowMs - seen->windowStart >= m_options.windowMs) {
        const int dropped = seen->dropped;
        *seen = {nowMs, 1, 0};
        if (dropped == 0)
            return message;
        return u"%1 (%2 more like this were not logged in the %3 s before)"_s.arg(message).arg(dropped).arg(
            m_options.windowMs / 1000);
    }
    ++seen->count;
    if (seen->count < m_options.burst)
        return message;
    if (seen->count == m_options.burst) {
        return u"%1 (repeated %2 times: more like this are counted, not logged, for %3 s)"_s.arg(message)
            .arg(m_options.burst)
            .arg(m_options.windowMs / 1000);
    }
    ++seen->dropped;
    return std::nullopt;
}

void LogFloodGuard::forgetOldest(qint64 nowMs)
{
    // Windows that ended say nothing any more; if every window is still open, start afresh.
    for (auto it = m_seen.begin(); it != m_seen.end();) {
        if (nowMs - it->windowStart >= m_options.windowMs && it->dropped == 0)
            it = m_seen.erase(it);
        else
            ++it;
    }
    if (m_seen.size() >= m_options.maxTracked)
        m_seen.clear();
}

void LogFloodGuard::install(LogFloodGuard *guard)
{
    g_guard.store(guard);
    const QtMessageHandler previous = qInstallMessageHandler(guardedHandler);
    if (previous != guardedHandler)
        g_next = previous;
}

} // namespace agentdesk
