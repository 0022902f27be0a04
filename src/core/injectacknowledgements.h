#pragma once

#include "domain/inject.h"

#include <QPointer>

#include <deque>
#include <functional>

namespace agentdesk {

// Accepted injects waiting for the history to commit their message, oldest first. Each is answered
// once its ticket is committed and its message announced (messagesRecorded, so a WebSocket client sees
// `message` before `injected`), in the order they were accepted; one that is never committed is never
// acknowledged: it is refused when the organism stops (refuseAll).
class InjectAcknowledgements
{
public:
    using Done = std::function<void(const InjectResult &)>;

    // `context`: the answer is dropped once it is destroyed (nullptr: always answered). `seq`: the
    // message's sequence number.
    void add(quint64 ticket, qint64 seq, QObject *context, Done done, InjectResult result);
    // Answers, oldest first, every one whose ticket is at most `committedTicket` and whose message is
    // announced (seq at most `announcedSeq`). A `done` that injects again only adds.
    void answerCommitted(quint64 committedTicket, qint64 announcedSeq);
    // Answers every one still waiting with `refusal`: what was not committed was never acknowledged.
    void refuseAll(const InjectResult &refusal);
    void clear() { m_waiting.clear(); }
    bool isEmpty() const { return m_waiting.empty(); }

private:
    struct Waiting
    {
        quint64 ticket = 0;
        qint64 seq = 0;
        QPointer<QObject> context;
        bool guarded = false; // a context was given: answer only while it lives
        Done done;
        InjectResult result;
    };

    std::deque<Waiting> m_waiting; // tickets never decrease
    bool m_answering = false;
};

} // namespace agentdesk
