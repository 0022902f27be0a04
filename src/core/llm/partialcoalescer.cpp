#include "partialcoalescer.h"

namespace agentdesk {

PartialCoalescer::PartialCoalescer(Sink sink, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_sink(std::move(sink))
    , m_intervalMs(intervalMs)
    , m_timer(this)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &PartialCoalescer::flushDue);
}

void PartialCoalescer::update(const QString &agent, const QString &threadId, quint64 call, const LlmPartial &partial)
{
    Stream &stream = m_calls[call];
    stream.agent = agent;
    stream.threadId = threadId;
    if (partial.attempt != stream.attempt) { // a retry starts the text again
        stream.attempt = partial.attempt;
        stream.sent = 0;
    }
    stream.text = partial.text;
    const qint64 now = m_clock.elapsed();
    if (stream.lastSentMs < 0 || now - stream.lastSentMs >= m_intervalMs) {
        m_sink({take(call, stream)});
        return;
    }
    if (!m_timer.isActive())
        m_timer.start(int(m_intervalMs - (now - stream.lastSentMs)));
}

void PartialCoalescer::end(quint64 call)
{
    auto it = m_calls.find(call);
    if (it == m_calls.end())
        return;
    LlmPartialEvent last = take(call, *it);
    last.done = true;
    m_calls.erase(it);
    m_sink({last});
}

LlmPartialEvent PartialCoalescer::take(quint64 call, Stream &stream)
{
    LlmPartialEvent event;
    event.agent = stream.agent;
    event.threadId = stream.threadId;
    event.call = call;
    event.attempt = stream.attempt;
    event.offset = stream.sent;
    event.delta = stream.text.mid(stream.sent);
    event.timestamp = QDateTime::currentDateTimeUtc();
    stream.sent = stream.text.size();
    stream.lastSentMs = m_clock.elapsed();
    return event;
}

void PartialCoalescer::flushDue()
{
    const qint64 now = m_clock.elapsed();
    QList<LlmPartialEvent> due;
    qint64 nextInMs = -1;
    for (auto it = m_calls.begin(); it != m_calls.end(); ++it) {
        if (it->sent >= it->text.size())
            continue;
        const qint64 wait = m_intervalMs - (now - it->lastSentMs);
        if (wait <= 0)
            due.append(take(it.key(), *it));
        else if (nextInMs < 0 || wait < nextInMs)
            nextInMs = wait;
    }
    if (nextInMs >= 0)
        m_timer.start(int(nextInMs));
    if (!due.isEmpty())
        m_sink(due);
}

} // namespace agentdesk
