#pragma once

#include "domain/records.h"

#include <QElapsedTimer>
#include <QString>

namespace agentdesk {

// The door of the organism: whether a new inject may come in. Admission is decided here, for new work
// only; a hop of a thread already admitted is never refused (the pump takes every message). To keep
// that promise within max_queue_depth, new injects are admitted only while fewer than the admission
// limit — four fifths of max_queue_depth — are waiting; the last fifth is the reserve that the fan-out
// of admitted threads may use. (An organism that fans out wider than its reserve lets the queue grow
// past max_queue_depth rather than fail a thread it accepted; the door stays shut until it drains.)
class AdmissionControl
{
public:
    struct Refusal
    {
        QString cause;             // queue depth and limits, the bottleneck agent
        int retryAfterSeconds = 1; // when the queue is expected below the admission limit again
    };

    void setQueueLimit(int maxQueueDepth);
    int queueLimit() const { return m_queueLimit; }
    int admissionLimit() const { return m_admissionLimit; }
    qint64 refusedCount() const { return m_refused; }

    bool admits(int queueDepth) const { return queueDepth < m_admissionLimit; }
    // Counts a refused inject and says why and when to try again. `backlog` names the bottleneck (the
    // longest queue); `handled` (handler calls ended so far) lets it estimate how fast the queue drains.
    Refusal refuse(int queueDepth, const QList<AgentBacklog> &backlog, quint64 handled);
    Saturation saturation(int queueDepth, QList<AgentBacklog> backlog) const;

private:
    QString cause(int queueDepth, const QList<AgentBacklog> &backlog) const;
    int retryAfterSeconds(int queueDepth, quint64 handled);

    int m_queueLimit = 10000;
    int m_admissionLimit = 8000;
    qint64 m_refused = 0;
    // The drain rate, sampled over at least a second while injects are being refused.
    QElapsedTimer m_rateClock;
    quint64 m_rateHandled = 0;
    double m_handledPerSecond = 0;
};

} // namespace agentdesk
