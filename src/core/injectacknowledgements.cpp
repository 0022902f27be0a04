#include "injectacknowledgements.h"

namespace agentdesk {

void InjectAcknowledgements::add(quint64 ticket, qint64 seq, QObject *context, Done done, InjectResult result)
{
    m_waiting.push_back(Waiting{ticket, seq, context, context != nullptr, std::move(done), std::move(result)});
}

void InjectAcknowledgements::answerCommitted(quint64 committedTicket, qint64 announcedSeq)
{
    if (m_answering)
        return;
    m_answering = true;
    while (!m_waiting.empty() && m_waiting.front().ticket <= committedTicket && m_waiting.front().seq <= announcedSeq) {
        const Waiting waiting = std::move(m_waiting.front());
        m_waiting.pop_front();
        if (waiting.guarded && !waiting.context)
            continue;
        waiting.done(waiting.result);
    }
    m_answering = false;
}

void InjectAcknowledgements::refuseAll(const InjectResult &refusal)
{
    const std::deque<Waiting> waiting = std::exchange(m_waiting, {});
    for (const Waiting &one : waiting) {
        if (one.guarded && !one.context)
            continue;
        one.done(refusal);
    }
}

} // namespace agentdesk
