#pragma once

#include "domain/llmactivity.h"
#include "llm/llmclient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>

namespace agentdesk {

// Turns the partial texts of streamed calls into LlmPartialEvents, at most one per call per
// `interval` (10 a second by default): the first piece goes out at once, later ones wait for the
// interval and go out together, as one delta. end() sends what is left with `done`.
class PartialCoalescer : public QObject
{
    Q_OBJECT
public:
    using Sink = std::function<void(const QList<LlmPartialEvent> &events)>;

    explicit PartialCoalescer(Sink sink, int intervalMs = 100, QObject *parent = nullptr);

    void update(const QString &agent, const QString &threadId, quint64 call, const LlmPartial &partial);
    void end(quint64 call);
    int activeCalls() const { return int(m_calls.size()); }

private:
    struct Stream
    {
        QString agent;
        QString threadId;
        int attempt = 0;
        QString text;    // the attempt's text so far
        qint64 sent = 0; // characters of it already sent
        qint64 lastSentMs = -1;
    };

    void flushDue();
    LlmPartialEvent take(quint64 call, Stream &stream);

    Sink m_sink;
    int m_intervalMs;
    QElapsedTimer m_clock;
    QTimer m_timer;
    QHash<quint64, Stream> m_calls;
};

} // namespace agentdesk
