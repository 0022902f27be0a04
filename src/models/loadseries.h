#pragma once

#include "domain/records.h"

#include <QDateTime>
#include <QList>
#include <QObject>

#include <functional>
#include <optional>

namespace agentdesk {

class Session;

// The organism's load over the last minutes, as plain data for the Load page's chart (charts live in
// src/gui): a sample per organismChanged (a few a second at most) of the queue depth against its limit,
// messages per second and the injects refused so far. Where the server reports no throughput (the
// original), messages per second come from its message total between two samples.
class LoadSeries final : public QObject
{
    Q_OBJECT
public:
    struct Sample
    {
        QDateTime time;
        int queueDepth = 0;
        int queueLimit = 0;
        double messagesPerSecond = 0;
        qint64 injectsRefused = 0;
    };
    using Clock = std::function<QDateTime()>;

    explicit LoadSeries(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(LoadSeries)

    void setWindowSeconds(int seconds); // default 600
    int windowSeconds() const { return m_windowSeconds; }
    void setClock(Clock clock);

    QList<Sample> samples() const { return m_samples; } // oldest first, within the window
    std::optional<Sample> latest() const;
    int peakQueueDepth() const;
    double peakMessagesPerSecond() const;

signals:
    void changed();

private:
    void onOrganism();

    Session *m_session;
    Clock m_clock;
    int m_windowSeconds = 600;
    QList<Sample> m_samples;
    qint64 m_lastTotal = -1; // for servers without throughput figures
    QDateTime m_lastTotalAt;
};

} // namespace agentdesk
